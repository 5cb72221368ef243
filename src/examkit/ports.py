"""The ports: what examkit's domain needs from the world, as Protocols.

The domain is pure. Time comes from a :class:`Clock`, randomness from a
:class:`SecretSource`, password hashes from a :class:`PasswordHasher`, e-mail
leaves through a :class:`Mailer`, audit events through an :class:`~examkit.audit.AuditLog`,
and data is kept by a :class:`~examkit.records.Backend` whose
:class:`~examkit.records.UnitOfWork` holds the repositories. The composition root
(:class:`examkit.Examkit`) wires real or fake implementations in;
:mod:`examkit.testing` has deterministic fakes for every port.

Production implementations: :class:`examkit.clocks.SystemClock`,
:class:`examkit.randomness.SystemSecretSource`,
:class:`examkit.passwords.Argon2Hasher`,
:class:`examkit.audit.StoredAuditLog`, and the backends in
:mod:`examkit.backends`.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

import attrs

from examkit._fields import require_aware_utc
from examkit.errors import ConfigurationError, InvalidInput
from examkit.messages import DEFAULT_LANG, Lang

__all__ = [
    "Clock",
    "Mailer",
    "Message",
    "PasswordHasher",
    "PortalPaths",
    "SecretSource",
    "require_aware_utc",
]


@runtime_checkable
class Clock(Protocol):
    """Tells the time: the only way the domain learns what time it is."""

    def now(self) -> datetime:
        """Return the current time, timezone-aware, in UTC."""
        ...


@runtime_checkable
class SecretSource(Protocol):
    """Draws randomness: tokens, one-time passwords, access codes, identifiers.

    Production uses :class:`examkit.randomness.SystemSecretSource` (the
    ``secrets`` module); tests, doctests and the demo use
    :class:`examkit.testing.SequenceSecretSource`, which is deterministic.
    """

    def token_bytes(self, size: int) -> bytes:
        """Return *size* random bytes."""
        ...

    def token_urlsafe(self, size: int) -> str:
        """Return a URL-safe text token carrying *size* random bytes."""
        ...

    def digits(self, count: int) -> str:
        """Return *count* random decimal digits (a one-time password)."""
        ...

    def choose(self, alphabet: str, count: int) -> str:
        """Return *count* characters drawn uniformly from *alphabet*."""
        ...


@runtime_checkable
class PasswordHasher(Protocol):
    """Hashes passwords and checks them against stored hashes.

    It receives passwords already normalised by the policy. Production uses
    :class:`examkit.passwords.Argon2Hasher` (argon2id, with declared bcrypt
    and PBKDF2 hashes from other systems still verified); tests use the same
    class with cheap parameters (:func:`examkit.testing.cheap_hasher`).
    """

    def hash(self, password: str) -> str:
        """Return a new hash of *password*, in the current scheme and parameters."""
        ...

    def verify(self, password: str, hashed: str) -> bool:
        """Return whether *password* matches the stored *hashed*."""
        ...

    def needs_update(self, hashed: str) -> bool:
        """Return whether *hashed* was made with another scheme or older parameters."""
        ...

    def work_plan(self, hashed: str | None) -> tuple[str, ...]:
        """Return the hashes a check of *hashed* verifies, so that every check costs the same.

        *hashed* first (unless ``None``: no account, or no password), then
        decoy hashes, so that the work does not depend on the account's
        scheme or cost. A hasher with one scheme and one cost returns
        ``(hashed,)``, or one decoy for ``None``.
        """
        ...


def _to_recipients(value: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _check_recipients(_: object, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    if not value:
        raise InvalidInput("input.required", field=attribute.name)
    for address in value:
        if not _EMAIL.fullmatch(address):
            raise InvalidInput("input.email.invalid", field=attribute.name, value=address)


@attrs.frozen
class Message:
    """An e-mail composed by examkit, ready for a :class:`Mailer` to send.

    >>> Message(to="k.beheerder@school.nl", subject="Welkom", body="Hallo").to
    ('k.beheerder@school.nl',)
    """

    to: tuple[str, ...] = attrs.field(converter=_to_recipients, validator=_check_recipients)
    """The recipients' addresses."""
    subject: str
    """The subject line, in :attr:`lang`."""
    body: str
    """The plain-text body, in :attr:`lang`."""
    lang: Lang = DEFAULT_LANG
    """The language the message is written in."""
    kind: str = "message"
    """What the message is for, as a dotted code (``auth.otp``), for routing and tests."""


@runtime_checkable
class Mailer(Protocol):
    """Sends composed messages (SMTP, a queue, a provider's API, a test outbox)."""

    def send(self, message: Message) -> None:
        """Send *message*, or raise; examkit never retries by itself."""
        ...


def _check_path(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    usable = isinstance(value, str) and value.startswith("/") and "//" not in value
    if usable and isinstance(value, str) and "{token}" in value:
        usable = attribute.name != "sign_in" and value.count("{token}") == 1
    if not usable:
        raise ConfigurationError("config.path.invalid", field=attribute.name, value=str(value))


@attrs.frozen
class PortalPaths:
    """Where the portal's pages are, for the links examkit writes into its e-mails.

    Each link is the portal's address (``Settings.base_url``) and one of
    these paths; a link that carries a token (a reset, an e-mail
    confirmation, an invitation) gets it as ``?token=...``, or in the place
    of ``{token}`` where the path has one. The defaults are the Dutch
    systems' own; a portal with other routes names its own
    (``Settings(paths=PortalPaths(sign_in="/sign-in", ...))``).

    >>> paths = PortalPaths(invitation="/invitations/{token}")
    >>> paths.link("https://portal.example.nl", paths.reset, "t0k3n")
    'https://portal.example.nl/wachtwoord-herstellen?token=t0k3n'
    >>> paths.link("https://portal.example.nl/", paths.invitation, "t0k3n")
    'https://portal.example.nl/invitations/t0k3n'

    Raises:
        ConfigurationError: ``config.path.invalid``: a path does not start
            with one ``/``, or puts ``{token}`` where no token goes.
    """

    sign_in: str = attrs.field(default="/inloggen", validator=_check_path)
    """The sign-in page (the new user's credentials, the reset's confirmation)."""
    reset: str = attrs.field(default="/wachtwoord-herstellen", validator=_check_path)
    """The page that sets a new password from a reset link."""
    email_confirm: str = attrs.field(default="/e-mailadres-bevestigen", validator=_check_path)
    """The page that confirms a new e-mail address."""
    invitation: str = attrs.field(default="/uitnodiging", validator=_check_path)
    """The page where an invited user activates their account."""

    def link(self, base_url: str, path: str, token: str | None = None) -> str:
        """Return the link to *path* on the portal at *base_url*, carrying *token*."""
        base = base_url.rstrip("/")
        if token is None:
            return f"{base}{path}"
        if "{token}" in path:
            return f"{base}{path.replace('{token}', token)}"
        return f"{base}{path}?token={token}"
