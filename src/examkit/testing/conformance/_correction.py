"""Conformance: the correction repositories (the groups' corrections and the sheets)."""

from __future__ import annotations

from datetime import timedelta

import attrs
import pytest

from examkit.correction import (
    CorrectionGroup,
    CorrectionSheet,
    ItemCorrection,
    ItemState,
    Mark,
    OpenItemSlot,
    Replacement,
    ReviewGrant,
    ScoreVersion,
    new_sheet,
)
from examkit.errors import AlreadyExists, ConcurrentModification
from examkit.identifiers import LocationCode
from examkit.records import Backend
from examkit.testing.conformance._auth import check_versioned_repository
from examkit.testing.conformance._support import NOW, BackendFixtures

SLOTS = (OpenItemSlot("o1", 3), OpenItemSlot("o2", 4))


def make_correction(group: str = "g-1") -> CorrectionGroup:
    """Return a group's correction with a replacement and a review grant."""
    return CorrectionGroup(
        group=group,
        location=LocationCode("22AB00"),
        exam="NE-GL-2026",
        items=SLOTS,
        first="k1",
        second="k2",
        replacements=[Replacement(Mark.SECOND, "k0", "k2", "p", NOW)],
        reviews=[ReviewGrant("c-1", NOW, NOW + timedelta(days=2), "p")],
    )


def make_sheet(group: str, candidate: str) -> CorrectionSheet:
    """Return a sheet with one item agreed after a difference, every version kept."""
    sheet = new_sheet(group, candidate, SLOTS)
    items = dict(sheet.items)
    items["o1"] = ItemCorrection(
        ItemState.AGREED, first=1, second=3, agreed=2, comment="Zie rubric"
    )
    return attrs.evolve(
        sheet,
        items=items,
        versions=[
            ScoreVersion("o1", Mark.FIRST, None, 1, "k1", NOW),
            ScoreVersion("o1", Mark.SECOND, None, 3, "k2", NOW + timedelta(minutes=1)),
            ScoreVersion("o1", Mark.AGREED, None, 2, "k2", NOW + timedelta(minutes=2), "Zie"),
        ],
    )


class CorrectionRepositoriesContract(BackendFixtures):
    """``uow.correction_groups`` and ``uow.correction_sheets``."""

    def test_a_correction_group_is_a_versioned_aggregate(self, backend: Backend) -> None:
        """Add, get, update, stale update, remove: the shape every repository shares."""
        check_versioned_repository(
            backend,
            lambda uow: uow.correction_groups,
            make_correction(),
            "g-1",
            lambda group: attrs.evolve(group, closed_at=NOW, closed_by="k1"),
        )

    def test_a_sheet_round_trips_with_every_version(self, backend: Backend) -> None:
        """Scores, states, comments and versions come back equal and in order."""
        check_versioned_repository(
            backend,
            lambda uow: uow.correction_sheets,
            make_sheet("g-1", "c-1"),
            "g-1:c-1",
            lambda sheet: attrs.evolve(
                sheet,
                versions=(*sheet.versions, ScoreVersion("o2", Mark.FIRST, None, 4, "k1", NOW)),
            ),
        )

    def test_sheets_list_per_group_by_candidate_all_or_nothing(self, backend: Backend) -> None:
        """A group's sheets list by candidate; a bulk add with a taken key stores none."""
        with backend.begin() as uow:
            uow.correction_sheets.add_many(
                [make_sheet("g-1", "c-2"), make_sheet("g-2", "c-1"), make_sheet("g-1", "c-1")]
            )
            uow.commit()
        with backend.begin() as uow, pytest.raises(AlreadyExists):
            uow.correction_sheets.add_many([make_sheet("g-3", "c-1"), make_sheet("g-1", "c-1")])
        with backend.begin(readonly=True) as uow:
            listed = uow.correction_sheets.list_for_group("g-1")
            assert [s.candidate for s in listed] == ["c-1", "c-2"]
            assert listed[0] == make_sheet("g-1", "c-1")
            assert uow.correction_sheets.list_for_group("g-3") == ()

    def test_two_writers_of_one_sheet_one_wins(self, backend: Backend) -> None:
        """Two units read the same sheet; the second to write is refused, nothing lost."""
        with backend.begin() as uow:
            stored = uow.correction_sheets.add(make_sheet("g-1", "c-1"))
            uow.commit()
        first = attrs.evolve(
            stored, versions=(*stored.versions, ScoreVersion("o2", Mark.FIRST, None, 1, "a", NOW))
        )
        second = attrs.evolve(
            stored, versions=(*stored.versions, ScoreVersion("o2", Mark.SECOND, None, 2, "b", NOW))
        )
        with backend.begin() as uow:
            uow.correction_sheets.update(first)
            uow.commit()
        with backend.begin() as uow, pytest.raises(ConcurrentModification):
            uow.correction_sheets.update(second)
        with backend.begin(readonly=True) as uow:
            assert uow.correction_sheets.get("g-1:c-1") == first
