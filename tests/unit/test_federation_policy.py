# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The link policy (AUTH-13): its rules' order and its guards, as pure functions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from examkit.accounts import AccountStatus
from examkit.federation import (
    AFFILIATION,
    HOME_ORGANIZATION_ID,
    FederatedIdentity,
    LinkPolicy,
    LinkRule,
    guard_refusal,
    home_organisation_matches,
)
from examkit.federation._policy import find_account
from examkit.identifiers import Brin, LocationCode
from examkit.permissions import Authorization, Grant
from examkit.testing.conformance import make_account

pytestmark = pytest.mark.req("AUTH-13")

AT = datetime(2026, 9, 1, 8, tzinfo=UTC)
ENTREE_AFFILIATIONS = ("student", "employee", "staff", "affiliate")


def identity(
    home: str | None = "22AB", affiliations: tuple[str, ...] = ("employee",)
) -> FederatedIdentity:
    attributes: dict[str, list[str]] = {AFFILIATION: list(affiliations)}
    if home is not None:
        attributes[HOME_ORGANIZATION_ID] = [home]
    return FederatedIdentity(
        issuer="https://entree.example.nl",
        subject="4f1c9e",
        attributes=attributes,
        authenticated_at=AT,
        replay_key="saml:_1",
        valid_until=AT,
    )


def authorization(*roles: tuple[str, str]) -> Authorization:
    return Authorization(
        account="acc-1",
        grants=[Grant.of(role, [LocationCode(at)], granted_at=AT) for role, at in roles],
    )


# -- the order of the rules ----------------------------------------------------------------

rule_orders = st.permutations(list(LinkRule)).flatmap(
    lambda order: st.integers(1, len(order)).map(lambda n: tuple(order[:n]))
)


@given(
    order=rule_orders,
    found=st.fixed_dictionaries(
        {rule: st.one_of(st.none(), st.sampled_from(["acc-1", "acc-2"])) for rule in LinkRule}
    ),
)
def test_the_first_rule_in_the_configured_order_that_finds_an_account_decides(
    order: tuple[LinkRule, ...], found: dict[LinkRule, str | None]
) -> None:
    """Rules are asked in order until one finds; a rule not configured is never asked."""
    asked: list[LinkRule] = []

    def lookup(rule: LinkRule) -> str | None:
        asked.append(rule)
        return found[rule]

    lookups: dict[LinkRule, Callable[[], str | None]] = {
        rule: partial(lookup, rule) for rule in LinkRule
    }
    result = find_account(LinkPolicy(rules=order), lookups)
    finders = [rule for rule in order if found[rule] is not None]
    if not finders:
        assert result is None
        assert list(order) == asked
    else:
        assert result is not None
        assert (finders[0], found[finders[0]]) == (result.rule, result.account_id)
        assert list(order[: order.index(finders[0]) + 1]) == asked


def test_the_email_match_is_off_by_default() -> None:
    """The default: the explicit link, then the ECK iD; never the e-mail address."""
    policy = LinkPolicy()
    assert (LinkRule.LINK, LinkRule.ECK_ID) == policy.rules
    assert not policy.email_match
    assert None is find_account(policy, {LinkRule.EMAIL: lambda: "acc-1"})


def test_a_rule_listed_twice_is_a_configuration_mistake() -> None:
    with pytest.raises(ValueError, match="twice"):
        LinkPolicy(rules=(LinkRule.LINK, LinkRule.LINK))


# -- the home organisation ---------------------------------------------------------------

brins = st.from_regex(r"[0-9]{2}[A-Z]{2}", fullmatch=True)


@given(own=brins, home=brins, sequence=st.from_regex(r"[0-9]{2}", fullmatch=True))
def test_the_home_brin_must_be_one_of_the_accounts_institutions(
    own: str, home: str, sequence: str
) -> None:
    """A BRIN of 4: the institution; of 6: a location of it; case and spaces do not matter."""
    account = make_account(institutions=frozenset({Brin(own)}))
    assert (home == own) == home_organisation_matches(home.lower(), account, None)
    assert (home == own) == home_organisation_matches(f"{home} {sequence}", account, None)


def test_a_location_counts_where_the_account_holds_a_role_or_was_added() -> None:
    """An account of no whole institution: only its own locations match."""
    account = make_account(institutions=frozenset())
    held = authorization(("cito_lvs.quality_officer", "22AB01"))
    added = Authorization(account="acc-1", belongs_to=frozenset({LocationCode("22AB02")}))
    assert home_organisation_matches("22AB01", account, held)
    assert not home_organisation_matches("22AB02", account, held)
    assert home_organisation_matches("22AB02", account, added)
    assert not home_organisation_matches("22AB", account, held)
    for unusable in (None, "", "22AB0", "22AB001"):
        assert not home_organisation_matches(unusable, account, held)


# -- the affiliation ---------------------------------------------------------------------


@given(
    released=st.sets(st.sampled_from(ENTREE_AFFILIATIONS)),
    role=st.sampled_from(
        ["cito_lvs.quality_officer", "cito_lvs.administrator", "facet.proctor", "facet.planner"]
    ),
)
def test_only_an_employee_or_staff_affiliation_allows_a_staff_role(
    released: set[str], role: str
) -> None:
    """By default: a student or affiliate alone never takes a staff role."""
    code = guard_refusal(
        LinkPolicy(),
        identity(affiliations=tuple(sorted(released))),
        make_account(),
        authorization((role, "22AB00")),
    )
    if released & {"employee", "staff"}:
        assert code is None
    else:
        assert "federation.affiliation.not_allowed" == code


def test_every_role_of_the_account_must_be_allowed() -> None:
    """A role configured for affiliates does not lift the others'."""
    policy = LinkPolicy(role_affiliations={"cito_lvs.quality_officer": ["Affiliate"]})
    one = authorization(("cito_lvs.quality_officer", "22AB00"))
    two = authorization(("cito_lvs.quality_officer", "22AB00"), ("facet.proctor", "22AB00"))
    affiliate = identity(affiliations=("affiliate",))
    assert None is guard_refusal(policy, affiliate, make_account(), one)
    assert "federation.affiliation.not_allowed" == guard_refusal(
        policy, affiliate, make_account(), two
    )
    assert "federation.affiliation.not_allowed" == guard_refusal(
        policy, identity(), make_account(), one
    )


def test_an_account_without_roles_needs_a_staff_affiliation() -> None:
    assert None is guard_refusal(LinkPolicy(), identity(), make_account(), None)
    student = identity(affiliations=("student",))
    assert "federation.affiliation.not_allowed" == guard_refusal(
        LinkPolicy(), student, make_account(), None
    )


def test_the_guards_refuse_in_their_order() -> None:
    """Inactive first, then the home organisation, then the affiliation."""
    inactive = attrs.evolve(make_account(), status=AccountStatus.DEACTIVATED)
    wrong = identity(home="33CD", affiliations=("student",))
    assert "federation.account.inactive" == guard_refusal(LinkPolicy(), wrong, inactive, None)
    assert "federation.home_organisation.mismatch" == guard_refusal(
        LinkPolicy(), wrong, make_account(), None
    )
    assert "federation.home_organisation.mismatch" == guard_refusal(
        LinkPolicy(), identity(home=None), make_account(), None
    )
