"""The Flemish central tests' school desk (*Vlaamse toetsen Schoolloket*).

A Flemish school's coordinator registers the school's pupils for the tests
of a school year (:class:`FlemishRegistration`) inside the registration
window (:class:`RegistrationWindow`), in groups; validating the
registration locks it (:func:`registration_problems` says what is missing);
the desk prints the participation list (:func:`participation_list`) and,
after a test moment, its report from the logbooks (:func:`test_report`).
The use cases are :class:`FlemishDesk` (``kit.flemish``). The Flemish tests
are taken on paper at the school: nothing here plans a session group or
signs a candidate in (that is :mod:`examkit.scheduling`, the Dutch exam
systems' way).

Implements SCH-9 and ROLE-6.
"""

from examkit.flemish._desk import DESK_READ, DESK_VIEW, LOGBOOK, FlemishDesk, NewPupil
from examkit.flemish._model import (
    BRUSSELS,
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
from examkit.flemish._records import (
    FLEMISH_REGISTRATIONS,
    FlemishRegistrationRecords,
    FlemishRegistrationRepository,
)

__all__ = [
    "BRUSSELS",
    "DESK_READ",
    "DESK_VIEW",
    "FLEMISH_REGISTRATIONS",
    "LOGBOOK",
    "FlemishDesk",
    "FlemishRegistration",
    "FlemishRegistrationRecords",
    "FlemishRegistrationRepository",
    "Logbook",
    "NewPupil",
    "ParticipationLine",
    "PupilRegistration",
    "RegistrationWindow",
    "TestMoment",
    "TestReport",
    "participation_list",
    "registration_problems",
    "test_report",
]
