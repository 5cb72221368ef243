"""The sign-in's refusals after the password check: each audited with its own detailed event.

The step commits the attempt it counted, checks the password outside any
transaction, then refuses through its use-case unit (``unit.refuse``): the
refusal's events (who, what, outcome, reason, address, environment) are
pinned here on every wiring, and the count stays.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import pytest

from examkit.errors import ExamkitError
from examkit.testing import SignInHarness as Harness

IP: Final = Harness.IP
LOGIN: Final = Harness.LOGIN_NAME
PASSWORD: Final = Harness.PASSWORD
WRONG: Final = "Fout-2026!x"
KEY: Final = "22ab.k.beheerder"

Event = tuple[str | None, str, str, str, dict[str, str]]


def _refused(call: Callable[[], object]) -> str:
    with pytest.raises(ExamkitError) as refused:
        call()
    return refused.value.code


def _events(h: Harness) -> list[Event]:
    return [
        (event.actor, event.action, event.subject, event.outcome, dict(event.details))
        for event in h.audit.events
    ]


def _wrong(actor: str, subject: str, action: str = "auth.sign_in") -> Event:
    details = {"ip": IP, "application": "facet", "reason": "auth.credentials.invalid"}
    return (actor, action, subject, "failure", details)


@pytest.mark.req("AUTH-5", "AUTH-6", "PLAT-2")
def test_wrong_passwords_and_the_block_keep_their_events_and_their_count(
    any_harness: Harness,
) -> None:
    """Unknown name, wrong password, the failure that blocks, a blocked name: as audited."""
    h = any_harness
    h.add_account()
    sign_in = h.staff_sign_in.submit_credentials
    assert "auth.credentials.invalid" == _refused(lambda: sign_in("22AB.Onbekend", WRONG, ip=IP))
    codes = [_refused(lambda: sign_in(LOGIN, WRONG, ip=IP)) for _ in range(3)]
    assert ["auth.credentials.invalid"] * 3 == codes, "each refusal kept its count"
    assert "auth.sign_in.blocked" == _refused(lambda: sign_in(LOGIN, PASSWORD, ip=IP))
    blocked = {"ip": IP, "reason": "auth.sign_in.blocked"}
    assert [
        _wrong("22ab.onbekend", "login:22ab.onbekend"),
        _wrong("acc-1", "account:acc-1"),
        _wrong("acc-1", "account:acc-1"),
        _wrong("acc-1", "account:acc-1"),
        (KEY, "auth.sign_in.blocked", f"login:{KEY}", "denied", blocked),
        (KEY, "auth.sign_in", f"login:{KEY}", "denied", blocked),
    ] == _events(h)


@pytest.mark.req("AUTH-9", "PLAT-2")
def test_the_gate_and_the_monitor_refuse_with_their_own_events(any_harness: Harness) -> None:
    """No access (staff and monitor), the monitor's initial and expired password."""
    h = any_harness
    h.add_account()
    _, initial = h.add_account("acc-2", "22AB.Tweede", initial=True)
    h.add_account("acc-3", "22AB.Derde")
    monitor = h.sign_in_monitor.monitor_sign_in
    h.gate.deny("acc-1", "facet")
    h.gate.deny("acc-1", "afnamemonitor")
    assert "auth.application.denied" == _refused(
        lambda: h.staff_sign_in.submit_credentials(LOGIN, PASSWORD, ip=IP)
    )
    assert "auth.application.denied" == _refused(lambda: monitor(LOGIN, PASSWORD, ip=IP))
    assert "auth.monitor.initial_password" == _refused(
        lambda: monitor("22AB.Tweede", initial, ip=IP)
    )
    assert "auth.credentials.invalid" == _refused(lambda: monitor("22AB.Tweede", WRONG, ip=IP))
    h.clock.advance(days=366)
    assert "auth.monitor.expired" == _refused(lambda: monitor("22AB.Derde", PASSWORD, ip=IP))
    denied = {"ip": IP, "reason": "auth.application.denied"}
    monitor_wrong = {"ip": IP, "application": "afnamemonitor", "reason": "auth.credentials.invalid"}
    assert [
        ("acc-1", "auth.sign_in", "account:acc-1", "denied", {**denied, "application": "facet"}),
        (
            "acc-1",
            "auth.sign_in",
            "account:acc-1",
            "denied",
            {**denied, "application": "afnamemonitor"},
        ),
        (
            "acc-2",
            "auth.monitor.sign_in",
            "account:acc-2",
            "denied",
            {"ip": IP, "reason": "auth.monitor.initial_password"},
        ),
        ("acc-2", "auth.monitor", "account:acc-2", "failure", monitor_wrong),
        (
            "acc-3",
            "auth.monitor.sign_in",
            "account:acc-3",
            "denied",
            {"ip": IP, "reason": "auth.monitor.expired"},
        ),
    ] == _events(h)
