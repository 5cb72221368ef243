"""The exam day through the portal: server CPU per candidate's save, over one bare UPDATE.

The data set (untimed, through examkit's use cases on a fresh database):
the ready-made staff and central exam of :mod:`examkit.testing.sessions`
(three items: two scored automatically, one by a corrector), two groups of *N* candidates each
(``kit.candidates.add_candidate``, ``kit.planning.plan``) starting now,
both released by their proctor (``kit.group_lifecycle.release``, which
draws the access code): one group's candidates save through the real
portal, the other's through the baseline, so that neither side's saves
meet the other's attempts. ``--quick``: *N* = 200, each saving *M* = 10
answers per run; ``--smoke``: five candidates, four answers.

The candidates sign in through the portal's own ``POST /test`` (login
name and access code, the form's one-time token; the cookie
``examkit_candidate``) and open the test player (``GET /test/player``:
a page epoch and the page's save token), each through the variant whose
group they are in, before the load (untimed).

Examkit (measured): the portal as ``python -m portal serve`` runs it
(:mod:`benchmarks._exam_day_server`: examkit's production parts, the SQL
backend with its defaults) under uvicorn with one worker on loopback, in a
process of its own. Debian's ``wrk`` (one thread, 8 connections) sends the
saves (:file:`benchmarks/_exam_day_saves.lua`): ``POST /test/save`` with
the candidate's cookie, the page's save token in ``X-Examkit-Save`` and
``{"epoch", "counter", "item", "value"}``; the candidates in turn, each
one's saves numbered up (so one candidate's saves go one at a time, in
order, as the player sends them), items in turn, until *N* x *M* saves
were answered. The figure is the server process's CPU time (user and
system, every thread, ``/proc/<pid>/stat`` before and after the run)
divided by the saves sent.

The baseline (the same run, the same database, interleaved with examkit's
runs: examkit, baseline, baseline, examkit, ...) is **the same application
with one bare SQL statement per save**: the same routes, middleware and
:class:`~portal._base.Portal`; ``/test/save``'s endpoint replaced by one
that makes the real endpoint's own checks (``TestPages.page_request``: the
cross-site check, the candidate's cookie, the JSON body, the page's save
token), then one ``UPDATE`` of the attempt's row by its key that puts the
response into its JSON and returns the deadline, through the bare driver
(:class:`benchmarks._exam_day_server.BareSaves`), and answers the same
JSON (``seconds_left`` included). Each side's
figure is its best (lowest) run. ``ratio`` is examkit's CPU per save over
the baseline's, the larger of SQLite's and PostgreSQL's. Target 2: a save
through examkit (the candidate's key, the item checked against the test,
the ordering, state and deadline checks, the stored receipt) may cost the
server at most twice what a save that only writes the answer costs, the
web stack (uvicorn, Starlette, the middleware, JSON) included on both sides.

For information, per database and side: saves per second, the latency's
median and 99th percentile (``wrk --latency``: 8 connections, so the
latency includes queueing behind the other connections' saves), and how
many candidates saving every 30 s one server process holds: at the
measured CPU per save (``candidates_every_30s``: 30 s over examkit's CPU
per save, one core busy with nothing else) and at the rate wrk measured
(``candidates_every_30s_measured``: 30 times the saves per second, on the
shared machine, wrk and the database on the same cores). On PostgreSQL
the database server's own CPU per save (its processes, from ``/proc``) is
printed too.

Measured at the quick size on the shared 2-core machine it was written on
(CPython 3.11, uvicorn 0.55, SQLite 3.40, PostgreSQL 15; load average 6
to 8 from other work): SQLite ~580-690 µs of server CPU per save against
the baseline's ~460-590 µs (ratio 1.0-1.5: examkit's part is within the
noise of one run there), PostgreSQL ~820-870 µs against ~520-620 µs
(1.4-1.6; the database's own CPU ~230-270 µs against ~150 µs); about
1,000 to 1,500 saves per second either way. Most of a save is the web
stack both sides share (uvicorn, Starlette, the middleware, the page's
checks and JSON): ~450 µs. examkit's part, timed in one thread outside
the server: ``kit.sitting.save_response`` ~75 µs CPU on SQLite against
~26 µs for the bare ``UPDATE``, ~255 µs on PostgreSQL against ~67 µs:
there a save was four round trips (the pool's ``pre_ping``, ``BEGIN``, the
``UPDATE``, ``COMMIT``) where the baseline's is one. Later runs, with the
machine's load varying, read PostgreSQL's ratio anywhere from 1.0 to 2.03
(examkit ~900-1,480 µs against ~720-1,180 µs): over the target at times.
Since each thread keeps its PostgreSQL connection for its next unit of
work (no checkout, no ping: three round trips; in one thread ~240 µs fell
to ~180 µs against ~40 µs), ``--quick`` reads 1.1-1.4 on PostgreSQL and
1.0-1.4 on SQLite (load average 2 to 6; see the commit for the runs).

With ``EXAMKIT_BENCH_PROFILE=FILE`` the examkit server runs under
:mod:`cProfile` (every thread, each counting its own CPU time) and its
statistics, written to ``FILE`` with the database's name as suffix, are
summed up at the end (the functions taking the most time). The profiler
slows examkit's side more than the baseline's (more Python calls): read
where the time goes from it, not the ratio.

Needs Debian's ``wrk`` (``apt-get install -y wrk``); without it the
benchmark says so and exits 2. Without PostgreSQL's server programs it runs
SQLite only and says so in its JSON (``postgres``: ``"not installed"``).
Run as ``python benchmarks/portal_exam_day.py [--quick | --smoke]``; the
last line printed is one JSON object with ``ratio``, ``target`` and ``met``.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import pstats
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Final

import attrs

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script

import httpx
from benchmarks._exam_day_server import PROFILE_ENV
from benchmarks._harness import Figure, by_mode, parse_mode, report
from benchmarks._portal_server import HOST, build_kit
from benchmarks._postgres import postgres_cluster
from benchmarks.portal_pages import (
    DatabaseCpu,
    postmaster_pid,
    process_cpu,
    stop_on_sigterm,
    temporary_folder,
)

from examkit.backends.sql import SQLBackend
from examkit.clocks import SystemClock
from examkit.scheduling import AttemptState, Mode, page_of
from examkit.testing import ManualClock
from examkit.testing.postgres import PostgresCluster, PostgresUnavailable
from examkit.testing.sessions import EXAM, L00, add_candidates, make_session_kit
from portal._candidate import CANDIDATE_COOKIE

TARGET: Final = 2.0
SERVER: Final = Path(__file__).with_name("_exam_day_server.py")
SAVES_SCRIPT: Final = Path(__file__).with_name("_exam_day_saves.lua")
CONNECTIONS: Final = 8
VARIANTS: Final = ("examkit", "baseline")
EVERY: Final = 30.0
"""Seconds between two saves of one candidate, for ``candidates_every_30s``."""

CPU_TICK: Final = 1 / os.sysconf("SC_CLK_TCK")
"""The resolution of a process's CPU time in ``/proc/<pid>/stat`` (seconds)."""


@attrs.frozen
class Size:
    """How many candidates save, and how many answers each saves per run."""

    candidates: int
    saves_each: int


SIZES: Final = {
    "smoke": Size(candidates=5, saves_each=4),
    "quick": Size(candidates=200, saves_each=10),
    "full": Size(candidates=500, saves_each=20),
}


@attrs.frozen
class Group:
    """A released group of the data set: its id, access code and candidates."""

    id: str
    access_code: str
    candidates: tuple[tuple[str, str], ...]
    """(candidate id, login name) of each candidate."""


@attrs.frozen
class Page:
    """A signed-in candidate's open test player: what their saves carry."""

    candidate: str
    cookie: str
    """The ``Cookie`` header of their saves."""
    token: str
    """The page's save token (``X-Examkit-Save``)."""
    epoch: int


def connections_for(size: Size) -> int:
    """Return wrk's connections: 8, at most a quarter of the candidates (one at least).

    The candidates take turns, so a candidate's next save is sent only after
    the others' (at least three times the connections of them): their own
    last save was answered long before, and they go one at a time, in order.
    """
    return max(1, min(CONNECTIONS, size.candidates // 4))


# --- the data set, through examkit's use cases --------------------------------------------


def build_exam_day(url: str, candidates: int) -> dict[str, Group]:
    """Store the staff, the exam and a released group of *candidates* per variant at *url*."""
    now = SystemClock().now().replace(second=0, microsecond=0)
    kit = make_session_kit(ManualClock(now), backend=SQLBackend(url))
    groups: dict[str, Group] = {}
    try:
        for n, variant in enumerate(VARIANTS):
            people = add_candidates(kit, candidates)
            planned = kit.planning.plan(
                "planner",
                location=L00,
                exam=EXAM.code,
                mode=Mode.ONLINE,
                starts_at=now,
                room=f"Lokaal {n + 1}",
                proctor="proctor",
                candidates=[p.id for p in people],
                first_corrector="corrector",
            )
            kit.group_lifecycle.release("proctor", planned.id)
            code = kit.group_lifecycle.access_code("proctor", planned.id)
            groups[variant] = Group(planned.id, code, tuple((p.id, p.login_name) for p in people))
    finally:
        kit.close()
    return groups


_FORM_TOKEN: Final = re.compile(r'name="form_token" value="([^"]+)"')
_SAVE_TOKEN: Final = re.compile(r'<meta name="examkit-save" content="([^"]+)"')
_EPOCH: Final = re.compile(r'data-epoch="(\d+)"')


def _found(pattern: re.Pattern[str], text: str, what: str) -> str:
    match = pattern.search(text)
    if match is None:
        raise RuntimeError(f"no {what} in the page")
    return match.group(1)


async def sign_in(http: httpx.AsyncClient, origin: str, group: Group) -> list[Page]:
    """Sign *group*'s candidates in through ``POST /test`` and open their player; their pages.

    Each candidate as a browser would: the sign-in form (its one-time
    token), the login name and access code posted from the portal's own
    origin, the cookie the 303 sets, the player it leads to (the page's
    epoch and save token).
    """
    pages = []
    for candidate, login in group.candidates:
        http.cookies.clear()
        form = await http.get("/test")
        answer = await http.post(
            "/test",
            data={
                "login_name": login,
                "access_code": group.access_code,
                "form_token": _found(_FORM_TOKEN, form.text, "form token"),
            },
            headers={"Origin": origin},
        )
        if answer.status_code != 303 or answer.headers.get("location") != "/test/player":
            raise RuntimeError(f"{login} could not sign in: {answer.status_code} {answer.text}")
        cookie = http.cookies.get(CANDIDATE_COOKIE)
        player = await http.get("/test/player")
        if cookie is None or player.status_code != 200:
            raise RuntimeError(f"{login} has no player: {player.status_code}")
        pages.append(
            Page(
                candidate,
                f"{CANDIDATE_COOKIE}={cookie}",
                _found(_SAVE_TOKEN, player.text, "save token"),
                int(_found(_EPOCH, player.text, "page epoch")),
            )
        )
    return pages


async def signed_in(origin: str, group: Group) -> list[Page]:
    """Sign *group*'s candidates in at the server at *origin*; return their pages."""
    async with httpx.AsyncClient(base_url=origin, timeout=60.0) as http:
        return await sign_in(http, origin, group)


def check_saved(url: str, groups: Mapping[str, Group], saves_each: int) -> None:
    """Check every candidate's answers were stored where examkit reads them.

    Examkit's candidates: all three items answered, the last save at least
    the *saves_each*-th of their page. The baseline's: all three items.
    """
    kit = build_kit(url)
    try:
        for variant, group in groups.items():
            for candidate, _ in group.candidates:
                attempt = kit.sitting.attempt(group.id, candidate)
                if attempt.state is not AttemptState.IN_PROGRESS or len(attempt.responses) != 3:
                    raise RuntimeError(f"{variant} {candidate}: {attempt}")
                if variant == "examkit" and page_of(attempt.last_sequence)[1] < saves_each:
                    raise RuntimeError(f"{candidate}: last save {attempt.last_sequence}")
    finally:
        kit.close()


# --- a server under wrk -------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


class Server:
    """One variant of the portal served by uvicorn in a process of its own."""

    def __init__(
        self, database: str, variant: str, folder: Path, profile: Path | None = None
    ) -> None:
        self.variant = variant
        self.port = _free_port()
        self.log = folder / f"server-{variant}-{self.port}.log"
        command = [
            sys.executable,
            str(SERVER),
            "--database",
            database,
            "--port",
            str(self.port),
            "--variant",
            variant,
        ]
        env = {k: v for k, v in os.environ.items() if k != PROFILE_ENV}
        if profile is not None:
            env[PROFILE_ENV] = str(profile)
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603
                command, stdout=log, stderr=subprocess.STDOUT, env=env
            )

    @property
    def origin(self) -> str:
        """The server's address."""
        return f"http://{HOST}:{self.port}"

    def wait_ready(self, timeout: float = 60.0) -> None:
        """Wait until the server answers its health check."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"the {self.variant} server stopped: {self.log.read_text(errors='replace')}"
                )
            try:
                if httpx.get(self.origin + "/health", timeout=2.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"the {self.variant} server did not start in {timeout:.0f} s")

    def cpu(self) -> float:
        """Return the server process's CPU time so far, in seconds."""
        return process_cpu(self.process.pid)

    def stop(self) -> None:
        """Stop the server (this process started it): SIGTERM, uvicorn's orderly shutdown."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@attrs.frozen
class Load:
    """One wrk run of saves against one server: what it cost, how fast it went."""

    sent: int
    answered: int
    stored: int
    server_cpu: float
    database_cpu: float
    seconds: float
    p50_us: float
    p99_us: float

    @property
    def cpu_per_save(self) -> float:
        """The server process's CPU seconds per save sent (those cut off by the stop included)."""
        return self.server_cpu / self.sent

    @property
    def database_per_save(self) -> float:
        """The database server's CPU seconds per save (PostgreSQL; 0 on SQLite)."""
        return self.database_cpu / self.sent

    @property
    def per_second(self) -> float:
        """Saves answered per second of the run."""
        return self.answered / self.seconds


def write_pages(pages: Sequence[Page], target: Path) -> Path:
    """Write *pages* as the wrk script's candidates file."""
    target.write_text(
        "".join(f"{p.cookie}\t{p.token}\t{p.epoch}\n" for p in pages), encoding="utf-8"
    )
    return target


def load(
    server: Server,
    pages_file: Path,
    *,
    first: int,
    saves: int,
    connections: int,
    database: DatabaseCpu,
) -> Load:
    """Send *saves* saves to *server* with wrk (counters from *first*); return what it cost."""
    command = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{max(60, saves // 20)}s",
        "--timeout",
        "10s",
        "--latency",
        "-s",
        str(SAVES_SCRIPT),
        server.origin + "/test/save",
        "--",
        str(pages_file),
        str(first),
        str(saves),
        server.origin,
    ]
    before, database_before = server.cpu(), database.seconds()
    lines = []
    with subprocess.Popen(  # noqa: S603
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as wrk:
        assert wrk.stdout is not None
        for line in wrk.stdout:
            lines.append(line)
            if line.startswith("saves-done"):
                wrk.send_signal(signal.SIGINT)  # ends wrk's -d wait: every save was answered
    time.sleep(0.2)  # the saves still in flight when wrk stopped
    after, database_after = server.cpu(), database.seconds()
    summary = next((line for line in lines if line.startswith("saves-summary ")), None)
    if summary is None:
        raise RuntimeError(f"wrk gave no summary: {''.join(lines)}")
    figures = json.loads(summary.removeprefix("saves-summary "))
    if figures["other"] or figures["status_errors"] or figures["timeouts"]:
        raise RuntimeError(f"the {server.variant} saves failed under load: {''.join(lines)}")
    if figures["answered"] < saves:
        raise RuntimeError(
            f"the {server.variant} server answered {figures['answered']} of {saves} saves"
        )
    return Load(
        sent=figures["sent"],
        answered=figures["answered"],
        stored=figures["stored"],
        # /proc counts whole clock ticks: a smoke run's few saves may take less than one
        server_cpu=max(after - before, CPU_TICK),
        database_cpu=database_after - database_before,
        seconds=figures["duration_us"] / 1e6,
        p50_us=figures["p50_us"],
        p99_us=figures["p99_us"],
    )


# --- one database -------------------------------------------------------------------------


@attrs.frozen
class DatabaseResult:
    """Both sides' best run on one database."""

    examkit: Load
    baseline: Load

    @property
    def ratio(self) -> float:
        """Examkit's CPU per save over the baseline's."""
        return self.examkit.cpu_per_save / self.baseline.cpu_per_save


def measure_database(
    name: str,
    url: str,
    *,
    size: Size,
    repeats: int,
    folder: Path,
    database: DatabaseCpu,
    profile: Path | None,
) -> DatabaseResult:
    """Build the data set at *url*, serve both variants, load them in turn; return the best."""
    started = time.monotonic()
    groups = build_exam_day(url, size.candidates)
    servers = {
        "examkit": Server(url, "examkit", folder, profile),
        "baseline": Server(url, "baseline", folder),
    }
    connections = connections_for(size)
    runs: dict[str, list[Load]] = {variant: [] for variant in VARIANTS}
    try:
        files = {}
        for variant, server in servers.items():
            server.wait_ready()
            pages = asyncio.run(signed_in(server.origin, groups[variant]))
            files[variant] = write_pages(pages, folder / f"pages-{name}-{variant}.txt")
        print(
            f"[{name}] data set and {2 * size.candidates} sign-ins"
            f" in {time.monotonic() - started:.1f} s",
            flush=True,
        )
        first = dict.fromkeys(VARIANTS, 1)
        saves = size.candidates * size.saves_each

        def run(variant: str, count: int) -> Load:
            done = load(
                servers[variant],
                files[variant],
                first=first[variant],
                saves=count,
                connections=connections,
                database=database,
            )
            first[variant] += math.ceil(done.sent / size.candidates) + 1
            return done

        for variant in VARIANTS:  # warm up: code paths, connections, caches
            run(variant, min(saves, 2 * size.candidates))
        for round_ in range(repeats):
            order = VARIANTS if round_ % 2 == 0 else VARIANTS[::-1]
            for variant in order:
                runs[variant].append(run(variant, saves))
        check_saved(url, groups, size.saves_each)
    finally:
        for server in servers.values():
            server.stop()
    best = {v: min(r, key=lambda x: x.cpu_per_save) for v, r in runs.items()}
    result = DatabaseResult(best["examkit"], best["baseline"])
    for variant in VARIANTS:
        shown = best[variant]
        print(
            f"[{name}] {variant:<8} {shown.cpu_per_save * 1e6:8.0f} µs CPU/save"
            f" ({shown.sent} saves, {shown.stored} stored), {shown.per_second:7.0f} saves/s,"
            f" p50 {shown.p50_us / 1e3:.2f} ms, p99 {shown.p99_us / 1e3:.2f} ms"
            + (
                f", database {shown.database_per_save * 1e6:.0f} µs/save"
                if database.postmaster is not None
                else ""
            ),
            flush=True,
        )
    print(f"[{name}] ratio {result.ratio:.2f}", flush=True)
    return result


def print_profile(files: Sequence[Path], limit: int = 30) -> None:
    """Print the functions that took the most time in the profiled servers."""
    present = [str(f) for f in files if f.exists()]
    if not present:
        print("portal_exam_day: no profile was written", file=sys.stderr)
        return
    stats = pstats.Stats(*present, stream=sys.stdout)
    stats.sort_stats("tottime").print_stats(limit)
    stats.sort_stats("cumulative").print_stats(limit)


def main() -> None:
    """Run the benchmark in the mode given on the command line."""
    mode = parse_mode(__doc__)
    if shutil.which("wrk") is None:
        print(
            "portal_exam_day: wrk is not installed (Debian: apt-get install -y wrk)",
            file=sys.stderr,
        )
        sys.exit(2)
    size = SIZES[mode]
    repeats = by_mode(mode, smoke=1, quick=2, full=3)
    profiling = bool(os.environ.get(PROFILE_ENV))
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    print(f"portal_exam_day: mode={mode}, {attrs.asdict(size)}, repeats={repeats}", flush=True)
    results: dict[str, DatabaseResult] = {}
    postgres_note = "measured"
    profiles: list[Path] = []
    with temporary_folder("examkit-portal-exam-day-") as folder:

        def profile_file(name: str) -> Path | None:
            if not profiling:
                return None
            target = Path(os.environ[PROFILE_ENV]).with_suffix(f".{name}.prof")
            profiles.append(target)
            return target

        results["sqlite"] = measure_database(
            "sqlite",
            f"sqlite:///{folder / 'exam_day.db'}",
            size=size,
            repeats=repeats,
            folder=folder,
            database=DatabaseCpu(None),
            profile=profile_file("sqlite"),
        )
        bin_dir = PostgresCluster.find_bin_dir()
        if bin_dir is None:
            postgres_note = "not installed"
            print("portal_exam_day: PostgreSQL is not installed; SQLite only", file=sys.stderr)
        else:
            cluster = postgres_cluster(bin_dir)
            try:
                cluster.start()
                cluster.create_database("portal_exam_day")
                results["postgres"] = measure_database(
                    "postgres",
                    cluster.url("portal_exam_day"),
                    size=size,
                    repeats=repeats,
                    folder=folder,
                    database=DatabaseCpu(postmaster_pid(cluster, "portal_exam_day")),
                    profile=profile_file("postgres"),
                )
            except PostgresUnavailable as error:
                postgres_note = f"unusable: {error}"
                print(f"portal_exam_day: PostgreSQL is unusable: {error}", file=sys.stderr)
            finally:
                cluster.stop()
    if profiles:
        print_profile(profiles)
    verdict(mode, size, results, postgres_note)


def verdict(
    mode: str, size: Size, results: Mapping[str, DatabaseResult], postgres_note: str
) -> None:
    """Print the figures and the JSON line: the larger database's ratio."""
    figures: dict[str, Figure] = {
        "mode": mode,
        "postgres": postgres_note,
        "candidates": size.candidates,
        "saves_each": size.saves_each,
        "connections": connections_for(size),
    }
    for name, result in results.items():
        figures[f"{name}_ratio"] = round(result.ratio, 3)
        for variant, shown in (("examkit", result.examkit), ("baseline", result.baseline)):
            key = f"{name}_{variant}"
            figures[f"{key}_us_per_save"] = round(shown.cpu_per_save * 1e6, 1)
            if name == "postgres":
                figures[f"{key}_database_us_per_save"] = round(shown.database_per_save * 1e6, 1)
            figures[f"{key}_saves_per_second"] = round(shown.per_second, 1)
            figures[f"{key}_p50_ms"] = round(shown.p50_us / 1e3, 2)
            figures[f"{key}_p99_ms"] = round(shown.p99_us / 1e3, 2)
        figures[f"{name}_candidates_every_30s"] = math.floor(EVERY / result.examkit.cpu_per_save)
        figures[f"{name}_candidates_every_30s_measured"] = math.floor(
            EVERY * result.examkit.per_second
        )
    report("portal_exam_day", figures, max(r.ratio for r in results.values()), TARGET)


if __name__ == "__main__":
    main()
