"""Conformance: signed-in browser sessions (``uow.web_sessions``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import attrs
import pytest

from examkit.records import Backend, UnitOfWork
from examkit.testing.conformance._auth import check_versioned_repository
from examkit.testing.conformance._support import NOW, BackendFixtures
from examkit.websessions import SessionScope, WebSession


def make_web_session(
    key: str = "w" * 64,
    account_id: str = "acc-1",
    *,
    after: float = 0,
    idle_minutes: float = 30,
    hours: float = 12,
) -> WebSession:
    """Return a session signed in *after* minutes after NOW and last seen then."""
    at = NOW + timedelta(minutes=after)
    return WebSession(
        id=key,
        account_id=account_id,
        created_at=at,
        last_seen_at=at,
        idle_timeout=timedelta(minutes=idle_minutes),
        expires_at=at + timedelta(hours=hours),
        generation=0,
    )


def _sessions(uow: UnitOfWork) -> Any:
    return uow.web_sessions


def _store(backend: Backend, *items: WebSession) -> None:
    with backend.begin() as uow:
        for item in items:
            uow.web_sessions.add(item)
        uow.commit()


class WebSessionRepositoryContract(BackendFixtures):
    """``uow.web_sessions``: signed-in browser sessions."""

    @pytest.mark.req("WEB-2")
    def test_a_web_session_is_versioned_like_every_aggregate(self, backend: Backend) -> None:
        """Add, get, update with versions, remove."""
        check_versioned_repository(
            backend,
            _sessions,
            make_web_session(),
            "w" * 64,
            lambda item: attrs.evolve(item, last_seen_at=NOW + timedelta(minutes=5)),
        )

    @pytest.mark.req("WEB-2", "AUTH-9")
    def test_a_monitor_session_keeps_its_scope(self, backend: Backend) -> None:
        """The scope is stored and read back; a session stored without one is the portal's."""
        monitor = attrs.evolve(make_web_session("m" * 64), scope=SessionScope.MONITOR)
        _store(backend, monitor, make_web_session("p" * 64, after=1))
        with backend.begin(readonly=True) as uow:
            assert uow.web_sessions.get("m" * 64).scope is SessionScope.MONITOR
            assert uow.web_sessions.get("p" * 64).scope is SessionScope.PORTAL

    @pytest.mark.req("WEB-2")
    def test_list_for_an_account_is_oldest_first(self, backend: Backend) -> None:
        """Listing is by sign-in time, then key, and names the account's sessions only."""
        _store(
            backend,
            make_web_session("a" * 64, after=10),
            make_web_session("b" * 64, after=5),
            make_web_session("c" * 64, account_id="acc-2"),
        )
        with backend.begin(readonly=True) as uow:
            assert [s.id for s in uow.web_sessions.list_for_account("acc-1")] == [
                "b" * 64,
                "a" * 64,
            ]
            assert [s.id for s in uow.web_sessions.list_for_account("acc-2")] == ["c" * 64]

    @pytest.mark.req("WEB-2")
    def test_purge_removes_ended_sessions_whichever_way_they_ended(self, backend: Backend) -> None:
        """Idle, absolutely expired and revoked sessions go; a live one, seen lately, stays."""
        seen = attrs.evolve(make_web_session("s" * 64), last_seen_at=NOW + timedelta(minutes=50))
        revoked = attrs.evolve(
            make_web_session("r" * 64, after=40), revoked_at=NOW + timedelta(minutes=45)
        )
        _store(
            backend,
            make_web_session("i" * 64),  # idle since NOW: ended at NOW + 30 minutes
            make_web_session("x" * 64, idle_minutes=120, hours=0.5),  # expired at + 30 minutes
            revoked,
            seen,
        )
        with backend.begin() as uow:
            assert uow.web_sessions.purge_ended(NOW + timedelta(minutes=60)) == 3
            uow.commit()
        with backend.begin(readonly=True) as uow:
            assert [s.id for s in uow.web_sessions.list_for_account("acc-1")] == ["s" * 64]
