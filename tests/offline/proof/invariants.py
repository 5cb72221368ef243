"""The offline synchronisation's invariants, checked from the stores alone (SCH-7, SCH-8).

After healing (faults off) and a quiet sync, :func:`check_healed` reads the
central store and the offline server's store and holds them to what the
design promises, spelled out here on its own terms (never through the
code's tables of kinds or appliers):

- *nothing invented*: every room-owned value centrally (an attempt's fields
  and responses, a group's state, access code, log and report) is the one
  the offline server's up log sets, folded here by this module's own rule
  (per natural key, the entry with the highest revision; an answer's
  revision is its sequence); an attempt no entry touched is as planned;
- *central equals the offline server's log exactly*: the inbox's
  ``(seq, kind, key, digest)`` are the up stream's, number for number; the
  central attempts and groups of the server's groups equal the offline ones,
  field by field (all but the version and the last contact, which central
  only learns from saves and changes);
- *one row per natural key*: one applied-key row per attempt or group key
  the log names, at the highest revision, none for a key it does not name;
  one attempt per candidate of each group;
- *totals*: answers per attempt, late saves and incidents equal those
  recomputed from the log, and those the test itself counted (its
  :class:`Ledger`);
- *high-water marks*: every stream numbered 1..n without a gap, every mark
  at the end of its stream; :class:`MarkRecorder` records the marks over
  time and checks they never go back;
- *another sync changes nothing*: :func:`snapshot` dumps both stores raw
  (every table, every row), to compare before and after.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

import sqlalchemy

from examkit.converter import unstructure
from examkit.records import RECORDS, Backend, RecordsUnit, UnitOfWork

PAGE = 500
OPEN_STATES = frozenset({"planned", "released", "blocked"})
"""A group's states before closing: while in one, central keeps the group held."""
ROOM_GROUP_FIELDS = ("state", "access_code", "log", "report")
"""What the room owns of a group (the design's group entry)."""
NOT_IN_ATTEMPT_BODY = ("responses", "last_sequence", "version")
"""What an attempt entry's body leaves out (the design's attempt entry)."""
BOOKKEEPING = frozenset({"last_sync_at", "last_attempt_at", "clock_offset_ms", "backlog"})
"""What every sync may rewrite of a sync mark or a station state (not data)."""


class Broken(AssertionError):
    """The invariants that do not hold, one line each."""


@dataclass
class Ledger:
    """What the test itself did in the room, counted by the test (not read from a store)."""

    answered: dict[str, set[str]] = field(default_factory=dict)
    """Per attempt key (``<group>:<candidate>``): the items a save was stored for."""
    late_saves: dict[str, int] = field(default_factory=dict)
    """Per attempt key: saves refused after the deadline."""
    incidents: dict[str, int] = field(default_factory=dict)
    """Per group: incidents written in the session report."""

    def answer(self, group: str, candidate: str, item: str) -> None:
        """Count a stored save."""
        self.answered.setdefault(f"{group}:{candidate}", set()).add(item)

    def late(self, group: str, candidate: str) -> None:
        """Count a save refused after the deadline."""
        key = f"{group}:{candidate}"
        self.late_saves[key] = self.late_saves.get(key, 0) + 1

    def incident(self, group: str, count: int = 1) -> None:
        """Count *count* incidents written for *group*."""
        self.incidents[group] = self.incidents.get(group, 0) + count


# -- reading -----------------------------------------------------------------------------


def _record(name: str) -> Any:
    return next(record for record in RECORDS if record.name == name)


def stream(backend: Backend, name: str) -> list[Any]:
    """Return every entry of stream *name*, in order (paged by number)."""
    found: list[Any] = []
    with backend.begin(readonly=True) as uow:
        while True:
            after = found[-1].seq if found else 0
            page = uow.sync_queue.after(name, after, limit=PAGE)
            found.extend(page)
            if len(page) < PAGE:
                return found


def inbox(backend: Backend, server: str) -> list[Any]:
    """Return every inbox entry of *server*, in order."""
    found: list[Any] = []
    with backend.begin(readonly=True) as uow:
        while True:
            after = found[-1].seq if found else 0
            page = uow.sync_inbox.after(server, after, limit=PAGE)
            found.extend(page)
            if len(page) < PAGE:
                return found


def _unit(uow: UnitOfWork) -> RecordsUnit:
    return cast(RecordsUnit, uow)


def station_state(backend: Backend) -> Any:
    """Return the offline server's one station state (read raw: whatever its key)."""
    with backend.begin(readonly=True) as uow:
        states = _unit(uow).transaction.find(_record("offline_stations"), where={}, limit=None)
    if len(states) != 1:
        raise Broken(f"the offline store holds {len(states)} station states, not one")
    return states[0]


def sync_mark(backend: Backend, server: str) -> Any:
    """Return central's mark for *server* (a blank one when there is none)."""
    with backend.begin(readonly=True) as uow:
        found = uow.sync_marks.get_many([server])
    if server in found:
        return found[server]
    from examkit.offline import SyncMark

    return SyncMark(server=server)


def conflicts(backend: Backend, server: str) -> list[Any]:
    """Return the conflicts stored for *server*."""
    with backend.begin(readonly=True) as uow:
        return list(uow.sync_conflicts.for_server(server))


def _applied_keys(backend: Backend, server: str) -> list[Any]:
    with backend.begin(readonly=True) as uow:
        found = _unit(uow).transaction.find(
            _record("sync_applied_keys"), where={"server": server}, limit=None
        )
        return list(found)


def _groups_and_attempts(
    backend: Backend, groups: list[str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    with backend.begin(readonly=True) as uow:
        found = uow.session_groups.get_many(groups)
        attempts = {
            f"{attempt.group}:{attempt.candidate}": attempt
            for group in groups
            for attempt in uow.test_attempts.list_for_group(group)
        }
    return dict(found), attempts


# -- the fold: the log, read by this module's own rule ------------------------------------


def own_digest(kind: str, key: str, revision: int, body: Any) -> str:
    """Return an entry's digest as the design states it (SHA-256 of sorted, compact JSON)."""
    text = json.dumps(
        {"body": body, "key": key, "kind": kind, "revision": revision},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _moment(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _later(a: datetime | None, b: datetime | None) -> datetime | None:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


@dataclass
class Fold:
    """The up log folded by natural key: what central must hold."""

    attempts: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Attempt key -> the body of its highest revision."""
    answers: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    """Attempt key -> item -> the body of its highest sequence."""
    groups: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Group id -> the body of its highest revision."""
    revisions: dict[tuple[str, str], int] = field(default_factory=dict)
    """(kind, key) -> the highest revision in the log."""
    contact: dict[str, datetime | None] = field(default_factory=dict)
    """Attempt key -> the latest contact any entry of it carries."""


def fold(entries: list[Any], problems: list[str]) -> Fold:
    """Fold the up log *entries*; note in *problems* a revision that goes back for its key."""
    folded = Fold()
    for entry in entries:
        seen = folded.revisions.get((entry.kind, entry.key))
        if seen is not None and entry.revision <= seen:
            problems.append(
                f"up #{entry.seq}: {entry.kind} {entry.key} revision {entry.revision}"
                f" after revision {seen} (the sender's revisions must grow)"
            )
            continue
        folded.revisions[entry.kind, entry.key] = entry.revision
        if entry.kind == "attempt":
            folded.attempts[entry.key] = entry.body
            moment = _moment(entry.body.get("last_contact"))
            folded.contact[entry.key] = _later(folded.contact.get(entry.key), moment)
        elif entry.kind == "answer":
            group, candidate, item = entry.key.split(":")
            attempt = f"{group}:{candidate}"
            folded.answers.setdefault(attempt, {})[item] = entry.body
            moment = _moment(entry.body["saved_at"])
            folded.contact[attempt] = _later(folded.contact.get(attempt), moment)
        elif entry.kind == "group":
            folded.groups[entry.key] = entry.body
        else:
            problems.append(f"up #{entry.seq}: unknown kind {entry.kind!r}")
    return folded


# -- the checks --------------------------------------------------------------------------


def _contiguous(name: str, numbers: list[int], problems: list[str]) -> None:
    expected = list(range(1, len(numbers) + 1))
    if numbers != expected:
        gaps = sorted(set(expected) ^ set(numbers))[:5]
        problems.append(f"{name} is not numbered 1..{len(numbers)} (first differences {gaps})")


def _genuine(name: str, entries: list[Any], problems: list[str]) -> None:
    for entry in entries:
        if entry.digest != own_digest(entry.kind, entry.key, entry.revision, entry.body):
            problems.append(f"{name} #{entry.seq}: its digest does not match its content")


def _without(data: Mapping[str, Any], keys: tuple[str, ...] | frozenset[str]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in keys}


def _latest_down(entries: list[Any]) -> dict[tuple[str, str], Any]:
    latest: dict[tuple[str, str], Any] = {}
    for entry in entries:
        latest[entry.kind, entry.key] = entry
    return latest


def _differing(a: Mapping[str, Any], b: Mapping[str, Any]) -> list[str]:
    return sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))


@dataclass
class _Check:
    """One run of the checks over both stores; :attr:`problems` collects what fails."""

    central: Backend
    offline: Backend
    server: str
    ledger: Ledger | None
    problems: list[str] = field(default_factory=list)

    def fail(self, text: str) -> None:
        self.problems.append(text)

    def run(self, expected_conflicts: int) -> Fold:
        up = stream(self.offline, "up")
        down = stream(self.central, f"down:{self.server}")
        self.marks(up, down)
        self.inbox_is_the_stream(up)
        folded = fold(up, self.problems)
        latest = _latest_down(down)
        groups = sorted(key for kind, key in latest if kind == "session_groups")
        central_groups, central_attempts = _groups_and_attempts(self.central, groups)
        offline_groups, offline_attempts = _groups_and_attempts(self.offline, groups)
        for group in groups:
            self.group(group, folded, central_groups.get(group), offline_groups.get(group))
        for key, attempt in central_attempts.items():
            planned = latest.get(("test_attempts", key))
            body = None if planned is None else planned.body
            self.attempt(key, folded, attempt, offline_attempts.get(key), body)
        for key in sorted((set(folded.attempts) | set(folded.answers)) - set(central_attempts)):
            self.fail(f"attempt {key}: in the up log, not among the server's groups centrally")
        for group in sorted(set(folded.groups) - set(central_groups)):
            self.fail(f"group {group}: in the up log, not among the server's groups")
        self.down_copies(latest)
        self.packages(latest)
        self.one_row_per_key(folded)
        self.totals(folded, central_groups, central_attempts)
        self.conflicts(expected_conflicts)
        return folded

    def marks(self, up: list[Any], down: list[Any]) -> None:
        """Contiguous streams; every mark at the end of its stream; genuine digests."""
        received = inbox(self.central, self.server)
        _contiguous("the up stream", [e.seq for e in up], self.problems)
        _contiguous("the down stream", [e.seq for e in down], self.problems)
        _contiguous("the inbox", [e.seq for e in received], self.problems)
        station, mark = station_state(self.offline), sync_mark(self.central, self.server)
        marks = {
            "station.up_queued": (station.up_queued, len(up)),
            "station.up_acknowledged": (station.up_acknowledged, len(up)),
            "central up_high_water": (mark.up_high_water, len(up)),
            "central down_queued": (mark.down_queued, len(down)),
            "central down_acknowledged": (mark.down_acknowledged, len(down)),
            "station.down_high_water": (station.down_high_water, len(down)),
        }
        for name, (value, expected) in marks.items():
            if value != expected:
                self.fail(f"{name} is {value}, the stream's end is {expected}")
        _genuine("up", up, self.problems)
        _genuine("down", down, self.problems)

    def inbox_is_the_stream(self, up: list[Any]) -> None:
        """The inbox's (seq, kind, key, digest) are the up stream's, number for number."""
        sent = [(e.seq, e.kind, e.key, e.digest) for e in up]
        got = [(e.seq, e.kind, e.key, e.digest) for e in inbox(self.central, self.server)]
        if sent != got:
            n = next(
                n for n in range(len(sent) + len(got) + 1) if sent[n : n + 1] != got[n : n + 1]
            )
            self.fail(
                f"the inbox ({len(got)} entries) is not the up stream ({len(sent)}):"
                f" at #{n + 1} {sent[n : n + 1]} / {got[n : n + 1]}"
            )

    def group(self, group: str, folded: Fold, central: Any, offline: Any) -> None:
        """The room's fields of a group are the log's, and the offline server's."""
        if central is None:
            self.fail(f"group {group}: went down but is not stored centrally")
            return
        here = unstructure(central)
        body = folded.groups.get(group)
        if body is not None:
            diff = [name for name in ROOM_GROUP_FIELDS if here[name] != body.get(name)]
            if diff:
                self.fail(f"group {group}: central differs from its last up entry in {diff}")
        if offline is not None:
            there = unstructure(offline)
            diff = [name for name in ROOM_GROUP_FIELDS if here[name] != there[name]]
            if diff:
                self.fail(f"group {group}: central and the offline server differ in {diff}")
            if there["held_by"] is not None:
                self.fail(f"group {group}: held_by {there['held_by']!r} on the offline server")
        holder = self.server if here["state"] in OPEN_STATES else None
        if here["held_by"] != holder:
            self.fail(
                f"group {group}: held_by {here['held_by']!r} centrally in state"
                f" {here['state']}, expected {holder!r}"
            )

    def attempt(self, key: str, folded: Fold, central: Any, offline: Any, planned: Any) -> None:
        """An attempt centrally is its log's (or as planned), and the offline server's."""
        here = unstructure(central)
        body = folded.attempts.get(key)
        answers = folded.answers.get(key, {})
        if body is None and not answers:
            # No entry touched it: it is as planned (what went down), nothing invented.
            if planned is not None and _without(here, ("version",)) != _without(
                planned, ("version",)
            ):
                self.fail(f"attempt {key}: changed centrally though no up entry names it")
            return
        skip = (*NOT_IN_ATTEMPT_BODY, "last_contact")
        if body is not None and _without(here, skip) != _without(body, skip):
            diff = _differing(_without(here, skip), _without(body, skip))
            self.fail(f"attempt {key}: central differs from its last up entry in {diff}")
        if here["responses"] != answers:
            self.fail(
                f"attempt {key}: central responses {sorted(here['responses'])} are not the"
                f" log's answers {sorted(answers)} (or differ in value, sequence or time)"
            )
        highest = max((answer["sequence"] for answer in answers.values()), default=0)
        if here["last_sequence"] != highest:
            self.fail(f"attempt {key}: last_sequence {here['last_sequence']}, the log's {highest}")
        if _moment(here["last_contact"]) != folded.contact.get(key):
            self.fail(
                f"attempt {key}: last contact {here['last_contact']}, the log's latest"
                f" {folded.contact.get(key)}"
            )
        if offline is None:
            self.fail(f"attempt {key}: up entries name it but the offline store has none")
            return
        there = unstructure(offline)
        both = ("version", "last_contact")
        if _without(here, both) != _without(there, both):
            diff = _differing(_without(here, both), _without(there, both))
            self.fail(f"attempt {key}: central and the offline server differ in {diff}")
        mine, theirs = _moment(here["last_contact"]), _moment(there["last_contact"])
        if mine is not None and (theirs is None or mine > theirs):
            self.fail(f"attempt {key}: central's last contact is later than the room's")

    def down_copies(self, latest: dict[tuple[str, str], Any]) -> None:
        """The offline copies of central's master data are what went down last, per key."""
        with self.offline.begin(readonly=True) as uow:
            for (kind, key), entry in latest.items():
                if kind in {"session_groups", "test_attempts"}:
                    continue  # the room owns part of these: checked against the up log
                found: Mapping[str, Any] = _unit(uow).repository(_record(kind)).get_many([key])
                if entry.body is None:
                    if key in found:
                        self.fail(f"down {kind} {key}: removed centrally, kept offline")
                elif key not in found:
                    self.fail(f"down {kind} {key}: not on the offline server")
                else:
                    there = _without(unstructure(found[key]), ("version", "verified"))
                    sent = _without(entry.body, ("version", "verified"))
                    if there != sent:
                        diff = _differing(there, sent)
                        self.fail(
                            f"down {kind} {key}: the offline copy differs from central's in {diff}"
                        )

    def packages(self, latest: dict[tuple[str, str], Any]) -> None:
        """Every exam package that went down is verified offline, its chunks joined and
        hashed here the content its digest names."""
        digests = [key for kind, key in latest if kind == "exam_packages"]
        with self.offline.begin(readonly=True) as uow:
            for digest in digests:
                package = uow.exam_packages.get_many([digest]).get(digest)
                if package is None or not package.verified:
                    self.fail(f"package {digest[:12]}: not verified on the offline server")
                    continue
                chunks = uow.package_chunks.of_package(digest)
                content = b"".join(base64.b64decode(chunk.data) for chunk in chunks)
                if [chunk.index for chunk in chunks] != list(range(len(chunks))):
                    self.fail(f"package {digest[:12]}: chunks {[c.index for c in chunks]}")
                if hashlib.sha256(content).hexdigest() != digest or len(content) != package.size:
                    self.fail(f"package {digest[:12]}: verified, but its chunks are not it")

    def one_row_per_key(self, folded: Fold) -> None:
        """One applied-key row per attempt and group the log names, at its top revision."""
        rows = [
            row
            for row in _applied_keys(self.central, self.server)
            if row.kind in {"attempt", "group"}
        ]
        applied = {(row.kind, row.key): row.revision for row in rows}
        if len(applied) != len(rows):
            self.fail("central holds two applied-key rows for one natural key")
        wanted = {k: v for k, v in folded.revisions.items() if k[0] in {"attempt", "group"}}
        if applied != wanted:
            extra = sorted(set(applied) - set(wanted))[:3]
            missing = sorted(set(wanted) - set(applied))[:3]
            wrong = sorted(k for k in set(applied) & set(wanted) if applied[k] != wanted[k])
            self.fail(f"applied keys: invented {extra}, missing {missing}, wrong {wrong[:3]}")

    def totals(self, folded: Fold, groups: dict[str, Any], attempts: dict[str, Any]) -> None:
        """Answers, late saves and incidents: as the log has them and as the test counted."""
        ledger = self.ledger
        for key, attempt in attempts.items():
            answers = len(folded.answers.get(key, {}))
            if len(attempt.responses) != answers:
                self.fail(f"attempt {key}: {len(attempt.responses)} answers, the log's {answers}")
            body = folded.attempts.get(key)
            if body is not None and attempt.late_saves != body["late_saves"]:
                self.fail(f"attempt {key}: {attempt.late_saves} late saves, the log's {body}")
            if ledger is not None:
                counted = len(ledger.answered.get(key, set()))
                if len(attempt.responses) != counted:
                    self.fail(f"attempt {key}: {len(attempt.responses)} answers, test: {counted}")
                late = ledger.late_saves.get(key, 0)
                if attempt.late_saves != late:
                    self.fail(f"attempt {key}: {attempt.late_saves} late saves, test: {late}")
        for group, stored in groups.items():
            incidents = len(stored.report.incidents)
            body = folded.groups.get(group)
            logged = len(body["report"]["incidents"]) if body is not None else 0
            if incidents != logged:
                self.fail(f"group {group}: {incidents} incidents, the log's {logged}")
            if ledger is not None and incidents != ledger.incidents.get(group, 0):
                self.fail(f"group {group}: {incidents} incidents, test: {ledger.incidents}")

    def conflicts(self, expected: int) -> None:
        """The conflicts: as many as expected, on both sides."""
        for side, backend in (("central", self.central), ("offline", self.offline)):
            found = conflicts(backend, self.server)
            if len(found) != expected:
                reasons = sorted({c.reason for c in found})
                self.fail(f"{side}: {len(found)} conflicts {reasons}, expected {expected}")


def check_healed(
    central: Backend,
    offline: Backend,
    server: str,
    *,
    ledger: Ledger | None = None,
    expected_conflicts: int = 0,
) -> Fold:
    """Check every invariant of a healed synchronisation; return the fold of the up log.

    Raises:
        Broken: listing every invariant that does not hold.
    """
    check = _Check(central, offline, server, ledger)
    folded = check.run(expected_conflicts)
    if check.problems:
        raise Broken("\n".join(check.problems))
    return folded


def check_partial(central: Backend, offline: Backend, server: str) -> None:
    """Check what holds at any moment, faults or not: what central applied is a prefix of
    the up stream (no gap, nothing else), what the offline server applied a prefix of the
    down stream, and no mark beyond what exists.

    Raises:
        Broken: listing what does not hold.
    """
    problems: list[str] = []
    up = stream(offline, "up")
    down = stream(central, f"down:{server}")
    received = inbox(central, server)
    station, mark = station_state(offline), sync_mark(central, server)
    sent = [(e.seq, e.kind, e.key, e.digest) for e in up[: len(received)]]
    if sent != [(e.seq, e.kind, e.key, e.digest) for e in received]:
        problems.append("the inbox is not a prefix of the up stream")
    if mark.up_high_water != len(received):
        problems.append(f"up_high_water {mark.up_high_water} with {len(received)} in the inbox")
    if not station.up_acknowledged <= mark.up_high_water <= station.up_queued == len(up):
        problems.append(
            f"up marks out of order: acknowledged {station.up_acknowledged}, high water"
            f" {mark.up_high_water}, queued {station.up_queued}, stream {len(up)}"
        )
    if not mark.down_acknowledged <= station.down_high_water <= mark.down_queued == len(down):
        problems.append(
            f"down marks out of order: acknowledged {mark.down_acknowledged}, applied"
            f" {station.down_high_water}, queued {mark.down_queued}, stream {len(down)}"
        )
    _contiguous("the up stream", [e.seq for e in up], problems)
    _contiguous("the down stream", [e.seq for e in down], problems)
    if problems:
        raise Broken("\n".join(problems))


def forged_rows(dump: Mapping[str, list[Any]]) -> list[str]:
    """Return the tables of a :func:`snapshot` holding a body the fault transport forged."""
    return [name for name, rows in dump.items() if any("forged" in repr(row) for row in rows)]


# -- marks over time ---------------------------------------------------------------------


@dataclass
class MarkRecorder:
    """The high-water marks of both peers, recorded over time: they never go back."""

    central: Backend
    offline: Backend
    server: str
    seen: list[dict[str, int]] = field(default_factory=list)

    def record(self) -> dict[str, int]:
        """Read the marks now; raise :class:`Broken` when one went back or runs ahead."""
        station, mark = station_state(self.offline), sync_mark(self.central, self.server)
        now = {
            "up_queued": station.up_queued,
            "up_acknowledged": station.up_acknowledged,
            "up_high_water": mark.up_high_water,
            "down_queued": mark.down_queued,
            "down_acknowledged": mark.down_acknowledged,
            "down_high_water": station.down_high_water,
        }
        problems = []
        if self.seen:
            before = self.seen[-1]
            problems += [
                f"{name} went back from {before[name]} to {value}"
                for name, value in now.items()
                if value < before[name]
            ]
        ordered = [
            ("up_acknowledged", "up_high_water"),
            ("up_high_water", "up_queued"),
            ("down_acknowledged", "down_high_water"),
            ("down_high_water", "down_queued"),
        ]
        problems += [
            f"{low} {now[low]} is above {high} {now[high]}"
            for low, high in ordered
            if now[low] > now[high]
        ]
        received = [entry.seq for entry in inbox(self.central, self.server)]
        if received != list(range(1, now["up_high_water"] + 1)):
            problems.append(f"the inbox is not 1..{now['up_high_water']}: {received[:10]}...")
        self.seen.append(now)
        if problems:
            raise Broken("\n".join(problems))
        return now


# -- raw snapshots -----------------------------------------------------------------------


def snapshot(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Return every row of every table of the database at *url*, read raw, in order.

    A sync mark's and a station state's bookkeeping (last sync, clock
    offset, backlog) and their row versions are left out: every sync may
    rewrite them.
    """
    engine = sqlalchemy.create_engine(url)
    try:
        with engine.connect() as connection:
            names = sorted(sqlalchemy.inspect(connection).get_table_names())
            return {name: _rows(connection, name) for name in names if name != "alembic_version"}
    finally:
        engine.dispose()


def _rows(connection: sqlalchemy.Connection, name: str) -> list[tuple[Any, ...]]:
    # a table name the database itself listed
    result = connection.exec_driver_sql(f'SELECT * FROM "{name}"')  # noqa: S608
    columns = list(result.keys())
    rows = [dict(zip(columns, row, strict=True)) for row in result]
    if name in {"examkit_sync_marks", "examkit_offline_stations"}:
        return sorted((row["record_key"], _masked(row["data"])) for row in rows)
    return sorted((tuple(row.values()) for row in rows), key=repr)


def _masked(data: str) -> str:
    return json.dumps(_without(json.loads(data), BOOKKEEPING), sort_keys=True)


def differences(before: Mapping[str, list[Any]], after: Mapping[str, list[Any]]) -> Iterator[str]:
    """Yield the tables whose rows differ between two snapshots, with a count."""
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name, []), after.get(name, [])
        if old != new:
            changed = len(set(map(repr, old)) ^ set(map(repr, new)))
            yield f"{name}: {len(old)} rows before, {len(new)} after, {changed} differ"
