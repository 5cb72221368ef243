"""``examkit offline``: run an offline server (*FAO*): ``init``, ``sync`` and ``serve`` (SCH-8).

``examkit offline init`` makes the station's local store (a SQLite file)
and records which server it is and where the central system is;
``examkit offline sync`` synchronises once and prints the report;
``examkit offline serve`` synchronises every ``--every`` until it is
stopped (SIGTERM or SIGINT), optionally serving an ASGI app (the
portal's exam-day screens) with uvicorn in the same process.

The server's credential (``exo1.<server>.<secret>``, issued centrally and
shown once) comes from ``--credential-file`` or the environment variable
``EXAMKIT_OFFLINE_CREDENTIAL``; it is never an argument (argument lists
are visible to every user of the machine).
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlsplit

import attrs

from examkit.cli._common import (
    EXIT_NEGATIVE,
    EXIT_OK,
    add_input,
    add_output,
    lang_of,
    print_json,
    read_input,
)
from examkit.errors import ConfigurationError, InvalidInput, InvalidState

if TYPE_CHECKING:
    from examkit.offline import OfflineStation, StationState, SyncReport
    from examkit.ports import Message

CREDENTIAL_ENV: Final = "EXAMKIT_OFFLINE_CREDENTIAL"
"""The environment variable holding the credential when ``--credential-file`` is not given."""
EXIT_UNREACHABLE: Final = EXIT_NEGATIVE
"""``sync``'s status when the sync stopped: the central system could not be reached, or
refused (the station carries on)."""
UNREACHABLE: Final = "offline.central.unreachable"
"""The sync's error code when the central system could not be reached."""
_CREDENTIAL_LIMIT: Final = 4096
_EVERY: Final = re.compile(r"(?P<number>\d+(?:\.\d+)?)(?P<unit>ms|s|m|h)?")
_UNITS: Final = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}
_SERVER: Final = re.compile(r"[A-Za-z0-9_-]{1,64}")


def parse_every(text: str) -> float:
    """Return the period *text* (``30s``, ``2m``, ``500ms``, ``90``: seconds) in seconds.

    >>> parse_every("30s"), parse_every("2m"), parse_every("90")
    (30.0, 120.0, 90.0)

    Raises:
        InvalidInput: ``offline.cli.every`` for anything else, or a period
            outside 1 second to 1 day.

    Implements SCH-8.
    """
    found = _EVERY.fullmatch(text.strip())
    seconds = float(found["number"]) * _UNITS[found["unit"] or "s"] if found else -1.0
    if not 1.0 <= seconds <= 86400.0:
        raise InvalidInput("offline.cli.every", field="--every", value=text)
    return seconds


def configure(group: argparse.ArgumentParser) -> None:
    """Add the subcommands of the ``offline`` command group: ``init``, ``sync``, ``serve``."""
    sub = group.add_subparsers(dest="offline_command", required=True, metavar="COMMAND")
    init = sub.add_parser(
        "init",
        help="make an offline server's local store",
        description="Make the offline server's local store (a SQLite file, migrated) and record "
        "its id in the central registry and the central sync endpoint's address. Run again "
        "with the same --server to change the address; a store of another server is refused.",
    )
    _store(init, made=True)
    init.add_argument("--server", required=True, help="the server's id in the central registry")
    init.add_argument(
        "--central", required=True, metavar="URL", help="the central sync endpoint's base URL"
    )
    init.set_defaults(handler=init_command)
    sync = sub.add_parser(
        "sync",
        help="synchronise once with the central system and print the report",
        description="Send what happened in the room, fetch what the central system holds for "
        "this server and its exam packages, once; print the report as JSON. Exit 1 when the "
        "central system cannot be reached (the station keeps everything and tries again at "
        "the next sync), 2 for unusable arguments.",
    )
    _store(sync)
    _credential(sync)
    sync.set_defaults(handler=sync_command)
    serve = sub.add_parser(
        "serve",
        help="synchronise periodically; optionally serve the portal's exam-day screens",
        description="Synchronise every --every until stopped (SIGTERM or SIGINT: the sync in "
        "progress ends first). With --app module:attribute, serve that ASGI app with uvicorn "
        "in the same process (the reference portal in offline mode: --app "
        "portal:offline_app --factory, with EXAMKIT_PORTAL_MODE=offline and "
        "EXAMKIT_PORTAL_STATION naming the same store).",
    )
    _store(serve)
    _credential(serve)
    serve.add_argument("--every", default="30s", help="time between syncs (default: 30s)")
    serve.add_argument("--app", metavar="MODULE:ATTR", help="an ASGI app to serve beside the loop")
    serve.add_argument(
        "--factory",
        action="store_true",
        help="--app names a function without arguments that returns the app",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address the app listens on")
    serve.add_argument("--port", type=int, default=8000, help="port the app listens on")
    serve.set_defaults(handler=serve_command)


def _store(parser: argparse.ArgumentParser, *, made: bool = False) -> None:
    """Add ``--store``: the local store ``init`` makes (*made*), the others open."""
    declare = add_output if made else add_input
    declare(parser, "--store", required=True, metavar="PATH", help="the local store's SQLite file")


def _credential(parser: argparse.ArgumentParser) -> None:
    add_input(
        parser,
        "--credential-file",
        metavar="FILE",
        help=f"the file holding the server's credential (default: ${CREDENTIAL_ENV})",
    )


def credential_of(args: argparse.Namespace, environ: dict[str, str] | None = None) -> str:
    """Return the credential of ``--credential-file`` or :data:`CREDENTIAL_ENV`.

    Raises:
        ConfigurationError: ``offline.cli.credential`` when neither gives one.
        InvalidInput: the file cannot be read (``cli.file.unreadable``).

    Implements SCH-8.
    """
    env = os.environ if environ is None else environ
    path: Path | None = args.credential_file
    if path is not None:
        text = read_input(path, _CREDENTIAL_LIMIT).decode("utf-8", errors="replace").strip()
    else:
        text = env.get(CREDENTIAL_ENV, "").strip()
    if not text:
        raise ConfigurationError("offline.cli.credential", field="--credential-file")
    return text


def _sqlite_url(store: Path) -> str:
    return f"sqlite:///{store.resolve()}"


def _stations(uow: Any) -> list[StationState]:
    from examkit.offline import STATIONS

    return list(uow.transaction.find(STATIONS, where={}, limit=2))


def init_command(args: argparse.Namespace) -> int:
    """Run ``examkit offline init --store PATH --server ID --central URL``.

    Implements SCH-8.
    """
    from examkit.backends.sql import SQLBackend
    from examkit.offline import StationState

    server, central = str(args.server), str(args.central).rstrip("/")
    if not _SERVER.fullmatch(server):
        raise InvalidInput("offline.cli.server", field="--server", value=server)
    if urlsplit(central).scheme not in {"http", "https"} or not urlsplit(central).hostname:
        raise InvalidInput("offline.cli.central", field="--central", value=central)
    store: Path = args.store  # not a folder, in a folder that exists: checked as an output
    backend = SQLBackend(_sqlite_url(store))
    try:
        with backend.begin() as uow:
            found = _stations(uow)
            if found and found[0].server != server:
                raise InvalidState("offline.station.other", stored=found[0].server, server=server)
            if found:
                state = uow.offline_stations.update(attrs.evolve(found[0], central_url=central))
            else:
                state = uow.offline_stations.add(StationState(server, central))
            uow.commit()
    finally:
        backend.close()
    print_json({"store": str(store), "server": state.server, "central_url": state.central_url})
    return EXIT_OK


class _NoMail:
    """The station's kit sends no e-mail (the room's screens need none): it says so on stderr."""

    def send(self, message: Message) -> None:
        sys.stderr.write(f"examkit: the offline server sends no e-mail ({message.kind})\n")


@contextmanager
def opened_station(args: argparse.Namespace) -> Iterator[OfflineStation]:
    """Open the station of ``--store`` with its credential; close it when done.

    Raises:
        InvalidInput: ``offline.cli.store`` for a store ``init`` did not make.
        ConfigurationError: no credential (``offline.cli.credential``).
    """
    from examkit import Settings
    from examkit.backends.sql import SQLBackend
    from examkit.offline import OfflineStation
    from examkit.randomness import SystemSecretSource

    store: Path = args.store
    if not store.is_file():
        raise InvalidInput("offline.cli.store", field="--store", path=str(store))
    credential = credential_of(args)
    backend = SQLBackend(_sqlite_url(store))
    try:
        with backend.begin(readonly=True) as uow:
            found = _stations(uow)
    finally:
        backend.close()
    if not found:
        raise InvalidInput("offline.cli.store", field="--store", path=str(store))
    station = OfflineStation.open(
        str(store.resolve()),
        server=found[0].server,
        central_url=found[0].central_url,
        credential=credential,
        # the sync's kit issues no token: a key of this process alone
        settings=Settings(
            token_key=SystemSecretSource().token_bytes(32), base_url="http://127.0.0.1"
        ),
        mailer=_NoMail(),
    )
    try:
        yield station
    finally:
        station.close()


def report_json(station: OfflineStation, report: SyncReport) -> dict[str, Any]:
    """Return the sync report as the command prints it (English snake_case keys).

    Implements SCH-8.
    """
    with station.store.begin(readonly=True) as uow:
        state = uow.offline_stations.get(station.server)
    status = station.status()
    return {
        "server": station.server,
        "central_url": station.central_url,
        "complete": report.complete,
        "error": report.error,
        "sent": report.sent,
        "received": report.received,
        "packages_verified": report.packages,
        "backlog": report.backlog,
        "up_queued": state.up_queued,
        "up_high_water": state.up_acknowledged,
        "down_high_water": state.down_high_water,
        "clock_offset_ms": report.clock_offset_ms,
        "new_conflicts": report.conflicts,
        "conflicts": [
            {"id": c.id, "kind": c.kind, "key": c.key, "seq": c.seq, "reason": c.reason}
            for c in status.conflicts
        ],
    }


def sync_command(args: argparse.Namespace) -> int:
    """Run ``examkit offline sync --store PATH``: one sync, its report on standard output.

    Exit 1 with the message on standard error when the sync stopped (the
    central system unreachable, or refusing), after printing the report.

    Implements SCH-8.
    """
    from examkit.messages import text

    with opened_station(args) as station:
        report = station.sync_once()
        print_json(report_json(station, report))
        if report.complete:
            return EXIT_OK
        lang = lang_of(args)
        if report.error == UNREACHABLE:
            message = text("offline.cli.unreachable", lang, url=station.central_url)
        else:
            message = text(report.error, lang)
        sys.stderr.write(f"examkit: {message}\n")
    return EXIT_UNREACHABLE


def load_app(reference: str) -> Any:
    """Return the ASGI app *reference* names (``module:attribute``).

    Raises:
        InvalidInput: ``offline.cli.app`` when it names nothing importable.

    Implements SCH-8.
    """
    import importlib

    module_name, _, attribute = reference.partition(":")
    if not module_name or not attribute:
        raise InvalidInput("offline.cli.app", field="--app", value=reference)
    try:
        found: Any = importlib.import_module(module_name)
        for part in attribute.split("."):
            found = getattr(found, part)
    except (ImportError, AttributeError):
        raise InvalidInput("offline.cli.app", field="--app", value=reference) from None
    return found


class _Stop:
    """SIGTERM and SIGINT set :attr:`event` (and, serving an app, stop uvicorn too)."""

    def __init__(self) -> None:
        self.event = threading.Event()
        self.server: Any = None

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        self.event.set()
        if self.server is not None:
            self.server.should_exit = True

    def install(self) -> None:
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self)


def serve_command(args: argparse.Namespace) -> int:
    """Run ``examkit offline serve --store PATH``: sync every ``--every`` until stopped.

    Implements SCH-7, SCH-8.
    """
    every = timedelta(seconds=parse_every(args.every))
    app = load_app(args.app) if args.app else None
    if app is not None and args.factory:
        app = app()
    stop = _Stop()
    stop.install()
    with opened_station(args) as station:
        seconds = every.total_seconds()
        sys.stderr.write(f"examkit: offline server {station.server}, sync every {seconds:g}s\n")
        if app is None:
            station.run(every, stop.event)
            return EXIT_OK
        import uvicorn

        loop = threading.Thread(
            target=station.run,
            args=(every, stop.event),
            name="examkit-offline-sync",
            daemon=True,
        )
        server = uvicorn.Server(
            uvicorn.Config(app, host=args.host, port=args.port, access_log=False, lifespan="auto")
        )
        stop.server = server
        loop.start()
        try:
            server.run()
        finally:
            stop.event.set()
            loop.join()
    return EXIT_OK
