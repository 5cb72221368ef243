"""An erased account, on the offline servers that were sent it: ``account_erasure`` (PRIV-3).

An account that acts in the room (the proctor) goes down with its group,
its grants with it (:func:`~examkit.offline.master_records`). On the
offline server it then signs in, keeps web sessions (the proctor monitor's
too), trusted browsers, counted tries and tokens, and it is named in the
server's own audit trail, as actor and as subject. When the account is
erased centrally (:meth:`PrivacyErasure.erase
<examkit.privacy.PrivacyErasure.erase>`), every server that was sent it
gets, *before* the removal of the account and its grants, one
``account_erasure`` entry keyed by the account's id, whose body is
:class:`AccountErasure`'s:

``pseudonym``
    The pseudonym the central trail names the account by now: the server's
    trail is pseudonymised with the same one (the server never holds the
    pseudonym key).
``details``
    The audit detail keys that identify the person where they acted (``ip``).

No identifying value travels: the server finds the login name and e-mail
addresses in the account it still holds and looks for
:func:`account_names`, the names the central erasure looks for too. The
revision is always 1: an account has no term that holds its erasure back,
so a second erasure queues nothing, and an entry applied again is
``superseded``.

Applied on the server (:func:`erase_account_here`, inside
:func:`~examkit.offline.apply_down`'s one transaction), by the central
rules for an erased account (:data:`~examkit.privacy.ERASURE_RULES`): the
audit events naming the account are pseudonymised (every event stays); the
account, its own grants and every sign-in artefact of it go
(:data:`ACCOUNT_RECORDS`, the e-mails to its addresses, its tokens
:data:`ACCOUNT_TOKENS` and the one-time passwords of its sign-ins, its
counted tries :data:`ACCOUNT_COUNTERS`). What refers to the account only by
id, as the staff member who acted (the group's proctor, its log, the session
report's remarks, the grants they gave others), stays, as it stays
centrally.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any, ClassVar, Final, Literal

import attrs

from examkit.auth import lockout_key
from examkit.errors import InvalidInput
from examkit.offline._model import QueuedEntry
from examkit.offline._protocol import entry_digest
from examkit.offline._wire import WireEntry
from examkit.records import RECORDS, RecordsUnit
from examkit.storage import RecordType

__all__ = [
    "ACCOUNT_COUNTERS",
    "ACCOUNT_ERASURE",
    "ACCOUNT_RECORDS",
    "ACCOUNT_TOKENS",
    "AccountErasure",
    "account_names",
    "erase_account_here",
    "forget_sign_ins",
]

ACCOUNT_ERASURE: Final = "account_erasure"
"""The down entry kind that erases an account on the offline server."""

ACCOUNT_RECORDS: Final[Mapping[str, Literal["key", "account"]]] = {
    "signins": "account",
    "trusted_browsers": "account",
    "sent_reminders": "account",
    "email_changes": "key",
    "authenticators": "key",
    "web_sessions": "account",
    "federated_links": "account",
}
"""The account's own sign-in records an erasure deletes on an offline server, and how they are
found: by the account's id as their key, or by their ``account`` index. Each is deleted by the
central rules too (:data:`~examkit.privacy.ERASURE_RULES`); a monitor's web session is a web
session."""

ACCOUNT_TOKENS: Final = (
    "auth.reset",
    "auth.email",
    "federation.link",
    "federation.proposal",
    "roles.invitation",
)
"""The single-use tokens issued to an account, by purpose: revoked with it (the one-time
password of each of its sign-ins, ``auth.otp``, too)."""

SIGN_IN_TOKEN: Final = "auth.otp"  # noqa: S105 - a token's purpose, no secret
"""The one-time password of a sign-in transaction, issued to the transaction."""

ACCOUNT_COUNTERS: Final[Mapping[str, Literal["id", "name"]]] = {
    "auth.sign_in": "name",
    "auth.reset.request": "name",
    "auth.code.account": "id",
    "auth.code.new": "id",
}
"""The counted tries that name an account, by purpose: counted under its id, or under the
folded login name or e-mail address it was tried with (:func:`~examkit.auth.lockout_key`).
They lapse within the hour; an erasure forgets them at once."""

_BY_NAME: Final[Mapping[str, RecordType[Any, Any]]] = {record.name: record for record in RECORDS}

_PAGE: Final = 500
"""E-mails read at a time while looking for those to the account."""


def account_names(
    account: str, logins: Iterable[str] = (), emails: Iterable[str] = ()
) -> frozenset[str]:
    """Return what names account *account* in an audit event.

    Its id (an actor), ``account:<id>`` (a subject), each of its *logins*
    and *emails*, and each of those folded as a sign-in counts them
    (:func:`~examkit.auth.lockout_key`), alone (the actor of a refused
    sign-in or a reset request) and as ``login:<folded>`` (its subject).
    The central erasure and the offline server look for the same.

    >>> sorted(account_names("a-17", ["22AB.K.Piet"], ["piet@school.nl"]))
    ... # doctest: +NORMALIZE_WHITESPACE
    ['22AB.K.Piet', '22ab.k.piet', 'a-17', 'account:a-17', 'login:22ab.k.piet',
     'login:piet@school.nl', 'piet@school.nl']

    Implements PRIV-3.
    """
    values = {str(value) for value in (*logins, *emails)}
    folded = {lockout_key(value) for value in values}
    return frozenset(
        {account, f"account:{account}", *values, *folded, *(f"login:{key}" for key in folded)}
    )


def forget_sign_ins(
    uow: RecordsUnit, account: str, signins: Iterable[str], names: Iterable[str]
) -> int:
    """Revoke *account*'s tokens and forget its counted tries; return how many tokens went.

    The tokens :data:`ACCOUNT_TOKENS` issued to the account, the one-time
    password of each of its *signins* (their ids), and the tries
    :data:`ACCOUNT_COUNTERS` counted under its id or any of its *names*
    (login names, e-mail addresses). The central erasure and the offline
    server forget the same.

    Implements PRIV-3.
    """
    tokens, counters = uow.tokens, uow.counters
    revoked = sum(tokens.revoke(purpose, account) for purpose in ACCOUNT_TOKENS)
    revoked += sum(tokens.revoke(SIGN_IN_TOKEN, signin) for signin in signins)
    folded = sorted({lockout_key(str(name)) for name in names})
    for purpose, by in ACCOUNT_COUNTERS.items():
        for key in folded if by == "name" else [account]:
            counters.reset(purpose, key)
    return revoked


@attrs.frozen
class AccountErasure:
    """What the ``account_erasure`` down entry tells an offline server about one erased account.

    Implements PRIV-3 and SCH-8.
    """

    account: str
    """The account's id (the entry's key)."""
    pseudonym: str
    """What the central trail names it by (``pseudonym:<key id>:<hex>``)."""
    details: tuple[str, ...] = ()
    """The audit detail keys that identify the person where they acted (``ip``)."""

    revision: ClassVar[int] = 1
    """The entry's revision: one stage only (nothing holds an account's erasure back)."""

    def body(self) -> dict[str, Any]:
        """Return the entry's body (JSON data).

        >>> AccountErasure("a-17", "pseudonym:1:ab", details=("ip",)).body()
        {'details': ['ip'], 'pseudonym': 'pseudonym:1:ab'}
        """
        return {"details": sorted(self.details), "pseudonym": self.pseudonym}

    def entry(self, stream: str, seq: int, now: Any) -> QueuedEntry:
        """Return the entry queued as number *seq* of *stream* at *now*."""
        body = self.body()
        return QueuedEntry(
            stream=stream,
            seq=seq,
            kind=ACCOUNT_ERASURE,
            key=self.account,
            revision=self.revision,
            body=body,
            digest=entry_digest(ACCOUNT_ERASURE, self.account, self.revision, body),
            queued_at=now,
        )

    @classmethod
    def from_entry(cls, entry: WireEntry) -> AccountErasure:
        """Read an ``account_erasure`` entry.

        Raises:
            InvalidInput: ``offline.entry.body``: its body is no account's erasure,
                or its revision is not 1.
        """
        body = entry.body
        if not isinstance(body, dict) or set(body) != {"details", "pseudonym"}:
            raise InvalidInput("offline.entry.body", field="body", seq=entry.seq)
        pseudonym, details = body["pseudonym"], body["details"]
        if (
            not isinstance(pseudonym, str)
            or not pseudonym.startswith("pseudonym:")
            or entry.revision != cls.revision
            or not isinstance(details, list)
            or not all(isinstance(key, str) for key in details)
        ):
            raise InvalidInput("offline.entry.body", field="body", seq=entry.seq)
        return cls(entry.key, pseudonym, details=tuple(details))


def erase_account_here(uow: RecordsUnit, erasure: AccountErasure) -> None:
    """Apply *erasure* to the offline server's store in its open unit *uow*.

    Implements PRIV-3 and SCH-8.
    """
    tx, person = uow.transaction, erasure.account
    account = tx.get(_BY_NAME["accounts"], person)
    change = tx.get(_BY_NAME["email_changes"], person)
    logins = [] if account is None else [str(account.login_name)]
    emails = [] if account is None or not account.email else [str(account.email)]
    if change is not None:
        emails.append(str(change.new_email))
    uow.audit.pseudonymise(
        account_names(person, logins, emails), erasure.pseudonym, details=erasure.details
    )
    signins = [signin.id for signin in tx.find(_BY_NAME["signins"], where={"account": person})]
    forget_sign_ins(uow, person, signins, [*logins, *emails])
    for name, by in ACCOUNT_RECORDS.items():
        _delete(uow, _BY_NAME[name], person, by)
    _delete_mail(uow, emails)
    for name in ("authorizations", "accounts"):  # their own grants; others' they gave stay
        _delete(uow, _BY_NAME[name], person, "key")


def _delete(uow: RecordsUnit, record: RecordType[Any, Any], person: str, by: str) -> None:
    """Delete the account's records of *record*'s kind: the one keyed by it, or its index's."""
    tx = uow.transaction
    if by == "key":
        found = [] if tx.get(record, person) is None else [person]
    else:
        found = [record.key_text(item) for item in tx.find(record, where={by: person})]
    for key in found:
        tx.delete(record, key, version=None)


def _delete_mail(uow: RecordsUnit, emails: Collection[str]) -> None:
    """Delete the e-mails to any of *emails* (waiting or kept as sent)."""
    if not emails:
        return
    tx, outbox, after = uow.transaction, _BY_NAME["outbox"], None
    wanted = {email.casefold() for email in emails}
    while True:
        page = tx.find(outbox, where={}, after=after, limit=_PAGE)
        for mail in page:
            if wanted & {address.casefold() for address in mail.to}:
                tx.delete(outbox, mail.id, version=None)
        if len(page) < _PAGE:
            return
        after = outbox.order_of(page[-1])
