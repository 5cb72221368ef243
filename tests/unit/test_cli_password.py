# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""``examkit password check`` and ``examkit password policy``."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from examkit.cli import main


def run_with_stdin(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    data: bytes,
    *argv: str,
) -> tuple[int, list[Any], str]:
    """Run the command with *data* on stdin; return the exit code, the JSON lines and stderr."""
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines()], err


def codes(line: dict[str, Any]) -> list[str]:
    """Return the problem codes of one output line."""
    return [problem["code"] for problem in line["problems"]]


@pytest.mark.req("AUTH-1")
def test_every_password_gets_a_line_and_all_valid_exits_0(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two valid passwords: two lines of valid true, exit 0."""
    code, lines, _ = run_with_stdin(
        capsys, monkeypatch, b"Zomer2026!\nWinter-2027\n", "password", "check"
    )
    assert (0, [{"valid": True, "problems": []}] * 2) == (code, lines)


@pytest.mark.req("AUTH-1")
def test_lines_split_on_lf_and_crlf_only_and_keep_their_white_space(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """CRLF and LF end a password; a tab, a trailing space or a lone CR stay in it."""
    data = b"Zomer2026!\r\nZomer 2026!\nZomer2026!\t\r\nZomer2026! \nZomer\r2026!"
    code, lines, _ = run_with_stdin(capsys, monkeypatch, data, "password", "check")
    assert 1 == code
    assert [
        [],
        ["passwords.whitespace"],
        ["passwords.whitespace"],
        ["passwords.whitespace"],
        ["passwords.whitespace"],  # a lone CR is white space inside the password
    ] == [codes(line) for line in lines]


@pytest.mark.req("AUTH-1")
def test_a_failing_password_lists_every_problem_with_its_message(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each problem has its rule code and the message in the chosen language; exit 1."""
    code, [line], _ = run_with_stdin(
        capsys, monkeypatch, b"aaa a\n", "--lang", "en", "password", "check"
    )
    assert (1, False) == (code, line["valid"])
    assert [
        ("passwords.min_length", "The password is too short: it must have at least 8 characters."),
        (
            "passwords.non_letters",
            "The password must contain at least 2 characters that are not letters "
            "(digits, punctuation or symbols).",
        ),
        (
            "passwords.whitespace",
            "The password may not contain spaces, nor a tab or a non-breaking space.",
        ),
        (
            "passwords.repeats",
            "The password may not contain more than 2 identical characters in a row.",
        ),
    ] == [(problem["code"], problem["message"]) for problem in line["problems"]]


def test_an_empty_line_is_an_empty_password(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A blank line in the middle is judged (and fails); the final line break adds none."""
    code, lines, _ = run_with_stdin(capsys, monkeypatch, b"Zomer2026!\n\n", "password", "check")
    assert (1, 2) == (code, len(lines))
    assert "passwords.min_length" in codes(lines[1])


def test_no_input_is_no_verdict(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Empty input prints nothing and exits 0."""
    assert (0, [], "") == run_with_stdin(capsys, monkeypatch, b"", "password", "check")


@pytest.mark.req("AUTH-1")
def test_input_that_is_not_utf8_is_unusable(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Latin-1 bytes: exit 2, the message on stderr, nothing on stdout."""
    code, lines, err = run_with_stdin(
        capsys, monkeypatch, "Zomer2026!\ncafé\n".encode("latin-1"), "password", "check"
    )
    assert (2, []) == (code, lines)
    assert "geen UTF-8-tekst (byte 14" in err


def test_the_policy_option_chooses_the_preset(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """'Password12' passes facet and fails the blocklist of asvs-l1 and the length of nist."""
    data = b"Password12\n"
    assert 0 == run_with_stdin(capsys, monkeypatch, data, "password", "check")[0]
    _, [asvs], _ = run_with_stdin(
        capsys, monkeypatch, data, "password", "check", "--policy", "asvs-l1"
    )
    _, [nist], _ = run_with_stdin(
        capsys, monkeypatch, data, "password", "check", "--policy", "nist"
    )
    assert (["passwords.common"], ["passwords.min_length", "passwords.common"]) == (
        codes(asvs),
        codes(nist),
    )


def test_context_options_feed_the_context_rule(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """--last-name makes a password with that name fail the nist preset."""
    _, [line], _ = run_with_stdin(
        capsys,
        monkeypatch,
        b"jansen in de zomer van 2026\n",
        "password",
        "check",
        "--policy",
        "nist",
        "--last-name",
        "Jansen",
    )
    assert ["passwords.context"] == codes(line)


def test_an_unknown_policy_is_unusable(capsys: pytest.CaptureFixture[str]) -> None:
    """--policy strict is refused by the argument parser: exit 2."""
    assert 2 == main(["password", "check", "--policy", "strict"])
    assert "strict" in capsys.readouterr().err


@pytest.mark.req("AUTH-1", "AUTH-7")
def test_policy_prints_the_rules_and_every_compliance_report(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The facet policy as JSON: lengths, lifetime, the rules and three reports."""
    assert 0 == main(["--lang", "en", "password", "policy"])
    data = json.loads(capsys.readouterr().out)
    assert ("facet", 8, 128, "NFKC", None) == (
        data["policy"],
        data["min_length"],
        data["max_length"],
        data["normalisation"],
        data["history_depth"],
    )
    assert {"initial_days": 365, "chosen_days": 365, "reminder_days": [14, 7]} == data["lifetime"]
    assert "passwords.history" == data["rules"][-1]["code"]
    assert "it must have at least 8 characters" == data["rules"][1]["help"]
    reports = {report["standard"]: report for report in data["compliance"]}
    assert ["asvs-l1", "asvs-l2", "nist"] == sorted(reports)
    nist = reports["nist"]
    assert (False, "NIST SP 800-63B-4") == (nist["complies"], nist["title"])
    subjects = [deviation["subject"] for deviation in nist["deviations"]]
    assert {"passwords.letters", "passwords.non_letters", "lifetime.chosen"} <= set(subjects)


def test_policy_of_a_standards_preset_complies_with_its_standard(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``password policy --policy nist`` reports no deviation from NIST."""
    assert 0 == main(["password", "policy", "--policy", "nist"])
    data = json.loads(capsys.readouterr().out)
    nist = next(report for report in data["compliance"] if report["standard"] == "nist")
    assert (True, [], None) == (
        nist["complies"],
        nist["deviations"],
        data["lifetime"]["chosen_days"],
    )


@pytest.mark.req("AUTH-1")
def test_the_demo_checks_passwords_and_prints_facets_report(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``demo`` judges a few passwords under facet and nist and explains facet against NIST."""
    assert 0 == main(["--lang", "en", "demo", "--out", str(tmp_path)])
    out = capsys.readouterr().out
    for line in (
        "'Zomer2026!' (facet): meets every rule",
        "'Zomer2026!' (nist): does not comply",
        "'paard correct nietje batterij' (nist): meets every rule",
        "Where the policy facet deviates from NIST SP 800-63B-4, and why:",
        "  - passwords.letters: NIST SP 800-63B-4, 3.1.1.2: composition rules",
        "  - lifetime.chosen: NIST SP 800-63B-4",
    ):
        assert line in out
