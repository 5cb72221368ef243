# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""An offline server's sync killed with SIGKILL mid-sync, over loopback HTTP; then healed.

The central sync endpoint is served by uvicorn in a thread on loopback; the
offline server syncs in a process of its own, which is killed with SIGKILL:

- ``examkit offline sync`` (the command users run), from outside, while
  central holds its request: before central runs it, or after central
  committed it and before the answer leaves;
- a small script calling ``sync_once`` (:mod:`tests.offline.proof.sync_process`),
  which kills itself at each crash point of the offline side a sync passes
  (mid down apply, after a reply, after a package chunk), as a power cut
  would (the command has no crash hook).

Then a new offline server over the same file heals the link, and after a
quiet sync every invariant holds.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import attrs
import pytest
from tests.offline.proof.world import Paths, Saved, central_kit, copy_files, open_world

from examkit.backends.http import ServerThread
from examkit.backends.sql import SQLBackend
from examkit.offline.http import SyncEndpoint
from examkit.testing import ManualClock

pytestmark = [pytest.mark.req("SCH-7", "SCH-8")]

ROOT = Path(__file__).resolve().parents[3]
WAIT = 60.0
"""Seconds a test waits for the process (a loaded CI machine is slow to start Python)."""


class Gate:
    """ASGI middleware: holds the first request to *path* until the test lets it go.

    *after*: central runs the request (and commits) first, and the answer
    waits; otherwise the request waits before central sees it.
    """

    def __init__(self, app: Any, path: str, *, after: bool) -> None:
        self.app, self.path, self.after = app, path, after
        self.arrived, self.release = threading.Event(), threading.Event()
        self.used = False

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or self.used or not scope["path"].startswith(self.path):
            await self.app(scope, receive, send)
            return
        self.used = True
        if not self.after:
            self.arrived.set()
            await asyncio.to_thread(self.release.wait, WAIT)
            await self.app(scope, receive, send)
            return
        held: list[Any] = []

        async def keep(message: Any) -> None:
            held.append(message)

        await self.app(scope, receive, keep)
        self.arrived.set()
        await asyncio.to_thread(self.release.wait, WAIT)
        for message in held:
            try:
                await send(message)
            except Exception:
                return


def start_sync(paths: Paths, saved: Saved, url: str, point: str) -> subprocess.Popen[str]:
    """Start a process that syncs the offline server at *paths* with central at *url*:
    ``examkit offline sync`` when *point* is ``-``, else the script that dies there."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")])}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # compile the modules once, not in every process
    if point == "-":
        store = SQLBackend(paths.offline_url, migrate=False)
        try:
            with store.begin() as uow:  # where the command finds central: this server
                state = uow.offline_stations.get(saved.server)
                uow.offline_stations.update(attrs.evolve(state, central_url=url))
                uow.commit()
        finally:
            store.close()
        env["EXAMKIT_OFFLINE_CREDENTIAL"] = saved.credential
        command = ["-m", "examkit", "offline", "sync", "--store", str(paths.offline)]
    else:
        code = "from tests.offline.proof.sync_process import main; main()"
        command = ["-c", code, str(paths.offline), saved.server, url, saved.credential]
        command += [saved.offline_now.isoformat(), point]
    return subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, *command],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def killed_mid_sync(saved: Saved, folder: Path, point: str, gate: tuple[str, bool] | None) -> Paths:
    """Run one sync in a process killed at *point* (or held at the *gate*); return the files."""
    paths = copy_files(saved, folder)
    kit = central_kit(paths.central, ManualClock(saved.central_now), generation=90)
    app: Any = SyncEndpoint(kit)
    held = None if gate is None else Gate(app, gate[0], after=gate[1])
    try:
        with ServerThread(held if held is not None else app) as server:
            process = start_sync(paths, saved, server.url, point)
            try:
                if held is not None:
                    assert held.arrived.wait(WAIT), process.communicate(timeout=WAIT)
                    process.send_signal(signal.SIGKILL)
                out, err = process.communicate(timeout=WAIT)
            finally:
                if held is not None:
                    held.release.set()
                if process.poll() is None:
                    process.kill()
            assert -signal.SIGKILL == process.returncode, (out, err)
    finally:
        kit.close()
    return paths


SELF_KILLS = [
    ("handed_over", "offline.down.after_reply"),
    ("handed_over", "offline.down.before_commit"),
    ("handed_over", "offline.package.after_chunk"),
    ("day_done", "offline.up.after_reply"),
]
"""Where the process kills itself: every offline crash point a sync passes."""

HELD = [
    ("handed_over", "/v1/down", False),
    ("handed_over", "/v1/down", True),
    ("handed_over", "/v1/packages/", True),
    ("day_done", "/v1/up", False),
    ("day_done", "/v1/up", True),
]
"""Where the process is killed from outside: a request held before or after central ran it."""


@pytest.mark.parametrize(("name", "point"), SELF_KILLS)
def test_a_sync_killed_at_a_crash_point_heals(
    saved_worlds: dict[str, Saved], tmp_path: Path, name: str, point: str
) -> None:
    saved = saved_worlds[name]
    paths = killed_mid_sync(saved, tmp_path, point, gate=None)
    healed(saved, paths)


@pytest.mark.parametrize(("name", "path", "after"), HELD)
def test_a_sync_killed_while_central_holds_its_request_heals(
    saved_worlds: dict[str, Saved], tmp_path: Path, name: str, path: str, after: bool
) -> None:
    saved = saved_worlds[name]
    paths = killed_mid_sync(saved, tmp_path, "-", gate=(path, after))
    healed(saved, paths)


def healed(saved: Saved, paths: Paths) -> None:
    """Open both peers again over the files, heal, live the day if not yet, and check."""
    from tests.offline.proof.room import whole_day

    world = open_world(saved, paths)
    try:
        if world.room.state == "planned":
            world.heal()
            world.room.load()
            whole_day(world.room)
        world.check()
    finally:
        world.close()
