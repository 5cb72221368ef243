"""The demo's offline exam day: a group run on the school's offline server without internet.

:func:`seed_offline_day` adds to a seeded demo kit (after
:func:`portal._demo_examday.seed_exam_day`, which registers the active
offline server *FAO lokaal 12*) a whole offline exam day (SCH-7, SCH-8):

1. centrally, the FAO administrator issues the server's credential, the
   service desk publishes the test's package and the planner plans an offline
   group for today on the server and hands it over;
2. the offline server (its own SQLite store, ``examkit-demo-fao.db``) syncs
   once in the morning: the group, its candidates, the proctor and the
   package arrive, and the package is verified;
3. then the school's internet link is down: the proctor releases the group
   on the offline server, the candidates sign in, answer and hand in (one
   with an incident in the report), the proctor closes the group; each sync
   tried meanwhile fails and says so;
4. after closing the link is back: one sync sends the whole day up, and the
   central group is no longer held.

The central portal's offline-server page then shows the server's last sync,
backlog and clock offset; the group's page its closed state and answers.
:func:`check_offline_day` compares both sides: central must hold exactly what
the offline server holds.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any, Final

import attrs
import httpx
from starlette.applications import Starlette
from starlette.routing import Mount

from examkit import Examkit, Settings
from examkit.backends.http import InProcessTransport
from examkit.offline import OfflineStation, SyncReport
from examkit.offline.http import SyncEndpoint
from examkit.ports import Mailer
from examkit.scheduling import AMSTERDAM, Incident, Mode
from portal._demo_examday import CORRECTOR, L00, PLANNER, PROCTOR
from portal._offline_packages import MEDIA_TYPE, package_of
from portal._test_content import DEMO_EXAM

SERVER_NAME: Final = "FAO lokaal 12"
"""The demo's offline server (registered and activated by the exam day's seed)."""
SYNC_PATH: Final = "/offline-sync"
"""Where the portal mounts the sync endpoint (:data:`portal._app.SYNC_PATH`)."""
PEOPLE: Final = (("Fenna", "Dijkstra"), ("Sietse", "Hoekstra"), ("Jelle", "Visser"))
"""The candidates the planner adds for the offline group: first and last name."""
ANSWERS: Final[dict[str, dict[str, Any]]] = {
    "Fenna": {"v1": {"chosen": ["B"]}, "v3": {"text": "Amsterdam"}, "v4": {"value": "0,8"}},
    "Sietse": {"v1": {"chosen": ["C"]}, "v2": {"chosen": ["A", "C"]}, "v3": {"text": "Utrecht"}},
    "Jelle": {"v1": {"chosen": ["B"]}, "v5": {"text": "Beste gemeente, de speelplaats ..."}},
}
"""What each candidate answers on the offline server (item -> response data)."""


class SchoolLink(httpx.BaseTransport):
    """The school's internet link to the central system: up, or cut (the demo cuts it).

    Args:
        inner: The transport that reaches the central sync endpoint.
    """

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.up = True
        """Whether the central system can be reached."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Pass *request* on while the link is up; else fail as a dead link does."""
        if not self.up:
            raise httpx.ConnectError("the school's internet link is down", request=request)
        return self.inner.handle_request(request)


@attrs.frozen
class OfflineDay:
    """What the offline exam day left: the server, the group, the store and the syncs."""

    server: str
    """The offline server's id."""
    group: str
    """The offline group's id."""
    store: Path
    """The offline server's SQLite store."""
    credential: str
    """The server's credential (a demo's: printed, so ``examkit offline sync`` can be tried
    against the running demo; a real one is shown once and kept on the server only)."""
    failed: tuple[SyncReport, ...]
    """The syncs tried while the link was down (each says why it stopped)."""
    last: SyncReport
    """The sync after closing."""


def _operator(kit: Examkit) -> str:
    with kit.backend.begin(readonly=True) as uow:
        (found, *_) = uow.authorizations.list(role="examkit.operator").items
    return found.account


def seed_offline_day(
    kit: Examkit, store: Path, *, origin: str, mailer: Mailer, token_key: bytes
) -> OfflineDay:
    """Run the whole offline exam day on a demo kit; the offline server's store at *store*.

    *origin* is the central portal's address (the server's configured
    central URL is it followed by :data:`SYNC_PATH`; in the demo the
    endpoint is reached in-process).
    """
    (server,) = (s for s in kit.offline_servers.servers(PLANNER, L00) if s.name == SERVER_NAME)
    credential = kit.offline_sync.issue_credential(PLANNER, server.id)
    content = package_of(DEMO_EXAM.code)
    assert content is not None  # noqa: S101 - the portal ships the demo test's package
    kit.exam_packages.publish(_operator(kit), DEMO_EXAM.code, content, MEDIA_TYPE)
    people = [
        kit.candidates.add_candidate(PLANNER, location=L00, first_name=first, last_name=last)
        for first, last in PEOPLE
    ]
    now = kit.clock.now()
    midnight = datetime.combine(now.astimezone(AMSTERDAM).date(), time(0, 0), tzinfo=AMSTERDAM)
    group = kit.planning.plan(
        PLANNER,
        location=L00,
        exam=DEMO_EXAM.code,
        mode=Mode.OFFLINE,
        offline_server=server.id,
        starts_at=max(now.replace(second=0, microsecond=0) - timedelta(minutes=5), midnight),
        room="Lokaal 12",
        proctor=PROCTOR,
        candidates=[person.id for person in people],
        first_corrector=CORRECTOR,
    )
    kit.offline_sync.hand_over(PLANNER, group.id)
    store.unlink(missing_ok=True)
    # the central portal's sync endpoint where the portal mounts it, reached in-process
    central = Starlette(routes=[Mount(SYNC_PATH, app=SyncEndpoint(kit))])
    link = SchoolLink(InProcessTransport(central))
    station = OfflineStation.open(
        str(store),
        server=server.id,
        central_url=origin + SYNC_PATH,
        credential=credential,
        settings=Settings(token_key=token_key, base_url=origin),
        mailer=mailer,
        transport=link,
        retries=0,
    )
    try:
        morning = station.sync_once()
        assert morning.complete, morning.error  # noqa: S101 - the demo's own link is up
        link.up = False
        failed = [station.sync_once()]
        _room_day(station.kit, group.id, [person.id for person in people])
        failed.append(station.sync_once())
        link.up = True
        last = station.sync_once()
    finally:
        station.close()
    return OfflineDay(server.id, group.id, store, credential, tuple(failed), last)


def _room_day(kit: Examkit, group: str, candidates: list[str]) -> None:
    """The day in the room, on the offline server's kit: release, answers, hand-ins, close."""
    code = kit.group_lifecycle.release(PROCTOR, group).access_code
    assert code is not None  # noqa: S101 - a release draws the code
    for person_id in candidates:
        person = kit.candidates.candidate(person_id)
        session = kit.sitting.sign_in(person.login_name, code)
        for sequence, (item, value) in enumerate(ANSWERS[person.first_name].items(), 1):
            kit.sitting.save_response(
                group, person_id, item, value, sequence=sequence, key=session.key
            )
        kit.sitting.submit(group, person_id, key=session.key)
    kit.session_reports.write_report(
        PROCTOR,
        group,
        incidents=[
            Incident(
                at=kit.clock.now(),
                text="Internet viel om 9.10 uit; de afname liep door op de FAO.",
            )
        ],
    )
    kit.session_reports.write_report(
        PROCTOR, group, notes="Rustig verlopen, zonder internet.", completed=True
    )
    kit.group_lifecycle.close(PROCTOR, group)


def check_offline_day(central: Examkit, store: Path, group: str) -> list[str]:
    """Return how central and the offline server differ about *group* (empty: they agree).

    Compared: the group's state, access code, log and session report, and per
    candidate the attempt's state, times, log and every response.
    """
    from examkit.backends.sql import SQLBackend
    from examkit.converter import unstructure

    def facts(uow: Any) -> dict[str, Any]:
        found = uow.session_groups.get(group)
        attempts = {
            attempt.candidate: unstructure(attrs.evolve(attempt, version=0, last_contact=None))
            for attempt in uow.test_attempts.list_for_group(group)
        }
        room = {
            "state": found.state.value,
            "access_code": found.access_code,
            "log": unstructure(found.log),
            "report": unstructure(found.report),
        }
        return {"group": room, "attempts": attempts}

    with central.backend.begin(readonly=True) as uow:
        there = facts(uow)
        held = uow.session_groups.get(group).held_by
    local = SQLBackend(f"sqlite:///{store}")
    try:
        with local.begin(readonly=True) as uow:
            here = facts(uow)
    finally:
        local.close()
    differences = [
        f"{part} {key}: central {there[part].get(key)!r} != offline {here[part].get(key)!r}"
        for part in ("group", "attempts")
        for key in sorted(set(there[part]) | set(here[part]))
        if there[part].get(key) != here[part].get(key)
    ]
    if held is not None:
        differences.append(f"the group is still held by {held}")
    return differences
