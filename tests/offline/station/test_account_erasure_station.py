"""An erased account reaches the offline server that was sent it, all of it (PRIV-3, SCH-8).

A real central system (an SQLite file) and a real offline server (another
SQLite file) linked through the sync endpoint: the proctor's account goes
down with the group; on the offline server the proctor signs in (a wrong
password first, then the e-mailed code, a trusted browser, a web session),
signs in to the monitor, runs the group, asks for a reset link and mistypes
the password until the name is blocked; the group comes back. The central system erases the
proctor's account; the offline server syncs down. Its file, checkpointed
and vacuumed, then holds none of the account's identifying values, and its
trail names the account by the central system's pseudonym.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest
from tests.offline.station.linked import (
    CrashPoints,
    Linked,
    file_text,
    held,
    interrupted_then_healed,
    linked,
    pseudonym_of,
)

from examkit import Examkit
from examkit.accounts import LoginName
from examkit.auth import Step
from examkit.backends.sql import SQLBackend
from examkit.errors import ExamkitError, InvalidInput, LimitReached, NotPermitted
from examkit.offline import AccountErasure, WireEntry, apply_down, entry_digest
from examkit.passwords import PRESETS, change_password
from examkit.privacy import ErasureReport, PersonRef, PrivacyErasure, PrivacySettings
from examkit.scheduling import Incident
from examkit.testing import RecordingMailer
from examkit.testing.sessions import START
from examkit.websessions import SessionScope

pytestmark = pytest.mark.req("PRIV-3", "SCH-8")

KEY = b"pseudonym-key-of-the-test-portal"
PRIVACY = PrivacySettings(pseudonym_key=KEY, pseudonym_key_id="k7")
PROCTOR = "proctor"
"""The proctor's account id: it stays where it names the staff member who acted."""
LOGIN, FIRST, LAST = "22AB.P.Quaxworth", "Ptolemaeus", "Quaxworth"
EMAIL, PHONE, IP = "ptolemaeus.quaxworth@school.nl", "+31 6 4711 0815", "198.51.100.47"
"""The proctor's identifying values, and the address they work from: nowhere else."""
PASSWORD = "Gletsjer-Kompas-93!"
STORED = (
    "accounts",
    "authorizations",
    "signins",
    "trusted_browsers",
    "web_sessions",
    "outbox",
    "session_groups",
    "sync_queue",
    "sync_inbox",
    "sync_applied_keys",
    "sync_conflicts",
)
"""The offline server's records an account's erasure may change."""
_CODE = re.compile(r"\b(\d{6})\b")


def pseudonym(account: str) -> str:
    """The pseudonym as PRIV-3 defines it, computed here on its own: HMAC-SHA256 of the label."""
    return pseudonym_of(KEY, "k7", f"account:{account}")


def identifying(text: str) -> list[str]:
    """The proctor's identifying values found in *text* (the login name also as counted)."""
    values = (LOGIN, LOGIN.casefold(), FIRST, LAST, EMAIL, PHONE, IP)
    return [value for value in values if value in text]


def _name_the_proctor(central: Examkit) -> None:
    """Give the proctor this test's names, addresses and a chosen password."""
    with central.backend.begin() as uow:
        found = uow.accounts.get(PROCTOR)
        named = attrs.evolve(
            found, login_name=LoginName(LOGIN), first_name=FIRST, last_name=LAST, email=EMAIL
        )
        named = attrs.evolve(named, phone=PHONE)
        chosen = change_password(
            named, PASSWORD, policy=PRESETS["facet"], hasher=central.hasher, now=central.clock.now()
        )
        uow.accounts.update(chosen)
        uow.commit()


@attrs.define
class Day:
    """A linked central system and offline server, and the erasure of the proctor."""

    linked: Linked
    central_file: Path
    station_file: Path
    erasure: PrivacyErasure

    def erase(self) -> ErasureReport:
        return self.erasure.erase("operator", PersonRef.account(PROCTOR))


@pytest.fixture
def make_day(sqlite_url: str, tmp_path: Path) -> Iterator[Callable[..., Day]]:
    """Make the central system on an SQLite file and its offline server on another, synced."""
    backends: list[SQLBackend] = []
    contexts: list[Any] = []

    def make(crash: Any = None) -> Day:
        backend = SQLBackend(sqlite_url, migrate=False)
        backends.append(backend)
        context = linked(backend, tmp_path, crash=crash)
        contexts.append(context)
        made = context.__enter__()
        _name_the_proctor(made.central)
        made.central.offline_sync.hand_over("planner", made.group)  # the account goes down again
        assert "" == made.station.sync_once().error
        return Day(
            made,
            Path(sqlite_url.removeprefix("sqlite:///")),
            tmp_path / "fao" / "station.db",
            PrivacyErasure(made.central.ports, PRIVACY),
        )

    try:
        yield make
    finally:
        for context in contexts:
            context.__exit__(None, None, None)
        for backend in backends:
            backend.close()


def proctor_day(day: Linked, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """The proctor's exam day on the offline server, the link down.

    Returns the sign-in left at its code: its transaction and the code mailed.
    """
    kit, clock = day.station.kit, day.clock
    mailer = kit.mailer
    assert isinstance(mailer, RecordingMailer)
    day.link.up = False
    clock.set(START - timedelta(minutes=30))
    with pytest.raises(NotPermitted):
        kit.staff_sign_in.submit_credentials(LOGIN, "Verkeerd-wachtwoord-1", ip=IP)
    progress = kit.staff_sign_in.submit_credentials(LOGIN, PASSWORD, ip=IP)
    assert progress.step is Step.SECOND_FACTOR
    found = _CODE.search(mailer.last("auth.otp").body)
    assert found is not None
    signed = kit.staff_sign_in.submit_code(
        progress.transaction, found.group(1), ip=IP, trust_browser=True
    )
    assert (signed.step, bool(signed.browser_token)) == (Step.SIGNED_IN, True)
    kit.web_sessions.start(PROCTOR)
    kit.sign_in_monitor.monitor_sign_in(LOGIN, PASSWORD, ip=IP)
    kit.web_sessions.start(PROCTOR, scope=SessionScope.MONITOR)
    clock.set(START - timedelta(minutes=15))
    code = kit.group_lifecycle.release(PROCTOR, day.group).access_code
    assert code is not None
    clock.set(START)
    attempts = kit.planning.attempts(day.group)
    keys = {a.candidate: kit.sitting.sign_in(a.login_name, code).key for a in attempts}
    first = attempts[0].candidate
    kit.proctoring.intervene(PROCTOR, day.group, first, "pause", reason="Toilet")
    kit.proctoring.intervene(PROCTOR, day.group, first, "resume")
    clock.set(START + timedelta(minutes=151))
    for person, key in keys.items():
        kit.sitting.submit(day.group, person, key=key)
    kit.session_reports.write_report(
        PROCTOR,
        day.group,
        started_at=START,
        ended_at=clock.now(),
        notes="Rustig verlopen.",
        incidents=[Incident(at=START + timedelta(minutes=20), text="Pauze.", candidate=first)],
        completed=True,
    )
    kit.group_lifecycle.close(PROCTOR, day.group)

    def unreachable(message: object) -> None:
        raise ConnectionError("the school's mail server is out of reach")

    monkeypatch.setattr(mailer, "send", unreachable)
    kit.password_reset.request_reset(LOGIN, ip=IP)  # forgotten: the link's mail waits
    monkeypatch.undo()
    pending = kit.staff_sign_in.submit_credentials(LOGIN, PASSWORD, ip=IP)  # left at its code
    assert pending.step is Step.SECOND_FACTOR
    found = _CODE.search(mailer.last("auth.otp").body)
    assert found is not None
    for _ in range(kit.sign_in_monitor.rules.max_failures):  # tries counted under the name
        with pytest.raises(NotPermitted):
            kit.sign_in_monitor.monitor_sign_in(LOGIN, "Nog-een-keer-fout-2", ip=IP)
    with pytest.raises(LimitReached):  # blocked: audited under the name as it was typed
        kit.sign_in_monitor.monitor_sign_in(LOGIN, PASSWORD, ip=IP)
    day.link.up = True
    return pending.transaction, found.group(1)


def _own(records: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """The account's own records among *records*."""
    return {
        "accounts": [a for a in records["accounts"] if a.id == PROCTOR],
        "authorizations": [a for a in records["authorizations"] if a.account == PROCTOR],
        **{
            name: [r for r in records[name] if r.account_id == PROCTOR]
            for name in ("signins", "trusted_browsers", "web_sessions")
        },
        "outbox": [m for m in records["outbox"] if EMAIL in m.to],
    }


def test_an_erased_account_is_erased_on_the_station_its_sign_ins_and_its_trail(
    make_day: Callable[..., Day], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Gone from every byte of the station's file; its trail names it by central's pseudonym."""
    day = make_day()
    station, link = day.linked.station, day.linked
    transaction, code = proctor_day(link, monkeypatch)
    up = station.sync_once()
    assert ("", 0) == (up.error, up.backlog)
    records, trail = held(station.store, STORED)
    own = _own(records)
    assert all(own.values()), {name: len(items) for name, items in own.items()}
    assert {s.scope for s in own["web_sessions"]} == {SessionScope.PORTAL, SessionScope.MONITOR}

    report = day.erase()
    assert (report.offline, report.pseudonym) == (3, pseudonym(PROCTOR))  # erasure, account, grants
    synced = station.sync_once()
    assert ("", 3, 0) == (synced.error, synced.received, synced.conflicts)
    records, after = held(station.store, STORED)
    assert not any(_own(records).values())
    assert len(after) == len(trail)  # the trail keeps every event
    named = [e for e in after if report.pseudonym in (e.actor, e.subject)]
    assert {
        "auth.sign_in",
        "auth.monitor.sign_in",
        "websessions.session.started",
        "sessions.group.release",
        "sessions.attempt.pause",
        "auth.reset.requested",
    } <= {e.action for e in named}
    assert not [e for e in after if PROCTOR in (e.actor, e.subject) or identifying(repr(e))]
    assert not [e for e in after if f"account:{PROCTOR}" in (e.actor, e.subject)]
    _, central_trail = held(link.central.backend, STORED)  # the same pseudonym on both sides
    assert report.pseudonym in {e.subject for e in central_trail}
    assert not [e for e in central_trail if identifying(repr(e))]
    (group,) = records["session_groups"]  # the room's records keep the id, as centrally
    assert PROCTOR == group.proctor == link.central.planning.group(link.group).proctor
    assert PROCTOR in {entry.actor for entry in group.log}

    again = day.erase()  # a second erasure changes nothing, here or there
    assert (again.changed, again.offline) == (False, 0)
    quiet = station.sync_once()
    assert (0, "") == (quiet.received, quiet.error)
    assert (records, after) == held(station.store, STORED)
    with pytest.raises(ExamkitError):  # the sign-in left at its code is gone
        station.kit.staff_sign_in.submit_code(transaction, code, ip=IP)

    station.close()
    link.central.backend.close()
    assert [] == identifying(file_text(day.station_file))
    assert [] == identifying(file_text(day.central_file))


@pytest.mark.parametrize(
    "point", ["offline.down.after_reply", "offline.down.before_commit", "link"]
)
def test_a_sync_killed_midway_through_the_account_erasure_heals_on_the_next(
    make_day: Callable[..., Day], point: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed after the reply, before the commit, or the link cut: nothing half done; it heals."""
    crashes = CrashPoints()
    day = make_day(crashes)
    station, link = day.linked.station, day.linked
    proctor_day(link, monkeypatch)
    assert "" == station.sync_once().error
    day.erase()
    healed = interrupted_then_healed(link, crashes, point, STORED)
    assert ("", 3) == (healed.error, healed.received)
    records, _ = held(station.store, STORED)
    assert not any(_own(records).values())
    inbox = sorted(e.seq for e in records["sync_inbox"])
    assert inbox == list(range(1, len(inbox) + 1))  # each down entry applied once
    assert 0 == station.sync_once().received
    station.close()
    assert [] == identifying(file_text(day.station_file))


def test_an_account_erasure_entry_that_is_no_erasure_applies_nothing(
    make_day: Callable[..., Day],
) -> None:
    """A body naming the login name, a missing key, a revision not 1: offline.entry.body."""
    day = make_day()
    station, link = day.linked.station, day.linked
    with station.store.begin(readonly=True) as uow:
        high = uow.offline_stations.get(link.server).down_high_water
    good = AccountErasure(PROCTOR, pseudonym(PROCTOR)).body()
    for body, revision in (
        ({**good, "pseudonym": LOGIN}, 1),
        ({"pseudonym": good["pseudonym"]}, 1),
        (good, 2),
    ):
        entry = WireEntry(
            high + 1,
            "account_erasure",
            PROCTOR,
            revision,
            body,
            entry_digest("account_erasure", PROCTOR, revision, body),
        )
        with pytest.raises(InvalidInput) as refused:
            apply_down(station.store, link.server, [entry], now=link.clock.now())
        assert "offline.entry.body" == refused.value.code
    with station.store.begin(readonly=True) as uow:
        assert high == uow.offline_stations.get(link.server).down_high_water
        assert FIRST == uow.accounts.get(PROCTOR).first_name
