# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Account changes that weaken sign-in, and simultaneous code entries (issue 19, points 7-8).

Every test runs on the memory backend, an SQLite file and PostgreSQL. The
simultaneous ones use real threads released together by a barrier.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import timedelta
from typing import TypeVar

import attrs
import pytest

from examkit import Examkit
from examkit.accounts import Account, AccountStatus, LoginName
from examkit.auth import StaffSignIn, Step
from examkit.errors import (
    ExamkitError,
    ExamkitErrorGroup,
    InvalidState,
    LimitReached,
    NotFound,
    NotPermitted,
)
from examkit.identifiers import Brin, LocationCode
from examkit.messages import CATALOGUE
from examkit.permissions import may
from examkit.records import Backend
from examkit.roles import Grants
from examkit.testing import SignInHarness as Harness
from examkit.testing.conformance import make_institution

LOGIN = Harness.LOGIN_NAME
IP = Harness.IP
PASSWORD = Harness.PASSWORD
L00, L01 = LocationCode("22AB00"), LocationCode("22AB01")
OPERATOR = "examkit.operator"
T = TypeVar("T")

# What submit_code and request_new_code document that they raise (their docstrings' Raises).
SUBMIT_CODE_ERRORS = frozenset(
    {
        "auth.transaction.unknown",
        "auth.flow.out_of_order",
        "auth.code.invalid",
        "auth.code.too_many",
        "auth.code.blocked",
    }
)
NEW_CODE_ERRORS = frozenset(
    {
        "auth.transaction.unknown",
        "auth.flow.out_of_order",
        "auth.code.new_limit",
        "auth.code.simultaneous",
    }
)


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def harness(request: pytest.FixtureRequest) -> Iterator[Harness]:
    """A sign-in harness on each backend."""
    if request.param == "memory":
        yield Harness()
        return
    from examkit.backends.sql import SQLBackend

    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")
    backend: Backend = SQLBackend(url, migrate=False)
    try:
        yield Harness(backend)
    finally:
        backend.close()


def at_once(work: list[Callable[[], T]]) -> list[T | BaseException]:
    """Run each of *work* in its own thread, released together; return results or errors."""
    barrier = threading.Barrier(len(work), timeout=60)
    results: list[T | BaseException] = [RuntimeError("did not run")] * len(work)

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = work[index]()
        except BaseException as error:
            results[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(work))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def refusals(results: Sequence[object]) -> list[str]:
    """Return the code of every refusal; fail on anything that is not an ExamkitError."""
    codes: list[str] = []
    for result in results:
        if isinstance(result, BaseException):
            assert isinstance(result, ExamkitError), repr(result)
            codes.append(result.code)
    return codes


def administered(kit: Examkit) -> Examkit:
    """Give *kit* a school, an operator and an administrator per location."""
    kit.institutions.register(make_institution("22AB", secondary=2))
    with kit.backend.begin() as uow:
        for account_id, login, institutions in (
            ("op", "examkit.servicedesk", frozenset()),
            ("op2", "examkit.servicedesk2", frozenset()),
            ("admin00", "22AB.Beheerder00", frozenset({Brin("22AB")})),
            ("admin01", "22AB.Beheerder01", frozenset({Brin("22AB")})),
        ):
            uow.accounts.add(
                Account(
                    id=account_id,
                    login_name=LoginName(login),
                    first_name="Kim",
                    last_name=account_id.title(),
                    email=f"{account_id}@school.nl",
                    institutions=institutions,
                )
            )
        uow.commit()
    kit.grants.install_operator("op")
    kit.grants.grant_administrator("op", "admin00", at=[L00])
    kit.grants.grant_administrator("op", "admin01", at=[L01])
    return kit


def new_address(harness: Harness, email: str, password: str | None) -> None:
    """Ask, as acc-1 itself, for *email* as its new address, with *password*."""
    account = harness.account()
    harness.profile.update_profile(
        "acc-1",
        first_name=account.first_name,
        last_name=account.last_name,
        email=email,
        phone=account.phone,
        ip=IP,
        password=password,
    )


# -- point 7 -------------------------------------------------------------------------------


@pytest.mark.req("AUTH-10")
def test_point_7_a_new_email_address_for_the_codes_needs_the_password(harness: Harness) -> None:
    """Without the password, or with a wrong one, nothing is asked for or mailed."""
    harness.add_account()
    with pytest.raises(ExamkitErrorGroup) as missing:
        new_address(harness, "aanvaller@example.org", None)
    assert [("password", "auth.profile.password_required")] == [
        (problem.field, problem.code) for problem in missing.value.problems
    ]
    for _ in range(3):
        with pytest.raises(NotPermitted) as wrong:
            new_address(harness, "aanvaller@example.org", "Fout-2026!x")
        assert "auth.password.old_invalid" == wrong.value.code
    assert [] == harness.mailer.outbox
    assert "k.beheerder@school.nl" == harness.account().email
    # The wrong passwords counted like failed sign-ins: the name is blocked now.
    with pytest.raises(LimitReached) as blocked:
        harness.staff_sign_in.submit_credentials(LOGIN, PASSWORD, ip=IP)
    assert "auth.sign_in.blocked" == blocked.value.code
    harness.clock.advance(minutes=15)
    new_address(harness, "karin@school.nl", PASSWORD)
    assert "k.beheerder@school.nl" == harness.account().email
    harness.profile.confirm_email(harness.link_token("auth.email_confirm"), ip=IP)
    assert "karin@school.nl" == harness.account().email


@pytest.mark.req("ROLE-2", "AUTH-4")
def test_point_7_deactivation_revokes_trusted_browsers_and_signs_the_account_out(
    harness: Harness,
) -> None:
    """Reactivated, the account asks for the code again; its sign-in in progress and links end."""
    kit = administered(harness.kit)
    harness.add_account()
    kit.grants.grant_role("admin00", "acc-1", "facet.planner", at=[L00])
    trusted = harness.sign_in()
    assert trusted.browser_token is not None
    again = harness.staff_sign_in.submit_credentials(
        LOGIN, PASSWORD, ip=IP, browser_token=trusted.browser_token
    )
    assert Step.SIGNED_IN == again.step  # the browser is trusted before the deactivation
    pending = harness.at_code()
    code = harness.code()
    harness.password_reset.request_reset(LOGIN, ip=IP)
    reset = harness.link_token("auth.reset")

    kit.users.deactivate("admin00", "acc-1", application="facet")
    kit.users.reactivate("admin00", "acc-1", application="facet")

    with pytest.raises(NotFound) as ended:
        harness.staff_sign_in.submit_code(pending.transaction, code, ip=IP)
    assert "auth.transaction.unknown" == ended.value.code
    with pytest.raises(NotFound) as unusable:
        harness.password_reset.check_reset_token(reset)
    assert "auth.reset.unusable" == unusable.value.code
    after = harness.staff_sign_in.submit_credentials(
        LOGIN, PASSWORD, ip=IP, browser_token=trusted.browser_token
    )
    assert Step.SECOND_FACTOR == after.step
    [event] = harness.events("roles.user.deactivated")
    assert ("success", "1") == (event.outcome, event.details["browsers_revoked"])


@pytest.mark.req("ROLE-2")
def test_point_7_the_last_operator_cannot_revoke_its_own_role(harness: Harness) -> None:
    """With another active operator it can; a deactivated one does not count."""
    kit = administered(harness.kit)
    with pytest.raises(InvalidState) as last:
        kit.grants.revoke_role("op", "op", OPERATOR)
    assert "roles.operator.last" == last.value.code
    assert may(kit.permissions.actor("op"), "examkit.administrators.grant")
    assert "failure" == harness.events("roles.role.revoked")[-1].outcome

    kit.grants.grant_role("op", "op2", OPERATOR)
    with kit.backend.begin() as uow:
        other = uow.accounts.get("op2")
        uow.accounts.update(attrs.evolve(other, status=AccountStatus.DEACTIVATED))
        uow.commit()
    with pytest.raises(InvalidState):
        kit.grants.revoke_role("op", "op", OPERATOR)

    with kit.backend.begin() as uow:
        other = uow.accounts.get("op2")
        uow.accounts.update(attrs.evolve(other, status=AccountStatus.ACTIVE))
        uow.commit()
    kit.grants.revoke_role("op", "op", OPERATOR)
    assert not may(kit.permissions.actor("op"), "examkit.administrators.grant")
    with pytest.raises(InvalidState):
        kit.grants.revoke_role("op2", "op2", OPERATOR)
    assert may(kit.permissions.actor("op2"), "examkit.administrators.grant")


@pytest.mark.req("ROLE-2")
def test_point_7_two_operators_revoking_themselves_at_once_leave_one(harness: Harness) -> None:
    """Of the last two operators revoking their own roles at the same moment, one stays."""
    kit = administered(harness.kit)
    kit.grants.grant_role("op", "op2", OPERATOR)
    grants: Grants = kit.grants
    for _ in range(3):
        results = at_once(
            [
                lambda: grants.revoke_role("op", "op", OPERATOR),
                lambda: grants.revoke_role("op2", "op2", OPERATOR),
            ]
        )
        assert ["roles.operator.last"] == refusals(results), results
        stays = [
            name
            for name in ("op", "op2")
            if may(kit.permissions.actor(name), "examkit.administrators.grant")
        ]
        assert 1 == len(stays)
        gone = "op2" if stays == ["op"] else "op"
        grants.grant_role(stays[0], gone, OPERATOR)


@pytest.mark.req("ROLE-2")
def test_point_7_an_administrator_acts_only_on_users_added_at_its_own_locations(
    harness: Harness,
) -> None:
    """A user just added at 22AB00, no role yet, is 22AB00's: 22AB01's administrator is refused."""
    kit = administered(harness.kit)
    user = kit.users.add_user(
        "admin00",
        application="facet",
        at=L00,
        login_name="22AB.P.Planner",
        first_name="Piet",
        last_name="Planner",
        email="piet@school.nl",
    ).id
    assert frozenset({L00}) == kit.permissions.authorization(user).belongs_to
    before = harness.account(user)
    for attempt in (
        lambda: kit.users.edit_user("admin01", user, application="facet", email="x@example.org"),
        lambda: kit.users.deactivate("admin01", user, application="facet"),
        lambda: kit.users.remove_user(
            "admin01", user, application="facet", institution=Brin("22AB")
        ),
    ):
        with pytest.raises(NotPermitted) as refused:
            attempt()
        assert "permission.denied" == refused.value.code
        assert "denied" == harness.audit.events[-1].outcome
    assert (before, before.version) == (harness.account(user), harness.account(user).version)

    edited = kit.users.edit_user("admin00", user, application="facet", email="piet2@school.nl")
    assert "piet2@school.nl" == edited.email
    assert (
        AccountStatus.DEACTIVATED
        is kit.users.deactivate("admin00", user, application="facet").status
    )
    mine = kit.users.add_user(
        "admin01",
        application="facet",
        at=L01,
        login_name="22AB.A.Leider",
        first_name="Anna",
        last_name="Leider",
        email="anna@school.nl",
    ).id
    assert "anna2@school.nl" == (
        kit.users.edit_user("admin01", mine, application="facet", email="anna2@school.nl").email
    )


# -- point 8 -------------------------------------------------------------------------------


def test_the_documented_errors_are_the_ones_the_methods_document() -> None:
    """The sets above are in the docstrings and the catalogue (so the docs list them)."""
    for method, codes in (
        (StaffSignIn.submit_code, SUBMIT_CODE_ERRORS),
        (StaffSignIn.request_new_code, NEW_CODE_ERRORS),
    ):
        for code in codes:
            assert f"``{code}``" in (method.__doc__ or ""), (method.__name__, code)
            assert code in CATALOGUE


@pytest.mark.req("AUTH-3")
def test_point_8_twenty_simultaneous_wrong_codes_do_not_block_the_account(
    harness: Harness,
) -> None:
    """Five entries check the code, the rest find it ended; a new code then signs in."""
    harness.add_account()
    progress = harness.at_code()
    wrong = "000000" if harness.code() != "000000" else "111111"
    results = at_once(
        [
            lambda: harness.staff_sign_in.submit_code(progress.transaction, wrong, ip=IP)
            for _ in range(20)
        ]
    )
    codes = refusals(results)
    assert 20 == len(codes)
    assert set(codes) <= SUBMIT_CODE_ERRORS, codes
    assert 5 == codes.count("auth.code.invalid")
    assert 15 == codes.count("auth.code.too_many")
    harness.staff_sign_in.request_new_code(progress.transaction, ip=IP)
    done = harness.staff_sign_in.submit_code(progress.transaction, harness.code(), ip=IP)
    assert Step.SIGNED_IN == done.step


@pytest.mark.req("AUTH-3")
def test_point_8_simultaneous_entries_past_the_account_cap_block_it_for_an_hour_only(
    harness: Harness,
) -> None:
    """Ten checks per account per hour: eight done, twenty at once end it for exactly an hour."""
    harness.add_account()
    progress = harness.at_code()
    for entry in range(8):
        if entry == 5:
            harness.staff_sign_in.request_new_code(progress.transaction, ip=IP)
        wrong = "000000" if harness.code() != "000000" else "111111"
        with pytest.raises(ExamkitError) as refused:
            harness.staff_sign_in.submit_code(progress.transaction, wrong, ip=IP)
        assert "auth.code.invalid" == refused.value.code
    harness.staff_sign_in.request_new_code(progress.transaction, ip=IP)
    wrong = "000000" if harness.code() != "000000" else "111111"
    started = harness.clock.now()
    results = at_once(
        [
            lambda: harness.staff_sign_in.submit_code(progress.transaction, wrong, ip=IP)
            for _ in range(20)
        ]
    )
    codes = refusals(results)
    assert set(codes) <= SUBMIT_CODE_ERRORS, codes
    assert 2 == codes.count("auth.code.invalid")
    blocks = [r for r in results if isinstance(r, LimitReached) and r.code == "auth.code.blocked"]
    assert blocks
    assert {started + timedelta(hours=1)} == {r.params["until"] for r in blocks}
    harness.clock.advance(minutes=59, seconds=59)
    later = harness.at_code()
    with pytest.raises(LimitReached) as still:
        harness.staff_sign_in.submit_code(later.transaction, harness.code(), ip=IP)
    assert "auth.code.blocked" == still.value.code
    harness.clock.advance(seconds=1)
    last = harness.at_code()
    assert (
        Step.SIGNED_IN
        == harness.staff_sign_in.submit_code(last.transaction, harness.code(), ip=IP).step
    )


@pytest.mark.req("AUTH-3")
def test_point_8_simultaneous_right_codes_and_new_code_requests_end_in_documented_errors(
    harness: Harness,
) -> None:
    """One right entry wins; new codes stay within their cap; every loser is documented."""
    harness.add_account()
    progress = harness.at_code()
    right = harness.code()
    results = at_once(
        [lambda: harness.staff_sign_in.submit_code(progress.transaction, right, ip=IP)] * 20
    )
    assert 1 == sum(not isinstance(r, BaseException) for r in results)
    assert ["auth.transaction.unknown"] * 19 == refusals(results)

    progress = harness.at_code()
    mailed = len(harness.mailer.outbox)
    results = at_once(
        [lambda: harness.staff_sign_in.request_new_code(progress.transaction, ip=IP)] * 10
    )
    codes = refusals(results)
    assert set(codes) <= NEW_CODE_ERRORS, codes
    assert 3 == sum(not isinstance(r, BaseException) for r in results)  # the rules' new_codes
    assert mailed + 3 == len(harness.mailer.outbox)

    harness.clock.advance(minutes=15)
    progress = harness.at_code()
    right = harness.code()
    mixed = at_once(
        [lambda: harness.staff_sign_in.submit_code(progress.transaction, right, ip=IP)] * 10
        + [lambda: harness.staff_sign_in.request_new_code(progress.transaction, ip=IP)] * 10
    )
    assert set(refusals(mixed[:10])) <= SUBMIT_CODE_ERRORS, mixed
    assert set(refusals(mixed[10:])) <= NEW_CODE_ERRORS, mixed
    assert sum(getattr(r, "step", None) is Step.SIGNED_IN for r in mixed) <= 1


# -- the same with the production defaults ---------------------------------------------------


@pytest.mark.req("AUTH-3", "AUTH-10", "ROLE-2")
def test_point_7_and_point_8_with_the_production_defaults_on_an_sqlite_file(
    sqlite_url: str,
) -> None:
    """Examkit's own audit log, argon2, the real clock and randomness, an SQLite file."""
    import re

    from examkit import Settings
    from examkit.backends.sql import SQLBackend
    from examkit.passwords import PRESETS, change_password
    from examkit.testing import RecordingMailer, StaticGate

    backend = SQLBackend(sqlite_url, migrate=False)
    mailer = RecordingMailer()
    try:
        kit = administered(
            Examkit(
                backend=backend,
                mailer=mailer,
                settings=Settings(token_key=b"p" * 32, base_url="https://portal.example/"),
                sign_in_gate=StaticGate(),
            )
        )

        def code() -> str:
            found = re.search(r"\b(\d{6})\b", mailer.last("auth.otp").body)
            assert found is not None
            return found.group(1)

        account = Account(
            id="acc-1",
            login_name=LoginName(LOGIN),
            first_name="Karin",
            last_name="Beheerder",
            email="k.beheerder@school.nl",
            institutions=frozenset({Brin("22AB")}),
        )
        account = change_password(
            account, PASSWORD, policy=PRESETS["facet"], hasher=kit.hasher, now=kit.clock.now()
        )
        with backend.begin() as uow:
            uow.accounts.add(account)
            uow.commit()
        kit.grants.grant_role("admin00", "acc-1", "facet.planner", at=[L00])

        progress = kit.staff_sign_in.submit_credentials(LOGIN, PASSWORD, ip=IP)
        wrong = "000000" if code() != "000000" else "111111"
        results = at_once(
            [lambda: kit.staff_sign_in.submit_code(progress.transaction, wrong, ip=IP)] * 20
        )
        assert {"auth.code.invalid", "auth.code.too_many"} == set(refusals(results))
        kit.staff_sign_in.request_new_code(progress.transaction, ip=IP)
        trusted = kit.staff_sign_in.submit_code(progress.transaction, code(), ip=IP)
        assert trusted.browser_token is not None

        with pytest.raises(ExamkitErrorGroup):
            kit.profile.update_profile(
                "acc-1",
                first_name="Karin",
                last_name="Beheerder",
                email="aanvaller@example.org",
                phone=None,
                ip=IP,
            )

        kit.users.deactivate("admin00", "acc-1", application="facet")
        kit.users.reactivate("admin00", "acc-1", application="facet")
        again = kit.staff_sign_in.submit_credentials(
            LOGIN, PASSWORD, ip=IP, browser_token=trusted.browser_token
        )
        assert Step.SECOND_FACTOR == again.step
        with backend.begin(readonly=True) as uow:
            trail = uow.audit.list(subject="account:acc-1", limit=1000).items
        [deactivated] = [e for e in trail if e.action == "roles.user.deactivated"]
        assert "1" == deactivated.details["browsers_revoked"]
        reasons = [e.details["reason"] for e in trail if e.action == "auth.code"]
        assert (5, 15) == (
            reasons.count("auth.code.invalid"),
            reasons.count("auth.code.too_many"),
        )
    finally:
        backend.close()
