"""A teacher signs in to the portal through Entree by OpenID Connect, in Chromium (AUTH-13).

The local OpenID provider (``tests/federation/oidc_provider.py``) stands in
for Entree. The administrator invites the teacher; the teacher opens the
activation link, chooses "Inloggen met Entree", clicks themselves on the
provider's page and arrives signed in (the identity now linked); signed out,
the sign-in page's "Inloggen met Entree" signs them in again. axe-core
checks the new pages.
"""

from __future__ import annotations

import html
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route
from tests.conftest import need_system_tool
from tests.e2e.conftest import assert_accessible, free_port, serving
from tests.federation.oidc_provider import serve_provider
from tests.federation.saml_idp import IDP_SSO_URL, SamlIdentityProvider

from examkit import Examkit, Settings
from examkit.backends.sql import SQLBackend
from examkit.federation.oidc import OidcAdapter
from examkit.federation.saml import IdentityProviderMetadata, SamlAdapter, SamlSettings
from examkit.identifiers import Brin, LocationCode
from examkit.permissions import Access
from examkit.testing import RecordingMailer, cheap_hasher, store_actor

pytestmark = pytest.mark.req("AUTH-13")

LOCATION = LocationCode("11ZZ03")
"""The provider's teacher's school (``docent``: nlEduPersonHomeOrganizationId 11ZZ03)."""


def add_people(backend: SQLBackend) -> None:
    """The administrator and a teacher of 11ZZ03, the providers' teacher's school."""
    store_actor(backend, "admin", [("cito_lvs.administrator", [LOCATION])], institutions=["11ZZ"])
    store_actor(
        backend,
        "teacher",
        [("cito_lvs.quality_officer", [LOCATION])],
        institutions=["11ZZ"],
        access=[Access("cito_lvs", Brin("11ZZ"))],
    )


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
        add_people(backend)
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


def test_a_linked_teacher_signs_in_through_entree_by_saml(page: Page, tmp_path: Path) -> None:
    """The IdP's page (intercepted: the in-process provider answers) posts the signed
    response from its own site to the portal's assertion consumer service."""
    from portal import PortalConfig
    from portal._config import PATHS
    from portal._entree_config import SAML_NAME, acs_path

    xmlsec1 = shutil.which("xmlsec1")
    if xmlsec1 is None:
        need_system_tool("xmlsec1 is not installed (Debian's package xmlsec1)")
    assert xmlsec1 is not None
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    idp = SamlIdentityProvider.for_service_provider(
        tmp_path,
        xmlsec_binary=xmlsec1,
        sp_entity_id=origin + "/saml",
        acs_url=origin + acs_path(SAML_NAME),
    )
    adapter = SamlAdapter(
        SamlSettings(
            sp_entity_id=origin + "/saml",
            acs_url=origin + acs_path(SAML_NAME),
            idp=IdentityProviderMetadata.from_xml(idp.metadata()),
            name=SAML_NAME,
            xmlsec_binary=xmlsec1,
        )
    )
    backend = SQLBackend(f"sqlite:///{tmp_path / 'portal.db'}")
    kit = Examkit(
        backend=backend,
        mailer=RecordingMailer(),
        settings=Settings(token_key=b"k" * 32, base_url=origin, paths=PATHS),
        hasher=cheap_hasher("browser"),
        identity_providers=[adapter],
    )
    add_people(backend)
    kit.invitations.send_invitation("admin", "teacher", application="cito_lvs", at=LOCATION)
    assert isinstance(kit.mailer, RecordingMailer)
    found = re.search(r"/invitations/([^\s/]+)", kit.mailer.last("roles.invitation").body)
    assert found is not None
    linking = kit.federated_sign_in.begin(SAML_NAME, ip="127.0.0.1")
    assert linking.redirect_url is not None
    received = idp.receive_redirect(linking.redirect_url)
    kit.federated_sign_in.finish(
        SAML_NAME,
        linking.state,
        idp.respond(received.request_id).form(received.relay_state),
        ip="127.0.0.1",
        application="cito_lvs",
        invitation=found.group(1),
    )

    def answer(route: Route) -> None:
        got = idp.receive_redirect(route.request.url)
        fields = idp.respond(got.request_id).form(got.relay_state)
        inputs = "".join(
            f'<input type="hidden" name="{name}" value="{html.escape(value)}">'
            for name, value in fields.items()
        )
        body = (
            '<!doctype html><html lang="nl"><title>Entree</title><main>'
            f'<form method="post" action="{origin}{acs_path(SAML_NAME)}">{inputs}'
            "<button type=submit>Doorgaan</button></form></main></html>"
        )
        route.fulfill(status=200, content_type="text/html", body=body)

    page.route(re.compile("^" + re.escape(IDP_SSO_URL)), answer)
    config = PortalConfig(
        base_url=origin,
        token_key=b"k" * 32,
        database="unused",
        applications=("cito_lvs",),
        secure_cookies=False,
    )
    try:
        with serving(kit, config, port):
            page.goto(origin + "/sign-in")
            page.click("text=Inloggen met Entree")
            page.click("text=Doorgaan")  # the IdP's site posts to the portal
            page.wait_for_url(origin + "/")
            assert "Uitloggen" in page.content()
    finally:
        backend.close()
