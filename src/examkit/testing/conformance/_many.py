"""Conformance: many records at once (``get_many``; capabilities ``many``, ``stored_json``)."""

from __future__ import annotations

import json

from examkit.converter import unstructure
from examkit.identifiers import Brin
from examkit.org import INSTITUTIONS
from examkit.records import Backend
from examkit.storage import Transaction
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

    def test_stored_json_where_offered_is_each_record_s_json_in_key_order(
        self, backend: Backend
    ) -> None:
        """Capability ``stored_json``, where offered: the converter's JSON of each record.

        Without its version, keys sorted; only the keys between the bounds,
        in key order, the unit's own writes seen; a backend without it
        returns ``None``.
        """
        with backend.begin() as uow:
            for brin in ("22AB", "33CD", "44EF", "55GH"):
                uow.institutions.add(make_institution(brin, secondary=1))
            uow.commit()
        with backend.begin() as uow:
            transaction: Transaction | None = getattr(uow, "transaction", None)
            stored = None if transaction is None else transaction.capability("stored_json")
            if stored is None:
                return
            uow.institutions.remove(Brin("44EF"))
            uow.institutions.add(make_institution("35AA", name="Nieuw"))
            found = stored.between(INSTITUTIONS, "23", "55GH")
            expected = [uow.institutions.get(Brin(key)) for key in ("33CD", "35AA", "55GH")]
            assert [key for key, _ in found] == ["33CD", "35AA", "55GH"]
            for (_, text), record in zip(found, expected, strict=True):
                data = {k: v for k, v in unstructure(record).items() if k != "version"}
                assert text == json.dumps(
                    data, sort_keys=True, separators=(",", ":"), ensure_ascii=False
                )
            assert stored.between(INSTITUTIONS, "56", "99") == []
