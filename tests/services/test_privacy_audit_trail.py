# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The audit trail of an administrator's locations (``kit.privacy_audit``).

On the production wiring (the kit's own audit store) over memory, an SQLite
file and PostgreSQL: an administrator reads the events about the locations
they administer (a location, a candidate or group there, an account that
works there, a pupil of it, an offline server there, an event naming it),
filtered by location, subject, action and time, paged; never another
location's, and nobody without the right reads at all.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from examkit import Examkit
from examkit.accounts import Account, LoginName
from examkit.audit import AuditEvent
from examkit.errors import InvalidInput, NotPermitted
from examkit.identifiers import Brin, LocationCode
from examkit.permissions import Authorization, Grant
from examkit.privacy import AuditEntry
from examkit.records import Backend
from examkit.storage import Page
from examkit.testing import ManualClock
from examkit.testing.sessions import START, add_candidates, make_session_kit, plan_group

L00, L01 = LocationCode("22AB00"), LocationCode("22AB01")
T0 = START - timedelta(days=1)


@pytest.fixture
def world(backend: Backend) -> tuple[Examkit, dict[str, str]]:
    """The session world (its administrator at 22AB00), an administrator of 22AB01 only,
    and an event about each kind of subject, at one minute after another from T0.

    Returns the kit and the subjects by name.
    """
    kit = make_session_kit(ManualClock(T0), backend=backend)
    with kit.backend.begin() as uow:
        for account in ("admin01", "both"):
            uow.accounts.add(
                Account(
                    id=account,
                    login_name=LoginName(f"22AB.{account}.x"),
                    first_name="Kim",
                    last_name="Beheerder",
                    email=f"{account}@school.nl",
                    institutions=frozenset({Brin("22AB")}),
                )
            )
        uow.authorizations.add(
            Authorization(
                account="admin01",
                grants=[Grant.of("cito_lvs.administrator", [L01], granted_at=T0)],
            )
        )
        uow.authorizations.add(
            Authorization(
                account="both",
                grants=[Grant.of("facet.administrator", [L00, L01], granted_at=T0)],
            )
        )
        uow.commit()
    at00 = add_candidates(kit, 1)[0]
    at01 = kit.candidates.add_candidate(
        "elsewhere", location=L01, first_name="Sem", last_name="Bakker"
    )
    group = plan_group(kit, [at00])
    server = kit.offline_servers.add_server(
        "fao", location=L00, name="FAO 1", address="fao1.school.nl"
    )
    subjects = {
        "location00": "location:22AB00",
        "location01": "location:22AB01",
        "other_school": "location:33CD00",
        "candidate00": f"candidate:{at00.id}",
        "candidate01": f"candidate:{at01.id}",
        "group": f"session_group:{group}",
        "attempt": f"attempt:{group}:{at00.id}",
        "server": f"offline_server:{server.id}",
        "pupil01": "pupil:22AB01/P0042",
        "planner": "account:planner",
        "elsewhere": "account:elsewhere",
        "institution": "institution:22AB",
        "named01": "application:a1",
        "gone": "candidate:erased",
    }
    with kit.backend.begin() as uow:
        for minute, (name, subject) in enumerate(subjects.items()):
            uow.audit.append(
                AuditEvent(
                    at=T0 + timedelta(minutes=minute),
                    actor="someone",
                    action=f"test.{name}",
                    subject=subject,
                    details={"location": "22AB01"} if name == "named01" else {},
                )
            )
        uow.commit()
    return kit, subjects


def read_all(kit: Examkit, actor: str, **filters: object) -> list[AuditEntry]:
    """Return every entry *actor* reads with *filters* (page by page, three at a time)."""
    found: list[AuditEntry] = []
    after: str | None = None
    while True:
        page: Page[AuditEntry] = kit.privacy_audit.list_at(
            actor,
            since=T0,
            until=T0 + timedelta(hours=1),
            after=after,
            limit=3,
            **filters,  # type: ignore[arg-type]
        )
        assert len(page.items) <= 3
        found.extend(page.items)
        if page.next_after is None:
            return found
        after = page.next_after


@pytest.mark.req("PRIV-2")
def test_an_administrator_reads_the_events_about_their_locations_only(
    world: tuple[Examkit, dict[str, str]],
) -> None:
    kit, subjects = world
    seen = {
        entry.event.action: entry.locations
        for entry in read_all(kit, "administrator", action="test")
    }
    assert {
        "test.location00": ("22AB00",),
        "test.candidate00": ("22AB00",),
        "test.group": ("22AB00",),
        "test.attempt": ("22AB00",),
        "test.server": ("22AB00",),
        "test.planner": ("22AB00",),
    } == seen
    at01 = {entry.event.action for entry in read_all(kit, "admin01", action="test")}
    assert {
        "test.location01",
        "test.candidate01",
        "test.pupil01",
        "test.elsewhere",
        "test.named01",
    } == at01
    assert subjects["gone"] not in {e.event.subject for e in read_all(kit, "administrator")}


@pytest.mark.req("PRIV-2")
def test_the_filters_narrow_the_listing(world: tuple[Examkit, dict[str, str]]) -> None:
    kit, subjects = world
    by_subject = read_all(kit, "administrator", subject=subjects["group"])
    assert ["sessions.group.planned", "test.group"] == [e.event.action for e in by_subject]
    by_action = read_all(kit, "administrator", action="test.server")
    assert ["test.server"] == [entry.event.action for entry in by_action]
    assert [] == read_all(kit, "administrator", action="test.serv")
    late = kit.privacy_audit.list_at(
        "administrator", since=T0 + timedelta(minutes=4), until=T0 + timedelta(minutes=7)
    )
    assert ["test.group", "test.attempt"] == [entry.event.action for entry in late.items]
    only01 = read_all(kit, "both", locations=[L01], action="test")
    assert [
        "test.location01",
        "test.candidate01",
        "test.pupil01",
        "test.elsewhere",
        "test.named01",
    ] == [entry.event.action for entry in only01]
    assert {("22AB01",)} == {entry.locations for entry in only01}
    both = read_all(kit, "both", action="test.planner")
    assert [("22AB00",)] == [entry.locations for entry in both]


@pytest.mark.req("PRIV-2", "WEB-2")
def test_nobody_reads_another_locations_trail(world: tuple[Examkit, dict[str, str]]) -> None:
    kit, _ = world
    assert (L00,) == kit.privacy_audit.administered("administrator")
    assert () == kit.privacy_audit.administered("planner")
    for actor, locations in [
        ("administrator", [L01]),
        ("administrator", [L00, L01]),
        ("administrator", []),
        ("planner", None),
        ("unknown", None),
    ]:
        with pytest.raises(NotPermitted) as refused:
            kit.privacy_audit.list_at(actor, locations=locations)
        assert "permission.denied" == refused.value.code
    with kit.backend.begin(readonly=True) as uow:
        denied = [
            e.outcome
            for e in uow.audit.list(subject="account:planner").items
            if e.action == "privacy.audit.read"
        ]
    assert ["denied"] == denied
    with pytest.raises(InvalidInput):
        kit.privacy_audit.list_at("administrator", limit=0)


@pytest.mark.req("PRIV-2")
def test_a_page_and_the_locations_administered_are_read_at_once(
    world: tuple[Examkit, dict[str, str]],
) -> None:
    kit, subjects = world
    filters = {"since": T0, "until": T0 + timedelta(hours=1), "limit": 3}
    browsed = kit.privacy_audit.browse("both", action="test", **filters)  # type: ignore[arg-type]
    assert (L00, L01) == browsed.administered
    assert kit.privacy_audit.list_at("both", action="test", **filters) == browsed.entries  # type: ignore[arg-type]
    assert ["test.location00", "test.location01", "test.candidate00"] == [
        entry.event.action for entry in browsed.entries.items
    ]
    after = browsed.entries.next_after
    assert after is not None
    following = kit.privacy_audit.browse(
        "administrator", subject=subjects["group"], after=None, limit=1
    )
    assert ((L00,), 1) == (following.administered, len(following.entries.items))
    with pytest.raises(NotPermitted) as refused:
        kit.privacy_audit.browse("administrator", locations=[L01])
    assert "permission.denied" == refused.value.code
