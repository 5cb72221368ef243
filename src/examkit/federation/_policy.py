"""The link policy: which account a verified identity is, and whether it may be (pure rules).

The rules are tried in the configured order; the first that finds an
account decides. The guards then check that account against the identity:
the home organisation must be one of its institutions or locations, the
affiliation must allow each of its roles. Nothing here reads storage: the
use case passes what it looked up.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Final

import attrs

from examkit.accounts import Account
from examkit.federation._identity import AFFILIATION, HOME_ORGANIZATION_ID, FederatedIdentity
from examkit.identifiers import LocationCode
from examkit.permissions import Authorization


class LinkRule(enum.Enum):
    """One way of finding the account of a federated identity."""

    LINK = "link"
    """An explicit link of the issuer and subject, made earlier (by invitation, link token
    or a confirmed e-mail match)."""
    ECK_ID = "eck_id"
    """The ECK iD released with consent, recorded by an earlier link of the same person
    (through another issuer, or another service's pseudonym)."""
    EMAIL = "email"
    """The released e-mail address matches exactly one active account: proposed to the
    user, linked only when confirmed. Off by default: the address is the school's claim."""


STAFF_AFFILIATIONS: Final = frozenset({"employee", "staff"})
"""The ``eduPersonAffiliation`` values that allow a staff role by default."""


def _rules(value: Iterable[LinkRule]) -> tuple[LinkRule, ...]:
    rules = tuple(value)
    if len(set(rules)) != len(rules):
        msg = "a link rule is listed twice"
        raise ValueError(msg)
    return rules


def _affiliations(value: Iterable[str]) -> frozenset[str]:
    return frozenset(item.strip().casefold() for item in value)


def _role_affiliations(value: Mapping[str, Iterable[str]]) -> Mapping[str, frozenset[str]]:
    return MappingProxyType({role: _affiliations(found) for role, found in value.items()})


@attrs.frozen
class LinkPolicy:
    """How a verified identity is mapped to an account, and what it must show.

    >>> LinkPolicy().rules
    (<LinkRule.LINK: 'link'>, <LinkRule.ECK_ID: 'eck_id'>)
    >>> LinkPolicy().allows_role("cito_lvs.subject_teacher", {"student"})
    False
    """

    rules: tuple[LinkRule, ...] = attrs.field(
        default=(LinkRule.LINK, LinkRule.ECK_ID), converter=_rules
    )
    """The rules tried, in order; :attr:`LinkRule.EMAIL` only when listed (off by default)."""
    staff_affiliations: frozenset[str] = attrs.field(
        default=STAFF_AFFILIATIONS, converter=_affiliations
    )
    """The affiliations that allow a role not named in :attr:`role_affiliations`
    (and an account with no role at all)."""
    role_affiliations: Mapping[str, frozenset[str]] = attrs.field(
        factory=dict, converter=_role_affiliations
    )
    """Per role code, the affiliations that allow it, where they differ from the staff's."""

    @property
    def email_match(self) -> bool:
        """Whether an e-mail match may be proposed."""
        return LinkRule.EMAIL in self.rules

    def allowed_affiliations(self, role: str) -> frozenset[str]:
        """Return the affiliations that allow *role*."""
        return self.role_affiliations.get(role, self.staff_affiliations)

    def allows_role(self, role: str, affiliations: Iterable[str]) -> bool:
        """Return whether any of *affiliations* allows *role*."""
        return not self.allowed_affiliations(role).isdisjoint(_affiliations(affiliations))


@attrs.frozen
class Found:
    """The account a rule found."""

    rule: LinkRule
    """The rule that found it."""
    account_id: str
    """The account."""


def find_account(
    policy: LinkPolicy,
    lookups: Mapping[LinkRule, Callable[[], str | None]],
) -> Found | None:
    """Return the account the first rule of *policy* finds, in the policy's order.

    *lookups* gives, per rule, what it finds (an account id or ``None``); a
    rule the policy does not list is never asked.

    >>> found = find_account(
    ...     LinkPolicy(), {LinkRule.LINK: lambda: None, LinkRule.ECK_ID: lambda: "acc-1"}
    ... )
    >>> found.rule, found.account_id
    (<LinkRule.ECK_ID: 'eck_id'>, 'acc-1')
    """
    for rule in policy.rules:
        lookup = lookups.get(rule)
        account_id = None if lookup is None else lookup()
        if account_id is not None:
            return Found(rule, account_id)
    return None


def home_organisation_matches(
    home: str | None, account: Account, authorization: Authorization | None
) -> bool:
    """Return whether the released BRIN *home* is one of the account's institutions or locations.

    A BRIN of 4 characters must be one of the account's institutions; one
    of 6 (a location) one of the locations the account holds a role at or
    was added at, or a location of one of its institutions.
    """
    if home is None:
        return False
    code = "".join(home.split()).upper()
    institutions = {str(item).upper() for item in account.institutions}
    if len(code) == 4:
        return code in institutions
    if len(code) != 6:
        return False
    locations: set[str] = set()
    if authorization is not None:
        for grant in authorization.active_grants:
            locations.update(str(location) for location in grant.locations)
        locations.update(
            str(place) for place in authorization.belongs_to if isinstance(place, LocationCode)
        )
    return code in locations or code[:4] in institutions


def guard_refusal(
    policy: LinkPolicy,
    identity: FederatedIdentity,
    account: Account,
    authorization: Authorization | None,
) -> str | None:
    """Return the code of the guard *account* fails for *identity*, or ``None`` when it passes.

    In order: the account is active (``federation.account.inactive``); the
    released home organisation is one of its institutions or locations
    (``federation.home_organisation.mismatch``); the released affiliations
    allow each role the account holds, or the staff's when it holds none
    (``federation.affiliation.not_allowed``).
    """
    if not account.is_active:
        return "federation.account.inactive"
    if not home_organisation_matches(identity.first(HOME_ORGANIZATION_ID), account, authorization):
        return "federation.home_organisation.mismatch"
    affiliations = identity.values(AFFILIATION)
    roles = (
        {grant.role for grant in authorization.active_grants}
        if authorization is not None
        else set()
    )
    if not roles:
        allowed = not policy.staff_affiliations.isdisjoint(_affiliations(affiliations))
    else:
        allowed = all(policy.allows_role(role, affiliations) for role in roles)
    return None if allowed else "federation.affiliation.not_allowed"
