"""Conformance: units of work commit all or nothing, isolate, and close."""

from __future__ import annotations

import pytest

from examkit.errors import ExamkitError, InvalidState, NotFound
from examkit.identifiers import Brin
from examkit.records import Backend
from examkit.testing.conformance._support import (
    BackendFixtures,
    make_account,
    make_institution,
)


class UnitOfWorkContract(BackendFixtures):
    """Units of work: commit, rollback, isolation, closing, reading-only units."""

    def test_committed_writes_are_visible_to_later_units(self, backend: Backend) -> None:
        """What a unit commits, a later unit reads."""
        with backend.begin() as uow:
            uow.institutions.add(make_institution("22AB"))
            uow.commit()
        with backend.begin(readonly=True) as uow:
            assert uow.institutions.get(Brin("22AB")).name == "School 22AB"

    def test_leaving_without_commit_rolls_back(self, backend: Backend) -> None:
        """A unit left without commit writes nothing."""
        with backend.begin() as uow:
            uow.institutions.add(make_institution("22AB"))
        with backend.begin(readonly=True) as uow, pytest.raises(NotFound):
            uow.institutions.get(Brin("22AB"))

    def test_an_exception_rolls_back_everything(self, backend: Backend) -> None:
        """An exception inside a unit discards all of its writes, of every repository."""
        with pytest.raises(ZeroDivisionError), backend.begin() as uow:
            uow.institutions.add(make_institution("22AB"))
            uow.accounts.add(make_account())
            _ = 1 / 0
        with backend.begin(readonly=True) as uow:
            assert uow.institutions.list().items == ()
            assert uow.accounts.list().items == ()

    def test_explicit_rollback_discards(self, backend: Backend) -> None:
        """``rollback()`` discards the unit's writes."""
        with backend.begin() as uow:
            uow.institutions.add(make_institution("22AB"))
            uow.rollback()
        with backend.begin(readonly=True) as uow:
            assert uow.institutions.list().items == ()

    def test_writes_are_invisible_to_others_before_commit(self, backend: Backend) -> None:
        """A reading unit does not see another unit's uncommitted writes."""
        writer = backend.begin()
        try:
            writer.institutions.add(make_institution("22AB"))
            with backend.begin(readonly=True) as reader, pytest.raises(NotFound):
                reader.institutions.get(Brin("22AB"))
            writer.commit()
        finally:
            writer.rollback()
        with backend.begin(readonly=True) as reader:
            assert reader.institutions.get(Brin("22AB")).code == Brin("22AB")

    def test_a_unit_reads_its_own_writes(self, backend: Backend) -> None:
        """Inside a unit, what it wrote is readable before commit."""
        with backend.begin() as uow:
            uow.institutions.add(make_institution("22AB"))
            assert uow.institutions.get(Brin("22AB")).version == 1
            assert [i.code for i in uow.institutions.list().items] == [Brin("22AB")]

    def test_a_failed_write_inside_a_unit_leaves_the_rest_intact(self, backend: Backend) -> None:
        """A refused write (duplicate) changes nothing else in the unit; the rest commits."""
        with backend.begin() as uow:
            uow.institutions.add(make_institution("22AB"))
            with pytest.raises(ExamkitError):
                uow.institutions.add(make_institution("22AB"))
            uow.institutions.add(make_institution("33CD"))
            uow.commit()
        with backend.begin(readonly=True) as uow:
            assert [str(i.code) for i in uow.institutions.list().items] == ["22AB", "33CD"]

    def test_a_closed_unit_refuses_use(self, backend: Backend) -> None:
        """After commit or rollback, using the unit raises InvalidState."""
        uow = backend.begin()
        uow.commit()
        with pytest.raises(InvalidState):
            uow.institutions.add(make_institution("22AB"))
        with pytest.raises(InvalidState):
            uow.commit()
        other = backend.begin()
        other.rollback()
        with pytest.raises(InvalidState):
            other.accounts.get("acc-1")

    def test_rollback_after_commit_is_harmless(self, backend: Backend) -> None:
        """Leaving the context after commit does not undo the commit."""
        with backend.begin() as uow:
            uow.institutions.add(make_institution("22AB"))
            uow.commit()
            uow.rollback()
        with backend.begin(readonly=True) as uow:
            assert uow.institutions.get(Brin("22AB")).version == 1

    def test_a_reading_unit_refuses_writes(self, backend: Backend) -> None:
        """``begin(readonly=True)`` refuses every write with InvalidState."""
        with backend.begin(readonly=True) as uow:
            with pytest.raises(InvalidState):
                uow.institutions.add(make_institution("22AB"))
            with pytest.raises(InvalidState):
                uow.accounts.add(make_account())
        with backend.begin(readonly=True) as uow:
            assert uow.institutions.list().items == ()

    def test_a_reading_unit_sees_a_stable_snapshot(self, backend: Backend) -> None:
        """A reading unit keeps seeing the state as it began, where the backend promises it."""
        if not backend.capabilities.snapshot_reads:
            pytest.skip("the backend does not promise snapshot reads")
        with backend.begin() as uow:
            uow.institutions.add(make_institution("22AB"))
            uow.commit()
        with backend.begin(readonly=True) as reader:
            first = reader.institutions.get(Brin("22AB"))
            with backend.begin() as writer:
                writer.institutions.remove(Brin("22AB"))
                writer.commit()
            assert reader.institutions.get(Brin("22AB")) == first

    def test_commit_is_all_or_nothing_across_repositories(self, backend: Backend) -> None:
        """One commit publishes the writes of every repository together."""
        with backend.begin() as uow:
            uow.institutions.add(make_institution("22AB"))
            uow.accounts.add(make_account())
            uow.commit()
        with backend.begin(readonly=True) as uow:
            assert uow.institutions.get(Brin("22AB")).version == 1
            assert uow.accounts.get("acc-1").version == 1
