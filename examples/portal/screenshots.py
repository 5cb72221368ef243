"""Take the documentation's screenshots of the portal: the demo, in Debian's Chromium.

    PYTHONPATH=examples/portal .venv/bin/python examples/portal/screenshots.py

Serves the demo (``python -m portal demo``'s data) on a free loopback port,
signs in as each account that :data:`SHOTS` names (the one-time code read
from the demo's mailbox), and saves each page to ``docs/images/portal/``
as a PNG, 1024 pixels wide. Run it again after a page changes and commit
the pictures with the change.
"""

from __future__ import annotations

import re
import shutil
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Final

import uvicorn
from playwright.sync_api import Page, sync_playwright

from portal._demo import DEMO_PASSWORD, demo_app
from portal._mailbox import DevMailbox

OUT: Final = Path(__file__).resolve().parents[2] / "docs" / "images" / "portal"
SHOTS: Final[tuple[tuple[str | None, str, str, str], ...]] = (
    (None, "", "/sign-in", "sign-in"),
    (None, "", "/apply", "apply"),
    ("22AB.K.Beheerder", "facet", "/", "home"),
    ("22AB.K.Beheerder", "facet", "/imports", "imports"),
    ("22AB.K.Beheerder", "facet", "/classes?location=22AB00", "classes"),
    ("22AB.K.Beheerder", "facet", "/profile", "profile"),
    ("22AB.K.Beheerder", "facet", "/users", "users"),
    ("22AB.K.Beheerder", "facet", "/users/demo-planner?location=22AB00", "user"),
    ("examkit.servicedesk", "examkit", "/desk/applications", "desk"),
)
"""Who is signed in (None: nobody) to which system, the page, and the picture's name."""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _sign_in(page: Page, origin: str, login: str, system: str, mailbox: DevMailbox) -> None:
    page.context.clear_cookies()
    page.goto(f"{origin}/sign-in")
    page.select_option("#application", system)
    page.fill("#login", login)
    page.fill("#password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{origin}/sign-in/code")
    found = re.search(r"\b(\d{6})\b", mailbox.last("auth.otp").body)
    if found is None:
        raise RuntimeError("no one-time password in the demo's mailbox")
    page.fill("#code", found.group(1))
    page.click("main button[type=submit]")
    page.wait_for_url(f"{origin}/")


def main() -> int:
    """Take every picture of :data:`SHOTS`; return 0 (2 without Chromium)."""
    chromium = shutil.which("chromium")
    if chromium is None:
        print("screenshots: Debian's chromium is not installed", file=sys.stderr)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    with tempfile.TemporaryDirectory() as folder:
        demo = demo_app(Path(folder), port=port)
        mailbox = demo.kit.mailer
        if not isinstance(mailbox, DevMailbox):
            raise TypeError("the demo's mailer is its mailbox")
        server = uvicorn.Server(
            uvicorn.Config(demo.app, host="127.0.0.1", port=port, log_level="error")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=chromium,
                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
                )
                page = browser.new_page(viewport={"width": 1024, "height": 640})
                signed_in: str | None = None
                for login, system, path, name in SHOTS:
                    if login != signed_in:
                        if login is None:
                            page.context.clear_cookies()
                        else:
                            _sign_in(page, demo.origin, login, system, mailbox)
                        signed_in = login
                    page.goto(f"{demo.origin}{path}")
                    page.screenshot(path=OUT / f"{name}.png", full_page=True)
                    print(f"{OUT / name}.png")
                browser.close()
        finally:
            server.should_exit = True
            thread.join(timeout=10)
            demo.kit.backend.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
