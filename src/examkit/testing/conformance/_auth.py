"""Conformance: the sign-in's aggregates (transactions, trusted browsers, reminders, ...)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import Any

import attrs
import pytest

from examkit.auth import (
    Authenticator,
    EmailChange,
    SentReminder,
    SignInTransaction,
    Step,
    TrustedBrowser,
    reminder_id,
)
from examkit.errors import AlreadyExists, ConcurrentModification, InvalidState, NotFound
from examkit.records import Backend, UnitOfWork
from examkit.testing.conformance._support import NOW, BackendFixtures, run_concurrently

Part = Callable[[UnitOfWork], Any]


def make_transaction(
    key: str = "t" * 64, account_id: str = "acc-1", *, minutes: float = 15
) -> SignInTransaction:
    """Return a sign-in transaction at the second factor, lapsing *minutes* after NOW."""
    return SignInTransaction(
        id=key,
        account_id=account_id,
        step=Step.SECOND_FACTOR,
        application="facet",
        ip="192.0.2.10",
        started_at=NOW,
        expires_at=NOW + timedelta(minutes=minutes),
        code_generation=1,
        code_expires_at=NOW + timedelta(minutes=minutes),
    )


def make_browser(
    key: str = "b" * 64, account_id: str = "acc-1", *, hours: float = 24, after: float = 0
) -> TrustedBrowser:
    """Return a browser trusted *after* minutes after NOW, for *hours*."""
    trusted_at = NOW + timedelta(minutes=after)
    return TrustedBrowser(
        id=key,
        account_id=account_id,
        ip="192.0.2.10",
        trusted_at=trusted_at,
        expires_at=trusted_at + timedelta(hours=hours),
    )


def make_reminder(account_id: str = "acc-1", days: int = 14) -> SentReminder:
    """Return the reminder *days* before the expiry of a password set at NOW."""
    return SentReminder(
        id=reminder_id(account_id, NOW, days),
        account_id=account_id,
        password_set_at=NOW,
        days=days,
        sent_at=NOW,
    )


def _store(backend: Backend, part: Part, *items: Any) -> list[Any]:
    with backend.begin() as uow:
        stored = [part(uow).add(item) for item in items]
        uow.commit()
    return stored


def _get(backend: Backend, part: Part, key: str) -> Any:
    with backend.begin(readonly=True) as uow:
        return part(uow).get(key)


def check_versioned_repository(
    backend: Backend, part: Part, item: Any, key: str, changed: Callable[[Any], Any]
) -> None:
    """Hold one repository to the shape every repository shares.

    Add stores version 1 and refuses the key twice; get returns it equal;
    update stores the next version and refuses a stale one; remove takes
    it away; a missing key is :class:`NotFound` everywhere; a reading unit
    refuses writes.
    """
    (stored,) = _store(backend, part, item)
    assert stored.version == 1
    assert _get(backend, part, key) == item
    with backend.begin() as uow, pytest.raises(AlreadyExists):
        part(uow).add(item)
    with backend.begin() as uow:
        updated = part(uow).update(changed(stored))
        uow.commit()
    assert updated.version == 2
    found = _get(backend, part, key)
    assert (found, found.version) == (changed(stored), 2)
    with backend.begin() as uow, pytest.raises(ConcurrentModification):
        part(uow).update(changed(stored))
    with backend.begin(readonly=True) as uow, pytest.raises(InvalidState):
        part(uow).remove(key)
    with backend.begin() as uow:
        part(uow).remove(key, version=2)
        uow.commit()
    with backend.begin(readonly=True) as uow, pytest.raises(NotFound):
        part(uow).get(key)
    with backend.begin() as uow, pytest.raises(NotFound):
        part(uow).remove(key)
    with backend.begin() as uow, pytest.raises(NotFound):
        part(uow).update(stored)


def _signins(uow: UnitOfWork) -> Any:
    return uow.signins


def _browsers(uow: UnitOfWork) -> Any:
    return uow.trusted_browsers


def _reminders(uow: UnitOfWork) -> Any:
    return uow.sent_reminders


def _changes(uow: UnitOfWork) -> Any:
    return uow.email_changes


def _apps(uow: UnitOfWork) -> Any:
    return uow.authenticators


def _claim(backend: Backend, reminder: SentReminder, _: int) -> bool:
    with backend.begin() as uow:
        try:
            uow.sent_reminders.add(reminder)
        except AlreadyExists:
            return False
        uow.commit()
    return True


class SignInTransactionRepositoryContract(BackendFixtures):
    """``uow.signins``: sign-ins in progress."""

    @pytest.mark.req("AUTH-3")
    def test_a_transaction_is_versioned_like_every_aggregate(self, backend: Backend) -> None:
        """Add, get, update with versions, remove."""
        check_versioned_repository(
            backend,
            _signins,
            make_transaction(),
            "t" * 64,
            lambda item: attrs.evolve(item, code_generation=2),
        )

    def test_remove_for_account_ends_only_that_accounts_transactions(
        self, backend: Backend
    ) -> None:
        """Sign out everywhere ends the account's sign-ins, and no one else's."""
        _store(
            backend,
            _signins,
            make_transaction("a" * 64),
            make_transaction("b" * 64),
            make_transaction("c" * 64, account_id="acc-2"),
        )
        with backend.begin() as uow:
            assert uow.signins.remove_for_account("acc-1") == 2
            uow.commit()
        assert _get(backend, _signins, "c" * 64).account_id == "acc-2"
        with backend.begin(readonly=True) as uow, pytest.raises(NotFound):
            uow.signins.get("a" * 64)

    def test_purge_removes_lapsed_transactions(self, backend: Backend) -> None:
        """Purging at a moment removes what lapsed at or before it."""
        _store(
            backend,
            _signins,
            make_transaction("a" * 64, minutes=5),
            make_transaction("b" * 64, minutes=30),
        )
        with backend.begin() as uow:
            assert uow.signins.purge_expired(NOW + timedelta(minutes=5)) == 1
            uow.commit()
        assert _get(backend, _signins, "b" * 64).id == "b" * 64


class TrustedBrowserRepositoryContract(BackendFixtures):
    """``uow.trusted_browsers``: browsers that may skip the second factor."""

    @pytest.mark.req("AUTH-4")
    def test_a_browser_is_versioned_like_every_aggregate(self, backend: Backend) -> None:
        """Add, get, update with versions, remove."""
        check_versioned_repository(
            backend,
            _browsers,
            make_browser(),
            "b" * 64,
            lambda item: attrs.evolve(item, ip="192.0.2.11"),
        )

    @pytest.mark.req("AUTH-4")
    def test_list_and_revoke_for_an_account(self, backend: Backend) -> None:
        """Listing is oldest first; revoking removes the account's browsers only."""
        _store(
            backend,
            _browsers,
            make_browser("a" * 64, after=10),
            make_browser("b" * 64, after=5),
            make_browser("c" * 64, account_id="acc-2"),
        )
        with backend.begin(readonly=True) as uow:
            assert [b.id for b in uow.trusted_browsers.list_for_account("acc-1")] == [
                "b" * 64,
                "a" * 64,
            ]
        with backend.begin() as uow:
            assert uow.trusted_browsers.remove_for_account("acc-1") == 2
            uow.commit()
        with backend.begin(readonly=True) as uow:
            assert uow.trusted_browsers.list_for_account("acc-1") == ()
            assert len(uow.trusted_browsers.list_for_account("acc-2")) == 1

    def test_purge_removes_lapsed_browsers(self, backend: Backend) -> None:
        """Purging removes the browsers whose trust lapsed."""
        _store(backend, _browsers, make_browser("a" * 64, hours=1), make_browser("b" * 64))
        with backend.begin() as uow:
            assert uow.trusted_browsers.purge_expired(NOW + timedelta(hours=1)) == 1
            uow.commit()
        assert _get(backend, _browsers, "b" * 64).id == "b" * 64


class SentReminderRepositoryContract(BackendFixtures):
    """``uow.sent_reminders``: each reminder is claimed once."""

    @pytest.mark.req("AUTH-7")
    def test_a_reminder_is_versioned_like_every_aggregate(self, backend: Backend) -> None:
        """Add, get, update with versions, remove."""
        reminder = make_reminder()
        check_versioned_repository(
            backend,
            _reminders,
            reminder,
            reminder.id,
            lambda item: attrs.evolve(item, mailed=False),
        )

    @pytest.mark.req("AUTH-7")
    def test_list_for_account_by_key(self, backend: Backend) -> None:
        """The reminders of an account, by key, and no one else's."""
        _store(
            backend,
            _reminders,
            make_reminder(days=7),
            make_reminder(days=14),
            make_reminder("acc-2"),
        )
        with backend.begin(readonly=True) as uow:
            found = uow.sent_reminders.list_for_account("acc-1")
        assert [item.id for item in found] == sorted(
            reminder_id("acc-1", NOW, days) for days in (7, 14)
        )

    @pytest.mark.req("AUTH-7")
    def test_of_simultaneous_claims_of_a_reminder_exactly_one_wins(self, backend: Backend) -> None:
        """Two daily jobs at once: the reminder is claimed (and mailed) once."""
        self.require_threads(backend)
        for days in (14, 7):
            results = run_concurrently(8, partial(_claim, backend, make_reminder(days=days)))
            assert sorted(results, key=str) == [False] * 7 + [True]


class EmailChangeRepositoryContract(BackendFixtures):
    """``uow.email_changes``: one pending e-mail change per account."""

    @pytest.mark.req("AUTH-10")
    def test_an_email_change_is_versioned_like_every_aggregate(self, backend: Backend) -> None:
        """Add, get, update with versions, remove."""
        change = EmailChange(
            account_id="acc-1",
            email="nieuw@school.nl",
            requested_at=NOW,
            expires_at=NOW + timedelta(days=1),
        )
        check_versioned_repository(
            backend,
            _changes,
            change,
            "acc-1",
            lambda item: attrs.evolve(item, email="anders@school.nl"),
        )


class AuthenticatorRepositoryContract(BackendFixtures):
    """``uow.authenticators``: one authenticator app per account."""

    @pytest.mark.req("AUTH-3")
    def test_an_authenticator_is_versioned_like_every_aggregate(self, backend: Backend) -> None:
        """Add, get, update with versions, remove."""
        app = Authenticator(account_id="acc-1", nonce="n0nce", enrolled_at=NOW)
        check_versioned_repository(
            backend,
            _apps,
            app,
            "acc-1",
            lambda item: attrs.evolve(item, confirmed_at=NOW, last_step=7),
        )
