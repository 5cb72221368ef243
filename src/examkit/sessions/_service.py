"""Use cases of test sessions: plan, release, block, close, sign in, answer, monitor, report.

Every use case that changes something takes the acting
:class:`~examkit.roles.Actor` (loaded once per request, ``kit.roles.actor``)
and checks it with the permission matrix. A refused request (no grant:
:class:`~examkit.errors.NotPermitted`; a move the state does not allow:
:class:`~examkit.sessions.TransitionNotAllowed`; a failed guard:
:class:`~examkit.errors.InvalidState`) changes nothing and is audited as
``denied``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final, NoReturn

import attrs

from examkit.audit import AuditEvent, AuditOutcome, record_refusal
from examkit.errors import (
    ConcurrentModification,
    ExamkitError,
    ExamkitErrorGroup,
    InvalidInput,
    InvalidState,
    LimitReached,
    NotFound,
    NotPermitted,
)
from examkit.identifiers import LocationCode, SchoolYear
from examkit.ports import AuditLog, Clock, SecretSource
from examkit.roles import Actor, load_actor
from examkit.sessions._candidate_file import read_candidate_file
from examkit.sessions._codes import (
    candidate_key,
    new_access_code,
    new_login_name,
    normalise_access_code,
    same_key,
)
from examkit.sessions._group_file import GroupRow, read_group_file
from examkit.sessions._lifecycle import (
    AttemptState,
    GroupState,
    GroupTransition,
    Guard,
    TransitionNotAllowed,
    group_transition,
    next_attempt_state,
)
from examkit.sessions._model import (
    AMSTERDAM,
    MAX_CENTRAL_EXTRA_TIME,
    Attempt,
    AttemptEvent,
    Candidate,
    CandidateSession,
    Exam,
    Facilities,
    Incident,
    Mode,
    Remark,
    ResponseReceipt,
    SavedResponse,
    TestSessionGroup,
    TransitionRecord,
    attempt_id,
    deadline_of,
    is_login_name,
)
from examkit.sessions._offline import OfflineServer, next_server_state, server_action
from examkit.sessions._paper import AnswerSheetOrder, order_answer_sheets
from examkit.sessions._pupils import candidate_fields, chosen_pupils, class_counts, current_pupils
from examkit.sessions._views import (
    AccessSlip,
    GroupImport,
    GroupImportLine,
    Monitor,
    MonitorGroup,
    SessionReportData,
    monitor_group,
    session_report_data,
)
from examkit.storage import MAX_PAGE_SIZE, check_sequence, json_value, storable_key

if TYPE_CHECKING:
    from examkit.records import Backend, UnitOfWork

SIGN_IN: Final = "sessions.sign_in"
"""The attempt counter's purpose for a candidate's wrong sign-ins (keyed by login name).

A login name that cannot be one (not 4-20 of A-Z and 0-9 once upper-cased)
is counted under its digest (:func:`~examkit.storage.storable_key`)."""


@attrs.frozen
class SignInLimits:
    """How many wrong sign-ins one candidate may make in a window.

    Wrong codes count per login name only: guessing under one name never
    locks out another candidate or the group (a school room shares one
    address, and classmates know each other's login names).

    Implements AUTH-12 and SCH-6.
    """

    per_candidate: int = 5
    """Wrong access codes per login name in the window."""
    window: timedelta = timedelta(minutes=15)
    """The sliding window."""


class SessionService:
    """Plan and run test sessions (*afnames*); reached through :attr:`examkit.Examkit.sessions`.

    Args:
        backend: Where tests, candidates, groups and attempts are kept.
        clock: The time source.
        secrets: The randomness source (ids, login names, access codes).
        audit: The audit log.
        limits: The sign-in limits.
        token_key: The key of the candidates' keys (:class:`CandidateSession`); the
            portal's token key (``Settings.token_key``), so keys hold across processes.
            By default a key drawn from *secrets*, valid for this service only.

    Implements SCH-1 to SCH-7, AUTH-12.
    """

    def __init__(
        self,
        *,
        backend: Backend,
        clock: Clock,
        secrets: SecretSource,
        audit: AuditLog,
        limits: SignInLimits | None = None,
        token_key: bytes | None = None,
    ) -> None:
        self._backend = backend
        self._clock = clock
        self._secrets = secrets
        self._audit = audit
        self._limits = limits if limits is not None else SignInLimits()
        self._token_key = token_key if token_key is not None else secrets.token_bytes(32)
        self._items: dict[str, frozenset[str]] = {}
        self._exams: dict[str, str] = {}

    def _items_of(self, uow: UnitOfWork, exam: str) -> frozenset[str]:
        """Return the item ids of test *exam* (kept once read: a stored test never changes)."""
        found = self._items.get(exam)
        if found is None:
            found = frozenset(slot.id for slot in uow.exams.get(exam).items)
            if len(self._items) < 1024:
                self._items[exam] = found
        return found

    def _exam_of(self, uow: UnitOfWork, group_id: str) -> str:
        """Return the test of group *group_id* (kept once read: a group's test never changes)."""
        found = self._exams.get(group_id)
        if found is None:
            found = uow.session_groups.get(group_id).exam
            if len(self._exams) >= 4096:
                self._exams.clear()
            self._exams[group_id] = found
        return found

    # -- audit and permission -------------------------------------------------

    def _record(
        self,
        actor: str | None,
        action: str,
        subject: str,
        outcome: AuditOutcome = "success",
        details: dict[str, str] | None = None,
    ) -> None:
        self._audit.record(
            AuditEvent(
                at=self._clock.now(),
                actor=actor,
                action=action,
                subject=subject,
                outcome=outcome,
                details=details or {},
            )
        )

    def _require(self, actor: Actor, action: str, on: Any, subject: str, what: str) -> None:
        if not actor.may(action, on):
            self._refuse(actor.account, what, subject, NotPermitted("permission.denied"))

    def _refuse(
        self,
        actor: str | None,
        what: str,
        subject: str,
        error: ExamkitError,
        details: dict[str, str] | None = None,
    ) -> NoReturn:
        event = AuditEvent(
            at=self._clock.now(), actor=actor, action=what, subject=subject, details=details or {}
        )
        record_refusal(self._audit, error, event)
        raise error

    # -- tests and candidates -------------------------------------------------

    def register_exam(self, exam: Exam, *, by: str | None = None) -> Exam:
        """Store a test definition (as the exam board's supplier does).

        Raises:
            AlreadyExists: a test with its code exists.
        """
        with self._backend.begin() as uow:
            stored = uow.exams.add(exam)
            uow.commit()
        self._record(by, "sessions.exam.registered", f"exam:{exam.code}")
        return stored

    def exam(self, code: str) -> Exam:
        """Return the test *code*.

        Raises:
            NotFound: there is none.
        """
        with self._backend.begin(readonly=True) as uow:
            return uow.exams.get(code)

    def add_candidate(
        self,
        actor: Actor,
        *,
        location: LocationCode,
        first_name: str,
        last_name: str,
        number: str = "",
        class_key: str = "",
        pupil_key: str = "",
        facilities: Facilities | None = None,
    ) -> Candidate:
        """Add a candidate at *location*; examkit gives them a login name.

        Raises:
            NotPermitted: *actor* may not read in candidates at *location*.
            InvalidInput: a field is unusable.

        Implements SCH-1.
        """
        self._require(
            actor, "facet.candidates.import", location, f"location:{location}", "sessions.candidate"
        )
        with self._backend.begin() as uow:
            candidate = self._new_candidate(
                uow,
                location=location,
                first_name=first_name,
                last_name=last_name,
                number=number,
                class_key=class_key,
                pupil_key=pupil_key,
                facilities=facilities or Facilities(),
            )
            stored = uow.candidates.add(candidate)
            uow.commit()
        self._record(actor.account, "sessions.candidate.added", f"candidate:{stored.id}")
        return stored

    def _new_candidate(self, uow: UnitOfWork, **fields: Any) -> Candidate:
        for _ in range(10):
            login_name = new_login_name(self._secrets)
            try:
                uow.candidates.get_by_login_name(login_name)
            except NotFound:
                return Candidate(
                    id="c-" + self._secrets.token_urlsafe(9), login_name=login_name, **fields
                )
        raise InvalidState("sessions.login_name.exhausted")  # pragma: no cover - 25^8 names

    def add_candidates(
        self, actor: Actor, candidates: Sequence[Candidate]
    ) -> tuple[Candidate, ...]:
        """Store read candidates, all or nothing, giving each a login name and an id.

        The candidates' own ``id`` and ``login_name`` are replaced.

        Raises:
            NotPermitted: *actor* may not read in candidates at one of their locations.

        Implements SCH-1.
        """
        for location in sorted({c.location for c in candidates}, key=str):
            self._require(
                actor,
                "facet.candidates.import",
                location,
                f"location:{location}",
                "sessions.candidate",
            )
        made: list[Candidate] = []
        with self._backend.begin() as uow:
            taken: set[str] = set()
            for candidate in candidates:
                fresh = self._new_candidate(
                    uow,
                    location=candidate.location,
                    first_name=candidate.first_name,
                    last_name=candidate.last_name,
                    number=candidate.number,
                    class_key=candidate.class_key,
                    pupil_key=candidate.pupil_key,
                    facilities=candidate.facilities,
                )
                while fresh.login_name in taken:  # pragma: no cover - 25^8 names
                    fresh = attrs.evolve(fresh, login_name=new_login_name(self._secrets))
                taken.add(fresh.login_name)
                made.append(fresh)
            uow.candidates.add_many(made)
            uow.commit()
        self._record(
            actor.account,
            "sessions.candidates.imported",
            "candidates",
            details={"count": str(len(made))},
        )
        return tuple(attrs.evolve(c, version=1) for c in made)

    def import_candidates(
        self, actor: Actor, location: LocationCode, data: bytes
    ) -> tuple[Candidate, ...]:
        """Read a candidate file (*inlezen kandidatenbestand*) and store its candidates.

        Every problem of the file is reported at once, each with its line,
        and nothing is stored from a file with problems (the refusal is
        audited). See :func:`~examkit.sessions.read_candidate_file`.

        Raises:
            NotPermitted: *actor* may not read in candidates at *location*.
            ExamkitErrorGroup: the file's problems.

        Implements SCH-1.
        """
        subject = f"location:{location}"
        what = "sessions.candidates.import"
        self._require(actor, "facet.candidates.import", location, subject, what)
        try:
            rows = read_candidate_file(data)
        except ExamkitErrorGroup as error:
            problems = {"problems": str(len(error.problems))}
            self._refuse(actor.account, what, subject, error, problems)
        made = [
            Candidate(
                id="c-new",
                location=location,
                login_name="NEW0",
                first_name=row.first_name,
                last_name=row.last_name,
                number=row.number,
                class_key=row.class_key,
                pupil_key=row.pupil_key,
                facilities=row.facilities,
            )
            for row in rows
        ]
        return self.add_candidates(actor, made)

    def add_candidates_from_pupils(
        self,
        actor: Actor,
        location: LocationCode,
        *,
        classes: Collection[str] | None = None,
        pupils: Collection[str] | None = None,
    ) -> tuple[Candidate, ...]:
        """Make candidates of *location*'s current imported pupils (EDEXML), for planning.

        The pupils of the current school year (the calendar's,
        :meth:`~examkit.identifiers.SchoolYear.at`) that are in one of
        *classes* (group keys) or have one of *pupil* keys (all current
        pupils when neither is given). A pupil who is a candidate at the
        location already (by pupil key) keeps that candidate, login name and
        facilities; the others become new candidates with a login name, all
        or nothing. Returned in the pupils' order, by key.

        Raises:
            NotPermitted: *actor* may not read in candidates at *location*.
            NotFound: nothing was imported for *location*, or not for the
                current school year.
            ExamkitErrorGroup: pupils without a usable name (each named).

        Implements SCH-1 and EDX-3.
        """
        subject = f"location:{location}"
        self._require(
            actor, "facet.candidates.import", location, subject, "sessions.candidates.pupils"
        )
        with self._backend.begin() as uow:
            year = _current_year(uow, location, self._clock.now())
            chosen = chosen_pupils(
                current_pupils(uow, location, year), classes=classes, keys=pupils
            )
            known = {c.pupil_key: c for c in _all_candidates(uow, location) if c.pupil_key}
            result: list[Candidate] = []
            made: list[Candidate] = []
            problems: list[ExamkitError] = []
            taken: set[str] = set()
            for pupil in chosen:
                existing = known.get(pupil.pupil.key)
                if existing is not None:
                    result.append(existing)
                    continue
                try:
                    fields = candidate_fields(pupil)
                except InvalidInput as error:
                    problems.append(error)
                    continue
                fresh = self._new_candidate(uow, **fields)
                while fresh.login_name in taken:  # pragma: no cover - 25^8 names
                    fresh = attrs.evolve(fresh, login_name=new_login_name(self._secrets))
                taken.add(fresh.login_name)
                made.append(fresh)
                result.append(attrs.evolve(fresh, version=1))
            if problems:
                raise ExamkitErrorGroup(problems)
            uow.candidates.add_many(made)
            uow.commit()
        self._record(
            actor.account,
            "sessions.candidates.from_pupils",
            subject,
            details={"new": str(len(made)), "kept": str(len(result) - len(made))},
        )
        return tuple(result)

    def answer_sheet_order(
        self,
        actor: Actor,
        location: LocationCode,
        exam: str,
        *,
        classes: Collection[str] | None = None,
        spares: int = 0,
    ) -> AnswerSheetOrder:
        """Return the answer sheets to order for paper test *exam*, per class of *location*.

        The quantities come from the location's current imported pupils
        (of the current school year, :meth:`~examkit.identifiers.SchoolYear.at`):
        every class with pupils, or only *classes*;
        *spares* sheets are added per class (see :func:`order_answer_sheets`).

        Raises:
            NotPermitted: *actor* may not order paper tests at *location*.
            NotFound: the test does not exist, or nothing was imported for *location*.
            InvalidInput: the test is not taken on paper, or *spares* is negative.

        Implements EDX-3.
        """
        self._require(
            actor,
            "ce_portal.paper_test.order",
            location,
            f"location:{location}",
            "sessions.answer_sheets",
        )
        with self._backend.begin(readonly=True) as uow:
            test = uow.exams.get(exam)
            year = _current_year(uow, location, self._clock.now())
            counts = class_counts(current_pupils(uow, location, year), classes)
        return order_answer_sheets(test, counts, spares=spares)

    def candidate(self, candidate_id: str) -> Candidate:
        """Return the candidate *candidate_id*.

        Raises:
            NotFound: there is none.
        """
        with self._backend.begin(readonly=True) as uow:
            return uow.candidates.get(candidate_id)

    # -- planning ---------------------------------------------------------------

    def plan(
        self,
        actor: Actor,
        *,
        location: LocationCode,
        exam: str,
        mode: Mode,
        starts_at: datetime,
        room: str,
        proctor: str,
        candidates: Iterable[str],
        first_corrector: str | None = None,
        second_corrector: str | None = None,
        offline_server: str | None = None,
    ) -> TestSessionGroup:
        """Plan a session group (*afnamegroep*) and register its candidates.

        Checks, each refusing with nothing stored: the actor plans at
        *location* (a functionality-test group only with the FT exam, by the
        FT planner); the test may be taken in *mode*; an offline group names
        its offline server; the proctor and correctors hold their role at
        *location*; every candidate belongs to *location*, has at most 30
        minutes extra time at a central exam, and sits in no other group
        whose time (extra time counted) overlaps.

        Raises:
            NotPermitted: *actor* may not plan this group.
            NotFound: the test or a candidate does not exist.
            InvalidInput: a check fails (the error says which).

        Implements SCH-1 and SCH-2.
        """
        subject = f"location:{location}"
        with self._backend.begin() as uow:
            test = uow.exams.get(exam)
            action = (
                "facet.ft.session_groups.create"
                if test.functionality_test
                else "facet.sessions.plan"
            )
            self._require(actor, action, location, subject, "sessions.group.plan")
            group = TestSessionGroup(
                id="g-" + self._secrets.token_urlsafe(9),
                location=location,
                exam=test.code,
                mode=mode,
                starts_at=starts_at,
                duration=test.duration,
                room=room,
                proctor=proctor,
                candidates=tuple(candidates),
                first_corrector=first_corrector,
                second_corrector=second_corrector,
                offline_server=offline_server,
                functionality_test=test.functionality_test,
                needs_correction=test.needs_correction,
            )
            try:
                people = self._check_plan(uow, test, group)
            except ExamkitError as error:
                self._refuse(actor.account, "sessions.group.plan", subject, error)
            stored = uow.session_groups.add(group)
            uow.test_attempts.add_many(
                [
                    Attempt(
                        group=group.id,
                        candidate=c.id,
                        exam=test.code,
                        login_name=c.login_name,
                        extra_time_minutes=c.facilities.extra_time_minutes,
                        offline_server=offline_server,
                    )
                    for c in people
                ]
            )
            uow.commit()
        self._record(actor.account, "sessions.group.planned", f"session_group:{group.id}")
        return stored

    def import_groups(self, actor: Actor, location: LocationCode, data: bytes) -> GroupImport:
        """Read session groups from a file (*inlezen afnamegroep*) and plan each.

        A file with problems is refused whole, every problem with its line
        (:func:`~examkit.sessions.read_group_file`). Otherwise each group is
        planned as :meth:`plan` plans it, its candidates found by their
        number at *location*; the result holds each group's outcome (planned,
        or refused with the reason), so one refused group does not stop the
        others.

        Raises:
            NotPermitted: *actor* may not read in groups at *location*.
            ExamkitErrorGroup: the file's problems.

        Implements SCH-1.
        """
        subject = f"location:{location}"
        what = "sessions.groups.import"
        self._require(actor, "facet.session_groups.import", location, subject, what)
        try:
            rows = read_group_file(data)
        except ExamkitErrorGroup as error:
            problems = {"problems": str(len(error.problems))}
            self._refuse(actor.account, what, subject, error, problems)
        with self._backend.begin(readonly=True) as uow:
            numbers = {c.number: c.id for c in _all_candidates(uow, location) if c.number}
        by_label: dict[str, list[GroupRow]] = {}
        for row in rows:
            by_label.setdefault(row.label, []).append(row)
        outcomes: list[GroupImportLine] = []
        for label, members in by_label.items():
            head = members[0]
            lines = tuple(row.line for row in members)
            try:
                missing = [row.number for row in members if row.number not in numbers]
                if missing:
                    raise InvalidInput(
                        "sessions.file.unknown_number", field="examennummer", number=missing[0]
                    )
                group = self.plan(
                    actor,
                    location=location,
                    exam=head.exam,
                    mode=head.mode,
                    starts_at=head.starts_at,
                    room=head.room,
                    proctor=head.proctor,
                    candidates=[numbers[row.number] for row in members],
                    first_corrector=head.first_corrector,
                    second_corrector=head.second_corrector,
                    offline_server=head.offline_server,
                )
            except ExamkitError as error:
                outcomes.append(
                    GroupImportLine(
                        label=label,
                        lines=lines,
                        group=None,
                        problem=error.code,
                        message_nl=error.message("nl"),
                        message_en=error.message("en"),
                    )
                )
                continue
            outcomes.append(GroupImportLine(label=label, lines=lines, group=group.id, problem=None))
        result = GroupImport(at=self._clock.now(), lines=tuple(outcomes))
        self._record(actor.account, what, subject, details={"status": result.status})
        return result

    def _check_plan(  # noqa: PLR0912 - one list of planning checks
        self, uow: UnitOfWork, test: Exam, group: TestSessionGroup
    ) -> list[Candidate]:
        if group.mode is Mode.PAPER or group.mode not in test.modes:
            raise InvalidInput("sessions.group.mode", field="mode", mode=group.mode.value)
        if (group.mode is Mode.OFFLINE) != (group.offline_server is not None):
            raise InvalidInput("sessions.group.offline_server", field="offline_server")
        if group.offline_server is not None:
            self._check_offline_server(uow, group)
        ft = test.functionality_test
        monitor = "facet.ft.monitor.release" if ft else "facet.monitor.release"
        if not load_actor(uow, group.proctor).may(monitor, group.location):
            raise InvalidInput("sessions.group.proctor", field="proctor")
        for field, corrector in (
            ("first_corrector", group.first_corrector),
            ("second_corrector", group.second_corrector),
        ):
            if corrector is not None and not load_actor(uow, corrector).may(
                "facet.correction.overview", group.location
            ):
                raise InvalidInput("sessions.group.corrector", field=field)
        if group.second_corrector is not None and group.first_corrector is None:
            raise InvalidInput("sessions.group.second_without_first", field="second_corrector")
        if group.second_corrector is not None and group.second_corrector == group.first_corrector:
            raise InvalidInput("sessions.group.same_corrector", field="second_corrector")
        if not group.candidates:
            raise InvalidInput("sessions.group.no_candidates", field="candidates")
        people = [uow.candidates.get(c) for c in group.candidates]
        for person in people:
            if person.location != group.location:
                raise InvalidInput(
                    "sessions.group.other_location", field="candidates", candidate=person.name
                )
            if test.central and person.facilities.extra_time_minutes > MAX_CENTRAL_EXTRA_TIME:
                raise InvalidInput(
                    "sessions.group.extra_time",
                    field="candidates",
                    candidate=person.name,
                    maximum=MAX_CENTRAL_EXTRA_TIME,
                )
            clash = find_overlap(group, person, uow.session_groups.list_for_candidate(person.id))
            if clash is not None:
                raise InvalidInput(
                    "sessions.group.overlap",
                    field="candidates",
                    candidate=person.name,
                    other=clash.id,
                )
        return people

    def _check_offline_server(self, uow: UnitOfWork, group: TestSessionGroup) -> None:
        """Check the group's offline server is registered at its location and active."""
        try:
            server = uow.offline_servers.get(group.offline_server or "")
        except NotFound:
            server = None
        if server is None or server.location != group.location or not server.is_choosable:
            raise InvalidInput("sessions.server.not_choosable", field="offline_server")

    # -- the offline-server registry -------------------------------------------

    def servers(self, actor: Actor, location: LocationCode) -> tuple[OfflineServer, ...]:
        """Return the offline servers of *location* (*inzien FAO's*).

        Raises:
            NotPermitted: *actor* may not view them.

        Implements SCH-8.
        """
        self._require(
            actor, "facet.fao.view", location, f"location:{location}", "sessions.server.view"
        )
        with self._backend.begin(readonly=True) as uow:
            return uow.offline_servers.list(location=location, limit=MAX_PAGE_SIZE).items

    def add_server(
        self, actor: Actor, *, location: LocationCode, name: str, address: str
    ) -> OfflineServer:
        """Register an offline server at *location* (*toevoegen FAO*); it starts inactive.

        Raises:
            NotPermitted: *actor* may not add servers there.
            InvalidInput: the name or address is unusable.

        Implements SCH-8.
        """
        self._require(
            actor, "facet.fao.add", location, f"location:{location}", "sessions.server.add"
        )
        server = OfflineServer(
            id="fao-" + self._secrets.token_urlsafe(6),
            location=location,
            name=name,
            address=address,
        )
        with self._backend.begin() as uow:
            stored = uow.offline_servers.add(server)
            uow.commit()
        self._record(actor.account, "sessions.server.add", f"offline_server:{stored.id}")
        return stored

    def edit_server(
        self, actor: Actor, server_id: str, *, name: str | None = None, address: str | None = None
    ) -> OfflineServer:
        """Change a server's name or address (*wijzigen FAO*).

        Raises:
            NotPermitted: *actor* may not edit it.

        Implements SCH-8.
        """
        subject = f"offline_server:{server_id}"
        with self._backend.begin() as uow:
            server = uow.offline_servers.get(server_id)
            self._require(actor, "facet.fao.edit", server, subject, "sessions.server.edit")
            changed = attrs.evolve(
                server,
                name=server.name if name is None else name,
                address=server.address if address is None else address,
            )
            stored = uow.offline_servers.update(changed)
            uow.commit()
        self._record(actor.account, "sessions.server.edit", subject)
        return stored

    def server_transition(self, actor: Actor, server_id: str, event: str) -> OfflineServer | None:
        """Activate, deactivate, reactivate or delete a server (``None`` when deleted).

        Raises:
            NotPermitted: *actor* lacks the move's action at the server's location.
            TransitionNotAllowed: the server's state does not allow the move.

        Implements SCH-8.
        """
        subject = f"offline_server:{server_id}"
        what = f"sessions.server.{event}"
        with self._backend.begin() as uow:
            server = uow.offline_servers.get(server_id)
            self._require(actor, server_action(event), server, subject, what)
            try:
                target = next_server_state(server.state, event)
            except TransitionNotAllowed as error:
                self._refuse(actor.account, what, subject, error)
            if target is None:
                uow.offline_servers.remove(server.id, version=server.version)
                stored = None
            else:
                stored = uow.offline_servers.update(attrs.evolve(server, state=target))
            uow.commit()
        self._record(actor.account, what, subject)
        return stored

    # -- the lifecycle -------------------------------------------------------

    def group(self, group_id: str) -> TestSessionGroup:
        """Return the group *group_id*.

        Raises:
            NotFound: there is none.
        """
        with self._backend.begin(readonly=True) as uow:
            return uow.session_groups.get(group_id)

    def attempt(self, group_id: str, candidate: str) -> Attempt:
        """Return *candidate*'s attempt in group *group_id*, with the responses saved so far.

        Raises:
            NotFound: there is none.

        Implements SCH-4.
        """
        with self._backend.begin(readonly=True) as uow:
            return uow.test_attempts.get(attempt_id(group_id, candidate))

    def attempts(self, group_id: str) -> tuple[Attempt, ...]:
        """Return the attempts of group *group_id*, by candidate id."""
        with self._backend.begin(readonly=True) as uow:
            return uow.test_attempts.list_for_group(group_id)

    def transition(
        self, actor: Actor, group_id: str, event: str, *, reason: str = ""
    ) -> TestSessionGroup:
        """Make the lifecycle move *event* (:data:`~examkit.sessions.GROUP_LIFECYCLE`).

        Raises:
            NotFound: there is no such group.
            NotPermitted: *actor* lacks the move's action at the group's location.
            TransitionNotAllowed: the group's state does not allow the move.
            InvalidState: the move's guard fails (the error says why).

        Implements SCH-3 (and the access code's life, SCH-6).
        """
        row = group_transition(event)
        subject = f"session_group:{group_id}"
        what = f"sessions.group.{event}"
        with self._backend.begin() as uow:
            group = uow.session_groups.get(group_id)
            action = row.ft_action if group.functionality_test else row.action
            if action is None:
                self._refuse(
                    actor.account,
                    what,
                    subject,
                    TransitionNotAllowed(event=event, state=group.state.value),
                )
            self._require(actor, action, group, subject, what)
            if group.state not in row.sources:
                self._refuse(
                    actor.account,
                    what,
                    subject,
                    TransitionNotAllowed(event=event, state=group.state.value),
                )
            now = self._clock.now()
            try:
                changed = self._apply(uow, group, row, now)
            except ExamkitError as error:
                self._refuse(actor.account, what, subject, error)
            record = TransitionRecord(
                event=event,
                source=group.state,
                target=row.target,
                actor=actor.account,
                role=actor.role_for(action),
                at=now,
                reason=reason,
            )
            changed = attrs.evolve(changed, state=row.target, log=(*group.log, record))
            stored = uow.session_groups.update(changed)
            uow.commit()
        self._record(
            actor.account,
            what,
            subject,
            details={"from": record.source.value, "to": record.target.value},
        )
        return stored

    def _apply(
        self, uow: UnitOfWork, group: TestSessionGroup, row: GroupTransition, now: datetime
    ) -> TestSessionGroup:
        if row.event == "release" and group.access_code is None:
            return attrs.evolve(group, access_code=new_access_code(self._secrets))
        if row.guard is Guard.NO_ATTEMPT_STARTED:
            if any(
                a.state is not AttemptState.REGISTERED
                for a in uow.test_attempts.list_for_group(group.id)
            ):
                raise InvalidState("sessions.guard.attempt_started")
            return group
        if row.guard is Guard.CORRECTORS_ASSIGNED:
            if group.needs_correction and group.first_corrector is None:
                raise InvalidState("sessions.guard.no_corrector")
            return group
        if row.guard is Guard.ATTEMPTS_FINAL_AND_REPORT:
            return self._close(uow, group, now)
        if row.guard is Guard.NOTHING_TO_CORRECT:
            _check_nothing_to_correct(uow, group)
        return group

    def _close(self, uow: UnitOfWork, group: TestSessionGroup, now: datetime) -> TestSessionGroup:
        if not group.report.completed:
            raise InvalidState("sessions.guard.report_incomplete")
        attempts = uow.test_attempts.list_for_group(group.id)
        finished: list[Attempt] = []
        for attempt in attempts:
            if attempt.state is AttemptState.REGISTERED:
                finished.append(_move(attempt, "mark_absent", now))
            elif attempt.state.is_final:
                continue
            elif attempt.deadline is not None and attempt.deadline <= now:
                finished.append(_move(attempt, "time_out", now))
            else:
                raise InvalidState("sessions.guard.attempts_running", candidate=attempt.login_name)
        for attempt in finished:
            uow.test_attempts.update(attempt)
        return attrs.evolve(group, access_code=None)

    def release(self, actor: Actor, group_id: str) -> TestSessionGroup:
        """Release the group (*vrijgeven*); the first release draws its access code.

        Implements SCH-3 and SCH-6.
        """
        return self.transition(actor, group_id, "release")

    def block(self, actor: Actor, group_id: str, *, reason: str = "") -> TestSessionGroup:
        """Block the group (*blokkeren*): sign-ins stop, the access code is kept.

        Implements SCH-3 and SCH-6.
        """
        return self.transition(actor, group_id, "block", reason=reason)

    def close(self, actor: Actor, group_id: str, *, reason: str = "") -> TestSessionGroup:
        """Close the group (*afsluiten*): absentees marked, timed-out attempts ended, code dead.

        Implements SCH-3 and SCH-6.
        """
        return self.transition(actor, group_id, "close", reason=reason)

    def access_code(self, actor: Actor, group_id: str) -> str:
        """Return the group's access code for the proctor to hand out (*toegangscode opvragen*).

        Raises:
            NotPermitted: *actor* may not get it.
            InvalidState: the group has no live access code (not released yet, or closed).

        Implements SCH-6.
        """
        subject = f"session_group:{group_id}"
        with self._backend.begin(readonly=True) as uow:
            group = uow.session_groups.get(group_id)
        action = (
            "facet.ft.monitor.access_code"
            if group.functionality_test
            else "facet.monitor.access_code"
        )
        self._require(actor, action, group, subject, "sessions.access_code")
        if group.access_code is None:
            self._refuse(
                actor.account, "sessions.access_code", subject, InvalidState("sessions.code.none")
            )
        return group.access_code

    def access_slips(self, actor: Actor, group_id: str) -> tuple[AccessSlip, ...]:
        """Return the access-code slips of the group's candidates, by login name (the list too).

        Raises:
            NotPermitted: *actor* may not get the group's access code.
            InvalidState: the group has no live access code.

        Implements SCH-6.
        """
        code = self.access_code(actor, group_id)
        with self._backend.begin(readonly=True) as uow:
            group = uow.session_groups.get(group_id)
            people = _candidates_of(uow, group.candidates)
        return tuple(
            sorted(
                (
                    AccessSlip(
                        group=group.id,
                        room=group.room,
                        starts_at=group.starts_at,
                        candidate=person.id,
                        name=person.name,
                        login_name=person.login_name,
                        access_code=code,
                    )
                    for person in people.values()
                ),
                key=lambda slip: slip.login_name,
            )
        )

    def assign_correctors(
        self, actor: Actor, group_id: str, *, first: str, second: str | None = None
    ) -> TestSessionGroup:
        """Assign the group's first (and second) corrector (*inplannen correctoren*).

        Possible until the group is released for correction; each must hold
        the corrector role at the group's location.

        Raises:
            NotPermitted: *actor* may not schedule correctors at the group's location.
            InvalidInput: a corrector does not hold the role there, or both are the same.
            InvalidState: the group is already released for correction (or cancelled).

        Implements SCH-1 and SCO-3.
        """
        subject = f"session_group:{group_id}"
        what = "sessions.group.correctors"
        with self._backend.begin() as uow:
            group = uow.session_groups.get(group_id)
            self._require(actor, "facet.correctors.schedule", group, subject, what)
            if group.state not in {
                GroupState.PLANNED,
                GroupState.RELEASED,
                GroupState.BLOCKED,
                GroupState.CLOSED,
            }:
                self._refuse(
                    actor.account, what, subject, InvalidState("sessions.group.correctors_late")
                )
            changed = attrs.evolve(group, first_corrector=first, second_corrector=second)
            for field, corrector in (("first_corrector", first), ("second_corrector", second)):
                if corrector is not None and not load_actor(uow, corrector).may(
                    "facet.correction.overview", group.location
                ):
                    self._refuse(
                        actor.account,
                        what,
                        subject,
                        InvalidInput("sessions.group.corrector", field=field),
                    )
            if second is not None and second == first:
                self._refuse(
                    actor.account,
                    what,
                    subject,
                    InvalidInput("sessions.group.same_corrector", field="second_corrector"),
                )
            stored = uow.session_groups.update(changed)
            uow.commit()
        self._record(actor.account, what, subject)
        return stored

    # -- candidates signing in and answering ---------------------------------

    def sign_in(self, login_name: str, access_code: str) -> CandidateSession:
        """Sign a candidate in with login name + access code, and start (or re-enter) the test.

        The code is only valid while the candidate's group is released.
        Wrong codes are counted per login name (never per group: one
        candidate cannot lock out the others) with the atomic attempt
        counter; past the limit every code, right or wrong, gets the same
        refusal until the window passes. A login name that cannot be one
        is refused like a wrong code, counted under its digest. Every
        refusal is audited.

        Returns:
            The attempt and the key that binds the candidate's saves and
            hand-in to this sign-in (:class:`CandidateSession`).

        Raises:
            InvalidInput: the login name or access code is not text.
            NotPermitted: the login name and code do not match a released group (one message).
            LimitReached: too many wrong codes for this login name.
            InvalidState: the group is blocked, or the attempt is paused, running or over.

        Implements AUTH-12 and SCH-6.
        """
        now = self._clock.now()
        login = storable_key(_text(login_name, "login_name").strip().upper())
        code = normalise_access_code(_text(access_code, "access_code"))
        limits = self._limits
        subject = f"candidate:{login}"
        with self._backend.begin() as uow:
            wrong = uow.attempts.peek(SIGN_IN, login, now=now, limit=limits.per_candidate)
            if wrong.reached:
                self._refuse(
                    None, "sessions.sign_in", subject, LimitReached("sessions.sign_in.limit")
                )
            match = _find_group(uow, login, code)
            if match is None:
                uow.attempts.record(
                    SIGN_IN, login, now=now, window=limits.window, limit=limits.per_candidate
                )
                uow.commit()
                self._refuse(
                    None, "sessions.sign_in", subject, NotPermitted("sessions.sign_in.invalid")
                )
            group, attempt = match
            try:
                started = _enter(group, attempt, now)
            except ExamkitError as error:
                self._refuse(None, "sessions.sign_in", subject, error)
            stored = uow.test_attempts.update(started)
            if wrong.count:
                uow.attempts.reset(SIGN_IN, login)
            uow.commit()
        return CandidateSession(
            attempt=stored, key=candidate_key(self._token_key, stored.group, stored.candidate)
        )

    def _check_key(self, group_id: object, candidate: object, key: object, what: str) -> str:
        """Return the attempt's id if *key* is the key its candidate's sign-in gave."""
        group = _text(group_id, "group_id")
        person = _text(candidate, "candidate")
        given = _text(key, "key")
        subject = f"attempt:{storable_key(attempt_id(group, person))}"
        if not same_key(given, candidate_key(self._token_key, group, person)):
            self._refuse(None, what, subject, NotPermitted("sessions.candidate.key"))
        return attempt_id(group, person)

    def save_response(
        self, group_id: str, candidate: str, item: str, value: Any, *, sequence: int, key: str
    ) -> ResponseReceipt:
        """Save a candidate's response to *item*, as given, under the client's *sequence*.

        Only with the *key* the candidate's sign-in gave
        (:attr:`CandidateSession.key`). Idempotent: a save whose sequence
        number is not above the last one accepted (a resend, or an older save
        arriving late) changes nothing (the receipt says it was not stored).
        The last save per item counts. Nothing is accepted after submission
        or after the deadline. A save is one step in storage
        (:meth:`AttemptRepository.record_response`), so two devices saving at
        once never overwrite each other's items.

        *value* is checked before storage (:func:`~examkit.storage.json_value`:
        JSON data, finite numbers within ±2^53-1, valid Unicode without NUL,
        nested at most 32 deep) and *sequence* too (1 to 2^31-1,
        :func:`~examkit.storage.check_sequence`), so every backend stores and
        returns the same, or refuses the same.

        Raises:
            NotFound: there is no such attempt.
            NotPermitted: *key* is not the one this candidate's sign-in gave.
            InvalidInput: *item* is not an item of the test, or *sequence* or *value*
                cannot be stored (``storage.value.*``).
            InvalidState: the attempt is not in progress, or its deadline has passed.

        Implements SCH-4 and SCH-7.
        """
        found = self._check_key(group_id, candidate, key, "sessions.response")
        check_sequence(sequence)
        stored_value = json_value(value)
        _text(item, "item")
        now = self._clock.now()
        response = SavedResponse(value=stored_value, sequence=sequence, saved_at=now)
        with self._backend.begin() as uow:
            try:
                exam = self._exam_of(uow, group_id)
            except NotFound:
                raise NotFound(kind="attempt", key=found) from None
            if item not in self._items_of(uow, exam):
                raise InvalidInput("sessions.response.item", field="item", item=item)
            recorded = uow.test_attempts.record_response(found, item, response, now=now)
            if recorded is not None:
                uow.commit()
                return ResponseReceipt(
                    attempt=found,
                    item=item,
                    sequence=sequence,
                    stored=True,
                    last_sequence=sequence,
                    deadline=recorded.deadline,
                )
            attempt = uow.test_attempts.get(found)
        if sequence <= attempt.last_sequence:
            return ResponseReceipt(
                attempt=found,
                item=item,
                sequence=sequence,
                stored=False,
                last_sequence=attempt.last_sequence,
                deadline=attempt.deadline,
            )
        if attempt.state is not AttemptState.IN_PROGRESS:
            raise InvalidState("sessions.response.not_in_progress", state=attempt.state.value)
        if attempt.deadline is not None and now >= attempt.deadline:
            raise InvalidState("sessions.response.deadline")
        raise ConcurrentModification(kind="attempt", key=found)  # changed between the two reads

    def submit(self, group_id: str, candidate: str, *, key: str) -> Attempt:
        """Hand in the candidate's test (*inleveren*); nothing is accepted after it.

        Only with the *key* the candidate's sign-in gave (:attr:`CandidateSession.key`).

        Raises:
            NotPermitted: *key* is not the one this candidate's sign-in gave.
            TransitionNotAllowed: the attempt is not in progress.

        Implements SCH-4.
        """
        found = self._check_key(group_id, candidate, key, "sessions.attempt.submit")
        now = self._clock.now()
        with self._backend.begin() as uow:
            attempt = uow.test_attempts.get(found)
            if (
                attempt.state is AttemptState.IN_PROGRESS
                and attempt.deadline is not None
                and now >= attempt.deadline
            ):
                stored = uow.test_attempts.update(_move(attempt, "time_out", now))
            else:
                stored = uow.test_attempts.update(_move(attempt, "submit", now))
            uow.commit()
        return stored

    # -- the proctor acting on one candidate -----------------------------------

    def intervene(
        self,
        actor: Actor,
        group_id: str,
        candidate: str,
        event: str,
        *,
        reason: str = "",
        minutes: int = 0,
    ) -> Attempt:
        """Act on one candidate's attempt: ``pause``, ``resume``, ``terminate``, ``reactivate``.

        ``terminate`` (end with a reason) needs *reason*. ``reactivate``
        reopens a finished attempt while the group is released, with its
        deadline at least *minutes* from now. Every move is logged on the
        attempt and audited.

        Raises:
            NotPermitted: *actor* may not act on the group's candidates.
            TransitionNotAllowed: the attempt's state does not allow *event*.
            InvalidInput: ``terminate`` without a reason.
            InvalidState: ``reactivate`` while the group is not released.

        Implements SCH-4.
        """
        subject = f"attempt:{attempt_id(group_id, candidate)}"
        what = f"sessions.attempt.{event}"
        now = self._clock.now()
        if not isinstance(event, str) or event not in _PROCTOR_EVENTS:
            raise InvalidInput("sessions.attempt.event", field="event", event=str(event)[:40])
        with self._backend.begin() as uow:
            group = uow.session_groups.get(group_id)
            attempt = uow.test_attempts.get(attempt_id(group_id, candidate))
            self._require(actor, "facet.monitor.intervene", group, subject, what)
            try:
                if event == "terminate" and not reason.strip():
                    raise InvalidInput("sessions.attempt.reason", field="reason")
                if event == "reactivate" and not group.is_released:
                    raise InvalidState("sessions.attempt.reactivate_released")
                changed = _move(attempt, event, now, actor=actor.account, reason=reason)
            except ExamkitError as error:
                self._refuse(actor.account, what, subject, error)
            if event == "terminate":
                changed = attrs.evolve(changed, end_reason=reason.strip())
            if event == "reactivate":
                floor = now + timedelta(minutes=minutes)
                deadline = changed.deadline if changed.deadline is not None else floor
                changed = attrs.evolve(
                    changed, ended_at=None, end_reason="", deadline=max(deadline, floor)
                )
            stored = uow.test_attempts.update(changed)
            uow.commit()
        self._record(actor.account, what, subject)
        return stored

    def allow_reentry(self, actor: Actor, group_id: str, candidate: str) -> Attempt:
        """Allow a candidate whose test is running to sign in again (a new computer).

        Raises:
            NotPermitted: *actor* may not act on the group's candidates.
            InvalidState: the attempt is not running.

        Implements SCH-4.
        """
        subject = f"attempt:{attempt_id(group_id, candidate)}"
        what = "sessions.attempt.allow_reentry"
        now = self._clock.now()
        with self._backend.begin() as uow:
            group = uow.session_groups.get(group_id)
            attempt = uow.test_attempts.get(attempt_id(group_id, candidate))
            self._require(actor, "facet.monitor.intervene", group, subject, what)
            if attempt.state not in {AttemptState.IN_PROGRESS, AttemptState.PAUSED}:
                self._refuse(
                    actor.account,
                    what,
                    subject,
                    InvalidState("sessions.attempt.not_running", state=attempt.state.value),
                )
            changed = attrs.evolve(
                attempt,
                reentry_allowed=True,
                log=(*attempt.log, AttemptEvent("allow_reentry", now, actor.account)),
            )
            stored = uow.test_attempts.update(changed)
            uow.commit()
        self._record(actor.account, what, subject)
        return stored

    # -- the proctor monitor and the session report --------------------------

    def monitor(self, actor: Actor, *, day: date | None = None) -> Monitor:
        """Return the proctor monitor: *actor*'s groups of *day* (today in Amsterdam).

        A plain structure a portal renders and polls: each group's state,
        access code (while it lives) and candidates with their state and
        time left. Groups at locations where *actor* may not show groups
        are left out.

        Implements SCH-4.
        """
        now = self._clock.now()
        wanted = (day or now.astimezone(AMSTERDAM).date()).isoformat()
        views: list[MonitorGroup] = []
        with self._backend.begin(readonly=True) as uow:
            page = uow.session_groups.list(proctor=actor.account, day=wanted, limit=MAX_PAGE_SIZE)
            for group in page.items:
                ft = group.functionality_test
                shown = "facet.ft.monitor.groups" if ft else "facet.monitor.groups"
                if not actor.may(shown, group):
                    continue
                show = actor.may(
                    "facet.ft.monitor.access_code" if ft else "facet.monitor.access_code", group
                )
                attempts = uow.test_attempts.list_for_group(group.id)
                people = _candidates_of(uow, group.candidates)
                views.append(monitor_group(group, attempts, people, now, show_code=show))
        return Monitor(day=wanted, at=now, groups=tuple(views))

    def session_report(self, actor: Actor, group_id: str) -> SessionReportData:
        """Return the session report's data (*proces-verbaal*) for the proctor or the planner.

        Raises:
            NotPermitted: *actor* may neither draw up nor retrieve the group's report.

        Implements SCH-5.
        """
        with self._backend.begin(readonly=True) as uow:
            group = uow.session_groups.get(group_id)
            drawn = (
                "facet.ft.monitor.session_report"
                if group.functionality_test
                else "facet.monitor.session_report"
            )
            if not (actor.may(drawn, group) or actor.may("facet.session_report.retrieve", group)):
                self._refuse(
                    actor.account,
                    "sessions.report.retrieve",
                    f"session_group:{group_id}",
                    NotPermitted("permission.denied"),
                )
            attempts = uow.test_attempts.list_for_group(group.id)
            people = _candidates_of(uow, group.candidates)
        return session_report_data(group, attempts, people)

    # -- the session report --------------------------------------------------

    def write_report(
        self,
        actor: Actor,
        group_id: str,
        *,
        started_at: datetime | None = None,
        ended_at: datetime | None = None,
        notes: str | None = None,
        incidents: Iterable[Incident] = (),
        completed: bool | None = None,
    ) -> TestSessionGroup:
        """Draw up the session report (*proces-verbaal opstellen*) until the group closes.

        Given fields replace the report's; *incidents* are appended.

        Raises:
            NotPermitted: *actor* may not draw up the group's report.
            InvalidState: the group is closed (the report is immutable).

        Implements SCH-5.
        """
        subject = f"session_group:{group_id}"
        what = "sessions.report.write"
        with self._backend.begin() as uow:
            group = uow.session_groups.get(group_id)
            action = (
                "facet.ft.monitor.session_report"
                if group.functionality_test
                else "facet.monitor.session_report"
            )
            self._require(actor, action, group, subject, what)
            if group.state not in {GroupState.PLANNED, GroupState.RELEASED, GroupState.BLOCKED}:
                self._refuse(actor.account, what, subject, InvalidState("sessions.report.closed"))
            report = group.report
            report = attrs.evolve(
                report,
                started_at=report.started_at if started_at is None else started_at,
                ended_at=report.ended_at if ended_at is None else ended_at,
                notes=report.notes if notes is None else notes,
                incidents=(*report.incidents, *incidents),
                completed=report.completed if completed is None else completed,
            )
            stored = uow.session_groups.update(attrs.evolve(group, report=report))
            uow.commit()
        self._record(actor.account, what, subject)
        return stored

    def add_remark(self, actor: Actor, group_id: str, text: str) -> TestSessionGroup:
        """Append the planner's remark to a closed group's report (*opmerkingen toevoegen*).

        Raises:
            NotPermitted: *actor* may not retrieve the group's report.
            InvalidState: the group is not closed yet.

        Implements SCH-5.
        """
        subject = f"session_group:{group_id}"
        what = "sessions.report.remark"
        with self._backend.begin() as uow:
            group = uow.session_groups.get(group_id)
            self._require(actor, "facet.session_report.retrieve", group, subject, what)
            if group.state in {
                GroupState.PLANNED,
                GroupState.RELEASED,
                GroupState.BLOCKED,
                GroupState.CANCELLED,
            }:
                self._refuse(
                    actor.account, what, subject, InvalidState("sessions.report.not_closed")
                )
            remark = Remark(at=self._clock.now(), by=actor.account, text=text)
            report = attrs.evolve(group.report, remarks=(*group.report.remarks, remark))
            stored = uow.session_groups.update(attrs.evolve(group, report=report))
            uow.commit()
        self._record(actor.account, what, subject)
        return stored


def _candidates_of(uow: UnitOfWork, ids: Iterable[str]) -> dict[str, Candidate]:
    found: dict[str, Candidate] = {}
    for candidate in ids:
        try:
            found[candidate] = uow.candidates.get(candidate)
        except NotFound:
            continue
    return found


def _check_nothing_to_correct(uow: UnitOfWork, group: TestSessionGroup) -> None:
    """Refuse when answers wait for correctors: the correction service closes those groups."""
    if group.needs_correction and any(
        a.state is not AttemptState.ABSENT for a in uow.test_attempts.list_for_group(group.id)
    ):
        raise InvalidState("sessions.guard.through_correction")


def _all_candidates(uow: UnitOfWork, location: LocationCode) -> list[Candidate]:
    found: list[Candidate] = []
    after: str | None = None
    while True:
        page = uow.candidates.list(location=location, after=after, limit=MAX_PAGE_SIZE)
        found.extend(page.items)
        if page.next_after is None:
            return found
        after = page.next_after


def find_overlap(
    group: TestSessionGroup, candidate: Candidate, others: Iterable[TestSessionGroup]
) -> TestSessionGroup | None:
    """Return a group of *others* whose time overlaps *group*'s for *candidate*, or ``None``.

    Each group's time runs from its start to its end plus the candidate's
    extra time; cancelled groups and *group* itself do not count.

    Implements SCH-1.
    """
    extra = candidate.facilities.extra_time
    end = group.ends_at + extra
    for other in others:
        if other.id == group.id or other.state is GroupState.CANCELLED:
            continue
        if other.starts_at < end and group.starts_at < other.ends_at + extra:
            return other
    return None


def _move(
    attempt: Attempt, event: str, now: datetime, *, actor: str | None = None, reason: str = ""
) -> Attempt:
    target = next_attempt_state(attempt.state, event)
    ended = now if target.is_final else None
    return attrs.evolve(
        attempt,
        state=target,
        ended_at=ended if target.is_final else attempt.ended_at,
        reentry_allowed=False,
        log=(*attempt.log, AttemptEvent(event, now, actor, reason.strip())),
    )


_PROCTOR_EVENTS: Final = frozenset({"pause", "resume", "terminate", "reactivate"})


def _text(value: object, field: str) -> str:
    """Return *value* if it is text; refuse anything else (``None``, a number) as input."""
    if not isinstance(value, str):
        raise InvalidInput("input.not_text", field=field, actual=type(value).__name__)
    return value


def _find_group(uow: UnitOfWork, login: str, code: str) -> tuple[TestSessionGroup, Attempt] | None:
    if not is_login_name(login):
        return None  # no candidate has it: the backend is not asked
    try:
        candidate = uow.candidates.get_by_login_name(login)
    except NotFound:
        return None
    for attempt in uow.test_attempts.list_for_candidate(candidate.id):
        group = uow.session_groups.get(attempt.group)
        if group.state not in {GroupState.RELEASED, GroupState.BLOCKED}:
            continue
        if group.access_code is not None and normalise_access_code(group.access_code) == code:
            return group, attempt
    return None


def _enter(group: TestSessionGroup, attempt: Attempt, now: datetime) -> Attempt:
    if group.state is GroupState.BLOCKED:
        raise InvalidState("sessions.sign_in.blocked")
    if attempt.state is AttemptState.REGISTERED:
        started = _move(attempt, "start", now)
        return attrs.evolve(
            started,
            started_at=now,
            deadline=deadline_of(now, group.duration, attempt.extra_time, group.ends_at),
        )
    if attempt.state is AttemptState.IN_PROGRESS and attempt.reentry_allowed:
        return attrs.evolve(
            attempt, reentry_allowed=False, log=(*attempt.log, AttemptEvent("sign_in", now))
        )
    if attempt.state is AttemptState.IN_PROGRESS:
        raise InvalidState("sessions.sign_in.running")
    if attempt.state is AttemptState.PAUSED:
        raise InvalidState("sessions.sign_in.paused")
    raise InvalidState("sessions.sign_in.finished")


def _current_year(uow: UnitOfWork, location: LocationCode, now: datetime) -> SchoolYear:
    """Return the current school year of *location*: the calendar's, never the latest import.

    Raises:
        NotFound: nothing was imported for the location, or not for the current year.
    """
    years = uow.pupils.school_years(location)
    if not years:
        raise NotFound("imports.location.no_import", field="location", location=str(location))
    year = SchoolYear.at(now)
    if year not in years:
        raise NotFound(
            "imports.school_year.not_imported",
            field="school_year",
            location=str(location),
            school_year=str(year),
        )
    return year
