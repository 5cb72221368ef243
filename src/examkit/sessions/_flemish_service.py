"""Use cases of the Flemish tests' school desk: registration in its window, validation, lists."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING, NoReturn

import attrs

from examkit.audit import AuditEvent, record_refusal
from examkit.errors import ExamkitError, ExamkitErrorGroup, InvalidInput, InvalidState, NotPermitted
from examkit.identifiers import Instellingsnummer, SchoolYear
from examkit.ports import AuditLog, Clock
from examkit.roles import Actor
from examkit.sessions._flemish import (
    FlemishRegistration,
    Logbook,
    ParticipationLine,
    PupilRegistration,
    RegistrationWindow,
    TestMoment,
    TestReport,
    participation_list,
    registration_problems,
    test_report,
)

if TYPE_CHECKING:
    from examkit.records import Backend


class FlemishService:
    """The Flemish tests' school desk (*Vlaamse toetsen Schoolloket*); ``kit.flemish``.

    Changes are possible only inside the registration window and until the
    coordinator validates; the coordinator and the assistants act with the
    roles of the permission matrix at their school. Refusals change nothing
    and are audited.

    Implements SCH-9 and ROLE-6.
    """

    def __init__(self, *, backend: Backend, clock: Clock, audit: AuditLog) -> None:
        self._backend = backend
        self._clock = clock
        self._audit = audit

    def _record(self, actor: str, action: str, subject: str, outcome: str = "success") -> None:
        self._audit.record(
            AuditEvent(
                at=self._clock.now(),
                actor=actor,
                action=action,
                subject=subject,
                outcome="denied" if outcome == "denied" else "success",
            )
        )

    def _refuse(self, actor: str, action: str, subject: str, error: ExamkitError) -> NoReturn:
        event = AuditEvent(at=self._clock.now(), actor=actor, action=action, subject=subject)
        record_refusal(self._audit, error, event)
        raise error

    def open_registration(
        self,
        actor: Actor,
        *,
        school: Instellingsnummer,
        school_year: SchoolYear,
        window: RegistrationWindow,
        parents_deadline: date,
        moments: Iterable[TestMoment] = (),
    ) -> FlemishRegistration:
        """Start a school's registration for a school year (the desk opens it for the school).

        Raises:
            NotPermitted: *actor* is not the school's test coordinator.
            AlreadyExists: the school has a registration for that year.
        """
        subject = f"flemish:{school}:{school_year}"
        if not actor.may("vlaamse_toetsen.test_moments.view", school):
            self._refuse(actor.account, "sessions.flemish.open", subject, NotPermitted())
        registration = FlemishRegistration(
            school=school,
            school_year=school_year,
            window=window,
            parents_deadline=parents_deadline,
            moments=moments,
        )
        with self._backend.begin() as uow:
            stored = uow.flemish_registrations.add(registration)
            uow.commit()
        self._record(actor.account, "sessions.flemish.open", subject)
        return stored

    def get(self, registration_id: str) -> FlemishRegistration:
        """Return the registration *registration_id* (``<school>:<school year>``).

        Raises:
            NotFound: there is none.
        """
        with self._backend.begin(readonly=True) as uow:
            return uow.flemish_registrations.get(registration_id)

    def _change(
        self,
        actor: Actor,
        registration_id: str,
        action: str,
        what: str,
        change: Callable[[FlemishRegistration], FlemishRegistration],
    ) -> FlemishRegistration:
        subject = f"flemish:{registration_id}"
        with self._backend.begin() as uow:
            registration = uow.flemish_registrations.get(registration_id)
            if not actor.may(action, registration):
                self._refuse(actor.account, what, subject, NotPermitted())
            try:
                registration.window.check(self._clock.now())
                if registration.is_locked:
                    raise InvalidState("sessions.flemish.locked")
                changed = change(registration)
            except ExamkitError as error:
                self._refuse(actor.account, what, subject, error)
            stored = uow.flemish_registrations.update(changed)
            uow.commit()
        self._record(actor.account, what, subject)
        return stored

    def set_pupil(
        self, actor: Actor, registration_id: str, pupil: PupilRegistration
    ) -> FlemishRegistration:
        """Add or replace a pupil's registration (exemptions, participation, questionnaire, aids).

        Raises:
            NotPermitted: *actor* is not the school's coordinator.
            InvalidState: outside the window (the error says until when), or validated.
        """

        def change(registration: FlemishRegistration) -> FlemishRegistration:
            others = [p for p in registration.pupils if p.pupil != pupil.pupil]
            return attrs.evolve(
                registration, pupils=sorted([*others, pupil], key=lambda p: p.pupil)
            )

        return self._change(
            actor,
            registration_id,
            "vlaamse_toetsen.exemptions.set",
            "sessions.flemish.pupil",
            change,
        )

    def add_group(self, actor: Actor, registration_id: str, group: str) -> FlemishRegistration:
        """Create a pupil group (*leerlingengroep aanmaken*).

        Raises:
            NotPermitted: *actor* is not the school's coordinator.
            InvalidState: outside the window, or validated.
            InvalidInput: the group exists.
        """

        def change(registration: FlemishRegistration) -> FlemishRegistration:
            name = " ".join(group.split())
            if not name or name in registration.groups:
                raise InvalidInput("sessions.flemish.group_taken", field="group", group=name)
            return attrs.evolve(registration, groups=(*registration.groups, name))

        return self._change(
            actor,
            registration_id,
            "vlaamse_toetsen.pupil_groups.create",
            "sessions.flemish.group",
            change,
        )

    def validate(self, actor: Actor, registration_id: str) -> FlemishRegistration:
        """Validate the registration: report every inconsistency, or lock it.

        Raises:
            NotPermitted: *actor* is not the school's coordinator.
            InvalidState: outside the window, or validated already.
            ExamkitErrorGroup: every inconsistency (nothing is locked).
        """
        now = self._clock.now()

        def change(registration: FlemishRegistration) -> FlemishRegistration:
            problems = registration_problems(registration)
            if problems:
                raise ExamkitErrorGroup(problems, "sessions.flemish.invalid")
            return attrs.evolve(registration, validated_at=now, validated_by=actor.account)

        return self._change(
            actor,
            registration_id,
            "vlaamse_toetsen.registration.validate",
            "sessions.flemish.validate",
            change,
        )

    def participation_list(
        self, actor: Actor, registration_id: str
    ) -> tuple[ParticipationLine, ...]:
        """Return the participation list with exemptions and accommodations (*deelnamelijst*).

        Raises:
            NotPermitted: *actor* may not download it.
        """
        registration = self.get(registration_id)
        if not actor.may("vlaamse_toetsen.participation_list.download", registration):
            self._refuse(
                actor.account, "sessions.flemish.list", f"flemish:{registration_id}", NotPermitted()
            )
        return participation_list(registration)

    def add_logbook(
        self, actor: Actor, registration_id: str, logbook: Logbook
    ) -> FlemishRegistration:
        """Store an assistant's logbook of a test moment (after validation, outside the window).

        Raises:
            NotPermitted: *actor* is not a test assistant of the school.
            InvalidInput: the moment or group is unknown.
        """
        subject = f"flemish:{registration_id}"
        what = "sessions.flemish.logbook"
        with self._backend.begin() as uow:
            registration = uow.flemish_registrations.get(registration_id)
            if not actor.may("vlaamse_toetsen.logbook.fill_in", registration):
                self._refuse(actor.account, what, subject, NotPermitted())
            if all(m.code != logbook.moment for m in registration.moments):
                self._refuse(
                    actor.account,
                    what,
                    subject,
                    InvalidInput(
                        "sessions.flemish.unknown_moment", field="moment", moment=logbook.moment
                    ),
                )
            if logbook.group not in registration.groups:
                self._refuse(
                    actor.account,
                    what,
                    subject,
                    InvalidInput(
                        "sessions.flemish.unknown_group", field="group", group=logbook.group
                    ),
                )
            book = attrs.evolve(logbook, assistant=actor.account)
            stored = uow.flemish_registrations.update(
                attrs.evolve(registration, logbooks=(*registration.logbooks, book))
            )
            uow.commit()
        self._record(actor.account, what, subject)
        return stored

    def test_report(self, actor: Actor, registration_id: str, moment: str) -> TestReport:
        """Return the test report of *moment*, built from the assistants' logbooks.

        Raises:
            NotPermitted: *actor* is not the school's coordinator.
        """
        registration = self.get(registration_id)
        if not actor.may("vlaamse_toetsen.test_report.fill_in", registration):
            subject = f"flemish:{registration_id}"
            self._refuse(actor.account, "sessions.flemish.report", subject, NotPermitted())
        return test_report(registration, moment)
