"""Institutions and locations: Dutch schools by BRIN, Flemish schools by instellingsnummer.

>>> from examkit.identifiers import Brin, Postcode
>>> school = Institution(
...     code=Brin("22AB"), name="Het Eiland",
...     address=Address("Dorpsstraat", "1", Postcode("8835BA"), "Tzummarum"))
>>> str(school.main_location.code)
'22AB00'

Implements ORG-1, ORG-2, ORG-3 and ORG-5.
"""

from examkit.org._model import Address, CompetentAuthority, Institution, InstitutionCode, Location
from examkit.org._records import (
    INSTITUTIONS,
    InstitutionRecords,
)
from examkit.org._repository import InstitutionRepository
from examkit.org._service import InstitutionService

__all__ = [
    "INSTITUTIONS",
    "Address",
    "CompetentAuthority",
    "Institution",
    "InstitutionCode",
    "InstitutionRecords",
    "InstitutionRepository",
    "InstitutionService",
    "Location",
]
