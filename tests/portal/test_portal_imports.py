# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""EDEXML upload, preview, confirm or cancel, and the class lists, over HTTP (issue 22, point 4).

The administrator of the pupil-monitoring system uploads the school's
EDEXML file, sees every difference, confirms or cancels; the preview page
is fetched by its id, so a reload shows it again; a second confirmation,
or one of a cancelled preview, is refused and changes nothing. The class
lists show what examkit lets each role see.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from tests.portal.conftest import ORIGIN, enter_as, form_token_of
from tests.school import ADMIN, L00

import portal._classes
from examkit import Examkit
from examkit.accounts import LoginName
from examkit.identifiers import Brin, SchoolYear
from examkit.imports import calendar_year
from examkit.permissions import ClassRef, Subject
from examkit.testing import ManualClock, demo_edexml
from portal._demo import Demo, demo_app
from portal._imports import ImportsPages

IMPORT = ("allowed", ("cito_lvs.edexml.import",))
ROSTERS = (
    "allowed",
    ("cito_lvs.edexml.import", "cito_lvs.class_overview.view", "cito_lvs.reports.view"),
)

# Who may reach each route of this area, written out here (not read from the app).
ACCESS = {
    ("GET", "/imports"): IMPORT,
    ("POST", "/imports"): IMPORT,
    ("GET", "/imports/confirmed"): IMPORT,
    ("GET", "/imports/{preview}"): IMPORT,
    ("POST", "/imports/{preview}/confirm"): IMPORT,
    ("POST", "/imports/{preview}/cancel"): IMPORT,
    ("GET", "/classes"): ROSTERS,
    ("GET", "/classes/{location}/{group}"): ROSTERS,
}

PAGES = ("/imports", "/classes", "/classes/22AB00/G4A", "/classes/22AB00/PLUS")
# Each role and what it gets on each page, by hand (not read from the permission matrix).
ROLES = {
    "cito_lvs.administrator": (200, 200, 200, 200),
    "cito_lvs.quality_officer": (403, 200, 200, 200),
    "cito_lvs.pupil_counsellor in 4A": (403, 200, 200, 403),
    "cito_lvs.subject_teacher in the Plusklas": (403, 200, 403, 200),
    "facet.administrator": (403, 403, 403, 403),
    "facet.planner": (403, 403, 403, 403),
    "examkit.operator": (403, 403, 403, 403),
}
YEAR = SchoolYear("2026-2027")
FILE = demo_edexml(YEAR)
CHANGED = re.sub(
    rb'\s*<leerling key="L004">.*?</leerling>',
    b"",
    FILE.replace(b"<achternaam>Bakker</achternaam>", b"<achternaam>Bakkers</achternaam>"),
    flags=re.DOTALL,
)
WARNED = FILE.replace(b"<jaargroep>4</jaargroep>\n      <groep", b"<groep", 1)
BROKEN = FILE.replace(b"<jaargroep>4</jaargroep></groep>", b"<jaargroep>99</jaargroep></groep>")

pytestmark = pytest.mark.anyio


def operator_of(kit: Examkit) -> str:
    with kit.backend.begin(readonly=True) as uow:
        return uow.accounts.get_by_login_name(LoginName("examkit.servicedesk")).id


@pytest.fixture
def cito(kit: Examkit) -> Examkit:
    """The school's administrator also administers the pupil-monitoring system at 22AB00."""
    kit.grants.grant_administrator(operator_of(kit), ADMIN, at=[L00], role="cito_lvs.administrator")
    return kit


def imported(kit: Examkit, data: bytes = FILE) -> None:
    """Import *data* as the administrator (outside the portal)."""
    kit.edexml_imports.confirm(ADMIN, kit.edexml_imports.preview(ADMIN, data))


def user_with(kit: Examkit, role: str) -> str:
    """Return an account holding *role* (made through the use cases, as an administrator would)."""
    if role == "cito_lvs.administrator":
        return ADMIN
    if role == "examkit.operator":
        return operator_of(kit)
    if role == "cito_lvs.administrator as well":
        other = kit.users.add_user(
            ADMIN,
            application="cito_lvs",
            at=L00,
            login_name="22AB.B.Tweede",
            first_name="Bo",
            last_name="Tweede",
            email="bo@school.nl",
            tell=False,
        ).id
        kit.grants.grant_administrator(
            operator_of(kit), other, at=[L00], role="cito_lvs.administrator"
        )
        return other
    if role == "facet.administrator":
        kit.grants.revoke_role(operator_of(kit), ADMIN, "cito_lvs.administrator", at=[L00])
        return ADMIN
    application = role.split(".", maxsplit=1)[0]
    name = role.split(".")[1].split(" ", maxsplit=1)[0].replace("_", "")[:10]
    account = kit.users.add_user(
        ADMIN,
        application=application,
        at=L00,
        login_name=f"22AB.{name}.x",
        first_name="Kim",
        last_name=name,
        email=f"{name}@school.nl",
        tell=False,
    ).id
    code = role.split(" ", maxsplit=1)[0]
    if role.endswith("in 4A"):
        kit.grants.grant_role(ADMIN, account, code, at=[ClassRef(L00, "G4A")])
    elif role.endswith("in the Plusklas"):
        at = [ClassRef(L00, "PLUS")]
        kit.grants.grant_role(ADMIN, account, code, at=at, subject=Subject.ENGLISH)
    else:
        kit.grants.grant_role(ADMIN, account, code, at=[L00])
    if application == "cito_lvs":
        kit.users.set_access(ADMIN, account, application="cito_lvs", institution=Brin("22AB"))
    return account


async def upload(
    client: httpx.AsyncClient, data: bytes, *, lang: str = "", name: str = "school.xml"
) -> httpx.Response:
    """Open the upload page and post *data* as the file, with the page's token."""
    query = f"?lang={lang}" if lang else ""
    shown = await client.get(f"/imports{query}")
    return await client.post(
        f"/imports{query}",
        data={"form_token": form_token_of(shown.text), "location": ""},
        files={"file": (name, data, "text/xml")},
        headers={"Origin": ORIGIN},
        follow_redirects=False,
    )


async def post_form(client: httpx.AsyncClient, action: str, token: str) -> httpx.Response:
    return await client.post(
        action, data={"form_token": token}, headers={"Origin": ORIGIN}, follow_redirects=False
    )


def audited(kit: Examkit, action: str) -> list[str]:
    """Return the outcomes of *action* in the audit trail."""
    with kit.backend.begin(readonly=True) as uow:
        return [event.outcome for event in uow.audit.list().items if event.action == action]


@pytest.mark.req("ROLE-5", "WEB-2", "EDX-3")
@pytest.mark.parametrize("role", sorted(ROLES))
async def test_each_role_gets_its_pages_and_no_others(
    client: httpx.AsyncClient, cito: Examkit, role: str
) -> None:
    imported(cito)
    enter_as(client, cito, user_with(cito, role))
    got = tuple([(await client.get(page)).status_code for page in PAGES])
    assert dict(zip(PAGES, ROLES[role], strict=True)) == dict(zip(PAGES, got, strict=True))
    home = (await client.get("/")).text
    assert (ROLES[role][0] == 200) == ('href="/imports"' in home)
    assert (ROLES[role][1] == 200) == ('href="/classes"' in home)


@pytest.mark.req("ROLE-3", "ROLE-5", "EDX-3")
async def test_a_role_held_in_a_class_lists_that_class_only(
    client: httpx.AsyncClient, cito: Examkit
) -> None:
    imported(cito)
    enter_as(client, cito, user_with(cito, "cito_lvs.pupil_counsellor in 4A"))
    classes = (await client.get("/classes")).text
    assert "/classes/22AB00/G4A" in classes
    assert "5B" not in classes
    assert "Plusklas" not in classes
    pupils = (await client.get("/classes/22AB00/G4A")).text
    assert ["Noor Bakker", "Sem de Vries"] == sorted(
        re.findall(r"(Sem de Vries|Noor Bakker)", pupils)
    )
    refused = await client.get("/classes/22AB00/G5B?lang=en")
    assert 403 == refused.status_code
    assert "Jesse" not in refused.text


@pytest.mark.req("WEB-2")
@pytest.mark.parametrize(("method", "path"), sorted(ACCESS))
async def test_signed_out_goes_to_sign_in(
    client: httpx.AsyncClient, method: str, path: str
) -> None:
    url = path.replace("{preview}", "x").replace("{location}", "22AB00").replace("{group}", "G4A")
    answer = await client.request(method, url, headers={"Origin": ORIGIN}, follow_redirects=False)
    assert (303, "/sign-in") == (answer.status_code, answer.headers["location"])


@pytest.mark.req("EDX-2", "EDX-3", "EDX-6", "WEB-1")
async def test_upload_preview_reload_confirm_and_see_the_classes(
    client: httpx.AsyncClient, cito: Examkit
) -> None:
    enter_as(client, cito, ADMIN)
    sent = await upload(client, FILE)
    assert 303 == sent.status_code
    where = sent.headers["location"]
    assert re.fullmatch(r"/imports/[\w-]+", where)
    assert () == cito.rosters.school_years(L00)  # nothing stored before confirmation
    preview = await client.get(where)
    assert 200 == preview.status_code
    for text in ("Controleer en bevestig", "22AB00", "heteiland", "2026-2027", "4 leerlingen"):
        assert text in preview.text
    assert "<li>Sem de Vries (L001)</li>" in preview.text
    again = await client.get(where)  # a reload shows the same preview, with a new token
    assert 200 == again.status_code
    assert "4 leerlingen" in again.text
    done = await post_form(client, f"{where}/confirm", form_token_of(again.text))
    assert 303 == done.status_code
    assert done.headers["location"].startswith("/imports/confirmed?location=22AB00")
    result = await client.get(done.headers["location"])
    assert "Import bevestigd" in result.text
    assert "/classes?location=22AB00" in result.text
    assert 4 == len(cito.rosters.pupils(L00).items)
    classes = (await client.get("/classes")).text
    for text in ("4A", "5B", "Plusklas", "Anna Jansen", "Bram van Dijk"):
        assert text in classes
    plus = (await client.get("/classes/22AB00/PLUS")).text
    assert ("Sem de Vries" in plus, "Jesse van 't Hof" in plus.replace("&#39;", "'")) == (
        True,
        True,
    )
    assert "Noor" not in plus


@pytest.mark.req("EDX-2", "EDX-4")
async def test_the_preview_shows_every_difference_with_before_and_after(
    client: httpx.AsyncClient, cito: Examkit
) -> None:
    imported(cito)
    enter_as(client, cito, ADMIN)
    sent = await upload(client, CHANGED, lang="en")
    preview = (await client.get(sent.headers["location"] + "?lang=en")).text
    assert "Differences" in preview
    changed = "<td>Noor Bakkers (L002)</td><td>Last name</td><td>Bakker</td><td>Bakkers</td>"
    assert changed in preview
    assert "<li>Elif Yılmaz (L004)</li>" in preview
    assert "Archived" in preview
    assert 4 == len(cito.rosters.pupils(L00).items)  # still as it was


@pytest.mark.req("EDX-1", "EDX-2")
async def test_the_preview_shows_the_files_warnings_with_their_lines_after_a_reload(
    client: httpx.AsyncClient, cito: Examkit
) -> None:
    imported(cito)
    enter_as(client, cito, ADMIN)
    where = (await upload(client, WARNED)).headers["location"]
    for _ in range(2):  # shown, and shown again after a reload
        preview = (await client.get(where)).text
        assert "Waarschuwingen" in preview
        assert "<td>Jaargroep afgeleid</td><td>nee</td><td>ja</td>" in preview
        assert re.search(
            r"<tr><td>\d+</td><td>Leerling &#39;L001&#39; heeft geen jaargroep", preview
        )
    assert (
        "Waarschuwingen"
        not in (await client.get((await upload(client, FILE)).headers["location"])).text
    )


@pytest.mark.req("EDX-6", "WEB-2")
async def test_a_second_confirmation_changes_nothing_and_a_spent_preview_is_refused(
    client: httpx.AsyncClient, cito: Examkit
) -> None:
    enter_as(client, cito, ADMIN)
    where = (await upload(client, FILE)).headers["location"]
    token = form_token_of((await client.get(where)).text)
    first = await post_form(client, f"{where}/confirm", token)
    second = await post_form(client, f"{where}/confirm", token)  # a double click
    assert (303, 409) == (first.status_code, second.status_code)
    assert ["success"] == audited(cito, "imports.confirm")
    reloaded = await client.get(f"{where}?lang=en")  # the preview, after it was confirmed
    assert 404 == reloaded.status_code
    assert 'role="alert"' in reloaded.text
    assert "Nothing was changed by this request." in reloaded.text
    late = await post_form(client, f"{where}/confirm", token)
    assert 409 == late.status_code
    assert ["success"] == audited(cito, "imports.confirm")


@pytest.mark.req("EDX-6")
async def test_cancel_stores_nothing_and_a_cancelled_preview_cannot_be_confirmed(
    client: httpx.AsyncClient, cito: Examkit
) -> None:
    enter_as(client, cito, ADMIN)
    where = (await upload(client, FILE)).headers["location"]
    cancel_token = form_token_of((await client.get(where)).text)
    confirm_token = form_token_of((await client.get(where)).text)  # a second tab
    cancelled = await post_form(client, f"{where}/cancel", cancel_token)
    assert (303, "/imports?cancelled=1") == (
        cancelled.status_code,
        cancelled.headers["location"],
    )
    told = await client.get("/imports?cancelled=1")
    assert "De import is geannuleerd" in told.text
    refused = await post_form(client, f"{where}/confirm", confirm_token)
    assert 404 == refused.status_code
    assert 'role="alert"' in refused.text
    assert () == cito.rosters.school_years(L00)
    assert 404 == (await client.get(where)).status_code


@pytest.mark.req("EDX-1", "EDX-6", "WEB-1")
@pytest.mark.parametrize(("lang", "words"), [("nl", "Regel"), ("en", "Line")])
async def test_a_broken_file_shows_every_problem_with_its_line_and_stores_nothing(
    client: httpx.AsyncClient, cito: Examkit, lang: str, words: str
) -> None:
    enter_as(client, cito, ADMIN)
    refused = await upload(client, BROKEN, lang=lang, name="kapot.xml")
    assert 422 == refused.status_code
    assert f'lang="{lang}"' in refused.text
    assert 'role="alert"' in refused.text
    assert "kapot.xml" in refused.text
    assert f'<th scope="col">{words}</th>' in refused.text
    assert "<tr><td>14</td>" in refused.text  # the line of <jaargroep>99</jaargroep>
    assert "99" in refused.text
    assert [] == audited(cito, "imports.preview")
    not_xml = await upload(client, b"dit is geen EDEXML", lang=lang)
    assert 422 == not_xml.status_code
    assert "<tr><td>1</td>" in not_xml.text
    assert () == cito.rosters.school_years(L00)


@pytest.mark.req("EDX-1", "EDX-6")
async def test_a_file_over_the_size_limit_is_refused_with_a_clear_error(
    client: httpx.AsyncClient, cito: Examkit, monkeypatch: pytest.MonkeyPatch
) -> None:
    enter_as(client, cito, ADMIN)
    monkeypatch.setattr(ImportsPages, "max_upload", 1024 * 1024)
    big = FILE + b" " * (2 * 1024 * 1024)
    refused = await upload(client, big, lang="en")
    assert 413 == refused.status_code
    assert "The file is larger than 1 MB." in refused.text
    empty = await upload(client, b"", name="", lang="nl")
    assert 400 == empty.status_code
    assert "Kies een EDEXML-bestand." in empty.text
    assert [] == audited(cito, "imports.preview")


@pytest.mark.req("WEB-2")
async def test_a_cross_site_post_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, cito: Examkit
) -> None:
    enter_as(client, cito, ADMIN)
    shown = await client.get("/imports")
    refused = await client.post(
        "/imports",
        data={"form_token": form_token_of(shown.text)},
        files={"file": ("school.xml", FILE, "text/xml")},
        headers={"Origin": "https://evil.example"},
        follow_redirects=False,
    )
    assert 403 == refused.status_code
    where = (await upload(client, FILE)).headers["location"]
    token = form_token_of((await client.get(where)).text)
    forged = await client.post(
        f"{where}/confirm",
        data={"form_token": token},
        headers={"Sec-Fetch-Site": "cross-site"},
        follow_redirects=False,
    )
    assert 403 == forged.status_code
    assert ["success"] == audited(cito, "imports.preview")
    assert () == cito.rosters.school_years(L00)


@pytest.mark.req("WEB-1")
@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("nl", ("Importeren EDEXML-bestand", "Controleer en bevestig", "Klassen", "Klas 4A")),
        ("en", ("Import an EDEXML file", "Check and confirm", "Classes", "Class 4A")),
    ],
)
async def test_every_page_renders_in_both_languages(
    client: httpx.AsyncClient, cito: Examkit, lang: str, expected: tuple[str, ...]
) -> None:
    imported(cito)
    enter_as(client, cito, ADMIN)
    query = f"?lang={lang}"
    where = (await upload(client, CHANGED)).headers["location"]
    pages = ["/imports", where, "/classes", "/classes/22AB00/G4A"]
    for page, text in zip(pages, expected, strict=True):
        shown = await client.get(page + query)
        assert 200 == shown.status_code, page
        assert f'lang="{lang}"' in shown.text
        assert text in shown.text
    result = await client.get(
        f"/imports/confirmed?location=22AB00&school_year=2026-2027&pupils=1-2-3&lang={lang}"
    )
    assert ("Import bevestigd" if lang == "nl" else "Import confirmed") in result.text
    assert "<td>1</td><td>2</td><td>3</td>" in result.text
    made_up = await client.get(f"/imports/confirmed?location=%3Cb%3E&lang={lang}")
    assert 422 == made_up.status_code


@pytest.fixture
async def demo_client(tmp_path: Path) -> AsyncIterator[tuple[httpx.AsyncClient, Demo]]:
    demo = demo_app(tmp_path)
    transport = httpx.ASGITransport(app=demo.app)
    async with httpx.AsyncClient(transport=transport, base_url=demo.origin) as client:
        yield client, demo


@pytest.mark.req("EDX-3", "WEB-1")
async def test_the_demo_administrator_sees_the_demo_school_s_classes_and_pupils(
    demo_client: tuple[httpx.AsyncClient, Demo],
) -> None:
    client, demo = demo_client
    token, _ = demo.kit.web_sessions.start("demo-beheerder")
    client.cookies.set("session", token)
    home = (await client.get("/")).text
    assert 'href="/imports"' in home
    assert 'href="/classes"' in home
    classes = (await client.get("/classes")).text
    year = str(calendar_year(demo.kit.clock.now()))
    for text in ("4A", "5B", "Plusklas", year, 'value="22AB01"'):
        assert text in classes
    pupils = (await client.get("/classes/22AB00/G5B")).text
    assert "Elif Yılmaz" in pupils
    nothing = await client.get("/classes?location=22AB01")
    assert 404 == nothing.status_code
    assert 'role="alert"' in nothing.text
    assert 200 == (await client.get("/imports")).status_code


@pytest.mark.req("EDX-2", "EDX-6")
async def test_an_expired_a_stale_and_another_administrators_preview_are_refused_clearly(
    client: httpx.AsyncClient, cito: Examkit
) -> None:
    enter_as(client, cito, ADMIN)
    where = (await upload(client, FILE)).headers["location"]
    token = form_token_of((await client.get(where)).text)
    clock = cito.clock
    assert isinstance(clock, ManualClock)
    clock.advance(timedelta(minutes=61))
    enter_as(client, cito, ADMIN)  # the web session went idle meanwhile
    expired = await client.get(f"{where}?lang=en")
    assert 404 == expired.status_code
    assert 'role="alert"' in expired.text
    assert 404 == (await post_form(client, f"{where}/confirm", token)).status_code
    assert () == cito.rosters.school_years(L00)
    stale = (await upload(client, FILE)).headers["location"]
    imported(cito)  # meanwhile, the same school's file is confirmed elsewhere
    refused = await client.get(stale)
    assert 409 == refused.status_code
    assert 'role="alert"' in refused.text
    other = user_with(cito, "cito_lvs.administrator as well")
    enter_as(client, cito, other)
    assert 403 == (await client.get(stale)).status_code


@pytest.mark.req("EDX-2", "EDX-5")
async def test_a_file_with_only_a_schoolkey_takes_the_chosen_location(
    client: httpx.AsyncClient, cito: Examkit
) -> None:
    keyed = FILE.replace(
        b"    <brincode>22AB</brincode>\n    <dependancecode>00</dependancecode>\n", b""
    )
    enter_as(client, cito, ADMIN)
    page = (await client.get("/imports")).text
    assert '<option value="22AB00">22AB00</option>' in page
    unplaced = await upload(client, keyed, lang="en")
    assert 422 == unplaced.status_code
    assert 'role="alert"' in unplaced.text
    shown = await client.get("/imports")
    placed = await client.post(
        "/imports",
        data={"form_token": form_token_of(shown.text), "location": "22AB00"},
        files={"file": ("school.xml", keyed, "text/xml")},
        headers={"Origin": ORIGIN},
        follow_redirects=False,
    )
    assert 303 == placed.status_code
    assert "22AB00" in (await client.get(placed.headers["location"])).text
    shown = await client.get("/imports")
    elsewhere = await client.post(
        "/imports",
        data={"form_token": form_token_of(shown.text), "location": "22AB01"},
        files={"file": ("school.xml", keyed, "text/xml")},
        headers={"Origin": ORIGIN},
        follow_redirects=False,
    )
    assert 403 == elsewhere.status_code
    assert 'role="alert"' in elsewhere.text


@pytest.mark.req("EDX-6", "WEB-2")
async def test_a_second_submission_of_the_upload_changes_nothing(
    client: httpx.AsyncClient, cito: Examkit
) -> None:
    enter_as(client, cito, ADMIN)
    shown = await client.get("/imports")
    sent = {"form_token": form_token_of(shown.text), "location": ""}
    answers = [
        await client.post(
            "/imports",
            data=sent,
            files={"file": ("school.xml", FILE, "text/xml")},
            headers={"Origin": ORIGIN},
            follow_redirects=False,
        )
        for _ in range(2)
    ]
    assert [303, 409] == [answer.status_code for answer in answers]
    assert ["success"] == audited(cito, "imports.preview")


@pytest.mark.req("EDX-3")
async def test_a_class_s_pupils_come_a_page_at_a_time(
    client: httpx.AsyncClient, cito: Examkit, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(portal._classes, "PAGE_SIZE", 1)
    imported(cito)
    enter_as(client, cito, ADMIN)
    first = (await client.get("/classes/22AB00/G4A")).text
    found = re.search(r'href="(/classes/22AB00/G4A\?after=[^"]+)">Volgende leerlingen', first)
    assert found is not None
    second = (await client.get(found.group(1).replace("&amp;", "&"))).text
    assert ("Sem de Vries" in first, "Noor Bakker" in first) == (True, False)
    assert ("Sem de Vries" in second, "Noor Bakker" in second) == (False, True)
    assert "Volgende leerlingen" not in second
