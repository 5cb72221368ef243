"""Conformance: the repositories of every aggregate (CRUD, versions, uniqueness, paging)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import pytest

from examkit.accounts import AccountStatus, LoginName, PasswordRecord
from examkit.errors import AlreadyExists, ConcurrentModification, InvalidInput, NotFound
from examkit.identifiers import Brin, Instellingsnummer, LocationCode
from examkit.records import Backend
from examkit.testing.conformance._support import (
    BackendFixtures,
    make_account,
    make_flemish_institution,
    make_institution,
)


class InstitutionRepositoryContract(BackendFixtures):
    """``uow.institutions``: institutions with their locations."""

    def test_add_then_get_returns_what_was_stored(self, backend: Backend) -> None:
        """An added institution comes back equal, at version 1, locations included."""
        institution = make_institution("22AB", secondary=2)
        with backend.begin() as uow:
            stored = uow.institutions.add(institution)
            uow.commit()
        assert stored.version == 1
        with backend.begin(readonly=True) as uow:
            found = uow.institutions.get(Brin("22AB"))
        assert found == institution
        assert found.version == 1
        assert [str(loc.code) for loc in found.locations] == ["22AB00", "22AB01", "22AB02"]

    def test_flemish_and_dutch_institutions_live_side_by_side(self, backend: Backend) -> None:
        """A Flemish school is stored and found by its instellingsnummer."""
        with backend.begin() as uow:
            uow.institutions.add(make_flemish_institution("012345"))
            uow.institutions.add(make_institution("22AB"))
            uow.commit()
        with backend.begin(readonly=True) as uow:
            assert uow.institutions.get(Instellingsnummer("012345")).is_flemish
            assert not uow.institutions.get(Brin("22AB")).is_flemish

    def test_get_of_a_missing_institution_raises_not_found(self, backend: Backend) -> None:
        """``get`` never returns None."""
        with backend.begin(readonly=True) as uow, pytest.raises(NotFound):
            uow.institutions.get(Brin("99ZZ"))

    def test_adding_twice_raises_already_exists(self, backend: Backend) -> None:
        """The code is unique."""
        with backend.begin() as uow:
            uow.institutions.add(make_institution("22AB"))
            uow.commit()
        with backend.begin() as uow, pytest.raises(AlreadyExists):
            uow.institutions.add(make_institution("22AB", name="Another"))

    def test_update_bumps_the_version(self, backend: Backend) -> None:
        """Each update stores the next version."""
        with backend.begin() as uow:
            stored = uow.institutions.add(make_institution("22AB"))
            uow.commit()
        with backend.begin() as uow:
            renamed = uow.institutions.update(attrs.evolve(stored, name="Nieuwe naam"))
            uow.commit()
        assert renamed.version == 2
        with backend.begin(readonly=True) as uow:
            found = uow.institutions.get(Brin("22AB"))
        assert (found.name, found.version) == ("Nieuwe naam", 2)

    def test_a_stale_update_raises_and_writes_nothing(self, backend: Backend) -> None:
        """Two writers read version 1; the second to write gets ConcurrentModification."""
        with backend.begin() as uow:
            stored = uow.institutions.add(make_institution("22AB"))
            uow.commit()
        with backend.begin() as uow:
            uow.institutions.update(attrs.evolve(stored, name="Eerste"))
            uow.commit()
        with backend.begin() as uow, pytest.raises(ConcurrentModification):
            uow.institutions.update(attrs.evolve(stored, name="Tweede"))
        with backend.begin(readonly=True) as uow:
            found = uow.institutions.get(Brin("22AB"))
        assert (found.name, found.version) == ("Eerste", 2)

    def test_update_of_a_missing_institution_raises_not_found(self, backend: Backend) -> None:
        """Updating something never stored is refused."""
        with backend.begin() as uow, pytest.raises(NotFound):
            uow.institutions.update(make_institution("22AB"))

    def test_remove_then_get_raises_not_found(self, backend: Backend) -> None:
        """A removed institution is gone, locations included."""
        with backend.begin() as uow:
            uow.institutions.add(make_institution("22AB", secondary=1))
            uow.commit()
        with backend.begin() as uow:
            uow.institutions.remove(Brin("22AB"))
            uow.commit()
        with backend.begin(readonly=True) as uow:
            with pytest.raises(NotFound):
                uow.institutions.get(Brin("22AB"))
            with pytest.raises(NotFound):
                uow.institutions.get_by_location(LocationCode("22AB01"))

    def test_remove_with_a_stale_version_is_refused(self, backend: Backend) -> None:
        """``remove(key, version=...)`` only removes that version."""
        with backend.begin() as uow:
            stored = uow.institutions.add(make_institution("22AB"))
            uow.institutions.update(attrs.evolve(stored, name="Nieuw"))
            uow.commit()
        with backend.begin() as uow, pytest.raises(ConcurrentModification):
            uow.institutions.remove(Brin("22AB"), version=1)
        with backend.begin() as uow:
            uow.institutions.remove(Brin("22AB"), version=2)
            uow.commit()

    def test_remove_of_a_missing_institution_raises_not_found(self, backend: Backend) -> None:
        """Removing something absent is refused."""
        with backend.begin() as uow, pytest.raises(NotFound):
            uow.institutions.remove(Brin("22AB"))

    def test_get_by_location_finds_the_owner(self, backend: Backend) -> None:
        """Every location, main and secondary, leads to its institution."""
        with backend.begin() as uow:
            uow.institutions.add(make_institution("22AB", secondary=2))
            uow.institutions.add(make_institution("33CD"))
            uow.commit()
        with backend.begin(readonly=True) as uow:
            for code in ("22AB00", "22AB01", "22AB02"):
                assert uow.institutions.get_by_location(LocationCode(code)).code == Brin("22AB")
            assert uow.institutions.get_by_location(LocationCode("33CD00")).code == Brin("33CD")
            with pytest.raises(NotFound):
                uow.institutions.get_by_location(LocationCode("22AB03"))

    def test_location_index_follows_updates(self, backend: Backend) -> None:
        """A location removed by an update is no longer found; an added one is."""
        with backend.begin() as uow:
            stored = uow.institutions.add(make_institution("22AB", secondary=1))
            uow.commit()
        changed = stored.without_location(LocationCode("22AB01"))
        changed = changed.with_location(make_institution("22AB", secondary=2).locations[2])
        with backend.begin() as uow:
            uow.institutions.update(changed)
            uow.commit()
        with backend.begin(readonly=True) as uow:
            with pytest.raises(NotFound):
                uow.institutions.get_by_location(LocationCode("22AB01"))
            assert uow.institutions.get_by_location(LocationCode("22AB02")).version == 2

    def test_listing_is_ordered_by_code_and_pages_by_keyset(self, backend: Backend) -> None:
        """Pages follow one another without gaps or repeats, in code order."""
        codes = ["55EF", "22AB", "44DD", "33CD", "11AA"]
        with backend.begin() as uow:
            for code in codes:
                uow.institutions.add(make_institution(code))
            uow.commit()
        seen: list[str] = []
        after: str | None = None
        with backend.begin(readonly=True) as uow:
            while True:
                page = uow.institutions.list(after=after, limit=2)
                seen.extend(str(item.code) for item in page.items)
                if page.next_after is None:
                    break
                after = page.next_after
        assert seen == sorted(codes)

    def test_paging_survives_removal_of_a_seen_item(self, backend: Backend) -> None:
        """Removing an item already listed does not shift the next page (keyset, not offset)."""
        with backend.begin() as uow:
            for code in ("11AA", "22AB", "33CD", "44DD"):
                uow.institutions.add(make_institution(code))
            uow.commit()
        with backend.begin(readonly=True) as uow:
            first = uow.institutions.list(limit=2)
        with backend.begin() as uow:
            uow.institutions.remove(Brin("11AA"))
            uow.commit()
        with backend.begin(readonly=True) as uow:
            second = uow.institutions.list(after=first.next_after, limit=2)
        assert [str(i.code) for i in second.items] == ["33CD", "44DD"]

    def test_a_page_size_out_of_range_is_invalid_input(self, backend: Backend) -> None:
        """A page holds 1 to 1000 items; anything else is refused with InvalidInput."""
        with backend.begin(readonly=True) as uow:
            for limit in (0, -1, 1001):
                with pytest.raises(InvalidInput):
                    uow.institutions.list(limit=limit)


class AccountRepositoryContract(BackendFixtures):
    """``uow.accounts``: user accounts with unique, case-folded login names."""

    @pytest.mark.req("AUTH-7")
    def test_accounts_are_found_by_when_their_password_was_set(self, backend: Backend) -> None:
        """The reminders' query: active accounts with a password set by the cutoff, paged."""
        now = datetime(2026, 9, 1, 8, tzinfo=UTC)

        def with_password(number: int, days_ago: int, **changes: Any) -> Any:
            record = PasswordRecord(hash="$argon2id$x", set_at=now - timedelta(days=days_ago))
            return make_account(
                f"acc-{number}", f"22AB.Docent.{number}", password=record, **changes
            )

        accounts = [
            with_password(1, 400),
            with_password(2, 10),
            with_password(3, 360),
            with_password(4, 500, status=AccountStatus.DEACTIVATED),
            make_account("acc-5", "22AB.Docent.5"),
            with_password(6, 351),
        ]
        with backend.begin() as uow:
            uow.accounts.add_many(accounts)
            uow.commit()
        cutoff = now - timedelta(days=351)
        found: list[str] = []
        after = None
        with backend.begin(readonly=True) as uow:
            while True:
                page = uow.accounts.list_password_set_before(cutoff, after=after, limit=2)
                found.extend(account.id for account in page.items)
                if page.next_after is None:
                    break
                after = page.next_after
        assert found == ["acc-1", "acc-3", "acc-6"]

    def test_add_then_get_returns_what_was_stored(self, backend: Backend) -> None:
        """An added account comes back equal, at version 1."""
        account = make_account(phone="0612345678")
        with backend.begin() as uow:
            uow.accounts.add(account)
            uow.commit()
        with backend.begin(readonly=True) as uow:
            found = uow.accounts.get("acc-1")
        assert found == account
        assert found.version == 1
        assert found.login_name.value == "22AB.K.Beheerder"

    def test_login_names_are_unique_ignoring_case(self, backend: Backend) -> None:
        """A login name differing only in case is taken."""
        with backend.begin() as uow:
            uow.accounts.add(make_account("acc-1", "22AB.K.Beheerder"))
            uow.commit()
        with backend.begin() as uow, pytest.raises(AlreadyExists):
            uow.accounts.add(make_account("acc-2", "22ab.k.beheerder"))

    def test_get_by_login_name_ignores_case(self, backend: Backend) -> None:
        """The account is found by its login name in any case."""
        with backend.begin() as uow:
            uow.accounts.add(make_account("acc-1", "22AB.K.Beheerder"))
            uow.commit()
        with backend.begin(readonly=True) as uow:
            assert uow.accounts.get_by_login_name(LoginName("22AB.K.BEHEERDER")).id == "acc-1"
            with pytest.raises(NotFound):
                uow.accounts.get_by_login_name(LoginName("22AB.Niemand"))

    def test_renaming_frees_the_old_login_name(self, backend: Backend) -> None:
        """After a login name changes, the old one can be taken by someone else."""
        with backend.begin() as uow:
            stored = uow.accounts.add(make_account("acc-1", "22AB.K.Beheerder"))
            uow.commit()
        with backend.begin() as uow:
            uow.accounts.update(attrs.evolve(stored, login_name=LoginName("22AB.K.Nieuw")))
            uow.accounts.add(make_account("acc-2", "22AB.K.Beheerder"))
            uow.commit()
        with backend.begin(readonly=True) as uow:
            assert uow.accounts.get_by_login_name(LoginName("22AB.K.Beheerder")).id == "acc-2"
            assert uow.accounts.get_by_login_name(LoginName("22AB.K.Nieuw")).id == "acc-1"

    def test_an_update_to_a_taken_login_name_is_refused(self, backend: Backend) -> None:
        """Uniqueness holds on update too, and the refused update changes nothing."""
        with backend.begin() as uow:
            first = uow.accounts.add(make_account("acc-1", "22AB.Eerste"))
            uow.accounts.add(make_account("acc-2", "22AB.Tweede"))
            uow.commit()
        with backend.begin() as uow:
            with pytest.raises(AlreadyExists):
                uow.accounts.update(attrs.evolve(first, login_name=LoginName("22ab.tweede")))
            assert uow.accounts.get_by_login_name(LoginName("22AB.Eerste")).id == "acc-1"

    def test_status_password_and_institutions_round_trip(self, backend: Backend) -> None:
        """Every field of an account survives storage."""
        account = make_account(
            status=AccountStatus.DEACTIVATED,
            password=PasswordRecord(
                hash="$argon2id$v=19$m=8,t=1,p=1$c2FsdA$aGFzaA",
                set_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
                must_change=True,
            ),
            password_history=("$old$2", "$old$1"),
            institutions=frozenset({Brin("22AB"), Instellingsnummer("012345")}),
        )
        with backend.begin() as uow:
            uow.accounts.add(account)
            uow.commit()
        with backend.begin(readonly=True) as uow:
            assert uow.accounts.get("acc-1") == account

    def test_listing_by_institution_and_login_name_order(self, backend: Backend) -> None:
        """Accounts list by case-folded login name, filtered by institution when asked."""
        with backend.begin() as uow:
            uow.accounts.add(make_account("a", "zz.laatste"))
            uow.accounts.add(make_account("b", "AA.Eerste", institutions=frozenset({Brin("33CD")})))
            uow.accounts.add(make_account("c", "mm.midden"))
            uow.commit()
        with backend.begin(readonly=True) as uow:
            everyone = [a.id for a in uow.accounts.list().items]
            of_22ab = [a.id for a in uow.accounts.list(institution=Brin("22AB")).items]
            first = uow.accounts.list(limit=1)
            second = uow.accounts.list(after=first.next_after, limit=1)
        assert everyone == ["b", "c", "a"]
        assert of_22ab == ["c", "a"]
        assert [a.id for a in first.items + second.items] == ["b", "c"]

    def test_add_many_stores_every_account(self, backend: Backend) -> None:
        """The bulk path stores every item at version 1, findable like any other."""
        accounts = [make_account(f"id-{n}", f"22AB.user{n:04d}") for n in range(250)]
        with backend.begin() as uow:
            uow.accounts.add_many(accounts)
            uow.commit()
        with backend.begin(readonly=True) as uow:
            found = uow.accounts.get_by_login_name(LoginName("22ab.USER0123"))
            listed = uow.accounts.list(limit=1000).items
        assert found == accounts[123]
        assert found.version == 1
        assert len(listed) == 250

    def test_add_many_is_all_or_nothing(self, backend: Backend) -> None:
        """One taken login name in a batch refuses the whole batch and keeps the unit usable."""
        with backend.begin() as uow:
            uow.accounts.add(make_account("first", "22AB.Bezet"))
            uow.commit()
        batch = [make_account("n1", "22AB.Nieuw1"), make_account("n2", "22ab.bezet")]
        with backend.begin() as uow:
            with pytest.raises(AlreadyExists):
                uow.accounts.add_many(batch)
            uow.accounts.add(make_account("n3", "22AB.Nieuw3"))
            uow.commit()
        with backend.begin(readonly=True) as uow:
            assert sorted(a.id for a in uow.accounts.list().items) == ["first", "n3"]

    def test_add_many_refuses_a_batch_repeating_itself(self, backend: Backend) -> None:
        """Two items with the same key in one batch are refused."""
        with backend.begin() as uow, pytest.raises(AlreadyExists):
            uow.accounts.add_many(
                [make_account("x", "22AB.Eenmaal"), make_account("x", "22AB.Tweemaal")]
            )

    def test_add_many_of_institutions(self, backend: Backend) -> None:
        """Institutions have the bulk path too, locations indexed."""
        with backend.begin() as uow:
            uow.institutions.add_many(
                [make_institution("22AB", secondary=1), make_institution("33CD")]
            )
            uow.commit()
        with backend.begin(readonly=True) as uow:
            assert uow.institutions.get_by_location(LocationCode("22AB01")).code == Brin("22AB")

    def test_find_by_email(self, backend: Backend) -> None:
        """Accounts are found by e-mail address, the domain's case ignored."""
        with backend.begin() as uow:
            uow.accounts.add(make_account("a", "22AB.Eerste", email="k@School.nl"))
            uow.accounts.add(make_account("b", "22AB.Tweede", email="k@school.nl"))
            uow.accounts.add(make_account("c", "22AB.Derde", email="ander@school.nl"))
            uow.commit()
        with backend.begin(readonly=True) as uow:
            found = uow.accounts.find_by_email("k@SCHOOL.NL")
        assert [a.id for a in found] == ["a", "b"]

    def test_remove(self, backend: Backend) -> None:
        """A removed account is gone and its login name is free again."""
        with backend.begin() as uow:
            uow.accounts.add(make_account("acc-1", "22AB.K.Beheerder"))
            uow.commit()
        with backend.begin() as uow:
            uow.accounts.remove("acc-1")
            uow.accounts.add(make_account("acc-2", "22AB.K.Beheerder"))
            uow.commit()
        with backend.begin(readonly=True) as uow:
            with pytest.raises(NotFound):
                uow.accounts.get("acc-1")
            assert uow.accounts.get_by_login_name(LoginName("22AB.K.Beheerder")).id == "acc-2"
