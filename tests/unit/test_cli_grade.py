"""``examkit grade`` (SCO-5)."""

from __future__ import annotations

import json

import pytest

from examkit.cli import main

pytestmark = pytest.mark.req("SCO-5")


def test_a_score_prints_its_grade(capsys: pytest.CaptureFixture[str]) -> None:
    """--score prints the grade as plain text with a decimal point."""
    assert main(["grade", "--max", "90", "--nterm", "0,6", "--score", "87"]) == 0
    assert capsys.readouterr().out == "9.4\n"


def test_without_a_score_the_table_is_printed(capsys: pytest.CaptureFixture[str]) -> None:
    """Without --score the conversion table comes as JSON."""
    assert main(["grade", "--max", "4", "--nterm", "1.0"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {
        "max": 4,
        "nterm": "1.0",
        "table": [[0, "1.0"], [1, "3.3"], [2, "5.5"], [3, "7.8"], [4, "10.0"]],
        "lowest_pass": 2,
    } == data


@pytest.mark.parametrize(
    "arguments",
    [
        ["--max", "0", "--nterm", "1"],
        ["--max", "-5", "--nterm", "1"],
        ["--max", "90", "--nterm", "1", "--score", "91"],
        ["--max", "90", "--nterm", "1", "--score", "-1"],
        ["--max", "negentig", "--nterm", "1"],
        ["--max", "90", "--nterm", "een"],
        ["--max", "90", "--nterm", "1", "--score", "8.5"],
    ],
)
def test_unusable_values_exit_2(arguments: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """L <= 0, S outside 0..L or a value that is no number exits 2 with a message."""
    assert main(["grade", *arguments]) == 2
    assert capsys.readouterr().err.startswith("examkit: ")


def test_a_huge_maximum_gives_one_score_s_grade_at_once_and_refuses_its_whole_table(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A score of 50,000,000 out of 100,000,000 is a 5.5; its table (10^8 rows) is refused."""
    assert main(["grade", "--max", "100000000", "--nterm", "1", "--score", "50000000"]) == 0
    assert capsys.readouterr().out == "5.5\n"
    assert main(["--lang", "en", "grade", "--max", "100000000", "--nterm", "1"]) == 2
    err = capsys.readouterr().err
    assert "at most 10000 score points" in err
    assert "Traceback" not in err
