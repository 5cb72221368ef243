# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Grants, scopes, targets and the pure decision."""

from __future__ import annotations

from datetime import UTC, datetime

import attrs
import pytest

from examkit.converter import structure, unstructure
from examkit.errors import InvalidInput, NotPermitted
from examkit.identifiers import Brin, Instellingsnummer, LocationCode
from examkit.permissions import (
    Access,
    Actor,
    Authorization,
    ClassRef,
    Grant,
    Subject,
    Target,
    as_target,
    may,
    require,
)

AT = datetime(2026, 9, 1, tzinfo=UTC)
L00, L01 = LocationCode("22AB00"), LocationCode("22AB01")


@attrs.frozen
class SessionGroup:
    """A stand-in for the sessions issue's test session group: it knows its target."""

    location: LocationCode

    @property
    def permission_target(self) -> Target:
        return Target(location=self.location)


@pytest.mark.req("ROLE-3")
def test_a_class_is_its_location_and_key() -> None:
    """Keys are trimmed; an empty key is refused."""
    assert ClassRef(L00, "1HA") == ClassRef(L00, " 1HA ")
    assert "22AB00/1HA" == str(ClassRef(L00, "1HA"))
    with pytest.raises(InvalidInput):
        ClassRef(L00, "  ")


@pytest.mark.req("ROLE-1", "ROLE-3", "ROLE-6")
@pytest.mark.parametrize(
    ("role", "at", "subject", "code"),
    [
        ("facet.planner", [], None, "roles.grant.dutch_institution"),
        ("facet.planner", [L00, LocationCode("33CD00")], None, "roles.grant.several_institutions"),
        ("facet.planner", [ClassRef(L00, "1A")], None, "roles.grant.location_scope"),
        ("cito_lvs.pupil_counsellor", [L00], None, "roles.grant.no_class"),
        ("cito_lvs.subject_teacher", [ClassRef(L00, "1A")], None, "roles.grant.subject"),
        ("cito_lvs.pupil_counsellor", [ClassRef(L00, "1A")], Subject.DUTCH, "roles.grant.subject"),
        ("vlaamse_toetsen.test_assistant", [L00], None, "roles.grant.flemish_school"),
        ("examkit.operator", [L00], None, "roles.grant.system_scope"),
        ("facet.nobody", [L00], None, "roles.role.unknown"),
    ],
)
def test_a_grant_must_fit_its_role_scope(
    role: str, at: list[object], subject: Subject | None, code: str
) -> None:
    """Each misfit is refused with its own code."""
    with pytest.raises(InvalidInput) as raised:
        Grant.of(role, at, subject=subject, granted_at=AT)  # type: ignore[arg-type]
    assert code == raised.value.code


@pytest.mark.req("ROLE-3")
def test_a_class_grant_takes_the_locations_of_its_classes() -> None:
    """The institution and locations follow from the classes."""
    grant = Grant.of(
        "cito_lvs.subject_teacher",
        [ClassRef(L00, "1A"), ClassRef(L01, "2B")],
        subject=Subject.MATHS,
        granted_at=AT,
    )
    assert (Brin("22AB"), {L00, L01}) == (grant.institution, set(grant.locations))
    assert "22AB00/1A,22AB01/2B/maths" == grant.describe()


@pytest.mark.req("ROLE-5")
def test_revoked_grants_allow_nothing() -> None:
    """A grant kept for the record decides nothing."""
    grant = Grant.of("facet.proctor", [L00], granted_at=AT)
    revoked = attrs.evolve(grant, revoked_at=AT, revoked_by="admin")
    assert may(Actor("a", grants=[grant]), "facet.monitor.release", L00)
    assert not may(Actor("a", grants=[revoked]), "facet.monitor.release", L00)


@pytest.mark.req("ROLE-2", "ROLE-5")
def test_a_deactivated_account_may_nothing() -> None:
    """Not even its own profile."""
    actor = Actor("a", active=False, grants=[Grant.of("facet.planner", [L00], granted_at=AT)])
    assert not may(actor, "facet.profile.edit")
    assert not may(actor, "facet.sessions.plan", L00)


@pytest.mark.req("ROLE-5")
def test_anything_that_knows_its_target_can_be_asked_about() -> None:
    """A session group resolves to its location."""
    actor = Actor("a", grants=[Grant.of("facet.proctor", [L01], granted_at=AT)])
    assert may(actor, "facet.monitor.close", SessionGroup(L01))
    assert not may(actor, "facet.monitor.close", SessionGroup(L00))


@pytest.mark.req("ROLE-5")
def test_unknown_actions_and_targets_are_programming_errors() -> None:
    """They raise instead of quietly answering no."""
    actor = Actor("a")
    with pytest.raises(InvalidInput) as raised:
        may(actor, "facet.sessions.fly", L00)
    assert "roles.action.unknown" == raised.value.code
    with pytest.raises(InvalidInput):
        may(actor, "facet.sessions.plan", "22AB00")  # type: ignore[arg-type]


@pytest.mark.req("ROLE-5")
def test_require_says_nothing_about_the_target() -> None:
    """The refusal reads the same whatever was asked about."""
    actor = Actor("a", grants=[Grant.of("facet.proctor", [L00], granted_at=AT)])
    messages = set()
    for on in (L01, LocationCode("99ZZ00"), ClassRef(L00, "geheim"), None):
        with pytest.raises(NotPermitted) as raised:
            require(actor, "facet.sessions.plan", on)
        messages.add((raised.value.code, raised.value.message("nl"), tuple(raised.value.params)))
    assert {("permission.denied", "U heeft geen toestemming voor deze handeling.", ())} == messages
    require(actor, "facet.monitor.release", L00)


@pytest.mark.req("ROLE-5")
def test_a_whole_institution_is_only_the_operators() -> None:
    """A location grant does not cover its BRIN; the operator covers everything."""
    planner = Actor("a", grants=[Grant.of("facet.planner", [L00, L01], granted_at=AT)])
    operator = Actor("o", grants=[Grant.of("examkit.operator", granted_at=AT)])
    assert not may(planner, "facet.sessions.plan", Brin("22AB"))
    assert may(operator, "examkit.accounts.link_institution", Brin("22AB"))
    assert may(operator, "examkit.accounts.link_institution", Instellingsnummer("012345"))
    assert not may(operator, "facet.sessions.plan", L00)


@pytest.mark.req("ROLE-5")
def test_targets_print_and_resolve() -> None:
    """Every kind of target reduces to one Target."""
    assert "22AB00/1A/dutch" == str(Target(location=L00, class_key="1A", subject=Subject.DUTCH))
    assert Target(location=L00, class_key="1A") == as_target(ClassRef(L00, "1A"))
    assert Target(institution=Brin("22AB")) == as_target(Brin("22AB"))
    assert as_target(None) is None
    with pytest.raises(InvalidInput):
        Target(class_key="1A")
    with pytest.raises(InvalidInput):
        Target(location=L00, institution=Brin("33CD"))


@pytest.mark.req("ROLE-3", "AUTH-11")
def test_an_authorization_round_trips_through_the_converter() -> None:
    """The SQL backend's JSON and the wire format keep every field."""
    authz = Authorization(
        account="a",
        grants=(
            Grant.of(
                "cito_lvs.subject_teacher",
                [ClassRef(L00, "1A")],
                subject=Subject.DUTCH,
                granted_at=AT,
                granted_by="admin",
            ),
            attrs.evolve(Grant.of("facet.planner", [L01], granted_at=AT), revoked_at=AT),
            Grant.of(
                "vlaamse_toetsen.test_assistant", [Instellingsnummer("012345")], granted_at=AT
            ),
        ),
        access=frozenset({Access("cito_lvs", Brin("22AB"))}),
    )
    assert authz == structure(unstructure(authz), Authorization)
    assert [g.role for g in authz.active_grants] == [
        "cito_lvs.subject_teacher",
        "vlaamse_toetsen.test_assistant",
    ]
    assert authz.has_access("cito_lvs", Brin("22AB"))


def test_an_actor_lists_the_roles_that_count() -> None:
    """Roles without access, revoked or of a deactivated account do not count."""
    teacher = Grant.of("cito_lvs.pupil_counsellor", [ClassRef(L00, "1A")], granted_at=AT)
    planner = Grant.of("facet.planner", [L00], granted_at=AT)
    assert ("facet.planner",) == Actor("a", grants=[teacher, planner]).roles()
    both = Actor("a", grants=[teacher, planner], access=[Access("cito_lvs", Brin("22AB"))])
    assert ("facet.planner", "cito_lvs.pupil_counsellor") == both.roles()
    assert "Actor('a', roles=['facet.planner'])" == repr(Actor("a", grants=[planner]))
