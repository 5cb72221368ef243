"""What the portal's browser tests share: the portal in uvicorn, Debian's Chromium, axe-core.

The portal runs in uvicorn on loopback over an SQLite file with the school
of :mod:`tests.school`; Playwright from PyPI drives ``/usr/bin/chromium``
(no browser is downloaded). Without Chromium, or without axe-core from npm
(``npm ci`` at the top of the repository; ``make test`` runs it), a test
skips, and fails under ``EXAMKIT_CI=1``.

:func:`assert_accessible` runs axe-core on the page as it stands and fails
on any serious or critical violation; the flows call it at every state
they pass (a form, its refusal, the result), in both languages.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import pytest
from tests.conftest import need_system_tool
from tests.school import ADMIN_LOGIN, ADMIN_PASSWORD, add_school

from examkit import Examkit, Settings
from examkit.backends.sql import SQLBackend
from examkit.testing import RecordingMailer, cheap_hasher

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

    from portal import PortalConfig

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
"""As root with no network: no sandbox, and no calls home that the closed network refuses."""
SYSTEMS = ("facet", "cito_lvs", "vlaamse_toetsen", "examkit")
"""The systems staff sign in to on the :func:`portal` fixture's sign-in page (the demo's)."""


def free_port() -> int:
    """Return a free TCP port on loopback."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@attrs.frozen
class Served:
    """The portal served on loopback: its address and its kit."""

    origin: str
    """``http://127.0.0.1:<port>``."""
    kit: Examkit
    """The kit behind it (its mailer a :class:`~examkit.testing.RecordingMailer`)."""

    @property
    def mailer(self) -> RecordingMailer:
        """The kit's recording mailer."""
        assert isinstance(self.kit.mailer, RecordingMailer)
        return self.kit.mailer

    def url(self, path: str) -> str:
        """Return the address of *path* on the portal."""
        return f"{self.origin}{path}"

    def mailed_code(self) -> str:
        """Return the one-time password of the newest sign-in e-mail."""
        found = re.search(r"\b(\d{6})\b", self.mailer.last("auth.otp").body)
        assert found is not None
        return found.group(1)


@contextlib.contextmanager
def serving(kit: Examkit, config: PortalConfig, port: int) -> Iterator[None]:
    """Serve the portal of *kit* and *config* in uvicorn on loopback *port* (a thread) meanwhile."""
    import uvicorn

    from portal import create_app

    server = uvicorn.Server(
        uvicorn.Config(create_app(kit, config), host="127.0.0.1", port=port, log_level="error")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def portal(tmp_path: Path) -> Iterator[Served]:
    """The portal in uvicorn on loopback over a fresh SQLite file with the school.

    Its sign-in page offers every system of :data:`SYSTEMS`, Facet first.
    """
    from portal import PortalConfig
    from portal._config import PATHS

    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    backend = SQLBackend(f"sqlite:///{tmp_path / 'portal.db'}")
    kit = Examkit(
        backend=backend,
        mailer=RecordingMailer(),
        settings=Settings(token_key=b"k" * 32, base_url=origin, paths=PATHS),
        hasher=cheap_hasher("browser"),
    )
    add_school(kit, with_password=True)
    config = PortalConfig(
        base_url=origin,
        token_key=b"k" * 32,
        database="unused",
        applications=SYSTEMS,
        secure_cookies=False,
    )
    try:
        with serving(kit, config, port):
            yield Served(origin, kit)
    finally:
        backend.close()


def chromium_path() -> str:
    """Return Debian's Chromium, or skip (fail under ``EXAMKIT_CI=1``) without it."""
    if CHROMIUM is None:
        need_system_tool("Chromium is not installed (Debian's package chromium)")
    assert CHROMIUM is not None
    return CHROMIUM


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, one per test module."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page in a context of its own (no cookies from another test)."""
    context = browser.new_context()
    opened = context.new_page()
    yield opened
    context.close()


def assert_accessible(page: Page) -> None:
    """Run axe-core on *page* as it stands; fail on a serious or critical violation.

    axe-core is evaluated through the browser's debugging protocol, which the
    portal's Content-Security-Policy (no inline script) does not govern.
    """
    if not AXE.exists():
        need_system_tool(f"axe-core is not installed ({AXE}); run `npm ci`")
    result = _axe_results(page)
    serious = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:3])
        for violation in result["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]
    assert [] == serious, f"{page.url}: {serious}"


def _axe_results(page: Page) -> dict[str, Any]:
    """Return axe-core's results on the page once it has loaded.

    A click that navigates returns before the next page is there; a document
    that goes away under axe is checked again when its successor has loaded.
    """
    from playwright.sync_api import Error

    source = AXE.read_text(encoding="utf-8")
    for _ in range(2):
        page.wait_for_load_state("load")
        try:
            return _run_axe(page, source)
        except Error:
            page.wait_for_timeout(200)
    page.wait_for_load_state("load")
    return _run_axe(page, source)


def _run_axe(page: Page, source: str) -> dict[str, Any]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(source)
    found: dict[str, Any] = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return found


def sign_in_in_browser(
    page: Page,
    portal: Served,
    login: str = ADMIN_LOGIN,
    password: str = ADMIN_PASSWORD,
    *,
    system: str | None = None,
) -> None:
    """Sign in through the pages (password, then the mailed code), checking each page's a11y.

    *system* is chosen on the sign-in page (``vlaamse_toetsen``, ...); else its default, Facet.
    """
    page.goto(portal.url("/sign-in"))
    assert_accessible(page)
    if system is not None:
        page.select_option("#application", system)
    page.fill("#login", login)
    page.fill("#password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(portal.url("/sign-in/code"))
    assert_accessible(page)
    page.fill("#code", portal.mailed_code())
    page.click("main button[type=submit]")
    page.wait_for_url(portal.url("/"))
