"""A teacher signs in to the portal through Entree by OpenID Connect, in Chromium (AUTH-13).

The local OpenID provider (``tests/federation/oidc_provider.py``) stands in
for Entree. The administrator invites the teacher; the teacher opens the
activation link, chooses "Inloggen met Entree", clicks themselves on the
provider's page and arrives signed in (the identity now linked); signed out,
the sign-in page's "Inloggen met Entree" signs them in again. axe-core
checks the new pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page
from tests.e2e.conftest import assert_accessible, free_port, serving
from tests.federation.oidc_provider import serve_provider

from examkit import Examkit, Settings
from examkit.backends.sql import SQLBackend
from examkit.federation.oidc import OidcAdapter
from examkit.identifiers import Brin, LocationCode
from examkit.permissions import Access
from examkit.testing import RecordingMailer, cheap_hasher, store_actor

pytestmark = pytest.mark.req("AUTH-13")

LOCATION = LocationCode("11ZZ03")
"""The provider's teacher's school (``docent``: nlEduPersonHomeOrganizationId 11ZZ03)."""


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Examkit]]:
    """The portal over a kit with the provider's OpenID Connect adapter, a teacher invited."""
    from portal import PortalConfig
    from portal._config import PATHS
    from portal._entree_config import OIDC_NAME, callback_path

    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    redirect = origin + callback_path(OIDC_NAME)
    with serve_provider((redirect,)) as provider:
        adapter = OidcAdapter(provider.settings(redirect, name=OIDC_NAME))
        backend = SQLBackend(f"sqlite:///{tmp_path / 'portal.db'}")
        kit = Examkit(
            backend=backend,
            mailer=RecordingMailer(),
            settings=Settings(token_key=b"k" * 32, base_url=origin, paths=PATHS),
            hasher=cheap_hasher("browser"),
            identity_providers=[adapter],
        )
        store_actor(
            backend, "admin", [("cito_lvs.administrator", [LOCATION])], institutions=["11ZZ"]
        )
        store_actor(
            backend,
            "teacher",
            [("cito_lvs.quality_officer", [LOCATION])],
            institutions=["11ZZ"],
            access=[Access("cito_lvs", Brin("11ZZ"))],
        )
        config = PortalConfig(
            base_url=origin,
            token_key=b"k" * 32,
            database="unused",
            applications=("cito_lvs",),
            secure_cookies=False,
        )
        try:
            with serving(kit, config, port):
                yield origin, kit
        finally:
            adapter.close()
            backend.close()


def test_an_invited_teacher_signs_in_through_entree_by_openid_connect(
    page: Page, served: tuple[str, Examkit]
) -> None:
    origin, kit = served
    kit.invitations.send_invitation("admin", "teacher", application="cito_lvs", at=LOCATION)
    assert isinstance(kit.mailer, RecordingMailer)
    found = re.search(r"/invitations/[^\s/]+", kit.mailer.last("roles.invitation").body)
    assert found is not None
    page.goto(origin + found.group(0))
    assert_accessible(page)
    page.click("text=Inloggen met Entree")
    assert_accessible(page)  # the way on to Entree, a link
    page.get_by_role("link", name="Verder naar Entree").click()
    page.wait_for_url(re.compile(r"^http://127\.0\.0\.1:\d+/authorize"))
    page.click("text=Piet Pukkelen")
    page.wait_for_url(origin + "/")
    page.click("button:has-text('Uitloggen')")
    page.goto(origin + "/sign-in")
    assert_accessible(page)
    page.click("text=Inloggen met Entree")
    page.click("text=Piet Pukkelen")
    page.wait_for_url(origin + "/")
    assert "teacher" in {
        link.account_id
        for link in kit.federated_accounts.links("teacher", "teacher", application="cito_lvs")
    }
