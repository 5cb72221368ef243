# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The users of a location (``kit.users.list_at``), for the administrators of that location.

Run on the doubles and on the production wiring (memory and an SQLite
file): who holds a role there or was added there is listed, with its grants
at the institution; a refusal (no user administration there) says nothing
and is audited.
"""

from __future__ import annotations

from typing import cast

import pytest

from examkit import Examkit, Settings
from examkit.accounts import Account, AccountStatus, LoginName
from examkit.errors import NotFound, NotPermitted
from examkit.identifiers import Brin, LocationCode
from examkit.org import InstitutionCode
from examkit.permissions import ClassRef, Subject
from examkit.testing import (
    ManualClock,
    RecordingMailer,
    SequenceSecretSource,
    Wiring,
    cheap_hasher,
)
from examkit.testing.conformance import make_institution

L00, L01, OTHER = LocationCode("22AB00"), LocationCode("22AB01"), LocationCode("33CD00")


@pytest.fixture
def kit(wiring: Wiring) -> Examkit:
    """22AB (two locations) and 33CD; an administrator of both 22AB locations, one of 22AB01,
    one of 33CD, and a planner of 22AB01 with no user administration."""
    kit = Examkit(
        backend=wiring.backend,
        mailer=RecordingMailer(),
        settings=Settings(token_key=b"k" * 32, base_url="https://portal.example/"),
        clock=ManualClock.at("2026-09-01T08:00:00+00:00"),
        secrets=SequenceSecretSource("listing"),
        audit=wiring.log,
        hasher=cheap_hasher("listing"),
    )
    kit.institutions.register(make_institution("22AB", secondary=2))
    kit.institutions.register(make_institution("33CD"))
    with kit.backend.begin() as uow:
        for account_id, login, brin in [
            ("op", "examkit.servicedesk", None),
            ("admin", "22AB.K.Beheerder", "22AB"),
            ("admin01", "22AB.Beheerder01", "22AB"),
            ("other", "33CD.Beheerder", "33CD"),
        ]:
            institutions = () if brin is None else (Brin(brin),)
            uow.accounts.add(
                Account(
                    id=account_id,
                    login_name=LoginName(login),
                    first_name="Kim",
                    last_name=account_id.title(),
                    email=f"{account_id}@school.nl",
                    institutions=frozenset(cast("tuple[InstitutionCode, ...]", institutions)),
                )
            )
        uow.commit()
    kit.grants.install_operator("op")
    kit.grants.grant_administrator("op", "admin", at=[L00, L01])
    kit.grants.grant_administrator("op", "admin", at=[L00, L01], role="cito_lvs.administrator")
    kit.grants.grant_administrator("op", "admin01", at=[L01])
    kit.grants.grant_administrator("op", "other", at=[OTHER])
    return kit


def add(kit: Examkit, login: str, at: LocationCode, application: str = "facet") -> str:
    first, last = login.split(".")[1:3]
    return kit.users.add_user(
        "admin",
        application=application,
        at=at,
        login_name=login,
        first_name=first,
        last_name=last,
        email=f"{last.lower()}@school.nl",
    ).id


@pytest.mark.req("ROLE-2", "ROLE-3")
def test_a_location_lists_who_holds_a_role_there_or_was_added_there(kit: Examkit) -> None:
    planner = add(kit, "22AB.P.Planner", L00)
    kit.grants.grant_role("admin", planner, "facet.planner", at=[L00, L01])
    newcomer = add(kit, "22AB.N.Nieuw", L00)
    teacher = add(kit, "22AB.T.Docent", L01, "cito_lvs")
    kit.grants.grant_role(
        "admin",
        teacher,
        "cito_lvs.subject_teacher",
        at=[ClassRef(L01, "1HA")],
        subject=Subject.DUTCH,
    )
    kit.users.set_access("admin", teacher, application="cito_lvs", institution=Brin("22AB"))
    kit.users.deactivate("admin", newcomer, application="facet")

    at00 = {user.account.id: user for user in kit.users.list_at("admin", L00)}
    assert {"admin", planner, newcomer} == set(at00)
    assert ["22AB.K.Beheerder", "22AB.N.Nieuw", "22AB.P.Planner"] == [
        str(user.account.login_name) for user in kit.users.list_at("admin", L00)
    ]
    assert (True, ("facet.planner",)) == (
        at00[planner].belongs,
        tuple(g.role for g in at00[planner].grants_at(L00)),
    )
    assert (True, (), AccountStatus.DEACTIVATED) == (
        at00[newcomer].belongs,
        at00[newcomer].grants,
        at00[newcomer].account.status,
    )
    at01 = {user.account.id: user for user in kit.users.list_at("admin", L01)}
    assert {"admin", "admin01", planner, teacher} == set(at01)
    assert (False, ("facet.planner",)) == (
        at01[planner].belongs,
        tuple(g.role for g in at01[planner].grants_at(L01)),
    )
    (grant,) = at01[teacher].grants_at(L01)
    assert (frozenset({ClassRef(L01, "1HA")}), Subject.DUTCH) == (grant.classes, grant.subject)
    assert frozenset({"cito_lvs"}) == at01[teacher].access


@pytest.mark.req("ROLE-2", "AUTH-11")
def test_grants_at_another_institution_are_not_shown(kit: Examkit) -> None:
    """A user linked to 22AB and 33CD: 22AB's listing shows only its grants at 22AB."""
    planner = add(kit, "22AB.P.Planner", L00)
    kit.grants.grant_role("admin", planner, "facet.planner", at=[L00])
    kit.grants.link_institution("op", planner, Brin("33CD"))
    kit.grants.grant_role("other", planner, "facet.proctor", at=[OTHER])
    (shown,) = [u for u in kit.users.list_at("admin", L00) if u.account.id == planner]
    assert ("facet.planner",) == tuple(grant.role for grant in shown.grants)
    (there,) = [u for u in kit.users.list_at("other", OTHER) if u.account.id == planner]
    assert ("facet.proctor",) == tuple(grant.role for grant in there.grants)


@pytest.mark.req("ROLE-2", "ROLE-5")
@pytest.mark.parametrize(
    ("actor", "location"),
    [
        ("admin01", L00),  # an administrator of the institution, not of this location
        ("other", L00),  # an administrator of another institution
        ("planner", L00),  # a role without user administration
        ("nobody", L00),  # no account at all
    ],
)
def test_who_administers_no_users_at_the_location_is_refused_and_audited(
    kit: Examkit, wiring: Wiring, actor: str, location: LocationCode
) -> None:
    planner = add(kit, "22AB.P.Planner", L00)
    kit.grants.grant_role("admin", planner, "facet.planner", at=[L00])
    acting = planner if actor == "planner" else actor
    with pytest.raises(NotPermitted) as raised:
        kit.users.list_at(acting, location)
    assert "permission.denied" == raised.value.code
    last = wiring.audit.events[-1]
    assert ("roles.users.listed", "denied", f"location:{location}") == (
        last.action,
        last.outcome,
        last.subject,
    )


@pytest.mark.req("ROLE-2")
def test_an_administrator_of_one_location_lists_it_and_the_operator_every_one(
    kit: Examkit,
) -> None:
    assert {"admin", "admin01"} == {u.account.id for u in kit.users.list_at("admin01", L01)}
    assert {"other"} == {u.account.id for u in kit.users.list_at("op", OTHER)}


@pytest.mark.req("ROLE-2", "ROLE-3")
def test_one_user_of_a_location_reads_as_its_entry_in_the_listing(kit: Examkit) -> None:
    planner = add(kit, "22AB.P.Planner", L00)
    kit.grants.grant_role("admin", planner, "facet.planner", at=[L00, L01])
    newcomer = add(kit, "22AB.N.Nieuw", L00)
    for location in (L00, L01):
        for user in kit.users.list_at("admin", location):
            assert user == kit.users.user_at("admin", location, user.account.id)
    assert newcomer not in {user.account.id for user in kit.users.list_at("admin", L01)}
    with pytest.raises(NotFound) as missing:
        kit.users.user_at("admin", L01, newcomer)
    assert ("roles.user.not_at_location", "account") == (missing.value.code, missing.value.field)
    with pytest.raises(NotFound):
        kit.users.user_at("admin", L00, "nobody")


@pytest.mark.req("ROLE-2", "ROLE-5")
def test_one_user_is_refused_to_who_administers_no_users_at_the_location(
    kit: Examkit, wiring: Wiring
) -> None:
    planner = add(kit, "22AB.P.Planner", L00)
    kit.grants.grant_role("admin", planner, "facet.planner", at=[L00])
    for acting in ("admin01", "other", planner, "nobody"):
        with pytest.raises(NotPermitted):
            kit.users.user_at(acting, L00, planner)
        assert ("roles.users.listed", "denied") == (
            wiring.audit.events[-1].action,
            wiring.audit.events[-1].outcome,
        )
