# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Institutions, locations, addresses and competent authorities."""

from __future__ import annotations

import attrs
import pytest

from examkit.errors import ExamkitErrorGroup, InvalidInput, NotFound
from examkit.identifiers import (
    BelgianPostcode,
    Brin,
    Instellingsnummer,
    LocationCode,
    OnderwijslocatieCode,
    Postcode,
)
from examkit.org import Address, CompetentAuthority, Institution, Location

EILAND = Address("Dorpsstraat", "1", Postcode("8835BA"), "Tzummarum")
SEXBIERUM = Address("Schoolstraat", "12a", Postcode("8855 AB"), "Sexbierum")
GENT = Address("Kerkstraat", "5", BelgianPostcode("9000"), "Gent")


def location(code: str, name: str = "Nevenlocatie") -> Location:
    """Return a location with *code* at Sexbierum."""
    return Location(code=LocationCode(code), name=name, address=SEXBIERUM)


def dutch(*secondary: Location) -> Institution:
    """Return institution 22AB with *secondary* locations."""
    return Institution(
        code=Brin("22AB"),
        name="Het Eiland",
        address=EILAND,
        onderwijslocatiecode=OnderwijslocatieCode("123X456"),
        secondary_locations=secondary,
    )


def flemish() -> Institution:
    """Return a Flemish school."""
    return Institution(code=Instellingsnummer("012345"), name="Sint-Jozefscollege", address=GENT)


@pytest.mark.req("ORG-1", "ORG-3")
def test_main_location_is_the_brin_with_00_at_the_institutions_address() -> None:
    """A Dutch institution's main location is BRIN + 00, with its name, address and code."""
    main = dutch().main_location
    assert (
        Location(
            code=LocationCode("22AB00"),
            name="Het Eiland",
            address=EILAND,
            onderwijslocatiecode=OnderwijslocatieCode("123X456"),
        )
        == main
    )


@pytest.mark.req("ORG-3")
def test_locations_list_the_main_location_first() -> None:
    """locations is the main location, then the secondary ones in the order given."""
    school = dutch(location("22AB02"), location("22AB01"))
    assert ["22AB00", "22AB02", "22AB01"] == [str(loc.code) for loc in school.locations]


@pytest.mark.req("ORG-3")
def test_an_institution_without_secondary_locations_has_only_its_main_one() -> None:
    """Zero secondary locations is fine."""
    assert [LocationCode("22AB00")] == [loc.code for loc in dutch().locations]


@pytest.mark.req("ORG-3")
def test_location_finds_main_and_secondary_locations() -> None:
    """location(code) returns the main or a secondary location."""
    school = dutch(location("22AB01", "Sexbierum"))
    assert ("Het Eiland", "Sexbierum") == (
        school.location(LocationCode("22AB00")).name,
        school.location(LocationCode("22AB01")).name,
    )


@pytest.mark.req("ORG-3")
def test_location_of_an_unknown_code_is_not_found() -> None:
    """Asking for a location the institution does not have raises NotFound."""
    with pytest.raises(NotFound) as info:
        dutch().location(LocationCode("22AB05"))
    assert ("org.location.not_found", "location", "22AB05") == (
        info.value.code,
        info.value.field,
        info.value.params["location"],
    )


@pytest.mark.req("ORG-1", "ORG-3")
@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("33CD01", "org.location.other_institution"),
        ("22AB00", "org.location.main_as_secondary"),
    ],
)
def test_a_secondary_location_must_be_another_location_of_the_same_brin(
    code: str, expected: str
) -> None:
    """A secondary location has the institution's BRIN and is not its main location."""
    with pytest.raises(InvalidInput) as info:
        dutch(location(code))
    assert (expected, "secondary_locations[0]") == (info.value.code, info.value.field)


@pytest.mark.req("ORG-3")
def test_a_secondary_location_appears_once() -> None:
    """The same secondary location twice is refused, naming the second one."""
    with pytest.raises(InvalidInput) as info:
        dutch(location("22AB01"), location("22AB01", "Again"))
    assert ("org.location.duplicate", "secondary_locations[1]") == (
        info.value.code,
        info.value.field,
    )


@pytest.mark.req("ORG-1", "ORG-3")
def test_every_location_problem_is_reported_at_once() -> None:
    """Several bad secondary locations give one group holding every problem, in order."""
    with pytest.raises(ExamkitErrorGroup) as info:
        dutch(location("33CD01"), location("22AB00"), location("22AB02"), location("22AB02"))
    assert [
        ("org.location.other_institution", "secondary_locations[0]"),
        ("org.location.main_as_secondary", "secondary_locations[1]"),
        ("org.location.duplicate", "secondary_locations[3]"),
    ] == [(problem.code, problem.field) for problem in info.value.problems]


@pytest.mark.req("ORG-3")
def test_with_location_adds_or_replaces_a_secondary_location() -> None:
    """with_location() adds a new secondary location or replaces the one with its code."""
    school = dutch(location("22AB01", "Old"))
    added = school.with_location(location("22AB02", "New"))
    replaced = added.with_location(location("22AB01", "Renamed"))
    assert [("22AB01", "Old"), ("22AB02", "New")] == [
        (str(loc.code), loc.name) for loc in added.secondary_locations
    ]
    assert {("22AB01", "Renamed"), ("22AB02", "New")} == {
        (str(loc.code), loc.name) for loc in replaced.secondary_locations
    }
    assert [location("22AB01", "Old")] == list(school.secondary_locations)


@pytest.mark.req("ORG-3")
def test_with_location_keeps_the_invariants() -> None:
    """Adding a location of another BRIN is refused as at construction."""
    with pytest.raises(InvalidInput) as info:
        dutch().with_location(location("33CD01"))
    assert "org.location.other_institution" == info.value.code


@pytest.mark.req("ORG-3")
def test_without_location_removes_a_secondary_location() -> None:
    """without_location() drops the secondary location with that code."""
    school = dutch(location("22AB01"), location("22AB02"))
    assert [LocationCode("22AB02")] == [
        loc.code for loc in school.without_location(LocationCode("22AB01")).secondary_locations
    ]


@pytest.mark.req("ORG-3")
@pytest.mark.parametrize("code", ["22AB03", "22AB00"])
def test_without_location_of_an_unknown_or_main_location_is_not_found(code: str) -> None:
    """Only an existing secondary location can be removed; the main one cannot."""
    with pytest.raises(NotFound) as info:
        dutch(location("22AB01")).without_location(LocationCode(code))
    assert "org.location.not_found" == info.value.code


@pytest.mark.req("ORG-2")
def test_a_flemish_school_has_no_brin_locations() -> None:
    """A Flemish school is identified by its instellingsnummer and has no main location."""
    school = flemish()
    assert (True, None, ()) == (school.is_flemish, school.main_location, school.locations)
    assert not dutch().is_flemish


@pytest.mark.req("ORG-2")
def test_a_flemish_school_refuses_secondary_locations() -> None:
    """BRIN locations do not belong to a Flemish school."""
    with pytest.raises(InvalidInput) as info:
        attrs.evolve(flemish(), secondary_locations=(location("22AB01"),))
    assert problems_of(info.value) >= {("org.location.flemish", "secondary_locations")}


def problems_of(error: InvalidInput) -> set[tuple[str, str | None]]:
    """Return (code, field) of every problem of *error*."""
    found = error.problems if isinstance(error, ExamkitErrorGroup) else (error,)
    return {(problem.code, problem.field) for problem in found}


@pytest.mark.req("ORG-2", "ORG-3")
@pytest.mark.parametrize(
    ("code", "address"), [(Brin("22AB"), GENT), (Instellingsnummer("012345"), EILAND)]
)
def test_the_postcode_matches_the_country(code: Brin | Instellingsnummer, address: Address) -> None:
    """A Dutch institution has a Dutch postcode, a Flemish school a Belgian one."""
    with pytest.raises(InvalidInput) as info:
        Institution(code=code, name="School", address=address)
    assert ("org.address.postcode_country", "address.postcode") == (
        info.value.code,
        info.value.field,
    )


@pytest.mark.req("ORG-3")
def test_names_are_cleaned_and_required() -> None:
    """Names lose surrounding and doubled spaces; an empty name is refused."""
    assert (
        "Het Eiland" == Institution(code=Brin("22AB"), name="  Het   Eiland ", address=EILAND).name
    )
    with pytest.raises(InvalidInput) as info:
        Institution(code=Brin("22AB"), name="   ", address=EILAND)
    assert ("input.required", "name") == (info.value.code, info.value.field)


@pytest.mark.req("ORG-3")
def test_version_does_not_take_part_in_equality() -> None:
    """Two institutions that differ only in stored version are equal."""
    assert dutch() == attrs.evolve(dutch(), version=7)


@pytest.mark.req("ORG-3")
@pytest.mark.parametrize(
    ("address", "expected"),
    [
        (EILAND, ("Dorpsstraat 1", "8835 BA Tzummarum")),
        (GENT, ("Kerkstraat 5", "9000 Gent")),
        (
            Address(" Lange  Nieuwstraat ", " 3-5 ", Postcode("3512pn"), " Utrecht"),
            (
                "Lange Nieuwstraat 3-5",
                "3512 PN Utrecht",
            ),
        ),
    ],
)
def test_address_prints_as_two_lines(address: Address, expected: tuple[str, str]) -> None:
    """An address prints as street and number, then postcode and town."""
    assert expected == address.lines()


@pytest.mark.req("ORG-3")
@pytest.mark.parametrize("field", ["street", "house_number", "town"])
def test_address_fields_are_required(field: str) -> None:
    """Street, house number and town must be filled in."""
    values: dict[str, object] = {
        "street": "Dorpsstraat",
        "house_number": "1",
        "postcode": Postcode("8835BA"),
        "town": "Tzummarum",
    }
    values[field] = " "
    with pytest.raises(InvalidInput) as info:
        Address(**values)  # type: ignore[arg-type]
    assert ("input.required", field) == (info.value.code, info.value.field)


@pytest.mark.req("ORG-5")
def test_competent_authority_has_name_function_and_email() -> None:
    """A competent authority keeps name and function; the e-mail domain is lower-cased."""
    authority = CompetentAuthority(
        name="J.A. de Vries",
        function="voorzitter college van bestuur",
        email="J.de.Vries@Bestuur.NL",
    )
    assert ("J.A. de Vries", "voorzitter college van bestuur", "J.de.Vries@bestuur.nl") == (
        authority.name,
        authority.function,
        authority.email,
    )


@pytest.mark.req("ORG-5")
@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"email": "not-an-address"}, ("input.email.invalid", "email")),
        ({"email": "a@b"}, ("input.email.invalid", "email")),
        ({"email": ""}, ("input.required", "email")),
        ({"function": ""}, ("input.required", "function")),
        ({"name": " "}, ("input.required", "name")),
    ],
)
def test_competent_authority_is_validated(
    values: dict[str, str], expected: tuple[str, str]
) -> None:
    """A competent authority needs a name, a function and a plausible e-mail address."""
    given = {"name": "J.A. de Vries", "function": "directeur", "email": "bestuur@school.nl"}
    with pytest.raises(InvalidInput) as info:
        CompetentAuthority(**(given | values))
    assert expected == (info.value.code, info.value.field)


@pytest.mark.req("ORG-5")
def test_an_institution_may_name_its_competent_authority() -> None:
    """The competent authority is optional and kept when given."""
    authority = CompetentAuthority(name="J. Jansen", function="directeur", email="j@school.nl")
    school = attrs.evolve(dutch(), competent_authority=authority)
    assert (None, authority) == (dutch().competent_authority, school.competent_authority)
