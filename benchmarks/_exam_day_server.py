"""The portal as benchmarks/portal_exam_day.py serves it: the real saves, or bare statements.

Not a benchmark itself. Run as a script it serves one variant of the portal
under uvicorn (one worker, on loopback)::

    python benchmarks/_exam_day_server.py --database URL --port N --variant examkit
    python benchmarks/_exam_day_server.py --database URL --port N --variant baseline

``examkit`` is the portal as ``python -m portal serve`` runs it
(:func:`benchmarks._portal_server.build_portal`: examkit's production parts,
the SQL backend with its defaults). ``baseline`` is the same application
(the same routes, middleware and :class:`~portal._base.Portal`; the
candidate's sign-in and test player unchanged) in which only the endpoint of
``POST /test/save`` is replaced (:func:`bare_save_endpoint`): the real
endpoint's own checks (:meth:`TestPages.page_request
<portal._player.TestPages.page_request>`: the cross-site check, the
candidate's cookie, the JSON body, the page's save token), then one bare SQL
``UPDATE`` of the attempt's row (the response put into its JSON, by key:
:class:`BareSaves`) through the bare driver on the same database, in a
worker thread as the portal's examkit calls run, and the same answer.

With ``EXAMKIT_BENCH_PROFILE=FILE`` in its environment the server runs
under :mod:`cProfile`, every thread profiled (the event loop and the worker
threads the examkit calls run in), and writes the merged statistics to FILE
when it stops (:func:`profiled`).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import re
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from types import FrameType
from typing import Any, Final

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script
# the portal is an example, not an installed package
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples" / "portal"))

import psycopg
from benchmarks._portal_server import HOST, build_portal
from benchmarks._sqlite import connect_like_examkit
from sqlalchemy.engine import make_url
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route

from examkit.errors import InvalidInput
from examkit.scheduling import page_sequence
from portal._player import TestPages

SAVE_PATH: Final = "/test/save"
PROFILE_ENV: Final = "EXAMKIT_BENCH_PROFILE"
"""The environment variable naming the file the server's profile is written to."""
_ITEM: Final = re.compile(r"[A-Za-z0-9_.-]{1,64}")
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)


# --- the bare statement ----------------------------------------------------------------------

_SQLITE_SAVE: Final = (
    "UPDATE examkit_test_attempts SET version = version + 1, data = json_set(data, ?, json(?))"
    " WHERE record_key = ? RETURNING i_deadline"
)
_POSTGRES_SAVE: Final = (
    "UPDATE examkit_test_attempts SET version = version + 1,"
    " data = jsonb_set(data::jsonb, ARRAY['responses', %s], %s::jsonb)::text"
    " WHERE record_key = %s RETURNING i_deadline"
)


class BareSaves:
    """One bare ``UPDATE`` per save, on the portal's database, one connection per thread.

    What a hand-written system needs at least to keep a candidate's answer:
    the attempt's row found by its key and the response (value, save
    number, time) put into its JSON. No state, deadline or ordering check,
    no conversion. SQLite through :mod:`sqlite3` with examkit's settings
    (:func:`benchmarks._sqlite.connect_like_examkit`), the statement in
    autocommit; PostgreSQL through :mod:`psycopg` in autocommit.
    """

    def __init__(self, database: str) -> None:
        url = make_url(database)
        self._sqlite = url.get_backend_name() == "sqlite"
        self._path = url.database or ""
        self._conninfo: dict[str, Any] = {
            "host": url.host,
            "port": url.port,
            "user": url.username,
            "dbname": url.database,
            "autocommit": True,
        }
        self._local = threading.local()
        self._opened: list[Any] = []
        self._lock = threading.Lock()

    def _connection(self) -> Any:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            if self._sqlite:
                connection = connect_like_examkit(self._path)
            else:
                connection = psycopg.connect(**self._conninfo)
            self._local.connection = connection
            with self._lock:
                self._opened.append(connection)
        return connection

    def close(self) -> None:
        """Close every thread's connection."""
        with self._lock:
            opened, self._opened = self._opened, []
        for connection in opened:
            connection.close()

    def save(self, key: str, item: str, response: str) -> tuple[bool, int | None]:
        """Put *response* (JSON text) as *item*'s response into attempt *key*.

        Returns whether the attempt was found, and its deadline column
        (microseconds since the epoch), for the page's time left.
        """
        connection = self._connection()
        if self._sqlite:
            row = connection.execute(
                _SQLITE_SAVE, (f'$.responses."{item}"', response, key)
            ).fetchone()
        else:
            row = connection.execute(_POSTGRES_SAVE, (item, response, key)).fetchone()
        return (False, None) if row is None else (True, row[0])


# --- the portal's /test/save and its baseline ---------------------------------------------


def _routes(routes: Sequence[BaseRoute], prefix: str = "") -> Iterator[tuple[str, Route]]:
    for route in routes:
        if isinstance(route, Route):
            yield prefix + route.path, route
        elif isinstance(route, Mount):
            yield from _routes(route.routes, prefix + route.path)


def save_route(app: Starlette) -> Route:
    """Return the portal's ``POST /test/save`` route."""
    for path, route in _routes(app.routes):
        if path == SAVE_PATH and "POST" in (route.methods or set()):
            return route
    raise LookupError(f"the portal has no POST {SAVE_PATH}")


def _deadline(value: int | None) -> datetime | None:
    """Return the deadline column's microseconds since the epoch as a moment (or ``None``)."""
    return None if value is None else _EPOCH + timedelta(microseconds=value)


def bare_save_endpoint(pages: TestPages, saves: BareSaves) -> Callable[[Request], Any]:
    """Return the baseline's ``/test/save``: the real page's checks, then one ``UPDATE``.

    The same :meth:`TestPages.page_request <portal._player.TestPages.page_request>` as the
    real endpoint (the cross-site check, the candidate's cookie, the JSON body, the page's
    save token), the same answer (``seconds_left`` from the deadline the statement returns).
    """
    clock = pages.portal.kit.clock

    async def save(request: Request) -> Response:
        found = await pages.page_request(request)
        if isinstance(found, JSONResponse):
            return found
        candidate, body = found
        item, counter = body.get("item"), body.get("counter")
        if not isinstance(item, str) or _ITEM.fullmatch(item) is None or type(counter) is not int:
            return JSONResponse({"refused": "invalid"}, 400)
        try:
            sequence = page_sequence(body["epoch"], counter)
        except InvalidInput:
            return JSONResponse({"refused": "invalid"}, 400)
        response = json.dumps(
            {"saved_at": clock.now().isoformat(), "sequence": sequence, "value": body.get("value")}
        )
        stored, deadline = await run_in_threadpool(saves.save, candidate.attempt, item, response)
        return JSONResponse(
            {
                "stored": stored,
                "acknowledged": stored,
                "superseded": False,
                "seconds_left": pages.seconds_left(_deadline(deadline)),
            }
        )

    return save


def make_baseline(app: Starlette, database: str) -> None:
    """Replace the endpoint of *app*'s ``POST /test/save`` by the bare save."""
    route = save_route(app)
    pages = getattr(route.endpoint, "__self__", None)
    if not isinstance(pages, TestPages):
        raise LookupError(f"{SAVE_PATH} is not the test player's")
    fixed = Route(route.path, bare_save_endpoint(pages, BareSaves(database)), methods=["POST"])
    routes = app.router.routes
    routes[routes.index(route)] = fixed


# --- profiling every thread --------------------------------------------------------------


@contextmanager
def profiled(target: Path) -> Iterator[None]:
    """Profile every thread (this one and those started meanwhile); write the stats to *target*.

    :mod:`cProfile` profiles the thread that enables it: each new thread
    enables one of its own on its first profile event (:func:`threading.setprofile`).
    Each counts its thread's CPU time (:func:`time.thread_time`), not the wall
    clock: a thread waiting for the GIL, a lock or the network adds nothing.
    """
    profiles: list[cProfile.Profile] = []
    lock = threading.Lock()

    def start_in_thread(*_: object) -> None:
        profile = cProfile.Profile(time.thread_time)
        with lock:
            profiles.append(profile)
        profile.enable()

    main = cProfile.Profile(time.thread_time)
    profiles.append(main)
    threading.setprofile(start_in_thread)
    main.enable()
    try:
        yield
    finally:
        main.disable()
        threading.setprofile(None)
        with lock:
            taken = list(profiles)
        stats = pstats.Stats(taken[0])
        for profile in taken[1:]:
            try:
                stats.add(profile)
            except TypeError:  # a thread that never got to a profiled call
                continue
        stats.dump_stats(target)


def _exit_on_signal(signum: int, _: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def main(argv: Sequence[str] | None = None) -> None:
    """Serve the portal (or its baseline) with uvicorn, one worker, on loopback."""
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--variant", choices=("examkit", "baseline"), required=True)
    args = parser.parse_args(argv)
    _, app = build_portal(args.database, args.port)
    if args.variant == "baseline":
        make_baseline(app, args.database)
    run = partial(
        uvicorn.run,
        app,
        host=HOST,
        port=args.port,
        workers=1,
        log_level="warning",
        access_log=False,
    )
    profile = os.environ.get(PROFILE_ENV)
    if profile:
        # uvicorn restores this handler after its orderly shutdown and raises the signal
        # again: an exit, so the profile is written, instead of the default handler's kill
        signal.signal(signal.SIGTERM, _exit_on_signal)
        with profiled(Path(profile)):
            run()
    else:
        run()


if __name__ == "__main__":
    main()
