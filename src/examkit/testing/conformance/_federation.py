"""Conformance: the federated sign-in's storage (AUTH-13).

Its links (``uow.federated_links``), its pending requests
(``uow.pending_federated_sign_ins``, each taken once by a version-checked
delete), its replay store (single-use tokens of purpose
``federation.replay``: of simultaneous first uses of one message, one wins)
and an account's ``federation_only``.
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from typing import Any

import attrs
import pytest

from examkit.accounts import PasswordRecord
from examkit.errors import AlreadyExists, ConcurrentModification, NotFound
from examkit.federation import FederatedLink, LinkKind, LinkMethod, PendingSignIn
from examkit.records import Backend, UnitOfWork
from examkit.storage import StoredToken
from examkit.testing.conformance._auth import check_versioned_repository
from examkit.testing.conformance._support import (
    NOW,
    BackendFixtures,
    make_account,
    run_concurrently,
)


def make_link(
    key: str = "sub:" + "a" * 64,
    account_id: str = "acc-1",
    *,
    kind: LinkKind = LinkKind.SUBJECT,
    after: float = 0,
) -> FederatedLink:
    """Return a link of *account_id* made *after* minutes after NOW."""
    return FederatedLink(
        id=key,
        account_id=account_id,
        kind=kind,
        issuer="https://entree.example.nl",
        method=LinkMethod.INVITATION,
        linked_at=NOW + timedelta(minutes=after),
    )


def make_pending(key: str = "p" * 64, *, minutes: float = 5) -> PendingSignIn:
    """Return a pending request started at NOW, lapsing *minutes* later."""
    return PendingSignIn(
        id=key,
        provider="entree",
        pending={"nonce": "n-1", "code_verifier": "v-1"},
        started_at=NOW,
        expires_at=NOW + timedelta(minutes=minutes),
    )


def _links(uow: UnitOfWork) -> Any:
    return uow.federated_links


def _pending(uow: UnitOfWork) -> Any:
    return uow.pending_federated_sign_ins


def _take(backend: Backend, key: str, _: int) -> PendingSignIn:
    """Take the pending request *key* as the sign-in does: read, then delete at its version."""
    with backend.begin() as uow:
        found = uow.pending_federated_sign_ins.get(key)
        uow.pending_federated_sign_ins.remove(key, version=found.version)
        uow.commit()
    return found


def _first_use(backend: Backend, digest: str, _: int) -> str:
    """Record a message's replay key as the sign-in does."""
    with backend.begin() as uow:
        uow.tokens.put(
            StoredToken(
                purpose="federation.replay",
                digest=digest,
                subject="federation:entree",
                expires_at=NOW + timedelta(minutes=5),
            )
        )
        uow.commit()
    return digest


def check_replay_store_one_wins(backend: Backend, threads: int = 8, rounds: int = 4) -> None:
    """Of *threads* simultaneous first uses of one message exactly one is recorded."""
    for round_ in range(rounds):
        digest = f"replay-{round_}"
        results = run_concurrently(threads, partial(_first_use, backend, digest))
        winners = [r for r in results if r == digest]
        losers = [r for r in results if isinstance(r, AlreadyExists)]
        others = [r for r in results if r != digest and not isinstance(r, AlreadyExists)]
        assert not others, f"unexpected failures: {others!r}"
        assert len(winners) == 1, f"{len(winners)} first uses were recorded"
        assert len(losers) == threads - 1


def check_pending_taken_once(backend: Backend, threads: int = 8, rounds: int = 4) -> None:
    """Of *threads* simultaneous takers of one pending request exactly one gets it."""
    for round_ in range(rounds):
        key = f"{round_}" * 64
        with backend.begin() as uow:
            uow.pending_federated_sign_ins.add(make_pending(key))
            uow.commit()
        results = run_concurrently(threads, partial(_take, backend, key))
        winners = [r for r in results if isinstance(r, PendingSignIn)]
        losers = [r for r in results if isinstance(r, NotFound | ConcurrentModification)]
        others = [r for r in results if r not in winners and r not in losers]
        assert not others, f"unexpected failures: {others!r}"
        assert len(winners) == 1, f"{len(winners)} takers got the request"


class FederationContract(BackendFixtures):
    """The federated sign-in's links, pending requests and replay store."""

    @pytest.mark.req("AUTH-13")
    def test_a_link_is_versioned_like_every_aggregate(self, backend: Backend) -> None:
        """Add, get, update with versions, remove."""
        check_versioned_repository(
            backend,
            _links,
            make_link(),
            "sub:" + "a" * 64,
            lambda item: attrs.evolve(item, method=LinkMethod.LINK_TOKEN),
        )

    @pytest.mark.req("AUTH-13")
    def test_an_accounts_links_are_listed_oldest_first_and_removed_together(
        self, backend: Backend
    ) -> None:
        """Listing names the account's links only; removing them leaves the others."""
        with backend.begin() as uow:
            uow.federated_links.add(make_link("sub:" + "b" * 64, after=5))
            uow.federated_links.add(make_link("eck:" + "c" * 64, kind=LinkKind.ECK_ID, after=1))
            uow.federated_links.add(make_link("sub:" + "d" * 64, "acc-2"))
            uow.commit()
        with backend.begin(readonly=True) as uow:
            listed = uow.federated_links.list_for_account("acc-1")
        assert [link.id[:5] for link in listed] == ["eck:c", "sub:b"]
        assert listed[0].kind is LinkKind.ECK_ID
        with backend.begin() as uow:
            assert uow.federated_links.remove_for_account("acc-1") == 2
            uow.commit()
        with backend.begin(readonly=True) as uow:
            assert uow.federated_links.list_for_account("acc-1") == ()
            assert uow.federated_links.get("sub:" + "d" * 64).account_id == "acc-2"

    @pytest.mark.req("AUTH-13")
    def test_a_pending_request_keeps_its_values_and_is_taken_once(self, backend: Backend) -> None:
        """Its pending values come back whole; a second take at the old version finds nothing."""
        with backend.begin() as uow:
            uow.pending_federated_sign_ins.add(make_pending())
            uow.commit()
        taken = _take(backend, "p" * 64, 0)
        assert taken.pending == {"nonce": "n-1", "code_verifier": "v-1"}
        with pytest.raises(NotFound):
            _take(backend, "p" * 64, 0)

    @pytest.mark.req("AUTH-13")
    def test_a_pending_request_is_versioned_like_every_aggregate(self, backend: Backend) -> None:
        """Add, get, update with versions, remove."""
        check_versioned_repository(
            backend,
            _pending,
            make_pending(),
            "p" * 64,
            lambda item: attrs.evolve(item, pending={"nonce": "n-2"}),
        )

    @pytest.mark.req("AUTH-13")
    def test_lapsed_pending_requests_are_purged(self, backend: Backend) -> None:
        """At its expiry a request goes; a later one stays."""
        with backend.begin() as uow:
            uow.pending_federated_sign_ins.add(make_pending("e" * 64, minutes=5))
            uow.pending_federated_sign_ins.add(make_pending("l" * 64, minutes=10))
            uow.commit()
        with backend.begin() as uow:
            assert uow.pending_federated_sign_ins.purge_expired(NOW + timedelta(minutes=5)) == 1
            uow.commit()
        with backend.begin(readonly=True) as uow:
            assert uow.pending_federated_sign_ins.get("l" * 64).id == "l" * 64

    @pytest.mark.req("AUTH-13")
    def test_of_simultaneous_takers_of_a_pending_request_one_wins(self, backend: Backend) -> None:
        """Racing finishes of one state: one gets the pending values."""
        self.require_threads(backend)
        check_pending_taken_once(backend)

    @pytest.mark.req("AUTH-13")
    def test_a_message_seen_before_is_refused_by_the_replay_store(self, backend: Backend) -> None:
        """The second first use of one replay key is AlreadyExists, also after a purge time."""
        _first_use(backend, "replay-x", 0)
        with pytest.raises(AlreadyExists):
            _first_use(backend, "replay-x", 0)

    @pytest.mark.req("AUTH-13")
    def test_of_simultaneous_uses_of_one_message_one_wins(self, backend: Backend) -> None:
        """Racing finishes with the same replay key: exactly one is recorded."""
        self.require_threads(backend)
        check_replay_store_one_wins(backend)

    @pytest.mark.req("AUTH-13")
    def test_a_federation_only_account_is_kept_and_gets_no_reminders(
        self, backend: Backend
    ) -> None:
        """The flag is stored and read back; the reminders' listing leaves the account out."""
        record = PasswordRecord(hash="$argon2id$x", set_at=NOW - timedelta(days=300))
        plain = attrs.evolve(make_account("acc-1", "22AB.Plain.User"), password=record)
        only = attrs.evolve(
            make_account("acc-2", "22AB.Only.Federated"), password=record, federation_only=True
        )
        with backend.begin() as uow:
            uow.accounts.add(plain)
            uow.accounts.add(only)
            uow.commit()
        with backend.begin(readonly=True) as uow:
            assert uow.accounts.get("acc-2").federation_only
            assert not uow.accounts.get("acc-1").federation_only
            due = uow.accounts.list_password_set_before(NOW, after=None, limit=10).items
        assert [account.id for account in due] == ["acc-1"]
