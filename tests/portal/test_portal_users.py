# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""User administration per location and the permission matrix page, over HTTP (issue 22, point 4).

The users of a location, a new user told Facet's way (login name and an
initial password) or Cito's (an invitation, accepted on a public page),
editing, a new password, deactivation (which ends the user's open
sessions) and reactivation, roles granted at locations, in classes and for
a subject, and revoked; the matrix page. Who may reach which page is
written out by hand below, per role, not read from the matrix.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest
from markupsafe import escape
from tests.portal.conftest import ORIGIN, enter_as, form_token_of, portal_config, submit
from tests.school import ADMIN, L00

from examkit import Examkit
from examkit.accounts import Account, AccountStatus, LoginName
from examkit.identifiers import Brin, LocationCode
from examkit.imports import calendar_year
from examkit.permissions import MATRIX, ClassRef, ScopeKind, Subject
from examkit.testing import RecordingMailer, demo_edexml
from portal import create_app

L01 = LocationCode("22AB01")

# Who may reach each route of this area, written out here (not read from the app).
USERS = (
    "facet.users.add",
    "facet.users.grant_roles",
    "facet.users.grant_locations",
    "facet.users.edit",
    "facet.users.revoke_roles",
    "facet.users.deactivate",
    "cito_lvs.users.add",
    "cito_lvs.users.edit",
    "cito_lvs.users.access",
    "cito_lvs.users.assign",
    "cito_lvs.users.invite",
    "cito_lvs.users.remove",
)
ACCESS = {
    ("GET", "/users"): ("allowed", USERS),
    ("GET", "/users/new"): ("allowed", ("facet.users.add", "cito_lvs.users.add")),
    ("POST", "/users/new"): ("allowed", ("facet.users.add", "cito_lvs.users.add")),
    ("GET", "/users/{account}"): ("allowed", USERS),
    ("POST", "/users/{account}/edit"): ("allowed", ("facet.users.edit", "cito_lvs.users.edit")),
    ("POST", "/users/{account}/password"): ("allowed", ("facet.users.edit",)),
    ("POST", "/users/{account}/deactivate"): ("allowed", ("facet.users.deactivate",)),
    ("POST", "/users/{account}/reactivate"): ("allowed", ("facet.users.deactivate",)),
    ("POST", "/users/{account}/invite"): ("allowed", ("cito_lvs.users.invite",)),
    ("POST", "/users/{account}/access"): ("allowed", ("cito_lvs.users.access",)),
    ("POST", "/users/{account}/remove"): ("allowed", ("cito_lvs.users.remove",)),
    ("GET", "/users/{account}/grant"): (
        "allowed",
        ("facet.users.grant_roles", "cito_lvs.users.assign"),
    ),
    ("POST", "/users/{account}/grant"): (
        "allowed",
        ("facet.users.grant_roles", "cito_lvs.users.assign"),
    ),
    ("POST", "/users/{account}/revoke"): (
        "allowed",
        ("facet.users.revoke_roles", "cito_lvs.users.assign"),
    ),
    ("GET", "/invitations/{token}"): "public",
    ("POST", "/invitations/{token}"): "public",
    ("GET", "/permissions"): "signed_in",
}

# Per role held at 22AB00: the status of the users' list, the new-user form, the grant form
# (for a plain user of 22AB00) and the matrix page. Written out by hand.
ROLES = {
    "facet.administrator": (200, 200, 200, 200),
    "cito_lvs.administrator": (200, 200, 200, 200),
    "facet.fao_administrator": (403, 403, 403, 200),
    "facet.planner": (403, 403, 403, 200),
    "facet.proctor": (403, 403, 403, 200),
    "facet.corrector": (403, 403, 403, 200),
    "cito_lvs.quality_officer": (403, 403, 403, 200),
    "cito_lvs.pupil_counsellor": (403, 403, 403, 200),
    "cito_lvs.subject_teacher": (403, 403, 403, 200),
    "examkit.operator": (403, 403, 403, 200),
}

pytestmark = pytest.mark.anyio


def mailer(kit: Examkit) -> RecordingMailer:
    assert isinstance(kit.mailer, RecordingMailer)
    return kit.mailer


def linked_account(kit: Examkit, account_id: str) -> str:
    """Store an account of 22AB with no roles (as an approved application leaves one)."""
    with kit.backend.begin() as uow:
        uow.accounts.add(
            Account(
                id=account_id,
                login_name=LoginName(f"22AB.{account_id}"),
                first_name="Kees",
                last_name=account_id.title(),
                email=f"{account_id}@school.nl",
                institutions=frozenset({Brin("22AB")}),
            )
        )
        uow.commit()
    return account_id


def operator_of(kit: Examkit) -> str:
    with kit.backend.begin(readonly=True) as uow:
        (found,) = uow.authorizations.list(role="examkit.operator").items
    return found.account


def cito_admin(kit: Examkit) -> str:
    """A Cito administrator of 22AB00 (granted by the operator)."""
    linked_account(kit, "citobeheer")
    kit.grants.grant_administrator(
        operator_of(kit), "citobeheer", at=[L00], role="cito_lvs.administrator"
    )
    return "citobeheer"


def add_user(kit: Examkit, by: str, system: str, login: str) -> str:
    first, last = login.split(".")[1:3]
    return kit.users.add_user(
        by,
        application=system,
        at=L00,
        login_name=login,
        first_name=first,
        last_name=last,
        email=f"{last.lower()}@school.nl",
    ).id


def account_with(kit: Examkit, role: str) -> str:
    """An account holding *role* at 22AB00, made through the use cases."""
    if role == "examkit.operator":
        return operator_of(kit)
    if MATRIX.role(role).by_application:
        account = linked_account(kit, "holder")
        kit.grants.grant_administrator(operator_of(kit), account, at=[L00], role=role)
        return account
    system = MATRIX.role(role).application
    granter = ADMIN if system == "facet" else cito_admin(kit)
    account = add_user(kit, granter, system, "22AB.R.Rolhouder")
    scope = MATRIX.role(role).scope
    if scope is ScopeKind.LOCATIONS:
        kit.grants.grant_role(granter, account, role, at=[L00])
    else:
        subject = Subject.MATHS if scope is ScopeKind.SUBJECT_CLASSES else None
        kit.grants.grant_role(granter, account, role, at=[ClassRef(L00, "4A")], subject=subject)
    if system == "cito_lvs":
        kit.users.set_access(granter, account, application=system, institution=Brin("22AB"))
    return account


@pytest.fixture
async def second(kit: Examkit) -> AsyncIterator[httpx.AsyncClient]:
    """A second browser on the same portal (another user's)."""
    transport = httpx.ASGITransport(app=create_app(kit, portal_config()))
    async with httpx.AsyncClient(transport=transport, base_url=ORIGIN) as client:
        yield client


async def post(client: httpx.AsyncClient, page: str, action: str, **data: str) -> httpx.Response:
    return await submit(client, page, action, data)


def stored(kit: Examkit, account: str) -> Account:
    with kit.backend.begin(readonly=True) as uow:
        return uow.accounts.get(account)


# -- who may reach what --------------------------------------------------------------------


@pytest.mark.req("ROLE-2", "ROLE-5", "WEB-2")
@pytest.mark.parametrize("role", sorted(ROLES))
async def test_each_role_reaches_the_pages_the_table_says(
    client: httpx.AsyncClient, kit: Examkit, role: str
) -> None:
    target = add_user(kit, ADMIN, "facet", "22AB.D.Doel")
    enter_as(client, kit, account_with(kit, role))
    pages = ("/users", "/users/new", f"/users/{target}/grant", "/permissions")
    statuses = tuple([(await client.get(page)).status_code for page in pages])
    assert ROLES[role] == statuses
    home = (await client.get("/")).text
    assert ('href="/users"' in home) == (ROLES[role][0] == 200)
    assert 'href="/permissions"' in home


@pytest.mark.req("WEB-2")
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/users"),
        ("GET", "/users/new"),
        ("GET", "/users/admin"),
        ("GET", "/users/admin/grant"),
        ("GET", "/permissions"),
        ("POST", "/users/admin/deactivate"),
    ],
)
async def test_signed_out_goes_to_the_sign_in(
    client: httpx.AsyncClient, method: str, path: str
) -> None:
    answer = await client.request(method, path, headers={"Origin": ORIGIN})
    assert (303, "/sign-in") == (answer.status_code, answer.headers["location"])


@pytest.mark.req("ROLE-2", "ROLE-5")
async def test_a_location_outside_the_viewer_s_administration_is_refused(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    """The school's administrator holds 22AB00 only: 22AB01 and 33CD00 are refused."""
    enter_as(client, kit, ADMIN)
    for location in ("22AB01", "33CD00"):
        assert 403 == (await client.get(f"/users?location={location}")).status_code
        assert 403 == (await client.get(f"/users/{ADMIN}?location={location}")).status_code
    assert 422 == (await client.get("/users?location=nonsense")).status_code
    operator = operator_of(kit)
    assert 404 == (await client.get(f"/users/{operator}?location=22AB00")).status_code


# -- the pages in both languages -----------------------------------------------------------


@pytest.mark.req("WEB-1", "ROLE-5")
async def test_every_page_renders_in_dutch_and_in_english(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    admin = cito_admin(kit)
    kit.grants.grant_administrator(operator_of(kit), admin, at=[L00])
    user = add_user(kit, admin, "facet", "22AB.D.Doel")
    enter_as(client, kit, admin)
    pages = {
        "/users": ("Gebruikers van locatie 22AB00", "Users of location 22AB00"),
        "/users/new": ("Nieuwe gebruiker opvoeren op locatie", "Add a user at location"),
        f"/users/{user}": ("Rollen op locatie 22AB00", "Roles at location 22AB00"),
        f"/users/{user}/grant": ("Rol toekennen aan", "Grant D Doel a role"),
        f"/users/{user}/grant?role=facet.planner": ("Op de locaties", "At the locations"),
        f"/users/{user}/grant?role=cito_lvs.subject_teacher": ("Vak", "Subject"),
        "/permissions": ("Plannen afnames", "Plan sessions"),
        "/invitations/some-token": ("Activeer uw account", "Activate your account"),
    }
    for page, (dutch, english) in pages.items():
        joiner = "&" if "?" in page else "?"
        nl = await client.get(f"{page}{joiner}lang=nl")
        en = await client.get(f"{page}{joiner}lang=en")
        assert (200, 200) == (nl.status_code, en.status_code), page
        assert 'lang="nl"' in nl.text
        assert dutch in nl.text, page
        assert english not in nl.text, page
        assert 'lang="en"' in en.text
        assert english in en.text, page


@pytest.mark.req("ROLE-5", "WEB-1")
async def test_the_matrix_page_shows_every_system_s_roles_and_actions_from_the_matrix(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    enter_as(client, kit, account_with(kit, "facet.proctor"))
    dutch = (await client.get("/permissions?lang=nl")).text
    english = (await client.get("/permissions?lang=en")).text
    for system in MATRIX.systems.values():
        assert f'<h2 id="system-{system.code}">{escape(system.label_nl)}</h2>' in dutch
        assert f'<h2 id="system-{system.code}">{escape(system.label_en)}</h2>' in english
    assert '<th scope="col">Afnameplanner</th>' in dutch
    assert '<th scope="row">Opvoeren nieuwe gebruiker(s)</th>' in dutch
    assert '<th scope="row">Add new users</th>' in english
    assert "toegekend door Beheerder Facet" in dutch


# -- Facet's way: a new user, details, a new password, status ------------------------------


@pytest.mark.req("ROLE-2", "AUTH-2", "NOTE-1")
async def test_an_administrator_adds_a_user_who_is_mailed_login_name_and_password(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    enter_as(client, kit, ADMIN)
    added = await post(
        client,
        "/users/new",
        "/users/new?location=22AB00",
        system="facet",
        login_name="22AB.P.Planner",
        first_name="Piet",
        last_name="Planner",
        email="piet@school.nl",
        lang="en",
    )
    assert 303 == added.status_code
    message = mailer(kit).last("roles.credentials")
    assert ("piet@school.nl",) == message.to
    assert message.subject.startswith("Your sign-in details for Facet")
    assert "22AB.P.Planner" in message.body
    page = await client.get(added.headers["location"])
    assert "Er is een e-mail met de gebruikersnaam en een initieel wachtwoord" in page.text
    assert "piet@school.nl" in page.text
    listed = (await client.get("/users")).text
    assert "Piet Planner" in listed
    assert "22AB.P.Planner" in listed


@pytest.mark.req("ROLE-2", "WEB-1")
async def test_a_refused_new_user_shows_the_form_again_with_examkit_s_message(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    enter_as(client, kit, ADMIN)
    taken = await post(
        client,
        "/users/new?lang=en",
        "/users/new?location=22AB00",
        system="facet",
        login_name="22AB.K.Beheerder",
        first_name="Kopie",
        last_name="Beheerder",
        email="kopie@school.nl",
    )
    assert 409 == taken.status_code
    assert 'role="alert"' in taken.text
    assert 'value="kopie@school.nl"' in taken.text
    assert [] == [m for m in mailer(kit).outbox if "kopie@school.nl" in m.to]


@pytest.mark.req("ROLE-2", "AUTH-2")
async def test_the_administrator_edits_a_user_and_sends_a_new_password(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    user = add_user(kit, ADMIN, "facet", "22AB.P.Planner")
    enter_as(client, kit, ADMIN)
    page = f"/users/{user}?location=22AB00"
    edited = await post(
        client,
        page,
        f"/users/{user}/edit",
        location="22AB00",
        first_name="Pieter",
        last_name="Planner",
        email="pieter@school.nl",
        phone="",
    )
    assert 303 == edited.status_code
    assert ("Pieter", "pieter@school.nl") == (
        stored(kit, user).first_name,
        stored(kit, user).email,
    )
    before = len(mailer(kit).outbox)
    sent = await post(client, page, f"/users/{user}/password", location="22AB00")
    assert 303 == sent.status_code
    assert before + 1 == len(mailer(kit).outbox)
    assert ("pieter@school.nl",) == mailer(kit).last("roles.credentials").to
    wrong = await post(
        client,
        page,
        f"/users/{user}/edit",
        location="22AB00",
        first_name="Pieter",
        last_name="Planner",
        email="geen-adres",
    )
    assert 422 == wrong.status_code
    assert 'role="alert"' in wrong.text
    assert "pieter@school.nl" == stored(kit, user).email


@pytest.mark.req("ROLE-2", "WEB-2")
async def test_deactivation_ends_the_user_s_open_session_and_reactivation_restores_the_account(
    client: httpx.AsyncClient, second: httpx.AsyncClient, kit: Examkit
) -> None:
    user = add_user(kit, ADMIN, "facet", "22AB.P.Planner")
    enter_as(second, kit, user)
    assert 200 == (await second.get("/")).status_code
    enter_as(client, kit, ADMIN)
    page = f"/users/{user}?location=22AB00"
    done = await post(client, page, f"/users/{user}/deactivate", location="22AB00")
    assert 303 == done.status_code
    assert AccountStatus.DEACTIVATED == stored(kit, user).status
    assert "/sign-in" == (await second.get("/", follow_redirects=False)).headers["location"]
    assert "Gedeactiveerd" in (await client.get("/users")).text
    again = await post(client, page, f"/users/{user}/reactivate", location="22AB00")
    assert 303 == again.status_code
    assert AccountStatus.ACTIVE == stored(kit, user).status
    # Active again, the old session still does not work: it was ended, not merely unusable.
    assert "/sign-in" == (await second.get("/", follow_redirects=False)).headers["location"]


@pytest.mark.req("ROLE-2", "ROLE-5")
async def test_nobody_acts_on_their_own_account_or_a_fellow_administrator(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    fellow = account_with(kit, "facet.administrator")
    plain = add_user(kit, ADMIN, "facet", "22AB.P.Planner")
    enter_as(client, kit, ADMIN)
    for account in (ADMIN, fellow):
        page = await client.get(f"/users/{account}?location=22AB00")
        assert "/deactivate" not in page.text
        token = form_token_of((await client.get(f"/users/{plain}?location=22AB00")).text)
        refused = await client.post(
            f"/users/{account}/deactivate",
            data={"form_token": token, "location": "22AB00"},
            headers={"Origin": ORIGIN},
        )
        assert 403 == refused.status_code
        assert AccountStatus.ACTIVE == stored(kit, account).status


@pytest.mark.req("ROLE-2", "ROLE-3")
async def test_a_user_s_page_offers_the_ways_of_the_user_s_own_system(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    """An administrator of both systems: Facet's new password for a planner, Cito's invitation,
    access and removal for a counsellor; a user without roles yet may be either's."""
    admin = cito_admin(kit)
    kit.grants.grant_administrator(operator_of(kit), admin, at=[L00])
    planner = add_user(kit, admin, "facet", "22AB.P.Planner")
    kit.grants.grant_role(admin, planner, "facet.planner", at=[L00])
    counsellor = add_user(kit, admin, "cito_lvs", "22AB.M.Mentor")
    kit.grants.grant_role(admin, counsellor, "cito_lvs.pupil_counsellor", at=[ClassRef(L00, "4A")])
    newcomer = add_user(kit, admin, "facet", "22AB.N.Nieuw")
    enter_as(client, kit, admin)
    offered = {}
    for user in (planner, counsellor, newcomer):
        page = (await client.get(f"/users/{user}?location=22AB00")).text
        offered[user] = tuple(
            f'/{action}"' in page
            for action in ("password", "invite", "access", "remove", "deactivate", "edit")
        )
    assert {
        planner: (True, False, False, False, True, True),
        counsellor: (False, True, True, True, True, True),
        newcomer: (True, True, True, True, True, True),
    } == offered


# -- roles ---------------------------------------------------------------------------------


@pytest.mark.req("ROLE-1", "ROLE-2")
async def test_the_administrator_grants_a_role_at_a_location_and_revokes_it(
    client: httpx.AsyncClient, second: httpx.AsyncClient, kit: Examkit
) -> None:
    user = add_user(kit, ADMIN, "facet", "22AB.P.Planner")
    enter_as(client, kit, ADMIN)
    form = f"/users/{user}/grant?location=22AB00&role=facet.planner"
    shown = (await client.get(form)).text
    assert 'value="22AB00"' in shown
    assert 'value="22AB01"' not in shown
    granted = await post(
        client,
        form,
        f"/users/{user}/grant",
        location="22AB00",
        role="facet.planner",
        places=str(L00),
    )
    assert 303 == granted.status_code
    actor = kit.permissions.actor(user)
    assert actor.may("facet.sessions.plan", L00)
    assert "Afnameplanner" in (await client.get("/users")).text
    enter_as(second, kit, user)
    revoked = await post(
        client,
        f"/users/{user}?location=22AB00",
        f"/users/{user}/revoke",
        location="22AB00",
        role="facet.planner",
    )
    assert 303 == revoked.status_code
    assert not kit.permissions.actor(user).may("facet.sessions.plan", L00)
    assert "/sign-in" == (await second.get("/", follow_redirects=False)).headers["location"]


@pytest.mark.req("ROLE-2")
async def test_an_administrator_of_two_locations_picks_one_and_grants_at_both(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    """Granted at 22AB00 and 22AB01, revoked at 22AB00: 22AB01 keeps the role."""
    both = linked_account(kit, "beide")
    kit.grants.grant_administrator(operator_of(kit), both, at=[L00, L01])
    user = add_user(kit, both, "facet", "22AB.P.Planner")
    enter_as(client, kit, both)
    listing = (await client.get("/users")).text
    assert '<option value="22AB00" selected>' in listing
    assert '<option value="22AB01">' in listing
    assert "22AB.P.Planner" not in (await client.get("/users?location=22AB01")).text
    form = f"/users/{user}/grant?location=22AB00&role=facet.proctor"
    assert 'value="22AB01"' in (await client.get(form)).text
    token = form_token_of((await client.get(form)).text)
    granted = await client.post(
        f"/users/{user}/grant",
        data={
            "form_token": token,
            "location": "22AB00",
            "role": "facet.proctor",
            "places": ["22AB00", "22AB01"],
        },
        headers={"Origin": ORIGIN},
    )
    assert 303 == granted.status_code
    at01 = (await client.get("/users?location=22AB01")).text
    assert "22AB.P.Planner" in at01
    assert "ook op 22AB00" in at01
    revoked = await post(
        client,
        f"/users/{user}?location=22AB00",
        f"/users/{user}/revoke",
        location="22AB00",
        role="facet.proctor",
    )
    assert 303 == revoked.status_code
    actor = kit.permissions.actor(user)
    assert (False, True) == (
        actor.may("facet.monitor.release", L00),
        actor.may("facet.monitor.release", L01),
    )


@pytest.mark.req("ROLE-3")
async def test_a_cito_administrator_grants_a_subject_teacher_in_classes(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    admin = cito_admin(kit)
    user = add_user(kit, admin, "cito_lvs", "22AB.T.Docent")
    enter_as(client, kit, admin)
    roles = (await client.get(f"/users/{user}/grant?location=22AB00")).text
    assert "Vakdocent" in roles
    assert "Afnameplanner" not in roles
    form = f"/users/{user}/grant?location=22AB00&role=cito_lvs.subject_teacher"
    granted = await post(
        client,
        form,
        f"/users/{user}/grant",
        location="22AB00",
        role="cito_lvs.subject_teacher",
        classes="1HA, 2HB",
        subject="dutch",
    )
    assert 303 == granted.status_code
    authz = kit.permissions.authorization(user)
    (grant,) = authz.active("cito_lvs.subject_teacher")
    assert ({ClassRef(L00, "1HA"), ClassRef(L00, "2HB")}, Subject.DUTCH) == (
        set(grant.classes),
        grant.subject,
    )
    access = await post(
        client, f"/users/{user}?location=22AB00", f"/users/{user}/access", allowed="yes"
    )
    assert 303 == access.status_code
    assert kit.permissions.authorization(user).has_access("cito_lvs", Brin("22AB"))
    page = (await client.get(f"/users/{user}?location=22AB00")).text
    assert "klassen 1HA, 2HB" in page
    assert "Nederlands" in page
    missing = await post(
        client,
        form,
        f"/users/{user}/grant",
        location="22AB00",
        role="cito_lvs.subject_teacher",
        classes="",
        subject="maths",
    )
    assert 422 == missing.status_code
    assert 'role="alert"' in missing.text


@pytest.mark.req("ROLE-3")
async def test_the_classes_to_grant_in_are_the_imported_ones_by_name(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    admin = cito_admin(kit)
    preview = kit.edexml_imports.preview(admin, demo_edexml(calendar_year(kit.clock.now())))
    kit.edexml_imports.confirm(admin, preview)
    user = add_user(kit, admin, "cito_lvs", "22AB.M.Mentor")
    enter_as(client, kit, admin)
    form = f"/users/{user}/grant?location=22AB00&role=cito_lvs.pupil_counsellor"
    shown = (await client.get(form)).text
    assert ["G4A", "G5B", "PLUS"] == sorted(re.findall(r'name="class_keys" value="([^"]+)"', shown))
    assert 'name="classes"' not in shown
    token = form_token_of(shown)
    granted = await client.post(
        f"/users/{user}/grant",
        data={
            "form_token": token,
            "location": "22AB00",
            "role": "cito_lvs.pupil_counsellor",
            "class_keys": ["G4A"],
        },
        headers={"Origin": ORIGIN},
    )
    assert 303 == granted.status_code
    (grant,) = kit.permissions.authorization(user).active("cito_lvs.pupil_counsellor")
    assert {ClassRef(L00, "G4A")} == set(grant.classes)
    assert "klas 4A" in (await client.get("/users")).text


@pytest.mark.req("ROLE-2", "ACC-8")
@pytest.mark.parametrize(
    ("role", "places"),
    [
        ("facet.administrator", "22AB00"),  # an administrator role: the operator's only
        ("cito_lvs.quality_officer", "22AB00"),  # another system's role
        ("facet.planner", "22AB01"),  # a location the administrator does not hold
    ],
)
async def test_a_forged_grant_the_viewer_may_not_give_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, kit: Examkit, role: str, places: str
) -> None:
    user = add_user(kit, ADMIN, "facet", "22AB.P.Planner")
    enter_as(client, kit, ADMIN)
    refused = await post(
        client,
        f"/users/{user}/grant?location=22AB00&role=facet.planner",
        f"/users/{user}/grant",
        location="22AB00",
        role=role,
        places=places,
    )
    assert 403 == refused.status_code
    assert () == kit.permissions.authorization(user).active_grants


@pytest.mark.req("ROLE-3", "WEB-2")
async def test_a_cito_administrator_removes_a_user_who_left_the_school(
    client: httpx.AsyncClient, second: httpx.AsyncClient, kit: Examkit
) -> None:
    admin = cito_admin(kit)
    user = add_user(kit, admin, "cito_lvs", "22AB.T.Docent")
    kit.grants.grant_role(admin, user, "cito_lvs.quality_officer", at=[L00])
    enter_as(second, kit, user)
    enter_as(client, kit, admin)
    page = f"/users/{user}?location=22AB00"
    assert "Van de school verwijderen" in (await client.get(page)).text
    removed = await post(client, page, f"/users/{user}/remove", location="22AB00")
    assert (303, "/users?location=22AB00&done=removed") == (
        removed.status_code,
        removed.headers["location"],
    )
    listed = (await client.get(removed.headers["location"])).text
    assert "De gebruiker is van de school verwijderd" in listed
    assert "22AB.T.Docent" not in listed
    assert user not in {found.account.id for found in kit.users.list_at(admin, L00)}
    assert "/sign-in" == (await second.get("/", follow_redirects=False)).headers["location"]
    own_page = await client.get(f"/users/{admin}?location=22AB00")
    assert "/remove" not in own_page.text


# -- Cito's way: an invitation, accepted on a public page ----------------------------------


@pytest.mark.req("ROLE-3", "NOTE-1")
async def test_an_invited_user_chooses_a_password_on_the_public_page_once(
    client: httpx.AsyncClient, second: httpx.AsyncClient, kit: Examkit
) -> None:
    admin = cito_admin(kit)
    enter_as(client, kit, admin)
    added = await post(
        client,
        "/users/new",
        "/users/new?location=22AB00",
        system="cito_lvs",
        login_name="22AB.T.Docent",
        first_name="Tom",
        last_name="Docent",
        email="tom@school.nl",
    )
    assert 303 == added.status_code
    shown = (await client.get(added.headers["location"])).text
    assert "Er is een uitnodiging met een activatielink gestuurd naar tom@school.nl" in shown
    user = added.headers["location"].split("/")[2].split("?")[0]
    resent = await post(
        client, f"/users/{user}?location=22AB00", f"/users/{user}/invite", location="22AB00"
    )
    assert 303 == resent.status_code
    invitation = mailer(kit).last("roles.invitation")
    assert ("tom@school.nl",) == invitation.to
    found = re.search(rf"{ORIGIN}(/invitations/\S+)", invitation.body)
    assert found is not None
    link = found.group(1)
    weak = await post(second, link, link, new_password="kort")
    assert 422 == weak.status_code
    assert 'role="alert"' in weak.text
    accepted = await post(second, link, link, new_password="Kastanje-Zonnebloem-77")
    assert (303, f"{link}?done=1") == (accepted.status_code, accepted.headers["location"])
    assert "Uw account is geactiveerd" in (await second.get(accepted.headers["location"])).text
    password = stored(kit, user).password
    assert password is not None
    assert kit.hasher.verify("Kastanje-Zonnebloem-77", password.hash)
    twice = await post(second, link, link, new_password="Kastanje-Zonnebloem-78")
    assert 404 == twice.status_code
    assert kit.hasher.verify("Kastanje-Zonnebloem-77", stored(kit, user).password.hash)  # type: ignore[union-attr]


# -- the web's guards ----------------------------------------------------------------------


@pytest.mark.req("WEB-2")
async def test_a_cross_site_post_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    user = add_user(kit, ADMIN, "facet", "22AB.P.Planner")
    enter_as(client, kit, ADMIN)
    token = form_token_of((await client.get(f"/users/{user}?location=22AB00")).text)
    for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}):
        refused = await client.post(
            f"/users/{user}/deactivate",
            data={"form_token": token, "location": "22AB00"},
            headers=headers,
            follow_redirects=False,
        )
        assert 403 == refused.status_code
    assert AccountStatus.ACTIVE == stored(kit, user).status
    before = len(mailer(kit).outbox)
    forged = await client.post(
        "/users/new?location=22AB00",
        data={"system": "facet", "login_name": "22AB.X", "first_name": "X", "last_name": "Y"},
        headers={"Origin": "https://evil.example"},
        follow_redirects=False,
    )
    assert 403 == forged.status_code
    assert before == len(mailer(kit).outbox)


@pytest.mark.req("WEB-2")
async def test_a_second_submission_of_the_new_user_form_adds_nobody_twice(
    client: httpx.AsyncClient, kit: Examkit
) -> None:
    enter_as(client, kit, ADMIN)
    token = form_token_of((await client.get("/users/new")).text)
    data = {
        "form_token": token,
        "system": "facet",
        "login_name": "22AB.P.Planner",
        "first_name": "Piet",
        "last_name": "Planner",
        "email": "piet@school.nl",
    }
    first = await client.post("/users/new?location=22AB00", data=data, headers={"Origin": ORIGIN})
    second = await client.post("/users/new?location=22AB00", data=data, headers={"Origin": ORIGIN})
    assert (303, 409) == (first.status_code, second.status_code)
    assert 1 == len([m for m in mailer(kit).outbox if m.to == ("piet@school.nl",)])
    assert 1 == sum(
        1 for user in kit.users.list_at(ADMIN, L00) if user.account.email == "piet@school.nl"
    )
