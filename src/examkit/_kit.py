"""The composition root: one object through which a portal reaches every use case."""

from __future__ import annotations

from collections.abc import Callable

import attrs

from examkit.accounts import Account
from examkit.audit import StoredAuditLog
from examkit.clocks import SystemClock
from examkit.errors import ConfigurationError
from examkit.messages import DEFAULT_LANG, Lang
from examkit.org import InstitutionService
from examkit.ports import AuditLog, Clock, Mailer, SecretSource
from examkit.randomness import SystemSecretSource
from examkit.roles import RoleService
from examkit.storage import Backend


def _unwired_initial_password(_: SecretSource) -> str:
    """Refuse: no initial-password generator is wired in (the passwords package provides one)."""
    raise ConfigurationError("config.passwords.unwired", part="initial-password generator")


def _unwired_hash(_: str) -> str:
    """Refuse: no password hasher is wired in (the passwords package provides one)."""
    raise ConfigurationError("config.passwords.unwired", part="password hasher")


def _unwired_check(_: str, __: Account) -> None:
    """Refuse: no password policy is wired in (the passwords package provides one)."""
    raise ConfigurationError("config.passwords.unwired", part="password policy")


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
        new_initial_password: Draws an e-mailed initial password from the
            randomness source.
        hash_password: Hashes a password for storage.
        check_password: Checks a chosen password (and the account it is for)
            against the password policy, raising when it fails.

    The three password parts come from ``examkit.passwords`` (being built) once it is
    wired in here; until then, leaving them out makes the use cases that
    need them raise :class:`~examkit.errors.ConfigurationError`, and the test
    kit (:func:`examkit.testing.make_kit`) passes test doubles.
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
        new_initial_password: Callable[[SecretSource], str] | None = None,
        hash_password: Callable[[str], str] | None = None,
        check_password: Callable[[str, Account], None] | None = None,
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
            new_initial_password=new_initial_password or _unwired_initial_password,
            hash_password=hash_password or _unwired_hash,
            check_password=check_password or _unwired_check,
        )
        """Roles and permissions: users, grants, invitations and audited decisions."""

    def close(self) -> None:
        """Release the backend's resources."""
        self.backend.close()

    def __repr__(self) -> str:
        return f"Examkit(backend={self.backend!r}, clock={self.clock!r})"
