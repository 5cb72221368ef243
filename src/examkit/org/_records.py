"""The institutions as stored: declared once, for every backend."""

from __future__ import annotations

from typing import Final

from examkit.errors import NotFound
from examkit.identifiers import LocationCode
from examkit.org._model import Institution, InstitutionCode
from examkit.storage import VERSION_FIELD, Index, NotPersonal, Page, Personal, Records, RecordType

INSTITUTIONS: Final = RecordType(
    "institutions",
    Institution,
    kind="institution",
    key=lambda item: item.code,
    indexes=(
        Index(
            "location",
            lambda item: [str(location.code) for location in item.locations],
            unique=True,
            many=True,
        ),
    ),
    privacy={
        "code": NotPersonal("the institution's BRIN or Flemish institution number"),
        "name": NotPersonal("the institution's name"),
        "address": NotPersonal("the institution's visiting address"),
        "competent_authority": Personal(
            purpose="name and reach the competent authority's representative (name, "
            "function, e-mail) who confirms the school's registration",
            basis="public_task",
            retention="organisation",
            audience=("administrator", "operator"),
        ),
        "onderwijslocatiecode": NotPersonal("the main location's education location code"),
        "secondary_locations": NotPersonal(
            "the institution's other locations: codes, names, addresses"
        ),
        "version": VERSION_FIELD,
    },
)
"""Institutions with their locations: by code, and by any of their locations' codes."""


class InstitutionRecords(Records[InstitutionCode, Institution]):
    """The :class:`~examkit.org.InstitutionRepository` on any backend."""

    def get_by_location(self, code: LocationCode) -> Institution:
        """Return the institution that has location *code*.

        Raises:
            NotFound: no institution has it (``org.location.not_found``).
        """
        found = self._find_one("location", str(code))
        if found is None:
            raise NotFound("org.location.not_found", field="location", location=str(code))
        return found

    def list(self, *, after: str | None = None, limit: int = 100) -> Page[Institution]:
        """Return institutions ordered by code."""
        return self._page(after=after, limit=limit)
