"""Identifiers of institutions, locations, addresses and school years.

Every identifier is a frozen value that parses, validates and normalises its
text when constructed (case, inner and surrounding spaces), compares and
hashes by its normalised form, and prints it with ``str()``. Malformed text
raises :class:`~examkit.errors.InvalidInput` naming the field and what is
wrong.

>>> LocationCode.parse("22ab 01").brin == Brin("22AB")
True

Implements ORG-1, ORG-2 and ORG-4 (and the postcode of ORG-3).
"""

from examkit.identifiers._base import Identifier, squeeze
from examkit.identifiers._dutch import Brin, LocationCode, OnderwijslocatieCode, Postcode
from examkit.identifiers._flemish import BelgianPostcode, Instellingsnummer
from examkit.identifiers._identify import KINDS, identify
from examkit.identifiers._school_year import SchoolYear

__all__ = [
    "KINDS",
    "BelgianPostcode",
    "Brin",
    "Identifier",
    "Instellingsnummer",
    "LocationCode",
    "OnderwijslocatieCode",
    "Postcode",
    "SchoolYear",
    "identify",
    "squeeze",
]
