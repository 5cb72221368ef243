"""Conformance: single-use tokens (one-time passwords, reset links, invitations)."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

import pytest

from examkit.errors import AlreadyExists, InvalidState, NotFound
from examkit.records import Backend
from examkit.storage import StoredToken
from examkit.testing.conformance._support import NOW, BackendFixtures, run_concurrently


def token(digest: str = "d1", subject: str = "acc-1", *, minutes: float = 15) -> StoredToken:
    """Return an OTP-like token expiring *minutes* after :data:`NOW`."""
    return StoredToken(
        purpose="auth.otp",
        digest=digest,
        subject=subject,
        expires_at=NOW + timedelta(minutes=minutes),
        data={"transaction": "t-1"},
    )


def put(backend: Backend, *tokens: StoredToken) -> None:
    """Store *tokens* in a unit of their own."""
    with backend.begin() as uow:
        for item in tokens:
            uow.tokens.put(item)
        uow.commit()


def consume(backend: Backend, digest: str = "d1", *, minutes: float = 1) -> StoredToken:
    """Consume a token in a unit of its own, *minutes* after :data:`NOW`."""
    with backend.begin() as uow:
        found = uow.tokens.consume("auth.otp", digest, now=NOW + timedelta(minutes=minutes))
        uow.commit()
    return found


def _consume_ignoring_index(backend: Backend, digest: str, _: int) -> StoredToken:
    return consume(backend, digest)


def check_concurrent_consumers_one_wins(
    backend: Backend, threads: int = 12, rounds: int = 5
) -> None:
    """Of *threads* simultaneous consumers of one token exactly one succeeds."""
    for round_ in range(rounds):
        digest = f"race-{round_}"
        put(backend, token(digest))
        results = run_concurrently(threads, partial(_consume_ignoring_index, backend, digest))
        winners = [r for r in results if isinstance(r, StoredToken)]
        losers = [r for r in results if isinstance(r, NotFound)]
        others = [r for r in results if not isinstance(r, StoredToken | NotFound)]
        assert not others, f"unexpected failures: {others!r}"
        assert len(winners) == 1, f"{len(winners)} consumers succeeded"
        assert len(losers) == threads - 1


class TokenStoreContract(BackendFixtures):
    """``uow.tokens``: put, consume once, peek, revoke, expiry, atomic under concurrency."""

    @pytest.mark.req("AUTH-3")
    def test_a_token_is_consumed_once(self, backend: Backend) -> None:
        """The first consumption returns the token; the second finds nothing."""
        put(backend, token())
        found = consume(backend)
        assert found == token()
        assert dict(found.data) == {"transaction": "t-1"}
        with pytest.raises(NotFound):
            consume(backend)

    @pytest.mark.req("AUTH-3")
    def test_an_expired_token_cannot_be_consumed(self, backend: Backend) -> None:
        """At or after its expiry a token is refused."""
        put(backend, token(minutes=15))
        with pytest.raises(NotFound):
            consume(backend, minutes=15)

    def test_a_rolled_back_consumption_leaves_the_token(self, backend: Backend) -> None:
        """Consumption is part of the unit of work: a rollback restores the token."""
        put(backend, token())
        with backend.begin() as uow:
            uow.tokens.consume("auth.otp", "d1", now=NOW)
        assert consume(backend).digest == "d1"

    def test_peek_does_not_consume(self, backend: Backend) -> None:
        """Peeking returns a usable token and leaves it in place."""
        put(backend, token())
        with backend.begin(readonly=True) as uow:
            assert uow.tokens.peek("auth.otp", "d1", now=NOW).subject == "acc-1"
            with pytest.raises(NotFound):
                uow.tokens.peek("auth.otp", "d1", now=NOW + timedelta(minutes=15))
            with pytest.raises(NotFound):
                uow.tokens.peek("auth.reset", "d1", now=NOW)
        assert consume(backend).digest == "d1"

    def test_the_same_digest_twice_is_refused(self, backend: Backend) -> None:
        """Purpose and digest together are unique."""
        put(backend, token())
        with backend.begin() as uow, pytest.raises(AlreadyExists):
            uow.tokens.put(token())

    @pytest.mark.req("AUTH-3")
    def test_revoke_removes_every_token_of_a_subject(self, backend: Backend) -> None:
        """A new OTP replaces the earlier ones: revoke removes them all, and only them."""
        put(backend, token("d1"), token("d2"), token("d3", subject="acc-2"))
        with backend.begin() as uow:
            removed = uow.tokens.revoke("auth.otp", "acc-1")
            uow.commit()
        assert removed == 2
        for digest in ("d1", "d2"):
            with pytest.raises(NotFound):
                consume(backend, digest)
        assert consume(backend, "d3").subject == "acc-2"

    def test_purge_expired(self, backend: Backend) -> None:
        """Purging removes expired tokens only."""
        put(backend, token("old", minutes=5), token("new", minutes=60))
        with backend.begin() as uow:
            removed = uow.tokens.purge_expired(NOW + timedelta(minutes=10))
            uow.commit()
        assert removed == 1
        assert consume(backend, "new", minutes=11).digest == "new"

    def test_a_reading_unit_cannot_consume(self, backend: Backend) -> None:
        """Consumption writes, so a reading unit refuses it."""
        put(backend, token())
        with backend.begin(readonly=True) as uow, pytest.raises(InvalidState):
            uow.tokens.consume("auth.otp", "d1", now=NOW)

    @pytest.mark.req("AUTH-3", "AUTH-12")
    def test_of_simultaneous_consumers_exactly_one_succeeds(self, backend: Backend) -> None:
        """Racing consumers of one token: one wins, the others get NotFound."""
        self.require_threads(backend)
        check_concurrent_consumers_one_wins(backend)
