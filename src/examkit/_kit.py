"""The composition root: one object through which a portal reaches every use case."""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterable, Mapping
from types import MappingProxyType

import attrs

from examkit._health import Health, check_health
from examkit.applications import ApplicationService, ApplicationSettings
from examkit.audit import AuditLog, StoredAuditLog
from examkit.auth import (
    PasswordReset,
    Profile,
    SignInGate,
    SignInHousekeeping,
    SignInMonitor,
    SignInRules,
    StaffSignIn,
)
from examkit.clocks import SystemClock
from examkit.correction import (
    Corrections,
    CorrectionWork,
    CorrectorChanges,
    GroupResults,
    Reviews,
)
from examkit.errors import ConfigurationError
from examkit.federation import (
    FederatedAccounts,
    FederatedSignIn,
    IdentityProviderAdapter,
    LinkPolicy,
)
from examkit.flemish import FlemishDesk
from examkit.imports import EdexmlImports, ImportHousekeeping, ImportSettings, Rosters
from examkit.messages import DEFAULT_LANG, Lang
from examkit.offline import ExamPackages, OfflineSync
from examkit.org import InstitutionService
from examkit.outbox import MailQueue
from examkit.passwords import PRESETS, Argon2Hasher, PasswordPolicy
from examkit.ports import Clock, Mailer, PasswordHasher, PortalPaths, SecretSource
from examkit.privacy import (
    AuditTrail,
    PrivacyErasure,
    PrivacyExport,
    PrivacyRetention,
    PrivacySettings,
)
from examkit.randomness import SystemSecretSource
from examkit.records import Backend
from examkit.roles import Grants, Invitations, Permissions, RoleGate, Users
from examkit.scheduling import (
    CandidateRegistry,
    GroupLifecycle,
    OfflineServerRegistry,
    Planning,
    PlanningDesk,
    Proctoring,
    SessionReports,
    Sitting,
    SittingRules,
)
from examkit.usecase import Ports
from examkit.websessions import FormTokens, RequestLimits, WebSessions, WebSessionSettings


def _check_base_url(_: object, __: attrs.Attribute[str], value: str) -> None:
    parts = urllib.parse.urlsplit(value) if isinstance(value, str) else None
    if (
        parts is None
        or parts.scheme not in {"http", "https"}
        or not parts.hostname
        or parts.query
        or parts.fragment
    ):
        raise ConfigurationError("config.base_url.invalid", field="base_url", value=str(value))


def _check_token_key(_: object, __: attrs.Attribute[bytes], value: bytes) -> None:
    if len(value) < 32:
        raise ConfigurationError("config.token_key.too_short", field="token_key")


def _key_map(value: Mapping[str, bytes]) -> Mapping[str, bytes]:
    return MappingProxyType(dict(value))


def _usable_key_id(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip()) and len(value) <= 40


def _check_key_id(_: object, __: attrs.Attribute[str], value: str) -> None:
    if not _usable_key_id(value):
        raise ConfigurationError("config.token_key_id.invalid", field="token_key_id")


def _check_retired_keys(
    settings: Settings, _: attrs.Attribute[Mapping[str, bytes]], value: Mapping[str, bytes]
) -> None:
    for key_id, key in value.items():
        field = f"retired_token_keys[{key_id}]"
        if not _usable_key_id(key_id):
            raise ConfigurationError("config.token_key_id.invalid", field=field)
        if key_id == settings.token_key_id:
            raise ConfigurationError("config.token_key_id.reused", field=field)
        if not isinstance(key, bytes) or len(key) < 32:
            raise ConfigurationError("config.token_key.too_short", field=field)


@attrs.frozen(repr=False)
class Settings:
    """A portal's settings for examkit.

    Both the token key and the portal's address are required: a default
    address would end up in the links of e-mails sent from a production
    portal.

    >>> Settings(token_key=b"k" * 32, base_url="https://portal.example.nl").base_url
    'https://portal.example.nl'
    """

    token_key: bytes = attrs.field(validator=_check_token_key)
    """The secret key (at least 32 bytes) for the keyed digests of stored tokens."""
    base_url: str = attrs.field(validator=_check_base_url)
    """The portal's address (``https://portal.example.nl``), for links in e-mails (reset,
    invitation, sign-in); never taken from a request's ``Host``."""
    lang: Lang = DEFAULT_LANG
    """The language of answers and e-mails to someone without an account here (a reset's
    answer, an application's competent authority) when the use case is given none; an
    e-mail to an account follows the account's language."""
    applications: ApplicationSettings = attrs.field(factory=ApplicationSettings)
    """Account applications: the institution-address rule and the service days per system."""
    imports: ImportSettings = attrs.field(factory=ImportSettings)
    """EDEXML imports: how long a preview waits, archived pupils are kept, a file may be ahead."""
    web_sessions: WebSessionSettings = attrs.field(factory=WebSessionSettings)
    """Signed-in browser sessions: the idle and absolute timeouts."""
    sitting: SittingRules = attrs.field(factory=SittingRules)
    """The exam day's candidates' pages: the grace after the deadline, when a connection
    counts as lost, how often a heartbeat is stored."""
    privacy: PrivacySettings = attrs.field(factory=PrivacySettings)
    """The privacy operations: the portal's own retention periods and the pseudonym key."""
    paths: PortalPaths = attrs.field(factory=PortalPaths)
    """The portal's pages the e-mails link to (sign-in, reset, e-mail confirmation,
    invitation): the Dutch systems' paths unless the portal names its own."""
    token_key_id: str = attrs.field(default="1", validator=_check_key_id)
    """The id of :attr:`token_key` (``2026-12``): an authenticator records it."""
    retired_token_keys: Mapping[str, bytes] = attrs.field(
        factory=dict, converter=_key_map, validator=_check_retired_keys
    )
    """Earlier token keys by id, kept while what was issued under them must still work.

    To rotate: make the new key :attr:`token_key` under a new :attr:`token_key_id`
    and move the old one here under its id. New tokens, links and codes are
    made under the new key; those issued before (reset and invitation links,
    trusted browsers, one-time codes, candidates' keys) are still recognised,
    and an authenticator enrolled under the old key keeps its seed. Remove
    the old key once its tokens have lapsed (a trusted browser lives 24
    hours, an invitation a week by default) and every authenticator enrolled
    under it was enrolled again.
    """

    def __repr__(self) -> str:
        return (
            f"Settings(token_key=<hidden>, token_key_id={self.token_key_id!r}, "
            f"retired_token_keys=<{len(self.retired_token_keys)} hidden>, "
            f"base_url={self.base_url!r}, lang={self.lang!r})"
        )


class Examkit:
    """The composition root: wires the ports and offers every use case.

    Defaults are built here, when an ``Examkit`` is made, never at import
    time: the system clock, the operating system's randomness and an audit
    log kept by the backend.

    >>> from examkit.backends.memory import MemoryBackend
    >>> from examkit.testing import ManualClock, RecordingMailer, SequenceSecretSource
    >>> kit = Examkit(
    ...     backend=MemoryBackend(), mailer=RecordingMailer(),
    ...     settings=Settings(token_key=b"k" * 32, base_url="https://portal.example.nl"),
    ...     clock=ManualClock.at("2026-09-01T08:00:00+00:00"), secrets=SequenceSecretSource())
    >>> kit.institutions.list().items
    ()

    Args:
        backend: Where the data is kept.
        mailer: Sends the e-mails examkit composes.
        settings: The portal's settings.
        clock: The time source (the system clock by default).
        secrets: The randomness source (the operating system's by default).
        audit: The audit log (the backend's audit store by default).
        password_policy: The policy chosen passwords must meet (the exam
            system's, ``facet``, by default).
        hasher: Hashes passwords (argon2id with RFC 9106's second
            recommendation by default, salted from *secrets*).
        sign_in_rules: The sign-in's numbers (the seed's by default).
        sign_in_gate: Who may sign in to which environment (by default the
            stored grants decide: :class:`~examkit.roles.RoleGate`).
        identity_providers: The federation's identity providers (AUTH-13), each an
            adapter of ``examkit.federation.oidc`` or ``examkit.federation.saml``
            (none by default: no federated sign-in).
        link_policy: How a federated identity is mapped to an account (an
            explicit link, then the ECK iD, by default).
    """

    def __init__(  # noqa: PLR0915 - the composition root: one statement per wired part
        self,
        *,
        backend: Backend,
        mailer: Mailer,
        settings: Settings,
        clock: Clock | None = None,
        secrets: SecretSource | None = None,
        audit: AuditLog | None = None,
        hasher: PasswordHasher | None = None,
        password_policy: PasswordPolicy | None = None,
        sign_in_rules: SignInRules | None = None,
        sign_in_gate: SignInGate | None = None,
        identity_providers: Iterable[IdentityProviderAdapter] = (),
        link_policy: LinkPolicy | None = None,
    ) -> None:
        self.backend = backend
        """Where the data is kept."""
        self.mailer = mailer
        """Sends composed e-mails."""
        self.settings = settings
        """The portal's settings."""
        self.clock: Clock = clock if clock is not None else SystemClock()
        """The time source."""
        self.secrets: SecretSource = secrets if secrets is not None else SystemSecretSource()
        """The randomness source."""
        self.audit: AuditLog = audit if audit is not None else StoredAuditLog(backend)
        """The audit log."""
        self.password_policy: PasswordPolicy = (
            password_policy if password_policy is not None else PRESETS["facet"]
        )
        """The policy chosen passwords must meet."""
        self.hasher: PasswordHasher = hasher if hasher is not None else Argon2Hasher(self.secrets)
        """Hashes passwords for storage."""
        self.ports = Ports(
            backend=self.backend,
            clock=self.clock,
            secrets=self.secrets,
            mailer=self.mailer,
            audit=self.audit,
            hasher=self.hasher,
            password_policy=self.password_policy,
            token_key=settings.token_key,
            token_key_id=settings.token_key_id,
            retired_token_keys=settings.retired_token_keys,
            base_url=settings.base_url,
            paths=settings.paths,
            lang=settings.lang,
        )
        """The wired ports every use case runs on (:class:`~examkit.usecase.UseCase`)."""
        self.institutions = InstitutionService(self.ports)
        """Institutions and their locations."""
        self.sign_in_rules: SignInRules = (
            sign_in_rules if sign_in_rules is not None else SignInRules()
        )
        """The sign-in's numbers."""
        self.sign_in_gate: SignInGate = (
            sign_in_gate if sign_in_gate is not None else RoleGate(self.backend)
        )
        """Who may sign in to which environment (the stored grants by default)."""
        self.staff_sign_in = StaffSignIn(self.ports, self.sign_in_gate, self.sign_in_rules)
        """Staff signing in: password, a new password where due, the second factor."""
        self.sign_in_monitor = SignInMonitor(self.ports, self.sign_in_gate, self.sign_in_rules)
        """Signing in to the proctor monitor, and its expiry warning."""
        self.password_reset = PasswordReset(self.ports, self.sign_in_rules)
        """Resetting a forgotten password through a mailed link."""
        self.profile = Profile(self.ports, self.sign_in_rules)
        """The signed-in user's own account: password, profile, e-mail, authenticator app."""
        self.federated_sign_in = FederatedSignIn(
            self.ports,
            self.sign_in_gate,
            providers=identity_providers,
            policy=link_policy,
            rules=self.sign_in_rules,
        )
        """Signing in through the federation (Entree): begin, finish, confirm an e-mail match."""
        self.federated_accounts = FederatedAccounts(self.ports)
        """Federated links: link tokens, federation-only accounts, an account's links."""
        self.sign_in_housekeeping = SignInHousekeeping(self.ports, self.sign_in_rules)
        """The sign-in's daily job: expiry reminders and purging what lapsed."""
        self.web_sessions = WebSessions(self.ports, settings.web_sessions)
        """Signed-in browser sessions: start, resolve, renew, end, revoke all, purge."""
        self.form_tokens = FormTokens(self.ports)
        """One-time tokens for a portal's forms (a second submission changes nothing)."""
        self.request_limits = RequestLimits(self.ports, self.sign_in_rules.zone)
        """Limits per client on a portal's anonymous forms, counted in storage."""
        self.permissions = Permissions(self.ports)
        """Decisions: the actor of an account, its grants, an audited refusal."""
        self.users = Users(self.ports)
        """Users: add, edit, a new password, deactivate, reactivate, remove, access."""
        self.grants = Grants(self.ports)
        """Grants: grant and revoke roles, administrators, linking accounts, the first operator."""
        self.invitations = Invitations(self.ports)
        """Invitations: send a single-use activation link, and accept it."""
        self.candidates = CandidateRegistry(self.ports)
        """Tests and candidates: register tests, add or read in candidates, answer sheets."""
        self.planning = Planning(self.ports)
        """Planning session groups, one by one or from a file."""
        self.planning_desk = PlanningDesk(self.ports)
        """What the planner's pages read: locations, a day's groups, a group, tests, staff."""
        self.offline_servers = OfflineServerRegistry(self.ports)
        """The offline servers of each location and their life."""
        self.exam_packages = ExamPackages(self.ports)
        """Exam packages: a test's content published for the offline servers, read back."""
        self.offline_sync = OfflineSync(self.ports)
        """The offline servers' synchronisation: credentials, hand-over, the sync's use cases."""
        self.group_lifecycle = GroupLifecycle(self.ports)
        """A session group's lifecycle (release, block, close, ...), access code, correctors."""
        self.sitting = Sitting(self.ports, rules=settings.sitting)
        """Candidates sitting the test: sign in with the access code, save responses, hand in."""
        self.proctoring = Proctoring(self.ports, settings.sitting)
        """The proctor's monitor and interventions on one candidate."""
        self.session_reports = SessionReports(self.ports)
        """The session report: drawn up, retrieved, remarked on."""
        self.flemish = FlemishDesk(self.ports)
        """The Flemish tests' school desk: registration, validation, lists, test reports."""
        self.edexml_imports = EdexmlImports(self.ports, settings.imports)
        """EDEXML imports: preview, confirm, cancel, and removing a year imported by mistake."""
        self.import_housekeeping = ImportHousekeeping(self.ports, settings.imports)
        """The imports' jobs: erasing lapsed previews and long-archived pupils."""
        self.rosters = Rosters(self.ports)
        """What was imported: school years, classes, pupils and their counts per group."""
        self.applications = ApplicationService(self.ports, settings.applications)
        """Account applications: the wizard, the operator's queue, approval and rejection."""

        self.corrections = Corrections(self.ports)
        """A group's correction: opening it, reading it and its candidates' sheets."""
        self.correction_work = CorrectionWork(self.ports)
        """The correctors' work: work lists, scoring, agreeing, escalating, closing."""
        self.correctors = CorrectorChanges(self.ports)
        """The planner replaces a corrector or refers escalated items to a third one."""
        self.results = GroupResults(self.ports)
        """A closed group's results, partial report, report rows and QTI exchange."""
        self.reviews = Reviews(self.ports)
        """Review periods (*inzage*), the review, and the history of scores."""
        self.mail_queue = MailQueue(self.ports)
        """The e-mails waiting for the mail server: delivered again when due, shown to the desk."""
        self.privacy_audit = AuditTrail(self.ports)
        """The audit trail of an administrator's locations, filtered and paged (PRIV-2)."""
        self.privacy_erasure = PrivacyErasure(self.ports, settings.privacy)
        """Erasing one person's data on request, the audit trail pseudonymised (PRIV-3)."""
        self.privacy_export = PrivacyExport(
            self.ports, users=self.users, profile=self.profile, candidates=self.candidates
        )
        """A person's data exported and corrected, and who read whose data (PRIV-2)."""
        self.privacy_retention = PrivacyRetention(self.ports, settings.privacy)
        """The retention jobs: removing what has passed its retention term (PRIV-4)."""

    def health(self) -> Health:
        """Return whether the kit can serve, for a portal's health endpoint (no personal data).

        Reads the storage the way every use case does and, on SQL, compares the
        database's migration with the shipped ones. Never raises for the storage.

        >>> from examkit.testing import make_kit
        >>> health = make_kit().health()
        >>> health.ok, health.storage, health.schema
        (True, 'ok', 'not_versioned')
        """
        return check_health(self.backend, self.clock)

    def close(self) -> None:
        """Release the backend's resources."""
        self.backend.close()

    def __repr__(self) -> str:
        return f"Examkit(backend={self.backend!r}, clock={self.clock!r})"
