"""Where each stored record refers to a person, and the finder of one person's records (PRIV-2).

:data:`PERSON_LINKS` says, for every record kind of :data:`examkit.records.RECORDS`,
which of its fields name which kind of person (:class:`PersonLink`), or why it names
nobody (:class:`RefersToNobody`), or why its references cannot be listed
(:class:`NotListed`: the backends keep it in a store looked up only by a secret
digest). :func:`find_person` reads a unit of work for every record that refers
to one :class:`~examkit.privacy.PersonRef`: by key or by a declared index where
the table names one, else the record kind page by page.

A field is named by a path: ``a.b`` is field ``b`` of field ``a``, ``xs[]``
every element of ``xs``.

>>> [str(link) for link in PERSON_LINKS["signins"]]
['account by id in account_id']
>>> PERSON_LINKS["exams"].why
'test definitions: no person in them'
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Final, Literal, TypeAlias

import attrs

from examkit.audit import AuditEvent
from examkit.privacy._person import PersonKind, PersonRef
from examkit.records import RECORDS
from examkit.storage import AUDIT, RecordType, StoredUnit

By: TypeAlias = Literal["id", "login_name", "email", "subject"]
"""What a field holds of the person: their id (a pupil's key), their login name, their
e-mail address, or their audit subject (:attr:`~examkit.privacy.PersonRef.label`)."""

PAGE: Final = 500
"""How many records :func:`find_person` reads at a time when it reads a kind page by page."""


@attrs.frozen
class PersonLink:
    """One way a record refers to one kind of person."""

    kind: PersonKind
    """The kind of person referred to."""
    path: str
    """The field (``a.b``, ``xs[]``, ``xs[].a``) whose values refer to the person."""
    by: By = "id"
    """What the field holds of the person."""
    place: str | None = None
    """For a pupil: the field holding the pupil's location (the key alone is not unique)."""
    index: str | None = None
    """A declared index holding the same value (for a pupil: the location) to look up by."""
    key: bool = False
    """Whether the field is the record's key (looked up directly)."""
    kinds: tuple[str, ...] = ()
    """Only records whose ``kind`` field is one of these (the sync entries' kinds)."""
    part: int | None = None
    """Only this ``:``-separated part of the value (a sync key ``<group>:<candidate>``)."""

    def __str__(self) -> str:
        where = f"{self.path}" if self.place is None else f"{self.path} at {self.place}"
        only = f" (kinds {', '.join(self.kinds)})" if self.kinds else ""
        part = f" (part {self.part + 1})" if self.part is not None else ""
        return f"{self.kind} by {self.by} in {where}{only}{part}"


@attrs.frozen
class RefersToNobody:
    """A record kind that refers to no person, and why."""

    why: str
    """Why it names nobody."""


@attrs.frozen
class NotListed:
    """A record kind that refers to a person but cannot be listed by them, and why."""

    links: tuple[PersonLink, ...]
    """How it refers to a person."""
    why: str
    """Why it is not listed (and what happens to it instead)."""


Links: TypeAlias = tuple[PersonLink, ...] | RefersToNobody | NotListed
"""What :data:`PERSON_LINKS` says of one record kind."""


def _account(*paths: str, index: str | None = None, key: bool = False) -> tuple[PersonLink, ...]:
    return tuple(PersonLink("account", path, index=index, key=key) for path in paths)


def _candidate(*paths: str, index: str | None = None) -> tuple[PersonLink, ...]:
    return tuple(PersonLink("candidate", path, index=index) for path in paths)


_UP_KEYS: Final = (PersonLink("candidate", "key", kinds=("attempt", "answer"), part=1),)
"""The up entries' natural keys that name a person (:data:`~examkit.offline.UP_KINDS`)."""

_SYNC_KEYS: Final = (
    *_UP_KEYS,
    PersonLink("candidate", "key", kinds=("test_attempts",), part=1),
    PersonLink("candidate", "key", kinds=("candidates",)),
    PersonLink("account", "key", kinds=("accounts", "authorizations")),
)
"""The synchronised entries' natural keys that name a person, up and down
(:data:`~examkit.offline.UP_KINDS`, :data:`~examkit.offline.DOWN_KINDS`)."""

PERSON_LINKS: Final[Mapping[str, Links]] = {
    "institutions": RefersToNobody("schools and their locations: names and addresses of places"),
    "accounts": (
        *_account("id", key=True),
        PersonLink("account", "login_name", by="login_name", index="login_name"),
    ),
    "authorizations": (
        *_account("account", key=True),
        *_account("grants[].granted_by", "grants[].revoked_by"),
    ),
    "exams": RefersToNobody("test definitions: no person in them"),
    "candidates": (
        PersonLink("candidate", "id", key=True),
        PersonLink("pupil", "pupil_key", place="location", index="location"),
    ),
    "session_groups": (
        *_candidate("candidates[]", index="candidate"),
        *_candidate("report.incidents[].candidate"),
        *_account("proctor", index="proctor"),
        *_account("first_corrector", "second_corrector", "held_by", "log[].actor"),
        *_account("report.remarks[].by"),
    ),
    "test_attempts": (
        *_candidate("candidate", index="candidate"),
        PersonLink("candidate", "login_name", by="login_name"),
        *_account("log[].actor"),
    ),
    "offline_servers": RefersToNobody(
        "a school's offline servers: a name and an address in the school"
    ),
    "flemish_registrations": (
        PersonLink("pupil", "pupils[].pupil", place="school"),
        PersonLink("pupil", "logbooks[].absent[]", place="school"),
        *_account("validated_by"),
    ),
    "signins": _account("account_id", index="account"),
    "trusted_browsers": _account("account_id", index="account"),
    "sent_reminders": _account("account_id", index="account"),
    "email_changes": _account("account_id", key=True),
    "authenticators": _account("account_id", key=True),
    "outbox": (PersonLink("account", "to[]", by="email"),),
    "pupils": (PersonLink("pupil", "pupil.key", place="location", index="location"),),
    "class_lists": (PersonLink("account", "teachers[].email", by="email"),),
    "pending_imports": (
        PersonLink("pupil", "pupils[].key", place="classes.location"),
        PersonLink("account", "classes.teachers[].email", by="email"),
        *_account("actor"),
    ),
    "applications": (
        *_account("decision.account", "decision.decided_by"),
        PersonLink("account", "administrator.email", by="email"),
        PersonLink("account", "administrator.login_name", by="login_name"),
    ),
    "correction_groups": (
        *_account("first", "second", "third", "closed_by"),
        *_account("replacements[].old", "replacements[].new", "replacements[].by"),
        *_account("reviews[].by"),
        *_candidate("reviews[].candidate", "published[].candidate"),
    ),
    "correction_sheets": (*_candidate("candidate"), *_account("versions[].by")),
    "web_sessions": _account("account_id", index="account"),
    "federated_links": _account("account_id", index="account"),
    "pending_federated_sign_ins": RefersToNobody(
        "a request to an identity provider, before its answer names anyone (minutes)"
    ),
    "offline_credentials": _account("issued_by"),
    "sync_queue": _SYNC_KEYS,
    "sync_inbox": _UP_KEYS,
    "sync_applied_keys": _SYNC_KEYS,
    "sync_marks": RefersToNobody("an offline server's counters and clock"),
    "offline_stations": RefersToNobody("an offline server's own counters and central address"),
    "sync_conflicts": (*_SYNC_KEYS, *_account("resolved_by")),
    "exam_packages": RefersToNobody("exam content: no person in it"),
    "package_chunks": RefersToNobody("exam content: no person in it"),
    "attempt_counters": NotListed(
        _account("id"),
        "counted tries (sign-in lockout, new codes) held by a backend's own counter, looked "
        "up only by what it counts; they expire within the hour",
    ),
    "single_use_tokens": NotListed(
        (PersonLink("account", "token.subject"),),
        "held by a backend's own token store, looked up only by the token's secret digest; "
        "short-lived, and revoked with the account's sign-ins",
    ),
    "sequences": RefersToNobody("numbering counters: no person in them"),
    "audit_events": (
        PersonLink("account", "event.actor"),
        PersonLink("account", "event.actor", by="login_name"),
        PersonLink("account", "event.subject", by="subject"),
        PersonLink("candidate", "event.subject", by="subject"),
        PersonLink("pupil", "event.subject", by="subject"),
    ),
}
"""How every stored record kind refers to a person, by record name."""


def walk(item: object, path: str) -> Iterator[Any]:
    """Yield the values of *path* in *item* (``a.b``, ``xs[]``; ``None`` values skipped).

    >>> from examkit.privacy import PersonRef
    >>> list(walk(PersonRef.pupil("01AB00", "P1"), "location"))
    ['01AB00']
    """
    found: list[Any] = [item]
    for step in path.split("."):
        many = step.endswith("[]")
        name = step[:-2] if many else step
        found = [getattr(value, name) for value in found]
        if many:
            found = [element for value in found if value is not None for element in value]
        found = [value for value in found if value is not None]
    yield from found


@attrs.frozen
class _Wanted:
    """One person's values as the records hold them."""

    person: PersonRef
    ids: frozenset[str]
    login_names: frozenset[str] = frozenset()
    emails: frozenset[str] = frozenset()

    @property
    def place(self) -> str | None:
        return self.person.location

    def values(self, by: By) -> frozenset[str]:
        if by == "id":
            return self.ids
        if by == "login_name":
            return self.login_names
        if by == "email":
            return self.emails
        return frozenset({self.person.label})


def refers(link: PersonLink, item: object, wanted: _Wanted) -> bool:
    """Return whether *item* refers, through *link*, to the person *wanted* describes."""
    if link.kinds and getattr(item, "kind", None) not in link.kinds:
        return False
    values = wanted.values(link.by)
    if not values:
        return False
    if link.place is not None and wanted.place not in {str(v) for v in walk(item, link.place)}:
        return False
    for value in walk(item, link.path):
        text = str(value)
        if link.part is not None:
            parts = text.split(":")
            if len(parts) <= link.part:
                continue
            text = parts[link.part]
        if text in values:
            return True
    return False


def _wanted(unit: StoredUnit, person: PersonRef) -> _Wanted:
    if person.kind == "account":
        account = unit.transaction.get(_record("accounts"), person.id)
        if account is None:
            return _Wanted(person, frozenset({person.id}))
        emails = {account.email} if account.email else set()
        return _Wanted(
            person,
            frozenset({person.id}),
            frozenset({str(account.login_name)}),
            frozenset(emails),
        )
    if person.kind == "candidate":
        candidate = unit.transaction.get(_record("candidates"), person.id)
        names = frozenset() if candidate is None else frozenset({candidate.login_name})
        return _Wanted(person, frozenset({person.id}), names)
    return _Wanted(person, frozenset({person.id}))


def _record(name: str) -> RecordType[Any, Any]:
    return _BY_NAME[name]


_BY_NAME: Final = {record.name: record for record in RECORDS}


def find_person(unit: StoredUnit, person: PersonRef) -> Mapping[str, Sequence[Any]]:
    """Return every stored record that refers to *person*, by record name, in listing order.

    A pupil's records include those of the candidates made from that pupil
    (:attr:`~examkit.scheduling.Candidate.pupil_key`). Record kinds the table
    marks :class:`NotListed` or :class:`RefersToNobody` are not read. The audit trail is
    read through the unit's audit store: under ``audit_events`` are its
    :class:`~examkit.audit.AuditEvent` s, in time order.
    Works on any backend's unit of work (a reading one is enough).
    """
    found = _find_one(unit, person)
    if person.kind == "pupil":
        for candidate in found.get("candidates", ()):
            more = _find_one(unit, PersonRef.candidate(candidate.id))
            for name, items in more.items():
                found[name] = _merge(_record(name), found.get(name, ()), items)
    return {name: tuple(items) for name, items in found.items() if items}


def _find_one(unit: StoredUnit, person: PersonRef) -> dict[str, Sequence[Any]]:
    wanted = _wanted(unit, person)
    found: dict[str, Sequence[Any]] = {}
    for record in RECORDS:
        links = PERSON_LINKS.get(record.name)
        if not isinstance(links, tuple):
            continue
        mine = tuple(link for link in links if link.kind == person.kind)
        if not mine:
            continue
        if record is AUDIT:
            items: Sequence[Any] = _audit(unit, mine, wanted)
        else:
            items = _records(unit, record, mine, wanted)
        if items:
            found[record.name] = items
    return found


def _records(
    unit: StoredUnit, record: RecordType[Any, Any], links: tuple[PersonLink, ...], wanted: _Wanted
) -> Sequence[Any]:
    tx = unit.transaction
    seen: dict[str, Any] = {}
    scanned = False
    for link in links:
        candidates: Iterable[Any]
        values = wanted.values(link.by)
        if link.key:
            candidates = [item for item in (tx.get(record, value) for value in values) if item]
        elif link.index is not None and link.place is not None and wanted.place is not None:
            candidates = _pages(unit, record, {link.index: wanted.place})
        elif link.index is not None:
            candidates = [
                item for value in values for item in _pages(unit, record, {link.index: value})
            ]
        elif scanned:
            continue
        else:
            scanned = True
            candidates = _pages(unit, record, {})
            for item in candidates:
                if any(refers(other, item, wanted) for other in links):
                    seen.setdefault(record.key_text(item), item)
            continue
        for item in candidates:
            if refers(link, item, wanted):
                seen.setdefault(record.key_text(item), item)
    return sorted(seen.values(), key=record.order_of)


def _pages(unit: StoredUnit, record: RecordType[Any, Any], where: dict[str, Any]) -> Iterator[Any]:
    after: str | None = None
    while True:
        page = unit.transaction.find(record, where=where, after=after, limit=PAGE)
        yield from page
        if len(page) < PAGE:
            return
        after = record.order_of(page[-1])


def _audit(unit: StoredUnit, links: tuple[PersonLink, ...], wanted: _Wanted) -> Sequence[Any]:
    """The audit trail's entries about or by the person, read through the audit store."""
    events: dict[tuple[Any, ...], AuditEvent] = {}
    queries: list[dict[str, str]] = []
    for link in links:
        field = "subject" if link.path.endswith("subject") else "actor"
        queries.extend({field: value} for value in sorted(wanted.values(link.by)))
    for query in queries:
        after: str | None = None
        while True:
            page = unit.audit.list(**query, after=after, limit=PAGE)  # type: ignore[arg-type]
            for event in page.items:
                events.setdefault(_event_key(event), event)
            if page.next_after is None:
                break
            after = page.next_after
    return sorted(events.values(), key=lambda event: event.at)


def _event_key(event: AuditEvent) -> tuple[Any, ...]:
    return (event.at, event.actor, event.action, event.subject, event.outcome, *event.details)


def _merge(record: RecordType[Any, Any], first: Iterable[Any], more: Iterable[Any]) -> list[Any]:
    if record is AUDIT:
        events = {_event_key(event): event for event in (*first, *more)}
        return sorted(events.values(), key=lambda event: event.at)
    merged = {record.key_text(item): item for item in (*first, *more)}
    return sorted(merged.values(), key=record.order_of)
