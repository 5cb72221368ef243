# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The proctor monitor's own web session (WEB-2, AUTH-9): the monitor only, its own timeouts.

The monitor's sign-in asks no e-mailed code, so the session it starts must
not open the rest of the portal. The timeouts are spelled out here (20
minutes idle, 6 hours absolute), not read from the settings' code.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from examkit import Examkit, Settings
from examkit.accounts import Account, LoginName
from examkit.errors import ConfigurationError, InvalidInput, NotPermitted
from examkit.testing import ManualClock, RecordingMailer, SequenceSecretSource, Wiring
from examkit.websessions import SessionScope, WebSessionSettings

pytestmark = pytest.mark.req("WEB-2", "AUTH-9")

MONITOR, PORTAL = SessionScope.MONITOR, SessionScope.PORTAL
INVALID = "websessions.session.invalid"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock.at("2026-05-12T06:30:00+00:00")


@pytest.fixture
def kit(wiring: Wiring, clock: ManualClock) -> Examkit:
    kit = Examkit(
        backend=wiring.backend,
        mailer=RecordingMailer(),
        settings=Settings(token_key=b"k" * 32, base_url="https://portal.example.nl"),
        clock=clock,
        secrets=SequenceSecretSource("monitor"),
        audit=wiring.log,
    )
    with kit.backend.begin() as uow:
        uow.accounts.add(
            Account(
                id="proctor",
                login_name=LoginName("22AB.K.Leider"),
                first_name="Kim",
                last_name="Leider",
                email="leider@school.nl",
            )
        )
        uow.commit()
    return kit


def refused(call: object) -> str:
    assert callable(call)
    with pytest.raises(NotPermitted) as caught:
        call()
    return caught.value.code


def test_a_monitor_session_reaches_the_monitor_and_nothing_else(kit: Examkit) -> None:
    token, session = kit.web_sessions.start("proctor", scope=MONITOR)
    assert MONITOR == session.scope
    assert "proctor" == kit.web_sessions.resolve(token, area=MONITOR).account_id
    assert "proctor" == kit.web_sessions.user(token, area=MONITOR).account.id
    assert INVALID == refused(lambda: kit.web_sessions.resolve(token))
    assert INVALID == refused(lambda: kit.web_sessions.user(token, area=PORTAL))


def test_a_portal_session_reaches_the_monitor_too(kit: Examkit) -> None:
    token, session = kit.web_sessions.start("proctor")
    assert PORTAL == session.scope
    assert "proctor" == kit.web_sessions.user(token, area=MONITOR).account.id
    assert "proctor" == kit.web_sessions.user(token).account.id


def test_a_monitor_session_lapses_after_20_idle_minutes(kit: Examkit, clock: ManualClock) -> None:
    token, session = kit.web_sessions.start("proctor", scope=MONITOR)
    assert (timedelta(minutes=20), session.created_at + timedelta(hours=6)) == (
        session.idle_timeout,
        session.expires_at,
    )
    clock.advance(minutes=19)
    kit.web_sessions.resolve(token, area=MONITOR)
    clock.advance(minutes=19)  # used at minute 19: live until minute 39
    kit.web_sessions.resolve(token, area=MONITOR)
    clock.advance(minutes=21)
    assert INVALID == refused(lambda: kit.web_sessions.resolve(token, area=MONITOR))


def test_a_monitor_session_in_use_ends_after_6_hours(kit: Examkit, clock: ManualClock) -> None:
    token, _ = kit.web_sessions.start("proctor", scope=MONITOR)
    for _ in range(35):  # polled all along: never idle
        clock.advance(minutes=10)
        kit.web_sessions.resolve(token, area=MONITOR)
    clock.advance(minutes=11)  # 6 hours and 1 minute after the sign-in
    assert INVALID == refused(lambda: kit.web_sessions.resolve(token, area=MONITOR))


def test_a_renewal_keeps_the_monitor_scope_and_the_sign_in_s_expiry(
    kit: Examkit, clock: ManualClock
) -> None:
    token, first = kit.web_sessions.start("proctor", scope=MONITOR)
    clock.advance(minutes=5)
    renewed = kit.web_sessions.renew(token)
    session = kit.web_sessions.resolve(renewed, area=MONITOR)
    assert (MONITOR, first.expires_at, timedelta(minutes=20)) == (
        session.scope,
        session.expires_at,
        session.idle_timeout,
    )
    assert INVALID == refused(lambda: kit.web_sessions.resolve(renewed))
    assert INVALID == refused(lambda: kit.web_sessions.resolve(token, area=MONITOR))


def test_a_monitor_session_ends_at_sign_out_and_with_every_session(kit: Examkit) -> None:
    token, _ = kit.web_sessions.start("proctor", scope=MONITOR)
    other, _ = kit.web_sessions.start("proctor", scope=MONITOR)
    assert kit.web_sessions.end(token)
    assert INVALID == refused(lambda: kit.web_sessions.resolve(token, area=MONITOR))
    assert 1 == kit.web_sessions.revoke_all("proctor")
    assert INVALID == refused(lambda: kit.web_sessions.resolve(other, area=MONITOR))


def test_a_scope_that_is_not_one_is_refused(kit: Examkit) -> None:
    with pytest.raises(InvalidInput) as caught:
        kit.web_sessions.start("proctor", scope="monitor")  # type: ignore[arg-type]
    assert ("websessions.session.scope", "scope") == (caught.value.code, caught.value.field)
    token, _ = kit.web_sessions.start("proctor")
    assert INVALID == refused(
        lambda: kit.web_sessions.resolve(token, area="monitor")  # type: ignore[arg-type]
    )


def test_the_monitor_s_timeouts_are_checked_as_the_portal_s() -> None:
    assert (timedelta(minutes=20), timedelta(hours=6)) == WebSessionSettings().timeouts(MONITOR)
    with pytest.raises(ConfigurationError) as caught:
        WebSessionSettings(monitor_idle_timeout=timedelta(hours=7))
    assert ("websessions.setting.idle_exceeds_absolute", "monitor_idle_timeout") == (
        caught.value.code,
        caught.value.field,
    )
    with pytest.raises(ConfigurationError) as short:
        WebSessionSettings(monitor_idle_timeout=timedelta(seconds=30))
    assert "websessions.setting.idle_too_short" == short.value.code
    with pytest.raises(ConfigurationError) as invalid:
        WebSessionSettings(monitor_absolute_timeout=timedelta(0))
    assert "websessions.setting.invalid" == invalid.value.code
