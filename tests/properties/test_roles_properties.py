# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""``may`` agrees with a naive reference for random users, grants and scopes.

The reference below walks every grant of the user and asks, in the plainest
terms, whether it is in force and its scope holds the target; it shares no
code with examkit's indexed decision beyond the matrix's list of which role
holds which action (checked against the seeds elsewhere).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from examkit.identifiers import Brin, Instellingsnummer, LocationCode
from examkit.permissions import MATRIX, Access, Actor, ClassRef, Grant, Subject, Target, may

AT = datetime(2026, 9, 1, tzinfo=UTC)
LOCATIONS = [LocationCode(c) for c in ("22AB00", "22AB01", "33CD00")]
SCHOOLS = [Instellingsnummer("012345"), Instellingsnummer("067890")]
KEYS = ["1A", "2B"]
SUBJECTS = list(Subject)
ROLES = sorted(MATRIX.roles)
ACTIONS = sorted(MATRIX.actions)


@st.composite
def grants(draw: st.DrawFn) -> Grant:
    """Draw a valid grant of any role, at places fitting its scope, sometimes revoked."""
    role = draw(st.sampled_from(ROLES))
    kind = MATRIX.role(role).scope.value
    at: list[Any] = []
    subject = None
    if kind == "locations":
        brin = draw(st.sampled_from(["22AB", "33CD"]))
        mine = [loc for loc in LOCATIONS if str(loc.brin) == brin]
        at = draw(st.lists(st.sampled_from(mine), min_size=1, unique=True))
    elif kind in {"classes", "subject_classes"}:
        location = draw(st.sampled_from(LOCATIONS[:2]))
        keys = draw(st.lists(st.sampled_from(KEYS), min_size=1, unique=True))
        at = [ClassRef(location, key) for key in keys]
        if kind == "subject_classes":
            subject = draw(st.sampled_from(SUBJECTS))
    elif kind == "school":
        at = [draw(st.sampled_from(SCHOOLS))]
    grant = Grant.of(role, at, subject=subject, granted_at=AT)
    if draw(st.booleans()) and draw(st.booleans()):
        return Grant(
            role=grant.role,
            institution=grant.institution,
            granted_at=grant.granted_at,
            locations=grant.locations,
            classes=grant.classes,
            subject=grant.subject,
            revoked_at=AT,
        )
    return grant


accesses = st.lists(
    st.builds(Access, st.just("cito_lvs"), st.sampled_from([Brin("22AB"), Brin("33CD")])),
    max_size=2,
)

targets = st.one_of(
    st.none(),
    st.sampled_from(LOCATIONS),
    st.sampled_from(SCHOOLS),
    st.sampled_from([Brin("22AB"), Brin("33CD")]),
    st.builds(ClassRef, st.sampled_from(LOCATIONS), st.sampled_from([*KEYS, "3C"])),
    st.builds(
        Target,
        location=st.sampled_from(LOCATIONS),
        class_key=st.one_of(st.none(), st.sampled_from([*KEYS, "3C"])),
        subject=st.one_of(st.none(), st.sampled_from(SUBJECTS)),
    ),
)


def reference(  # noqa: PLR0911, PLR0912 - the plain way reads best as one function
    active: bool, grants: list[Grant], access: list[Access], action: str, on: Any
) -> bool:
    """Decide the plain way: some grant in force, holding the action, whose scope holds *on*."""
    if not active:
        return False
    for grant in grants:
        role = MATRIX.roles[grant.role]
        if grant.revoked_at is not None or action not in role.actions:
            continue
        if (
            role.application == "cito_lvs"
            and not role.by_application
            and Access("cito_lvs", grant.institution) not in access  # type: ignore[arg-type]
        ):
            continue
        if role.scope.value == "system" or on is None:
            return True
        location = class_key = subject = school = None
        if isinstance(on, LocationCode):
            location = on
        elif isinstance(on, ClassRef):
            location, class_key = on.location, on.key
        elif isinstance(on, Target):
            location, class_key, subject = on.location, on.class_key, on.subject
        elif isinstance(on, Instellingsnummer):
            school = on
        kind = role.scope.value
        if kind == "locations" and location in grant.locations:
            return True
        if kind == "school" and school is not None and school == grant.institution:
            return True
        if kind in {"classes", "subject_classes"} and location is not None and class_key:
            in_class = ClassRef(location, class_key) in grant.classes
            if kind == "classes" and in_class:
                return True
            if kind == "subject_classes" and in_class and subject == grant.subject:
                return True
    return False


@pytest.mark.req("ROLE-5", "ROLE-1", "ROLE-3", "ROLE-6")
@given(
    active=st.booleans(),
    held=st.lists(grants(), max_size=4),
    access=accesses,
    data=st.data(),
)
def test_may_agrees_with_the_naive_reference(
    active: bool, held: list[Grant], access: list[Access], data: st.DataObject
) -> None:
    """Every decision equals the reference's (actions mostly of the roles held)."""
    actor = Actor("u", active=active, grants=held, access=access)
    own = sorted({code for grant in held for code in MATRIX.role(grant.role).actions})
    actions = st.sampled_from(ACTIONS)
    if own:
        actions = st.one_of(st.sampled_from(own), actions)
    checks = data.draw(st.lists(st.tuples(actions, targets), min_size=1, max_size=25))
    for action, on in checks:
        assert reference(active, held, access, action, on) == may(actor, action, on), (action, on)


@pytest.mark.req("ROLE-5", "ROLE-2", "ROLE-3")
@given(held=st.lists(grants(), max_size=4), access=accesses)
def test_nothing_is_allowed_outside_the_granted_scope(
    held: list[Grant], access: list[Access]
) -> None:
    """At a location, class or school no grant names, only the operator may anything."""
    actor = Actor("u", grants=held, access=access)
    named: set[Any] = set()
    for grant in held:
        named |= set(grant.locations) | {grant.institution}
    everywhere = any(g.is_active and g.role == "examkit.operator" for g in held)
    outside: list[Any] = [
        LocationCode("44EF00"),
        ClassRef(LocationCode("44EF00"), "1A"),
        Target(location=LocationCode("44EF01"), class_key="1A", subject=Subject.DUTCH),
        Instellingsnummer("999999"),
        Brin("22AB"),
        *[loc for loc in LOCATIONS if loc not in named],
        *[school for school in SCHOOLS if school not in named],
    ]
    for action in ACTIONS:
        for on in outside:
            allowed = may(actor, action, on)
            assert not allowed or (everywhere and action in MATRIX.role("examkit.operator").actions)
