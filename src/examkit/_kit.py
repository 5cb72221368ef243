"""The composition root: one object through which a portal reaches every use case."""

from __future__ import annotations

import attrs

from examkit.audit import StoredAuditLog
from examkit.clocks import SystemClock
from examkit.errors import ConfigurationError
from examkit.imports import ImportService
from examkit.messages import DEFAULT_LANG, Lang
from examkit.org import InstitutionService
from examkit.passwords import PRESETS, Argon2Hasher, PasswordPolicy
from examkit.ports import AuditLog, Clock, Mailer, PasswordHasher, SecretSource
from examkit.randomness import SystemSecretSource
from examkit.roles import RoleService
from examkit.storage import Backend


def _check_token_key(_: object, __: attrs.Attribute[bytes], value: bytes) -> None:
    if len(value) < 32:
        raise ConfigurationError("config.token_key.too_short", field="token_key")


@attrs.frozen(repr=False)
class Settings:
    """A portal's settings for examkit.

    >>> Settings(token_key=b"k" * 32).base_url
    'http://localhost:8000'
    """

    token_key: bytes = attrs.field(validator=_check_token_key)
    """The secret key (at least 32 bytes) for the keyed digests of stored tokens."""
    base_url: str = "http://localhost:8000"
    """The portal's address, for links in e-mails (reset, invitation)."""
    lang: Lang = DEFAULT_LANG
    """The default language of messages and e-mails."""

    def __repr__(self) -> str:
        return f"Settings(token_key=<hidden>, base_url={self.base_url!r}, lang={self.lang!r})"


class Examkit:
    """The composition root: wires the ports and offers every use case.

    Defaults are built here, when an ``Examkit`` is made, never at import
    time: the system clock, the operating system's randomness and an audit
    log kept by the backend.

    >>> from examkit.backends.memory import MemoryBackend
    >>> from examkit.testing import ManualClock, RecordingMailer, SequenceSecretSource
    >>> kit = Examkit(
    ...     backend=MemoryBackend(), mailer=RecordingMailer(),
    ...     settings=Settings(token_key=b"k" * 32),
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
    """

    def __init__(
        self,
        *,
        backend: Backend,
        mailer: Mailer,
        settings: Settings,
        clock: Clock | None = None,
        secrets: SecretSource | None = None,
        audit: AuditLog | None = None,
        password_policy: PasswordPolicy | None = None,
        hasher: PasswordHasher | None = None,
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
        self.institutions = InstitutionService(
            backend=self.backend, clock=self.clock, audit=self.audit
        )
        """Institutions and their locations."""
        self.roles = RoleService(
            backend=self.backend,
            clock=self.clock,
            secrets=self.secrets,
            mailer=self.mailer,
            audit=self.audit,
            token_key=settings.token_key,
            base_url=settings.base_url,
            lang=settings.lang,
            password_policy=self.password_policy,
            hasher=self.hasher,
        )
        """Roles and permissions: users, grants, invitations and audited decisions."""
        self.imports = ImportService(
            backend=self.backend, clock=self.clock, secrets=self.secrets, audit=self.audit
        )
        """EDEXML imports: preview, confirm, cancel, the jobs, and the pupil listings."""

    def close(self) -> None:
        """Release the backend's resources."""
        self.backend.close()

    def __repr__(self) -> str:
        return f"Examkit(backend={self.backend!r}, clock={self.clock!r})"
