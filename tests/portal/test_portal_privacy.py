# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The administrator's privacy pages over HTTP (issue 27, point 7): the audit log.

The audit log (``/audit-log``) shows a Facet or Cito administrator the
events about the locations they administer, filtered by location, subject,
action and date, a page at a time; another school's events never, another
school's location is refused, and a user without the right has neither the
page nor its link. Who may reach which route is written out by hand below.
"""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
import pytest
from tests.portal.conftest import enter_as
from tests.school import ADMIN, L00

import portal._privacy
from examkit import Examkit
from examkit.accounts import Account, LoginName
from examkit.audit import AuditEvent
from examkit.identifiers import Brin, LocationCode
from examkit.testing.conformance import make_institution

pytestmark = pytest.mark.anyio

OTHER = LocationCode("33CD00")

AUDIT_READERS = ("facet.privacy.audit", "cito_lvs.privacy.audit")
ACCESS = {
    ("GET", "/audit-log"): ("allowed", AUDIT_READERS),
}


def operator_of(kit: Examkit) -> str:
    with kit.backend.begin(readonly=True) as uow:
        (found,) = uow.authorizations.list(role="examkit.operator").items
    return found.account


def add_user(kit: Examkit, by: str, location: LocationCode, login: str) -> str:
    first, last = login.split(".")[1:3]
    return kit.users.add_user(
        by,
        application="facet",
        at=location,
        login_name=login,
        first_name=first,
        last_name=last,
        email=f"{last.lower()}@school.nl",
    ).id


@pytest.fixture
def school(kit: Examkit) -> dict[str, str]:
    """22AB (its administrator at 22AB00, a planner added there) and 33CD with its own
    administrator, who added a user there; returns the accounts by name."""
    kit.institutions.register(make_institution("33CD"))
    with kit.backend.begin() as uow:
        uow.accounts.add(
            Account(
                id="other",
                login_name=LoginName("33CD.O.Beheerder"),
                first_name="Olga",
                last_name="Beheerder",
                email="other@school.nl",
                institutions=frozenset({Brin("33CD")}),
            )
        )
        uow.commit()
    kit.grants.grant_administrator(operator_of(kit), "other", at=[OTHER])
    planner = add_user(kit, ADMIN, L00, "22AB.P.Planner")
    kit.grants.grant_role(ADMIN, planner, "facet.planner", at=[L00])
    stranger = add_user(kit, "other", OTHER, "33CD.V.Vreemd")
    return {"planner": planner, "stranger": stranger}


def subjects_on(html: str) -> list[str]:
    """Return the subjects of the rows of an audit-log page, in order."""
    return re.findall(r'<td><a href="/audit-log\?[^"]*"[^>]*>([^<]+)</a></td>', html)


@pytest.mark.req("PRIV-2", "WEB-1")
async def test_the_administrator_reads_the_events_of_their_locations_only(
    client: httpx.AsyncClient, kit: Examkit, school: dict[str, str]
) -> None:
    enter_as(client, kit, ADMIN)
    home = await client.get("/")
    assert 'href="/audit-log"' in home.text
    page = await client.get("/audit-log")
    assert 200 == page.status_code
    assert "<h1>Auditlog</h1>" in page.text
    shown = subjects_on(page.text)
    assert f"account:{school['planner']}" in shown
    assert f"account:{school['stranger']}" not in shown
    assert "account:other" not in shown
    assert "roles.grant" in page.text
    english = await client.get("/audit-log?lang=en")
    assert "<h1>Audit log</h1>" in english.text


@pytest.mark.req("PRIV-2", "WEB-2")
async def test_nobody_else_has_the_page_or_its_link(
    client: httpx.AsyncClient, kit: Examkit, school: dict[str, str]
) -> None:
    enter_as(client, kit, school["planner"])
    assert 'href="/audit-log"' not in (await client.get("/")).text
    refused = await client.get("/audit-log")
    assert 403 == refused.status_code
    assert "account:" not in refused.text


@pytest.mark.req("PRIV-2", "WEB-2")
async def test_another_school_s_location_is_refused_and_its_events_never_shown(
    client: httpx.AsyncClient, kit: Examkit, school: dict[str, str]
) -> None:
    enter_as(client, kit, ADMIN)
    for location in ("33CD00", "22AB01"):
        refused = await client.get(f"/audit-log?location={location}")
        assert 403 == refused.status_code
        assert school["stranger"] not in refused.text
    assert 422 == (await client.get("/audit-log?location=nonsense")).status_code
    by_subject = await client.get(f"/audit-log?subject=account:{school['stranger']}")
    assert [] == subjects_on(by_subject.text)
    enter_as(client, kit, "other")
    theirs = subjects_on((await client.get("/audit-log")).text)
    assert f"account:{school['stranger']}" in theirs
    assert f"account:{school['planner']}" not in theirs


@pytest.mark.req("PRIV-2")
async def test_the_filters_and_the_pages(
    client: httpx.AsyncClient, kit: Examkit, school: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    planner = f"account:{school['planner']}"
    now = kit.clock.now()
    with kit.backend.begin() as uow:
        for day in range(1, 4):
            uow.audit.append(
                AuditEvent(
                    at=now + timedelta(days=day),
                    actor=ADMIN,
                    action="privacy.test.later",
                    subject=planner,
                    details={"day": str(day)},
                )
            )
        uow.commit()
    enter_as(client, kit, ADMIN)
    by_subject = subjects_on((await client.get(f"/audit-log?subject={planner}")).text)
    assert by_subject
    assert {planner} == set(by_subject)
    by_action = await client.get("/audit-log?action=privacy.test")
    assert [planner] * 3 == subjects_on(by_action.text)
    # 2026-09-01 is the kit's day; the three later events fall on 2, 3 and 4 September.
    one_day = await client.get("/audit-log?action=privacy&from=2026-09-03&to=2026-09-03")
    assert ["day: 2"] == re.findall(r"day: \d", one_day.text)
    assert 400 == (await client.get("/audit-log?from=3-9-2026")).status_code
    backwards = await client.get("/audit-log?from=2026-09-04&to=2026-09-03")
    assert 400 == backwards.status_code
    assert "De laatste dag ligt voor de eerste." in backwards.text

    monkeypatch.setattr(portal._privacy, "PAGE_SIZE", 2)
    first = await client.get("/audit-log?action=privacy.test")
    assert ["day: 1", "day: 2"] == re.findall(r"day: \d", first.text)
    more = re.search(r'<a href="([^"]+)">Volgende pagina</a>', first.text)
    assert more is not None
    second = await client.get(more.group(1).replace("&amp;", "&"))
    assert ["day: 3"] == re.findall(r"day: \d", second.text)
    assert "Volgende pagina" not in second.text
    assert "Eerste pagina" in second.text
