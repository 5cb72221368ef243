"""Conformance: imported pupils, class lists and pending imports."""

from __future__ import annotations

from datetime import date, timedelta

import attrs
import pytest

from examkit.edexml import (
    CombinationGroup,
    Gender,
    Group,
    PersonName,
    Pupil,
    Teacher,
    TeacherGroup,
)
from examkit.errors import AlreadyExists, ConcurrentModification, NotFound
from examkit.identifiers import LocationCode, SchoolYear
from examkit.imports import ClassList, EnrolledPupil, PendingImport
from examkit.records import Backend
from examkit.testing.conformance._support import NOW, BackendFixtures

L00, L01 = LocationCode("22AB00"), LocationCode("22AB01")
YEAR = SchoolYear("2026-2027")


def make_pupil(
    key: str,
    *,
    location: LocationCode = L00,
    school_year: SchoolYear = YEAR,
    group: str | None = "g1",
    year_group: str | None = "1",
) -> EnrolledPupil:
    """Return an imported pupil with every kept field filled in."""
    return EnrolledPupil(
        location=location,
        school_year=school_year,
        pupil=Pupil(
            key=key,
            name=PersonName("Jansen", prefix="de", first_names="Sem Jan", called_name="Sem"),
            eckid=f"https://ketenid.nl/201703/{key}",
            birth_date=date(2012, 3, 1),
            gender=Gender.MALE,
            year_group=year_group,
            group=group,
            combination_groups=("c1",),
        ),
    )


def make_class_list(location: LocationCode = L00, school_year: SchoolYear = YEAR) -> ClassList:
    """Return a class list with a group, a combination group and a teacher."""
    return ClassList(
        location=location,
        school_year=school_year,
        groups=(Group("g1", "1HA", "1"), Group("g2", "2HA", "2")),
        combination_groups=(CombinationGroup("c1", "Engels 1"),),
        teachers=(
            Teacher(
                "t1",
                PersonName("Bos", called_name="Anna"),
                email="a.bos@school.nl",
                groups=(TeacherGroup("g1", roles=("LRK",)), TeacherGroup("c1", combination=True)),
            ),
        ),
    )


class ImportRepositoryContract(BackendFixtures):
    """``uow.pupils``, ``uow.class_lists`` and ``uow.pending_imports``."""

    def test_a_pupil_round_trips_every_field(self, backend: Backend) -> None:
        """Name, eckid, birth date, gender, groups and archiving come back equal, at version 1."""
        archived = attrs.evolve(make_pupil("2"), archived_at=NOW)
        with backend.begin() as uow:
            stored = uow.pupils.add(make_pupil("1"))
            uow.pupils.add(archived)
            uow.commit()
        assert stored.version == 1
        with backend.begin(readonly=True) as uow:
            assert make_pupil("1") == uow.pupils.get("22AB00/2026-2027/1")
            assert archived == uow.pupils.get("22AB00/2026-2027/2")

    def test_pupils_are_listed_per_location_year_group_and_state(self, backend: Backend) -> None:
        """Listings never mix locations or years; archived pupils are left out by default."""
        with backend.begin() as uow:
            uow.pupils.add_many(
                [
                    make_pupil("b"),
                    make_pupil("a", group="g2", year_group="2"),
                    make_pupil("c", location=L01),
                    make_pupil("d", school_year=YEAR.next()),
                    attrs.evolve(make_pupil("e"), archived_at=NOW),
                ]
            )
            uow.commit()
        with backend.begin(readonly=True) as uow:
            repo = uow.pupils

            def keys(**filters: object) -> list[str]:
                page = repo.list(L00, YEAR, **filters)  # type: ignore[arg-type]
                return [item.pupil.key for item in page.items]

            assert keys() == ["a", "b"]
            assert keys(group="g1") == ["b"]
            assert keys(year_group="2") == ["a"]
            assert keys(archived=True) == ["e"]
            assert keys(archived=None) == ["a", "b", "e"]
            assert (YEAR, YEAR.next()) == repo.school_years(L00)
            assert repo.school_years(L01) == (YEAR,)
            assert [p.pupil.key for p in repo.list_archived_before(NOW + timedelta(1)).items] == [
                "e"
            ]
            assert repo.list_archived_before(NOW).items == ()

    def test_pupil_listing_pages_by_keyset(self, backend: Backend) -> None:
        """Pages follow the key order and end with ``next_after`` None."""
        with backend.begin() as uow:
            uow.pupils.add_many([make_pupil(f"{n:03d}") for n in range(5)])
            uow.commit()
        with backend.begin(readonly=True) as uow:
            first = uow.pupils.list(L00, YEAR, limit=3)
            second = uow.pupils.list(L00, YEAR, after=first.next_after, limit=3)
        assert [p.pupil.key for p in first.items] == ["000", "001", "002"]
        assert [p.pupil.key for p in second.items] == ["003", "004"]
        assert second.next_after is None

    def test_add_many_of_pupils_is_all_or_nothing(self, backend: Backend) -> None:
        """A bulk write with one taken key stores none of the batch."""
        with backend.begin() as uow:
            uow.pupils.add(make_pupil("1"))
            uow.commit()
        with backend.begin() as uow:
            with pytest.raises(AlreadyExists):
                uow.pupils.add_many([make_pupil("0"), make_pupil("1")])
            uow.commit()
        with backend.begin(readonly=True) as uow:
            assert [p.pupil.key for p in uow.pupils.list(L00, YEAR).items] == ["1"]

    def test_pupil_versions_guard_updates_and_removal(self, backend: Backend) -> None:
        """A stale update or removal is refused and writes nothing."""
        with backend.begin() as uow:
            stored = uow.pupils.add(make_pupil("1"))
            uow.commit()
        with backend.begin() as uow:
            moved = uow.pupils.update(
                attrs.evolve(stored, pupil=attrs.evolve(stored.pupil, group="g2"))
            )
            uow.commit()
        assert moved.version == 2
        with backend.begin() as uow, pytest.raises(ConcurrentModification):
            uow.pupils.update(attrs.evolve(stored, archived_at=NOW))
        with backend.begin() as uow, pytest.raises(ConcurrentModification):
            uow.pupils.remove(stored.id, version=1)
        with backend.begin() as uow:
            assert [p.pupil.key for p in uow.pupils.list(L00, YEAR, group="g2").items] == ["1"]
            uow.pupils.remove(stored.id, version=2)
            uow.commit()
        with backend.begin(readonly=True) as uow, pytest.raises(NotFound):
            uow.pupils.get(stored.id)

    def test_a_class_list_round_trips_and_is_versioned(self, backend: Backend) -> None:
        """Groups, combination groups and teachers come back equal; versions guard updates."""
        with backend.begin() as uow:
            stored = uow.class_lists.add(make_class_list())
            uow.commit()
        with backend.begin(readonly=True) as uow:
            assert make_class_list() == uow.class_lists.get("22AB00/2026-2027")
        with backend.begin() as uow:
            uow.class_lists.update(attrs.evolve(stored, teachers=()))
            uow.commit()
        with backend.begin() as uow, pytest.raises(ConcurrentModification):
            uow.class_lists.update(stored)
        with backend.begin() as uow, pytest.raises(AlreadyExists):
            uow.class_lists.add(make_class_list())

    def test_pending_imports_round_trip_and_expired_ones_are_purged(self, backend: Backend) -> None:
        """A pending import comes back equal; ``purge_expired`` erases exactly the lapsed ones."""

        def pending(id: str, minutes: int) -> PendingImport:
            return PendingImport(
                id=id,
                actor="acc-1",
                created_at=NOW,
                expires_at=NOW + timedelta(minutes=minutes),
                file_hash="ab" * 32,
                base="0",
                classes=make_class_list(),
                pupils=(make_pupil("1").pupil, make_pupil("2").pupil),
            )

        with backend.begin() as uow:
            uow.pending_imports.add(pending("p-short", 10))
            uow.pending_imports.add(pending("p-long", 60))
            uow.commit()
        with backend.begin(readonly=True) as uow:
            assert pending("p-long", 60) == uow.pending_imports.get("p-long")
        with backend.begin() as uow:
            assert uow.pending_imports.purge_expired(NOW + timedelta(minutes=10)) == 1
            uow.commit()
        with backend.begin(readonly=True) as uow:
            with pytest.raises(NotFound):
                uow.pending_imports.get("p-short")
            assert uow.pending_imports.get("p-long").id == "p-long"
