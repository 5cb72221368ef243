"""Use cases of the Flemish tests' school desk: registration in its window, validation, lists."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Final

import attrs

from examkit._reading import note_reads, pupil_subject
from examkit.errors import (
    AlreadyExists,
    ExamkitError,
    ExamkitErrorGroup,
    InvalidInput,
    InvalidState,
    NotPermitted,
)
from examkit.flemish._model import (
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
from examkit.identifiers import Instellingsnummer, SchoolYear
from examkit.usecase import Ports, UseCase

DESK_VIEW: Final = "vlaamse_toetsen.test_moments.view"
"""The action by which a school's test coordinator consults its registrations."""
LOGBOOK: Final = "vlaamse_toetsen.logbook.fill_in"
"""The action by which a test assistant fills in logbooks (and reads what they need for it)."""
DESK_READ: Final = (DESK_VIEW, LOGBOOK)
"""The actions that let someone read a school's registrations: the coordinator's and the test
assistant's (who fills in a logbook per test moment and pupil group)."""
_LISTED: Final = 50


def _subject(registration_id: str) -> str:
    return f"flemish:{registration_id}"


@attrs.frozen
class NewPupil:
    """A pupil to register with :meth:`FlemishDesk.register_pupils`: key, name and group.

    The values are checked by the use case (as a
    :class:`~examkit.flemish.PupilRegistration`'s), so that a refusal names
    the pupil and its place in the list.
    """

    key: str
    """The pupil's key in the school's data (e.g. its EDEXML file)."""
    name: str
    """The pupil's name."""
    group: str = ""
    """The pupil group (*leerlingengroep*), "" for none yet."""


_UNUSABLE: Final = {"pupil": "sessions.flemish.batch_key", "name": "sessions.flemish.batch_name"}
"""The refusal of a pupil whose key or name :class:`PupilRegistration` refuses (else its group)."""


def _refused(
    kind: type[ExamkitError], code: str, line: int, pupil: NewPupil, **more: object
) -> ExamkitError:
    """Return the refusal *code* of the list's pupil at *line*, naming it (``pupil:<key>``)."""
    return kind(
        code,
        field=f"pupil:{pupil.key}",
        line=line,
        position=line,
        pupil=pupil.key,
        name=pupil.name,
        group=pupil.group,
        **more,
    )


def _registered(
    registration: FlemishRegistration, pupils: Sequence[NewPupil]
) -> tuple[PupilRegistration, ...]:
    """Return *pupils* as new registrations of *registration*, or refuse at the first bad one.

    Raises:
        InvalidInput: the list is empty; a pupil's key or name is empty or too long, its key is
            in the list twice, or its group is not one of the registration's (``field`` is
            ``pupil:<key>``, ``line`` the pupil's place in the list, from 1).
        AlreadyExists: a pupil is registered already.
    """
    if not pupils:
        raise InvalidInput("sessions.flemish.batch_empty", field="pupils")
    registered = {pupil.pupil for pupil in registration.pupils}
    seen: dict[str, int] = {}
    made: list[PupilRegistration] = []
    for line, entry in enumerate(pupils, start=1):
        shown = NewPupil(*(" ".join(text.split()) for text in (entry.key, entry.name, entry.group)))
        try:
            pupil = PupilRegistration(entry.key, entry.name, group=shown.group)
        except InvalidInput as error:
            code = _UNUSABLE.get(error.field or "", "sessions.flemish.batch_group")
            raise _refused(InvalidInput, code, line, shown) from error
        if pupil.pupil in seen:
            raise _refused(
                InvalidInput, "sessions.flemish.batch_twice", line, shown, first=seen[pupil.pupil]
            )
        if pupil.pupil in registered:
            raise _refused(AlreadyExists, "sessions.flemish.batch_registered", line, shown)
        if pupil.group and pupil.group not in registration.groups:
            raise _refused(InvalidInput, "sessions.flemish.batch_group", line, shown)
        seen[pupil.pupil] = line
        made.append(pupil)
    return tuple(made)


class FlemishDesk:
    """The Flemish tests' school desk (*Vlaamse toetsen Schoolloket*); ``kit.flemish``.

    Changes are possible only inside the registration window and until the
    coordinator validates; the coordinator and the assistants act with the
    roles of the permission matrix at their school. Refusals change nothing
    and are audited.

    Args:
        ports: The wired ports.

    Implements SCH-9 and ROLE-6.
    """

    def __init__(self, ports: Ports) -> None:
        self._ports = ports

    def open_registration(
        self,
        actor: str,
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
        with UseCase(self._ports, "sessions.flemish.open", subject, actor=actor) as unit:
            unit.require("vlaamse_toetsen.test_moments.view", school)
            registration = FlemishRegistration(
                school=school,
                school_year=school_year,
                window=window,
                parents_deadline=parents_deadline,
                moments=moments,
            )
            stored = unit.uow.flemish_registrations.add(registration)
            unit.audit()
            unit.commit()
        return stored

    def get(self, registration_id: str) -> FlemishRegistration:
        """Return the registration *registration_id* (``<school>:<school year>``).

        Raises:
            NotFound: there is none.
        """
        with self._ports.backend.begin(readonly=True) as uow:
            return uow.flemish_registrations.get(registration_id)

    def registrations_for(self, actor: str) -> tuple[FlemishRegistration, ...]:
        """Return the registrations of the schools where *actor* reads them, by key.

        A grant of one of :data:`DESK_READ` (the test coordinator's, the
        test assistant's) at a school counts; without one the answer is
        empty.

        Implements SCH-9 and ROLE-6.
        """
        with UseCase(
            self._ports, "sessions.flemish.registrations", "flemish:*", actor=actor, readonly=True
        ) as unit:
            schools = sorted(
                {
                    place
                    for action in DESK_READ
                    for key in unit.actor.places(action)
                    for place in (key if isinstance(key, tuple) else (key,))
                    if isinstance(place, Instellingsnummer)
                }
            )
            found: list[FlemishRegistration] = []
            for school in schools:
                prefix = f"{school}:"
                after: str | None = prefix
                while after is not None:
                    page = unit.uow.flemish_registrations.list(after=after, limit=_LISTED)
                    mine = [item for item in page.items if item.id.startswith(prefix)]
                    found.extend(mine)
                    more = len(mine) == len(page.items)
                    after = page.next_after if more else None
            _read(unit, found, "registration")
        return tuple(found)

    def registration(self, actor: str, registration_id: str) -> FlemishRegistration:
        """Return the registration *registration_id* to its school's coordinator or assistants.

        Raises:
            NotFound: there is none.
            NotPermitted: *actor* may do none of :data:`DESK_READ` at the school.

        Implements SCH-9 and ROLE-6.
        """
        with UseCase(
            self._ports,
            "sessions.flemish.view",
            _subject(registration_id),
            actor=actor,
            readonly=True,
        ) as unit:
            registration = unit.uow.flemish_registrations.get(registration_id)
            if not any(unit.actor.may(action, registration) for action in DESK_READ):
                raise NotPermitted("permission.denied")
            _read(unit, [registration], "registration")
        return registration

    def _change(
        self,
        actor: str,
        registration_id: str,
        action: str,
        what: str,
        change: Callable[[UseCase, FlemishRegistration], FlemishRegistration],
        *,
        audited: bool = True,
    ) -> FlemishRegistration:
        """Apply *change* in the window, before validation, if *actor* may do *action*.

        The change is audited with the unit's action unless *change* notes its own event
        (*audited* false).
        """
        with UseCase(self._ports, what, _subject(registration_id), actor=actor) as unit:
            registration = unit.uow.flemish_registrations.get(registration_id)
            unit.require(action, registration)
            registration.window.check(unit.now)
            if registration.is_locked:
                raise InvalidState("sessions.flemish.locked")
            stored = unit.uow.flemish_registrations.update(change(unit, registration))
            if audited:
                unit.audit()
            unit.commit()
        return stored

    def set_pupil(
        self, actor: str, registration_id: str, pupil: PupilRegistration
    ) -> FlemishRegistration:
        """Add or replace a pupil's registration (exemptions, participation, questionnaire, aids).

        Raises:
            NotPermitted: *actor* is not the school's coordinator.
            InvalidState: outside the window (the error says until when), or validated.
        """

        def change(_: UseCase, registration: FlemishRegistration) -> FlemishRegistration:
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

    def register_pupils(
        self, actor: str, registration_id: str, pupils: Iterable[NewPupil]
    ) -> FlemishRegistration:
        """Register several pupils at once (e.g. all of the school's EDEXML file), or none.

        One unit of work, checked like :meth:`set_pupil` (the school's
        coordinator, in the window, before validation) and audited in its
        transaction (one event with the number of pupils). A pupil that
        cannot be registered refuses the whole list: nothing is stored, and
        the error names the pupil (``field`` ``pupil:<key>``, ``line`` its
        place in the list).

        Raises:
            NotPermitted: *actor* is not the school's coordinator.
            InvalidState: outside the window (the error says until when), or validated.
            InvalidInput: the list is empty, or a pupil's key, name or group is unusable or
                its key is in the list twice.
            AlreadyExists: a pupil of the list is registered already.

        Implements SCH-9.
        """
        batch = tuple(pupils)

        def change(unit: UseCase, registration: FlemishRegistration) -> FlemishRegistration:
            made = _registered(registration, batch)
            unit.audit(details={"pupils": str(len(made))})
            return attrs.evolve(
                registration,
                pupils=sorted([*registration.pupils, *made], key=lambda p: p.pupil),
            )

        return self._change(
            actor,
            registration_id,
            "vlaamse_toetsen.exemptions.set",
            "sessions.flemish.pupils",
            change,
            audited=False,
        )

    def add_group(self, actor: str, registration_id: str, group: str) -> FlemishRegistration:
        """Create a pupil group (*leerlingengroep aanmaken*).

        Raises:
            NotPermitted: *actor* is not the school's coordinator.
            InvalidState: outside the window, or validated.
            InvalidInput: the group exists.
        """

        def change(_: UseCase, registration: FlemishRegistration) -> FlemishRegistration:
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

    def validate(self, actor: str, registration_id: str) -> FlemishRegistration:
        """Validate the registration: report every inconsistency, or lock it.

        Raises:
            NotPermitted: *actor* is not the school's coordinator.
            InvalidState: outside the window, or validated already.
            ExamkitErrorGroup: every inconsistency (nothing is locked).
        """

        def change(unit: UseCase, registration: FlemishRegistration) -> FlemishRegistration:
            problems = registration_problems(registration)
            if problems:
                raise ExamkitErrorGroup(problems, "sessions.flemish.invalid")
            return attrs.evolve(registration, validated_at=unit.now, validated_by=actor)

        return self._change(
            actor,
            registration_id,
            "vlaamse_toetsen.registration.validate",
            "sessions.flemish.validate",
            change,
        )

    def participation_list(self, actor: str, registration_id: str) -> tuple[ParticipationLine, ...]:
        """Return the participation list with exemptions and accommodations (*deelnamelijst*).

        Raises:
            NotPermitted: *actor* may not download it.
        """
        with UseCase(
            self._ports,
            "sessions.flemish.list",
            _subject(registration_id),
            actor=actor,
            readonly=True,
        ) as unit:
            registration = unit.uow.flemish_registrations.get(registration_id)
            unit.require("vlaamse_toetsen.participation_list.download", registration)
            _read(unit, [registration], "participation")
        return participation_list(registration)

    def add_logbook(
        self, actor: str, registration_id: str, logbook: Logbook
    ) -> FlemishRegistration:
        """Store an assistant's logbook of a test moment (after validation, outside the window).

        Raises:
            NotPermitted: *actor* is not a test assistant of the school.
            InvalidInput: the moment or group is unknown.
        """
        with UseCase(
            self._ports, "sessions.flemish.logbook", _subject(registration_id), actor=actor
        ) as unit:
            registration = unit.uow.flemish_registrations.get(registration_id)
            unit.require(LOGBOOK, registration)
            if all(m.code != logbook.moment for m in registration.moments):
                raise InvalidInput(
                    "sessions.flemish.unknown_moment", field="moment", moment=logbook.moment
                )
            if logbook.group not in registration.groups:
                raise InvalidInput(
                    "sessions.flemish.unknown_group", field="group", group=logbook.group
                )
            book = attrs.evolve(logbook, assistant=actor)
            stored = unit.uow.flemish_registrations.update(
                attrs.evolve(registration, logbooks=(*registration.logbooks, book))
            )
            unit.audit()
            unit.commit()
        return stored

    def test_report(self, actor: str, registration_id: str, moment: str) -> TestReport:
        """Return the test report of *moment*, built from the assistants' logbooks.

        Raises:
            NotPermitted: *actor* is not the school's coordinator.
        """
        with UseCase(
            self._ports,
            "sessions.flemish.report",
            _subject(registration_id),
            actor=actor,
            readonly=True,
        ) as unit:
            registration = unit.uow.flemish_registrations.get(registration_id)
            unit.require("vlaamse_toetsen.test_report.fill_in", registration)
            _read(unit, [registration], "test_report")
        return test_report(registration, moment)


def _read(unit: UseCase, registrations: Iterable[FlemishRegistration], what: str) -> None:
    """Note the read of *what* of every pupil registered in *registrations* (PRIV-2)."""
    for registration in registrations:
        note_reads(
            unit,
            (pupil_subject(registration.school, pupil.pupil) for pupil in registration.pupils),
            what,
            str(registration.school),
            listed=_subject(registration.id),
        )
