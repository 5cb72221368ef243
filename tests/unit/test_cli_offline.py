# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""``examkit offline``: make a station's store, sync once, serve until stopped (SCH-8).

The central system here is one that cannot be reached (a port nobody listens
on): what a school sees on a day without internet. The sync against a
central system that answers is the demo day's test (tests/offline/cli).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("httpx", reason="the http extra is not installed")

from examkit.backends.sql import SQLBackend
from examkit.cli import EXIT_NEGATIVE, EXIT_OK, EXIT_UNUSABLE, main
from examkit.cli._offline import CREDENTIAL_ENV, parse_every
from examkit.errors import InvalidInput

CREDENTIAL = "exo1.fao-x1.c2VjcmV0LW5vdC1yZWFsbHk"


def closed_port() -> int:
    """A local port nobody listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A station's store made by ``examkit offline init``, its central system unreachable."""
    path = tmp_path / "fao.db"
    central = f"http://127.0.0.1:{closed_port()}/offline-sync"
    assert EXIT_OK == main(
        ["offline", "init", "--store", str(path), "--server", "fao-x1", "--central", central]
    )
    assert {"store": str(path), "server": "fao-x1", "central_url": central} == json.loads(
        capsys.readouterr().out
    )
    return path


def station_of(path: Path) -> dict[str, object]:
    backend = SQLBackend(f"sqlite:///{path}")
    try:
        with backend.begin(readonly=True) as uow:
            state = uow.offline_stations.get("fao-x1")
    finally:
        backend.close()
    return {
        "central_url": state.central_url,
        "attempted": state.last_attempt_at is not None,
        "error": state.last_error,
    }


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "examkit", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        check=False,
    )


@pytest.mark.req("SCH-8")
def test_init_again_changes_the_address_and_refuses_another_server(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = "https://examens.example.nl/offline-sync"
    assert EXIT_OK == main(
        ["offline", "init", "--store", str(store), "--server", "fao-x1", "--central", new + "/"]
    )
    assert new == station_of(store)["central_url"]
    capsys.readouterr()
    other = ["offline", "init", "--store", str(store), "--server", "fao-x2", "--central", new]
    assert EXIT_UNUSABLE == main([*other, "--lang", "en"])
    assert "belongs to the offline server 'fao-x1', not to 'fao-x2'" in capsys.readouterr().err
    assert new == station_of(store)["central_url"]


@pytest.mark.req("SCH-8")
@pytest.mark.parametrize(
    ("option", "value", "code"),
    [
        ("--server", "fao x/1", "offline.cli.server"),
        ("--central", "ftp://central.example", "offline.cli.central"),
        ("--central", "central.example", "offline.cli.central"),
    ],
)
def test_init_refuses_an_unusable_server_or_address(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str, value: str, code: str
) -> None:
    from examkit.messages import text

    given = {"--server": "fao-x1", "--central": "https://central.example", option: value}
    args = [item for pair in given.items() for item in pair]
    assert EXIT_UNUSABLE == main(["offline", "init", "--store", str(tmp_path / "f.db"), *args])
    assert text(code, "nl", value=value) in capsys.readouterr().err
    assert not (tmp_path / "f.db").exists()


@pytest.mark.req("SCH-8")
def test_sync_needs_a_store_init_made_and_a_credential(
    tmp_path: Path, store: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(CREDENTIAL_ENV, raising=False)
    assert EXIT_UNUSABLE == main(["offline", "sync", "--store", str(store), "--lang", "en"])
    assert "EXAMKIT_OFFLINE_CREDENTIAL" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.write_text("\n", encoding="utf-8")
    assert EXIT_UNUSABLE == main(
        ["offline", "sync", "--store", str(store), "--credential-file", str(empty)]
    )
    assert "EXAMKIT_OFFLINE_CREDENTIAL" in capsys.readouterr().err
    monkeypatch.setenv(CREDENTIAL_ENV, CREDENTIAL)
    missing = tmp_path / "nothing.db"
    assert EXIT_UNUSABLE == main(["offline", "sync", "--store", str(missing), "--lang", "en"])
    assert "examkit offline init" in capsys.readouterr().err
    assert not missing.exists()
    assert not station_of(store)["attempted"]


@pytest.mark.req("SCH-8")
def test_sync_with_the_central_system_unreachable_says_so_and_exits_1(
    tmp_path: Path, store: Path
) -> None:
    credential = tmp_path / "credential"
    credential.write_text(CREDENTIAL + "\n", encoding="utf-8")
    done = run("offline", "sync", "--store", str(store), "--credential-file", str(credential))
    assert EXIT_NEGATIVE == done.returncode, done.stderr
    assert "Traceback" not in done.stderr
    assert "is niet bereikbaar; de FAO werkt door" in done.stderr
    report = json.loads(done.stdout)
    assert {"complete": False, "error": "offline.central.unreachable", "sent": 0} == {
        key: report[key] for key in ("complete", "error", "sent")
    }
    assert {"up_high_water", "down_high_water", "clock_offset_ms", "conflicts"} <= set(report)
    assert {"attempted": True, "error": "offline.central.unreachable"} == {
        key: station_of(store)[key] for key in ("attempted", "error")
    }
    english = run(
        "offline", "sync", "--store", str(store), "--lang", "en", env={CREDENTIAL_ENV: CREDENTIAL}
    )
    assert EXIT_NEGATIVE == english.returncode
    assert "cannot be reached; the offline server carries on" in english.stderr


@pytest.mark.req("SCH-8")
def test_serve_syncs_until_sigterm_and_stops_cleanly(store: Path) -> None:
    process = subprocess.Popen(  # noqa: S603 - our own command
        [
            sys.executable,
            "-m",
            "examkit",
            "offline",
            "serve",
            "--store",
            str(store),
            "--every",
            "1s",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, CREDENTIAL_ENV: CREDENTIAL},
    )
    try:
        deadline = time.monotonic() + 60
        while not station_of(store)["attempted"] and time.monotonic() < deadline:
            time.sleep(0.2)
        assert station_of(store)["attempted"]
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert EXIT_OK == process.returncode, err
    assert "Traceback" not in err
    assert "offline server fao-x1" in err


@pytest.mark.req("SCH-8")
def test_serve_refuses_an_app_it_cannot_load_and_an_unusable_period(
    store: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CREDENTIAL_ENV, CREDENTIAL)
    serve = ["offline", "serve", "--store", str(store), "--lang", "en"]
    assert EXIT_UNUSABLE == main([*serve, "--app", "no_such_module:app"])
    assert "'no_such_module:app' names no app" in capsys.readouterr().err
    assert EXIT_UNUSABLE == main([*serve, "--every", "a while"])
    assert "'a while' is no usable period" in capsys.readouterr().err
    assert not station_of(store)["attempted"]


@pytest.mark.req("SCH-8")
@pytest.mark.parametrize(
    ("text", "seconds"),
    [("30s", 30.0), ("2m", 120.0), ("1h", 3600.0), ("1500ms", 1.5), ("45", 45.0)],
)
def test_a_period_is_read_in_its_unit(text: str, seconds: float) -> None:
    assert seconds == parse_every(text)


@pytest.mark.req("SCH-8")
@pytest.mark.parametrize("text", ["0s", "500ms", "2d", "-1m", "", "1.5.2s", "25h"])
def test_a_period_outside_a_second_to_a_day_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_every(text)
    assert "offline.cli.every" == refused.value.code


@pytest.mark.req("SCH-7", "SCH-8")
def test_serve_with_the_portal_serves_its_exam_day_screens_beside_the_loop_until_sigterm(
    store: Path,
) -> None:
    import httpx

    port = closed_port()
    portal = Path(__file__).parents[2] / "examples" / "portal"
    env = {
        **os.environ,
        CREDENTIAL_ENV: CREDENTIAL,
        "PYTHONPATH": os.pathsep.join([str(portal), os.environ.get("PYTHONPATH", "")]),
        "EXAMKIT_PORTAL_MODE": "offline",
        "EXAMKIT_PORTAL_STATION": str(store),
        "EXAMKIT_PORTAL_TOKEN_KEY": "6b" * 32,
        "EXAMKIT_PORTAL_BASE_URL": f"http://127.0.0.1:{port}",
    }
    serve = ["offline", "serve", "--store", str(store), "--every", "1s", "--port", str(port)]
    process = subprocess.Popen(  # noqa: S603 - our own command
        [sys.executable, "-m", "examkit", *serve, "--app", "portal:offline_app", "--factory"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        start = None
        deadline = time.monotonic() + 60
        while start is None and time.monotonic() < deadline and process.poll() is None:
            try:
                start = httpx.get(f"http://127.0.0.1:{port}/?lang=en", timeout=2)
            except httpx.TransportError:
                time.sleep(0.2)
        assert start is not None, process.stderr.read() if process.stderr else ""
        assert 200 == start.status_code
        assert "Offline server" in start.text
        assert "fao-x1" in start.text
        while not station_of(store)["attempted"] and time.monotonic() < deadline:
            time.sleep(0.2)
        assert station_of(store)["attempted"]  # the loop runs beside the app
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert EXIT_OK == process.returncode, err
    assert "Traceback" not in err
