"""``examkit privacy export`` writes the JSON and the PDF, acting as an account (PRIV-2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.privacy.export_people import PUPIL
from tests.privacy.test_export import seed

from examkit.backends.sql import SQLBackend
from examkit.cli import main
from examkit.testing import ManualClock
from examkit.testing.sessions import START, make_session_kit


@pytest.fixture
def database(sqlite_url: str) -> str:
    """An SQLite file with the session world and the people seeded."""
    kit = make_session_kit(ManualClock(START), backend=SQLBackend(sqlite_url, migrate=False))
    seed(kit.backend)
    kit.close()
    return sqlite_url


@pytest.mark.req("PRIV-2")
def test_the_command_writes_the_json_and_the_pdf(database: str, tmp_path: Path) -> None:
    out, pdf = tmp_path / "export.json", tmp_path / "export.pdf"
    argv = ["privacy", "export", PUPIL.label, "--db", database, "--as", "administrator"]
    assert 0 == main([*argv, "--out", str(out), "--pdf", str(pdf)])
    document = json.loads(out.read_text(encoding="utf-8"))
    assert ("examkit-person-export", 1, PUPIL.label) == (
        document["format"],
        document["version"],
        document["person"]["label"],
    )
    assert "pupils" in document["records"]
    assert b"%PDF-" == pdf.read_bytes()[:5]


@pytest.mark.req("PRIV-2")
def test_the_command_prints_the_json_without_out(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert 0 == main(
        ["privacy", "export", "account:acc-priv-1", "--db", database, "--as", "acc-priv-1"]
    )
    assert "accounts" in json.loads(capsys.readouterr().out)["records"]


@pytest.mark.req("PRIV-2")
@pytest.mark.parametrize(
    ("person", "actor", "says"),
    [
        ("someone", "administrator", "account:<id>"),
        ("pupil:22AB00", "administrator", "pupil:<"),
        ("teacher:x", "administrator", "candidate:<id>"),
        (PUPIL.label, "planner", "not permitted"),
    ],
)
def test_bad_input_or_a_refusal_is_a_message_and_exit_2_never_a_traceback(
    database: str, capsys: pytest.CaptureFixture[str], person: str, actor: str, says: str
) -> None:
    argv = ["--lang", "en", "privacy", "export", person, "--db", database, "--as", actor]
    assert 2 == main(argv)
    captured = capsys.readouterr()
    assert "" == captured.out
    assert says in captured.err
    assert "Traceback" not in captured.err
