# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The candidate's test in real Chromium: keyboard alone, a cut network, two tabs, a late save,
and the server killed and started again, with nothing lost (WEB-4).

"Nothing lost" is checked as the issue words it: every answer the page
showed as saved is stored, and shown again when the candidate comes back.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from tests.e2e.conftest import Served, assert_accessible, free_port
from tests.portal.exam_day import ReleasedGroup, released_group
from tests.school import add_school

from examkit import Examkit, Settings
from examkit.backends.sql import SQLBackend
from examkit.scheduling import Facilities
from examkit.testing import RecordingMailer, cheap_hasher

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

PORTAL_DIR = Path(__file__).resolve().parents[2] / "examples" / "portal"
KEY_HEX = "6b" * 32


def stored(kit: Examkit, group: ReleasedGroup, n: int = 0) -> dict[str, Any]:
    """Return the answers stored for candidate *n* of *group*."""
    attempt = kit.sitting.attempt(group.id, group.candidates[n].id)
    return {item: saved.value for item, saved in attempt.responses.items()}


def tab_to(page: Page, selector: str, limit: int = 60) -> None:
    """Press Tab until *selector* has the focus (keyboard alone), or fail."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement === document.querySelector(s)", selector):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"{selector} never got the focus by Tab")


def sign_in(page: Page, origin: str, group: ReleasedGroup, n: int = 0, *, lang: str = "") -> None:
    """Sign candidate *n* in with the keyboard and wait for the player."""
    page.goto(f"{origin}/test{lang}")
    tab_to(page, "#login")
    page.keyboard.type(group.candidates[n].login_name.lower())
    page.keyboard.press("Tab")
    page.keyboard.type(group.code)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{origin}/test/player")
    page.wait_for_selector("#player")


def saved(page: Page) -> None:
    """Wait until the page says every answer is saved."""
    page.wait_for_function(
        "() => ['Opgeslagen', 'Saved'].includes(document.getElementById('save-status')"
        ".textContent) && document.getElementById('connection').hidden",
        timeout=15000,
    )


def next_screen(page: Page, screen: int) -> None:
    """Go to the next screen with the keyboard (its button, then Enter)."""
    tab_to(page, f'#screen-{screen} button[data-step="1"]')
    page.keyboard.press("Enter")
    page.wait_for_selector(f"#screen-{screen + 1}:not([hidden])")


@pytest.mark.req("WEB-4", "WEB-1", "SCH-4", "SCH-6")
def test_a_candidate_answers_every_item_kind_by_keyboard_and_hands_in(
    portal: Served, page: Page
) -> None:
    """Every kind by keyboard, each screen checked by axe; hand-in; Back does not reopen."""
    kit, origin = portal.kit, portal.origin
    group = released_group(kit, facilities=Facilities(read_aloud=True, enlarged_print=True))
    page.goto(f"{origin}/test")
    assert_accessible(page)
    page.fill("#login", group.candidates[0].login_name)
    page.fill("#code", "AAAA-AAAA")
    page.keyboard.press("Enter")
    page.wait_for_selector("[role=alert]")
    assert_accessible(page)
    sign_in(page, origin, group)
    assert_accessible(page)
    tab_to(page, "#answer-0-0")
    page.keyboard.press("ArrowDown")  # the radio group moves to B and chooses it
    saved(page)
    next_screen(page, 0)
    assert_accessible(page)
    tab_to(page, "#answer-1-0")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    next_screen(page, 1)
    tab_to(page, "#answer-2")
    page.keyboard.type("Amsterdam")
    next_screen(page, 2)
    tab_to(page, "#answer-3")
    page.keyboard.type("0,8")
    next_screen(page, 3)
    assert_accessible(page)
    tab_to(page, "#answer-4")
    page.keyboard.type("Beste gemeente, wij willen een speelplaats.")
    next_screen(page, 4)
    saved(page)
    assert page.is_visible("#all-answered")
    assert_accessible(page)
    assert {
        "v1": {"chosen": ["B"]},
        "v2": {"chosen": ["A", "C"]},
        "v3": {"text": "Amsterdam"},
        "v4": {"value": "0,8"},
        "v5": {"text": "Beste gemeente, wij willen een speelplaats."},
    } == stored(kit, group)
    assert 5 == page.locator(".item-nav a.answered").count()
    tab_to(page, '#hand-in-form button[type="submit"]')
    page.keyboard.press("Enter")
    page.wait_for_url(f"{origin}/test/done")
    assert "Je toets is ingeleverd." in page.inner_text("main")
    assert_accessible(page)
    page.go_back()
    page.wait_for_url(f"{origin}/test/done")
    assert "Je toets is ingeleverd." in page.inner_text("main")


@pytest.mark.req("WEB-4", "SCH-4", "SCH-7")
def test_answers_given_offline_are_kept_and_sent_when_the_network_returns(
    portal: Served, page: Page
) -> None:
    """The network cut: the page says so, keeps the answers (localStorage too), sends them later."""
    kit, origin = portal.kit, portal.origin
    group = released_group(kit)
    sign_in(page, origin, group, lang="?lang=en")
    page.check("#answer-0-0")
    saved(page)
    page.context.set_offline(True)
    tab_to(page, "#answer-0-0")
    page.keyboard.press("ArrowDown")
    next_screen(page, 0)
    next_screen(page, 1)
    tab_to(page, "#answer-2")
    page.keyboard.type("Amsterdam")
    page.keyboard.press("Tab")
    page.wait_for_selector("#connection:not([hidden])")
    assert "No connection" in page.inner_text("#connection")
    queued = page.evaluate(
        "() => Object.keys(localStorage).filter(k => k.startsWith('examkit-queue:'))"
        ".map(k => JSON.parse(localStorage.getItem(k)).queue.length)"
    )
    assert [2] == queued
    assert_accessible(page)
    assert {"v1": {"chosen": ["A"]}} == stored(kit, group)
    page.context.set_offline(False)
    saved(page)
    assert {"v1": {"chosen": ["B"]}, "v3": {"text": "Amsterdam"}} == stored(kit, group)
    assert [] == page.evaluate(
        "() => Object.keys(localStorage).filter(k => k.startsWith('examkit-queue:'))"
    )


@pytest.mark.req("WEB-4", "SCH-4", "SCH-7")
def test_two_tabs_of_one_candidate_keep_the_newest_answer(portal: Served, page: Page) -> None:
    """The older tab is superseded once the newer saved: it says so and stops saving."""
    kit, origin = portal.kit, portal.origin
    group = released_group(kit)
    sign_in(page, origin, group)
    newer = page.context.new_page()
    newer.goto(f"{origin}/test/player")
    newer.wait_for_selector("#player")
    page.check("#answer-0-0")
    saved(page)
    newer.check("#answer-0-2")
    saved(newer)
    page.check("#answer-0-3")
    page.wait_for_selector("#superseded:not([hidden])")
    assert page.is_disabled("#answer-0-1")
    assert_accessible(page)
    assert {"v1": {"chosen": ["C"]}} == stored(kit, group)
    newer.reload()
    newer.wait_for_selector("#player")
    assert newer.is_checked("#answer-0-2")
    newer.close()


@pytest.mark.req("WEB-4", "SCH-4", "SCH-7")
def test_a_save_after_the_deadline_is_refused_and_counted(portal: Served, page: Page) -> None:
    """Queued offline past the deadline: sent when back, refused, counted; the page closes."""
    kit, origin = portal.kit, portal.origin
    start = kit.clock.now() - timedelta(minutes=60) + timedelta(seconds=10)
    group = released_group(kit, starts_at=start)
    sign_in(page, origin, group)
    page.check("#answer-0-0")
    saved(page)
    page.context.set_offline(True)
    page.check("#answer-0-1")
    page.wait_for_selector("#time-up:not([hidden])", timeout=15000)
    assert_accessible(page)
    page.context.set_offline(False)
    page.wait_for_url(f"{origin}/test/done", timeout=15000)
    assert "De tijd is om" in page.inner_text("main")
    attempt = kit.sitting.attempt(group.id, group.candidates[0].id)
    assert ({"v1": {"chosen": ["A"]}}, 1) == (stored(kit, group), attempt.late_saves)
    report = kit.session_reports.session_report(group.staff["proctor"], group.id)
    assert [1] == [line.late_saves for line in report.attendance]


# -- the server killed and started again ------------------------------------------------------


class Server:
    """``python -m portal serve`` in a process of its own, on an SQLite file and a fixed port."""

    def __init__(self, database: Path, port: int) -> None:
        self.log = database.with_suffix(".log")
        self.port = port
        self.origin = f"http://127.0.0.1:{port}"
        self.env = {
            **os.environ,
            "PYTHONPATH": str(PORTAL_DIR),
            "EXAMKIT_PORTAL_TOKEN_KEY": KEY_HEX,
            "EXAMKIT_PORTAL_BASE_URL": self.origin,
            "EXAMKIT_PORTAL_DATABASE": f"sqlite:///{database}",
            "EXAMKIT_PORTAL_MAIL_EVERY": "0",
            "EXAMKIT_PORTAL_CONNECTION_LOST_SECONDS": "2",
        }
        self.process: subprocess.Popen[bytes] | None = None
        self.errors: Any = None

    def start(self) -> None:
        """Start it and wait until it answers."""
        self.errors = self.log.open("ab")
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "portal", "serve", "--port", str(self.port)],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=self.errors,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.origin}/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        pytest.fail(f"the portal process did not start: {self.log.read_text()[-2000:]}")

    def kill(self) -> None:
        """Kill it at once (SIGKILL: no shutdown, nothing flushed)."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
        if self.errors is not None:
            self.errors.close()


@pytest.fixture
def served_apart(tmp_path: Path) -> Iterator[tuple[Server, Examkit, ReleasedGroup]]:
    """A released group on an SQLite file, and a portal process over that file."""
    database = tmp_path / "portal.db"
    backend = SQLBackend(f"sqlite:///{database}")
    port = free_port()
    kit = Examkit(
        backend=backend,
        mailer=RecordingMailer(),
        settings=Settings(token_key=bytes.fromhex(KEY_HEX), base_url=f"http://127.0.0.1:{port}"),
        hasher=cheap_hasher("apart"),
    )
    add_school(kit)
    group = released_group(kit)
    server = Server(database, port)
    server.start()
    try:
        yield server, kit, group
    finally:
        server.kill()
        backend.close()


@pytest.mark.req("WEB-4", "SCH-4", "SCH-7")
def test_the_server_killed_and_restarted_mid_test_loses_nothing_the_page_showed_as_saved(
    served_apart: tuple[Server, Examkit, ReleasedGroup], browser: Browser
) -> None:
    """kill -9 while the candidate answers; started again on the same file and port; resumed."""
    server, kit, group = served_apart
    origin = server.origin
    context: BrowserContext = browser.new_context()
    page = context.new_page()
    sign_in(page, origin, group)
    page.check("#answer-0-1")
    saved(page)
    next_screen(page, 0)
    page.check("#answer-1-0")
    saved(page)
    server.kill()
    page.check("#answer-1-3")
    next_screen(page, 1)
    page.fill("#answer-2", "Amsterdam")
    page.keyboard.press("Tab")
    page.wait_for_selector("#connection:not([hidden])", timeout=15000)
    assert_accessible(page)
    server.start()
    saved(page)
    shown = {"v1": {"chosen": ["B"]}, "v2": {"chosen": ["A", "D"]}, "v3": {"text": "Amsterdam"}}
    assert shown == stored(kit, group)
    # the browser closed; signing in again (the connection lost) resumes with every answer
    context.close()
    time.sleep(2.5)
    again = browser.new_context()
    page = again.new_page()
    sign_in(page, origin, group)
    assert page.is_checked("#answer-0-1")
    assert page.is_checked("#answer-1-0")
    assert page.is_checked("#answer-1-3")
    assert "Amsterdam" == page.input_value("#answer-2")
    assert 3 == page.locator(".item-nav a.answered").count()
    assert_accessible(page)
    again.close()
