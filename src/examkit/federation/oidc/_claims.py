"""Which claims become which attributes of a :class:`~examkit.federation.FederatedIdentity`.

Entree's documentation names the attributes it releases (LDAP names such as
``nlEduPersonHomeOrganizationId``) and says that its OpenID provider hands
them out as claims, in the id_token when the relying party asks for them
with the ``claims`` request parameter or at the userinfo endpoint; it does
not publish a separate list of claim names. :data:`ENTREE_CLAIMS` therefore
maps each attribute to the claim of the same name, and
:attr:`OidcSettings.claims <examkit.federation.oidc.OidcSettings.claims>`
takes another table where a provider names them differently.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from examkit.errors import InvalidInput
from examkit.federation import ENTREE_ATTRIBUTES

ENTREE_CLAIMS: Final[Mapping[str, str]] = MappingProxyType(
    {attribute: attribute for attribute in ENTREE_ATTRIBUTES}
)
"""The default table from claim name to attribute name: Entree's attribute names, unchanged."""


def claim_values(name: str, value: object) -> tuple[str, ...]:
    """Return the values of claim *name*: a text is one value, a list of texts each one.

    >>> claim_values("eduPersonAffiliation", ["employee", "staff"])
    ('employee', 'staff')
    >>> claim_values("givenName", "Piet")
    ('Piet',)

    Raises:
        InvalidInput: ``oidc.claim.type``: the claim is neither (a number, an object).
    """
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise InvalidInput("oidc.claim.type", field=name, claim=name)


def attributes_from(
    claims: Mapping[str, object], table: Mapping[str, str]
) -> dict[str, tuple[str, ...]]:
    """Return the attributes that *table* (claim name to attribute name) finds in *claims*.

    A claim that is absent, ``null`` or empty is left out, as a SAML
    attribute that was not released would be; a claim of another type is refused.

    >>> attributes_from({"uid": "qj7c@petteflat", "mail": None}, ENTREE_CLAIMS)
    {'uid': ('qj7c@petteflat',)}
    """
    attributes: dict[str, tuple[str, ...]] = {}
    for claim, attribute in table.items():
        value = claims.get(claim)
        if value is None:
            continue
        values = claim_values(claim, value)
        if values:
            attributes[attribute] = values
    return attributes
