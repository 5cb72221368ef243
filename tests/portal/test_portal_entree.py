# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Signing in through Entree in the portal (AUTH-13, WEB-2), with a provider the test writes.

A teacher of 22AB, linked to Entree by the administrator's invitation,
signs in through the OpenID Connect callback (a GET) and through the SAML
assertion consumer service (another site's POST, the one route the Origin
check lets through): the same web session as a local sign-in. Each refusal
is a page with examkit's message, and nothing is signed in.
"""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from markupsafe import escape
from tests.portal.backends import portal_backend
from tests.portal.conftest import (
    ORIGIN,
    SESSION_COOKIE,
    TOKEN_KEY,
    enter_as,
    form_token_of,
    submit,
)

from examkit import Examkit, Settings
from examkit.errors import ConfigurationError, NotFound, NotPermitted
from examkit.federation import (
    AFFILIATION,
    HOME_ORGANIZATION_ID,
    MAIL,
    UID,
    LinkPolicy,
    LinkRule,
    SignInRequest,
)
from examkit.federation.oidc import OidcAdapter
from examkit.identifiers import LocationCode
from examkit.passwords import change_password
from examkit.permissions import Access
from examkit.ports import SecretSource
from examkit.testing import (
    ManualClock,
    RecordingMailer,
    SequenceSecretSource,
    StaticIdentityProvider,
    cheap_hasher,
    store_actor,
)
from portal import PortalConfig, create_app
from portal._config import PATHS
from portal._entree_config import (
    identity_providers_from_environment,
    link_policy_from_environment,
)

pytestmark = [pytest.mark.anyio, pytest.mark.req("AUTH-13")]

EDIT = ("allowed", ("facet.users.edit", "cito_lvs.users.edit"))
ACCESS = {
    ("GET", "/sign-in/entree/{provider}"): "public",
    ("GET", "/sign-in/entree/{provider}/callback"): "public",
    ("POST", "/sign-in/entree/{provider}/acs"): "public",
    ("POST", "/sign-in/entree-confirm"): "public",
    ("POST", "/profile/entree/{provider}"): "signed_in",
    ("POST", "/invitations/{token}/entree/{provider}"): "public",
    ("POST", "/users/{account}/unlink"): EDIT,
    ("POST", "/users/{account}/federation-only"): EDIT,
}
"""Who may reach the federated sign-in's routes (checked by ``test_portal_routes``)."""
L00 = LocationCode("22AB00")
APP = "cito_lvs"
PSEUDONYM = "pseudo-4f1c9e77"
IDP = "https://idp.example.nl"


class RecordingProvider(StaticIdentityProvider):
    """The test's provider, which remembers each request it began (by its state)."""

    def __init__(self, name: str, *, post: bool = False) -> None:
        super().__init__(name, issuer=f"https://entree.example.nl/{name}")
        self.post = post
        self.begun: dict[str, SignInRequest] = {}

    def begin(self, *, state: str, now: datetime, secrets: SecretSource) -> SignInRequest:
        request = super().begin(state=state, now=now, secrets=secrets)
        if self.post:  # SAML's HTTP-POST binding: a form to the provider
            request = SignInRequest(
                state=state,
                pending=request.pending,
                expires_at=request.expires_at,
                post_url=f"{IDP}/sso",
                post_fields={"SAMLRequest": "PHNhbWxwOkF1dGhuUmVxdWVzdC8+", "RelayState": state},
            )
        self.begun[state] = request
        return request


def teacher(**changes: Sequence[str]) -> dict[str, Sequence[str]]:
    """Entree's attributes of the teacher of 22AB."""
    return {
        UID: [PSEUDONYM],
        AFFILIATION: ["employee"],
        HOME_ORGANIZATION_ID: ["22AB"],
        **changes,
    }


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def entree() -> RecordingProvider:
    return RecordingProvider("entree-oidc")


@pytest.fixture
def saml() -> RecordingProvider:
    return RecordingProvider("entree-saml", post=True)


@pytest.fixture
def kit(tmp_path: Path, entree: RecordingProvider, saml: RecordingProvider) -> Iterator[Examkit]:
    """A kit with both providers, an administrator and a teacher of 22AB (not yet linked)."""
    with portal_backend(tmp_path / "portal.db") as backend:
        kit = Examkit(
            backend=backend,
            mailer=RecordingMailer(),
            settings=Settings(token_key=TOKEN_KEY, base_url=ORIGIN, paths=PATHS),
            clock=ManualClock.at("2026-09-01T08:00:00+00:00"),
            secrets=SequenceSecretSource("entree"),
            hasher=cheap_hasher("entree"),
            identity_providers=(entree, saml),
        )
        store_actor(backend, "admin", [("cito_lvs.administrator", [L00])])
        store_actor(
            backend,
            "teacher",
            [("cito_lvs.quality_officer", [L00])],
            access=[Access(APP, L00.brin)],
        )
        yield kit


@pytest.fixture
async def client(kit: Examkit) -> AsyncIterator[httpx.AsyncClient]:
    config = PortalConfig(
        base_url=ORIGIN, token_key=TOKEN_KEY, database="unused", applications=(APP,)
    )
    transport = httpx.ASGITransport(app=create_app(kit, config))
    async with httpx.AsyncClient(transport=transport, base_url=ORIGIN) as client:
        yield client


def invite_teacher(kit: Examkit) -> str:
    """Have the administrator invite the teacher; return the invitation's token."""
    kit.invitations.send_invitation("admin", "teacher", application=APP, at=L00)
    assert isinstance(kit.mailer, RecordingMailer)
    found = re.search(r"/invitations/([^\s/]+)", kit.mailer.last("roles.invitation").body)
    assert found is not None
    return found.group(1)


def link_teacher(kit: Examkit, provider: RecordingProvider) -> None:
    """Link the teacher's Entree identity by accepting the administrator's invitation."""
    invitation = invite_teacher(kit)
    request = kit.federated_sign_in.begin(provider.name, ip="192.0.2.1")
    answer = provider.respond(request, subject=PSEUDONYM, attributes=teacher())
    kit.federated_sign_in.finish(
        provider.name,
        request.state,
        answer,
        ip="192.0.2.1",
        application=APP,
        invitation=invitation,
    )


async def begin(client: httpx.AsyncClient, provider: RecordingProvider) -> SignInRequest:
    """Follow "Inloggen met Entree" to the provider; return the request it got."""
    return requested(provider, await client.get(f"/sign-in/entree/{provider.name}"))


async def come_back(
    client: httpx.AsyncClient,
    provider: RecordingProvider,
    attributes: Mapping[str, Sequence[str]] | None = None,
    replay_key: str | None = None,
) -> httpx.Response:
    """Sign in at the provider; come back by its route (the callback, or the ACS's POST)."""
    request = await begin(client, provider)
    return await answer(client, provider, request, attributes, replay_key)


async def answer(
    client: httpx.AsyncClient,
    provider: RecordingProvider,
    request: SignInRequest,
    attributes: Mapping[str, Sequence[str]] | None = None,
    replay_key: str | None = None,
) -> httpx.Response:
    """Answer *request* at the provider; come back by its route."""
    fields = provider.respond(
        request, subject=PSEUDONYM, attributes=attributes or teacher(), replay_key=replay_key
    )
    if provider.post:
        return await client.post(
            f"/sign-in/entree/{provider.name}/acs",
            data={"RelayState": request.state, **fields},
            headers={"Origin": IDP, "Sec-Fetch-Site": "cross-site"},
        )
    return await client.get(
        f"/sign-in/entree/{provider.name}/callback", params={"state": request.state, **fields}
    )


def requested(provider: RecordingProvider, shown: httpx.Response) -> SignInRequest:
    """Return the request the provider got from the page or redirect *shown*."""
    if provider.post:
        found = re.search(r'name="RelayState" value="([^"]+)"', shown.text)
        assert found is not None
        return provider.begun[found.group(1)]
    if shown.status_code == 200:  # after a form of the portal: a link on a page
        link = re.search(r'<a href="(https://idp\.example\.nl/[^"]+)"', shown.text)
        assert link is not None
        return provider.begun[parse_qs(urlsplit(html.unescape(link.group(1))).query)["state"][0]]
    assert 303 == shown.status_code
    return provider.begun[parse_qs(urlsplit(shown.headers["location"]).query)["state"][0]]


async def signed_in_as(client: httpx.AsyncClient, kit: Examkit) -> str | None:
    token = client.cookies.get(SESSION_COOKIE)
    if token is None:
        return None
    return kit.web_sessions.resolve(token).account_id


@pytest.mark.req("WEB-2")
async def test_the_sign_in_page_offers_entree_only_when_configured(
    client: httpx.AsyncClient, tmp_path: Path
) -> None:
    page = (await client.get("/sign-in")).text
    assert 'href="/sign-in/entree/entree-oidc"' in page
    assert "Inloggen met Entree (entree-saml)" in page
    with portal_backend(tmp_path / "bare.db") as backend:
        bare = Examkit(
            backend=backend,
            mailer=RecordingMailer(),
            settings=Settings(token_key=TOKEN_KEY, base_url=ORIGIN),
        )
        config = PortalConfig(base_url=ORIGIN, token_key=TOKEN_KEY, database="unused")
        transport = httpx.ASGITransport(app=create_app(bare, config))
        async with httpx.AsyncClient(transport=transport, base_url=ORIGIN) as other:
            assert "Entree" not in (await other.get("/sign-in")).text
            refused = await other.get("/sign-in/entree/entree-oidc")
            assert 404 == refused.status_code
            assert NotFound("federation.provider.unknown").message("nl") in refused.text


@pytest.mark.req("WEB-2")
@pytest.mark.parametrize("name", ["oidc", "saml"])
async def test_a_linked_teacher_signs_in_through_entree_into_a_web_session(
    client: httpx.AsyncClient,
    kit: Examkit,
    entree: RecordingProvider,
    saml: RecordingProvider,
    name: str,
) -> None:
    provider = entree if name == "oidc" else saml
    link_teacher(kit, provider)
    answer = await come_back(client, provider)
    assert (303, "/") == (answer.status_code, answer.headers["location"])
    assert "teacher" == await signed_in_as(client, kit)
    home = await client.get("/")
    assert 200 == home.status_code


@pytest.mark.req("WEB-2")
@pytest.mark.parametrize(
    ("attributes", "error"),
    [
        (teacher(**{HOME_ORGANIZATION_ID: ["99ZZ"]}), "federation.home_organisation.mismatch"),
        (teacher(**{AFFILIATION: ["student"]}), "federation.affiliation.not_allowed"),
    ],
    ids=["wrong-school", "student"],
)
async def test_a_refused_sign_in_is_a_clear_page_and_signs_nothing_in(
    client: httpx.AsyncClient,
    kit: Examkit,
    saml: RecordingProvider,
    attributes: Mapping[str, Sequence[str]],
    error: str,
) -> None:
    link_teacher(kit, saml)
    answer = await come_back(client, saml, attributes)
    assert 403 == answer.status_code
    assert escape(NotPermitted(error).message("nl")) in answer.text
    assert None is await signed_in_as(client, kit)


@pytest.mark.req("WEB-2")
async def test_an_identity_no_account_is_linked_to_is_refused_in_the_chosen_language(
    client: httpx.AsyncClient, entree: RecordingProvider, kit: Examkit
) -> None:
    client.cookies.set("__Host-lang", "en", domain="portal.school.nl")
    answer = await come_back(client, entree)
    assert 404 == answer.status_code
    assert escape(NotFound("federation.account.unknown").message("en")) in answer.text
    assert None is await signed_in_as(client, kit)


async def test_a_replayed_answer_is_refused_and_signs_nothing_in(
    client: httpx.AsyncClient, kit: Examkit, saml: RecordingProvider
) -> None:
    link_teacher(kit, saml)
    first = await come_back(client, saml, replay_key="saml:_a1")
    assert 303 == first.status_code
    client.cookies.clear()
    again = await come_back(client, saml, replay_key="saml:_a1")
    assert 403 == again.status_code
    assert escape(NotPermitted("federation.replayed").message("nl")) in again.text
    assert None is await signed_in_as(client, kit)


@pytest.mark.req("WEB-2")
async def test_the_posting_page_is_a_plain_form_without_script_allowed_to_post_to_the_provider(
    client: httpx.AsyncClient,
) -> None:
    page = await client.get("/sign-in/entree/entree-saml")
    assert f'<form method="post" action="{IDP}/sso">' in page.text
    assert 'name="SAMLRequest" value="PHNhbWxwOkF1dGhuUmVxdWVzdC8+"' in page.text
    assert '<button type="submit">Verder naar Entree</button>' in page.text
    assert not re.search(r"<script(?![^>]*\bsrc=)|\son\w+=", page.text)
    policy = page.headers["content-security-policy"]
    assert f"form-action 'self' {IDP};" in policy
    assert "script-src 'self';" in policy


def test_the_providers_are_off_unless_configured_and_use_the_portals_routes() -> None:
    config = PortalConfig(base_url=ORIGIN, token_key=TOKEN_KEY, database="unused")
    assert [] == identity_providers_from_environment(config, {})
    (oidc,) = identity_providers_from_environment(
        config,
        {
            "EXAMKIT_PORTAL_OIDC_ISSUER": "https://connect.entree.example.nl",
            "EXAMKIT_PORTAL_OIDC_CLIENT_ID": "toets",
            "EXAMKIT_PORTAL_OIDC_CLIENT_SECRET": "geheim",
        },
    )
    assert isinstance(oidc, OidcAdapter)
    assert "entree-oidc" == oidc.name
    assert f"{ORIGIN}/sign-in/entree/entree-oidc/callback" == oidc.settings.redirect_uri
    with pytest.raises(ConfigurationError) as caught:
        identity_providers_from_environment(
            config,
            {"EXAMKIT_PORTAL_SAML_IDP_METADATA": "entree.xml", "EXAMKIT_PORTAL_SAML_BINDING": "x"},
        )
    assert "EXAMKIT_PORTAL_SAML_BINDING" == caught.value.field
    assert LinkRule.EMAIL not in link_policy_from_environment({}).rules
    on = link_policy_from_environment({"EXAMKIT_PORTAL_ENTREE_EMAIL_MATCH": "yes"})
    assert (LinkRule.LINK, LinkRule.ECK_ID, LinkRule.EMAIL) == on.rules


@pytest.mark.req("WEB-2", "ROLE-2")
async def test_the_administrator_sees_the_teachers_link_removes_it_and_sets_entree_only(
    client: httpx.AsyncClient, kit: Examkit, saml: RecordingProvider
) -> None:
    link_teacher(kit, saml)
    enter_as(client, kit, "admin")
    page = f"/users/teacher?location={L00}"
    shown = await client.get(page)
    assert 200 == shown.status_code
    assert saml.issuer in shown.text
    assert "De gebruiker mag ook met een wachtwoord inloggen." in shown.text
    only = await submit(
        client,
        page,
        "/users/teacher/federation-only",
        {"location": str(L00), "federation_only": "yes"},
    )
    assert 303 == only.status_code
    with kit.backend.begin(readonly=True) as uow:
        assert uow.accounts.get("teacher").federation_only
    links = kit.federated_accounts.links("admin", "teacher", application=APP)
    subject = next(link for link in links if link.kind.value == "subject")
    removed = await submit(
        client, page, "/users/teacher/unlink", {"location": str(L00), "link": subject.id}
    )
    assert 303 == removed.status_code
    after = kit.federated_accounts.links("admin", "teacher", application=APP)
    assert subject.id not in {link.id for link in after}
    assert len(links) - 1 == len(after)
    assert (
        "De koppeling met Entree is verwijderd"
        in (await client.get(removed.headers["location"])).text
    )


@pytest.mark.req("WEB-2", "ROLE-3")
async def test_an_invited_teacher_activates_the_account_through_entree_by_saml(
    client: httpx.AsyncClient, kit: Examkit, saml: RecordingProvider
) -> None:
    invitation = invite_teacher(kit)
    page = f"/invitations/{invitation}"
    assert "Inloggen met Entree (entree-saml)" in (await client.get(page)).text
    shown = await submit(client, page, f"{page}/entree/entree-saml")
    assert 200 == shown.status_code
    assert "samesite=none" in shown.headers["set-cookie"].lower()
    back = await answer(client, saml, requested(saml, shown))
    assert (303, "/") == (back.status_code, back.headers["location"])
    assert "teacher" == await signed_in_as(client, kit)
    assert kit.federated_accounts.links("teacher", "teacher", application=APP)


async def test_a_kept_invitation_goes_only_with_the_answer_to_its_own_request(
    client: httpx.AsyncClient, kit: Examkit, saml: RecordingProvider
) -> None:
    """Another's answer (another request's RelayState) does not consume the invitation."""
    invitation = invite_teacher(kit)
    page = f"/invitations/{invitation}"
    await submit(client, page, f"{page}/entree/entree-saml")  # the invitation kept, state A
    other = saml.begun[
        kit.federated_sign_in.begin(saml.name, ip="192.0.2.66").state
    ]  # the attacker's request, state B
    refused = await answer(client, saml, other)
    assert 404 == refused.status_code  # not linked: the invitation was not used
    assert None is await signed_in_as(client, kit)
    assert () == kit.federated_accounts.links("admin", "teacher", application=APP)


@pytest.mark.req("WEB-2")
async def test_a_teacher_signed_in_with_a_password_links_entree_from_the_profile(
    client: httpx.AsyncClient, kit: Examkit, entree: RecordingProvider
) -> None:
    with kit.backend.begin() as uow:
        account = uow.accounts.get("teacher")
        uow.accounts.update(
            change_password(
                account,
                "Zelfgekozen!1",
                policy=kit.password_policy,
                hasher=kit.hasher,
                now=kit.clock.now(),
            )
        )
        uow.commit()
    enter_as(client, kit, "teacher")
    assert "Koppel aan Entree (entree-oidc)" in (await client.get("/profile")).text
    shown = await submit(client, "/profile", "/profile/entree/entree-oidc")
    back = await answer(client, entree, requested(entree, shown))
    assert (303, "/") == (back.status_code, back.headers["location"])
    client.cookies.clear()
    again = await come_back(client, entree)  # now by the link alone
    assert 303 == again.status_code
    assert "teacher" == await signed_in_as(client, kit)


@pytest.mark.req("WEB-2")
async def test_with_the_email_rule_the_teacher_confirms_the_match_and_is_signed_in(
    tmp_path: Path, saml: RecordingProvider
) -> None:
    with portal_backend(tmp_path / "email.db") as backend:
        kit = Examkit(
            backend=backend,
            mailer=RecordingMailer(),
            settings=Settings(token_key=TOKEN_KEY, base_url=ORIGIN, paths=PATHS),
            clock=ManualClock.at("2026-09-01T08:00:00+00:00"),
            secrets=SequenceSecretSource("email"),
            hasher=cheap_hasher("email"),
            identity_providers=(saml,),
            link_policy=LinkPolicy(rules=(LinkRule.LINK, LinkRule.ECK_ID, LinkRule.EMAIL)),
        )
        store_actor(
            backend,
            "teacher",
            [("cito_lvs.quality_officer", [L00])],
            access=[Access(APP, L00.brin)],
        )
        config = PortalConfig(
            base_url=ORIGIN, token_key=TOKEN_KEY, database="unused", applications=(APP,)
        )
        transport = httpx.ASGITransport(app=create_app(kit, config))
        async with httpx.AsyncClient(transport=transport, base_url=ORIGIN) as client:
            asked = await come_back(client, saml, teacher(**{MAIL: ["teacher@school.nl"]}))
            assert 200 == asked.status_code
            assert "Is dit uw account?" in asked.text
            assert None is await signed_in_as(client, kit)
            token = re.search(r'name="token" value="([^"]+)"', asked.text)
            assert token is not None
            yes = await client.post(
                "/sign-in/entree-confirm",
                data={"token": token.group(1), "form_token": form_token_of(asked.text)},
                headers={"Origin": ORIGIN},
            )
            assert (303, "/") == (yes.status_code, yes.headers["location"])
            assert "teacher" == await signed_in_as(client, kit)
