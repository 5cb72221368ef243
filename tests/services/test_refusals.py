# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Every refusing use case answers at once under the production wiring (issue 18).

One table: each refusing use case of every package, the error code it must
raise and the audit action it must leave. Each runs on ``Examkit(...)`` with
its own audit log (the backend's store) on memory, an SQLite file and
PostgreSQL, with the backend's busy timeout at 10 s, while another unit of
work writes and a candidate saves an answer: the refusal raises its own
code (never ``storage.busy``) well before the timeout, the candidate's save
is not held up, and the refusal is audited exactly once with who, what,
why and when. No bound here comes near the timeout: a refusal that waited
on its own lock would take the whole 10 s.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta

import attrs
import pytest

from examkit import Examkit
from examkit.audit import AuditEvent, StoredAuditLog
from examkit.backends.memory import MemoryAuditStore, MemoryBackend, MemoryTransaction
from examkit.edexml import Gender, Group, PersonName, Pupil
from examkit.errors import AlreadyExists, ExamkitError, StorageError
from examkit.flemish import PupilRegistration, RegistrationWindow, TestMoment
from examkit.identifiers import Instellingsnummer, LocationCode, SchoolYear
from examkit.records import Backend
from examkit.scheduling import Mode
from examkit.testing import ManualClock, edexml_document, store_actor
from examkit.testing.correction import (
    DEFINITION,
    NTERM,
    corrected_group,
    make_correction_kit,
)
from examkit.testing.sessions import EXAM, L00, add_candidates, plan_group

BUSY_TIMEOUT = 10.0
"""The backends' busy timeout in these tests: a refusal that waited on itself takes all of it."""
PROMPT = 5.0
"""A generous bound, far below the timeout, for the refusal and the candidate's save."""
START = datetime.fromisoformat("2026-05-12T09:00:00+02:00")
SCHOOL = Instellingsnummer("012345")
OTHER_SCHOOL = Instellingsnummer("054321")
YEAR = SchoolYear("2025-2026")


@attrs.frozen
class World:
    """A production-wired kit with a running group (a candidate answering) and a corrected one."""

    kit: Examkit
    live: str
    """A released group; its first candidate is signed in and answering."""
    answering: str
    """The candidate answering in :attr:`live`."""
    waiting: str
    """A candidate of :attr:`live` who has not signed in."""
    waiting_login: str
    corrected: str
    """A group released for correction."""
    corrected_candidate: str
    key: str
    """The answering candidate's key from signing in (binds the saves to them)."""
    saves: list[int] = attrs.field(factory=list)

    def clock(self) -> ManualClock:
        assert isinstance(self.kit.clock, ManualClock)
        return self.kit.clock

    def save(self) -> None:
        """Save one more answer of the answering candidate."""
        sequence = len(self.saves) + 1
        self.saves.append(sequence)
        self.kit.sitting.save_response(
            self.live,
            self.answering,
            "q1",
            {"text": f"antwoord {sequence}"},
            sequence=sequence,
            key=self.key,
        )


def flemish(world: World, account: str, school: Instellingsnummer) -> str:
    """Store *account* as the test coordinator of *school* (once); return its id."""
    role = "vlaamse_toetsen.test_coordinator"
    with contextlib.suppress(AlreadyExists):
        store_actor(
            world.kit.backend,
            account,
            [(role, [school])],
            institutions=(),
            granted_at=START - timedelta(days=9),
        )
    return account


def cito_administrator(world: World, account: str, location: LocationCode = L00) -> str:
    """Store *account* as the administrator of *location* (once); return its id."""
    role = "cito_lvs.administrator"
    with contextlib.suppress(AlreadyExists):
        store_actor(
            world.kit.backend, account, [(role, [location])], granted_at=START - timedelta(days=9)
        )
    return account


# -- how each refusal is set up: each returns the refusing call ------------------------


def plan_by_proctor(world: World) -> Callable[[], object]:
    return lambda: world.kit.planning.plan(
        "proctor",
        location=L00,
        exam=EXAM.code,
        mode=Mode.ONLINE,
        starts_at=world.clock().now() + timedelta(days=1),
        room="Aula",
        proctor="proctor",
        candidates=[world.waiting],
    )


def plan_without_candidates(world: World) -> Callable[[], object]:
    return lambda: world.kit.planning.plan(
        "planner",
        location=L00,
        exam=EXAM.code,
        mode=Mode.ONLINE,
        starts_at=world.clock().now() + timedelta(days=1),
        room="Aula",
        proctor="proctor",
        candidates=[],
    )


def release_twice(world: World) -> Callable[[], object]:
    return lambda: world.kit.group_lifecycle.release("proctor", world.live)


def release_for_correction_while_running(world: World) -> Callable[[], object]:
    planner = "planner"
    return lambda: world.kit.group_lifecycle.transition(
        planner, world.live, "release_for_correction"
    )


def block_by_corrector(world: World) -> Callable[[], object]:
    return lambda: world.kit.group_lifecycle.block("corrector", world.live)


def add_candidate_by_proctor(world: World) -> Callable[[], object]:
    return lambda: world.kit.candidates.add_candidate(
        "proctor", location=L00, first_name="Kim", last_name="Bos"
    )


def import_bad_candidate_file(world: World) -> Callable[[], object]:
    planner = "planner"
    return lambda: world.kit.candidates.import_candidates(planner, L00, b"\x00 geen bestand")


def access_code_by_corrector(world: World) -> Callable[[], object]:
    return lambda: world.kit.group_lifecycle.access_code("corrector", world.live)


def resume_a_running_attempt(world: World) -> Callable[[], object]:
    proctor = "proctor"
    return lambda: world.kit.proctoring.intervene(proctor, world.live, world.answering, "resume")


def pause_by_planner(world: World) -> Callable[[], object]:
    planner = "planner"
    return lambda: world.kit.proctoring.intervene(planner, world.live, world.answering, "pause")


def reentry_before_signing_in(world: World) -> Callable[[], object]:
    proctor = "proctor"
    return lambda: world.kit.proctoring.allow_reentry(proctor, world.live, world.waiting)


def remark_before_closing(world: World) -> Callable[[], object]:
    planner = "planner"
    return lambda: world.kit.session_reports.add_remark(planner, world.live, "Rustig verlopen.")


def wrong_access_code(world: World) -> Callable[[], object]:
    return lambda: world.kit.sitting.sign_in(world.waiting_login, "ZZZZ-ZZZZ")


def same_corrector_twice(world: World) -> Callable[[], object]:
    planner = "planner"
    return lambda: world.kit.group_lifecycle.assign_correctors(
        planner, world.live, first="corrector", second="corrector"
    )


def correctors_too_late(world: World) -> Callable[[], object]:
    planner = "planner"
    return lambda: world.kit.group_lifecycle.assign_correctors(
        planner, world.corrected, first="corrector", second="corrector2"
    )


def deactivate_a_registered_server(world: World) -> Callable[[], object]:
    fao = "fao"
    server = world.kit.offline_servers.add_server(
        fao, location=L00, name="FAO lokaal 12", address="192.168.1.20"
    )
    return lambda: world.kit.offline_servers.server_transition(fao, server.id, "deactivate")


def score_by_another_corrector(world: World) -> Callable[[], object]:
    third = "corrector3"
    return lambda: world.kit.correction_work.score(
        third, world.corrected, world.corrected_candidate, {"o1": 1}
    )


def close_correction_with_open_items(world: World) -> Callable[[], object]:
    first = "corrector"
    return lambda: world.kit.correction_work.close(first, world.corrected)


def results_before_closing(world: World) -> Callable[[], object]:
    planner = "planner"
    return lambda: world.kit.results.results(planner, world.corrected, DEFINITION, NTERM)


def open_registration(world: World) -> str:
    now = world.clock().now().date()
    return world.kit.flemish.open_registration(
        flemish(world, "coord", SCHOOL),
        school=SCHOOL,
        school_year=YEAR,
        window=RegistrationWindow(now - timedelta(days=7), now + timedelta(days=30)),
        parents_deadline=now + timedelta(days=20),
        moments=[TestMoment("NED-2026", "nederlands", now + timedelta(days=60))],
    ).id


def flemish_group_by_another_school(world: World) -> Callable[[], object]:
    registration = open_registration(world)
    stranger = flemish(world, "coord2", OTHER_SCHOOL)
    return lambda: world.kit.flemish.add_group(stranger, registration, "6A")


def flemish_group_after_validation(world: World) -> Callable[[], object]:
    coordinator = flemish(world, "coord", SCHOOL)
    registration = open_registration(world)
    world.kit.flemish.add_group(coordinator, registration, "6A")
    world.kit.flemish.set_pupil(
        coordinator, registration, PupilRegistration("p1", "Lotte Peeters", group="6A")
    )
    world.kit.flemish.validate(coordinator, registration)
    return lambda: world.kit.flemish.add_group(coordinator, registration, "6B")


def grant_by_planner(world: World) -> Callable[[], object]:
    return lambda: world.kit.grants.grant_role("planner", "proctor", "facet.proctor", at=[L00])


def add_user_by_proctor(world: World) -> Callable[[], object]:
    return lambda: world.kit.users.add_user(
        "proctor",
        application="facet",
        at=L00,
        login_name="22AB.N.Nieuw",
        first_name="Nina",
        last_name="Nieuw",
        email="nina@school.nl",
    )


def require_planning_of_proctor(world: World) -> Callable[[], object]:
    return lambda: world.kit.permissions.require("proctor", "facet.sessions.plan", L00)


def reject_by_planner(world: World) -> Callable[[], object]:
    return lambda: world.kit.applications.reject("planner", "app-1", reason="Onbekende school")


def queue_by_planner(world: World) -> Callable[[], object]:
    return lambda: world.kit.applications.queue("planner")


def edexml(location: LocationCode = L00) -> bytes:
    return edexml_document(
        school_year=SchoolYear("2026-2027"),
        brin=location.brin,
        dependancecode=str(location)[4:],
        groups=[Group("g1", "1A", "1")],
        pupils=[
            Pupil(
                "p1",
                PersonName("Jansen", called_name="Kees"),
                birth_date=date(2013, 5, 1),
                gender=Gender.MALE,
                year_group="1",
                group="g1",
            )
        ],
    )


def import_by_planner(world: World) -> Callable[[], object]:
    planner = "planner"
    return lambda: world.kit.edexml_imports.preview(planner, edexml())


def import_for_another_location(world: World) -> Callable[[], object]:
    elsewhere = cito_administrator(world, "beheerder3", LocationCode("22AB01"))
    return lambda: world.kit.edexml_imports.preview(elsewhere, edexml())


def remove_a_year_by_planner(world: World) -> Callable[[], object]:
    planner = "planner"
    return lambda: world.kit.edexml_imports.remove_year(planner, L00, YEAR)


def cancel_another_administrators_import(world: World) -> Callable[[], object]:
    preview = world.kit.edexml_imports.preview(cito_administrator(world, "beheerder1"), edexml())
    return lambda: world.kit.edexml_imports.cancel(
        cito_administrator(world, "beheerder2"), preview.id
    )


def sign_in_unknown_login(world: World) -> Callable[[], object]:
    return lambda: world.kit.staff_sign_in.submit_credentials(
        "22AB.Onbekend", "Zomer2026!x", ip="192.0.2.10"
    )


@attrs.frozen
class Refusal:
    """One refusing use case: what it raises and how it is audited."""

    req: str
    """The requirement of the use case."""
    prepare: Callable[[World], Callable[[], object]]
    """Sets the case up; returns the refusing call."""
    code: str
    """The error code the call raises."""
    action: str
    """The audit event's action."""
    actor: str | None
    """Who the audit event names."""
    outcome: str = "denied"


REFUSALS: dict[str, Refusal] = {
    # sessions: planning and the group's life (SCH-1, SCH-3, SCH-5, SCH-6)
    "plan without the planner role": Refusal(
        "SCH-1", plan_by_proctor, "permission.denied", "sessions.group.plan", "proctor"
    ),
    "plan with no candidates": Refusal(
        "SCH-1",
        plan_without_candidates,
        "sessions.group.no_candidates",
        "sessions.group.plan",
        "planner",
        outcome="failure",
    ),
    "add a candidate without the planner role": Refusal(
        "SCH-1",
        add_candidate_by_proctor,
        "permission.denied",
        "sessions.candidate",
        "proctor",
    ),
    "read in a candidate file with problems": Refusal(
        "SCH-1",
        import_bad_candidate_file,
        "input.problems",
        "sessions.candidates.import",
        "planner",
        outcome="failure",
    ),
    "release a released group": Refusal(
        "SCH-3",
        release_twice,
        "sessions.transition.not_allowed",
        "sessions.group.release",
        "proctor",
        outcome="failure",
    ),
    "release for correction while running": Refusal(
        "SCH-3",
        release_for_correction_while_running,
        "sessions.transition.not_allowed",
        "sessions.group.release_for_correction",
        "planner",
        outcome="failure",
    ),
    "block without the proctor role": Refusal(
        "SCH-3", block_by_corrector, "permission.denied", "sessions.group.block", "corrector"
    ),
    "access code without the proctor role": Refusal(
        "SCH-6", access_code_by_corrector, "permission.denied", "sessions.access_code", "corrector"
    ),
    "sign in with a wrong access code": Refusal(
        "SCH-6", wrong_access_code, "sessions.sign_in.invalid", "sessions.sign_in", None
    ),
    "remark before closing": Refusal(
        "SCH-5",
        remark_before_closing,
        "sessions.report.not_closed",
        "sessions.report.remark",
        "planner",
        outcome="failure",
    ),
    # sessions: the proctor's interventions (SCH-4)
    "resume a running attempt": Refusal(
        "SCH-4",
        resume_a_running_attempt,
        "sessions.attempt.not_allowed",
        "sessions.attempt.resume",
        "proctor",
        outcome="failure",
    ),
    "pause without the proctor role": Refusal(
        "SCH-4", pause_by_planner, "permission.denied", "sessions.attempt.pause", "planner"
    ),
    "allow re-entry before signing in": Refusal(
        "SCH-4",
        reentry_before_signing_in,
        "sessions.attempt.not_running",
        "sessions.attempt.allow_reentry",
        "proctor",
        outcome="failure",
    ),
    # sessions: correctors (SCO-3) and offline servers (SCH-8)
    "the same corrector twice": Refusal(
        "SCO-3",
        same_corrector_twice,
        "sessions.group.same_corrector",
        "sessions.group.correctors",
        "planner",
        outcome="failure",
    ),
    "correctors after release for correction": Refusal(
        "SCO-3",
        correctors_too_late,
        "sessions.group.correctors_late",
        "sessions.group.correctors",
        "planner",
        outcome="failure",
    ),
    "deactivate a registered server": Refusal(
        "SCH-8",
        deactivate_a_registered_server,
        "sessions.transition.not_allowed",
        "sessions.server.deactivate",
        "fao",
        outcome="failure",
    ),
    # Flemish tests (SCH-9)
    "a Flemish group by another school": Refusal(
        "SCH-9",
        flemish_group_by_another_school,
        "permission.denied",
        "sessions.flemish.group",
        "coord2",
    ),
    "a Flemish group after validation": Refusal(
        "SCH-9",
        flemish_group_after_validation,
        "sessions.flemish.locked",
        "sessions.flemish.group",
        "coord",
        outcome="failure",
    ),
    # correction (SCO-3, SCO-4)
    "score by a corrector of another group": Refusal(
        "SCO-3",
        score_by_another_corrector,
        "permission.denied",
        "correction.score",
        "corrector3",
    ),
    "close correction with open items": Refusal(
        "SCO-3",
        close_correction_with_open_items,
        "correction.close.unresolved",
        "correction.close",
        "corrector",
    ),
    "results before correction closes": Refusal(
        "SCO-4",
        results_before_closing,
        "correction.group.open",
        "correction.results",
        "planner",
    ),
    # roles (ROLE-2, ROLE-5)
    "grant a role without administering": Refusal(
        "ROLE-2", grant_by_planner, "permission.denied", "roles.role.granted", "planner"
    ),
    "add a user without administering": Refusal(
        "ROLE-2", add_user_by_proctor, "permission.denied", "roles.user.added", "proctor"
    ),
    "a decision the matrix refuses": Refusal(
        "ROLE-5",
        require_planning_of_proctor,
        "permission.denied",
        "facet.sessions.plan",
        "proctor",
    ),
    # account applications (ACC-6, ACC-7)
    "the queue without handling applications": Refusal(
        "ACC-6", queue_by_planner, "permission.denied", "applications.queue.read", "planner"
    ),
    "reject without handling applications": Refusal(
        "ACC-7", reject_by_planner, "permission.denied", "applications.rejected", "planner"
    ),
    # EDEXML imports (EDX-2, EDX-6)
    "import without importing anywhere": Refusal(
        "EDX-2",
        import_by_planner,
        "imports.actor.no_location",
        "imports.preview",
        "planner",
    ),
    "import without administering the file's location": Refusal(
        "EDX-2",
        import_for_another_location,
        "imports.location.not_administered",
        "imports.preview",
        "beheerder3",
    ),
    "remove a school year without administering the location": Refusal(
        "EDX-6",
        remove_a_year_by_planner,
        "imports.location.not_administered",
        "imports.remove_year",
        "planner",
    ),
    "cancel another administrator's import": Refusal(
        "EDX-6",
        cancel_another_administrators_import,
        "imports.pending.other_actor",
        "imports.cancel",
        "beheerder2",
    ),
    # signing in (AUTH-5)
    "sign in with an unknown login name": Refusal(
        "AUTH-5",
        sign_in_unknown_login,
        "auth.credentials.invalid",
        "auth.sign_in",
        "22ab.onbekend",
        outcome="failure",
    ),
}
"""Every refusing use case -> its code and audit action (institutions refuse nothing)."""


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    """Each backend, with a busy timeout of 10 s."""
    if request.param == "memory":
        yield MemoryBackend(busy_timeout=BUSY_TIMEOUT)
        return
    from examkit.backends.sql import SQLBackend

    fixture = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    opened = SQLBackend(request.getfixturevalue(fixture), busy_timeout=BUSY_TIMEOUT, migrate=False)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def world(backend: Backend) -> World:
    """The production wiring (the kit's own audit log) with a group running and one corrected."""
    return make_world(backend)


def make_world(backend: Backend) -> World:
    """Return a :class:`World` on *backend*."""
    kit = make_correction_kit(ManualClock(START), backend=backend)
    assert isinstance(kit.audit, StoredAuditLog)
    corrected, people = corrected_group(kit, 2, second=False)
    clock = kit.clock
    assert isinstance(clock, ManualClock)
    candidates = add_candidates(kit, 2)
    live = plan_group(kit, candidates, starts_at=clock.now())
    proctor = "proctor"
    kit.group_lifecycle.release(proctor, live)
    session = kit.sitting.sign_in(
        candidates[0].login_name, kit.group_lifecycle.access_code(proctor, live)
    )
    return World(
        kit=kit,
        live=live,
        answering=candidates[0].id,
        waiting=candidates[1].id,
        waiting_login=candidates[1].login_name,
        corrected=corrected,
        corrected_candidate=people[0].id,
        key=session.key,
    )


def stored_trail(kit: Examkit) -> list[AuditEvent]:
    """Every event the backend's audit store holds, oldest first."""
    events: list[AuditEvent] = []
    after: str | None = None
    with kit.backend.begin(readonly=True) as uow:
        while True:
            page = uow.audit.list(after=after, limit=100)
            events.extend(page.items)
            if page.next_after is None:
                return events
            after = page.next_after


@attrs.define
class Timed:
    """How long a call took and what it raised."""

    seconds: float = 0.0
    error: BaseException | None = None
    done: threading.Event = attrs.field(factory=threading.Event)

    def run(self, call: Callable[[], object]) -> None:
        start = time.monotonic()
        try:
            call()
        except BaseException as error:
            self.error = error
        finally:
            self.seconds = time.monotonic() - start
            self.done.set()


def refuse_while_others_write(world: World, call: Callable[[], object]) -> tuple[Timed, Timed]:
    """Make *call* while another unit of work writes and the candidate saves an answer."""
    backend = world.kit.backend
    holding = threading.Event()

    def write() -> None:
        with backend.begin() as uow:
            uow.counters.record(
                "tests.writer", "w", now=START, window=timedelta(minutes=1), limit=100
            )
            holding.set()
            time.sleep(0.05)  # long enough to be held while the refusal starts
            uow.commit()

    writer = threading.Thread(target=write)
    writer.start()
    assert holding.wait(PROMPT)
    save = Timed()
    candidate = threading.Thread(target=save.run, args=(world.save,))
    candidate.start()
    refusal = Timed()
    refusal.run(call)
    candidate.join(BUSY_TIMEOUT * 2)
    writer.join(BUSY_TIMEOUT * 2)
    return refusal, save


@pytest.mark.parametrize(
    "name", [pytest.param(name, marks=pytest.mark.req(case.req)) for name, case in REFUSALS.items()]
)
def test_a_refusal_answers_at_once_and_is_audited_once(world: World, name: str) -> None:
    """The call raises its own code long before the busy timeout; saves go on; one audit event."""
    case = REFUSALS[name]
    call = case.prepare(world)
    before = len(stored_trail(world.kit))
    refusal, save = refuse_while_others_write(world, call)

    assert isinstance(refusal.error, ExamkitError), refusal.error
    assert case.code == refusal.error.code
    assert refusal.seconds < PROMPT
    assert save.done.is_set()
    assert save.error is None
    assert save.seconds < PROMPT
    assert world.saves == [1]
    assert 1 == world.kit.sitting.attempt(world.live, world.answering).last_sequence

    new = [e for e in stored_trail(world.kit)[before:] if e.action == case.action]
    assert 1 == len(new), new
    (event,) = new
    assert (case.actor, case.outcome, case.code) == (
        event.actor,
        event.outcome,
        event.details.get("reason"),
    )
    assert world.clock().now() == event.at


class FailingAuditStore(MemoryAuditStore):
    """An audit store that fails while :attr:`failing` is set."""

    failing = False

    def append(self, event: AuditEvent) -> None:
        if FailingAuditStore.failing:
            raise StorageError("storage.failed")
        super().append(event)


class FailingAuditTransaction(MemoryTransaction):
    audit_class = FailingAuditStore


class FailingAuditBackend(MemoryBackend):
    """The memory backend whose audit store fails on demand."""

    transaction_class = FailingAuditTransaction


@pytest.fixture
def failing_audit() -> Iterator[None]:
    yield
    FailingAuditStore.failing = False


@pytest.mark.usefixtures("failing_audit")
@pytest.mark.parametrize(
    "name", [pytest.param(name, marks=pytest.mark.req(case.req)) for name, case in REFUSALS.items()]
)
def test_an_audit_log_that_fails_never_hides_the_refusal(name: str) -> None:
    """With the audit store failing, each refusal still raises its own code, noting the failure."""
    case = REFUSALS[name]
    call = case.prepare(make_world(FailingAuditBackend(busy_timeout=BUSY_TIMEOUT)))
    FailingAuditStore.failing = True
    with pytest.raises(ExamkitError) as raised:
        call()
    assert case.code == raised.value.code
    assert any("was not recorded (storage.failed)" in note for note in raised.value.__notes__)
