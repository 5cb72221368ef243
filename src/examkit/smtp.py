"""An SMTP mailer from the standard library: the :class:`~examkit.ports.Mailer` a portal configures.

It submits each :class:`~examkit.ports.Message` to the organisation's mail
server (the message submission port 587 with STARTTLS by default; 465 with
implicit TLS; plain SMTP only when asked, for a relay on the same host), as
a UTF-8 plain-text e-mail with its ``Content-Language``. A certificate is
checked against the system's trust store and the host name. A failure is
raised as :class:`~examkit.errors.ServiceUnavailable` (the server could not
be reached or refused the message) or
:class:`~examkit.errors.ConfigurationError` (the settings are wrong: the
server does not offer STARTTLS, or refuses the credentials), never with the
password in it.

>>> settings = SmtpSettings(host="smtp.school.nl", sender="Portal <noreply@school.nl>")
>>> settings.port, settings.security
(587, 'starttls')
>>> SmtpMailer(settings)
SmtpMailer(smtp.school.nl:587, starttls)
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import Final, Literal

import attrs

from examkit.clocks import SystemClock
from examkit.errors import ConfigurationError, ServiceUnavailable
from examkit.ports import Clock, Message

__all__ = ["SmtpMailer", "SmtpSettings"]

Security = Literal["starttls", "tls", "none"]
"""How the connection is protected: STARTTLS on a plain connection, TLS from the start, none."""

_PORTS: Final[dict[str, int]] = {"starttls": 587, "tls": 465, "none": 25}


def _check_sender(_: object, __: attrs.Attribute[str], value: str) -> None:
    name, address = parseaddr(value)
    if not address or "@" not in address or "\n" in value or "\r" in value:
        raise ConfigurationError("config.smtp.sender", field="sender")
    del name


def _check_security(_: object, __: attrs.Attribute[str], value: str) -> None:
    if value not in _PORTS:
        raise ConfigurationError("config.smtp.security", field="security", value=str(value))


@attrs.frozen(repr=False)
class SmtpSettings:
    """Where and how to submit e-mail.

    Implements NOTE-1.
    """

    host: str = attrs.field(validator=attrs.validators.min_len(1))
    """The mail server's host name (checked against its certificate)."""
    sender: str = attrs.field(validator=_check_sender)
    """The ``From`` address, optionally with a name (``Portal <noreply@school.nl>``)."""
    security: Security = attrs.field(default="starttls", validator=_check_security)
    """``starttls`` (the default), ``tls`` or ``none`` (a relay on the same host only)."""
    port: int = attrs.field()
    """The port: 587 for STARTTLS, 465 for TLS, 25 without, unless given."""
    username: str | None = None
    """The account to sign in to the server with, if it asks for one."""
    password: str | None = attrs.field(default=None, repr=False)
    """Its password (never shown)."""
    timeout: float = 30.0
    """Seconds to wait for the server at each step."""

    @port.default
    def _port(self) -> int:
        return _PORTS.get(self.security, 0)  # an unknown security is refused by its validator

    def __repr__(self) -> str:
        return (
            f"SmtpSettings(host={self.host!r}, port={self.port}, security={self.security!r}, "
            f"sender={self.sender!r}, username={self.username!r}, password=<hidden>)"
        )


Connect = Callable[[SmtpSettings, ssl.SSLContext], smtplib.SMTP]
"""Opens the connection (the tests give their own server's)."""


def _connect(settings: SmtpSettings, context: ssl.SSLContext) -> smtplib.SMTP:
    if settings.security == "tls":
        return smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=settings.timeout, context=context
        )
    return smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)


class SmtpMailer:
    """Sends each message over a new SMTP connection (a portal sends few, and each counts).

    Args:
        settings: Where and how.
        clock: Dates the messages (the system clock by default).
        context: The TLS context (the system's trust store, host names checked, by default).
        connect: Opens the connection (for tests).
    """

    def __init__(
        self,
        settings: SmtpSettings,
        *,
        clock: Clock | None = None,
        context: ssl.SSLContext | None = None,
        connect: Connect = _connect,
    ) -> None:
        self._settings = settings
        self._clock = clock if clock is not None else SystemClock()
        self._context = context if context is not None else ssl.create_default_context()
        self._connect = connect

    def email(self, message: Message) -> EmailMessage:
        """Return *message* as the e-mail this mailer submits.

        >>> from datetime import datetime, timezone
        >>> from examkit.testing import ManualClock
        >>> mailer = SmtpMailer(SmtpSettings(host="smtp.school.nl", sender="noreply@school.nl"),
        ...                     clock=ManualClock(datetime(2026, 9, 1, 8, tzinfo=timezone.utc)))
        >>> mail = mailer.email(Message(to="k@school.nl", subject="Uw code", body="123456"))
        >>> mail["From"], mail["To"], mail["Content-Language"], mail["Date"]
        ('noreply@school.nl', 'k@school.nl', 'nl', 'Tue, 01 Sep 2026 08:00:00 +0000')
        """
        mail = EmailMessage()
        name, address = parseaddr(self._settings.sender)
        mail["From"] = Address(display_name=name, addr_spec=address)
        mail["To"] = ", ".join(message.to)
        mail["Subject"] = message.subject
        mail["Date"] = format_datetime(self._clock.now())
        mail.set_content(message.body, charset="utf-8")  # clears every Content-* header
        mail["Content-Language"] = message.lang
        return mail

    def send(self, message: Message) -> None:
        """Submit *message* to the server.

        Raises:
            ServiceUnavailable: ``mail.unavailable``: the server could not be
                reached, or refused the message or a recipient.
            ConfigurationError: ``config.smtp.starttls`` (the server offers no
                STARTTLS) or ``config.smtp.login`` (it refused the credentials).
        """
        settings = self._settings
        mail = self.email(message)
        try:
            with self._connect(settings, self._context) as server:
                server.ehlo()
                if settings.security == "starttls":
                    if not server.has_extn("starttls"):
                        raise ConfigurationError("config.smtp.starttls", field="security")
                    server.starttls(context=self._context)
                    server.ehlo()
                if settings.username is not None:
                    server.login(settings.username, settings.password or "")
                server.send_message(mail)
        except smtplib.SMTPAuthenticationError:
            raise ConfigurationError("config.smtp.login", field="username") from None
        except (smtplib.SMTPException, OSError) as error:
            raise ServiceUnavailable(
                "mail.unavailable", host=settings.host, reason=type(error).__name__
            ) from None

    def __repr__(self) -> str:
        return f"SmtpMailer({self._settings.host}:{self._settings.port}, {self._settings.security})"
