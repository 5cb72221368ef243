# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The candidate's test: sign-in with the access code, the player, saves and epochs, the end."""

from __future__ import annotations

import re
from datetime import timedelta
from fractions import Fraction
from typing import Any

import httpx
import pytest
from tests.portal.conftest import ORIGIN, enter_as, form_token_of, portal_config, submit
from tests.portal.exam_day import ReleasedGroup, released_group
from tests.school import ADMIN

from examkit import Examkit
from examkit.errors import ConfigurationError
from examkit.scheduling import AttemptState, Facilities, page_of
from examkit.scoring import ChoiceItem, Item, NumericItem, OpenItem, TextItem
from examkit.testing import ManualClock
from portal import PortalConfig, create_app
from portal._test_content import CONTENTS, DEMO, answer_key_of

pytestmark = pytest.mark.anyio

ACCESS = {
    ("GET", "/test"): "public",
    ("POST", "/test"): "public",
    ("GET", "/test/player"): "public",
    ("POST", "/test/save"): "public",
    ("POST", "/test/contact"): "public",
    ("POST", "/test/hand-in"): "public",
    ("GET", "/test/done"): "public",
}
"""Each route's declared access, written out by hand: a candidate has no account, so every
page is public to the portal and checks the candidate's own cookie."""

ROLES: dict[str | None, dict[str, tuple[int, str | None]]] = {
    role: {
        "/test": (200, None),
        "/test/player": (303, "/test"),
        "/test/done": (303, "/test"),
    }
    for role in (None, "facet.administrator", "facet.proctor")
}
"""What each kind of visitor without a candidate's sign-in gets: the sign-in, else to it."""


async def signed_in(client: httpx.AsyncClient, group: ReleasedGroup, n: int = 0) -> httpx.Response:
    """Sign candidate *n* of *group* in through the page; return the answer."""
    return await submit(
        client,
        "/test",
        "/test",
        {"login_name": group.candidates[n].login_name.lower(), "access_code": group.code},
    )


def page_of_html(html: str) -> tuple[int, str]:
    """Return the player page's epoch and save token."""
    epoch = re.search(r'data-epoch="(\d+)"', html)
    token = re.search(r'<meta name="examkit-save" content="([0-9a-f]+)">', html)
    assert epoch is not None, html[:500]
    assert token is not None, html[:500]
    return int(epoch.group(1)), token.group(1)


async def open_player(client: httpx.AsyncClient) -> tuple[int, str, str]:
    """Load the player; return its epoch, save token and HTML."""
    shown = await client.get("/test/player")
    assert 200 == shown.status_code, shown.text[:300]
    epoch, token = page_of_html(shown.text)
    return epoch, token, shown.text


async def save(  # noqa: PLR0917 - the save's own fields, as the page sends them
    client: httpx.AsyncClient,
    page: tuple[int, str],
    counter: int,
    item: str,
    value: Any,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """Send one save of *page* (epoch, token) as the player does."""
    epoch, token = page
    return await client.post(
        "/test/save",
        json={"epoch": epoch, "counter": counter, "item": item, "value": value},
        headers={"Origin": ORIGIN, "X-Examkit-Save": token, **(headers or {})},
    )


def stored(kit: Examkit, group: ReleasedGroup, n: int = 0) -> dict[str, Any]:
    """Return the stored answers of candidate *n*."""
    attempt = kit.sitting.attempt(group.id, group.candidates[n].id)
    return {item: response.value for item, response in attempt.responses.items()}


@pytest.mark.req("WEB-2", "WEB-4")
async def test_each_kind_of_visitor_without_a_sign_in_gets_the_sign_in_page(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    group = released_group(kit)
    for role, pages in ROLES.items():
        client.cookies.clear()
        if role == "facet.administrator":
            enter_as(client, kit, ADMIN)
        elif role == "facet.proctor":
            enter_as(client, kit, group.staff["proctor"])
        for path, (status, location) in pages.items():
            answer = await client.get(path, follow_redirects=False)
            assert (status, location) == (answer.status_code, answer.headers.get("location")), (
                role,
                path,
            )


@pytest.mark.req("SCH-6", "AUTH-12", "WEB-1")
async def test_a_candidate_signs_in_with_the_code_and_gets_a_strict_cookie_for_the_test(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    group = released_group(kit)
    page = await client.get("/test")
    assert "Start je toets" in page.text
    assert "Toegangscode" in page.text
    assert "Start your test" in (await client.get("/test?lang=en")).text
    answer = await signed_in(client, group)
    assert (303, "/test/player") == (answer.status_code, answer.headers["location"])
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith("examkit_candidate=")
    for part in ("HttpOnly", "SameSite=strict", "Path=/test", "Secure"):
        assert part.lower() in cookie.lower(), cookie
    attempt = kit.sitting.attempt(group.id, group.candidates[0].id)
    assert AttemptState.IN_PROGRESS == attempt.state
    # signed in, the sign-in page goes on with the test
    again = await client.get("/test", follow_redirects=False)
    assert (303, "/test/player") == (again.status_code, again.headers["location"])


@pytest.mark.req("SCH-6", "AUTH-12")
async def test_a_wrong_code_is_refused_and_a_second_submission_changes_nothing(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    group = released_group(kit)
    login = group.candidates[0].login_name
    refused = await submit(
        client, "/test", "/test", {"login_name": login, "access_code": "AAAA-AAAA"}
    )
    assert 403 == refused.status_code
    assert "Combinatie inlognaam/toegangscode is ongeldig." in refused.text
    assert "examkit_candidate" not in refused.headers.get("set-cookie", "")
    shown = await client.get("/test")
    token = form_token_of(shown.text)
    data = {"login_name": login, "access_code": group.code, "form_token": token}
    first = await client.post("/test", data=data, headers={"Origin": ORIGIN})
    assert 303 == first.status_code
    client.cookies.clear()
    second = await client.post("/test", data=data, headers={"Origin": ORIGIN})
    assert 409 == second.status_code
    assert "examkit_candidate" not in second.headers.get("set-cookie", "")
    cross = await client.post(
        "/test", data=data, headers={"Origin": "https://evil.example"}, follow_redirects=False
    )
    assert 403 == cross.status_code


@pytest.mark.req("SCH-4", "WEB-1", "WEB-4")
async def test_the_player_shows_every_item_kind_in_both_languages_with_the_answers_so_far(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    group = released_group(kit, facilities=Facilities(read_aloud=True, enlarged_print=True))
    await signed_in(client, group)
    epoch, _, html = await open_player(client)
    assert 1 == epoch
    assert len(DEMO.items) == html.count("<fieldset")
    for kind in ("choice", "multiple", "text", "numeric", "extended"):
        assert f'data-kind="{kind}"' in html
    assert 'type="radio"' in html
    assert 'type="checkbox"' in html
    assert "<textarea" in html
    assert 'class="player large"' in html
    assert "Voorlezen" in html
    assert "Vraag 1 van 5" in html
    assert "Resterende tijd" in html
    assert "1:00:00" in html
    english = await client.get("/test/player?lang=en")
    assert "Question 1 of 5" in english.text
    assert "Time left" in english.text
    assert "no-store" == english.headers["cache-control"]
    assert 2 == page_of_html(english.text)[0]


@pytest.mark.req("SCH-4", "SCH-7", "WEB-4")
async def test_saves_are_stored_acknowledged_and_an_older_page_is_superseded(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    group = released_group(kit)
    await signed_in(client, group)
    first = (await open_player(client))[:2]
    answer = await save(client, first, 1, "v1", {"chosen": ["B"]})
    assert 200 == answer.status_code
    body = answer.json()
    assert (True, True, False) == (body["stored"], body["acknowledged"], body["superseded"])
    assert 3600 == body["seconds_left"]
    resent = (await save(client, first, 1, "v1", {"chosen": ["B"]})).json()
    assert (False, True, False) == (resent["stored"], resent["acknowledged"], resent["superseded"])
    second = (await open_player(client))[:2]
    assert 2 == second[0]
    assert (await save(client, first, 2, "v3", {"text": "Amsterdam"})).json()["stored"]
    assert (await save(client, second, 1, "v3", {"text": "Den Haag"})).json()["stored"]
    old = (await save(client, first, 3, "v3", {"text": "Utrecht"})).json()
    assert (False, False, True) == (old["stored"], old["acknowledged"], old["superseded"])
    assert {"v1": {"chosen": ["B"]}, "v3": {"text": "Den Haag"}} == stored(kit, group)
    last = kit.sitting.attempt(group.id, group.candidates[0].id).last_sequence
    assert (2, 1) == page_of(last)
    # the reloaded page shows what is stored
    html = (await open_player(client))[2]
    assert 'value="Den Haag"' in html
    assert 'value="B" checked' in html


@pytest.mark.req("SCH-4", "WEB-2", "WEB-4")
async def test_a_save_needs_the_pages_token_the_candidates_cookie_and_this_site(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    group = released_group(kit)
    await signed_in(client, group)
    epoch, token, _ = await open_player(client)
    assert 403 == (await save(client, (epoch, "0" * 64), 1, "v1", {"chosen": ["A"]})).status_code
    assert 403 == (await save(client, (epoch + 1, token), 1, "v1", {"chosen": ["A"]})).status_code
    cross = await save(
        client, (epoch, token), 1, "v1", {"chosen": ["A"]}, {"Origin": "https://x.example"}
    )
    assert (403, {"error": "cross_site"}) == (cross.status_code, cross.json())
    unknown = await save(client, (epoch, token), 1, "v9", {"text": "x"})
    assert (400, "sessions.response.item") == (unknown.status_code, unknown.json()["refused"])
    no_json = await client.post(
        "/test/save", content=b"[", headers={"Origin": ORIGIN, "X-Examkit-Save": token}
    )
    assert 400 == no_json.status_code
    assert {} == stored(kit, group)
    client.cookies.clear()
    signed_out = await save(client, (epoch, token), 1, "v1", {"chosen": ["A"]})
    assert (401, {"error": "signed_out"}) == (signed_out.status_code, signed_out.json())


@pytest.mark.req("SCH-4", "SCH-7", "WEB-4")
async def test_after_the_deadline_a_save_is_refused_counted_and_the_player_is_closed(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    group = released_group(kit)
    await signed_in(client, group)
    page = (await open_player(client))[:2]
    assert (await save(client, page, 1, "v1", {"chosen": ["A"]})).json()["stored"]
    assert isinstance(kit.clock, ManualClock)
    kit.clock.advance(minutes=60)
    late = await save(client, page, 2, "v1", {"chosen": ["C"]})
    assert 409 == late.status_code
    body = late.json()
    assert ("sessions.response.deadline", True) == (body["refused"], body["over"])
    assert "De tijd is om" in body["message"]
    attempt = kit.sitting.attempt(group.id, group.candidates[0].id)
    assert (1, {"v1": {"chosen": ["A"]}}) == (attempt.late_saves, stored(kit, group))
    (line,) = kit.proctoring.monitor(group.staff["proctor"]).groups[0].candidates
    assert 1 == line.late_saves
    closed = await client.get("/test/player", follow_redirects=False)
    assert (303, "/test/done") == (closed.status_code, closed.headers["location"])
    done = await client.get("/test/done")
    assert "De tijd is om. Je antwoorden zijn bewaard." in done.text
    assert "1 vraag beantwoord." in done.text


@pytest.mark.req("SCH-4", "SCH-7", "WEB-4")
async def test_after_the_hand_in_nothing_is_accepted_and_back_does_not_reopen_the_test(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    group = released_group(kit)
    await signed_in(client, group)
    epoch, token, _ = await open_player(client)
    assert (await save(client, (epoch, token), 1, "v3", {"text": "Amsterdam"})).json()["stored"]
    form = {"epoch": str(epoch), "page_token": token}
    forged = await client.post(
        "/test/hand-in", data={**form, "page_token": "0" * 64}, headers={"Origin": ORIGIN}
    )
    assert 403 == forged.status_code
    handed = await client.post("/test/hand-in", data=form, headers={"Origin": ORIGIN})
    assert (303, "/test/done") == (handed.status_code, handed.headers["location"])
    attempt = kit.sitting.attempt(group.id, group.candidates[0].id)
    assert AttemptState.SUBMITTED == attempt.state
    again = await client.post("/test/hand-in", data=form, headers={"Origin": ORIGIN})
    assert (303, "/test/done") == (again.status_code, again.headers["location"])
    assert attempt == kit.sitting.attempt(group.id, group.candidates[0].id)
    late = await save(client, (epoch, token), 2, "v3", {"text": "Utrecht"})
    assert (409, "sessions.response.not_in_progress", True) == (
        late.status_code,
        late.json()["refused"],
        late.json()["over"],
    )
    assert 1 == kit.sitting.attempt(group.id, group.candidates[0].id).late_saves
    back = await client.get("/test/player", follow_redirects=False)
    assert (303, "/test/done") == (back.status_code, back.headers["location"])
    done = await client.get("/test/done?lang=en")
    assert "Your test has been handed in." in done.text
    assert "no-store" == done.headers["cache-control"]
    # the next candidate at this computer gets the sign-in page, not the closed test
    assert 200 == (await client.get("/test", follow_redirects=False)).status_code


@pytest.mark.req("SCH-4", "WEB-4")
async def test_the_heartbeat_tells_the_state_and_a_lost_connection_lets_the_candidate_back_in(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    group = released_group(kit)
    await signed_in(client, group)
    epoch, token, _ = await open_player(client)
    assert (await save(client, (epoch, token), 1, "v4", {"value": "0,8"})).json()["stored"]
    beat = await client.post(
        "/test/contact", json={"epoch": epoch}, headers={"Origin": ORIGIN, "X-Examkit-Save": token}
    )
    assert {
        "state": "in_progress",
        "seconds_left": 3600,
        "over": False,
        "paused": False,
    } == beat.json()
    transport = httpx.ASGITransport(app=create_app(kit, portal_config()))
    async with httpx.AsyncClient(transport=transport, base_url=ORIGIN) as other:
        running = await signed_in(other, group)
        assert 409 == running.status_code  # still in contact: not a second computer
        assert isinstance(kit.clock, ManualClock)
        kit.clock.advance(seconds=20)
        (line,) = kit.proctoring.monitor(group.staff["proctor"]).groups[0].candidates
        assert line.connection_lost_since is not None
        back = await signed_in(other, group)
        assert (303, "/test/player") == (back.status_code, back.headers["location"])
        html = (await open_player(other))[2]
        assert 'value="0,8"' in html
        assert "0:59:40" in html


@pytest.mark.req("SCH-4", "SCH-7")
def test_the_grace_and_the_lost_connection_come_from_the_environment() -> None:
    env = {"EXAMKIT_PORTAL_TOKEN_KEY": "6b" * 32}
    default = PortalConfig.from_environment(env)
    assert (timedelta(0), timedelta(seconds=20)) == (
        default.sitting.grace,
        default.sitting.connection_lost_after,
    )
    chosen = PortalConfig.from_environment(
        {
            **env,
            "EXAMKIT_PORTAL_GRACE_SECONDS": "30",
            "EXAMKIT_PORTAL_CONNECTION_LOST_SECONDS": "45",
        }
    )
    assert (timedelta(seconds=30), timedelta(seconds=45)) == (
        chosen.sitting.grace,
        chosen.sitting.connection_lost_after,
    )
    with pytest.raises(ConfigurationError) as caught:
        PortalConfig.from_environment({**env, "EXAMKIT_PORTAL_GRACE_SECONDS": "soon"})
    assert "EXAMKIT_PORTAL_GRACE_SECONDS" == caught.value.field


@pytest.mark.req("SCH-4", "WEB-4")
async def test_while_paused_saves_wait_uncounted_and_go_through_once_resumed(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    group = released_group(kit)
    await signed_in(client, group)
    page = (await open_player(client))[:2]
    person, proctor = group.candidates[0].id, group.staff["proctor"]
    kit.proctoring.intervene(proctor, group.id, person, "pause")
    waiting = await save(client, page, 1, "v1", {"chosen": ["A"]})
    assert 409 == waiting.status_code
    assert ("sessions.response.not_in_progress", False) == (
        waiting.json()["refused"],
        waiting.json()["over"],
    )
    beat = await client.post(
        "/test/contact",
        json={"epoch": page[0]},
        headers={"Origin": ORIGIN, "X-Examkit-Save": page[1]},
    )
    assert (True, False) == (beat.json()["paused"], beat.json()["over"])
    shown = await client.get("/test/player")
    assert "De afnameleider heeft je toets gepauzeerd." in shown.text
    assert 'id="paused" class="alert" role="alert" hidden' not in shown.text
    kit.proctoring.intervene(proctor, group.id, person, "resume")
    # the queued save goes through once resumed (the reloaded page has not saved yet)
    assert (await save(client, page, 1, "v1", {"chosen": ["A"]})).json()["stored"]
    attempt = kit.sitting.attempt(group.id, person)
    assert (0, {"v1": {"chosen": ["A"]}}) == (attempt.late_saves, stored(kit, group))


def kind_of(item: Item) -> str:
    """Return how the player answers scoring's *item*."""
    if isinstance(item, ChoiceItem):
        return "multiple" if item.multiple else "choice"
    kinds = {TextItem: "text", NumericItem: "numeric", OpenItem: "extended"}
    return kinds[type(item)]


@pytest.mark.req("WEB-3", "SCO-1")
@pytest.mark.parametrize("code", sorted(CONTENTS))
def test_each_shipped_package_words_exactly_the_items_its_answer_key_defines(code: str) -> None:
    package = CONTENTS[code]
    assert code == package.code
    defined = package.definition.items
    assert [item.id for item in defined] == [item.id for item in package.items]
    for item, content in zip(defined, package.items, strict=True):
        assert (kind_of(item), item.max_score) == (content.kind, Fraction(content.max_score))
        assert content.prompt
        if isinstance(item, ChoiceItem):
            assert list(item.choices) == [choice.id for choice in content.choices]
    assert package.definition is answer_key_of(code)
    assert answer_key_of("XX-GEEN-PAKKET") is None
