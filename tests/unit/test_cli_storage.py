# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""``examkit storage``: a new token and its entry; the server refuses to run without tokens."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

# the storage server's commands need the http extra (make test-lowest installs the sql one)
pytest.importorskip("httpx", reason="the http extra is not installed")

from examkit.backends.http import ServiceTokens
from examkit.cli import EXIT_OK, EXIT_UNUSABLE, main


@pytest.mark.req("PLAT-3")
def test_storage_token_prints_a_token_and_the_entry_that_accepts_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert EXIT_OK == main(
        ["storage", "token", "--id", "report", "--access", "read", "--kinds", "exams,candidates"]
    )
    printed = json.loads(capsys.readouterr().out)
    token, entry = printed["token"], printed["entry"]
    assert token.startswith("eks1.")
    assert token not in json.dumps(entry)
    assert {"id": "report", "access": "read", "kinds": ["candidates", "exams"]} == {
        name: entry[name] for name in ("id", "access", "kinds")
    }
    found = ServiceTokens.from_json({"tokens": [entry]}).find(token)
    assert found is not None
    assert "report" == found.id


@pytest.mark.req("PLAT-3")
def test_storage_serve_refuses_a_token_file_that_is_no_token_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tokens = tmp_path / "tokens.json"
    tokens.write_text('{"tokens": []}', encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'examkit.db'}"
    assert EXIT_UNUSABLE == main(["storage", "serve", "--db", db, "--tokens", str(tokens)])
    assert "token" in capsys.readouterr().err.lower()
    assert not (tmp_path / "examkit.db").exists()  # refused before the database is opened
