# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The SMTP mailer against a small SMTP server of the test's own, on loopback (issue 22, point 1).

The server speaks just enough SMTP (RFC 5321) to receive a message, and can
be told to offer no STARTTLS, to refuse a login or a recipient.
"""

from __future__ import annotations

import base64
import socketserver
import threading
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

from examkit.errors import ConfigurationError, ServiceUnavailable
from examkit.ports import Message
from examkit.smtp import SmtpMailer, SmtpSettings
from examkit.testing import ManualClock

PASSWORD = "geheim-wachtwoord-42"


class Inbox(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Session)
        self.received: list[bytes] = []
        self.refuse_login = False
        self.refuse_recipient = ""


class Session(socketserver.StreamRequestHandler):
    """One SMTP conversation: EHLO, AUTH PLAIN, MAIL, RCPT, DATA, QUIT."""

    server: Inbox

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        self.reply("220 inbox.test ESMTP")
        while line := self.rfile.readline():
            command = line.decode().strip()
            verb = command.split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.reply("250-inbox.test")
                self.reply("250 AUTH PLAIN")
            elif verb == "AUTH":
                credentials = base64.b64decode(command.split()[-1]).split(b"\0")
                ok = not self.server.refuse_login and credentials[-1] == PASSWORD.encode()
                self.reply("235 2.7.0 ok" if ok else "535 5.7.8 no")
            elif verb == "MAIL":
                self.reply("250 ok")
            elif verb == "RCPT":
                refused = self.server.refuse_recipient and self.server.refuse_recipient in command
                self.reply("550 5.1.1 unknown" if refused else "250 ok")
            elif verb == "DATA":
                self.reply("354 go on")
                data = b""
                while (chunk := self.rfile.readline()) != b".\r\n":
                    data += chunk
                self.server.received.append(data)
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not here")


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    server = Inbox()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def mailer(inbox: Inbox, **settings: object) -> SmtpMailer:
    chosen: dict[str, object] = {
        "host": "127.0.0.1",
        "port": inbox.server_address[1],
        "sender": "Portal <noreply@school.nl>",
        "security": "none",
        "timeout": 5.0,
    }
    chosen.update(settings)
    return SmtpMailer(
        SmtpSettings(**chosen),  # type: ignore[arg-type]
        clock=ManualClock.at("2026-09-01T08:00:00+00:00"),
    )


MESSAGE = Message(
    to="k.beheerder@school.nl",
    subject="Uw eenmalige wachtwoord — één keer",
    body="Uw code is 123456.\nGroet, de servicedesk",
    lang="nl",
    kind="auth.otp",
)


def received(inbox: Inbox) -> EmailMessage:
    (data,) = inbox.received
    mail = message_from_bytes(data, policy=policy.default)
    assert isinstance(mail, EmailMessage)
    return mail


@pytest.mark.req("NOTE-1")
def test_a_message_arrives_whole_in_utf_8_with_its_language(inbox: Inbox) -> None:
    mailer(inbox, username="portal", password=PASSWORD).send(MESSAGE)
    mail = received(inbox)
    assert ('"Portal" <noreply@school.nl>', "k.beheerder@school.nl") == (
        str(mail["From"]).replace("Portal <", '"Portal" <'),
        str(mail["To"]),
    )
    assert MESSAGE.subject == str(mail["Subject"])
    assert "nl" == mail["Content-Language"]
    assert "Tue, 01 Sep 2026 08:00:00 +0000" == mail["Date"]
    body = mail.get_body()
    assert body is not None
    assert MESSAGE.body == body.get_content().replace("\r\n", "\n").rstrip("\n")


@pytest.mark.req("NOTE-1")
def test_a_server_without_starttls_gets_nothing_when_starttls_is_required(inbox: Inbox) -> None:
    with pytest.raises(ConfigurationError) as refused:
        mailer(inbox, security="starttls").send(MESSAGE)
    assert ("config.smtp.starttls", "security") == (refused.value.code, refused.value.field)
    assert [] == inbox.received


@pytest.mark.req("NOTE-1")
def test_refused_credentials_are_a_configuration_error_without_the_password(inbox: Inbox) -> None:
    inbox.refuse_login = True
    with pytest.raises(ConfigurationError) as refused:
        mailer(inbox, username="portal", password=PASSWORD).send(MESSAGE)
    assert "config.smtp.login" == refused.value.code
    assert PASSWORD not in str(refused.value) + repr(refused.value)
    assert [] == inbox.received


@pytest.mark.req("NOTE-1")
def test_a_refused_recipient_or_no_server_is_a_service_unavailable(inbox: Inbox) -> None:
    inbox.refuse_recipient = "k.beheerder"
    with pytest.raises(ServiceUnavailable) as refused:
        mailer(inbox).send(MESSAGE)
    assert "mail.unavailable" == refused.value.code
    port = inbox.server_address[1]
    inbox.shutdown()
    inbox.server_close()
    with pytest.raises(ServiceUnavailable):
        mailer(inbox, port=port).send(MESSAGE)


@pytest.mark.req("NOTE-1")
@pytest.mark.parametrize(
    ("settings", "code", "field"),
    [
        ({"sender": "noreply@school.nl\r\nBcc: all@school.nl"}, "config.smtp.sender", "sender"),
        ({"sender": "geen adres"}, "config.smtp.sender", "sender"),
        ({"security": "ssl"}, "config.smtp.security", "security"),
    ],
)
def test_unusable_settings_are_refused_on_their_field(
    settings: dict[str, str], code: str, field: str
) -> None:
    chosen = {"host": "smtp.school.nl", "sender": "noreply@school.nl", **settings}
    with pytest.raises(ConfigurationError) as refused:
        SmtpSettings(**chosen)  # type: ignore[arg-type]
    assert (code, field) == (refused.value.code, refused.value.field)


def test_the_password_is_never_shown() -> None:
    settings = SmtpSettings(
        host="smtp.school.nl", sender="noreply@school.nl", username="u", password=PASSWORD
    )
    assert PASSWORD not in repr(settings) + repr(SmtpMailer(settings))
    assert (587, 465, 25) == (
        settings.port,
        SmtpSettings(host="h", sender="a@b.nl", security="tls").port,
        SmtpSettings(host="h", sender="a@b.nl", security="none").port,
    )
