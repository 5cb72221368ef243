"""Permission checks: examkit's ``may`` against a lookup in a set of every allowed tuple.

The population: 1,000 users at 25 Dutch institutions of 2 locations each (50
locations), 4 classes per location (200 classes), subjects Dutch, English and
maths; each user holds 1 to 3 grants of random roles (the exam system's
roles at locations, the monitoring system's roles in classes or for a
subject, the practical-exam app's and the end-test portal's, a few
administrators), 5% of them are deactivated and 10% of the monitoring
system's users have no "access to application". 100,000 random checks
(``--quick``: 20,000) ask about a location, a class, or a subject's report
in a class; half the actions are ones the user's roles hold.

examkit's side calls ``may(actor, action, on)`` over actors loaded in
advance through ``kit.permissions.actor`` from a memory backend (the loading is
timed separately and printed, not part of the ratio). The baseline is the
floor for any implementation: a set, precomputed by code written here, of
every allowed ``(user, action, scope)`` tuple, and one membership test per
check. Both give the same decision on every check (checked).

The target, 3.0: ``may`` does a dictionary look-up for the action, a type
dispatch on the target and one to three set look-ups, plus a function call;
the baseline does one tuple hash and one set look-up. A decision that
walked the grants, or resolved scopes through the storage port, would be
several times over it.

For information, the time per check of pycasbin (the usual Python choice,
RBAC with domains) on the location-level part of the same policy (roles
held at locations, asked about a location) is printed, its decisions
checked against examkit's; it is not part of the verdict.
"""

from __future__ import annotations

import random  # noqa: TID251 - a reproducible benchmark population, not a secret
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script

from benchmarks._harness import Figure, by_mode, compare, parse_mode, report

from examkit.accounts import Account, AccountStatus, LoginName
from examkit.identifiers import Brin, LocationCode
from examkit.permissions import MATRIX, Access, Actor, Authorization, ClassRef, Grant, Subject, may
from examkit.permissions import Target as RoleTarget
from examkit.testing import make_kit

TARGET = 3.0
AT = datetime(2026, 9, 1, tzinfo=UTC)
CLASS_KEYS = ("1A", "2B", "3C", "4D")

# The roles users are drawn from: (code, weight). Administrators are rare.
ROLE_WEIGHTS = {
    "facet.planner": 6,
    "facet.proctor": 8,
    "facet.corrector": 8,
    "facet.fao_administrator": 2,
    "facet.ft_planner": 2,
    "facet.ft_proctor": 2,
    "facet.administrator": 1,
    "cito_lvs.pupil_counsellor": 8,
    "cito_lvs.subject_teacher": 10,
    "cito_lvs.quality_officer": 3,
    "cito_lvs.administrator": 1,
    "cspe.examiner": 3,
    "cspe.account_administrator": 1,
    "ce_portal.user": 2,
    "ce_portal.administrator": 1,
}


def brins(count: int) -> list[Brin]:
    """Return *count* distinct BRIN codes."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return [Brin(f"{10 + i:02d}{letters[i % 26]}{letters[(i // 26) % 26]}") for i in range(count)]


def population(
    rng: random.Random, users: int, institutions: int
) -> list[tuple[Account, Authorization]]:
    """Return *users* accounts with their authorizations (grants and access)."""
    schools = brins(institutions)
    roles = list(ROLE_WEIGHTS)
    weights = list(ROLE_WEIGHTS.values())
    out: list[tuple[Account, Authorization]] = []
    for n in range(users):
        school = rng.choice(schools)
        locations = [school.location(0), school.location(1)]
        grants: list[Grant] = []
        for _ in range(rng.randint(1, 3)):
            role = rng.choices(roles, weights)[0]
            kind = MATRIX.role(role).scope.value
            subject = None
            if kind == "locations":
                at: list[Any] = rng.sample(locations, rng.randint(1, 2))
            else:
                at = [
                    ClassRef(rng.choice(locations), key)
                    for key in rng.sample(CLASS_KEYS, rng.randint(1, 3))
                ]
                if kind == "subject_classes":
                    subject = rng.choice(list(Subject))
            grants.append(Grant.of(role, at, subject=subject, granted_at=AT))
        access = [Access("cito_lvs", school)] if rng.random() >= 0.1 else []
        account = Account(
            id=f"u{n:05d}",
            login_name=LoginName(f"user.{n:05d}"),
            first_name="Gebruiker",
            last_name=f"{n}",
            email=f"u{n}@school.nl",
            status=AccountStatus.DEACTIVATED if rng.random() < 0.05 else AccountStatus.ACTIVE,
            institutions=frozenset({school}),
        )
        out.append((account, Authorization(account.id, grants=grants, access=access)))
    return out


# --- the baseline: every allowed (user, action, scope), enumerated by hand ----------------


def allowed_tuples(people: list[tuple[Account, Authorization]]) -> set[tuple[str, str, Any]]:
    """Return every (user, action, scope) the policy allows, for the scopes checks ask about.

    A location grant allows its locations, every class there and every
    subject's report in those classes; a class grant its classes and their
    subjects' reports; a subject grant its subject's reports in its classes.
    Deactivated users, and monitoring-system roles (not the administrator's)
    without access at the institution, allow nothing.
    """
    allowed: set[tuple[str, str, Any]] = set()
    for account, authz in people:
        if account.status is not AccountStatus.ACTIVE:
            continue
        for grant in authz.grants:
            role = MATRIX.role(grant.role)
            needs_access = role.application == "cito_lvs" and not role.by_application
            if needs_access and Access("cito_lvs", grant.institution) not in authz.access:  # type: ignore[arg-type]
                continue
            scopes: list[Any] = []
            if grant.classes:
                for class_ref in grant.classes:
                    subjects = [grant.subject] if grant.subject is not None else list(Subject)
                    if grant.subject is None:
                        scopes.append(class_ref)
                    scopes.extend(
                        RoleTarget(location=class_ref.location, class_key=class_ref.key, subject=s)
                        for s in subjects
                    )
            else:
                for location in grant.locations:
                    scopes.append(location)
                    for key in CLASS_KEYS:
                        scopes.append(ClassRef(location, key))
                        scopes.extend(
                            RoleTarget(location=location, class_key=key, subject=s) for s in Subject
                        )
            for action in role.actions:
                for scope in scopes:
                    allowed.add((account.id, action, scope))
    return allowed


def checks_for(
    rng: random.Random, people: list[tuple[Account, Authorization]], count: int, institutions: int
) -> list[tuple[str, str, Any]]:
    """Return *count* random checks: half with an action of the user's own roles."""
    all_locations = [school.location(i) for school in brins(institutions) for i in (0, 1)]
    actions = sorted(MATRIX.actions)
    out: list[tuple[str, str, Any]] = []
    for _ in range(count):
        account, authz = rng.choice(people)
        own = [code for g in authz.grants for code in MATRIX.role(g.role).actions]
        action = rng.choice(own) if rng.random() < 0.5 else rng.choice(actions)
        if rng.random() < 0.7:
            (school,) = account.institutions
            assert isinstance(school, Brin)
            location = school.location(rng.randint(0, 1))
        else:
            location = rng.choice(all_locations)
        kind = rng.random()
        scope: Any
        if kind < 0.4:
            scope = location
        elif kind < 0.7:
            scope = ClassRef(location, rng.choice(CLASS_KEYS))
        else:
            scope = RoleTarget(
                location=location,
                class_key=rng.choice(CLASS_KEYS),
                subject=rng.choice(list(Subject)),
            )
        out.append((account.id, action, scope))
    return out


# --- pycasbin, for information --------------------------------------------------------------

_CASBIN_MODEL = """
[request_definition]
r = sub, dom, act

[policy_definition]
p = sub, act

[role_definition]
g = _, _, _

[policy_effect]
e = some(where (p.eft == allow))

[matchers]
m = g(r.sub, p.sub, r.dom) && r.act == p.act
"""


def casbin_figure(
    people: list[tuple[Account, Authorization]],
    checks: list[tuple[str, str, Any]],
    actors: dict[str, Actor],
    limit: int,
) -> tuple[float | None, int]:
    """Return pycasbin's seconds per check on the location-level checks, and how many."""
    try:
        import casbin
    except ImportError:
        print("permissions: pycasbin is not installed (dependency group 'bench'); skipped")
        return None, 0
    import logging
    import tempfile

    logging.getLogger("casbin").setLevel(logging.ERROR)
    location_roles = {
        code for code, role in MATRIX.roles.items() if role.scope.value == "locations"
    }
    with tempfile.TemporaryDirectory() as folder:
        model = Path(folder) / "model.conf"
        model.write_text(_CASBIN_MODEL, encoding="utf-8")
        enforcer = casbin.Enforcer(str(model))
    for code in sorted(location_roles):
        for action in MATRIX.role(code).actions:
            enforcer.add_policy(code, action)
    for account, authz in people:
        if account.status is not AccountStatus.ACTIVE:
            continue
        for grant in authz.grants:
            role = MATRIX.role(grant.role)
            if grant.role not in location_roles:
                continue
            needs_access = role.application == "cito_lvs" and not role.by_application
            if needs_access and Access("cito_lvs", grant.institution) not in authz.access:  # type: ignore[arg-type]
                continue
            for location in grant.locations:
                enforcer.add_named_grouping_policy("g", account.id, grant.role, str(location))
    asked = [
        (user, action, scope)
        for user, action, scope in checks
        if type(scope) is LocationCode
        and all(r.scope.value == "locations" for r in MATRIX.roles.values() if action in r.actions)
    ][:limit]
    start = time.perf_counter()
    answers = [enforcer.enforce(user, str(scope), action) for user, action, scope in asked]
    elapsed = time.perf_counter() - start
    expected = [may(actors[user], action, scope) for user, action, scope in asked]
    assert answers == expected, "pycasbin and examkit disagree on the location-level checks"
    return (elapsed / len(asked) if asked else None), len(asked)


# --- the benchmark ----------------------------------------------------------------------------


def main() -> None:
    """Run the benchmark in the mode given on the command line."""
    mode = parse_mode(__doc__)
    users = by_mode(mode, smoke=300, quick=1_000, full=1_000)
    count = by_mode(mode, smoke=3_000, quick=20_000, full=100_000)
    repeats = by_mode(mode, smoke=3, quick=9, full=15)
    institutions = 25
    rng = random.Random(20260901)  # noqa: S311 - reproducible, not a secret
    people = population(rng, users, institutions)
    checks = checks_for(rng, people, count, institutions)
    print(
        f"permissions: mode={mode}, users={users}, locations={institutions * 2}, "
        f"classes={institutions * 2 * len(CLASS_KEYS)}, checks={count}, repeats={repeats}"
    )

    kit = make_kit()
    with kit.backend.begin() as uow:
        uow.accounts.add_many([account for account, _ in people])
        uow.authorizations.add_many([authz for _, authz in people])
        uow.commit()
    start = time.perf_counter()
    actors = {account.id: kit.permissions.actor(account.id) for account, _ in people}
    load = time.perf_counter() - start
    took = f"{load * 1e3:.1f} ms"
    print(f"permissions: loading {users} actors through kit.permissions.actor took {took}")

    start = time.perf_counter()
    allowed = allowed_tuples(people)
    enumerate_seconds = time.perf_counter() - start
    print(
        f"permissions: the baseline's set of {len(allowed)} allowed tuples took "
        f"{enumerate_seconds * 1e3:.1f} ms to build"
    )

    def examkit_side() -> list[bool]:
        decide: Callable[..., bool] = may
        by_user = actors
        return [decide(by_user[user], action, scope) for user, action, scope in checks]

    def baseline_side() -> list[bool]:
        table = allowed
        return [(user, action, scope) in table for user, action, scope in checks]

    result = compare(examkit_side, baseline_side, repeats=repeats, warmup=1, ops=count, label="may")
    assert result.examkit_result == result.baseline_result, "examkit and the baseline disagree"
    share = sum(result.examkit_result) / count
    assert 0.05 < share < 0.95, f"a degenerate mix: {share:.2%} allowed"

    casbin_seconds, casbin_checks = casbin_figure(
        people, checks, actors, by_mode(mode, smoke=300, quick=2_000, full=5_000)
    )
    if casbin_seconds is not None:
        print(
            f"permissions: pycasbin {casbin_seconds * 1e6:.2f} µs/check over {casbin_checks} "
            f"location-level checks (examkit {result.examkit.per_op(count) * 1e6:.2f} µs/check)"
        )
    figures: dict[str, Figure] = {
        "mode": mode,
        "users": users,
        "locations": institutions * 2,
        "classes": institutions * 2 * len(CLASS_KEYS),
        "checks": count,
        "allowed_share": round(share, 3),
        "load_ms": round(load * 1e3, 1),
        "examkit_ns_per_check": round(result.examkit.per_op(count) * 1e9, 1),
        "baseline_ns_per_check": round(result.baseline.per_op(count) * 1e9, 1),
        "casbin_us_per_check": None if casbin_seconds is None else round(casbin_seconds * 1e6, 2),
    }
    report("permissions", figures, result.ratio, TARGET)


if __name__ == "__main__":
    main()
