# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""``examkit storage``: a new token and its entry; the server refuses to run without tokens."""

from __future__ import annotations

import argparse
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


def _serve_args(tmp_path: Path, *options: str) -> argparse.Namespace:
    from examkit.backends.http import ServiceToken
    from examkit.cli import build_parser

    tokens = tmp_path / "tokens.json"
    entry = ServiceToken.of("portal", "eks1.not-a-real-token-but-long-enough", access="write")
    tokens.write_text(json.dumps({"tokens": [entry.as_json()]}), encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'examkit.db'}"
    return build_parser().parse_args(
        ["storage", "serve", "--db", db, "--tokens", str(tokens), *options]
    )


@pytest.mark.req("PLAT-3", "PRIV-4")
def test_storage_serve_keeps_idempotency_keys_for_the_period_given(tmp_path: Path) -> None:
    from examkit.cli._storage import storage_server
    from examkit.privacy import RetentionPeriod

    server, backend = storage_server(_serve_args(tmp_path, "--key-retention", "14d"))
    try:
        assert RetentionPeriod(days=14) == server.key_retention
    finally:
        server.close()
        backend.close()
    server, backend = storage_server(_serve_args(tmp_path))
    try:
        assert RetentionPeriod(days=7) == server.key_retention  # a week unless told
    finally:
        server.close()
        backend.close()


@pytest.mark.req("PLAT-3", "PRIV-4")
@pytest.mark.parametrize(
    ("period", "said"),
    [("0d", "at least a day"), ("a week", "is not a period")],
)
def test_storage_serve_refuses_a_key_retention_it_cannot_keep(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], period: str, said: str
) -> None:
    args = _serve_args(tmp_path, "--key-retention", period)
    argv = ["storage", "serve", "--db", args.db, "--tokens", str(args.tokens)]
    assert EXIT_UNUSABLE == main([*argv, "--key-retention", period, "--lang", "en"])
    err = capsys.readouterr().err
    assert said in err
    assert "--key-retention" in err
    assert "Traceback" not in err
    assert not (tmp_path / "examkit.db").exists()  # refused before the database is opened
