# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Issue 19, points 5 and 6: initial passwords expire, legacy hashes cost the same work.

On every backend: memory, an SQLite file and PostgreSQL.
"""

from __future__ import annotations

import hashlib
from base64 import b64encode
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta
from functools import partial
from pathlib import Path

import attrs
import bcrypt
import pytest

from examkit import Examkit, Settings
from examkit.accounts import Account, AccountStatus, LoginName
from examkit.auth import Step
from examkit.errors import NotPermitted
from examkit.passwords import PRESETS, LegacyScheme, PasswordPolicy, issue_initial_password
from examkit.ports import PasswordHasher
from examkit.records import Backend
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
        assert (
            Step.CHANGE_PASSWORD == h.staff_sign_in.submit_credentials(LOGIN, initial, ip=IP).step
        )
        h.clock.advance(seconds=1)
        with pytest.raises(NotPermitted) as lapsed:
            h.staff_sign_in.submit_credentials(LOGIN, initial, ip=IP)
        with pytest.raises(NotPermitted) as wrong:
            h.staff_sign_in.submit_credentials(LOGIN, WRONG, ip=IP)
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
            h.staff_sign_in.submit_credentials(LOGIN, initial, ip=IP)
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
            h.staff_sign_in.submit_credentials(LOGIN, initial, ip=IP)
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
            h.sign_in_monitor.monitor_sign_in(LOGIN, initial, ip=IP)
        assert "auth.credentials.invalid" == refused.value.code


@pytest.mark.req("AUTH-2")
def test_issue19_point5_a_chosen_password_past_its_validity_still_leads_to_the_change(
    backend_url: str | None,
) -> None:
    """Only the e-mailed password lapses this way; an expired chosen one is replaced (AUTH-7)."""
    for h in harness_on(backend_url, PRESETS["facet"]):
        h.add_account()
        h.clock.advance(days=400)
        step = h.staff_sign_in.submit_credentials(LOGIN, PASSWORD, ip=IP).step
        assert Step.CHANGE_EXPIRED_PASSWORD == step


# -- point 6: legacy hashes cost the same work ----------------------------------------------


def work_of(hashed: str) -> tuple[str, int]:
    """The scheme of *hashed* and the work one verification of it costs, read from the hash.

    bcrypt's work doubles with each cost step; PBKDF2's is its iteration count;
    argon2's is counted per set of parameters (one verification each).
    """
    if hashed.startswith("$2b$"):
        return "bcrypt", 2 ** int(hashed.split("$")[2])
    if hashed.startswith("$pbkdf2-sha256$"):
        return "pbkdf2_sha256", int(hashed.split("$")[2])
    assert hashed.startswith("$argon2"), hashed
    return hashed.split("$")[3], 1


class WorkCounter:
    """A hasher that adds up the work of every verification, per scheme and parameters."""

    def __init__(self, legacy: tuple[LegacyScheme, ...]) -> None:
        self.inner = cheap_hasher(legacy=legacy)
        self.work: Counter[str] = Counter()

    def hash(self, password: str) -> str:
        return self.inner.hash(password)

    def verify(self, password: str, hashed: str) -> bool:
        scheme, work = work_of(hashed)
        self.work[scheme] += work
        return self.inner.verify(password, hashed)

    def needs_update(self, hashed: str) -> bool:
        return self.inner.needs_update(hashed)

    def work_plan(self, hashed: str | None) -> tuple[str, ...]:
        return self.inner.work_plan(hashed)

    def spent(self, attempt: Callable[[], object]) -> dict[str, int]:
        """Run *attempt*; return the work it cost."""
        before = Counter(self.work)
        attempt()
        return dict(self.work - before)


def _ab64(raw: bytes) -> str:
    return b64encode(raw).decode().rstrip("=").replace("+", ".")


def legacy_hashes(password: str) -> dict[str, str]:
    """Hashes of *password* as other systems made them (not through examkit or passlib).

    Each scheme at its declared cost (bcrypt 6, PBKDF2 1,500 rounds) and below
    it (bcrypt 4, PBKDF2 1,000 rounds), as one system's hashes differ by age.
    """
    salt = b"pepper-not-salt!"

    def pbkdf2(rounds: int) -> str:
        derived = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, rounds)
        return f"$pbkdf2-sha256${rounds}${_ab64(salt)}${_ab64(derived)}"

    return {
        "bcrypt at the declared cost": bcrypt.hashpw(
            password.encode(), bcrypt.gensalt(rounds=6)
        ).decode(),
        "bcrypt below it": bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=4)).decode(),
        "pbkdf2 at the declared cost": pbkdf2(1500),
        "pbkdf2 below it": pbkdf2(1000),
    }


def refuse(harness: Harness, login: str, password: str) -> None:
    """Sign in as *login*; expect the refusal a wrong password gets."""
    with pytest.raises(NotPermitted) as refused:
        harness.staff_sign_in.submit_credentials(login, password, ip=IP)
    assert "auth.credentials.invalid" == refused.value.code


DECLARED = (LegacyScheme("bcrypt", 6), LegacyScheme("pbkdf2_sha256", 1500))


@pytest.mark.req("AUTH-5")
def test_issue19_point6_legacy_hashes_cost_the_same_work_as_the_others(
    backend_url: str | None,
) -> None:
    """Unknown, wrong, deactivated, and imported hashes at or below their cost: the same work."""
    counter = WorkCounter(DECLARED)
    # Every check: one argon2 verification at the current parameters, bcrypt work 2**6 and
    # 1,500 PBKDF2 rounds, whether against the account's own hash or against decoys.
    current = cheap_hasher().hash(PASSWORD).split("$")[3]
    expected = {current: 1, "bcrypt": 2**6, "pbkdf2_sha256": 1500}
    for h in harness_on(backend_url, PRESETS["facet"], counter):
        h.add_account()
        h.add_account("acc-2", "22AB.Oud.Account", status=AccountStatus.DEACTIVATED)
        logins = {}
        for number, (kind, hashed) in enumerate(legacy_hashes(PASSWORD).items(), start=3):
            login = f"22AB.Import.{number}"
            account, _ = h.add_account(f"acc-{number}", login)
            assert account.password is not None
            legacy = attrs.evolve(account, password=attrs.evolve(account.password, hash=hashed))
            with h.kit.backend.begin() as uow:
                uow.accounts.update(legacy)
                uow.commit()
            logins[kind] = login
        tries = {
            "unknown": ("22AB.Onbekend", PASSWORD),
            "wrong": (LOGIN, WRONG),
            "deactivated": ("22AB.Oud.Account", PASSWORD),
            **{kind: (login, WRONG) for kind, login in logins.items()},
        }

        spent = {kind: counter.spent(partial(refuse, h, *tried)) for kind, tried in tries.items()}
        assert dict.fromkeys(tries, expected) == spent
        # The right password over an imported hash below its cost signs in at the same work,
        # and the hash is upgraded.
        login = logins["bcrypt below it"]
        assert expected == counter.spent(
            partial(h.staff_sign_in.submit_credentials, login, PASSWORD, ip=IP)
        )
        with h.kit.backend.begin(readonly=True) as uow:
            stored = uow.accounts.get("acc-4").password
        assert stored is not None
        assert not counter.inner.needs_update(stored.hash)
        assert Step.SECOND_FACTOR == h.staff_sign_in.submit_credentials(login, PASSWORD, ip=IP).step


@pytest.mark.req("AUTH-2", "AUTH-5")
def test_issue19_points5_and_6_with_the_production_defaults(tmp_path: Path) -> None:
    """Examkit's own defaults (its audit log, a real SQLite file, argon2 at RFC 9106 cost)."""
    from examkit.backends.sql import SQLBackend

    backend = SQLBackend(f"sqlite:///{tmp_path / 'examkit.sqlite'}")
    clock = ManualClock.at("2026-09-01T08:00:00+00:00")
    kit = Examkit(
        backend=backend,
        mailer=RecordingMailer(),
        settings=Settings(token_key=TEST_TOKEN_KEY, base_url="https://portal.example.nl"),
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
            kit.staff_sign_in.submit_credentials(LOGIN, initial, ip=IP)
        assert "auth.credentials.invalid" == refused.value.code
    finally:
        backend.close()
    assert timedelta(days=7) == kit.password_policy.lifetime.initial
