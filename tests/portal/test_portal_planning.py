# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Planning over HTTP (issue 23, point 1): groups by day and state, planning, files, servers.

A planner plans a group from an imported class with a candidate's extra
time and aids, reads in a candidate file (a bad line shown with its
number, nothing stored) and a group file (each group's status); the
functionality-test planner plans the system check; the FAO administrator
registers an offline server and moves it through its life; the answer
sheets of a paper test are counted per class. Who may reach which page is
written out by hand below, per role, not read from the matrix.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from tests.portal.conftest import ORIGIN, enter_as, form_token_of, submit
from tests.school import ADMIN, L00

from examkit import Examkit
from examkit.identifiers import LocationCode
from examkit.imports import calendar_year
from examkit.scheduling import Exam, GroupState, ItemSlot, Mode, ServerState
from examkit.testing import demo_edexml, store_actor
from examkit.testing.sessions import EXAM, FT_EXAM

pytestmark = pytest.mark.anyio
L01 = LocationCode("22AB01")

# Who may reach each route of this area, written out here (not read from the app).
VIEW = ("facet.sessions.view_planned", "facet.ft.session_groups.create")
PLAN = ("facet.sessions.plan", "facet.ft.session_groups.create")
ACCESS = {
    ("GET", "/planning"): ("allowed", VIEW),
    ("GET", "/planning/plan"): ("allowed", PLAN),
    ("POST", "/planning/plan"): ("allowed", PLAN),
    ("POST", "/planning/plan/confirm"): ("allowed", PLAN),
    ("GET", "/planning/groups/{group}"): ("allowed", VIEW),
    ("GET", "/planning/candidates"): (
        "allowed",
        ("facet.candidates.overview", "facet.candidates.import"),
    ),
    ("POST", "/planning/candidates"): ("allowed", ("facet.candidates.import",)),
    ("GET", "/planning/candidates/{candidate}"): ("allowed", ("facet.candidates.import",)),
    ("POST", "/planning/candidates/{candidate}"): ("allowed", ("facet.candidates.import",)),
    ("GET", "/planning/group-file"): ("allowed", ("facet.session_groups.import",)),
    ("POST", "/planning/group-file"): ("allowed", ("facet.session_groups.import",)),
    ("GET", "/planning/answer-sheets"): ("allowed", ("ce_portal.paper_test.order",)),
    ("GET", "/planning/servers"): ("allowed", ("facet.fao.view",)),
    ("POST", "/planning/servers"): ("allowed", ("facet.fao.add",)),
    ("GET", "/planning/servers/{server}"): ("allowed", ("facet.fao.view",)),
    ("POST", "/planning/servers/{server}"): ("allowed", ("facet.fao.edit",)),
    ("POST", "/planning/servers/{server}/{event}"): (
        "allowed",
        ("facet.fao.activate", "facet.fao.deactivate", "facet.fao.reactivate", "facet.fao.delete"),
    ),
}

PAGES = (
    "/planning",
    "/planning/plan",
    "/planning/candidates",
    "/planning/group-file",
    "/planning/answer-sheets",
    "/planning/servers",
)
# Which roles get each page of PAGES (200) and which are refused (403), by hand.
ROLES = {
    "facet.planner": (200, 200, 200, 200, 403, 403),
    "facet.ft_planner": (200, 200, 403, 403, 403, 403),
    "facet.fao_administrator": (403, 403, 403, 403, 403, 200),
    "facet.proctor": (403,) * 6,
    "facet.ft_proctor": (403,) * 6,
    "facet.corrector": (403,) * 6,
    "facet.administrator": (403,) * 6,
    "ce_portal.user": (403, 403, 403, 403, 200, 403),
    None: (403,) * 6,
}
PAPER = Exam(
    code="REK-PAPIER",
    title="Rekenen op papier",
    subject="Rekenen",
    duration=timedelta(minutes=60),
    items=[ItemSlot("1", 1)],
    modes={Mode.PAPER},
    central=False,
)
STAFF = {
    "planner": "facet.planner",
    "ftplanner": "facet.ft_planner",
    "proctor": "facet.proctor",
    "ftproctor": "facet.ft_proctor",
    "corrector": "facet.corrector",
    "fao": "facet.fao_administrator",
}


def operator_of(kit: Examkit) -> str:
    with kit.backend.begin(readonly=True) as uow:
        (found,) = uow.authorizations.list(role="examkit.operator").items
    return found.account


def account_with(kit: Examkit, role: str | None, account_id: str | None = None) -> str:
    """Return an account of 22AB holding *role* at 22AB00 (the administrator's own for hers)."""
    if role == "facet.administrator":
        return ADMIN
    account_id = account_id or (role or "nobody").split(".")[-1].replace("_", "")
    roles = [(role, [L00])] if role is not None else []
    store_actor(kit.backend, account_id, roles, granted_at=kit.clock.now() - timedelta(days=1))
    return account_id


@pytest.fixture
def school(kit: Examkit) -> Examkit:
    """The kit with the planning staff of 22AB00, three tests and the demo's pupils imported."""
    for account, role in STAFF.items():
        account_with(kit, role, account)
    for exam in (EXAM, FT_EXAM, PAPER):
        kit.candidates.register_exam(exam)
    operator = operator_of(kit)
    account_with(kit, None, "citobeheer")
    kit.grants.grant_administrator(operator, "citobeheer", at=[L00], role="cito_lvs.administrator")
    preview = kit.edexml_imports.preview("citobeheer", demo_edexml(calendar_year(kit.clock.now())))
    kit.edexml_imports.confirm("citobeheer", preview)
    return kit


def groups_of(kit: Examkit) -> list[str]:
    day = kit.clock.now().date() + timedelta(days=1)
    return [g.id for g in kit.planning_desk.day_groups("planner", L00, day)]


GROUP = {
    "exam": EXAM.code,
    "mode": "online",
    "date": "2026-09-02",
    "time": "09:00",
    "room": "Aula",
    "proctor": "proctor",
    "first_corrector": "corrector",
}


async def first_step(
    client: httpx.AsyncClient, data: dict[str, str], classes: list[str]
) -> httpx.Response:
    """Post the first step with *data* and *classes*; return the second step's page."""
    shown = await client.get("/planning/plan")
    return await client.post(
        "/planning/plan",
        data={
            "location": "22AB00",
            **data,
            "classes": classes,
            "form_token": form_token_of(shown.text),
        },
        headers={"Origin": ORIGIN},
    )


def second_step_data(
    page: str, extra: dict[str, str], aids: dict[str, str] | None = None
) -> dict[str, object]:
    """The second step's form as the page shows it, with *extra* minutes per login name."""
    ids = re.findall(r'name="shown" value="([^"]+)"', page)
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))
    data: dict[str, object] = {**fields, "shown": ids, "include": ids}
    data["form_token"] = form_token_of(page)
    for person in ids:
        data[f"extra-{person}"] = "0"
    for person, minutes in extra.items():
        data[f"extra-{person}"] = minutes
    for key, value in (aids or {}).items():
        data[key] = value
    return data


def token_for(html: str, action: str) -> str:
    """Return the form token of the form posting to *action* in *html*."""
    found = re.search(
        rf'action="{re.escape(action)}"><input type="hidden" name="form_token" value="([^"]+)"',
        html,
    )
    assert found is not None, action
    return found.group(1)


async def post_form(
    client: httpx.AsyncClient, page: str, action: str, **data: str
) -> httpx.Response:
    """Open *page*, then post its form for *action* with *data* and that form's token."""
    shown = await client.get(page)
    return await client.post(
        action,
        data={**data, "form_token": token_for(shown.text, action)},
        headers={"Origin": ORIGIN},
        follow_redirects=False,
    )


# -- who may reach which page ----------------------------------------------------------------


@pytest.mark.req("ROLE-5", "WEB-3", "SCH-1", "SCH-2", "SCH-8")
@pytest.mark.parametrize("role", list(ROLES), ids=str)
async def test_each_role_reaches_its_planning_pages_and_no_others(
    client: httpx.AsyncClient, school: Examkit, role: str | None
) -> None:
    account = {v: k for k, v in STAFF.items()}.get(role or "") or account_with(school, role)
    enter_as(client, school, account)
    got = tuple([(await client.get(page)).status_code for page in PAGES])
    assert ROLES[role] == got
    home = await client.get("/")
    assert ('href="/planning"' in home.text) is (ROLES[role][0] == 200)
    assert ('href="/planning/servers"' in home.text) is (ROLES[role][5] == 200)


@pytest.mark.req("WEB-3")
async def test_signed_out_the_pages_lead_to_the_sign_in(
    client: httpx.AsyncClient, school: Examkit
) -> None:
    for page in (*PAGES, "/planning/groups/g-1", "/planning/servers/fao-1"):
        answer = await client.get(page)
        assert (303, "/sign-in") == (answer.status_code, answer.headers["location"]), page


# -- planning a group ------------------------------------------------------------------------


@pytest.mark.req("SCH-1", "WEB-3")
async def test_the_planner_plans_a_group_from_a_class_with_a_candidate_s_extra_time(
    client: httpx.AsyncClient, school: Examkit
) -> None:
    enter_as(client, school, "planner")
    step = await first_step(client, GROUP, ["G4A"])
    assert 200 == step.status_code
    assert "Sem de Vries" in step.text
    assert "Noor Bakker" in step.text
    ids = re.findall(r'name="shown" value="([^"]+)"', step.text)
    sem = next(c for c in ids if school.candidates.candidate(c).first_name == "Sem")
    data = second_step_data(step.text, {sem: "25"}, {f"read_aloud-{sem}": "yes"})
    done = await client.post(
        "/planning/plan/confirm", data=data, headers={"Origin": ORIGIN}, follow_redirects=False
    )
    assert 303 == done.status_code
    group_id = done.headers["location"].rsplit("/", 1)[1]
    group = school.planning.group(group_id)
    assert ("Aula", "proctor", "corrector", 2) == (
        group.room,
        group.proctor,
        group.first_corrector,
        len(group.candidates),
    )
    assert "2026-09-02T07:00:00+00:00" == group.starts_at.isoformat()
    extra = {a.candidate: a.extra_time_minutes for a in school.planning.attempts(group_id)}
    assert 25 == extra[sem]
    assert school.candidates.candidate(sem).facilities.read_aloud
    page = await client.get(done.headers["location"])
    assert "Voorlezen" in page.text
    assert "Gepland, nog niet vrijgegeven" in page.text
    assert 2 == page.text.count("aangemeld, niet begonnen")
    assert 2 == page.text.count("<td>4A</td>")  # the class by its name, not its key G4A
    assert "Afnamevorm" in page.text
    assert 'href="/monitor"' in page.text
    english = await client.get(done.headers["location"] + "?lang=en")
    assert "Read aloud" in english.text
    assert "Planned, not yet released" in english.text
    overview = await client.get("/planning?day=2026-09-02&lang=nl")
    assert f'href="/planning/groups/{group_id}"' in overview.text
    assert "Gepland, nog niet vrijgegeven (1)" in overview.text


@pytest.mark.req("SCH-1")
async def test_more_extra_time_than_a_central_exam_allows_is_refused_and_nothing_stored(
    client: httpx.AsyncClient, school: Examkit
) -> None:
    enter_as(client, school, "planner")
    step = await first_step(client, GROUP, ["G4A"])
    ids = re.findall(r'name="shown" value="([^"]+)"', step.text)
    refused = await client.post(
        "/planning/plan/confirm",
        data=second_step_data(step.text, {ids[0]: "45"}),
        headers={"Origin": ORIGIN},
    )
    assert 422 == refused.status_code
    assert 'role="alert"' in refused.text
    assert "meer dan 30 minuten extra tijd" in refused.text
    assert 'value="45"' in refused.text  # what was typed is shown again
    assert [] == groups_of(school)
    assert 0 == school.candidates.candidate(ids[0]).facilities.extra_time_minutes
    english = await client.post(
        "/planning/plan/confirm?lang=en",
        data=second_step_data(refused.text, {ids[0]: "many"}),
        headers={"Origin": ORIGIN},
    )
    assert 422 == english.status_code
    assert "Extra time is a whole number of minutes" in english.text


@pytest.mark.req("SCH-1", "SCH-2", "WEB-3")
async def test_a_refused_plan_changes_nothing_not_even_the_facilities_entered(
    client: httpx.AsyncClient, school: Examkit
) -> None:
    """examkit plans the group with the facilities in one unit: its refusal stores neither."""
    enter_as(client, school, "planner")
    step = await first_step(client, GROUP, ["G4A"])
    ids = re.findall(r'name="shown" value="([^"]+)"', step.text)
    # The first sits a group from 06:50 to 08:50; with 20 minutes extra time it runs into this
    # one's 09:00 (examkit's overlap check, which reads the extra time entered).
    earlier = school.planning.plan(
        "planner",
        location=L00,
        exam=EXAM.code,
        mode=Mode.ONLINE,
        starts_at=datetime(2026, 9, 2, 4, 50, tzinfo=UTC),
        room="Lokaal 2",
        proctor="proctor",
        candidates=ids[:1],
    ).id
    before = [school.candidates.candidate(person) for person in ids]
    aids = {f"read_aloud-{ids[0]}": "yes", f"spelling_aid-{ids[1]}": "yes"}
    overlap = await client.post(
        "/planning/plan/confirm",
        data=second_step_data(step.text, {ids[0]: "20", ids[1]: "10"}, aids),
        headers={"Origin": ORIGIN},
    )
    assert 422 == overlap.status_code
    assert 'role="alert"' in overlap.text
    assert f"zit op dat moment al in afnamegroep {earlier}" in overlap.text
    assert 'value="20"' in overlap.text  # what was typed is shown again
    wrong = second_step_data(overlap.text, {ids[0]: "5"}, aids)
    wrong["proctor"] = "corrector"
    proctor = await client.post(
        "/planning/plan/confirm?lang=en",
        data=wrong,
        headers={"Origin": ORIGIN},
    )
    assert 422 == proctor.status_code
    assert "The chosen proctor does not hold that role at this location." in proctor.text
    assert [earlier] == groups_of(school)
    assert before == [school.candidates.candidate(person) for person in ids]
    with school.backend.begin(readonly=True) as uow:
        events = uow.audit.list(limit=1000).items
    assert not [e for e in events if e.action == "sessions.candidate.facilities"]
    assert 2 == sum(e.action == "sessions.group.plan" and e.outcome == "failure" for e in events)


@pytest.mark.req("SCH-1", "WEB-3")
async def test_a_first_step_without_a_time_or_candidates_is_refused_clearly(
    client: httpx.AsyncClient, school: Examkit
) -> None:
    enter_as(client, school, "planner")
    no_time = await first_step(client, {**GROUP, "time": ""}, ["G4A"])
    assert 400 == no_time.status_code
    assert "Vul de datum en de begintijd" in no_time.text
    nobody = await first_step(client, GROUP, [])
    assert 400 == nobody.status_code
    assert "Kies ten minste één klas of kandidaat." in nobody.text
    assert 'value="Aula"' in nobody.text


@pytest.mark.req("SCH-1", "WEB-3")
async def test_a_cross_site_or_second_plan_changes_nothing(
    client: httpx.AsyncClient, school: Examkit
) -> None:
    enter_as(client, school, "planner")
    step = await first_step(client, GROUP, ["G5B"])
    data = second_step_data(step.text, {})
    foreign = await client.post(
        "/planning/plan/confirm", data=data, headers={"Origin": "https://evil.example"}
    )
    assert 403 == foreign.status_code
    assert [] == groups_of(school)
    first = await client.post(
        "/planning/plan/confirm", data=data, headers={"Origin": ORIGIN}, follow_redirects=False
    )
    assert 303 == first.status_code
    again = await client.post(
        "/planning/plan/confirm", data=data, headers={"Origin": ORIGIN}, follow_redirects=False
    )
    assert 400 <= again.status_code < 500
    assert 1 == len(groups_of(school))


@pytest.mark.req("SCH-2", "ROLE-5")
async def test_the_ft_planner_plans_the_system_check_and_sees_only_ft_groups(
    client: httpx.AsyncClient, school: Examkit
) -> None:
    people = school.candidates.add_candidates_from_pupils("planner", L00, classes={"G4A"})
    school.planning.plan(
        "planner",
        location=L00,
        exam=EXAM.code,
        mode=Mode.ONLINE,
        starts_at=school.clock.now() + timedelta(days=1),
        room="Aula",
        proctor="proctor",
        candidates=[people[0].id],
    )
    enter_as(client, school, "ftplanner")
    form = await client.get("/planning/plan")
    assert FT_EXAM.code in form.text
    assert EXAM.code not in form.text
    assert 'value="ftproctor"' in form.text
    assert 'value="proctor"' not in form.text
    shown = await client.get("/planning/plan")
    step = await client.post(
        "/planning/plan",
        data={
            "location": "22AB00",
            **GROUP,
            "exam": FT_EXAM.code,
            "time": "13:00",
            "proctor": "ftproctor",
            "first_corrector": "",
            "candidates": [people[1].id],
            "form_token": form_token_of(shown.text),
        },
        headers={"Origin": ORIGIN},
    )
    assert 200 == step.status_code
    assert 'name="extra-' not in step.text  # the FT planner does not set facilities
    done = await client.post(
        "/planning/plan/confirm",
        data=second_step_data(step.text, {}),
        headers={"Origin": ORIGIN},
        follow_redirects=False,
    )
    assert 303 == done.status_code
    ft_group = school.planning.group(done.headers["location"].rsplit("/", 1)[1])
    assert ft_group.functionality_test
    overview = await client.get("/planning?day=2026-09-02&lang=en")
    assert f"/planning/groups/{ft_group.id}" in overview.text
    assert overview.text.count('href="/planning/groups/') == 1


# -- files -----------------------------------------------------------------------------------

CANDIDATES_FILE = (
    "achternaam;voornaam;examennummer;klas;extra_tijd;voorlezen\n"
    "de Jong;Lotte;1001;4A;15;ja\n"
    "Smit;Bram;1002;4A;0;nee\n"
)


@pytest.mark.req("SCH-1", "WEB-3")
async def test_a_candidate_file_is_read_in_and_a_bad_line_is_shown_with_nothing_stored(
    client: httpx.AsyncClient, school: Examkit
) -> None:
    enter_as(client, school, "planner")
    bad = CANDIDATES_FILE + "Visser;;1003;4A;abc;ja\n"
    shown = await client.get("/planning/candidates")
    refused = await client.post(
        "/planning/candidates",
        data={"location": "22AB00", "form_token": form_token_of(shown.text)},
        files={"file": ("kandidaten.csv", bad.encode(), "text/csv")},
        headers={"Origin": ORIGIN},
    )
    assert 422 == refused.status_code
    assert "Het kandidatenbestand kandidaten.csv is niet ingelezen." in refused.text
    assert re.search(r"<td>4</td><td>voornaam</td>", refused.text)
    assert re.search(r"<td>4</td><td>extra_tijd</td>", refused.text)
    assert () == school.candidates.candidates("planner", L00)
    shown = await client.get("/planning/candidates")
    read = await client.post(
        "/planning/candidates",
        data={"location": "22AB00", "form_token": form_token_of(shown.text)},
        files={"file": ("kandidaten.csv", CANDIDATES_FILE.encode(), "text/csv")},
        headers={"Origin": ORIGIN},
        follow_redirects=False,
    )
    assert (303, "/planning/candidates?location=22AB00&read=2") == (
        read.status_code,
        read.headers["location"],
    )
    listed = school.candidates.candidates("planner", L00)
    assert [("Bram", 0, False), ("Lotte", 15, True)] == [
        (c.first_name, c.facilities.extra_time_minutes, c.facilities.read_aloud) for c in listed
    ]
    page = await client.get(read.headers["location"] + "&lang=en")
    assert "2 candidates added" in page.text
    assert "Read aloud" in page.text


@pytest.mark.req("SCH-1", "WEB-3")
async def test_the_planner_changes_a_candidate_s_facilities_on_its_page(
    client: httpx.AsyncClient, school: Examkit, monkeypatch: pytest.MonkeyPatch
) -> None:
    (lotte, _) = school.candidates.import_candidates("planner", L00, CANDIDATES_FILE.encode())
    enter_as(client, school, "planner")
    listed = await client.get("/planning/candidates")
    assert f'href="/planning/candidates/{lotte.id}"' in listed.text
    page = f"/planning/candidates/{lotte.id}"

    def listing(*_: object) -> None:
        raise AssertionError("the candidate's page lists every candidate of the location")

    with monkeypatch.context() as patched:  # one candidate read (benchmarks/portal_pages.py)
        patched.setattr(school.candidates, "candidates", listing)
        assert 200 == (await client.get(page)).status_code
        assert 404 == (await client.get("/planning/candidates/c-nobody")).status_code
    too_much = await post_form(client, page, page, extra="300", enlarged_print="yes")
    assert 422 == too_much.status_code
    assert "Extra tijd is een geheel aantal minuten van 0 tot en met 240." in too_much.text
    assert 'value="300"' in too_much.text
    assert 15 == school.candidates.candidate(lotte.id).facilities.extra_time_minutes
    shown = await client.get(page)
    foreign = await client.post(
        page,
        data={"extra": "20", "form_token": token_for(shown.text, page)},
        headers={"Origin": "https://evil.example"},
    )
    assert 403 == foreign.status_code
    saved = await post_form(client, page, page, extra="20", enlarged_print="yes")
    assert (303, "/planning/candidates?location=22AB00&changed=1") == (
        saved.status_code,
        saved.headers["location"],
    )
    facilities = school.candidates.candidate(lotte.id).facilities
    assert (20, True, False) == (
        facilities.extra_time_minutes,
        facilities.enlarged_print,
        facilities.read_aloud,
    )
    assert (
        "De faciliteiten van de kandidaat zijn opgeslagen."
        in (await client.get(saved.headers["location"] + "&lang=nl")).text
    )
    store_actor(
        school.backend,
        "other",
        [("facet.planner", [L01])],
        granted_at=school.clock.now() - timedelta(days=1),
    )
    enter_as(client, school, "other")
    assert 404 == (await client.get(page)).status_code


@pytest.mark.req("SCH-1")
async def test_a_group_file_plans_each_group_and_shows_each_one_s_status(
    client: httpx.AsyncClient, school: Examkit
) -> None:
    school.candidates.import_candidates("planner", L00, CANDIDATES_FILE.encode())
    enter_as(client, school, "planner")
    content = (
        "groep;toets;datum;starttijd;lokaal;afnameleider;examennummer\n"
        f"A;{EXAM.code};2026-09-02;09:00;Aula;proctor;1001\n"
        f"B;{EXAM.code};2026-09-02;13:00;Lokaal 2;proctor;9999\n"
    )
    shown = await client.get("/planning/group-file")
    answer = await client.post(
        "/planning/group-file",
        data={"location": "22AB00", "form_token": form_token_of(shown.text)},
        files={"file": ("groepen.csv", content.encode(), "text/csv")},
        headers={"Origin": ORIGIN},
    )
    assert 200 == answer.status_code
    assert "Status afname-import" in answer.text
    assert "Een deel van de afnamegroepen is gepland" in answer.text
    (planned,) = groups_of(school)
    assert f'href="/planning/groups/{planned}"' in answer.text
    assert "Niet gepland:" in answer.text
    broken = await submit(client, "/planning/group-file", "/planning/group-file", {})
    assert 400 == broken.status_code
    assert "Kies een bestand met afnamegroepen." in broken.text
    shown = await client.get("/planning/group-file")
    headless = await client.post(
        "/planning/group-file",
        data={"location": "22AB00", "form_token": form_token_of(shown.text)},
        files={"file": ("groepen.csv", b"groep;toets\nA;X\n", "text/csv")},
        headers={"Origin": ORIGIN},
    )
    assert 422 == headless.status_code
    assert "Het bestand met afnamegroepen groepen.csv is niet ingelezen." in headless.text
    assert "Problemen in het bestand met afnamegroepen" in headless.text
    assert 1 == len(groups_of(school))


@pytest.mark.req("EDX-3", "WEB-3")
async def test_the_answer_sheets_of_a_paper_test_are_counted_per_class(
    client: httpx.AsyncClient, school: Examkit
) -> None:
    enter_as(client, school, account_with(school, "ce_portal.user"))
    page = await client.get(f"/planning/answer-sheets?exam={PAPER.code}&spares=2")
    assert 200 == page.status_code
    assert re.search(r'<th scope="row">G4A</th><td>2</td><td>4</td>', page.text)
    assert "8 in totaal" in page.text
    english = await client.get(f"/planning/answer-sheets?exam={PAPER.code}&spares=x&lang=en")
    assert 400 == english.status_code
    assert "Spare sheets are a whole number" in english.text


# -- offline servers -------------------------------------------------------------------------


@pytest.mark.req("SCH-8", "WEB-3")
async def test_the_fao_administrator_registers_a_server_and_moves_it_through_its_life(
    client: httpx.AsyncClient, school: Examkit
) -> None:
    enter_as(client, school, "fao")
    bad = await submit(
        client,
        "/planning/servers",
        "/planning/servers",
        {"location": "22AB00", "name": "FAO lokaal 12", "address": "not an address"},
    )
    assert 422 == bad.status_code
    assert 'role="alert"' in bad.text
    assert () == school.offline_servers.servers("fao", L00)
    shown = await client.get("/planning/servers")
    token = form_token_of(shown.text)
    data = {"location": "22AB00", "name": "FAO lokaal 12", "address": "192.168.1.20"}
    added = await client.post(
        "/planning/servers",
        data={**data, "form_token": token},
        headers={"Origin": ORIGIN},
        follow_redirects=False,
    )
    assert 303 == added.status_code
    twice = await client.post(
        "/planning/servers", data={**data, "form_token": token}, headers={"Origin": ORIGIN}
    )
    assert 400 <= twice.status_code < 500
    (server,) = school.offline_servers.servers("fao", L00)
    path = added.headers["location"]
    assert f"/planning/servers/{server.id}" == path
    for event, state in (
        ("activate", ServerState.ACTIVE),
        ("deactivate", ServerState.INACTIVE),
        ("reactivate", ServerState.ACTIVE),
    ):
        moved = await post_form(client, path, f"{path}/{event}")
        assert 303 == moved.status_code, event
        assert state == school.offline_servers.servers("fao", L00)[0].state
    foreign = await client.post(
        f"{path}/deactivate",
        data={"form_token": form_token_of((await client.get(path)).text)},
        headers={"Origin": "https://evil.example"},
    )
    assert 403 == foreign.status_code
    assert ServerState.ACTIVE == school.offline_servers.servers("fao", L00)[0].state
    page = await client.get(path + "?lang=en")
    assert "Active" in page.text
    assert "/deactivate" in page.text
    assert "/delete" not in page.text
    edited = await post_form(client, path, path, name="FAO aula", address="fao.school.nl")
    assert 303 == edited.status_code
    assert ("FAO aula", "fao.school.nl") == (
        school.offline_servers.servers("fao", L00)[0].name,
        school.offline_servers.servers("fao", L00)[0].address,
    )
    await post_form(client, path, f"{path}/deactivate")
    deleted = await post_form(client, path, f"{path}/delete")
    assert (303, "/planning/servers?location=22AB00&deleted=1") == (
        deleted.status_code,
        deleted.headers["location"],
    )
    assert () == school.offline_servers.servers("fao", L00)
    assert (
        "De FAO is verwijderd." in (await client.get(deleted.headers["location"] + "&lang=nl")).text
    )
    assert 404 == (await client.get(path)).status_code


@pytest.mark.req("SCH-8", "SCH-1")
async def test_an_offline_group_runs_on_an_active_server(
    client: httpx.AsyncClient, school: Examkit
) -> None:
    server = school.offline_servers.add_server(
        "fao", location=L00, name="FAO aula", address="10.0.0.2"
    )
    enter_as(client, school, "planner")
    assert "FAO aula" not in (await client.get("/planning/plan")).text
    school.offline_servers.server_transition("fao", server.id, "activate")
    step = await first_step(client, {**GROUP, "mode": "offline", "server": server.id}, ["G5B"])
    done = await client.post(
        "/planning/plan/confirm",
        data=second_step_data(step.text, {}),
        headers={"Origin": ORIGIN},
        follow_redirects=False,
    )
    assert 303 == done.status_code
    (group_id,) = groups_of(school)
    assert (Mode.OFFLINE, server.id) == (
        school.planning.group(group_id).mode,
        school.planning.group(group_id).offline_server,
    )
    assert "FAO aula" in (await client.get(done.headers["location"])).text


# -- languages -------------------------------------------------------------------------------


@pytest.mark.req("WEB-3")
async def test_every_page_renders_in_both_languages(
    client: httpx.AsyncClient, school: Examkit
) -> None:
    people = school.candidates.add_candidates_from_pupils("planner", L00, classes={"G4A"})
    group = school.planning.plan(
        "planner",
        location=L00,
        exam=EXAM.code,
        mode=Mode.ONLINE,
        starts_at=school.clock.now() + timedelta(hours=1),
        room="Aula",
        proctor="proctor",
        candidates=[p.id for p in people],
    )
    school.group_lifecycle.release("proctor", group.id)
    server = school.offline_servers.add_server(
        "fao", location=L00, name="FAO 1", address="10.0.0.3"
    )
    for account, pages, dutch, english in (
        ("planner", ("/planning",), "Vrijgegeven voor de kandidaten", "Released to the candidates"),
        ("planner", (f"/planning/groups/{group.id}",), "Logboek", "History"),
        ("planner", ("/planning/plan",), "Stap 1 van 2", "Step 1 of 2"),
        ("planner", ("/planning/candidates",), "Kandidatenbestand", "Candidate file"),
        ("planner", ("/planning/group-file",), "Afnamegroepen inlezen", "Read in session groups"),
        ("fao", ("/planning/servers", f"/planning/servers/{server.id}"), "FAO", "Offline server"),
    ):
        enter_as(client, school, account)
        for page in pages:
            nl = await client.get(page + "?lang=nl")
            en = await client.get(page + "?lang=en")
            assert (200, 200) == (nl.status_code, en.status_code), page
            assert dutch in nl.text, page
            assert english in en.text, page
            assert '<html lang="nl">' in nl.text
            assert '<html lang="en">' in en.text
    assert GroupState.RELEASED == school.planning.group(group.id).state


@pytest.mark.req("SCH-1", "WEB-3")
async def test_a_planner_at_two_locations_chooses_one(
    client: httpx.AsyncClient, school: Examkit
) -> None:
    store_actor(
        school.backend,
        "twice",
        [("facet.planner", [L00, L01])],
        granted_at=school.clock.now() - timedelta(days=1),
    )
    enter_as(client, school, "twice")
    first = await client.get("/planning")
    assert ['value="22AB00" selected', 'value="22AB01"'] == re.findall(
        r'value="22AB0\d"(?: selected)?', first.text
    )
    other = await client.get("/planning?location=22AB01")
    assert "<h1>Planning 22AB01</h1>" in other.text
    form = await client.get("/planning/plan?location=22AB01")
    assert '<input type="hidden" name="location" value="22AB01">' in form.text
    assert 'id="chosen-location"' in form.text
    elsewhere = await client.get("/planning?location=22XY00")
    assert "<h1>Planning 22AB00</h1>" in elsewhere.text  # not theirs: the first of theirs
