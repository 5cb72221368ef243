# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The portal's first slice in a real browser: Debian's Chromium driven by Playwright (issue 22).

The portal runs in uvicorn on loopback over an SQLite file; Playwright from
PyPI drives ``/usr/bin/chromium`` (no browser is downloaded). Without
Chromium the test skips, and fails under ``EXAMKIT_CI=1`` (``.ci/run``
installs it).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright
from tests.e2e.conftest import CHROMIUM_ARGS, Served, assert_accessible, chromium_path
from tests.school import ADMIN_LOGIN, ADMIN_PASSWORD

LOGIN, PASSWORD = ADMIN_LOGIN, ADMIN_PASSWORD


@pytest.mark.req("WEB-1", "WEB-2", "AUTH-3")
def test_a_user_signs_in_with_the_mailed_code_and_out_and_back_shows_nothing(
    portal: Served,
) -> None:
    """Sign in, see the home page; sign out; the browser's Back does not show it again.

    First it shows that this Chromium does restore an ordinary page from its
    back/forward cache (``pageshow`` with ``persisted``), so the rest proves
    that a signed-in page is not shown from it after sign-out.
    """
    executable = chromium_path()
    origin = portal.origin
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            args=CHROMIUM_ARGS,
            ignore_default_args=["--disable-back-forward-cache"],
        )
        page = browser.new_page()
        # Noted before the portal's own script runs: was a page restored from the cache?
        page.add_init_script(
            "window.addEventListener('pageshow', e => { if (e.persisted) "
            "sessionStorage.setItem('restored', location.pathname); });"
        )
        # First: an ordinary page does come back from the back/forward cache here.
        page.goto(f"{origin}/signed-out")
        page.goto(f"{origin}/sign-in")
        page.go_back(wait_until="commit")
        page.wait_for_url(f"{origin}/signed-out")
        page.wait_for_timeout(300)
        restored = page.evaluate("sessionStorage.getItem('restored')")
        assert "/signed-out" == restored, (
            "the back/forward cache is not in use: the test proves nothing"
        )
        page.goto(f"{origin}/sign-in")
        page.fill("#login", LOGIN)
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{origin}/sign-in/code")
        assert_accessible(page)
        page.fill("#code", portal.mailed_code())
        page.click("button[type=submit]")
        page.wait_for_url(f"{origin}/")
        assert "Welkom, Karin Beheerder" in page.content()
        assert_accessible(page)
        page.click("text=Uitloggen")
        page.wait_for_url(f"{origin}/signed-out")
        page.go_back(wait_until="commit")
        page.wait_for_url(f"{origin}/sign-in")
        assert "Welkom, Karin Beheerder" not in page.content()
        browser.close()
