"""Conformance: reading many records by key at once (``get_many``, capability ``many``)."""

from __future__ import annotations

from examkit.identifiers import Brin
from examkit.records import Backend
from examkit.testing.conformance._support import BackendFixtures, make_institution

MORE_THAN_A_CHUNK = 450
"""More keys than the SQL backend asks for in one statement (400), so ``get_many`` needs two."""


def _brin(number: int) -> Brin:
    """Return the *number*-th of many distinct BRIN codes."""
    return Brin(f"{number % 100:02d}A{chr(ord('A') + number // 100)}")


class GetManyContract(BackendFixtures):
    """``get_many``: the same answers as ``get``, for many keys at once."""

    def test_get_many_answers_as_get_does(self, backend: Backend) -> None:
        """Each key found comes back equal to what ``get`` returns, keyed by the key asked."""
        with backend.begin() as uow:
            uow.institutions.add(make_institution("22AB", secondary=2))
            uow.institutions.add(make_institution("33CD"))
            uow.commit()
        with backend.begin(readonly=True) as uow:
            found = uow.institutions.get_many([Brin("33CD"), Brin("22AB")])
            one_by_one = {key: uow.institutions.get(key) for key in (Brin("33CD"), Brin("22AB"))}
        assert found == one_by_one
        assert list(found) == [Brin("33CD"), Brin("22AB")]
        assert found[Brin("22AB")].version == 1

    def test_missing_keys_are_absent(self, backend: Backend) -> None:
        """A key with no record is left out, and the others still come back."""
        with backend.begin() as uow:
            uow.institutions.add(make_institution("22AB"))
            uow.commit()
        with backend.begin(readonly=True) as uow:
            found = uow.institutions.get_many([Brin("99ZZ"), Brin("22AB"), Brin("98ZY")])
        assert list(found) == [Brin("22AB")]

    def test_repeated_keys_are_answered_once(self, backend: Backend) -> None:
        """Asking a key twice gives one entry."""
        with backend.begin() as uow:
            uow.institutions.add(make_institution("22AB"))
            uow.commit()
        with backend.begin(readonly=True) as uow:
            found = uow.institutions.get_many([Brin("22AB"), Brin("22AB")])
        assert list(found) == [Brin("22AB")]

    def test_no_keys_no_records(self, backend: Backend) -> None:
        """An empty list of keys gives an empty mapping."""
        with backend.begin(readonly=True) as uow:
            assert dict(uow.institutions.get_many([])) == {}

    def test_more_keys_than_one_statement_asks_for(self, backend: Backend) -> None:
        """Hundreds of keys, found and missing mixed, come back complete."""
        stored = [make_institution(str(_brin(number))) for number in range(MORE_THAN_A_CHUNK)]
        with backend.begin() as uow:
            uow.institutions.add_many(stored)
            uow.commit()
        asked = [_brin(number) for number in range(MORE_THAN_A_CHUNK + 50)]
        with backend.begin(readonly=True) as uow:
            found = uow.institutions.get_many(reversed(asked))
        assert len(found) == MORE_THAN_A_CHUNK
        assert list(found) == [_brin(n) for n in reversed(range(MORE_THAN_A_CHUNK))]
        assert all(found[item.code] == item for item in stored)

    def test_get_many_sees_the_units_own_writes(self, backend: Backend) -> None:
        """Like ``get``, it reads what the unit itself wrote and removed, uncommitted."""
        with backend.begin() as uow:
            uow.institutions.add(make_institution("22AB"))
            uow.institutions.add(make_institution("33CD"))
            uow.commit()
        with backend.begin() as uow:
            uow.institutions.add(make_institution("44EF"))
            uow.institutions.remove(Brin("22AB"))
            found = uow.institutions.get_many([Brin("22AB"), Brin("33CD"), Brin("44EF")])
        assert list(found) == [Brin("33CD"), Brin("44EF")]
