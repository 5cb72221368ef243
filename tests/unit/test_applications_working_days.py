# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Working days after the Algemene termijnenwet, checked against an independent calendar."""

from __future__ import annotations

from datetime import date, timedelta
from importlib.metadata import version

import holidays
import pytest

from examkit.applications import (
    ACT_HOLIDAYS,
    ApplicationSettings,
    act_holidays,
    add_working_days,
    example_application,
    is_working_day,
)
from examkit.errors import InvalidInput

OLD_HOLIDAYS = tuple(int(part) for part in version("holidays").split(".")[:2]) < (0, 83)


def easter(year: int) -> date:
    """Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    lead = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * lead) // 451
    month, day = divmod(h + lead - 7 * m + 114, 31)
    return date(year, month, day + 1)


def expected_holidays(year: int) -> dict[date, str]:
    """The act's days computed here, without the holidays package."""
    sunday = easter(year)
    kings = date(year, 4, 27) if year >= 2014 else date(year, 4, 30)
    if kings.weekday() == 6:  # on a Sunday it moves to the Saturday before
        kings -= timedelta(days=1)
    return {
        date(year, 1, 1): "new_years_day",
        sunday - timedelta(days=2): "good_friday",
        sunday + timedelta(days=1): "easter_monday",
        kings: "kings_day",
        date(year, 5, 5): "liberation_day",
        # When they fall together (2016), the day counts once, as Ascension Day.
        sunday + timedelta(days=39): "ascension_day",
        sunday + timedelta(days=50): "whit_monday",
        date(year, 12, 25): "christmas_day",
        date(year, 12, 26): "boxing_day",
    }


@pytest.mark.req("ACC-6")
@pytest.mark.parametrize("year", range(2015, 2041))
def test_the_acts_holidays_match_an_independent_calendar_year_by_year(year: int) -> None:
    """Each year's nine days, as computed here from Easter and fixed dates."""
    assert expected_holidays(year) == dict(act_holidays(year))


@pytest.mark.req("ACC-6")
@pytest.mark.parametrize("year", range(2015, 2041))
def test_what_the_holidays_package_returns_year_by_year(year: int) -> None:
    """The package's public Dutch calendar: what it adds and what it leaves to 'optional'.

    It adds Easter Sunday and Whit Sunday (not in the act; Sundays anyway)
    and keeps 5 May public only in lustrum years (every fifth, 2015, 2020,
    ...); examkit counts 5 May every year. Before holidays 0.83 Good Friday
    was optional too (pyproject.toml allows 0.60); examkit reads both categories.
    """
    public = holidays.country_holidays("NL", years=year, language="en_US")
    expected = expected_holidays(year)
    extra = {day for day in public if day not in expected}
    assert {easter(year), easter(year) + timedelta(days=49)} == extra
    assert all(day.weekday() == 6 for day in extra)
    missing = {day for day in expected if day not in public}
    # In 2016 5 May was Ascension Day too, so public for that reason.
    public_anyway = year % 5 == 0 or easter(year) + timedelta(days=39) == date(year, 5, 5)
    optional_good_friday = {easter(year) - timedelta(days=2)} if OLD_HOLIDAYS else set()
    assert (set() if public_anyway else {date(year, 5, 5)}) | optional_good_friday == missing


@pytest.mark.req("ACC-6")
def test_the_act_lists_nine_days() -> None:
    """The table names the act's nine days, each in Dutch and English."""
    assert 9 == len(ACT_HOLIDAYS)
    assert 9 == len({key for key, _, _ in ACT_HOLIDAYS})
    assert {key for key, _, _ in ACT_HOLIDAYS} == set(act_holidays(2026).values())


@pytest.mark.req("ACC-6")
@pytest.mark.parametrize(
    ("start", "days", "due", "over"),
    [
        # Thursday before Easter: Good Friday, weekend, Easter Monday.
        (date(2026, 4, 2), 5, date(2026, 4, 13), "Good Friday and Easter Monday"),
        (date(2026, 4, 2), 1, date(2026, 4, 7), "Good Friday to Easter Monday"),
        # King's Day, Monday 27 April 2026.
        (date(2026, 4, 24), 1, date(2026, 4, 28), "King's Day"),
        (date(2026, 4, 24), 5, date(2026, 5, 4), "King's Day"),
        # 5 May 2026 is a Tuesday and not a lustrum year; Ascension Thursday 14 May.
        (date(2026, 5, 4), 1, date(2026, 5, 6), "Liberation Day"),
        (date(2026, 5, 4), 10, date(2026, 5, 20), "Liberation Day and Ascension Day"),
        (date(2026, 5, 13), 1, date(2026, 5, 15), "Ascension Day"),
        # Whit Monday 25 May 2026.
        (date(2026, 5, 22), 1, date(2026, 5, 26), "Whit Monday"),
        (date(2026, 5, 22), 5, date(2026, 6, 1), "Whit Monday"),
        # Christmas Friday 25 December 2026, Boxing Day Saturday, New Year Friday 2027.
        (date(2026, 12, 24), 1, date(2026, 12, 28), "Christmas"),
        (date(2026, 12, 24), 5, date(2027, 1, 4), "Christmas and New Year's Day"),
        (date(2025, 12, 24), 1, date(2025, 12, 29), "Christmas and Boxing Day"),
        (date(2027, 5, 4), 1, date(2027, 5, 7), "5 May and Ascension Day 2027"),
        # A plain week, and a start on a Saturday.
        (date(2026, 9, 7), 5, date(2026, 9, 14), "a weekend"),
        (date(2026, 9, 12), 5, date(2026, 9, 18), "nothing after the weekend start"),
        (date(2026, 9, 7), 0, date(2026, 9, 7), "nothing"),
    ],
)
def test_due_dates_skip_weekends_and_the_acts_holidays(
    start: date, days: int, due: date, over: str
) -> None:
    """Counting starts the day after; only working days count."""
    assert due == add_working_days(start, days), over


@pytest.mark.req("ACC-6")
def test_working_days_agree_with_a_plain_count_over_two_years() -> None:
    """Each day's working-day status is the independent calendar's, every day of 2026-2027."""
    off = {**expected_holidays(2026), **expected_holidays(2027)}
    day = date(2026, 1, 1)
    while day.year < 2028:
        assert (day.weekday() < 5 and day not in off) == is_working_day(day), day
        day += timedelta(days=1)


@pytest.mark.req("ACC-6")
def test_the_service_time_is_5_or_10_working_days_by_system() -> None:
    """The end-test portal counts 5 working days, the exam system 10 (settings may change it)."""
    settings = ApplicationSettings()
    application = example_application()  # submitted Tuesday 1 November 2022
    assert date(2022, 11, 8) == add_working_days(
        application.submitted_on(), settings.days_for(application.system)
    )
    assert 10 == settings.days_for("facet")
    assert 7 == ApplicationSettings(service_days={"facet": 7}).days_for("facet")


@pytest.mark.req("ACC-6")
def test_a_negative_term_or_a_year_off_the_calendar_is_refused() -> None:
    """Nonsense input names its field."""
    with pytest.raises(InvalidInput) as caught:
        add_working_days(date(2026, 1, 1), -1)
    assert "days" == caught.value.field
    with pytest.raises(InvalidInput) as caught:
        act_holidays(1800)
    assert "year" == caught.value.field
