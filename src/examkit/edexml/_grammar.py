"""The EDEXML standard, versions 1.03, 2.0 and 2.1, as tables.

These are the rules of the official schemas (``EDEXML.structuur.xsd`` and
the files it includes, published by Edustandaard), written down as data:
every simple type with its facets, every complex type's content model and
attributes, and every key and reference. They differ from the official
schemas in one deliberate way: a school year is any ``YYYY-YYYY+1``
(:data:`SCHOOL_YEAR`), not the list of years each schema version shipped
with, which ended in 2019-2020 (1.03) or 2024-2025 (2.0, 2.1).

The tables are checked when this module is imported (every type named
exists, every content model is deterministic) and drive both examkit's own
XML schema (:mod:`examkit.edexml._xsd`) and the streaming validator.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Final

from examkit.edexml._schema import (
    AttributeDecl,
    ComplexType,
    ElementDecl,
    Grammar,
    Group,
    KeyConstraint,
    KeyRef,
    Particle,
    Segment,
    SimpleType,
)
from examkit.edexml._version import Version

__all__ = [
    "BUILTIN_TYPES",
    "COUNTRY_CODES",
    "GRAMMARS",
    "ROLE_CODES",
    "SCHOOL_YEAR",
    "YEAR_GROUPS",
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


def _simple_types(version: Version) -> dict[str, SimpleType]:
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
            "edexml.value.nine_digits",
        ),
        SimpleType(
            "EDEXOnderwijsnummerType", "xs:string", "string", None, None, (_nd(9),),
            "edexml.value.nine_digits",
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
                "edexml.value.nine_digits",
            ),
            SimpleType(
                "EDEXBsnOndwnr-4Type", "xs:string", "string", None, None, (_nd(4),),
                "edexml.value.four_digits",
            ),
            SimpleType(
                "EDEXRijksregisternummerType", "xs:string", "string", None, None, (_nd(11),),
                "edexml.value.eleven_digits",
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


# -- Content models --------------------------------------------------------------------------


def _e(name: str, type_: str, *, optional: bool = False, many: bool = False) -> ElementDecl:
    return ElementDecl(name, type_, 0 if optional else 1, None if many else 1)


def _seq(*items: Particle, optional: bool = False, many: bool = False) -> Group:
    return Group("sequence", items, 0 if optional else 1, None if many else 1)


def _choice(*items: Particle) -> Group:
    return Group("choice", items)


_KEY = (AttributeDecl("key", "EDEXKeyType", required=True),)
_TOEVOEGINGEN = ComplexType(
    "toevoegingen", _seq(_e("blok", "ToevoegingsBlokType", many=True)), anonymous=True
)


def _names(version: Version) -> Group:
    """The name parts of a pupil or teacher: a surname with its parts, or a given name only."""
    parts: list[Particle] = [
        _e("achternaam", "EDEXAchternaamType"),
        _e("voorvoegsel", "EDEXVoorvoegselType", optional=True),
    ]
    if version >= Version.V2_0:
        parts.append(_e("voornamen", "EDEXVoornamenType", optional=True))
    parts += [
        _e("voorletters-1", "EDEXVoorletters-1Type", optional=True),
        _e("roepnaam", "EDEXString64Type", optional=True),
    ]
    return _choice(_seq(*parts), _e("roepnaam", "EDEXString64Type"))


def _complex_types(version: Version) -> dict[str, ComplexType]:
    """Return the standard's complex types in *version*, by name (anonymous ones included)."""
    v2 = version >= Version.V2_0
    eckid = (AttributeDecl("eckid", "EDEXKeyType"),) if version >= Version.V2_1 else ()
    toevoegingen = _e("toevoegingen", "toevoegingen", optional=True)
    group_ref = "GroepReferentieType" if v2 else "GroepsReferentieType"
    found = [_TOEVOEGINGEN]

    # EDEX: the document.
    edex: list[Particle] = [_e("school", "SchoolType")]
    if v2:
        edex.append(_e("vestigingen", "EDEX/vestigingen", optional=True))
        found.append(
            ComplexType(
                "EDEX/vestigingen",
                _seq(_e("vestiging", "VestigingType", many=True)),
                anonymous=True,
            )
        )
        groups: Particle = _seq(
            _choice(_e("groep", "GroepType"), _e("samengestelde_groep", "SamengesteldeGroepType")),
            many=True,
        )
    else:
        groups = _seq(_e("groep", "GroepType", many=True))
    edex += [
        _e("groepen", "EDEX/groepen", optional=True),
        _e("leerlingen", "EDEX/leerlingen"),
        _e("leerkrachten", "EDEX/leerkrachten", optional=True),
    ]
    found += [
        ComplexType("EDEXType", _seq(*edex)),
        ComplexType("EDEX/groepen", groups, anonymous=True),
        ComplexType(
            "EDEX/leerlingen", _seq(_e("leerling", "LeerlingType", many=True)), anonymous=True
        ),
        ComplexType(
            "EDEX/leerkrachten",
            _seq(_e("leerkracht", "LeerkrachtType", many=True)),
            anonymous=True,
        ),
    ]

    # The school.
    identification: list[Particle] = [
        _seq(
            _e("brincode", "EDEXBrincodeType"),
            _e("dependancecode", "EDEXDependancecodeType", optional=True),
            _e("schoolkey", "EDEXKeyType", optional=True),
        )
    ]
    if v2:
        identification.append(
            _seq(
                _e("instellingsnummer", "EDEXInstellingsnummerType"),
                _e("schoolkey", "EDEXKeyType", optional=True),
            )
        )
    identification.append(_e("schoolkey", "EDEXKeyType", optional=True))
    school: list[Particle] = [_e("schooljaar", "EDEXSchooljaarType")]
    if v2:
        school.append(_e("peildatum", "xs:date", optional=True))
    school += [
        _choice(*identification),
        _e("aanmaakdatum", "xs:dateTime", optional=True),
        _e("auteur", "EDEXString128Type", optional=True),
        _e("xsdversie", "EDEXString32Type", optional=True),
        _e("commentaar", "xs:string", optional=True),
    ]
    if v2:
        school.append(toevoegingen)
    found.append(ComplexType("SchoolType", _seq(*school)))

    # Groups and sites.
    if v2:
        found += [
            ComplexType(
                "VestigingType",
                _seq(
                    _e("naam", "EDEXString64Type"),
                    _e("omschrijving", "EDEXString256Type", optional=True),
                    _e("mutatiedatum", "xs:dateTime", optional=True),
                ),
                _KEY,
            ),
            ComplexType("VestigingReferentieType", None, _KEY),
            ComplexType(
                "GroepType",
                _seq(
                    _e("naam", "EDEXString64Type"),
                    _e("jaargroep", "EDEXJaargroepType"),
                    _e("omschrijving", "EDEXString256Type", optional=True),
                    toevoegingen,
                    _e("mutatiedatum", "xs:dateTime", optional=True),
                ),
                _KEY,
            ),
            ComplexType(
                "SamengesteldeGroepType",
                _seq(
                    _e("naam", "EDEXString64Type"),
                    _e("omschrijving", "EDEXString256Type", optional=True),
                    toevoegingen,
                    _e("mutatiedatum", "xs:dateTime", optional=True),
                ),
                _KEY,
            ),
            ComplexType("GroepReferentieType", None, _KEY),
            ComplexType(
                "SamengesteldeGroepenReferentieType",
                _seq(_e("samengestelde_groep", "GroepReferentieType", many=True)),
            ),
        ]
    else:
        found += [
            ComplexType(
                "GroepType",
                _seq(
                    _e("naam", "EDEXString64Type"),
                    _e("jaargroep", "EDEXJaargroepType"),
                    _e("mutatiedatum", "xs:dateTime", optional=True),
                ),
                _KEY,
            ),
            ComplexType("GroepsReferentieType", None, _KEY),
            ComplexType("GroepenReferentieType", _seq(_e("groep", group_ref, many=True))),
        ]

    # Pupils.
    if v2:
        pupil = _seq(
            _names(version),
            _e("geboortedatum", "xs:date", optional=True),
            _e("geslacht", "EDEXGeslachtType", optional=True),
            _e("start_ondw_jgr3", "xs:date", optional=True),
            _e("jaargroep", "EDEXJaargroepType", optional=True),
            _e("groep", group_ref, optional=True),
            _e("samengestelde_groepen", "SamengesteldeGroepenReferentieType", optional=True),
            _e("vestiging", "VestigingReferentieType", optional=True),
            _e("gebruikersnaam", "EDEXGebruikersnaamType", optional=True),
            _e("emailadres", "EDEXString256Type", optional=True),
            _e("fotourl", "EDEXString256Type", optional=True),
            _e("etniciteit", "EDEXEtniciteitType", optional=True),
            _e("land", "EDEXLandType", optional=True),
            _e("land_vader", "EDEXLandType", optional=True),
            _e("land_moeder", "EDEXLandType", optional=True),
            _choice(
                _e("sofinummer", "EDEXSofinummerType", optional=True),
                _e("bsn", "EDEXBsnType", optional=True),
                _e("onderwijsnummer", "EDEXOnderwijsnummerType", optional=True),
                _e("bsn_ondwnr-4", "EDEXBsnOndwnr-4Type", optional=True),
                _e("rijksregisternummer", "EDEXRijksregisternummerType", optional=True),
            ),
            _e("gewicht_nieuw", "EDEXLrlGewichtNieuwType", optional=True),
            _e("gewicht", "EDEXLrlGewichtType", optional=True),
            _choice(
                _e("postcodenl", "EDEXPostcodeNlType", optional=True),
                _e("postnummerbe", "EDEXPostnummerBeType", optional=True),
                _e("postcodeoverig", "EDEXString32Type", optional=True),
            ),
            _e("instroomdatum", "xs:date", optional=True),
            _e("uitstroomdatum", "xs:date", optional=True),
            toevoegingen,
            _e("mutatiedatum", "xs:dateTime", optional=True),
        )
    else:
        pupil = _seq(
            _names(version),
            _e("geboortedatum", "xs:date", optional=True),
            _e("geslacht", "EDEXGeslachtType", optional=True),
            _choice(
                _e("groep", group_ref, optional=True),
                _e("jaargroep", "EDEXJaargroepType", optional=True),
            ),
            _e("etniciteit", "EDEXEtniciteitType", optional=True),
            _e("land", "EDEXLandType", optional=True),
            _e("land_vader", "EDEXLandType", optional=True),
            _e("land_moeder", "EDEXLandType", optional=True),
            _choice(
                _e("sofinummer", "EDEXSofinummerType", optional=True),
                _e("onderwijsnummer", "EDEXOnderwijsnummerType", optional=True),
            ),
            _e("gewicht_nieuw", "EDEXLrlGewichtNieuwType", optional=True),
            _e("gewicht", "EDEXLrlGewichtType", optional=True),
            _choice(
                _e("postcodenl", "EDEXPostcodeNlType", optional=True),
                _e("postcodeoverig", "EDEXString32Type", optional=True),
            ),
            _e("instroomdatum", "xs:date", optional=True),
            _e("uitstroomdatum", "xs:date", optional=True),
            toevoegingen,
            _e("mutatiedatum", "xs:dateTime", optional=True),
        )
    found.append(ComplexType("LeerlingType", pupil, _KEY + eckid))

    # Teachers.
    if v2:
        roles = _seq(
            _choice(
                _e("rol", "EDEXLeerkrachtRolType"),
                _e("rolomschrijving", "EDEXRolOmschtijvingType"),
            ),
            optional=True,
            many=True,
        )
        teacher = _seq(
            _names(version),
            _e("gebruikersnaam", "EDEXGebruikersnaamType", optional=True),
            _e("emailadres", "EDEXString256Type", optional=True),
            roles,
            _e("groepen", "LeerkrachtGroepenReferentieType", optional=True),
            toevoegingen,
            _e("mutatiedatum", "xs:dateTime", optional=True),
        )
        found += [
            ComplexType("LeerkrachtGroepReferentieType", roles, base="GroepReferentieType"),
            ComplexType(
                "LeerkrachtGroepenReferentieType",
                _seq(
                    _choice(
                        _e("groep", "LeerkrachtGroepenReferentieType/groep"),
                        _e(
                            "samengestelde_groep",
                            "LeerkrachtGroepenReferentieType/samengestelde_groep",
                        ),
                    ),
                    many=True,
                ),
            ),
            ComplexType(
                "LeerkrachtGroepenReferentieType/groep",
                None,
                base="LeerkrachtGroepReferentieType",
                anonymous=True,
            ),
            ComplexType(
                "LeerkrachtGroepenReferentieType/samengestelde_groep",
                None,
                base="LeerkrachtGroepReferentieType",
                anonymous=True,
            ),
        ]
    else:
        teacher = _seq(
            _names(version),
            _e("groepen", "GroepenReferentieType", optional=True),
            _e("mutatiedatum", "xs:dateTime", optional=True),
        )
    found.append(ComplexType("LeerkrachtType", teacher, _KEY + eckid))

    # Vendor additions (toevoegingen): an abstract block, and the one kind the standard defines.
    found += [
        ComplexType(
            "ToevoegingsBlokType",
            _seq(_e("code", "EDEXString64Type"), _e("omschrijving", "xs:string", optional=True)),
            abstract=True,
        ),
        ComplexType(
            "OpmerkingGegevensType",
            _seq(_e("opmerking", "xs:string")),
            base="ToevoegingsBlokType",
        ),
    ]
    return {complex_.name: complex_ for complex_ in found}


# -- Keys and references ---------------------------------------------------------------------


def _keys(version: Version) -> tuple[tuple[KeyConstraint, ...], tuple[KeyRef, ...]]:
    """Return the identity constraints of *version*: keys and unique fields, then references."""
    keys = [
        KeyConstraint("groepsKey", "key", (("groepen", "groep"),), "key"),
        KeyConstraint("leerlingKey", "key", (("leerlingen", "leerling"),), "key"),
        KeyConstraint("leerkrachtKey", "key", (("leerkrachten", "leerkracht"),), "key"),
    ]
    refs = [
        KeyRef("groepsRefLeerling", "groepsKey", ("leerlingen", "leerling", "groep"), "key"),
        KeyRef(
            "groepsRefLeerkracht",
            "groepsKey",
            ("leerkrachten", "leerkracht", "groepen", "groep"),
            "key",
        ),
    ]
    if version >= Version.V2_0:
        keys += [
            KeyConstraint(
                "groepKeyUnique",
                "unique",
                (("groepen", "groep"), ("groepen", "samengestelde_groep")),
                "key",
            ),
            KeyConstraint(
                "samengesteldegroepsKey", "key", (("groepen", "samengestelde_groep"),), "key"
            ),
            KeyConstraint("vestigingsKey", "key", (("vestigingen", "vestiging"),), "key"),
        ]
        refs += [
            KeyRef(
                "samengesteldegroepsRefLeerling",
                "samengesteldegroepsKey",
                ("leerlingen", "leerling", "samengestelde_groepen", "samengestelde_groep"),
                "key",
            ),
            KeyRef(
                "samengesteldegroepsRefLeerkracht",
                "samengesteldegroepsKey",
                ("leerkrachten", "leerkracht", "groepen", "samengestelde_groep"),
                "key",
            ),
            KeyRef(
                "vestigingsRefLeerling",
                "vestigingsKey",
                ("leerlingen", "leerling", "vestiging"),
                "key",
            ),
        ]
    if version >= Version.V2_1:
        keys += [
            KeyConstraint("leerlingEckidUnique", "unique", (("leerlingen", "leerling"),), "eckid"),
            KeyConstraint(
                "leerkrachtEckidUnique", "unique", (("leerkrachten", "leerkracht"),), "eckid"
            ),
        ]
    return tuple(keys), tuple(refs)


# -- The grammars, checked -------------------------------------------------------------------


def _particles(particle: Particle | None) -> Iterable[ElementDecl]:
    if particle is None:
        return
    if isinstance(particle, ElementDecl):
        yield particle
        return
    for item in particle.items:
        yield from _particles(item)


def _check(grammar: Grammar) -> Grammar:
    """Return *grammar* after checking that every type it names exists."""
    for complex_ in grammar.complex_types.values():
        if complex_.base is not None and complex_.base not in grammar.complex_types:
            raise AssertionError(f"{grammar.version}: {complex_.name} extends an unknown type")
        for declaration in _particles(complex_.content):
            if (
                declaration.type not in grammar.simple_types
                and declaration.type not in grammar.complex_types
            ):
                raise AssertionError(
                    f"{grammar.version}: {complex_.name}/{declaration.name} has unknown type "
                    f"{declaration.type}"
                )
        for attribute in complex_.attributes:
            if attribute.type not in grammar.simple_types:
                raise AssertionError(f"{grammar.version}: {complex_.name}@{attribute.name}")
    names = {key.name for key in grammar.keys}
    for ref in grammar.keyrefs:
        if ref.refer not in names:
            raise AssertionError(f"{grammar.version}: {ref.name} refers to unknown {ref.refer}")
    return grammar


def _grammar(version: Version) -> Grammar:
    keys, refs = _keys(version)
    return _check(
        Grammar(
            version=version,
            root=ElementDecl("EDEX", "EDEXType"),
            simple_types=MappingProxyType(_simple_types(version)),
            complex_types=MappingProxyType(_complex_types(version)),
            keys=keys,
            keyrefs=refs,
        )
    )


GRAMMARS: Final[Mapping[Version, Grammar]] = MappingProxyType(
    {version: _grammar(version) for version in Version}
)
"""The grammar of every EDEXML version, checked at import."""
