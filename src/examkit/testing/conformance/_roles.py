"""Conformance: the authorizations repository (grants and access of accounts)."""

from __future__ import annotations

import attrs
import pytest

from examkit.errors import AlreadyExists, ConcurrentModification, NotFound
from examkit.identifiers import Brin, Instellingsnummer, LocationCode
from examkit.permissions import Access, Authorization, ClassRef, Subject
from examkit.records import Backend
from examkit.testing.conformance._support import NOW, BackendFixtures, make_grant

L00, L01 = LocationCode("22AB00"), LocationCode("22AB01")
OTHER = LocationCode("33CD00")


def _ids(page_items: tuple[Authorization, ...]) -> list[str]:
    return [item.account for item in page_items]


class AuthorizationRepositoryContract(BackendFixtures):
    """``uow.authorizations``: accounts' grants and access, listed by role and place."""

    def test_add_then_get_returns_every_field(self, backend: Backend) -> None:
        """Grants of every scope, revoked ones and access come back equal, at version 1."""
        authorization = Authorization(
            account="acc-1",
            grants=(
                make_grant("facet.planner", L00, L01),
                make_grant("facet.proctor", L00, revoked=True),
                make_grant(
                    "cito_lvs.subject_teacher",
                    ClassRef(L01, "1HA"),
                    ClassRef(L01, "2HA"),
                    subject=Subject.ENGLISH,
                ),
                make_grant("cito_lvs.pupil_counsellor", ClassRef(L00, "1 HA b")),
                make_grant("vlaamse_toetsen.test_assistant", Instellingsnummer("012345")),
                make_grant("examkit.operator"),
            ),
            access=frozenset({Access("cito_lvs", Brin("22AB")), Access("cito_lvs", Brin("33CD"))}),
        )
        with backend.begin() as uow:
            stored = uow.authorizations.add(authorization)
            uow.commit()
        assert stored.version == 1
        with backend.begin(readonly=True) as uow:
            found = uow.authorizations.get("acc-1")
        assert found == authorization
        assert found.version == 1
        assert found.grants[1].revoked_at == NOW

    def test_get_of_a_missing_authorization_raises_not_found(self, backend: Backend) -> None:
        """``get`` never returns None."""
        with backend.begin(readonly=True) as uow, pytest.raises(NotFound):
            uow.authorizations.get("nobody")

    def test_adding_twice_raises_already_exists(self, backend: Backend) -> None:
        """One authorization per account."""
        with backend.begin() as uow:
            uow.authorizations.add(Authorization(account="acc-1"))
            uow.commit()
        with backend.begin() as uow, pytest.raises(AlreadyExists):
            uow.authorizations.add(Authorization(account="acc-1"))

    def test_update_bumps_the_version_and_a_stale_one_is_refused(self, backend: Backend) -> None:
        """Versions guard concurrent grants: the second writer from version 1 loses."""
        with backend.begin() as uow:
            stored = uow.authorizations.add(Authorization(account="acc-1"))
            uow.commit()
        first = attrs.evolve(stored, grants=[make_grant("facet.planner", L00)])
        second = attrs.evolve(stored, grants=[make_grant("facet.proctor", L00)])
        with backend.begin() as uow:
            assert uow.authorizations.update(first).version == 2
            uow.commit()
        with backend.begin() as uow, pytest.raises(ConcurrentModification):
            uow.authorizations.update(second)
        with backend.begin(readonly=True) as uow:
            assert [g.role for g in uow.authorizations.get("acc-1").grants] == ["facet.planner"]

    def test_listing_filters_on_one_active_grant(self, backend: Backend) -> None:
        """Role, institution and location must all match the same active grant."""
        with backend.begin() as uow:
            uow.authorizations.add(
                Authorization(
                    account="a-planner-00-proctor-01",
                    grants=(
                        make_grant("facet.planner", L00),
                        make_grant("facet.proctor", L01),
                    ),
                )
            )
            uow.authorizations.add(
                Authorization(account="b-planner-01", grants=(make_grant("facet.planner", L01),))
            )
            uow.authorizations.add(
                Authorization(
                    account="c-revoked", grants=(make_grant("facet.planner", L01, revoked=True),)
                )
            )
            uow.authorizations.add(
                Authorization(account="d-other", grants=(make_grant("facet.planner", OTHER),))
            )
            uow.authorizations.add(Authorization(account="e-nothing"))
            uow.commit()
        with backend.begin(readonly=True) as uow:
            repo = uow.authorizations
            assert _ids(repo.list().items) == [
                "a-planner-00-proctor-01",
                "b-planner-01",
                "c-revoked",
                "d-other",
                "e-nothing",
            ]
            assert _ids(repo.list(role="facet.planner").items) == [
                "a-planner-00-proctor-01",
                "b-planner-01",
                "d-other",
            ]
            assert _ids(repo.list(location=L01).items) == [
                "a-planner-00-proctor-01",
                "b-planner-01",
            ]
            assert _ids(repo.list(role="facet.planner", location=L01).items) == ["b-planner-01"]
            assert _ids(repo.list(institution=Brin("22AB")).items) == [
                "a-planner-00-proctor-01",
                "b-planner-01",
            ]
            assert _ids(repo.list(institution=Brin("33CD"), role="facet.proctor").items) == []

    def test_listing_finds_class_flemish_and_operator_grants(self, backend: Backend) -> None:
        """Class grants list under their locations; a Flemish school and the operator by role."""
        with backend.begin() as uow:
            uow.authorizations.add(
                Authorization(
                    account="counsellor",
                    grants=(make_grant("cito_lvs.pupil_counsellor", ClassRef(L01, "1HA")),),
                )
            )
            uow.authorizations.add(
                Authorization(
                    account="assistant",
                    grants=(
                        make_grant("vlaamse_toetsen.test_assistant", Instellingsnummer("012345")),
                    ),
                )
            )
            uow.authorizations.add(
                Authorization(account="operator", grants=(make_grant("examkit.operator"),))
            )
            uow.commit()
        with backend.begin(readonly=True) as uow:
            repo = uow.authorizations
            assert _ids(repo.list(location=L01).items) == ["counsellor"]
            assert _ids(repo.list(institution=Instellingsnummer("012345")).items) == ["assistant"]
            assert _ids(repo.list(role="examkit.operator").items) == ["operator"]

    def test_listing_follows_updates_and_removal(self, backend: Backend) -> None:
        """A revoked grant leaves the listing; a removed authorization is gone."""
        with backend.begin() as uow:
            stored = uow.authorizations.add(
                Authorization(account="acc-1", grants=(make_grant("facet.planner", L00),))
            )
            uow.authorizations.add(
                Authorization(account="acc-2", grants=(make_grant("facet.planner", L00),))
            )
            uow.commit()
        revoked = attrs.evolve(stored.grants[0], revoked_at=NOW, revoked_by="acc-admin")
        with backend.begin() as uow:
            uow.authorizations.update(attrs.evolve(stored, grants=[revoked]))
            uow.authorizations.remove("acc-2")
            uow.commit()
        with backend.begin(readonly=True) as uow:
            assert _ids(uow.authorizations.list(location=L00).items) == []
            assert _ids(uow.authorizations.list().items) == ["acc-1"]
            with pytest.raises(NotFound):
                uow.authorizations.get("acc-2")

    def test_listing_pages_by_account_id(self, backend: Backend) -> None:
        """Pages follow one another without gaps or repeats, filtered or not."""
        names = [f"acc-{n:02d}" for n in range(7)]
        with backend.begin() as uow:
            uow.authorizations.add_many(
                [
                    Authorization(account=name, grants=(make_grant("facet.proctor", L00),))
                    for name in reversed(names)
                ]
            )
            uow.commit()
        seen: list[str] = []
        after: str | None = None
        with backend.begin(readonly=True) as uow:
            while True:
                page = uow.authorizations.list(location=L00, after=after, limit=3)
                seen.extend(_ids(page.items))
                if page.next_after is None:
                    break
                after = page.next_after
        assert seen == names
