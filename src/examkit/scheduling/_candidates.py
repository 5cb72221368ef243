"""Tests and candidates: register a test, add or read in candidates, order answer sheets."""

from __future__ import annotations

from collections.abc import Collection, Sequence

import attrs

from examkit._reading import note_reads
from examkit.errors import ExamkitError, ExamkitErrorGroup, InvalidInput
from examkit.identifiers import LocationCode
from examkit.scheduling._candidate_file import read_candidate_file
from examkit.scheduling._codes import new_login_name
from examkit.scheduling._common import (
    all_candidates,
    current_year,
    location_subject,
    new_candidate,
)
from examkit.scheduling._model import Candidate, Exam, Facilities
from examkit.scheduling._paper import AnswerSheetOrder, order_answer_sheets
from examkit.scheduling._pupils import candidate_fields, chosen_pupils, class_counts, current_pupils
from examkit.usecase import Ports, UseCase

IMPORT: str = "facet.candidates.import"
"""The permission to add or read in candidates at a location."""
OVERVIEW: str = "facet.candidates.overview"
"""The permission to see the candidates of a location."""
FT_PLAN: str = "facet.ft.session_groups.create"
"""The functionality-test planner's: they choose a functionality-test group's candidates."""


class CandidateRegistry:
    """Tests and candidates (``kit.candidates``): who sits which test.

    Args:
        ports: The wired ports.

    Implements SCH-1 and EDX-3.
    """

    def __init__(self, ports: Ports) -> None:
        self._ports = ports

    def register_exam(self, exam: Exam, *, by: str | None = None) -> Exam:
        """Store a test definition (as the exam board's supplier does).

        Raises:
            AlreadyExists: a test with its code exists.
        """
        with UseCase(
            self._ports, "sessions.exam.registered", f"exam:{exam.code}", actor=by
        ) as unit:
            stored = unit.uow.exams.add(exam)
            unit.audit()
            unit.commit()
        return stored

    def exam(self, code: str) -> Exam:
        """Return the test *code*.

        Raises:
            NotFound: there is none.
        """
        with self._ports.backend.begin(readonly=True) as uow:
            return uow.exams.get(code)

    def candidate(self, candidate_id: str) -> Candidate:
        """Return the candidate *candidate_id*.

        Raises:
            NotFound: there is none.
        """
        with self._ports.backend.begin(readonly=True) as uow:
            return uow.candidates.get(candidate_id)

    def add_candidate(
        self,
        actor: str,
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
        subject = location_subject(location)
        with UseCase(self._ports, "sessions.candidate", subject, actor=actor) as unit:
            unit.require(IMPORT, location)
            candidate = new_candidate(
                unit.uow,
                self._ports.secrets,
                location=location,
                first_name=first_name,
                last_name=last_name,
                number=number,
                class_key=class_key,
                pupil_key=pupil_key,
                facilities=facilities or Facilities(),
            )
            stored = unit.uow.candidates.add(candidate)
            unit.audit("sessions.candidate.added", subject=f"candidate:{stored.id}")
            unit.commit()
        return stored

    def add_candidates(self, actor: str, candidates: Sequence[Candidate]) -> tuple[Candidate, ...]:
        """Store read candidates, all or nothing, giving each a login name and an id.

        The candidates' own ``id`` and ``login_name`` are replaced.

        Raises:
            NotPermitted: *actor* may not read in candidates at one of their locations.

        Implements SCH-1.
        """
        with UseCase(self._ports, "sessions.candidate", "candidates", actor=actor) as unit:
            made = self._store(unit, candidates)
            unit.commit()
        return made

    def import_candidates(
        self, actor: str, location: LocationCode, data: bytes
    ) -> tuple[Candidate, ...]:
        """Read a candidate file (*inlezen kandidatenbestand*) and store its candidates.

        Every problem of the file is reported at once, each with its line,
        and nothing is stored from a file with problems (the refusal is
        audited). See :func:`~examkit.scheduling.read_candidate_file`.

        Raises:
            NotPermitted: *actor* may not read in candidates at *location*.
            ExamkitErrorGroup: the file's problems.

        Implements SCH-1.
        """
        subject = location_subject(location)
        with UseCase(self._ports, "sessions.candidates.import", subject, actor=actor) as unit:
            unit.require(IMPORT, location)
            try:
                rows = read_candidate_file(data)
            except ExamkitErrorGroup as error:
                unit.details["problems"] = str(len(error.problems))
                raise
            read = [
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
            made = self._store(unit, read)
            unit.commit()
        return made

    def _store(self, unit: UseCase, candidates: Sequence[Candidate]) -> tuple[Candidate, ...]:
        """Check the actor at every location of *candidates*, then store fresh copies of them."""
        for location in sorted({c.location for c in candidates}, key=str):
            unit.subject = location_subject(location)
            unit.require(IMPORT, location)
        secrets = self._ports.secrets
        made: list[Candidate] = []
        taken: set[str] = set()
        for candidate in candidates:
            fresh = new_candidate(
                unit.uow,
                secrets,
                location=candidate.location,
                first_name=candidate.first_name,
                last_name=candidate.last_name,
                number=candidate.number,
                class_key=candidate.class_key,
                pupil_key=candidate.pupil_key,
                facilities=candidate.facilities,
            )
            while fresh.login_name in taken:  # pragma: no cover - 25^8 names
                fresh = attrs.evolve(fresh, login_name=new_login_name(secrets))
            taken.add(fresh.login_name)
            made.append(fresh)
        unit.uow.candidates.add_many(made)
        unit.audit(
            "sessions.candidates.imported", subject="candidates", details={"count": str(len(made))}
        )
        return tuple(attrs.evolve(c, version=1) for c in made)

    def candidates(self, actor: str, location: LocationCode) -> tuple[Candidate, ...]:
        """Return the candidates of *location*, by last and first name (*overzicht kandidaten*).

        For who may see or read in candidates there, and for the
        functionality-test planner, who chooses the candidates of a
        functionality-test group among them.

        Raises:
            NotPermitted: *actor* may do none of these at *location*.

        Implements SCH-1.
        """
        subject = location_subject(location)
        with UseCase(
            self._ports, "sessions.candidates.listed", subject, actor=actor, readonly=True
        ) as unit:
            me = unit.actor
            if not (me.may(OVERVIEW, location) or me.may(FT_PLAN, location)):
                unit.require(IMPORT, location)
            found = all_candidates(unit.uow, location)
            note_reads(unit, (f"candidate:{c.id}" for c in found), "candidates", str(location))
        return tuple(sorted(found, key=lambda c: (c.last_name, c.first_name, c.login_name)))

    def set_facilities(self, actor: str, candidate_id: str, facilities: Facilities) -> Candidate:
        """Give candidate *candidate_id* these *facilities* (extra time, aids).

        The groups planned from then on take them; a group planned before
        keeps the extra time it fixed when planned. Whether the extra time
        fits a central exam (at most
        :data:`~examkit.scheduling.MAX_CENTRAL_EXTRA_TIME` minutes) is
        checked when the candidate is planned for one. Facilities settled
        while planning a group go with the plan instead
        (:meth:`Planning.plan <examkit.scheduling.Planning.plan>`'s
        ``facilities``), so a refused plan changes none.

        Raises:
            NotPermitted: *actor* may not read in candidates at the candidate's location.
            NotFound: there is no such candidate.

        Implements SCH-1.
        """
        if not isinstance(facilities, Facilities):
            raise InvalidInput("input.invalid", field="facilities")
        subject = f"candidate:{candidate_id}"
        with UseCase(self._ports, "sessions.candidate.facilities", subject, actor=actor) as unit:
            candidate = unit.uow.candidates.get(candidate_id)
            unit.require(IMPORT, candidate.location)
            if candidate.facilities == facilities:
                return candidate
            stored = unit.uow.candidates.update(attrs.evolve(candidate, facilities=facilities))
            unit.audit(details={"extra_time": str(facilities.extra_time_minutes)})
            unit.commit()
        return stored

    def correct_name(
        self,
        actor: str,
        candidate_id: str,
        *,
        first_name: str | None = None,
        last_name: str | None = None,
    ) -> Candidate:
        """Correct candidate *candidate_id*'s first or last name (``None`` keeps it).

        For a name typed wrong when the candidate was added (the person's
        right to rectification, PRIV-2); audited with the fields changed.
        A candidate made from an imported pupil is corrected at the source
        instead (:meth:`PrivacyExport.correct <examkit.privacy.PrivacyExport.correct>`
        says so).

        Raises:
            NotPermitted: *actor* may not read in candidates at the candidate's location.
            NotFound: there is no such candidate.
            InvalidInput: a name is empty or too long.

        Implements SCH-1 and PRIV-2.
        """
        changed = [
            name
            for name, value in (("first_name", first_name), ("last_name", last_name))
            if value is not None
        ]
        subject = f"candidate:{candidate_id}"
        details = {"fields": ",".join(changed)}
        with UseCase(
            self._ports, "sessions.candidate.corrected", subject, actor=actor, details=details
        ) as unit:
            candidate = unit.uow.candidates.get(candidate_id)
            unit.require(IMPORT, candidate.location)
            corrected = attrs.evolve(
                candidate,
                first_name=candidate.first_name if first_name is None else first_name,
                last_name=candidate.last_name if last_name is None else last_name,
            )
            stored = unit.uow.candidates.update(corrected)
            unit.audit()
            unit.commit()
        return stored

    def add_candidates_from_pupils(
        self,
        actor: str,
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
        subject = location_subject(location)
        with UseCase(self._ports, "sessions.candidates.pupils", subject, actor=actor) as unit:
            unit.require(IMPORT, location)
            uow, secrets = unit.uow, self._ports.secrets
            year = current_year(uow, location, unit.now)
            chosen = chosen_pupils(
                current_pupils(uow, location, year), classes=classes, keys=pupils
            )
            known = {c.pupil_key: c for c in all_candidates(uow, location) if c.pupil_key}
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
                fresh = new_candidate(uow, secrets, **fields)
                while fresh.login_name in taken:  # pragma: no cover - 25^8 names
                    fresh = attrs.evolve(fresh, login_name=new_login_name(secrets))
                taken.add(fresh.login_name)
                made.append(fresh)
                result.append(attrs.evolve(fresh, version=1))
            if problems:
                raise ExamkitErrorGroup(problems)
            uow.candidates.add_many(made)
            unit.audit(
                "sessions.candidates.from_pupils",
                details={"new": str(len(made)), "kept": str(len(result) - len(made))},
            )
            unit.commit()
        return tuple(result)

    def answer_sheet_order(
        self,
        actor: str,
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
        subject = location_subject(location)
        with UseCase(
            self._ports, "sessions.answer_sheets", subject, actor=actor, readonly=True
        ) as unit:
            unit.require("ce_portal.paper_test.order", location)
            test = unit.uow.exams.get(exam)
            year = current_year(unit.uow, location, unit.now)
            counts = class_counts(current_pupils(unit.uow, location, year), classes)
            return order_answer_sheets(test, counts, spares=spares)
