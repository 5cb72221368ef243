"""``examkit privacy erase`` on an SQLite file (PRIV-3): confirmation, key, the printed answer."""

from __future__ import annotations

import io
import json

import pytest

from examkit.backends.sql import SQLBackend
from examkit.cli import main
from examkit.privacy import PersonRef
from examkit.testing import ManualClock
from examkit.testing.sessions import START, add_candidates, add_operator, make_session_kit

pytestmark = pytest.mark.req("PRIV-3")

KEY_HEX = "ab" * 32


@pytest.fixture
def stored(sqlite_url: str) -> tuple[str, str]:
    """An SQLite file with the session world, the operator and one candidate; its URL and id."""
    backend = SQLBackend(sqlite_url, migrate=False)
    try:
        kit = make_session_kit(ManualClock(START), backend=backend)
        add_operator(kit)
        person = add_candidates(kit, 1)[0]
    finally:
        backend.close()
    return sqlite_url, person.id


def _candidates(url: str) -> int:
    backend = SQLBackend(url, migrate=False)
    try:
        with backend.begin(readonly=True) as uow:
            return len(uow.transaction.find(uow.candidates.record, where={}))
    finally:
        backend.close()


def test_erase_with_yes_prints_the_answer(
    stored: tuple[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url, candidate = stored
    monkeypatch.setenv("EXAMKIT_PSEUDONYM_KEY", KEY_HEX)
    monkeypatch.setenv("EXAMKIT_PSEUDONYM_KEY_ID", "2026")
    argv = ["privacy", "erase", "--db", url, "--actor", "administrator", "--yes"]
    assert main([*argv, "candidate", candidate]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["person"] == PersonRef.candidate(candidate).label
    assert answer["erased"] == {"candidates": 1}
    assert answer["pseudonym"].startswith("pseudonym:2026:")
    assert answer["changed"] is True
    assert _candidates(url) == 0
    assert main([*argv, "candidate", candidate]) == 0
    assert json.loads(capsys.readouterr().out)["changed"] is False


def test_without_confirmation_nothing_is_erased(
    stored: tuple[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url, candidate = stored
    monkeypatch.setenv("EXAMKIT_PSEUDONYM_KEY", KEY_HEX)
    monkeypatch.setattr("sys.stdin", io.StringIO("no\n"))
    argv = ["privacy", "erase", "--db", url, "--actor", "administrator", "candidate", candidate]
    assert main(argv) == 1
    assert "--yes" in capsys.readouterr().err
    assert _candidates(url) == 1
    monkeypatch.setattr("sys.stdin", io.StringIO("yes\n"))
    assert main(argv) == 0
    assert _candidates(url) == 0


@pytest.mark.parametrize("key", [None, "not hex", "ab"])
def test_a_missing_or_unusable_key_refuses_without_a_traceback(
    stored: tuple[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    key: str | None,
) -> None:
    url, candidate = stored
    if key is None:
        monkeypatch.delenv("EXAMKIT_PSEUDONYM_KEY", raising=False)
    else:
        monkeypatch.setenv("EXAMKIT_PSEUDONYM_KEY", key)
    argv = ["privacy", "erase", "--db", url, "--actor", "administrator", "--yes"]
    assert main([*argv, "candidate", candidate]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "pseudonym" in err.lower() or "pseudoniem" in err.lower()
    assert _candidates(url) == 1


def test_a_pupil_needs_its_location(
    stored: tuple[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url, _ = stored
    monkeypatch.setenv("EXAMKIT_PSEUDONYM_KEY", KEY_HEX)
    argv = ["privacy", "erase", "--db", url, "--actor", "administrator", "--yes"]
    assert main([*argv, "pupil", "P0042"]) == 2
    assert "--location" in capsys.readouterr().err
