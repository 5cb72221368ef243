# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Issue 19, points 5 and 6: initial passwords expire, legacy hashes cost the same work.

On every backend: memory, an SQLite file and PostgreSQL.
"""

from __future__ import annotations

import hashlib
from base64 import b64encode
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import attrs
import bcrypt
import pytest

from examkit import Examkit, Settings
from examkit.accounts import Account, AccountStatus, LoginName
from examkit.auth import Step
from examkit.errors import NotPermitted
from examkit.passwords import PRESETS, PasswordPolicy, issue_initial_password
from examkit.ports import PasswordHasher
from examkit.storage import Backend
from examkit.testing import (
    TEST_TOKEN_KEY,
    ManualClock,
    RecordingMailer,
    SequenceSecretSource,
    StaticGate,
    cheap_hasher,
)
from examkit.testing import SignInHarness as Harness

LOGIN = Harness.LOGIN_NAME
IP = Harness.IP
PASSWORD = Harness.PASSWORD
WRONG = "Verkeerd-2026!"


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend_url(request: pytest.FixtureRequest) -> str | None:
    """None for the memory backend, else the URL of a fresh SQLite or PostgreSQL database."""
    if request.param == "memory":
        return None
    url: str = request.getfixturevalue(
        "sqlite_url" if request.param == "sqlite" else "postgres_url"
    )
    return url


def harness_on(
    url: str | None, policy: PasswordPolicy, hasher: PasswordHasher | None = None
) -> Iterator[Harness]:
    """A sign-in harness with *policy* on the memory backend or the database at *url*."""
    if url is None:
        yield Harness(policy=policy, hasher=hasher)
        return
    from examkit.backends.sql import SQLBackend

    backend: Backend = SQLBackend(url, migrate=False)
    try:
        yield Harness(backend, policy=policy, hasher=hasher)
    finally:
        backend.close()


# -- point 5: an e-mailed initial password expires ------------------------------------------


@pytest.mark.req("AUTH-2")
@pytest.mark.parametrize(("name", "valid_days"), [("asvs-l2", 7), ("asvs-l1", 7), ("facet", 365)])
def test_issue19_point5_an_initial_password_past_its_validity_is_refused_like_a_wrong_one(
    backend_url: str | None, name: str, valid_days: int
) -> None:
    """Valid until its last moment; then the same refusal as a wrong password, and counted."""
    for h in harness_on(backend_url, PRESETS[name]):
        _, initial = h.add_account(initial=True)
        h.clock.advance(days=valid_days, seconds=-1)
        assert Step.CHANGE_PASSWORD == h.signin.submit_credentials(LOGIN, initial, ip=IP).step
        h.clock.advance(seconds=1)
        with pytest.raises(NotPermitted) as lapsed:
            h.signin.submit_credentials(LOGIN, initial, ip=IP)
        with pytest.raises(NotPermitted) as wrong:
            h.signin.submit_credentials(LOGIN, WRONG, ip=IP)
        assert (lapsed.value.code, lapsed.value.message("nl"), lapsed.value.params) == (
            wrong.value.code,
            wrong.value.message("nl"),
            wrong.value.params,
        )
        assert "auth.credentials.invalid" == lapsed.value.code
        failures = [e for e in h.events("auth.sign_in") if e.outcome == "failure"]
        assert "expired" == failures[-2].details.get("initial")
        assert "initial" not in failures[-1].details
        # It counted against the lockout like a wrong password: a third failure blocks.
        with pytest.raises(NotPermitted):
            h.signin.submit_credentials(LOGIN, initial, ip=IP)
        assert 3 == len([e for e in h.events("auth.sign_in") if e.outcome == "failure"])


@pytest.mark.req("AUTH-2")
def test_issue19_point5_thirty_days_later_there_is_no_change_expired_password_step(
    backend_url: str | None,
) -> None:
    """The issue's case: asvs-l2, 30 days on; no step is reached, no code is mailed."""
    for h in harness_on(backend_url, PRESETS["asvs-l2"]):
        _, initial = h.add_account(initial=True)
        h.clock.advance(days=30)
        with pytest.raises(NotPermitted):
            h.signin.submit_credentials(LOGIN, initial, ip=IP)
        assert [] == h.mailer.outbox


@pytest.mark.req("AUTH-2")
def test_issue19_point5_the_monitor_refuses_a_lapsed_initial_password_as_wrong(
    backend_url: str | None,
) -> None:
    """The proctor monitor too answers a lapsed initial password as a wrong one."""
    for h in harness_on(backend_url, PRESETS["facet"]):
        _, initial = h.add_account(initial=True)
        h.clock.advance(days=365)
        with pytest.raises(NotPermitted) as refused:
            h.signin.monitor_sign_in(LOGIN, initial, ip=IP)
        assert "auth.credentials.invalid" == refused.value.code


@pytest.mark.req("AUTH-2")
def test_issue19_point5_a_chosen_password_past_its_validity_still_leads_to_the_change(
    backend_url: str | None,
) -> None:
    """Only the e-mailed password lapses this way; an expired chosen one is replaced (AUTH-7)."""
    for h in harness_on(backend_url, PRESETS["facet"]):
        h.add_account()
        h.clock.advance(days=400)
        step = h.signin.submit_credentials(LOGIN, PASSWORD, ip=IP).step
        assert Step.CHANGE_EXPIRED_PASSWORD == step


# -- point 6: legacy hashes cost the same work ----------------------------------------------


class FullCostCounter:
    """A hasher that counts verifications against hashes at the current cost (full cost)."""

    def __init__(self) -> None:
        self.inner = cheap_hasher()
        self.full_cost = 0
        self.verifications = 0

    def hash(self, password: str) -> str:
        return self.inner.hash(password)

    def verify(self, password: str, hashed: str) -> bool:
        self.verifications += 1
        if not self.inner.needs_update(hashed):
            self.full_cost += 1
        return self.inner.verify(password, hashed)

    def needs_update(self, hashed: str) -> bool:
        return self.inner.needs_update(hashed)


def _ab64(raw: bytes) -> str:
    return b64encode(raw).decode().rstrip("=").replace("+", ".")


def legacy_hashes(password: str) -> dict[str, str]:
    """Hashes of *password* as other systems made them (not through examkit or passlib)."""
    salt = b"pepper-not-salt!"
    derived = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 1000)
    return {
        "bcrypt": bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=4)).decode(),
        "pbkdf2_sha256": f"$pbkdf2-sha256$1000${_ab64(salt)}${_ab64(derived)}",
    }


@pytest.mark.req("AUTH-5")
def test_issue19_point6_legacy_hashes_cost_the_same_work_as_the_others(
    backend_url: str | None,
) -> None:
    """Unknown, wrong, deactivated, and legacy hashes (right or wrong): one full-cost hash each."""
    counter = FullCostCounter()
    for h in harness_on(backend_url, PRESETS["facet"], counter):
        h.add_account()
        h.add_account("acc-2", "22AB.Oud.Account", status=AccountStatus.DEACTIVATED)
        logins = {}
        for number, (scheme, hashed) in enumerate(legacy_hashes(PASSWORD).items(), start=3):
            login = f"22AB.Import.{number}"
            account, _ = h.add_account(f"acc-{number}", login)
            assert account.password is not None
            legacy = attrs.evolve(account, password=attrs.evolve(account.password, hash=hashed))
            with h.kit.backend.begin() as uow:
                uow.accounts.update(legacy)
                uow.commit()
            logins[scheme] = login
        tries = [
            ("22AB.Onbekend", PASSWORD),
            (LOGIN, WRONG),
            ("22AB.Oud.Account", PASSWORD),
            *((login, WRONG) for login in logins.values()),
        ]
        spent = []
        for login, password in tries:
            before = counter.full_cost
            with pytest.raises(NotPermitted) as refused:
                h.signin.submit_credentials(login, password, ip=IP)
            assert "auth.credentials.invalid" == refused.value.code
            spent.append(counter.full_cost - before)
        assert [1] * len(tries) == spent
        # The right password over a legacy hash signs in, and the hash is upgraded.
        login = logins["bcrypt"]
        before = counter.full_cost
        assert Step.SECOND_FACTOR == h.signin.submit_credentials(login, PASSWORD, ip=IP).step
        assert 1 == counter.full_cost - before
        with h.kit.backend.begin(readonly=True) as uow:
            stored = uow.accounts.get("acc-3").password
        assert stored is not None
        assert not counter.inner.needs_update(stored.hash)


@pytest.mark.req("AUTH-2", "AUTH-5")
def test_issue19_points5_and_6_with_the_production_defaults(tmp_path: Path) -> None:
    """Examkit's own defaults (its audit log, a real SQLite file, argon2 at RFC 9106 cost)."""
    from examkit.backends.sql import SQLBackend

    backend = SQLBackend(f"sqlite:///{tmp_path / 'examkit.sqlite'}")
    clock = ManualClock.at("2026-09-01T08:00:00+00:00")
    kit = Examkit(
        backend=backend,
        mailer=RecordingMailer(),
        settings=Settings(token_key=TEST_TOKEN_KEY),
        clock=clock,
        secrets=SequenceSecretSource("production-defaults"),
        sign_in_gate=StaticGate(),
        password_policy=PRESETS["asvs-l2"],
    )
    try:
        account = Account(
            id="acc-1",
            login_name=LoginName(LOGIN),
            first_name="Karin",
            last_name="Beheerder",
            email="k.beheerder@school.nl",
        )
        account, initial = issue_initial_password(
            account,
            policy=kit.password_policy,
            hasher=kit.hasher,
            secrets=kit.secrets,
            now=clock.now(),
        )
        with backend.begin() as uow:
            uow.accounts.add(account)
            uow.commit()
        clock.advance(days=30)
        with pytest.raises(NotPermitted) as refused:
            kit.signin.submit_credentials(LOGIN, initial, ip=IP)
        assert "auth.credentials.invalid" == refused.value.code
    finally:
        backend.close()
    assert timedelta(days=7) == kit.password_policy.lifetime.initial
