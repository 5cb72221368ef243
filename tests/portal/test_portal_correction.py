# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Correction, results and review over HTTP (issue 23, point 4; seed 002).

The planner releases a closed group for correction; two correctors score
every candidate's open items on the scoring screen (the response and the
points allowed shown), agree on one difference and escalate another; the
planner refers it to a third corrector, who decides; a corrector closes
the correction; the planner sees the grades by the N-term, downloads the
partial report and the QTI 3.0 results (valid against the schema examkit
ships) and grants review, whose page and PDF show every response, score
and the history. Who reaches which page is written out by hand.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import timedelta

import attrs
import httpx
import pytest
from lxml import etree
from tests.portal.conftest import ORIGIN, enter_as, form_token_of, submit
from tests.school import ADMIN, L00

from examkit import Examkit
from examkit.accounts import LoginName
from examkit.correction import SCHEMA_TEXT, ItemState, results_from_qti
from examkit.identifiers import Brin
from examkit.permissions import ClassRef, Subject
from examkit.scheduling import GroupState, Mode
from examkit.testing.correction import EXAM
from portal._test_content import CONTENTS

CORRECTION = ("allowed", ("facet.correction.overview", "facet.correctors.schedule"))
RESULTS = ("allowed", ("facet.results.view",))
REVIEW = ("allowed", ("facet.review.limited",))

# Who may reach each route of this area, written out here (not read from the app).
ACCESS = {
    ("GET", "/correction"): CORRECTION,
    ("GET", "/correction/{group}"): CORRECTION,
    ("POST", "/correction/{group}/release"): (
        "allowed",
        ("facet.session_groups.release_for_correction",),
    ),
    ("POST", "/correction/{group}/agree"): ("allowed", ("facet.correction.agree",)),
    ("POST", "/correction/{group}/escalate"): ("allowed", ("facet.correction.agree",)),
    ("POST", "/correction/{group}/refer"): ("allowed", ("facet.correctors.schedule",)),
    ("POST", "/correction/{group}/replace"): ("allowed", ("facet.correctors.schedule",)),
    ("POST", "/correction/{group}/close"): ("allowed", ("facet.correction.close",)),
    ("GET", "/correction/{group}/score/{candidate}"): (
        "allowed",
        ("facet.correction.overview",),
    ),
    ("POST", "/correction/{group}/score/{candidate}"): (
        "allowed",
        ("facet.correction.overview",),
    ),
    ("GET", "/results"): RESULTS,
    ("GET", "/results/{group}"): RESULTS,
    ("GET", "/results/{group}/partial-report.csv"): (
        "allowed",
        ("facet.partial_reports.download",),
    ),
    ("GET", "/results/{group}/qti.zip"): RESULTS,
    ("POST", "/results/{group}/review"): REVIEW,
    ("GET", "/review/{group}/{candidate}"): REVIEW,
    ("GET", "/review/{group}/{candidate}/report.pdf"): REVIEW,
    ("POST", "/results/{group}/publish"): ("allowed", ("facet.reports.results",)),
    ("GET", "/reports"): ("allowed", ("cito_lvs.reports.view", "cito_lvs.class_overview.view")),
}

PAGES = ("/correction", "/results", "/reports")
# Each role and what it gets on each page, by hand (not read from the permission matrix).
ROLES = {
    "facet.planner": (200, 200, 403),
    "facet.corrector": (200, 403, 403),
    "facet.proctor": (403, 403, 403),
    "facet.administrator": (403, 403, 403),
    "cito_lvs.quality_officer": (403, 403, 200),
    "cito_lvs.pupil_counsellor": (403, 403, 200),
    "cito_lvs.subject_teacher": (403, 403, 200),
}
CLASS_ROLES = ("cito_lvs.pupil_counsellor", "cito_lvs.subject_teacher")
"""The roles held in class 5B (the teacher's for English)."""
STAFF = ("planner", "proctor", "first", "second", "third", "outsider")

pytestmark = pytest.mark.anyio


@attrs.frozen
class World:
    """The staff, one taken and closed group and its three candidates."""

    staff: dict[str, str]
    group: str
    people: tuple[str, ...]


def account(kit: Examkit, name: str, role: str) -> str:
    """Return a new account holding *role* at 22AB00 (through the use cases, as an admin would)."""
    application = role.split(".", maxsplit=1)[0]
    if application == "cito_lvs":
        with kit.backend.begin(readonly=True) as uow:
            operator = uow.accounts.get_by_login_name(LoginName("examkit.servicedesk")).id
        kit.grants.grant_administrator(operator, ADMIN, at=[L00], role="cito_lvs.administrator")
    made = kit.users.add_user(
        ADMIN,
        application=application,
        at=L00,
        login_name=f"22AB.{name.capitalize()}.x",
        first_name="Kim",
        last_name=name.capitalize(),
        email=f"{name}@school.nl",
        tell=False,
    ).id
    if role == "facet.administrator":
        return ADMIN
    at = [ClassRef(L00, "G5B")] if role in CLASS_ROLES else [L00]
    subject = Subject.ENGLISH if role == "cito_lvs.subject_teacher" else None
    kit.grants.grant_role(ADMIN, made, role, at=at, subject=subject)
    if application == "cito_lvs":
        kit.users.set_access(ADMIN, made, application="cito_lvs", institution=Brin("22AB"))
    return made


@pytest.fixture
def world(kit: Examkit) -> World:
    """A group of three that sat the English test (open items answered in words), closed."""
    return taken_group(kit)


def taken_group(kit: Examkit) -> World:
    """Make the staff and a group of three that sat the English test (answered in words), closed.

    The group started half an hour before the kit's clock.
    """
    roles = {
        "planner": "facet.planner",
        "proctor": "facet.proctor",
        "first": "facet.corrector",
        "second": "facet.corrector",
        "third": "facet.corrector",
        "outsider": "facet.corrector",
    }
    staff = {name: account(kit, name, role) for name, role in roles.items()}
    kit.candidates.register_exam(EXAM)  # its package (wording, answer key) ships with the portal
    people = tuple(
        kit.candidates.add_candidate(
            staff["planner"], location=L00, first_name=name, last_name="Bos", class_key="G5B"
        ).id
        for name in ("Anna", "Bram", "Cas")
    )
    group = kit.planning.plan(
        staff["planner"],
        location=L00,
        exam=EXAM.code,
        mode=Mode.ONLINE,
        starts_at=kit.clock.now() - timedelta(minutes=30),
        room="Lokaal 12",
        proctor=staff["proctor"],
        candidates=people,
        first_corrector=staff["first"],
        second_corrector=staff["second"],
    ).id
    proctor = staff["proctor"]
    kit.group_lifecycle.release(proctor, group)
    code = kit.group_lifecycle.access_code(proctor, group)
    for n, person in enumerate(people):
        login = login_of(kit, person)
        key = kit.sitting.sign_in(login, code).key
        answers = (
            ("k1", {"chosen": ["B"]}),
            ("k2", {"chosen": ["C" if n else "A"]}),
            ("o1", {"text": f"Antwoord {n} op o1: twaalf maal drie"}),
            ("o2", {"text": f"Uitleg {n} over het klimaat"}),
        )
        for sequence, (item, value) in enumerate(answers, 1):
            kit.sitting.save_response(group, person, item, value, sequence=sequence, key=key)
        kit.sitting.submit(group, person, key=key)
    kit.session_reports.write_report(proctor, group, completed=True)
    kit.group_lifecycle.close(proctor, group)
    return World(staff, group, people)


def login_of(kit: Examkit, person: str) -> str:
    with kit.backend.begin(readonly=True) as uow:
        return uow.candidates.get(person).login_name


def released(kit: Examkit, world: World) -> str:
    kit.group_lifecycle.transition(world.staff["planner"], world.group, "release_for_correction")
    return world.group


def corrected(kit: Examkit, world: World) -> str:
    """Release, score equally, close (outside the portal); return the group."""
    group = released(kit, world)
    for mark in ("first", "second"):
        for n, person in enumerate(world.people):
            kit.correction_work.score(world.staff[mark], group, person, {"o1": 2, "o2": n + 1})
    kit.correction_work.close(world.staff["first"], group)
    return group


@pytest.mark.req("SCO-1", "SCO-3", "SCO-4", "SCO-5", "WEB-3")
async def test_two_correctors_agree_escalate_to_a_third_close_and_the_grades_show(
    client: httpx.AsyncClient, kit: Examkit, world: World
) -> None:
    staff, group, people = world.staff, world.group, world.people
    enter_as(client, kit, staff["planner"])
    listed = await client.get("/correction")
    assert "Vrijgeven voor correctie" in listed.text
    answer = await submit(client, "/correction", f"/correction/{group}/release")
    assert (303, f"/correction/{group}") == (answer.status_code, answer.headers["location"])
    assert GroupState.RELEASED_FOR_CORRECTION is kit.planning.group(group).state
    assert 3 == len(kit.correction_work.work_list(staff["first"], group).items) // 2

    enter_as(client, kit, staff["first"])
    assert group in (await client.get("/correction")).text
    screen = await client.get(f"/correction/{group}/score/{people[0]}")
    assert 200 == screen.status_code
    assert "Antwoord 0 op o1: twaalf maal drie" in screen.text
    assert 'max="3"' in screen.text
    assert 'max="4"' in screen.text
    for n, person in enumerate(people):
        page = f"/correction/{group}/score/{person}"
        done = await submit(client, page, page, {"score-o1": "2", "score-o2": str(n + 1)})
        assert 303 == done.status_code
    assert 2 == kit.corrections.sheet(group, people[0]).items["o1"].first
    enter_as(client, kit, staff["second"])
    for n, person in enumerate(people):
        page = f"/correction/{group}/score/{person}"
        o2 = {0: "3", 1: "2", 2: "1"}[n]
        await submit(client, page, page, {"score-o1": "2", "score-o2": o2, "comment-o2": "Goed"})
    overview = await client.get(f"/correction/{group}")
    assert "Overeen te komen correcties" in overview.text
    agreed = await submit(
        client,
        f"/correction/{group}",
        f"/correction/{group}/agree",
        {"candidate": people[0], "item": "o2", "score": "2", "comment": "Deels juist"},
    )
    assert 303 == agreed.status_code
    assert ItemState.AGREED is kit.corrections.sheet(group, people[0]).items["o2"].state
    escalated = await submit(
        client,
        f"/correction/{group}",
        f"/correction/{group}/escalate",
        {"candidate": people[2], "item": "o2"},
    )
    assert 303 == escalated.status_code
    refused = await submit(client, f"/correction/{group}", f"/correction/{group}/close")
    assert 409 == refused.status_code
    assert 'role="alert"' in refused.text
    assert "o2" in refused.text
    assert GroupState.RELEASED_FOR_CORRECTION is kit.planning.group(group).state

    enter_as(client, kit, staff["planner"])
    progress = (await client.get(f"/correction/{group}")).text
    assert "Geëscaleerde vragen" in progress
    assert "<dd>Kim First</dd>" in progress
    assert f'<tr><th scope="row">{people[2]}</th><td>o2</td></tr>' in progress
    assert "5 van de 6 vragen van 3 kandidaten hebben hun eindscore" in progress
    referred = await submit(
        client, f"/correction/{group}", f"/correction/{group}/refer", {"third": staff["third"]}
    )
    assert 303 == referred.status_code
    enter_as(client, kit, staff["third"])
    assert group in (await client.get("/correction")).text
    page = f"/correction/{group}/score/{people[2]}"
    third = await client.get(page)
    assert "Uitleg 2 over het klimaat" in third.text
    assert "score-o1" not in third.text
    decided = await submit(client, page, page, {"score-o2": "2"})
    assert 303 == decided.status_code
    assert ItemState.DECIDED is kit.corrections.sheet(group, people[2]).items["o2"].state

    enter_as(client, kit, staff["second"])
    closed = await submit(client, f"/correction/{group}", f"/correction/{group}/close")
    assert 303 == closed.status_code
    assert GroupState.CORRECTION_CLOSED is kit.planning.group(group).state

    enter_as(client, kit, staff["planner"])
    assert group in (await client.get("/results")).text
    results = await client.get(f"/results/{group}?nterm=1,0&lang=en")
    assert 200 == results.status_code
    expected = kit.results.results(staff["planner"], group, CONTENTS[EXAM.code].definition, "1,0")
    for row in expected:
        assert f"<td>{row.grade}</td>" in results.text
    assert 3 == len(expected)


@pytest.mark.req("SCO-4", "DOC-5", "WEB-3")
async def test_the_planner_downloads_and_grants_review_for_a_period(
    client: httpx.AsyncClient, kit: Examkit, world: World
) -> None:
    group = corrected(kit, world)
    planner, person = world.staff["planner"], world.people[1]
    enter_as(client, kit, planner)
    partial = await client.get(f"/results/{group}/partial-report.csv?nterm=1,0")
    assert 200 == partial.status_code
    rows = list(csv.reader(io.StringIO(partial.content.decode("utf-8-sig")), delimiter=";"))
    assert ["kandidaat", "naam", "klas", "score", "cijfer"] == rows[0]
    assert 4 == len(rows)
    download = await client.get(f"/results/{group}/qti.zip?nterm=1,0")
    assert "application/zip" == download.headers["content-type"]
    schema = etree.XMLSchema(etree.fromstring(SCHEMA_TEXT.encode("utf-8")))
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        names = sorted(archive.namelist())
        assert sorted(f"{p}.xml" for p in world.people) == names
        for name in names:
            document = archive.read(name)
            schema.assertValid(etree.fromstring(document))
            assert name.removesuffix(".xml") == results_from_qti(document).candidate
    closed = await client.get(f"/review/{group}/{person}")
    assert 409 == closed.status_code
    granted = await submit(
        client,
        f"/results/{group}",
        f"/results/{group}/review",
        {"candidate": person, "days": "7", "nterm": "1,0"},
    )
    assert 303 == granted.status_code
    (grant,) = kit.corrections.correction(group).reviews
    assert (person, timedelta(days=7)) == (grant.candidate, grant.ends_at - grant.starts_at)
    review = await client.get(f"/review/{group}/{person}?nterm=1,0")
    assert 200 == review.status_code
    assert "Antwoord 1 op o1: twaalf maal drie" in review.text
    assert "Geschiedenis van de scores" in review.text
    pdf = await client.get(f"/review/{group}/{person}/report.pdf?nterm=1,0")
    assert (200, b"%PDF") == (pdf.status_code, pdf.content[:4])
    too_long = await submit(
        client,
        f"/results/{group}",
        f"/results/{group}/review",
        {"candidate": person, "days": "60"},
    )
    assert 422 == too_long.status_code
    assert "hoogstens 28 dagen" in too_long.text
    assert 1 == len(kit.corrections.correction(group).reviews)


@pytest.mark.req("SCO-3", "WEB-3")
async def test_refusals_are_clear_and_store_nothing(
    client: httpx.AsyncClient, kit: Examkit, world: World
) -> None:
    group = released(kit, world)
    enter_as(client, kit, world.staff["first"])
    page = f"/correction/{group}/score/{world.people[0]}"
    answer = await submit(client, page, page, {"score-o1": "9", "score-o2": "1"})
    assert 422 == answer.status_code
    assert 'role="alert"' in answer.text
    assert "o1" in answer.text
    assert 'value="9"' in answer.text
    assert () == kit.corrections.sheet(group, world.people[0]).versions
    enter_as(client, kit, world.staff["outsider"])
    assert 403 == (await client.get(f"/correction/{group}")).status_code
    assert 403 == (await client.get(page)).status_code
    enter_as(client, kit, world.staff["planner"])
    assert 409 == (await client.get(f"/results/{group}")).status_code
    nothing = await submit(
        client, f"/correction/{group}", f"/correction/{group}/refer", {"third": "nobody"}
    )
    assert nothing.status_code in {409, 422}
    assert 'role="alert"' in nothing.text
    assert kit.corrections.correction(group).third is None


@pytest.mark.req("SCO-5", "WEB-3")
async def test_a_bad_n_term_or_a_missing_answer_key_is_said_plainly(
    client: httpx.AsyncClient, kit: Examkit, world: World
) -> None:
    group = corrected(kit, world)
    enter_as(client, kit, world.staff["planner"])
    bad = await client.get(f"/results/{group}?nterm=veel")
    assert 422 == bad.status_code
    assert 'role="alert"' in bad.text
    assert "<td>" not in bad.text
    # A test the portal ships no package for: no answer key, so no grades, on every page.
    unknown = attrs.evolve(EXAM, code="EN-VW-2026", title="Engels VWO")
    assert unknown.code not in CONTENTS
    kit.candidates.register_exam(unknown)
    other = kit.planning.plan(
        world.staff["planner"],
        location=L00,
        exam=unknown.code,
        mode=Mode.ONLINE,
        starts_at=kit.clock.now() + timedelta(days=2),
        room="Lokaal 13",
        proctor=world.staff["proctor"],
        candidates=world.people,
    ).id
    for path in ("", "/partial-report.csv", "/qti.zip"):
        missing = await client.get(f"/results/{other}{path}?lang=en")
        assert 409 == missing.status_code
        assert "Test EN-VW-2026 has no answer key in this portal" in missing.text
    dutch = await client.get(f"/results/{other}?lang=nl")
    assert 409 == dutch.status_code
    assert "Van toets EN-VW-2026 staat geen antwoordmodel" in dutch.text


@pytest.mark.req("SCO-3", "WEB-3")
async def test_a_cross_site_post_and_a_second_submission_change_nothing(
    client: httpx.AsyncClient, kit: Examkit, world: World
) -> None:
    enter_as(client, kit, world.staff["planner"])
    shown = await client.get("/correction")
    token = form_token_of(shown.text)
    evil = await client.post(
        f"/correction/{world.group}/release",
        data={"form_token": token},
        headers={"Origin": "https://evil.example"},
        follow_redirects=False,
    )
    assert 403 == evil.status_code
    assert GroupState.CLOSED is kit.planning.group(world.group).state
    released(kit, world)
    enter_as(client, kit, world.staff["first"])
    page = f"/correction/{world.group}/score/{world.people[0]}"
    token = form_token_of((await client.get(page)).text)
    for expected in (303, 409):
        answer = await client.post(
            page,
            data={"form_token": token, "score-o1": "1", "score-o2": "1"},
            headers={"Origin": ORIGIN},
            follow_redirects=False,
        )
        assert expected == answer.status_code
    assert 2 == len(kit.corrections.sheet(world.group, world.people[0]).versions)


@pytest.mark.req("SCO-3", "SCO-4", "WEB-3")
@pytest.mark.parametrize("role", sorted(ROLES))
async def test_each_role_reaches_only_its_pages(
    client: httpx.AsyncClient, kit: Examkit, world: World, role: str
) -> None:
    enter_as(client, kit, account(kit, "rol", role))
    got = []
    for path in PAGES:
        got.append((await client.get(path)).status_code)
    assert ROLES[role] == tuple(got)


@pytest.mark.req("WEB-3")
async def test_signed_out_visitors_go_to_the_sign_in_page(
    client: httpx.AsyncClient, world: World
) -> None:
    for path in ("/correction", f"/correction/{world.group}", "/results"):
        answer = await client.get(path, follow_redirects=False)
        assert (303, "/sign-in") == (answer.status_code, answer.headers["location"])


@pytest.mark.req("WEB-1", "WEB-3")
async def test_every_page_speaks_dutch_and_english(
    client: httpx.AsyncClient, kit: Examkit, world: World
) -> None:
    group = corrected(kit, world)
    planner, person = world.staff["planner"], world.people[0]
    now = kit.clock.now()
    kit.reviews.grant_review(planner, group, person, starts_at=now, ends_at=now + timedelta(days=3))
    pages = {
        planner: (
            ("/correction", "Correctie", "Correction"),
            (f"/correction/{group}", "Eerste corrector", "First corrector"),
            ("/results", "Resultaten", "Results"),
            (f"/results/{group}", "Cijfers", "grades"),
            (f"/review/{group}/{person}", "Inzage", "Review"),
        ),
        world.staff["first"]: (
            (f"/correction/{group}", "Werklijst", "Work list"),
            (f"/correction/{group}/score/{person}", "Antwoord van de kandidaat", "response"),
        ),
    }
    for who, shown in pages.items():
        enter_as(client, kit, who)
        for path, dutch, english in shown:
            nl = await client.get(path)
            en = await client.get(f"{path}?lang=en")
            client.cookies.delete("__Host-lang")
            assert (200, 200) == (nl.status_code, en.status_code), path
            assert dutch in nl.text, path
            assert english in en.text, path
            assert re.search(r'<html lang="nl"', nl.text)
            assert '<html lang="en"' in en.text


@pytest.mark.req("SCO-5", "SCO-6", "WEB-3")
async def test_published_results_reach_the_reports_of_each_role(
    client: httpx.AsyncClient, kit: Examkit, world: World
) -> None:
    group = corrected(kit, world)
    officer = account(kit, "kwaliteit", "cito_lvs.quality_officer")
    enter_as(client, kit, officer)
    assert "Er zijn geen gepubliceerde resultaten" in (await client.get("/reports")).text
    enter_as(client, kit, world.staff["planner"])
    published = await submit(
        client, f"/results/{group}?nterm=1,2", f"/results/{group}/publish", {"nterm": "1,2"}
    )
    assert (303, f"/results/{group}") == (published.status_code, published.headers["location"])
    assert GroupState.RESULTS_PUBLISHED is kit.planning.group(group).state
    stored = kit.corrections.correction(group)
    assert ("1,2", 3) == (stored.nterm, len(stored.published))
    again = await client.get(f"/results/{group}")
    assert "gepubliceerd met N-term 1,2" in again.text
    assert 'value="1,2"' in again.text
    enter_as(client, kit, officer)
    overview = await client.get("/reports")
    assert "Klassenoverzicht" in overview.text
    assert '<th scope="row">G5B</th><td>EN-HA-2026</td><td>3</td>' in overview.text
    english = await client.get("/reports?lang=en")
    assert "Class overview" in english.text
    enter_as(client, kit, account(kit, "mentor", "cito_lvs.pupil_counsellor"))
    counsellor = await client.get("/reports?lang=nl")
    assert "Klasrapportage" in counsellor.text
    assert "Klassenoverzicht" not in counsellor.text
    assert "Vakrapportage" not in counsellor.text
    for row in stored.published:
        assert row.name in counsellor.text
        assert f"<td>{str(row.grade).replace('.', ',')}</td>" in counsellor.text
    enter_as(client, kit, account(kit, "engels", "cito_lvs.subject_teacher"))
    teacher = await client.get("/reports?lang=nl")
    assert "Vakrapportage" in teacher.text
    assert "Klasrapportage" not in teacher.text
    assert all(row.name in teacher.text for row in stored.published)
