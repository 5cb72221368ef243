"""The test OpenID provider's sign-in page in Chromium, the adapter on both ends (AUTH-13).

What the portal's federated sign-in test will do, without the portal yet:
the browser follows the adapter's authorization URL, clicks a person on the
provider's page and is redirected to the redirect URI, where the request is
intercepted and its query handed to the adapter.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, Route
from tests.e2e.conftest import assert_accessible
from tests.federation.oidc_provider import DEFAULT_REDIRECT_URI, serve_provider

from examkit.clocks import SystemClock
from examkit.federation.oidc import OidcAdapter
from examkit.testing import SequenceSecretSource


@pytest.mark.req("AUTH-13")
def test_a_teacher_signs_in_at_the_provider_in_a_browser(page: Page) -> None:
    arrived: list[str] = []

    def arrive(route: Route) -> None:
        arrived.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<!doctype html><title>ok</title>")

    page.route(re.compile("^" + re.escape(DEFAULT_REDIRECT_URI) + r"\?"), arrive)
    with serve_provider() as provider:
        adapter = OidcAdapter(provider.settings(DEFAULT_REDIRECT_URI))
        request = adapter.begin(
            state="browser", now=SystemClock().now(), secrets=SequenceSecretSource()
        )
        assert request.redirect_url is not None
        page.goto(request.redirect_url)
        assert_accessible(page)
        page.click("text=Piet Pukkelen")
        page.wait_for_url(re.compile("^" + re.escape(DEFAULT_REDIRECT_URI)))
        query = {name: values[0] for name, values in parse_qs(urlsplit(arrived[0]).query).items()}
        identity = adapter.finish(response=query, pending=request.pending, now=SystemClock().now())
        adapter.close()
    assert ("Petteflat College",) == identity.values("nlEduPersonHomeOrganization")
