# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The proctor monitor in Chromium (issue 23 item 2): a whole session of the proctor.

The proctor signs in to the monitor (no code), releases a group, sees a
candidate's state change without a reload (the candidate signs in through
examkit here), pauses them and gives extra time, writes the session report,
closes the group and gets the report's PDF; a lost connection shows too;
axe-core at every page state,
in Dutch, and each page once more in English.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from tests.e2e.conftest import Served, assert_accessible, free_port, serving

from examkit.backends.sql import SQLBackend
from examkit.passwords import change_password
from examkit.scheduling import AttemptState, GroupState
from examkit.testing import ManualClock, cheap_hasher
from examkit.testing.sessions import START, add_candidates, make_session_kit, plan_group

if TYPE_CHECKING:
    from playwright.sync_api import Page

PASSWORD = "Eigen-Wachtwoord-77"


@pytest.fixture
def monitor_portal(tmp_path: Path) -> Iterator[Served]:
    """The portal in uvicorn over the session world (10 minutes before the session), the
    proctor with a password of their own."""
    from portal import PortalConfig

    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    backend = SQLBackend(f"sqlite:///{tmp_path / 'monitor.db'}")
    kit = make_session_kit(ManualClock(START - timedelta(minutes=10)), backend=backend)
    with kit.backend.begin() as uow:
        uow.accounts.update(
            change_password(
                uow.accounts.get("proctor"),
                PASSWORD,
                policy=kit.password_policy,
                hasher=cheap_hasher("set"),
                now=kit.clock.now(),
            )
        )
        uow.commit()
    config = PortalConfig(
        base_url=origin, token_key=b"k" * 32, database="unused", secure_cookies=False
    )
    try:
        with serving(kit, config, port):
            yield Served(origin, kit)
    finally:
        backend.close()


def row_state(page: Page, candidate: str) -> str:
    """Return the state cell of *candidate*'s row as the page shows it now."""
    return page.locator(f'tr[data-candidate="{candidate}"] td.state').inner_text()


@pytest.mark.req("SCH-3", "SCH-4", "SCH-5", "SCH-6", "DOC-2", "DOC-3", "AUTH-9", "WEB-3")
def test_a_proctor_runs_a_session_on_the_monitor(monitor_portal: Served, page: Page) -> None:
    from playwright.sync_api import expect

    portal, kit = monitor_portal, monitor_portal.kit
    people = add_candidates(kit, 2)
    group = plan_group(kit, people)
    first, second = people

    # The monitor's sign-in (no code) leads to the day's groups.
    page.goto(portal.url("/monitor/sign-in"))
    assert_accessible(page)
    page.fill("#login", "22AB.proctor.x")
    page.fill("#password", "Niet-Het-Wachtwoord-1")
    page.click("main button[type=submit]")
    page.wait_for_selector("[role=alert]")
    assert_accessible(page)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(portal.url("/monitor"))
    assert_accessible(page)

    # Release: the access code and the slips.
    page.click(f'a[href="/monitor/groups/{group}"]')
    page.wait_for_url(portal.url(f"/monitor/groups/{group}"))
    assert_accessible(page)
    page.click("text=Afnamegroep vrijgeven")
    page.wait_for_url(portal.url(f"/monitor/groups/{group}?done=release"))
    code = kit.planning.group(group).access_code
    assert code is not None
    assert code == page.locator(".access-code").inner_text()
    assert_accessible(page)
    slips = page.request.get(portal.url(f"/monitor/groups/{group}/slips.pdf"))
    assert ("application/pdf", b"%PDF-") == (slips.headers["content-type"], slips.body()[:5])

    # A candidate starts: the row changes without a reload, the summary with it.
    page.evaluate("window.notReloaded = true")
    assert "Niet gestart" == row_state(page, first.id)
    kit.sitting.sign_in(first.login_name, code)
    expect(page.locator(f'tr[data-candidate="{first.id}"] td.state')).to_have_text(
        "Bezig", timeout=6000
    )
    assert page.evaluate("window.notReloaded === true")
    assert "1 bezig" in page.locator("#monitor-summary").inner_text()
    assert_accessible(page)

    # Silent for more than 20 seconds: the connection is shown lost, since when.
    assert isinstance(kit.clock, ManualClock)
    kit.clock.advance(seconds=25)
    expect(page.locator(f'tr[data-candidate="{first.id}"] .lost')).to_have_text(
        "verbinding verbroken sinds 08:50", timeout=6000
    )
    expect(page.locator("#monitor-summary")).to_contain_text("verbinding verbroken: 1")
    assert page.evaluate("window.notReloaded === true")
    assert_accessible(page)

    # A link focused in the table keeps the focus while the rows are swapped under it.
    page.focus(f"#act-{second.id}")
    page.evaluate("document.getElementById('monitor-rows').dataset.old = 'yes'")
    expect(page.locator("#monitor-rows")).not_to_have_attribute("data-old", "yes", timeout=6000)
    assert f"act-{second.id}" == page.evaluate("document.activeElement.id")

    # Pause and extra time on the candidate's page.
    page.click(f"#act-{first.id}")
    page.wait_for_url(portal.url(f"/monitor/groups/{group}/candidates/{first.id}"))
    assert_accessible(page)
    page.click("text=Afname pauzeren")
    page.wait_for_url("**?done=pause")
    assert_accessible(page)
    deadline = kit.sitting.attempt(group, first.id).deadline
    assert deadline is not None
    page.fill("#extra-minutes", "10")
    page.fill("#extra-reason", "pauze")
    page.click("text=Extra tijd geven")
    page.wait_for_url("**?done=extra-time")
    assert_accessible(page)
    attempt = kit.sitting.attempt(group, first.id)
    assert (AttemptState.PAUSED, deadline + timedelta(minutes=10)) == (
        attempt.state,
        attempt.deadline,
    )
    page.fill("#end-reason", "onwel geworden")
    page.click("text=Afname beëindigen")
    page.wait_for_url("**?done=end")
    assert_accessible(page)

    # Closing before the report is complete is refused, and says why.
    page.goto(portal.url(f"/monitor/groups/{group}"))
    page.click("text=Afnamegroep afsluiten")
    page.wait_for_selector("[role=alert]")
    assert_accessible(page)
    assert GroupState.RELEASED == kit.planning.group(group).state

    # The session report, then the close, then its PDF.
    page.goto(portal.url(f"/monitor/groups/{group}/report"))
    assert_accessible(page)
    page.fill("#started", "09:00")
    page.fill("#ended", "11:00")
    page.fill("#notes", "Verder rustig verlopen.")
    page.fill("#incident", "Kandidaat werd onwel.")
    page.select_option("#incident-candidate", first.id)
    page.check("#completed")
    page.click("text=Proces-verbaal opslaan")
    page.wait_for_url("**/report?saved=report")
    assert_accessible(page)
    page.goto(portal.url(f"/monitor/groups/{group}"))
    page.click("text=Afnamegroep afsluiten")
    page.wait_for_url("**?done=close")
    assert_accessible(page)
    assert GroupState.CLOSED == kit.planning.group(group).state
    assert AttemptState.ABSENT == kit.sitting.attempt(group, second.id).state
    pdf = page.request.get(portal.url(f"/monitor/groups/{group}/report.pdf"))
    assert ("application/pdf", b"%PDF-") == (pdf.headers["content-type"], pdf.body()[:5])

    # Each page once more in English.
    for path in (
        "/monitor",
        f"/monitor/groups/{group}",
        f"/monitor/groups/{group}/candidates/{first.id}",
        f"/monitor/groups/{group}/report",
    ):
        page.goto(portal.url(f"{path}?lang=en"))
        assert "en" == page.locator("html").get_attribute("lang")
        assert_accessible(page)
    page.goto(portal.url("/monitor?lang=en"))
    page.click("text=Sign out of the monitor")
    page.wait_for_url(portal.url("/monitor/sign-in"))
    assert_accessible(page)
