"""Entree's SAML attribute names, as a table: each to the LDAP name examkit uses.

Entree releases its attributes under their ``urn:mace`` names (the SAML 1
style most Dutch federations keep, with the ``uri`` name format); an
identity provider that speaks the SAML 2 ``urn:oid`` style, or sends the
bare LDAP name, is understood as well. Attributes not in the table are
dropped: the federated sign-in never sees them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from examkit.federation import (
    AFFILIATION,
    ECK_ID,
    GIVEN_NAME,
    HOME_ORGANIZATION,
    HOME_ORGANIZATION_ID,
    MAIL,
    REAL_ID,
    SURNAME,
    UID,
)

_DIR: Final = "urn:mace:dir:attribute-def:"
_TERENA: Final = "urn:mace:terena.org:attribute-def:"

ENTREE_SAML_ATTRIBUTES: Final[tuple[tuple[str, tuple[str, ...]], ...]] = (
    (UID, (f"{_DIR}uid", "urn:oid:0.9.2342.19200300.100.1.1", UID)),
    (GIVEN_NAME, (f"{_DIR}givenName", "urn:oid:2.5.4.42", GIVEN_NAME)),
    (SURNAME, (f"{_DIR}sn", "urn:oid:2.5.4.4", SURNAME)),
    (AFFILIATION, (f"{_DIR}eduPersonAffiliation", "urn:oid:1.3.6.1.4.1.5923.1.1.1.1", AFFILIATION)),
    (HOME_ORGANIZATION_ID, (f"{_TERENA}nlEduPersonHomeOrganizationId", HOME_ORGANIZATION_ID)),
    (HOME_ORGANIZATION, (f"{_TERENA}nlEduPersonHomeOrganization", HOME_ORGANIZATION)),
    (ECK_ID, (f"{_TERENA}eckId", ECK_ID)),
    (REAL_ID, (f"{_TERENA}nlEduPersonRealId", REAL_ID)),
    (MAIL, (f"{_DIR}mail", "urn:oid:0.9.2342.19200300.100.1.3", MAIL)),
)
"""Every attribute examkit takes from Entree: its LDAP name and the SAML names it arrives by.

The first SAML name is the one Entree sends; the others are the same
attribute in the ``urn:oid`` style (where the attribute has a registered
object identifier) and by its bare LDAP name.
"""


def _by_saml_name() -> Mapping[str, str]:
    """Return the LDAP name of every SAML name in :data:`ENTREE_SAML_ATTRIBUTES`."""
    return {saml: ldap for ldap, names in ENTREE_SAML_ATTRIBUTES for saml in names}


LDAP_NAME_OF: Final[Mapping[str, str]] = _by_saml_name()
"""The LDAP name of each SAML attribute name examkit understands."""
