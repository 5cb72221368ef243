# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""One kit shared by the threads of a threaded web server (issue 22, point 5).

A portal builds one :class:`~examkit.Examkit` per process and calls it from
every request's thread. Here the standard library's ``ThreadingHTTPServer``
serves a tiny portal over one kit (the production wiring: its own audit log,
on an SQLite file and on memory), and client threads send requests at once:
adding users (each under its own login name, and many under one), and
reading them back. Every user added is stored once with its audit event and
its e-mail; of the racers for one login name exactly one wins and the
others get a clear refusal; no request fails otherwise.
"""

from __future__ import annotations

import http.client
import json
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from tests.school import L00, add_school

from examkit import Examkit, Settings
from examkit.accounts import LoginName
from examkit.errors import AlreadyExists, ExamkitError
from examkit.records import Backend
from examkit.testing import ManualClock, RecordingMailer, SequenceSecretSource, cheap_hasher

CLIENTS = 6
PER_CLIENT = 8


@pytest.fixture(params=["memory", "sqlite"])
def backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    if request.param == "memory":
        from examkit.backends.memory import MemoryBackend

        yield MemoryBackend()
        return
    from examkit.backends.sql import SQLBackend

    sql = SQLBackend(request.getfixturevalue("sqlite_url"), migrate=False)
    try:
        yield sql
    finally:
        sql.close()


def shared_kit(backend: Backend) -> Examkit:
    """The production wiring (the kit's own audit log), with an administrator at 22AB00."""
    kit = Examkit(
        backend=backend,
        mailer=RecordingMailer(),
        settings=Settings(token_key=b"k" * 32, base_url="https://portal.example.nl"),
        clock=ManualClock.at("2026-09-01T08:00:00+00:00"),
        secrets=SequenceSecretSource("threads"),
        hasher=cheap_hasher("threads"),
    )
    add_school(kit)
    return kit


class Portal(BaseHTTPRequestHandler):
    """POST /users adds a Facet user; GET /users/<login> reads one back. JSON in, JSON out."""

    kit: Examkit

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        try:
            account = self.kit.users.add_user(
                "admin",
                application="facet",
                at=L00,
                login_name=body["login"],
                first_name="Piet",
                last_name="Planner",
                email=f"{body['login'].lower()}@school.nl",
            )
        except AlreadyExists as error:
            self._answer(409, {"code": error.code})
        except ExamkitError as error:
            self._answer(422, {"code": error.code})
        else:
            self._answer(201, {"id": account.id})

    def do_GET(self) -> None:
        login = self.path.rsplit("/", 1)[-1]
        with self.kit.backend.begin(readonly=True) as uow:
            found = uow.accounts.get_by_login_name(LoginName(login))
        self._answer(200, {"id": found.id})

    def _answer(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


def call(port: int, method: str, path: str, body: dict[str, str] | None = None) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        data = None if body is None else json.dumps(body).encode()
        connection.request(method, path, body=data, headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


@pytest.mark.req("WEB-1", "PLAT-2")
def test_one_kit_serves_a_threaded_server_without_losing_or_doubling_anything(
    backend: Backend,
) -> None:
    kit = shared_kit(backend)
    assert isinstance(kit.mailer, RecordingMailer)
    mails_before = len(kit.mailer.outbox)
    handler = type("BoundPortal", (Portal,), {"kit": kit})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    port = server.server_address[1]
    logins = [f"22AB.T{client}U{n}" for client in range(CLIENTS) for n in range(PER_CLIENT)]
    try:
        with ThreadPoolExecutor(max_workers=CLIENTS * 2) as pool:

            def add(login: str) -> int:
                return call(port, "POST", "/users", {"login": login})

            added = list(pool.map(add, logins))
            racers = list(pool.map(add, ["22AB.Z.Zelfde"] * (CLIENTS * 2)))
            read = list(pool.map(lambda login: call(port, "GET", f"/users/{login}"), logins))
    finally:
        server.shutdown()
        server.server_close()
    assert [201] * len(logins) == added
    assert {201: 1, 409: CLIENTS * 2 - 1} == dict(Counter(racers))
    assert [200] * len(logins) == read
    with kit.backend.begin(readonly=True) as uow:
        stored = {
            str(uow.accounts.get_by_login_name(LoginName(login)).login_name) for login in logins
        }
        events = uow.audit.list(limit=1000).items
    assert {str(LoginName(login)) for login in logins} == stored
    added_events = Counter(event.outcome for event in events if event.action == "roles.user.added")
    assert {"success": len(logins) + 1, "failure": CLIENTS * 2 - 1} == dict(added_events)
    assert len(logins) + 1 == len(kit.mailer.outbox) - mails_before
