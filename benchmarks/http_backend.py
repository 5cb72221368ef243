"""The exam day through HttpBackend, against the same use cases sent as one bare POST each.

Set-up (untimed): an SQLite file with the ready-made staff and central exam
of :mod:`examkit.testing.sessions` and two groups of *N* candidates each,
planned and released (the access code drawn), through a kit on
``SQLBackend`` (the server's kit). One uvicorn on loopback serves, in one
Starlette application, the storage server over that backend
(``/storage``, :class:`~examkit.backends.http.StorageServer`) and the
baseline's two endpoints (``/bare/sign_in``, ``/bare/save``).

Examkit (timed): a kit on ``HttpBackend`` (the portal's side: the same
settings, no database credentials) runs the exam day for one group: every
candidate ``kit.sitting.sign_in`` with their login name and the code, then
*M* ``kit.sitting.save_response`` each; every unit of work goes to the
storage server as the protocol sends it.

The baseline (timed, the same run, the other group): **the same use cases
as one bare POST each** to an endpoint of the same server that runs them on
the server's kit, on the backend directly, with the same data (login name
and code; group, candidate, item, value, sequence and key), and answers the
same receipt as JSON. It measures what a hand-written remote procedure per
use case would cost; the ratio is what the storage port over HTTP adds.

Each side runs *repeats* times (a fresh group each time, interleaved:
examkit, baseline, baseline, examkit); ``ratio`` is examkit's best time over
the baseline's best, the target 2 (the issue's).
The requests each use case makes are reported, and checked: a save is one
request (``requests_per_save``); a sign-in reads several records (the
wrong-code counter, the candidate, their attempts and group) and writes the
attempt, a request each (``requests_per_sign_in``).

Measured at the quick size on the shared 2-core machine it was written on
(CPython 3.11, uvicorn, SQLite): 1.66-1.87 (examkit 4.1-6.3 ms per use case
against 2.5-3.4 ms; the machine loaded by other work), a sign-in 6 requests,
a save 1. What made it: the server's socket without Nagle's delay (45 ms a
request on loopback before), and each unit's thread lent from a pool of
kept threads (a thread started per unit cost more than the save: 3.4-3.6).

``--smoke``: 3 candidates saving 2 answers, once; ``--quick``: 40 saving 10,
twice; full: 200 saving 20, three times.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from statistics import median
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script

import httpx
from benchmarks._harness import Figure, by_mode, parse_mode, report
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route

from examkit import Examkit, Settings
from examkit.backends.http import (
    SERVER_RECORDS,
    HttpBackend,
    ServerThread,
    ServiceToken,
    StorageServer,
)
from examkit.backends.sql import SQLBackend
from examkit.testing import ManualClock, RecordingMailer, SequenceSecretSource
from examkit.testing.sessions import START, add_candidates, make_session_kit, plan_group

TARGET = 2.0
TOKEN = "eks1.benchmark-token-not-a-secret"  # noqa: S105 - a benchmark's own
ITEMS = ("q1", "q2", "q3")


def bare_app(kit: Examkit) -> list[Route]:
    """The baseline's endpoints: each use case in one POST, run on the server's kit."""

    async def sign_in(request: Request) -> JSONResponse:
        data = await request.json()
        found = await run_in_threadpool(kit.sitting.sign_in, data["login"], data["code"])
        return JSONResponse({"key": found.key})

    async def save(request: Request) -> JSONResponse:
        data = await request.json()

        def run() -> Any:
            return kit.sitting.save_response(
                data["group"],
                data["candidate"],
                data["item"],
                data["value"],
                sequence=data["sequence"],
                key=data["key"],
            )

        receipt = await run_in_threadpool(run)
        return JSONResponse({"stored": receipt.stored, "last_sequence": receipt.last_sequence})

    return [
        Route("/bare/sign_in", sign_in, methods=["POST"]),
        Route("/bare/save", save, methods=["POST"]),
    ]


def client_kit(url: str, clock: ManualClock) -> tuple[Examkit, HttpBackend]:
    """The portal's kit: the same settings as the server's, on HttpBackend."""
    backend = HttpBackend(f"{url}/storage", token=TOKEN)
    kit = Examkit(
        backend=backend,
        mailer=RecordingMailer(),
        settings=Settings(token_key=b"k" * 32, base_url="https://portal.example.nl"),
        clock=clock,
        secrets=SequenceSecretSource("portal"),
    )
    return kit, backend


def main() -> None:
    """Run the benchmark in the mode given on the command line."""
    mode = parse_mode(__doc__)
    count = by_mode(mode, smoke=3, quick=40, full=200)
    saves = by_mode(mode, smoke=2, quick=10, full=20)
    print(f"http_backend: mode={mode}, {count} candidates a side, {saves} saves each")
    folder = Path(tempfile.mkdtemp(prefix="examkit-http-bench-"))
    clock = ManualClock(START - timedelta(minutes=10))
    inner = SQLBackend(f"sqlite:///{folder / 'examkit.db'}", records=SERVER_RECORDS)
    server_kit = make_session_kit(clock, backend=inner)
    repeats = by_mode(mode, smoke=1, quick=2, full=3)
    sides = []
    for _ in range(2 * repeats):
        people = add_candidates(server_kit, count)
        group = plan_group(server_kit, people)
        server_kit.group_lifecycle.release("proctor", group)
        code = server_kit.group_lifecycle.access_code("proctor", group)
        sides.append((group, code, [(p.id, p.login_name) for p in people]))
    storage = StorageServer(inner, [ServiceToken.of("bench", TOKEN, access="write")])
    app = Starlette(routes=[Mount("/storage", app=storage), *bare_app(server_kit)])
    try:
        with ServerThread(app) as thread:
            kit, backend = client_kit(thread.url, clock)
            examkit_runs: list[tuple[float, float, float]] = []
            baseline_runs: list[float] = []
            for repeat in range(repeats):  # interleaved: examkit, baseline, baseline, examkit
                ours, theirs = sides[2 * repeat], sides[2 * repeat + 1]
                if repeat % 2 == 0:
                    examkit_runs.append(run_examkit(kit, backend, ours, saves))
                    baseline_runs.append(run_baseline(thread.url, theirs, saves))
                else:
                    baseline_runs.append(run_baseline(thread.url, theirs, saves))
                    examkit_runs.append(run_examkit(kit, backend, ours, saves))
            examkit_seconds, sign_in_requests, save_requests = min(examkit_runs)
            baseline_seconds = min(baseline_runs)
            kit.close()
    finally:
        storage.close()
        server_kit.close()
        shutil.rmtree(folder, ignore_errors=True)
    uses = count * (1 + saves)
    figures: dict[str, Figure] = {
        "mode": mode,
        "candidates": count,
        "saves_each": saves,
        "repeats": repeats,
        "examkit_ms_per_use_case": round(examkit_seconds / uses * 1e3, 3),
        "baseline_ms_per_use_case": round(baseline_seconds / uses * 1e3, 3),
        "requests_per_sign_in": sign_in_requests,
        "requests_per_save": save_requests,
    }
    report(
        "http_backend",
        figures,
        examkit_seconds / baseline_seconds,
        TARGET,
        extra_targets={"requests_per_save": 1},
    )


def run_examkit(
    kit: Examkit, backend: HttpBackend, side: tuple[str, str, list[tuple[str, str]]], saves: int
) -> tuple[float, float, float]:
    """Sign every candidate in and save their answers through HttpBackend; time it.

    Returns the time and the median of the requests a sign-in and a save made
    (the first save of the day also reads the group's test, once per kit).
    """
    group, code, people = side
    sign_in_requests: list[int] = []
    save_requests: list[int] = []
    started = time.perf_counter()
    for candidate, login in people:
        before = backend.requests_sent
        key = kit.sitting.sign_in(login, code).key
        sign_in_requests.append(backend.requests_sent - before)
        for number in range(1, saves + 1):
            before = backend.requests_sent
            receipt = kit.sitting.save_response(
                group,
                candidate,
                ITEMS[number % 3],
                {"choice": [number % 4]},
                sequence=number,
                key=key,
            )
            save_requests.append(backend.requests_sent - before)
            assert receipt.stored
    return time.perf_counter() - started, median(sign_in_requests), median(save_requests)


def run_baseline(url: str, side: tuple[str, str, list[tuple[str, str]]], saves: int) -> float:
    """The same use cases, one bare POST each; time it."""
    group, code, people = side
    with httpx.Client(base_url=url) as client:
        started = time.perf_counter()
        for candidate, login in people:
            key = client.post("/bare/sign_in", json={"login": login, "code": code}).json()["key"]
            for number in range(1, saves + 1):
                body = {
                    "group": group,
                    "candidate": candidate,
                    "item": ITEMS[number % 3],
                    "value": {"choice": [number % 4]},
                    "sequence": number,
                    "key": key,
                }
                answer = client.post("/bare/save", content=json.dumps(body).encode())
                assert answer.json()["stored"], answer.text
        return time.perf_counter() - started


if __name__ == "__main__":
    main()
