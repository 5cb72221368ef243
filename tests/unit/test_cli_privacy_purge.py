# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""``examkit privacy purge``: the retention jobs from a cron line (PRIV-4)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import attrs
import pytest

from examkit.backends.sql import SQLBackend
from examkit.cli import EXIT_OK, EXIT_UNUSABLE, main
from examkit.cli._privacy_purge import DATABASE_ENV, parse_period
from examkit.errors import InvalidInput
from examkit.privacy import PURGED_TERMS, RetentionPeriod
from examkit.testing.conformance import make_pupil

LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)


@pytest.fixture
def database(sqlite_url: str) -> str:
    """An SQLite file with a pupil archived long ago and one still enrolled."""
    backend = SQLBackend(sqlite_url, migrate=False)
    try:
        with backend.begin() as uow:
            uow.pupils.add(attrs.evolve(make_pupil("P0001"), archived_at=LONG_AGO))
            uow.pupils.add(make_pupil("P0002"))
            uow.commit()
    finally:
        backend.close()
    return sqlite_url


def pupils_in(url: str) -> int:
    backend = SQLBackend(url, migrate=False)
    try:
        with backend.begin(readonly=True) as uow:
            return len(
                uow.pupils.list(
                    make_pupil("x").location, make_pupil("x").school_year, archived=None
                ).items
            )
    finally:
        backend.close()


@pytest.mark.req("PRIV-4")
def test_purge_prints_one_line_and_a_second_run_removes_nothing(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """One line per run, exit 0; the pupil archived long ago goes once."""
    assert EXIT_OK == main(["privacy", "purge", "--db", database])
    line = capsys.readouterr().out
    assert 1 == line.count("\n")
    assert line.startswith("removed 1 records past their retention term: ")
    assert "pupil 1" in line
    assert 1 == pupils_in(database)
    assert EXIT_OK == main(["privacy", "purge", "--db", database])
    assert capsys.readouterr().out.startswith("removed 0 records")


@pytest.mark.req("PRIV-4")
def test_purge_prints_json_and_reads_the_database_from_the_environment(
    database: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--json`` prints the counts of every term; ``EXAMKIT_DB`` names the database."""
    monkeypatch.setenv(DATABASE_ENV, database)
    assert EXIT_OK == main(["privacy", "purge", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert list(PURGED_TERMS) == list(report["removed"])
    assert 1 == report["removed"]["pupil"] == report["total"]
    assert report["batches"] >= len(PURGED_TERMS)


@pytest.mark.req("PRIV-4")
def test_the_portals_own_period_is_given_as_an_option(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--retention pupil=100y`` keeps the pupil archived long ago."""
    assert EXIT_OK == main(["privacy", "purge", "--db", database, "--retention", "pupil=100y"])
    assert "pupil 0" in capsys.readouterr().out
    assert 2 == pupils_in(database)


@pytest.mark.req("PRIV-4")
@pytest.mark.parametrize(
    ("arguments", "code"),
    [
        (["--retention", "nope=1y"], "--retention"),
        (["--retention", "pupil"], "--retention"),
        (["--retention", "pupil=1w"], "--retention"),
        (["--retention", "pupil="], "--retention"),
    ],
)
def test_bad_options_are_refused_with_a_message(
    database: str, capsys: pytest.CaptureFixture[str], arguments: list[str], code: str
) -> None:
    """A term or period that does not exist: a message on stderr, exit 2, nothing removed."""
    assert EXIT_UNUSABLE == main(["privacy", "purge", "--db", database, *arguments])
    captured = capsys.readouterr()
    assert "" == captured.out
    assert code in captured.err
    assert "Traceback" not in captured.err
    assert 2 == pupils_in(database)


@pytest.mark.req("PRIV-4")
def test_without_a_database_the_command_says_where_to_give_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Neither ``--db`` nor the environment: exit 2, naming the variable."""
    monkeypatch.delenv(DATABASE_ENV, raising=False)
    assert EXIT_UNUSABLE == main(["privacy", "purge"])
    assert DATABASE_ENV in capsys.readouterr().err


@pytest.mark.req("PRIV-4")
def test_periods_are_years_months_and_days() -> None:
    """``1y6m``, ``6m``, ``30d`` and ``0d`` are periods; ``6 months`` and ``-1d`` are not."""
    assert RetentionPeriod(years=1, months=6) == parse_period("1y6m")
    assert RetentionPeriod(months=6) == parse_period("6m")
    assert RetentionPeriod(days=30) == parse_period("30d")
    assert RetentionPeriod() == parse_period("0d")
    for text in ("6 months", "-1d", "", "m", "6d1y"):
        with pytest.raises(InvalidInput) as refused:
            parse_period(text)
        assert "privacy.retention.period" == refused.value.code
