"""Who read whose data: the ``privacy.read`` audit event, for every reading use case (PRIV-2).

Kept below the domain packages (it needs only the use-case unit), so that a
use case of any layer notes its reads without importing :mod:`examkit.privacy`.

:data:`READINGS` is the table of the kit's reading use cases: what each
returns and the reads it records (or why it records none). The tests run
every use case it says records reads, and the docs print it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Final, Literal

import attrs

from examkit._read_marks import school_day
from examkit.audit import AuditEvent

if TYPE_CHECKING:
    from examkit.usecase import UseCase

READ: Final = "privacy.read"
"""The audit action of a read of a person's results or personal data."""

Whose = Literal["pupil", "candidate", "account", "person"]
"""The kinds of person a read names (the part of its subject before ``:``; ``person``: any)."""


@attrs.frozen
class Reading:
    """One reading use case of the kit and the reads it records (a row of :data:`READINGS`)."""

    call: str
    """The use case, as the kit's service and method (``rosters.class_pupils``)."""
    data: str
    """What it returns of people, in words."""
    what: str | None
    """The ``details["what"]`` of its ``privacy.read`` events; ``None``: it records none."""
    whose: Whose | None = None
    """Whose reads it records: one event per person of this kind it returned."""
    why: str = ""
    """Why it records no read (for a use case whose :attr:`what` is ``None``)."""

    def __attrs_post_init__(self) -> None:
        if (self.what is None) != (self.whose is None) or (self.what is None) != bool(self.why):
            raise ValueError(f"{self.call}: a reading records a what and whose, or says why not")

    @property
    def records(self) -> bool:
        """Whether it records reads."""
        return self.what is not None


_OWN: Final = "the actor's own data: reading oneself is not logged"
_NO_ACTOR: Final = (
    "takes no acting account (the library's read for a caller that checked who may): "
    "the caller's own use case records the read"
)
_NONE: Final = "no person's data (names of places, classes, tests, counts, candidate ids only)"

READINGS: Final[tuple[Reading, ...]] = (
    # -- pupils --------------------------------------------------------------------------------
    Reading(
        "rosters.class_pupils", "a class's pupils: names, birth dates, classes", "pupils", "pupil"
    ),
    Reading("rosters.pupils_for", "every pupil of a location or Flemish school", "pupils", "pupil"),
    Reading(
        "flemish.participation_list",
        "the pupils registered for a Flemish test, with their participation",
        "participation",
        "pupil",
    ),
    Reading(
        "flemish.test_report",
        "a Flemish test's report: each registered pupil's participation",
        "test_report",
        "pupil",
    ),
    Reading(
        "flemish.registration",
        "a school's Flemish registration: the pupils registered, by name",
        "registration",
        "pupil",
    ),
    Reading(
        "flemish.registrations_for",
        "the Flemish registrations of the schools the actor reads: their pupils",
        "registration",
        "pupil",
    ),
    # -- candidates ----------------------------------------------------------------------------
    Reading(
        "candidates.candidates",
        "a location's candidates: names, facilities",
        "candidates",
        "candidate",
    ),
    Reading(
        "planning_desk.candidate_details",
        "a candidate: name, class, facilities",
        "candidate",
        "candidate",
    ),
    Reading(
        "planning_desk.group_details",
        "a session group with its candidates' names and attempts",
        "group",
        "candidate",
    ),
    Reading(
        "group_lifecycle.access_slips",
        "the candidates' names and login names with the access code",
        "access_slips",
        "candidate",
    ),
    Reading(
        "session_reports.session_report",
        "the session report: each candidate's attendance, times and incidents",
        "session_report",
        "candidate",
    ),
    # -- answers, scores and results -----------------------------------------------------------
    Reading(
        "correction_work.responses",
        "a candidate's answers to the open items",
        "answers",
        "candidate",
    ),
    Reading(
        "correction_work.work_list",
        "the scores of each candidate of a group",
        "scores",
        "candidate",
    ),
    Reading(
        "correction_work.closed_view",
        "a closed group's scores, per candidate",
        "scores",
        "candidate",
    ),
    Reading(
        "correction_work.differences",
        "the items the two correctors scored differently, per candidate",
        "scores",
        "candidate",
    ),
    Reading(
        "reviews.review", "a candidate's exam, answers and scores (inzage)", "review", "candidate"
    ),
    Reading(
        "reviews.review_page",
        "a candidate's review with the history of their scores (the review page)",
        "review",
        "candidate",
    ),
    Reading("reviews.history", "every version of a candidate's scores", "scores", "candidate"),
    Reading("results.results", "a closed group's results per candidate", "results", "candidate"),
    Reading(
        "results.result_rows", "a group's published results as report rows", "results", "candidate"
    ),
    Reading(
        "results.partial_report",
        "the results of the candidates fully scored",
        "results",
        "candidate",
    ),
    Reading(
        "results.reports",
        "the published results of a location's groups",
        "results_report",
        "candidate",
    ),
    Reading(
        "results.exchange",
        "each candidate's answers and scores for QTI exchange",
        "results",
        "candidate",
    ),
    # -- staff ---------------------------------------------------------------------------------
    Reading("users.list_at", "a location's users: names, e-mail, phone, roles", "users", "account"),
    Reading("users.user_at", "one user: name, e-mail, phone, roles", "user", "account"),
    # -- anyone: the export --------------------------------------------------------------------
    Reading("privacy_export.export", "everything stored about one person", "export", "person"),
    # -- what records no read ------------------------------------------------------------------
    Reading(
        "proctoring.monitor",
        "the sitting's live state: names, progress",
        None,
        why=(
            "the proctor's live view of the session on duty, polled every few seconds: "
            "no results or "
            "answers; what the proctor does to a candidate is audited"
        ),
    ),
    Reading("planning.group", "a session group", None, why=_NO_ACTOR),
    Reading("planning.attempts", "a group's attempts", None, why=_NO_ACTOR),
    Reading("corrections.correction", "a group's correction", None, why=_NO_ACTOR),
    Reading("corrections.sheet", "a candidate's correction sheet", None, why=_NO_ACTOR),
    Reading("flemish.get", "a Flemish registration", None, why=_NO_ACTOR),
    Reading("rosters.pupils", "a location's pupils", None, why=_NO_ACTOR),
    Reading("candidates.candidate", "one candidate", None, why=_NO_ACTOR),
    Reading("candidates.answer_sheet_order", "answer sheets to print, counted", None, why=_NONE),
    Reading("planning.planned_groups", "session groups", None, why=_NONE),
    Reading("planning_desk.day_groups", "a day's session groups", None, why=_NONE),
    Reading("planning_desk.classes", "classes with their number of pupils", None, why=_NONE),
    Reading("corrections.progress", "a correction's progress in counts", None, why=_NONE),
    Reading("rosters.classes", "a location's class list", None, why=_NONE),
    Reading("rosters.quantities", "the number of pupils per group", None, why=_NONE),
    Reading(
        "planning_desk.staff",
        "the colleagues who may proctor or correct: name, login name",
        None,
        why="colleagues' names to plan with, the working directory of the school: no details",
    ),
    Reading(
        "correctors.eligible",
        "the colleagues who may correct a group: name",
        None,
        why="colleagues' names to plan with, the working directory of the school: no details",
    ),
    Reading(
        "edexml_imports.get_preview",
        "the pupils of an uploaded EDEXML file, before they are stored",
        None,
        why="the administrator's own upload, shown back before it is stored; confirming is audited",
    ),
    Reading(
        "applications.queue",
        "the account applications waiting: applicant's name and e-mail",
        None,
        why="the service desk's own queue of requests it decides on (approval and rejection "
        "are audited); an applicant is no school's pupil, candidate or staff member yet",
    ),
    Reading(
        "mail_queue.waiting",
        "the e-mails the mail server refused: recipients' addresses",
        None,
        why="the service desk's delivery queue: addresses only, for delivery",
    ),
    Reading(
        "privacy_audit.browse",
        "a page of the audit trail of the administrator's locations",
        None,
        why="the trail itself: its readers are who the reads are shown to",
    ),
    Reading(
        "privacy_audit.list_at",
        "the audit trail of the administrator's locations",
        None,
        why="the trail itself: its readers are who the reads are shown to",
    ),
    Reading(
        "privacy_export.reads",
        "who read the data of a location's people",
        None,
        why=("the trail itself: its readers are who the reads are shown to"),
    ),
    Reading("profile.update_profile", "the actor's own account", None, why=_OWN),
    Reading("web_sessions.user", "the signed-in account", None, why=_OWN),
    Reading("sitting.open_page", "the candidate's own test", None, why=_OWN),
    Reading(
        "federated_accounts.links",
        "an account's federated links",
        None,
        why=(
            "identifiers of the account at its identity providers, read to unlink them; unlinking "
            "is audited"
        ),
    ),
    Reading(
        "offline_sync.send_down",
        "a group's candidates for an offline server",
        None,
        why=(
            "a machine's synchronisation, no person reading: the server's credential and hand-over "
            "are audited"
        ),
    ),
)
"""The kit's reading use cases: what each returns of people and the reads it records.

A use case that returns a pupil's, candidate's or staff member's personal
data or results records one ``privacy.read`` event per person it returned
(``note_reads`` in ``examkit._reading``); one that records none says why.
"""


def note_reads(
    unit: UseCase,
    subjects: Iterable[str],
    what: str,
    location: str,
    *,
    listed: str | None = None,
) -> None:
    """Note in *unit* that its actor read *what* of each of *subjects*, at *location*.

    A subject is a person: ``candidate:<id>``, ``pupil:<location>/<key>``,
    ``account:<id>``. One ``privacy.read`` event each (a subject named twice
    is one read), written with *unit*'s change when it commits, or, for a
    reading unit, as it closes (:meth:`~examkit.usecase.UseCase.record_reads`).
    On SQL they go in one ``INSERT``, however many people a list held. *listed* names the
    list they were read in (``class:<location>/<class>``), kept with each.

    A read the kit recorded earlier the same day (the same actor, *what* and
    person; :class:`~examkit.usecase.ReadMarks`) is not recorded again:
    the log holds the day's first read of each.
    """
    details = {"what": what, "location": location}
    if listed is not None:
        details["listed"] = listed
    marks, day, actor = unit.ports.read_marks, school_day(unit.now), unit.audit_actor or ""
    fresh = marks.unseen(day, actor, what, subjects)
    if fresh:  # a list viewed again that day makes no event at all
        first = unit.event(READ, details=details)
        unit.record_reads(_about(first, subject) for subject in fresh)
        unit.after_commit(lambda: marks.mark(day, actor, what, fresh))


_FIELDS: Final = tuple(field.name for field in attrs.fields(AuditEvent))


def _about(event: AuditEvent, subject: str) -> AuditEvent:
    """Return *event* about *subject*: its checked values shared, not checked again.

    ``attrs.evolve`` would run the moment's and the details' converters and
    validators once per person (about 60 µs); the values are *event*'s own,
    already checked, and a subject has no check. The events of one list
    share one details mapping, which the SQL backend writes out once.
    """
    made = object.__new__(AuditEvent)
    for name in _FIELDS:
        object.__setattr__(made, name, getattr(event, name))
    object.__setattr__(made, "subject", subject)
    return made


def note_group_reads(
    unit: UseCase, candidates: Iterable[str], what: str, location: object, group_id: str
) -> None:
    """Note the read of *what* of each of *candidates* (ids), listed in session group *group_id*."""
    note_reads(
        unit,
        (candidate_subject(candidate) for candidate in candidates),
        what,
        str(location),
        listed=f"session_group:{group_id}",
    )


def pupil_subject(location: object, key: str) -> str:
    """Return the read subject of pupil *key* of *location* (``pupil:<location>/<key>``)."""
    return f"pupil:{location}/{key}"


def candidate_subject(candidate: str) -> str:
    """Return the read subject of *candidate* (``candidate:<id>``)."""
    return f"candidate:{candidate}"


def account_subject(account: str) -> str:
    """Return the read subject of *account* (``account:<id>``)."""
    return f"account:{account}"
