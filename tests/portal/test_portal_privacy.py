# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The administrator's privacy pages over HTTP (issue 27, point 7): audit log, export,
correction and erasure.

The audit log (``/audit-log``) shows a Facet or Cito administrator the
events about the locations they administer, filtered by location, subject,
action and date, a page at a time; another school's events never, another
school's location is refused, and a user without the right has neither the
page nor its link. A person's page (``/privacy/person``) downloads their
export as JSON and PDF and corrects a field through the use case that owns
it (a pupil's at the source), for the administrator of the person's school
only. The erasure (``/privacy/erase``) is confirmed first and
answers with what was erased and what stays; a second one changes nothing;
another school's candidate is refused and stays; an account is the service
desk's to erase. Who may reach which route is written out by hand below.
"""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
import pytest
from tests.portal.conftest import ORIGIN, TOKEN_KEY, enter_as, submit
from tests.school import ADMIN, L00

import portal._privacy
from examkit import Examkit, Settings
from examkit.accounts import Account, LoginName
from examkit.audit import AuditEvent
from examkit.errors import ConfigurationError, NotFound
from examkit.identifiers import Brin, LocationCode
from examkit.privacy import PrivacySettings
from examkit.testing.conformance import make_institution
from portal import PortalConfig
from portal._config import PATHS

pytestmark = pytest.mark.anyio

OTHER = LocationCode("33CD00")

AUDIT_READERS = ("facet.privacy.audit", "cito_lvs.privacy.audit")
ERASERS = (
    "facet.privacy.erase",
    "cito_lvs.privacy.erase",
    "ce_portal.privacy.erase",
    "vlaamse_toetsen.privacy.erase",
    "examkit.privacy.erase",
)
EXPORTERS = tuple(
    f"{system}.privacy.export"
    for system in ("facet", "cito_lvs", "cspe", "ce_portal", "vlaamse_toetsen", "examkit")
)
ACCESS = {
    ("GET", "/audit-log"): ("allowed", AUDIT_READERS),
    ("GET", "/privacy"): ("allowed", EXPORTERS),
    ("GET", "/privacy/person"): ("allowed", EXPORTERS),
    ("GET", "/privacy/person/export.json"): ("allowed", EXPORTERS),
    ("GET", "/privacy/person/export.pdf"): ("allowed", EXPORTERS),
    ("POST", "/privacy/person/correct"): ("allowed", EXPORTERS),
    ("GET", "/privacy/erase"): ("allowed", ERASERS),
    ("POST", "/privacy/erase"): ("allowed", ERASERS),
}
PSEUDONYM_KEY = b"p" * 32


@pytest.fixture
def kit(kit: Examkit) -> Examkit:
    """The portal tests' kit, with a pseudonym key (the erasure needs one)."""
    return Examkit(
        backend=kit.backend,
        mailer=kit.mailer,
        settings=Settings(
            token_key=TOKEN_KEY,
            base_url=ORIGIN,
            paths=PATHS,
            privacy=PrivacySettings(pseudonym_key=PSEUDONYM_KEY),
        ),
        clock=kit.clock,
        secrets=kit.secrets,
        hasher=kit.hasher,
    )


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


@pytest.mark.req("PRIV-2", "SCH-1", "WEB-1")
async def test_the_persons_page_leads_to_who_read_them_in_a_list(
    client: httpx.AsyncClient, kit: Examkit, school: dict[str, str]
) -> None:
    """A planner's list of candidates is a read of each: the person's page links to it."""
    candidate = candidate_at(kit, school["planner"])
    kit.candidates.candidates(school["planner"], L00)
    enter_as(client, kit, ADMIN)
    page = await client.get(f"/privacy/person?kind=candidate&id={candidate}")
    link = f"/audit-log?subject=candidate%3A{candidate}&amp;action=privacy.read"
    assert f'href="{link}"' in page.text
    reads = await client.get(link.replace("&amp;", "&"))
    assert [f"candidate:{candidate}"] == subjects_on(reads.text)
    assert school["planner"] in reads.text


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


# -- erasure -------------------------------------------------------------------------------


def candidate_at(kit: Examkit, planner: str) -> str:
    """A candidate of 22AB00, added by *planner*."""
    return kit.candidates.add_candidate(
        planner, location=L00, first_name="Sem", last_name="Visser"
    ).id


def stored(kit: Examkit, candidate: str) -> bool:
    with kit.backend.begin(readonly=True) as uow:
        try:
            uow.candidates.get(candidate)
        except NotFound:
            return False
    return True


@pytest.mark.req("PRIV-3", "WEB-1")
async def test_the_administrator_erases_a_candidate_after_confirming(
    client: httpx.AsyncClient, kit: Examkit, school: dict[str, str]
) -> None:
    candidate = candidate_at(kit, school["planner"])
    enter_as(client, kit, ADMIN)
    page = f"/privacy/erase?kind=candidate&id={candidate}"
    confirm = await client.get(page)
    assert 200 == confirm.status_code
    assert "Dit kan niet ongedaan worden gemaakt." in confirm.text
    assert stored(kit, candidate)
    erased = await submit(client, page, "/privacy/erase", {"kind": "candidate", "id": candidate})
    assert 200 == erased.status_code
    assert "Gewist. Het auditlog noemt deze persoon nu" in erased.text
    assert "verwijderd uit candidates" in erased.text
    assert "Er blijft niets." in erased.text
    assert not stored(kit, candidate)
    again = await submit(client, page, "/privacy/erase", {"kind": "candidate", "id": candidate})
    assert 200 == again.status_code
    assert "Er was niets meer te wissen: er is niets veranderd." in again.text


@pytest.mark.req("PRIV-3", "WEB-2")
async def test_who_may_not_erase_has_no_page_and_changes_nothing(
    client: httpx.AsyncClient, kit: Examkit, school: dict[str, str]
) -> None:
    candidate = candidate_at(kit, school["planner"])
    page = f"/privacy/erase?kind=candidate&id={candidate}"
    enter_as(client, kit, school["planner"])
    assert 403 == (await client.get(page)).status_code
    enter_as(client, kit, ADMIN)
    token_page = await client.get(page)
    enter_as(client, kit, school["planner"])
    refused = await client.post(
        "/privacy/erase",
        data={
            "kind": "candidate",
            "id": candidate,
            "form_token": re.findall(r'name="form_token" value="([^"]+)"', token_page.text)[0],
        },
        headers={"Origin": ORIGIN},
    )
    assert 403 == refused.status_code
    enter_as(client, kit, "other")
    elsewhere = await submit(client, page, "/privacy/erase", {"kind": "candidate", "id": candidate})
    assert 403 == elsewhere.status_code
    assert stored(kit, candidate)
    # An account is the service desk's to erase: the school's administrator has no page for it.
    enter_as(client, kit, ADMIN)
    assert (
        403 == (await client.get(f"/privacy/erase?kind=account&id={school['planner']}")).status_code
    )
    assert 400 == (await client.get("/privacy/erase?kind=pupil&id=P1")).status_code
    enter_as(client, kit, operator_of(kit))
    account_page = f"/privacy/erase?kind=account&id={school['stranger']}"
    assert 200 == (await client.get(account_page)).status_code


@pytest.mark.req("PRIV-3")
def test_the_pseudonym_key_comes_from_the_environment() -> None:
    base = {"EXAMKIT_PORTAL_TOKEN_KEY": "ab" * 32}
    assert PortalConfig.from_environment(base).privacy.pseudonym_key is None
    keyed = PortalConfig.from_environment({**base, "EXAMKIT_PORTAL_PSEUDONYM_KEY": "cd" * 32})
    assert bytes.fromhex("cd" * 32) == keyed.privacy.pseudonym_key
    for wrong in ("cd" * 31, "not hex"):
        with pytest.raises(ConfigurationError) as refused:
            PortalConfig.from_environment({**base, "EXAMKIT_PORTAL_PSEUDONYM_KEY": wrong})
        assert "EXAMKIT_PORTAL_PSEUDONYM_KEY" == refused.value.field


# -- export and correction -----------------------------------------------------------------


@pytest.mark.req("PRIV-2", "WEB-1")
async def test_the_administrator_exports_a_candidate_as_json_and_pdf(
    client: httpx.AsyncClient, kit: Examkit, school: dict[str, str]
) -> None:
    candidate = candidate_at(kit, school["planner"])
    enter_as(client, kit, ADMIN)
    assert 'href="/privacy"' in (await client.get("/")).text
    assert 200 == (await client.get("/privacy")).status_code
    page = await client.get(f"/privacy/person?kind=candidate&id={candidate}")
    assert 200 == page.status_code
    assert f"Persoonsgegevens van candidate:{candidate}" in page.text
    assert f'href="/privacy/erase?kind=candidate&amp;id={candidate}"' in page.text
    exported = await client.get(f"/privacy/person/export.json?kind=candidate&id={candidate}")
    assert 200 == exported.status_code
    assert "application/json" == exported.headers["content-type"]
    assert exported.headers["content-disposition"].startswith("attachment;")
    document = exported.json()
    assert f"candidate:{candidate}" in str(document["person"])
    assert "Visser" in exported.text
    printed = await client.get(f"/privacy/person/export.pdf?kind=candidate&id={candidate}")
    assert 200 == printed.status_code
    assert "application/pdf" == printed.headers["content-type"]
    assert printed.content.startswith(b"%PDF")
    trail = await client.get("/audit-log?action=privacy.exported")
    assert [f"candidate:{candidate}"] * 2 == subjects_on(trail.text)
    log = await client.get("/audit-log")
    assert 'href="/audit-log?action=privacy.read"' in log.text
    reads = await client.get("/audit-log?action=privacy.read")
    # both exports are in the trail; the read of the candidate's data, the day's first only
    assert [f"candidate:{candidate}"] == subjects_on(reads.text)


@pytest.mark.req("PRIV-2", "WEB-2")
async def test_nobody_else_exports_or_corrects(
    client: httpx.AsyncClient, kit: Examkit, school: dict[str, str]
) -> None:
    candidate = candidate_at(kit, school["planner"])
    query = f"kind=candidate&id={candidate}"
    enter_as(client, kit, school["planner"])
    assert 'href="/privacy"' not in (await client.get("/")).text
    for path in ("/privacy", f"/privacy/person?{query}", f"/privacy/person/export.json?{query}"):
        assert 403 == (await client.get(path)).status_code, path
    enter_as(client, kit, "other")
    refused = await client.get(f"/privacy/person/export.json?{query}")
    assert 403 == refused.status_code
    assert "Visser" not in refused.text
    changed = await submit(
        client,
        f"/privacy/person?{query}",
        "/privacy/person/correct",
        {"kind": "candidate", "id": candidate, "field": "last_name", "value": "Anders"},
    )
    assert 403 == changed.status_code
    with kit.backend.begin(readonly=True) as uow:
        assert "Visser" == uow.candidates.get(candidate).last_name
    assert 400 == (await client.get("/privacy/person?kind=nobody&id=x")).status_code


@pytest.mark.req("PRIV-2")
async def test_the_administrator_corrects_a_field_through_its_own_use_case(
    client: httpx.AsyncClient, kit: Examkit, school: dict[str, str]
) -> None:
    candidate = candidate_at(kit, school["planner"])
    page = f"/privacy/person?kind=candidate&id={candidate}"
    # A candidate's names are the planner's (kit.candidates.correct_name): an administrator
    # who does not plan is refused, and the page says so.
    enter_as(client, kit, ADMIN)
    refused = await submit(
        client,
        page,
        "/privacy/person/correct",
        {"kind": "candidate", "id": candidate, "field": "last_name", "value": "de Visser"},
    )
    assert 403 == refused.status_code
    assert 'role="alert"' in refused.text
    planning_admin = add_user(kit, ADMIN, L00, "22AB.B.Beide")
    kit.grants.grant_role(ADMIN, planning_admin, "facet.planner", at=[L00])
    kit.grants.grant_administrator(operator_of(kit), planning_admin, at=[L00])
    enter_as(client, kit, planning_admin)
    done = await submit(
        client,
        page,
        "/privacy/person/correct",
        {"kind": "candidate", "id": candidate, "field": "last_name", "value": "de Visser"},
    )
    assert 303 == done.status_code, done.text[-1500:]
    assert f"{page}&done=corrected" == done.headers["location"]
    with kit.backend.begin(readonly=True) as uow:
        assert "de Visser" == uow.candidates.get(candidate).last_name
    assert "Het gegeven is verbeterd" in (await client.get(f"{page}&done=corrected")).text
    enter_as(client, kit, ADMIN)
    account = f"/privacy/person?kind=account&id={school['planner']}"
    mailed = await submit(
        client,
        account,
        "/privacy/person/correct",
        {"kind": "account", "id": school["planner"], "field": "phone", "value": "0612345678"},
    )
    assert 303 == mailed.status_code
    with kit.backend.begin(readonly=True) as uow:
        assert "0612345678" == uow.accounts.get(school["planner"]).phone
    wrong = await submit(
        client,
        account,
        "/privacy/person/correct",
        {"kind": "account", "id": school["planner"], "field": "login_name", "value": "x"},
    )
    assert 422 == wrong.status_code
    assert 'role="alert"' in wrong.text
    pupil = await client.get("/privacy/person?kind=pupil&id=P0042&location=22AB00")
    assert "leerlingenadministratie" in pupil.text
    assert 'action="/privacy/person/correct"' not in pupil.text
