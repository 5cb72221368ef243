"""The EDEXML standard, versions 1.03, 2.0 and 2.1, as tables.

These are the rules of the official schemas (``EDEXML.structuur.xsd`` and
the files it includes, published by Edustandaard), written down as data:
every simple type with its facets, every complex type's content model and
attributes, and every key and reference. They differ from the official
schemas in one deliberate way: a school year is any ``YYYY-YYYY+1``
(:data:`SCHOOL_YEAR`), not the list of years each schema version shipped
with, which ended in 2019-2020 (1.03) or 2024-2025 (2.0, 2.1).

The simple types and code lists are in :mod:`examkit.edexml._simple_types`
(re-exported here); this module holds the content models, attributes, keys
and references, and puts each version's grammar together. The tables are
checked when this module is imported (every type named exists, every
content model is deterministic) and drive both examkit's own XML schema
(:mod:`examkit.edexml._xsd`) and the streaming validator.
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
)
from examkit.edexml._simple_types import (
    BUILTIN_TYPES,
    COUNTRY_CODES,
    ROLE_CODES,
    SCHOOL_YEAR,
    YEAR_GROUPS,
    simple_types,
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
            simple_types=MappingProxyType(simple_types(version)),
            complex_types=MappingProxyType(_complex_types(version)),
            keys=keys,
            keyrefs=refs,
        )
    )


GRAMMARS: Final[Mapping[Version, Grammar]] = MappingProxyType(
    {version: _grammar(version) for version in Version}
)
"""The grammar of every EDEXML version, checked at import."""
