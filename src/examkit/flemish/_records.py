"""The Flemish desk's record as stored, declared once for every backend, and its repository."""

from __future__ import annotations

from functools import partial
from typing import Final, Protocol

from examkit.flemish._model import FlemishRegistration
from examkit.storage import (
    VERSION_FIELD,
    NotPersonal,
    Page,
    Personal,
    Records,
    RecordType,
    Repository,
)

_registered: Final = partial(
    Personal, basis="public_task", retention="flemish", audience=("administrator",)
)
"""A registration's field about pupils or staff, seen by the school's administrator: give it the
purpose."""


FLEMISH_REGISTRATIONS: Final = RecordType(
    "flemish_registrations",
    FlemishRegistration,
    kind="flemish_registration",
    key=lambda item: item.id,
    privacy={
        "school": NotPersonal("the Flemish school's institution number"),
        "school_year": NotPersonal("the school year"),
        "window": NotPersonal("when changes are possible"),
        "parents_deadline": NotPersonal("the day by which parents tell the school"),
        "moments": NotPersonal("the test moments: codes, subjects, days"),
        "pupils": _registered(
            "register each pupil for the Flemish tests (SCH-9): key, name, "
            "exemptions and their reason, participation, the parents' questionnaire choice, "
            "own accommodations, pupil group"
        ),
        "groups": NotPersonal("the pupil groups' names"),
        "validated_at": NotPersonal("when the registration was validated"),
        "validated_by": Personal(
            purpose="the test coordinator's account that validated the registration",
            basis="public_task",
            retention="flemish",
            audience=("administrator", "operator"),
        ),
        "logbooks": _registered(
            "the test assistants' logbooks: the assistant's account, absent pupils, what happened"
        ),
        "version": VERSION_FIELD,
    },
)
"""Flemish schools' registrations, keyed ``<school>:<school year>``."""


class FlemishRegistrationRepository(Repository[str, FlemishRegistration], Protocol):
    """Flemish schools' registrations, keyed by ``<school>:<school year>``; listed by key."""

    def list(self, *, after: str | None = None, limit: int = 100) -> Page[FlemishRegistration]:
        """Return registrations by key."""
        ...


class FlemishRegistrationRecords(Records[str, FlemishRegistration]):
    """The :class:`~examkit.flemish.FlemishRegistrationRepository` on any backend."""

    def list(self, *, after: str | None = None, limit: int = 100) -> Page[FlemishRegistration]:
        """Return registrations by key."""
        return self._page(after=after, limit=limit)
