"""The retention jobs (PRIV-4) on memory, an SQLite file and PostgreSQL (and over HTTP).

Each case below seeds records whose retention term starts at :data:`START`
and says, by hand, how long that term is by default and how many records
the run must remove: written apart from ``RETENTION_TERMS`` and the jobs'
table. The clock is put one second before the term ends (nothing of the
case goes) and one second after (exactly the case's records go); a second
run removes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta

import attrs
import pytest

from examkit import Examkit, Settings
from examkit.applications import ApplicationStatus, Decision, example_application
from examkit.audit import AuditEvent
from examkit.errors import NotPermitted
from examkit.flemish import FlemishRegistration, PupilRegistration, RegistrationWindow
from examkit.identifiers import Instellingsnummer, SchoolYear
from examkit.imports import PendingImport
from examkit.notifications import QueuedMail
from examkit.offline import InboxEntry, QueuedEntry, SyncConflict, SyncMark, down_stream
from examkit.privacy import PrivacySettings, PurgeReport, RetentionPeriod, retention_period
from examkit.records import RECORDS, Backend, RecordsUnit, UnitOfWork
from examkit.scheduling import Attempt, GroupState, TransitionRecord
from examkit.storage import StoredToken
from examkit.testing import ManualClock, RecordingMailer, SequenceSecretSource
from examkit.testing.conformance import (
    make_browser,
    make_class_list,
    make_correction,
    make_pending,
    make_pupil,
    make_sheet,
    make_transaction,
    make_web_session,
    run_concurrently,
)
from examkit.testing.conformance._sessions import make_group
from examkit.testing.sessions import OPERATOR, add_operator

START = datetime.fromisoformat("2026-09-01T08:00:00+00:00")
"""When every seeded record's retention term starts (the conformance helpers' ``NOW``)."""

SECOND = timedelta(seconds=1)


def _sign_in(uow: UnitOfWork) -> None:
    uow.signins.add(make_transaction(minutes=0))
    uow.trusted_browsers.add(make_browser(hours=0))
    uow.web_sessions.add(make_web_session(after=-30, idle_minutes=30))
    uow.tokens.put(StoredToken("auth.reset", "d" * 64, "account:acc-1", START))
    uow.counters.record(
        "auth.sign_in",
        "someone",
        now=START - timedelta(minutes=15),
        window=timedelta(minutes=15),
        limit=5,
    )


def _federation(uow: UnitOfWork) -> None:
    uow.pending_federated_sign_ins.add(make_pending(minutes=0))


def _pending_import(uow: UnitOfWork) -> None:
    uow.pending_imports.add(
        PendingImport(
            id="imp-1",
            actor="acc-1",
            created_at=START - timedelta(hours=1),
            expires_at=START,
            file_hash="f" * 64,
            base="22AB00",
            classes=make_class_list(),
        )
    )


def _pupil(uow: UnitOfWork) -> None:
    uow.pupils.add(attrs.evolve(make_pupil("P0001"), archived_at=START))
    uow.pupils.add(make_pupil("P0002"))  # not archived: stays, however late


def _groups(uow: UnitOfWork) -> None:
    """A group corrected by correctors, closed at START, and one without correctors."""
    day_before = -24
    corrected = attrs.evolve(
        make_group("g-1", "c-1", "c-2", hours=day_before), needs_correction=True
    )
    closed = TransitionRecord(
        "close", GroupState.RELEASED, GroupState.CLOSED, "p", "proctor", START
    )
    plain = attrs.evolve(make_group("g-2", "c-3", hours=day_before), log=(closed,))
    uow.session_groups.add(corrected)
    uow.session_groups.add(plain)
    uow.correction_groups.add(attrs.evolve(make_correction("g-1"), closed_at=START))
    uow.correction_sheets.add(make_sheet("g-1", "c-1"))
    uow.correction_sheets.add(make_sheet("g-1", "c-2"))
    for group, candidate in (("g-1", "c-1"), ("g-1", "c-2"), ("g-2", "c-3")):
        uow.test_attempts.add(
            Attempt(group=group, candidate=candidate, exam="NE-GL-2026", login_name=candidate)
        )
    # a group whose correction is still open: its result is not set, nothing of it goes
    uow.session_groups.add(
        attrs.evolve(make_group("g-3", "c-4", hours=day_before), needs_correction=True)
    )
    uow.correction_groups.add(make_correction("g-3"))
    uow.test_attempts.add(
        Attempt(group="g-3", candidate="c-4", exam="NE-GL-2026", login_name="c-4")
    )


def _mail(uow: UnitOfWork) -> None:
    uow.outbox.add(
        QueuedMail(
            id="m-1",
            kind="auth.otp",
            to=("k@school.nl",),
            sealed="1:x",
            queued_at=START,
            next_attempt_at=START + timedelta(hours=1),
            attempts=3,
        )
    )


def _offline_sync(uow: UnitOfWork) -> None:
    stream = down_stream("srv-1")
    uow.sync_marks.add(SyncMark("srv-1", down_queued=2, down_acknowledged=1))
    for seq in (1, 2):  # the second is not acknowledged: it stays
        uow.sync_queue.add(QueuedEntry(stream, seq, "group", f"g-{seq}", 1, {}, "d" * 64, START))
    uow.sync_inbox.add(InboxEntry("srv-1", 1, "attempt", "g-1:c-1", "d" * 64, START))
    uow.sync_conflicts.add(
        SyncConflict(
            "x-1",
            "srv-1",
            "attempt",
            "g-1:c-1",
            1,
            "offline.conflict.digest",
            START - timedelta(days=1),
            resolved_at=START,
            resolved_by="p",
        )
    )
    uow.sync_conflicts.add(  # not resolved: stays
        SyncConflict("x-2", "srv-1", "attempt", "g-1:c-2", 2, "offline.conflict.digest", START)
    )


def _application(uow: UnitOfWork) -> None:
    """An application approved at START, one rejected at START, one still waiting."""
    waiting = example_application()
    approved = attrs.evolve(
        waiting,
        id="app-approved",
        status=ApplicationStatus.APPROVED,
        decision=Decision(START, "op-1", account="acc-1"),
    )
    rejected = attrs.evolve(
        waiting,
        id="app-rejected",
        status=ApplicationStatus.REJECTED,
        decision=Decision(START, "op-1", reason="geen school"),
    )
    for application in (waiting, approved, rejected):
        uow.applications.add(application)


FLEMISH_YEAR_ENDED = datetime.fromisoformat("2026-09-01T00:00:00+02:00")
"""When the Flemish school year 2025-2026 ended: it runs to 31 August (Brussels time)."""


def _registration(year: str) -> FlemishRegistration:
    first = int(year[:4])
    return FlemishRegistration(
        school=Instellingsnummer("45678"),
        school_year=SchoolYear(year),
        window=RegistrationWindow(date(first + 1, 1, 6), date(first + 1, 2, 28)),
        parents_deadline=date(first + 1, 2, 21),
        pupils=(PupilRegistration("L0001", "Lotte Peeters"),),
    )


def _flemish(uow: UnitOfWork) -> None:
    """The school's registration of 2025-2026 (ended) and of 2026-2027 (runs a year longer)."""
    uow.flemish_registrations.add(_registration("2025-2026"))
    uow.flemish_registrations.add(_registration("2026-2027"))


def _audit(uow: UnitOfWork) -> None:
    uow.audit.append(
        AuditEvent(at=START, actor="acc-1", action="auth.sign_in", subject="account:acc-1")
    )


def _left(uow: UnitOfWork) -> dict[str, int]:
    """Count what is stored of each kind the cases seed (the tokens and counters by the report)."""
    assert isinstance(uow, RecordsUnit)
    counts = {
        record.name: len(uow.transaction.find(record, where={}))
        for record in RECORDS
        if record.name in _SEEDED
    }
    return counts | {"audit": len([e for e in uow.audit.list(limit=1000).items if e.at == START])}


@attrs.frozen
class Case:
    """One retention term as this test knows it: its default period and what goes."""

    term: str
    period: RetentionPeriod
    seed: Callable[[UnitOfWork], None]
    removed: int
    """How many records the run after the term removes under this term."""
    gone: dict[str, int]
    """How many stored records of each kind the run after the term removes."""
    start: datetime = START
    """When the case's term starts."""


_SEEDED = {
    "signins",
    "trusted_browsers",
    "web_sessions",
    "pending_federated_sign_ins",
    "pending_imports",
    "pupils",
    "test_attempts",
    "correction_sheets",
    "correction_groups",
    "session_groups",
    "outbox",
    "sync_queue",
    "sync_inbox",
    "sync_conflicts",
    "applications",
    "flemish_registrations",
}

CASES = (
    Case(
        "sign_in",
        RetentionPeriod(days=30),
        _sign_in,
        5,
        {"signins": 1, "trusted_browsers": 1, "web_sessions": 1},
    ),
    Case("federation", RetentionPeriod(days=30), _federation, 1, {"pending_federated_sign_ins": 1}),
    Case("pending_import", RetentionPeriod(days=1), _pending_import, 1, {"pending_imports": 1}),
    Case("pupil", RetentionPeriod(years=1), _pupil, 1, {"pupils": 1}),
    Case(
        "exam_work",
        RetentionPeriod(months=6),
        _groups,
        5,
        {"test_attempts": 3, "correction_sheets": 2},
    ),
    Case(
        "results",
        RetentionPeriod(years=1),
        _groups,
        3,
        {"correction_groups": 1, "session_groups": 2},
    ),
    Case("mail", RetentionPeriod(days=30), _mail, 1, {"outbox": 1}),
    Case(
        "offline_sync",
        RetentionPeriod(days=30),
        _offline_sync,
        3,
        {"sync_queue": 1, "sync_inbox": 1, "sync_conflicts": 1},
    ),
    Case("application", RetentionPeriod(years=1), _application, 2, {"applications": 2}),
    Case(
        "flemish",
        RetentionPeriod(years=1),
        _flemish,
        1,
        {"flemish_registrations": 1},
        start=FLEMISH_YEAR_ENDED,
    ),
    Case("audit", RetentionPeriod(years=2), _audit, 1, {"audit": 1}),
)
"""Every term the jobs handle, by hand: its default period and what its run removes."""


def make_backend(kind: str, request: pytest.FixtureRequest) -> Backend:
    """Return an empty backend of *kind* (memory, sqlite, postgres)."""
    if kind == "memory":
        from examkit.backends.memory import MemoryBackend

        return MemoryBackend()
    from examkit.backends.sql import SQLBackend

    url = request.getfixturevalue("sqlite_url" if kind == "sqlite" else "postgres_url")
    return SQLBackend(url, migrate=False)


BACKENDS = ["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
SQL_BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    """An empty backend: memory, an SQLite file, PostgreSQL."""
    made = make_backend(request.param, request)
    try:
        yield made
    finally:
        made.close()


@pytest.fixture
def remote(sqlite_url: str) -> Iterator[Backend]:
    """The HTTP backend, its storage server in process on an SQLite file."""
    http = pytest.importorskip("examkit.backends.http", reason="the http extra is not installed")
    from examkit.backends.sql import SQLBackend

    token = "eks1.retention-token-not-a-secret"
    inner = SQLBackend(sqlite_url, migrate=False, records=http.SERVER_RECORDS)
    server = http.StorageServer(inner, [http.ServiceToken.of("portal", token, access="write")])
    transport = http.InProcessTransport(server)
    made = http.HttpBackend("http://storage.test", token=token, transport=transport)
    try:
        yield made
    finally:
        made.close()
        transport.close()
        server.close()
        inner.close()


def make_kit(backend: Backend, privacy: PrivacySettings | None = None) -> Examkit:
    """Return a kit on *backend* with the production audit log, its clock at :data:`START`."""
    return Examkit(
        backend=backend,
        mailer=RecordingMailer(),
        settings=Settings(
            token_key=b"k" * 32,
            base_url="https://portal.example.nl",
            privacy=privacy if privacy is not None else PrivacySettings(),
        ),
        clock=ManualClock(START),
        secrets=SequenceSecretSource(),
    )


def _purge_at(kit: Examkit, moment: datetime) -> PurgeReport:
    assert isinstance(kit.clock, ManualClock)
    kit.clock.set(moment)
    return kit.privacy_retention.purge()


def _stored(kit: Examkit) -> dict[str, int]:
    with kit.backend.begin(readonly=True) as uow:
        return _left(uow)


@pytest.mark.req("PRIV-4")
def test_the_cases_cover_every_term_the_jobs_handle_with_the_default_periods() -> None:
    """The hand-written cases name the jobs' terms, and the defaults are the periods here."""
    from examkit.privacy import PURGED_TERMS

    assert sorted({case.term for case in CASES}) == sorted(PURGED_TERMS)
    for case in CASES:
        assert retention_period(PrivacySettings(), case.term) == case.period, case.term


@pytest.mark.req("PRIV-4")
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.term)
def test_a_term_removes_its_records_one_second_after_it_ends_and_not_before(
    backend: Backend, case: Case
) -> None:
    """Nothing of the case goes a second before its term ends; exactly it goes a second after."""
    kit = make_kit(backend)
    with backend.begin() as uow:
        case.seed(uow)
        uow.commit()
    seeded = _stored(kit)
    ends = case.period.after(case.start)

    early = _purge_at(kit, ends - SECOND)
    assert early.removed[case.term] == 0
    before = _stored(kit)
    assert {kind: before[kind] for kind in case.gone} == {kind: seeded[kind] for kind in case.gone}

    late = _purge_at(kit, ends + SECOND)
    assert late.removed[case.term] == case.removed
    after = _stored(kit)
    assert {kind: before[kind] - after[kind] for kind in case.gone} == case.gone

    again = _purge_at(kit, ends + 2 * SECOND)
    assert again.total == 0
    assert _stored(kit) == after


@pytest.mark.req("PRIV-4")
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.term)
def test_the_jobs_run_on_the_http_backend(remote: Backend, case: Case) -> None:
    """Through a storage server the same records go at the same moment."""
    kit = make_kit(remote)
    with remote.begin() as uow:
        case.seed(uow)
        uow.commit()
    ends = case.period.after(case.start)
    assert _purge_at(kit, ends - SECOND).removed[case.term] == 0
    assert _purge_at(kit, ends + SECOND).removed[case.term] == case.removed
    assert _purge_at(kit, ends + 2 * SECOND).total == 0


@pytest.mark.req("PRIV-4")
def test_each_run_and_each_batch_is_audited(backend: Backend) -> None:
    """A run writes what it removed per term; a batch that removed something says so."""
    kit = make_kit(backend)
    with backend.begin() as uow:
        _pupil(uow)
        uow.commit()
    report = _purge_at(kit, START + timedelta(days=400))
    with backend.begin(readonly=True) as uow:
        events = uow.audit.list(since=START + timedelta(days=400)).items
    removed = [e for e in events if e.action == "privacy.retention.removed"]
    runs = [e for e in events if e.action == "privacy.retention.purged"]
    assert [(e.subject, dict(e.details)) for e in removed] == [
        ("retention:pupil", {"term": "pupil", "count": "1"})
    ]
    assert len(runs) == 1
    assert runs[0].actor is None
    assert runs[0].details["pupil"] == "1"
    assert runs[0].details["total"] == str(report.total) == "1"
    assert report.summary().startswith("removed 1 records past their retention term: ")


@pytest.mark.req("PRIV-4")
def test_a_portals_own_period_applies(backend: Backend) -> None:
    """A period the portal sets for a term replaces the default."""
    own = PrivacySettings(retention={"pupil": RetentionPeriod(days=10)})
    kit = make_kit(backend, own)
    with backend.begin() as uow:
        _pupil(uow)
        uow.commit()
    assert _purge_at(kit, START + timedelta(days=10) - SECOND).removed["pupil"] == 0
    assert _purge_at(kit, START + timedelta(days=10) + SECOND).removed["pupil"] == 1


@pytest.mark.req("PRIV-4")
def test_many_records_go_in_many_batches(backend: Backend) -> None:
    """More records than one batch holds go in several units of work, every one of them."""
    kit = make_kit(backend)
    with backend.begin() as uow:
        for n in range(450):
            uow.pupils.add(attrs.evolve(make_pupil(f"P{n:04d}"), archived_at=START))
            uow.audit.append(
                AuditEvent(at=START, actor=None, action="demo.noted", subject=f"demo:{n}")
            )
        uow.commit()
    report = _purge_at(kit, START + timedelta(days=800))
    assert report.removed["pupil"] == 450
    assert report.removed["audit"] == 450
    with backend.begin(readonly=True) as uow:
        events = uow.audit.list(limit=1000).items
    batches = [e for e in events if e.action == "privacy.retention.removed"]
    counts = [e.details["count"] for e in batches if e.details["term"] == "pupil"]
    assert counts == ["200", "200", "50"]


@pytest.mark.req("PRIV-4")
def test_an_account_needs_the_operators_permission(backend: Backend) -> None:
    """The operator may run the jobs; another account is refused and nothing goes."""
    kit = make_kit(backend)
    add_operator(kit)
    with backend.begin() as uow:
        _pupil(uow)
        uow.commit()
    assert isinstance(kit.clock, ManualClock)
    kit.clock.set(START + timedelta(days=400))
    with pytest.raises(NotPermitted):
        kit.privacy_retention.purge(actor="someone-else")
    assert _stored(kit)["pupils"] == 2
    report = kit.privacy_retention.purge(actor=OPERATOR)
    assert report.removed["pupil"] == 1
    with backend.begin(readonly=True) as uow:
        runs = [e for e in uow.audit.list(limit=1000).items if e.action.startswith("privacy.")]
    assert {e.actor for e in runs if e.outcome == "success"} == {OPERATOR}
    assert [e.outcome for e in runs if e.actor == "someone-else"] == ["denied"]


@pytest.mark.req("PRIV-4")
@pytest.mark.parametrize("kind", SQL_BACKENDS)
def test_two_runs_at_once_neither_fail_nor_count_twice(
    kind: str, request: pytest.FixtureRequest
) -> None:
    """Two runs on one database at once remove everything once between them."""
    first, second = make_backend(kind, request), make_backend(kind, request)
    try:
        kits = [make_kit(first), make_kit(second)]
        with first.begin() as uow:
            for n in range(450):
                uow.pupils.add(attrs.evolve(make_pupil(f"P{n:04d}"), archived_at=START))
            _groups(uow)
            _mail(uow)
            _application(uow)
            _flemish(uow)
            uow.commit()
        for kit in kits:
            assert isinstance(kit.clock, ManualClock)
            kit.clock.set(START + timedelta(days=800))
        results = run_concurrently(2, lambda n: kits[n].privacy_retention.purge())
        reports = [result for result in results if isinstance(result, PurgeReport)]
        assert len(reports) == 2, results
        assert sum(report.removed["pupil"] for report in reports) == 450
        assert sum(report.removed["exam_work"] for report in reports) == 5
        assert sum(report.removed["results"] for report in reports) == 3
        assert sum(report.removed["mail"] for report in reports) == 1
        assert sum(report.removed["application"] for report in reports) == 2
        assert sum(report.removed["flemish"] for report in reports) == 2  # both years ended
        left = _stored(kits[0])
        assert left["pupils"] == 0
        assert left["session_groups"] == 1  # the group whose correction is open
        assert left["applications"] == 1  # the one still waiting
        assert left["flemish_registrations"] == 0
    finally:
        first.close()
        second.close()
