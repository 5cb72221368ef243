"""The EDEXML standard's simple types and code lists, versions 1.03, 2.0 and 2.1, as tables.

Part of the grammar (:mod:`examkit.edexml._grammar`, which re-exports the
public tables): the XML Schema built-in types the standard uses, the code
lists (year groups, teacher roles, countries) and every simple type with
its facets, per version.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from examkit.edexml._schema import Segment, SimpleType
from examkit.edexml._version import Version

__all__ = [
    "BUILTIN_TYPES",
    "COUNTRY_CODES",
    "ROLE_CODES",
    "SCHOOL_YEAR",
    "YEAR_GROUPS",
    "simple_types",
]

# -- Built-in types --------------------------------------------------------------------------

_STRING = SimpleType("xs:string", None, "string")
_INTEGER = SimpleType("xs:integer", "xs:decimal", "integer")
_DATE = SimpleType("xs:date", None, "date")
_DATETIME = SimpleType("xs:dateTime", None, "dateTime")

BUILTIN_TYPES: Final[tuple[SimpleType, ...]] = (_STRING, _INTEGER, _DATE, _DATETIME)
"""The XML Schema built-in types the standard uses (named ``xs:...``)."""

# -- Enumerations ----------------------------------------------------------------------------

YEAR_GROUPS: Final[Mapping[str, tuple[Version, str]]] = MappingProxyType(
    {
        "B": (Version.V2_0, "baby's, 0 tot 12 maanden"),
        "D": (Version.V2_0, "dreumesen, 1 tot 2 jaar"),
        "0": (Version.V1_03, "peutergroep, 3 tot 4 jaar / kleuterklas 1 (Vlaanderen)"),
        "1": (Version.V1_03, "groep 1 / kleuterklas 2 (Vlaanderen)"),
        "2": (Version.V1_03, "groep 2 / kleuterklas 3 (Vlaanderen)"),
        "3": (Version.V1_03, "groep 3 / basisonderwijs leerjaar 1 (Vlaanderen)"),
        "4": (Version.V1_03, "groep 4 / basisonderwijs leerjaar 2 (Vlaanderen)"),
        "5": (Version.V1_03, "groep 5 / basisonderwijs leerjaar 3 (Vlaanderen)"),
        "6": (Version.V1_03, "groep 6 / basisonderwijs leerjaar 4 (Vlaanderen)"),
        "7": (Version.V1_03, "groep 7 / basisonderwijs leerjaar 5 (Vlaanderen)"),
        "8": (Version.V1_03, "groep 8 / basisonderwijs leerjaar 6 (Vlaanderen)"),
        "11": (Version.V1_03, "voortgezet / secundair onderwijs leerjaar 1"),
        "12": (Version.V1_03, "voortgezet / secundair onderwijs leerjaar 2"),
        "13": (Version.V1_03, "voortgezet / secundair onderwijs leerjaar 3"),
        "14": (Version.V2_0, "voortgezet / secundair onderwijs leerjaar 4"),
        "15": (Version.V2_0, "voortgezet / secundair onderwijs leerjaar 5"),
        "16": (Version.V2_0, "voortgezet / secundair onderwijs leerjaar 6"),
        "S": (Version.V1_03, "speciaal (basis)onderwijs / buitengewoon onderwijs (Vlaanderen)"),
        "V": (Version.V2_0, "voortgezet speciaal onderwijs / buitengewoon secundair (Vlaanderen)"),
        "C": (Version.V2_0, "combinatiegroep (jaargroep per leerling vastgelegd)"),
        "N": (Version.V2_0, "niet PO / VO"),
        "H": (Version.V1_03, "historisch"),
    }
)
"""Every *jaargroep* code, in the standard's order: the version that added it and its meaning."""

ROLE_CODES: Final[Mapping[str, tuple[Version, str]]] = MappingProxyType(
    {
        "ADJ": (Version.V2_0, "adjunct-directeur"),
        "ADM": (Version.V2_0, "administratief medewerker"),
        "CON": (Version.V2_0, "conciërge"),
        "DIR": (Version.V2_0, "directeur / schoolleider"),
        "ICT": (Version.V2_0, "ICT-coördinator"),
        "IB": (Version.V2_0, "intern begeleider"),
        "KLA": (Version.V2_0, "klassenassistent (SBO)"),
        "LRK": (Version.V2_0, "leerkracht / groepsleraar"),
        "LOS": (Version.V2_0, "lerarenondersteuner"),
        "LOC": (Version.V2_0, "locatieleider"),
        "OWA": (Version.V2_0, "onderwijsassistent (BO)"),
        "OUD": (Version.V2_0, "ouder"),
        "RT": (Version.V2_0, "remedial teacher"),
        "SMW": (Version.V2_0, "schoolmaatschappelijk werker"),
        "STA": (Version.V2_0, "stagiair"),
        "TAL": (Version.V2_1, "toetsafnameleider"),
        "VAK": (Version.V2_0, "vakleerkracht"),
    }
)
"""Every teacher role code (*rol*), in the standard's order: the version adding it, its meaning."""

COUNTRY_CODES: Final[tuple[str, ...]] = (
    "?", "NL", "AF", "AX", "AL", "DZ", "VI", "AS", "AD", "AO", "AI", "AQ", "AG", "AR", "AM",
    "AW", "AU", "AZ", "BS", "BH", "BD", "BB", "BE", "BZ", "BJ", "BM", "BT", "MM", "BF", "BI",
    "BO", "BA", "BW", "BR", "VG", "BN", "BG", "KH", "CA", "CF", "CL", "CN", "CX", "CC", "CO",
    "CG", "CD", "CK", "CR", "CU", "CY", "DK", "DJ", "DM", "DO", "DE", "EC", "EG", "SV", "GB",
    "GQ", "ER", "EE", "ET", "FO", "FK", "FJ", "PH", "FI", "FR", "GF", "PF", "FX", "TF", "GA",
    "GM", "GZ", "GE", "GH", "GI", "GD", "GR", "GL", "GP", "GU", "GT", "GN", "GW", "GY", "HT",
    "HN", "HK", "HM", "HU", "IE", "IS", "IN", "ID", "IQ", "IR", "IL", "IT", "CI", "JM", "JP",
    "YE", "YO", "JH", "JO", "KY", "CV", "CM", "JE", "QA", "KZ", "KE", "KG", "KI", "KW", "KM",
    "HR", "LA", "LS", "LV", "LB", "LR", "LY", "LI", "LT", "LU", "MO", "MK", "MG", "MW", "MV",
    "MY", "ML", "MT", "IM", "MA", "MH", "MQ", "MR", "MU", "YT", "MX", "FM", "MD", "MC", "MN",
    "MS", "MZ", "NA", "NR", "AN", "NP", "NI", "NC", "NZ", "NE", "NG", "NU", "KP", "MP", "NO",
    "NF", "UA", "UZ", "OK", "OM", "AT", "TL", "PK", "PW", "PS", "PA", "PG", "PY", "PE", "PN",
    "PL", "PR", "PT", "RE", "RW", "RO", "RU", "SM", "ST", "SA", "SN", "CS", "RS", "ME", "SC",
    "SL", "SG", "SH", "SI", "SK", "SD", "SB", "SO", "ES", "SJ", "LK", "KN", "LC", "PM", "VC",
    "SR", "SZ", "SY", "TJ", "TW", "TZ", "TH", "TB", "TM", "TG", "TK", "TO", "TT", "TD", "CZ",
    "TN", "TR", "TC", "TV", "UG", "UY", "VU", "VA", "VE", "AE", "US", "VN", "WF", "EH", "WS",
    "BY", "ZM", "ZW", "ZA", "KR", "GS", "SE", "CH",
)  # fmt: skip
"""The country-of-origin codes (*land*), in the standard's order; HM, RS and ME came with 2.0.

examkit checks them but never keeps them (EDX-6).
"""
_COUNTRIES_FROM_2_0: Final = frozenset({"HM", "RS", "ME"})


def _since(table: Mapping[str, tuple[Version, str]], version: Version) -> tuple[str, ...]:
    return tuple(code for code, (added, _) in table.items() if added <= version)


# -- Simple types ----------------------------------------------------------------------------


def _nd(count: int, most: int | None = None) -> Segment:
    return Segment("Nd", count, count if most is None else most)


def _text(name: str, most: int) -> SimpleType:
    return SimpleType(name, "xs:string", "string", min_length=1, max_length=most)


SCHOOL_YEAR: Final = SimpleType(
    "EDEXSchooljaarType",
    "xs:string",
    "string",
    pattern=(Segment("digit", 4, 4), Segment("hyphen", 1, 1), Segment("digit", 4, 4)),
    pattern_code="edexml.value.school_year",
    consecutive_years=True,
)
"""Examkit's school year: ``YYYY-YYYY+1`` for any year (the deliberate difference)."""


def simple_types(version: Version) -> dict[str, SimpleType]:
    """Return every simple type of *version* by name, the built-in ones included."""
    """Return the standard's simple types in *version*, by name."""
    v2 = version >= Version.V2_0
    found = [
        SCHOOL_YEAR,
        SimpleType(
            "EDEXGeslachtType",
            "xs:integer",
            "integer",
            enumeration=("0", "1", "2", "9"),
            total_digits=1 if v2 else None,
        ),
        _text("EDEXKeyType", 256 if version >= Version.V2_1 else 64),
        SimpleType(
            "EDEXSofinummerType", "xs:string", "string", None, None, (_nd(9),),
            "edexml.value.nine_digits", personal=True,
        ),
        SimpleType(
            "EDEXOnderwijsnummerType", "xs:string", "string", None, None, (_nd(9),),
            "edexml.value.nine_digits", personal=True,
        ),
        SimpleType(
            "EDEXPostcodeNlType", "xs:string", "string", None, None,
            (_nd(4), Segment("Lu", 2, 2)), "edexml.value.postcodenl",
        ),
        SimpleType(
            "EDEXBrincodeType", "xs:string", "string", None, None,
            (_nd(2), Segment("Lu", 2, 2)), "edexml.value.brincode",
        ),
        SimpleType(
            "EDEXDependancecodeType", "xs:string", "string", None, None, (_nd(2),),
            "edexml.value.two_digits",
        ),
        _text("EDEXAchternaamType", 200 if v2 else 70),
        _text("EDEXVoorvoegselType", 10),
        _text("EDEXVoorletters-1Type", 6),
        _text("EDEXString32Type", 32),
        _text("EDEXString64Type", 64),
        _text("EDEXString128Type", 128),
        SimpleType(
            "EDEXEtniciteitType", "xs:string", "string", enumeration=("9", "0", "1")
        ),
        SimpleType(
            "EDEXLrlGewichtNieuwType", "xs:string", "string", enumeration=("?", "0", "0,3", "1,2")
        ),
        SimpleType(
            "EDEXLrlGewichtType",
            "xs:string",
            "string",
            enumeration=("?", "0.00", "0.25", "0.40", "0.70", "0.90"),
        ),
        SimpleType(
            "EDEXJaargroepType", "xs:string", "string", enumeration=_since(YEAR_GROUPS, version)
        ),
        SimpleType(
            "EDEXLandType",
            "xs:string",
            "string",
            enumeration=tuple(
                code for code in COUNTRY_CODES if v2 or code not in _COUNTRIES_FROM_2_0
            ),
        ),
    ]  # fmt: skip
    if v2:
        found += [
            SimpleType(
                "EDEXBsnType", "xs:string", "string", None, None, (_nd(9),),
                "edexml.value.nine_digits", personal=True,
            ),
            SimpleType(
                "EDEXBsnOndwnr-4Type", "xs:string", "string", None, None, (_nd(4),),
                "edexml.value.four_digits", personal=True,
            ),
            SimpleType(
                "EDEXRijksregisternummerType", "xs:string", "string", None, None, (_nd(11),),
                "edexml.value.eleven_digits", personal=True,
            ),
            SimpleType(
                "EDEXPostnummerBeType", "xs:string", "string", None, None, (_nd(4),),
                "edexml.value.four_digits",
            ),
            SimpleType(
                "EDEXInstellingsnummerType", "xs:string", "string", None, None, (_nd(2, 6),),
                "edexml.value.instellingsnummer",
            ),
            _text("EDEXVoornamenType", 200),
            _text("EDEXGebruikersnaamType", 64),
            _text("EDEXRolOmschtijvingType", 64),
            _text("EDEXString256Type", 256),
            SimpleType(
                "EDEXLeerkrachtRolType", "xs:string", "string",
                enumeration=_since(ROLE_CODES, version),
            ),
        ]  # fmt: skip
    found += BUILTIN_TYPES
    return {simple.name: simple for simple in found}
