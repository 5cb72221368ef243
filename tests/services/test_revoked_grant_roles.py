# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""A grant revoked just before a use case of roles, applications or org runs cannot act.

Issue 21 (PLAT-2 and ROLE-5), for the use cases of :mod:`examkit.roles`
(``kit.users``, ``kit.grants``, ``kit.invitations``, ``kit.permissions``)
and :mod:`examkit.applications` (``kit.applications``). One table,
:data:`ACTING_USE_CASES`: each use case that takes an actor, the grants
its actor needs, and how to call it in the :class:`World`. Hypothesis
draws a use case and which of its actor's grants is revoked just before
the call: the call is refused with :class:`~examkit.errors.NotPermitted`,
changes nothing that is stored and sends no e-mail, and is audited as
``denied`` with the actor and the reason. With every grant intact, each
row's call succeeds (so the table names the grants that matter).

Not here, because they take no actor: ``kit.grants.install_operator`` (a
deployment's first step), ``kit.invitations.accept_invitation`` (the
invited user has no grants yet), ``kit.applications.submit`` (a school
without an account), the queries ``kit.permissions.actor`` and
``authorization``, and the institutions' use cases (``kit.institutions``:
the deployment's set-up, which checks no grant and only records who did it).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.services.revoked_grant import (
    Needs,
    assert_not_denied,
    assert_refusal_audited,
    grants,
    new_actor,
    revoke,
)

from examkit import Examkit, Settings
from examkit.accounts import Account, AccountStatus, LoginName
from examkit.errors import NotPermitted
from examkit.identifiers import Brin, LocationCode
from examkit.permissions import OPERATOR
from examkit.storage import MAX_PAGE_SIZE
from examkit.testing import (
    ManualClock,
    RecordingMailer,
    SequenceSecretSource,
    Wiring,
    cheap_hasher,
)
from examkit.testing.conformance import make_application, make_institution

L00, L01 = LocationCode("22AB00"), LocationCode("22AB01")
SCHOOL = Brin("22AB")
OTHER = Brin("33CD")
START = "2026-09-01T08:00:00+00:00"


@attrs.frozen
class World:
    """A kit with a user in every state a use case of the table acts on."""

    kit: Examkit
    mailer: RecordingMailer
    user: str
    """A Facet user added at 22AB00, planner there."""
    deactivated: str
    """A Facet user added at 22AB00, deactivated."""
    teacher: str
    """A Cito user added at 22AB00, not told yet, no role."""
    newcomer: str
    """An account of 22AB without grants (to become an administrator)."""
    application: str
    """A waiting account application."""
    other_application: str
    """Another waiting account application (for the other decision)."""


def _account(account_id: str, login: str) -> Account:
    return Account(
        id=account_id,
        login_name=LoginName(login),
        first_name="Kim",
        last_name=account_id.title(),
        email=f"{account_id}@school.nl",
        institutions=frozenset({SCHOOL}),
    )


def make_world(wiring: Wiring) -> World:
    """Return a :class:`World` on *wiring*'s backend and audit log."""
    mailer = RecordingMailer()
    kit = Examkit(
        backend=wiring.backend,
        mailer=mailer,
        settings=Settings(token_key=b"k" * 32, base_url="https://portal.example.nl"),
        clock=ManualClock.at(START),
        secrets=SequenceSecretSource("revoked"),
        audit=wiring.log,
        hasher=cheap_hasher("revoked"),
    )
    kit.institutions.register(make_institution("22AB", secondary=1))
    kit.institutions.register(make_institution("33CD"))
    with kit.backend.begin() as uow:
        uow.accounts.add(_account("desk", "examkit.servicedesk"))
        uow.accounts.add(_account("admin", "22AB.K.Beheerder1"))
        uow.accounts.add(_account("newcomer", "22AB.N.Nieuw"))
        uow.applications.add(make_application("app-1", brin="44EF"))
        uow.applications.add(make_application("app-2", brin="55GH"))
        uow.commit()
    kit.grants.install_operator("desk")
    for role in ("facet.administrator", "cito_lvs.administrator"):
        kit.grants.grant_administrator("desk", "admin", at=[L00, L01], role=role)

    def add(login: str, application: str = "facet", *, tell: bool = True) -> str:
        return kit.users.add_user(
            "admin",
            application=application,
            at=L00,
            login_name=login,
            first_name="Piet",
            last_name="Gebruiker",
            email=f"{login.lower()}@school.nl",
            tell=tell,
        ).id

    user = add("22AB.P.Planner")
    kit.grants.grant_role("admin", user, "facet.planner", at=[L00])
    deactivated = add("22AB.O.Oud")
    kit.users.deactivate("admin", deactivated, application="facet")
    teacher = add("22AB.T.Docent", "cito_lvs", tell=False)
    mailer.clear()
    return World(
        kit=kit,
        mailer=mailer,
        user=user,
        deactivated=deactivated,
        teacher=teacher,
        newcomer="newcomer",
        application="app-1",
        other_application="app-2",
    )


def stored_state(kit: Examkit) -> dict[str, Any]:
    """Everything the use cases of the table may change, as stored now (the audit apart)."""
    with kit.backend.begin(readonly=True) as uow:
        return {
            "accounts": [
                (account, account.version)
                for account in uow.accounts.list(limit=MAX_PAGE_SIZE).items
            ],
            "authorizations": [
                (authz, authz.version)
                for authz in uow.authorizations.list(limit=MAX_PAGE_SIZE).items
            ],
            "applications": uow.applications.list(limit=MAX_PAGE_SIZE).items,
            "institutions": uow.institutions.list(limit=MAX_PAGE_SIZE).items,
        }


@attrs.frozen
class ActingUseCase:
    """One use case that acts for someone: the grants its actor needs and how to call it."""

    needs: Needs
    """Each grant the actor needs: a role and the places it holds it at."""
    call: Callable[[World, str], object]
    """Calls the use case in the world with the actor's account id."""


FACET_ADMIN = grants(("facet.administrator", (L00,)))
CITO_ADMIN = grants(("cito_lvs.administrator", (L00,)))
THE_OPERATOR = grants((OPERATOR, ()))


def _add_user(world: World, actor: str) -> object:
    return world.kit.users.add_user(
        actor,
        application="facet",
        at=L00,
        login_name="22AB.N.Nina",
        first_name="Nina",
        last_name="Nieuw",
        email="nina@school.nl",
    )


ACTING_USE_CASES: dict[str, ActingUseCase] = {
    # -- users (examkit.roles.Users) ---------------------------------------------------------
    "users.add_user": ActingUseCase(FACET_ADMIN, _add_user),
    "users.edit_user": ActingUseCase(
        FACET_ADMIN,
        lambda w, a: w.kit.users.edit_user(a, w.user, application="facet", first_name="Pieter"),
    ),
    "users.send_new_password": ActingUseCase(
        FACET_ADMIN, lambda w, a: w.kit.users.send_new_password(a, w.user, application="facet")
    ),
    "users.deactivate": ActingUseCase(
        FACET_ADMIN, lambda w, a: w.kit.users.deactivate(a, w.user, application="facet")
    ),
    "users.reactivate": ActingUseCase(
        FACET_ADMIN, lambda w, a: w.kit.users.reactivate(a, w.deactivated, application="facet")
    ),
    "users.remove_user": ActingUseCase(
        CITO_ADMIN,
        lambda w, a: w.kit.users.remove_user(
            a, w.teacher, application="cito_lvs", institution=SCHOOL
        ),
    ),
    "users.set_access": ActingUseCase(
        CITO_ADMIN,
        lambda w, a: w.kit.users.set_access(
            a, w.teacher, application="cito_lvs", institution=SCHOOL
        ),
    ),
    # -- grants (examkit.roles.Grants) -------------------------------------------------------
    "grants.grant_role": ActingUseCase(
        FACET_ADMIN, lambda w, a: w.kit.grants.grant_role(a, w.user, "facet.proctor", at=[L00])
    ),
    "grants.revoke_role": ActingUseCase(
        FACET_ADMIN, lambda w, a: w.kit.grants.revoke_role(a, w.user, "facet.planner", at=[L00])
    ),
    "grants.grant_administrator": ActingUseCase(
        THE_OPERATOR, lambda w, a: w.kit.grants.grant_administrator(a, w.newcomer, at=[L00])
    ),
    "grants.link_institution": ActingUseCase(
        THE_OPERATOR, lambda w, a: w.kit.grants.link_institution(a, w.user, OTHER)
    ),
    # -- invitations (examkit.roles.Invitations) ---------------------------------------------
    "invitations.send_invitation": ActingUseCase(
        CITO_ADMIN,
        lambda w, a: w.kit.invitations.send_invitation(
            a, w.teacher, application="cito_lvs", at=L00
        ),
    ),
    # -- decisions (examkit.roles.Permissions) -----------------------------------------------
    "permissions.require": ActingUseCase(
        grants(("facet.planner", (L00,))),
        lambda w, a: w.kit.permissions.require(a, "facet.sessions.plan", L00),
    ),
    # -- account applications (examkit.applications.ApplicationService) ----------------------
    "applications.queue": ActingUseCase(THE_OPERATOR, lambda w, a: w.kit.applications.queue(a)),
    "applications.get": ActingUseCase(
        THE_OPERATOR, lambda w, a: w.kit.applications.get(a, w.application)
    ),
    "applications.approve": ActingUseCase(
        THE_OPERATOR, lambda w, a: w.kit.applications.approve(a, w.application)
    ),
    "applications.reject": ActingUseCase(
        THE_OPERATOR,
        lambda w, a: w.kit.applications.reject(a, w.other_application, reason="Onbekend"),
    ),
}
"""Every use case of roles and applications that takes an actor -> its row."""


def _new_actor(world: World, case: ActingUseCase) -> str:
    """Store a fresh account holding exactly the grants *case* needs; return its id."""
    return new_actor(world.kit, case.needs, granted_at=world.kit.clock.now() - timedelta(days=30))


@pytest.fixture
def world(wiring: Wiring) -> World:
    return make_world(wiring)


@st.composite
def case_and_grant(draw: st.DrawFn) -> tuple[str, int]:
    """A use case of the table and the index of the one of its actor's grants to revoke."""
    name = draw(st.sampled_from(sorted(ACTING_USE_CASES)))
    index = draw(st.integers(0, len(ACTING_USE_CASES[name].needs) - 1))
    return name, index


@pytest.mark.req("PLAT-2", "ROLE-5")
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(drawn=case_and_grant())
def test_a_revoked_grant_cannot_act_in_roles_or_applications(
    world: World, wiring: Wiring, drawn: tuple[str, int]
) -> None:
    """Refused with NotPermitted, nothing stored changes, no mail, audited as denied."""
    name, index = drawn
    case = ACTING_USE_CASES[name]
    actor = _new_actor(world, case)
    revoke(world.kit, actor, index=index)
    before, sent = stored_state(world.kit), len(world.mailer.outbox)
    with pytest.raises(NotPermitted) as refused:
        case.call(world, actor)
    assert "permission.denied" == refused.value.code
    assert before == stored_state(world.kit)
    assert sent == len(world.mailer.outbox)
    assert_refusal_audited(wiring.audit.events, actor, "permission.denied")


@pytest.mark.req("PLAT-2", "ROLE-5")
@pytest.mark.parametrize("name", sorted(ACTING_USE_CASES))
def test_with_every_grant_intact_each_use_case_of_roles_acts(wiring: Wiring, name: str) -> None:
    """The table's grants are what the use case needs: with all of them the call succeeds."""
    world = make_world(wiring)
    case = ACTING_USE_CASES[name]
    actor = _new_actor(world, case)
    case.call(world, actor)
    assert_not_denied(wiring.audit.events, actor)


@pytest.mark.req("PLAT-2", "ROLE-5")
def test_the_world_holds_what_the_table_acts_on(wiring: Wiring) -> None:
    """The users are in the states the rows assume (a row's success depends on it)."""
    world = make_world(wiring)
    with world.kit.backend.begin(readonly=True) as uow:
        assert AccountStatus.DEACTIVATED is uow.accounts.get(world.deactivated).status
        assert uow.accounts.get(world.teacher).password is None
    assert world.kit.permissions.actor(world.user).may("facet.sessions.plan", L00)
