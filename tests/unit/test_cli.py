# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The ``examkit`` command line: ``id check``, ``demo``, ``--version`` and ``--lang``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from examkit import __version__
from examkit.cli import EXIT_NEGATIVE, EXIT_OK, EXIT_UNUSABLE, main
from examkit.converter import structure
from examkit.identifiers import Brin, LocationCode
from examkit.org import Institution


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the command with *argv*; return its exit code, stdout and stderr."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any]:
    """Run the command with *argv*; return its exit code and its JSON output."""
    code, out, _ = run(capsys, *argv)
    return code, json.loads(out)


def test_exit_codes() -> None:
    """Exit 0 for done, 1 for a negative verdict, 2 for unusable input."""
    assert (0, 1, 2) == (EXIT_OK, EXIT_NEGATIVE, EXIT_UNUSABLE)


@pytest.mark.req("ORG-1")
def test_id_check_prints_a_valid_location(capsys: pytest.CaptureFixture[str]) -> None:
    """``id check "22ab 01"`` says it is location 22AB01 of BRIN 22AB and exits 0."""
    assert (
        0,
        {
            "valid": True,
            "kind": "location",
            "normalized": "22AB01",
            "brin": "22AB",
            "sequence": "01",
        },
    ) == run_json(capsys, "id", "check", "22ab 01")


@pytest.mark.req("ORG-1", "ORG-2", "ORG-3", "ORG-4")
@pytest.mark.parametrize(
    ("value", "kind", "normalized"),
    [
        ("22ab", "brin", "22AB"),
        ("123x456", "onderwijslocatiecode", "123X456"),
        ("012345", "instellingsnummer", "012345"),
        ("8835ba", "postcode", "8835 BA"),
        ("2020 - 2021", "school_year", "2020-2021"),
    ],
)
def test_id_check_recognises_every_kind(
    capsys: pytest.CaptureFixture[str], value: str, kind: str, normalized: str
) -> None:
    """Every kind of identifier is recognised and printed normalised."""
    code, data = run_json(capsys, "id", "check", value)
    assert (0, True, kind, normalized) == (code, data["valid"], data["kind"], data["normalized"])


@pytest.mark.req("ORG-1")
def test_id_check_explains_an_invalid_value(capsys: pytest.CaptureFixture[str]) -> None:
    """``id check 2AB01`` exits 1 with valid false and the problem's code and Dutch message."""
    code, data = run_json(capsys, "id", "check", "2AB01")
    assert (1, False, "2AB01") == (code, data["valid"], data["value"])
    [problem] = data["problems"]
    assert ("org.location.length", "location") == (problem["code"], problem["field"])
    assert "is geen locatiecode" in problem["message"]


@pytest.mark.req("ORG-1", "ORG-3")
def test_id_check_lists_every_problem(capsys: pytest.CaptureFixture[str]) -> None:
    """A value resembling two kinds gets a problem for each."""
    code, data = run_json(capsys, "id", "check", "123AB")
    assert (1, ["org.brin.invalid", "org.postcode.invalid"]) == (
        code,
        [problem["code"] for problem in data["problems"]],
    )


@pytest.mark.req("ORG-1")
@pytest.mark.parametrize("argv", [["--lang", "en", "id", "check"], ["id", "check", "--lang", "en"]])
def test_lang_en_switches_the_messages(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    """``--lang en`` gives English messages, before or after the command."""
    code, data = run_json(capsys, *argv, "2AB01")
    assert (1, True) == (
        code,
        data["problems"][0]["message"].startswith("'2AB01' is not a location"),
    )


@pytest.mark.req("ORG-3")
def test_id_check_with_a_kind_checks_only_that_kind(capsys: pytest.CaptureFixture[str]) -> None:
    """``--kind postcode`` judges the value as a postcode only."""
    code, data = run_json(capsys, "id", "check", "22AB", "--kind", "postcode")
    assert (1, ["org.postcode.invalid"]) == (code, [p["code"] for p in data["problems"]])


@pytest.mark.parametrize("value", ["", "   "])
def test_id_check_of_an_empty_value_is_unusable(
    capsys: pytest.CaptureFixture[str], value: str
) -> None:
    """An empty value exits 2 with the message on stderr and nothing on stdout."""
    code, out, err = run(capsys, "id", "check", value)
    assert (2, "") == (code, out)
    assert "Dit veld is verplicht." in err


def test_id_check_of_an_empty_value_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    """The stderr message follows ``--lang``."""
    code, _, err = run(capsys, "--lang", "en", "id", "check", "")
    assert (2, True) == (code, "This field is required." in err)


def test_id_check_without_a_value_is_unusable(capsys: pytest.CaptureFixture[str]) -> None:
    """Leaving out the value exits 2 with a usage message."""
    code, out, err = run(capsys, "id", "check")
    assert (2, "") == (code, out)
    assert "VALUE" in err


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["nonsense"],
        ["--lang", "de", "id", "check", "22AB"],
        ["id", "check", "22AB", "--kind", "iban"],
    ],
)
def test_unusable_arguments_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    """A missing command, an unknown command, language or kind exits 2."""
    code, _, err = run(capsys, *argv)
    assert (2, True) == (code, bool(err))


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    """``--version`` prints the version and exits 0."""
    code, out, _ = run(capsys, "--version")
    assert (0, f"examkit {__version__}") == (code, out.strip())


@pytest.mark.req("ORG-1", "ORG-3", "ORG-5", "AUTH-2", "AUTH-3", "AUTH-4", "AUTH-6", "AUTH-8")
def test_demo_walks_through_in_dutch_and_writes_the_institution(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``demo --out DIR`` prints Dutch steps and writes institution.json that reads back."""
    code, out, _ = run(capsys, "demo", "--out", str(tmp_path))
    assert 0 == code
    for step in (
        "schooljaar 2026-2027",
        "22AB00 (hoofdlocatie)",
        "22AB01 (nevenlocatie)",
        "Bevoegd gezag",
        "Inloggen, volgende stap: wachtwoord wijzigen",
        "dezelfde browser en hetzelfde IP-adres: ingelogd, zonder eenmalig wachtwoord",
        "Dezelfde browser vanaf een ander IP-adres: eenmalig wachtwoord invoeren",
        "Geweigerd: Combinatie gebruikersnaam/wachtwoord is ongeldig.",
        "Geweigerd: Account geblokkeerd: er is 3 keer verkeerd ingelogd.",
        "auth.reset_done aan k.jansen@heteiland.nl: Uw wachtwoord is opnieuw ingesteld",
    ):
        assert step in out
    written = tmp_path / "institution.json"
    assert f"Geschreven: {written}" in out
    institution = structure(json.loads(written.read_text(encoding="utf-8")), Institution)
    assert (Brin("22AB"), [LocationCode("22AB00"), LocationCode("22AB01")]) == (
        institution.code,
        [location.code for location in institution.locations],
    )


def test_demo_speaks_english_on_request(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """``--lang en demo`` prints the steps in English."""
    code, out, _ = run(capsys, "--lang", "en", "demo", "--out", str(tmp_path / "new"))
    assert (0, True, True) == (
        code,
        "school year 2026-2027" in out,
        (tmp_path / "new" / "institution.json").is_file(),
    )


@pytest.mark.req("ORG-1")
def test_python_dash_m_examkit_runs_the_command() -> None:
    """``python -m examkit id check 22AB`` works as a real process."""
    result = subprocess.run(
        [sys.executable, "-m", "examkit", "id", "check", "22AB"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert (0, "brin", "22AB") == (
        result.returncode,
        json.loads(result.stdout)["kind"],
        json.loads(result.stdout)["normalized"],
    )
