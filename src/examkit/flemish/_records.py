"""The Flemish desk's record as stored, declared once for every backend, and its repository."""

from __future__ import annotations

from typing import Final, Protocol

from examkit.flemish._model import FlemishRegistration
from examkit.storage import Page, Records, RecordType, Repository

FLEMISH_REGISTRATIONS: Final = RecordType(
    "flemish_registrations",
    FlemishRegistration,
    kind="flemish_registration",
    key=lambda item: item.id,
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
