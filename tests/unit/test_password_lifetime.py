# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Password lifetime: the seed's 365 days, the reminders 14 and 7 days before, all configurable.

Dates are computed here with plain :mod:`datetime` arithmetic from the
seed's numbers.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from examkit.accounts import PasswordRecord
from examkit.errors import ConfigurationError, InvalidInput
from examkit.passwords import PRESETS, PasswordLifetime, PasswordStatus

SET_AT = datetime(2026, 9, 1, 8, tzinfo=UTC)
CHOSEN = PasswordRecord(hash="$argon2id$stub", set_at=SET_AT)
INITIAL = PasswordRecord(hash="$argon2id$stub", set_at=SET_AT, must_change=True)
SEED = PasswordLifetime()
EXPIRES = datetime(2027, 9, 1, 8, tzinfo=UTC)  # 365 days later (2027 is no leap year)
SECOND = timedelta(seconds=1)


@pytest.mark.req("AUTH-2", "AUTH-7")
def test_the_seeds_numbers_are_the_defaults() -> None:
    """Initial and chosen passwords last 365 days; reminders 14 and 7 days before."""
    assert (timedelta(days=365), timedelta(days=365), (timedelta(days=14), timedelta(days=7))) == (
        SEED.initial,
        SEED.chosen,
        SEED.reminders,
    )
    assert SEED == PRESETS["facet"].lifetime


@pytest.mark.req("AUTH-7")
def test_a_chosen_password_expires_after_365_days() -> None:
    """Valid until the moment 365 days after it was set; expired from that moment on."""
    assert EXPIRES == SEED.expires_at(CHOSEN)
    assert not SEED.is_expired(CHOSEN, EXPIRES - SECOND)
    assert SEED.is_expired(CHOSEN, EXPIRES)
    assert PasswordStatus.EXPIRED == SEED.status(CHOSEN, EXPIRES)


@pytest.mark.req("AUTH-7")
def test_reminders_fall_14_and_7_days_before_expiry() -> None:
    """The reminder dates, and which reminder is due when."""
    fourteen = datetime(2027, 8, 18, 8, tzinfo=UTC)
    seven = datetime(2027, 8, 25, 8, tzinfo=UTC)
    assert (fourteen, seven) == SEED.reminder_dates(CHOSEN)
    assert [None, timedelta(days=14), timedelta(days=14), timedelta(days=7), timedelta(days=7)] == [
        SEED.due_reminder(CHOSEN, moment)
        for moment in (fourteen - SECOND, fourteen, seven - SECOND, seven, EXPIRES - SECOND)
    ]
    assert SEED.due_reminder(CHOSEN, EXPIRES) is None
    assert [PasswordStatus.VALID, PasswordStatus.EXPIRING, PasswordStatus.EXPIRING] == [
        SEED.status(CHOSEN, moment) for moment in (fourteen - SECOND, fourteen, EXPIRES - SECOND)
    ]


@pytest.mark.req("AUTH-2")
def test_an_initial_password_must_change_and_gets_no_reminders() -> None:
    """An initial password lasts 365 days, must be changed, and is not reminded of."""
    assert EXPIRES == SEED.expires_at(INITIAL)
    assert () == SEED.reminder_dates(INITIAL)
    assert PasswordStatus.MUST_CHANGE == SEED.status(INITIAL, EXPIRES - SECOND)
    assert PasswordStatus.EXPIRED == SEED.status(INITIAL, EXPIRES)


def test_everything_is_configurable() -> None:
    """Other numbers, and a chosen password that never expires."""
    custom = PasswordLifetime(
        initial=timedelta(days=3), chosen=timedelta(days=90), reminders=[timedelta(days=5)]
    )
    assert SET_AT + timedelta(days=3) == custom.expires_at(INITIAL)
    assert (SET_AT + timedelta(days=85),) == custom.reminder_dates(CHOSEN)
    never = PasswordLifetime(chosen=None, reminders=())
    assert never.expires_at(CHOSEN) is None
    far = SET_AT + timedelta(days=10_000)
    assert (False, PasswordStatus.VALID) == (
        never.is_expired(CHOSEN, far),
        never.status(CHOSEN, far),
    )


@pytest.mark.parametrize(
    "values",
    [
        {"initial": timedelta(0)},
        {"chosen": timedelta(days=-1)},
        {"reminders": [timedelta(0)]},
        {"chosen": timedelta(days=10), "reminders": [timedelta(days=14)]},
    ],
)
def test_unusable_lifetimes_are_refused(values: dict[str, object]) -> None:
    """Non-positive durations and reminders past the lifetime are configuration errors."""
    with pytest.raises(ConfigurationError) as info:
        PasswordLifetime(**values)  # type: ignore[arg-type]
    assert "passwords.lifetime.invalid" == info.value.code


def test_now_must_be_aware() -> None:
    """A naive now is refused, as everywhere in examkit."""
    with pytest.raises(InvalidInput):
        SEED.is_expired(CHOSEN, datetime(2027, 1, 1))  # noqa: DTZ001
