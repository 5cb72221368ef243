"""Conformance: account applications (the operator's queue)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import attrs
import pytest

from examkit.applications import (
    AccountApplication,
    ApplicationStatus,
    Decision,
    SecondaryLocation,
    example_application,
)
from examkit.errors import InvalidInput
from examkit.identifiers import Brin, LocationCode, OnderwijslocatieCode
from examkit.records import Backend, UnitOfWork
from examkit.testing.conformance._auth import check_versioned_repository
from examkit.testing.conformance._support import NOW, BackendFixtures


def make_application(
    id: str = "app-1",
    *,
    brin: str = "22AB",
    status: ApplicationStatus = ApplicationStatus.SUBMITTED,
) -> AccountApplication:
    """Return seed 000's application with another id, institution or status."""
    base = example_application()
    school = attrs.evolve(
        base.school,
        code=LocationCode(f"{brin}00"),
        onderwijslocatiecode=OnderwijslocatieCode("123X456"),
        secondary_locations=(SecondaryLocation(LocationCode(f"{brin}01"), None, "Dependance"),),
    )
    decision = (
        None
        if status is ApplicationStatus.SUBMITTED
        else Decision(NOW, "operator", "Handtekening ontbreekt", None)
    )
    return attrs.evolve(
        base, id=id, school=school, submitted_at=NOW, status=status, decision=decision
    )


def _applications(uow: UnitOfWork) -> Any:
    return uow.applications


class ApplicationRepositoryContract(BackendFixtures):
    """``uow.applications``: the shared repository shape and the queue's listing."""

    def test_applications_keep_the_repository_shape(self, backend: Backend) -> None:
        """Add, get, update with versions, remove: as every repository."""
        check_versioned_repository(
            backend,
            _applications,
            make_application(),
            "app-1",
            lambda item: attrs.evolve(
                item,
                status=ApplicationStatus.REJECTED,
                decision=Decision(NOW + timedelta(days=1), "operator", "Niet ondertekend"),
            ),
        )

    def test_an_application_round_trips_every_field(self, backend: Backend) -> None:
        """School, secondary locations, people, times and decision come back equal."""
        decided = make_application("app-2", status=ApplicationStatus.APPROVED)
        with backend.begin() as uow:
            uow.applications.add(make_application())
            uow.applications.add(decided)
            uow.commit()
        with backend.begin(readonly=True) as uow:
            assert make_application() == uow.applications.get("app-1")
            found = uow.applications.get("app-2")
        assert decided == found
        assert decided.decision == found.decision
        assert decided.school.secondary_locations == found.school.secondary_locations

    def test_applications_list_by_status_and_institution_in_id_order(
        self, backend: Backend
    ) -> None:
        """The queue lists by id, filtered by status and BRIN, page by page."""
        with backend.begin() as uow:
            uow.applications.add(make_application("c", brin="33CD"))
            uow.applications.add(make_application("a"))
            uow.applications.add(make_application("b", status=ApplicationStatus.APPROVED))
            uow.applications.add(make_application("d"))
            uow.commit()
        with backend.begin(readonly=True) as uow:
            every = uow.applications.list()
            waiting = uow.applications.list(status=ApplicationStatus.SUBMITTED)
            here = uow.applications.list(brin=Brin("22AB"), limit=2)
            rest = uow.applications.list(brin=Brin("22AB"), after=here.next_after)
            none = uow.applications.list(status=ApplicationStatus.REJECTED)
            with pytest.raises(InvalidInput):
                uow.applications.list(limit=0)
        assert [item.id for item in every.items] == ["a", "b", "c", "d"]
        assert [item.id for item in waiting.items] == ["a", "c", "d"]
        assert (
            [item.id for item in here.items],
            [item.id for item in rest.items],
        ) == (["a", "b"], ["d"])
        assert none.items == ()
