# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Rotating the token key by id (issue 22, point 5): what was issued before keeps working.

Three kits share one backend and one clock: the *old* one under key ``a``,
the *new* one under key ``b`` with ``a`` retired, and a *dropped* one under
``b`` alone. A reset link, a trusted browser and an authenticator made under
``a`` still work in the new kit and no longer once ``a`` is dropped; what the
new kit makes is made under ``b``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pyotp
import pytest

from examkit import Examkit, Settings
from examkit.accounts import Account, LoginName
from examkit.auth import Step
from examkit.backends.memory import MemoryBackend
from examkit.errors import ConfigurationError, InvalidInput, NotFound
from examkit.identifiers import Brin
from examkit.passwords import PRESETS, change_password
from examkit.records import Backend
from examkit.testing import (
    ManualClock,
    RecordingMailer,
    SequenceSecretSource,
    StaticGate,
    cheap_hasher,
)

KEY_A, KEY_B = b"a" * 32, b"b" * 32
LOGIN, PASSWORD, NEW_PASSWORD = "22AB.K.Beheerder", "Kastanje-Zonnebloem-31", "Eikenboom-Vlinder-58"
IP = "192.0.2.7"


def kit_on(
    backend: Backend, clock: ManualClock, key: bytes, key_id: str, retired: Mapping[str, bytes]
) -> Examkit:
    return Examkit(
        backend=backend,
        mailer=RecordingMailer(),
        settings=Settings(
            token_key=key,
            token_key_id=key_id,
            retired_token_keys=retired,
            base_url="https://portal.example.nl",
        ),
        clock=clock,
        secrets=SequenceSecretSource(f"rotation-{key_id}-{len(retired)}"),
        hasher=cheap_hasher("rotation"),
        sign_in_gate=StaticGate(),
    )


@pytest.fixture
def kits() -> tuple[Examkit, Examkit, Examkit]:
    backend, clock = MemoryBackend(), ManualClock.at("2026-09-01T08:00:00+00:00")
    account = Account(
        id="acc-1",
        login_name=LoginName(LOGIN),
        first_name="Karin",
        last_name="Beheerder",
        email="k@school.nl",
        institutions=frozenset({Brin("22AB")}),
    )
    account = change_password(
        account, PASSWORD, policy=PRESETS["facet"], hasher=cheap_hasher("set"), now=clock.now()
    )
    with backend.begin() as uow:
        uow.accounts.add(account)
        uow.commit()
    return (
        kit_on(backend, clock, KEY_A, "a", {}),
        kit_on(backend, clock, KEY_B, "b", {"a": KEY_A}),
        kit_on(backend, clock, KEY_B, "b", {}),
    )


def mailer(kit: Examkit) -> RecordingMailer:
    assert isinstance(kit.mailer, RecordingMailer)
    return kit.mailer


def reset_token(kit: Examkit) -> str:
    kit.password_reset.request_reset(LOGIN, ip=IP)
    found = re.search(r"token=([A-Za-z0-9_-]+)", mailer(kit).last("auth.reset").body)
    assert found is not None
    return found.group(1)


def trusted_browser(kit: Examkit) -> str:
    progress = kit.staff_sign_in.submit_credentials(LOGIN, PASSWORD, ip=IP)
    code = re.search(r"\b(\d{6})\b", mailer(kit).last("auth.otp").body)
    assert code is not None
    done = kit.staff_sign_in.submit_code(
        progress.transaction, code.group(1), ip=IP, trust_browser=True
    )
    assert done.browser_token is not None
    return done.browser_token


@pytest.mark.req("AUTH-8", "WEB-2")
def test_a_reset_link_made_under_a_retired_key_still_works_until_the_key_is_dropped(
    kits: tuple[Examkit, Examkit, Examkit],
) -> None:
    old, new, dropped = kits
    token = reset_token(old)
    with pytest.raises(NotFound):
        dropped.password_reset.check_reset_token(token)
    new.password_reset.check_reset_token(token)
    made_new = reset_token(new)
    with pytest.raises(NotFound):
        old.password_reset.check_reset_token(made_new)  # made under b, which old lacks
    new.password_reset.reset_password(made_new, NEW_PASSWORD, ip=IP)


@pytest.mark.req("AUTH-4", "WEB-2")
def test_a_browser_trusted_under_a_retired_key_is_still_trusted_until_the_key_is_dropped(
    kits: tuple[Examkit, Examkit, Examkit],
) -> None:
    old, new, dropped = kits
    browser = trusted_browser(old)
    assert (
        Step.SECOND_FACTOR
        is dropped.staff_sign_in.submit_credentials(
            LOGIN, PASSWORD, ip=IP, browser_token=browser
        ).step
    )
    assert (
        Step.SIGNED_IN
        is new.staff_sign_in.submit_credentials(LOGIN, PASSWORD, ip=IP, browser_token=browser).step
    )


@pytest.mark.req("AUTH-3", "WEB-2")
def test_an_authenticator_keeps_the_key_it_was_enrolled_under(
    kits: tuple[Examkit, Examkit, Examkit],
) -> None:
    """Enrolled under a, confirmed under the new kit; once a is dropped its codes fail."""
    old, new, dropped = kits
    enrolment = old.profile.enrol_authenticator("acc-1")
    code = pyotp.TOTP(enrolment.secret).at(old.clock.now())
    with pytest.raises(InvalidInput):
        dropped.profile.confirm_authenticator("acc-1", code)
    new.profile.confirm_authenticator("acc-1", code)
    again = new.profile.enrol_authenticator("acc-1")
    assert again.secret != enrolment.secret
    clock = new.clock
    assert isinstance(clock, ManualClock)
    clock.advance(seconds=60)
    dropped.profile.confirm_authenticator("acc-1", pyotp.TOTP(again.secret).at(clock.now()))


@pytest.mark.req("WEB-2")
@pytest.mark.parametrize(
    ("retired", "key_id", "code", "field"),
    [
        ({"b": KEY_A}, "b", "config.token_key_id.reused", "retired_token_keys[b]"),
        ({"a": b"short"}, "b", "config.token_key.too_short", "retired_token_keys[a]"),
        ({"": KEY_A}, "b", "config.token_key_id.invalid", "retired_token_keys[]"),
        ({}, " ", "config.token_key_id.invalid", "token_key_id"),
    ],
)
def test_unusable_key_settings_are_refused_on_their_field(
    retired: Mapping[str, bytes], key_id: str, code: str, field: str
) -> None:
    with pytest.raises(ConfigurationError) as refused:
        Settings(
            token_key=KEY_B,
            token_key_id=key_id,
            retired_token_keys=retired,
            base_url="https://portal.example.nl",
        )
    assert (code, field) == (refused.value.code, refused.value.field)
    assert "aaaa" not in repr(
        Settings(token_key=KEY_B, base_url="https://p.nl", retired_token_keys={"a": KEY_A})
    )
