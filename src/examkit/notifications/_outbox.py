"""The outbox: e-mails stored in the use case's transaction, sealed, until the mail server has them.

A use case's e-mails are stored as :class:`QueuedMail` in the same unit of
work as the change that causes them and sent after the commit; sent, the
row is removed; refused by the mail server, it waits for its next attempt
(:func:`next_attempt`: 1, 2, 4, ... minutes, at most an hour apart), so a
failing mail server delays an e-mail and never loses it. Subject and body
(a reset link, an initial password) are sealed with AES-GCM under a key
derived from the portal's token key, so the database holds none of them in
the clear; only the kind, the recipients and the attempts are readable.

>>> mail = Message(to="k@school.nl", subject="Uw code", body="123456", kind="auth.otp")
>>> sealed = seal(mail, {"1": b"k" * 32}, "1", nonce=b"n" * 12)
>>> unseal(sealed, {"1": b"k" * 32}) == mail
True
>>> "123456" in sealed
False
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Final, Protocol

import attrs
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from examkit._fields import require_aware_utc
from examkit.errors import ConfigurationError
from examkit.ports import Message
from examkit.storage import (
    VERSION_FIELD,
    Index,
    NotPersonal,
    Page,
    Personal,
    Records,
    RecordType,
    Repository,
    microseconds,
)

_INFO: Final = b"examkit.outbox.v1"
_FIRST_RETRY: Final = timedelta(minutes=1)
_LONGEST_WAIT: Final = timedelta(hours=1)


def _aware(value: datetime) -> datetime:
    return require_aware_utc(value)


def _recipients(value: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return tuple(value)


@attrs.frozen
class QueuedMail:
    """An e-mail waiting for the mail server, its subject and body sealed.

    Implements NOTE-1.
    """

    id: str
    """Its key (random)."""
    kind: str
    """The message's kind (``roles.credentials``), readable for the operator."""
    to: tuple[str, ...] = attrs.field(converter=_recipients)
    """The recipients, readable for the operator."""
    sealed: str
    """Subject, body and language, sealed (:func:`seal`)."""
    queued_at: datetime = attrs.field(converter=_aware)
    """When the use case committed it."""
    next_attempt_at: datetime = attrs.field(converter=_aware)
    """When it is tried next."""
    attempts: int = 0
    """How often the mail server refused it so far."""
    last_error: str = ""
    """The last refusal's error code (never the server's text, which may quote the message)."""
    version: int = attrs.field(default=0, eq=False)
    """The stored version (0: never stored)."""


def _key(keys: Mapping[str, bytes], key_id: str) -> AESGCM:
    secret = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(keys[key_id])
    return AESGCM(secret)


def seal(message: Message, keys: Mapping[str, bytes], key_id: str, *, nonce: bytes) -> str:
    """Return *message*'s subject, body and language sealed under the key *key_id* of *keys*.

    *nonce* is 12 random bytes (from the kit's secret source), never used twice.
    """
    plain = json.dumps(
        {
            "to": list(message.to),
            "subject": message.subject,
            "body": message.body,
            "lang": message.lang,
            "kind": message.kind,
        },
        ensure_ascii=False,
    ).encode()
    sealed = _key(keys, key_id).encrypt(nonce, plain, _INFO)
    token = base64.urlsafe_b64encode(nonce + sealed).decode()
    return f"{key_id}:{token}"


def unseal(sealed: str, keys: Mapping[str, bytes]) -> Message:
    """Return the message *sealed* holds.

    Raises:
        ConfigurationError: ``config.outbox.key``: the key it was sealed under
            is no longer configured, or it was not sealed by these keys.
    """
    key_id, _, token = sealed.partition(":")
    try:
        raw = base64.urlsafe_b64decode(token.encode())
        plain = _key(keys, key_id).decrypt(raw[:12], raw[12:], _INFO)
    except (KeyError, InvalidTag, ValueError):
        raise ConfigurationError("config.outbox.key", field="token_key") from None
    fields = json.loads(plain)
    return Message(
        to=tuple(fields["to"]),
        subject=fields["subject"],
        body=fields["body"],
        lang=fields["lang"],
        kind=fields["kind"],
    )


def next_attempt(attempts: int, now: datetime) -> datetime:
    """Return when a mail refused *attempts* times is tried again: 1, 2, 4 ... minutes, <= 1 hour.

    >>> from datetime import UTC
    >>> now = datetime(2026, 9, 1, 8, tzinfo=UTC)
    >>> [str(next_attempt(n, now) - now) for n in (1, 2, 3, 10)]
    ['0:01:00', '0:02:00', '0:04:00', '1:00:00']
    """
    doublings: int = min(max(attempts - 1, 0), 16)
    wait: timedelta = min(_FIRST_RETRY * (1 << doublings), _LONGEST_WAIT)
    return now + wait


OUTBOX: Final = RecordType(
    "outbox",
    QueuedMail,
    kind="queued_mail",
    key=lambda item: item.id,
    indexes=(Index("due", lambda item: microseconds(item.next_attempt_at), number=True),),
    order=lambda item: f"{microseconds(item.next_attempt_at):020d}#{item.id}",
    privacy={
        "id": NotPersonal("the mail's random id"),
        "kind": NotPersonal("the message's kind (roles.credentials)"),
        "to": Personal(
            purpose="the recipients' e-mail addresses, to deliver the message",
            basis="public_task",
            retention="mail",
            audience=("operator",),
        ),
        "sealed": Personal(
            purpose="the message itself (subject, body: names, links, codes), sealed until "
            "it is sent",
            basis="public_task",
            retention="mail",
            audience=("system",),
        ),
        "queued_at": NotPersonal("when the message was queued"),
        "next_attempt_at": NotPersonal("when delivery is tried next"),
        "attempts": NotPersonal("how often the mail server refused it"),
        "last_error": NotPersonal("the last refusal's error code, never the server's text"),
        "version": VERSION_FIELD,
    },
)
"""The e-mails waiting for the mail server, listed by their next attempt."""


class OutboxRepository(Repository[str, QueuedMail], Protocol):
    """The outbox, listed by next attempt."""

    def due(self, now: datetime, *, limit: int = 100) -> tuple[QueuedMail, ...]:
        """Return the mails whose next attempt is at or before *now*, soonest first."""
        ...

    def list(self, *, after: str | None = None, limit: int = 100) -> Page[QueuedMail]:
        """Return every waiting mail, soonest next attempt first."""
        ...


class OutboxRecords(Records[str, QueuedMail]):
    """The :class:`OutboxRepository` on any backend."""

    def due(self, now: datetime, *, limit: int = 100) -> tuple[QueuedMail, ...]:
        """Return the mails whose next attempt is at or before *now*, soonest first."""
        return self._page(at_most=("due", microseconds(now)), after=None, limit=limit).items

    def list(self, *, after: str | None = None, limit: int = 100) -> Page[QueuedMail]:
        """Return every waiting mail, soonest next attempt first."""
        return self._page(after=after, limit=limit)
