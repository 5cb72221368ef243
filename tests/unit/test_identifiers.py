# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Identifiers: BRIN, location, onderwijslocatiecode, instellingsnummer, postcodes, school years."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import attrs
import pytest

from examkit.errors import ExamkitErrorGroup, InvalidInput
from examkit.identifiers import (
    KINDS,
    BelgianPostcode,
    Brin,
    Identifier,
    Instellingsnummer,
    LocationCode,
    OnderwijslocatieCode,
    Postcode,
    SchoolYear,
    identify,
    squeeze,
)

NBSP = "\u00a0"


def raised(kind: type[Identifier], text: object) -> InvalidInput:
    """Return the error *kind* raises for *text* (failing when it raises none)."""
    with pytest.raises(InvalidInput) as info:
        kind(text)
    return info.value


# --- BRIN --------------------------------------------------------------------


@pytest.mark.req("ORG-1")
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("22AB", "22AB"),
        ("22ab", "22AB"),
        ("22aB", "22AB"),
        (" 22 AB ", "22AB"),
        (f"22{NBSP}ab", "22AB"),
        ("\t22ab\n", "22AB"),
        ("00ZZ", "00ZZ"),
        ("99aa", "99AA"),
    ],
)
def test_brin_is_normalised(text: str, expected: str) -> None:
    """A BRIN is 2 digits and 2 letters; case and spaces are normalised away."""
    assert expected == str(Brin.parse(text))


@pytest.mark.req("ORG-1")
@pytest.mark.parametrize(
    "text",
    [
        "2AB",
        "222AB",
        "22A",
        "22ABC",
        "AB22",
        "2A2B",
        "22A1",
        "22-AB",
        "22ÄB",
        "22ß",
        "22ıS",
        "٢٢AB",
    ],
)
def test_malformed_brin_is_refused(text: str) -> None:
    """Anything but 2 ASCII digits and 2 ASCII letters is refused, naming the field."""
    error = raised(Brin, text)
    assert ("org.brin.invalid", "brin", text) == (error.code, error.field, error.params["value"])


@pytest.mark.req("ORG-1")
@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "input.required"),
        ("  \t ", "input.required"),
        ("2" * 65, "input.too_long"),
        (22, "input.not_text"),
        (None, "input.not_text"),
    ],
)
def test_empty_long_and_non_text_values_are_refused(value: object, code: str) -> None:
    """An empty, very long or non-text value gets its own error, not a format error."""
    error = raised(Brin, value)
    assert (code, "brin") == (error.code, error.field)


@pytest.mark.req("ORG-1")
def test_parse_names_the_callers_field() -> None:
    """parse(field=...) reports the caller's field name instead of the kind's."""
    with pytest.raises(InvalidInput) as info:
        Brin.parse("2AB", field="school.brin")
    assert ("org.brin.invalid", "school.brin") == (info.value.code, info.value.field)


# --- locations ----------------------------------------------------------------


@pytest.mark.req("ORG-1")
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("22AB00", "22AB00"),
        ("22ab 01", "22AB01"),
        ("22 AB 99", "22AB99"),
        (f" 22ab{NBSP}07\t", "22AB07"),
        ("2 2 a b 0 1", "22AB01"),
    ],
)
def test_location_code_is_normalised(text: str, expected: str) -> None:
    """A location is a BRIN and a 2-digit sequence number, normalised like a BRIN."""
    assert expected == str(LocationCode.parse(text))


@pytest.mark.req("ORG-1")
def test_location_code_has_its_brin_and_sequence() -> None:
    """``22ab 01`` is location 01 of BRIN 22AB, a secondary location."""
    code = LocationCode.parse("22ab 01")
    assert (Brin("22AB"), "01", False) == (code.brin, code.sequence, code.is_main)
    assert {"brin": "22AB", "sequence": "01"} == dict(code.parts())


@pytest.mark.req("ORG-1")
def test_sequence_00_is_the_main_location() -> None:
    """Sequence number 00 is the main location."""
    assert LocationCode("22AB00").is_main


@pytest.mark.req("ORG-1")
@pytest.mark.parametrize(
    ("text", "length"), [("2AB01", 5), ("22AB0", 5), ("22AB001", 7), ("22", 2), ("22AB 0 0 1", 7)]
)
def test_location_code_of_the_wrong_length_says_so(text: str, length: int) -> None:
    """A location code is 6 characters; the error says how many there were."""
    error = raised(LocationCode, text)
    assert ("org.location.length", "location", length) == (
        error.code,
        error.field,
        error.params["length"],
    )


@pytest.mark.req("ORG-1")
@pytest.mark.parametrize("text", ["22ABC1", "2A2B01", "22AB0A", "AB2201", "22A101"])
def test_malformed_location_code_is_refused(text: str) -> None:
    """Six characters in the wrong shape are refused as an invalid location."""
    error = raised(LocationCode, text)
    assert ("org.location.invalid", "location") == (error.code, error.field)


@pytest.mark.req("ORG-1")
def test_brin_gives_its_locations() -> None:
    """A BRIN builds its locations from a sequence number (int or text); 00 is the main one."""
    brin = Brin("22AB")
    assert [LocationCode("22AB00"), LocationCode("22AB01"), LocationCode("22AB17")] == [
        brin.main_location,
        brin.location(1),
        brin.location("17"),
    ]


@pytest.mark.req("ORG-1")
def test_brin_refuses_a_three_digit_sequence() -> None:
    """A sequence number has 2 digits; 100 makes no location."""
    with pytest.raises(InvalidInput) as info:
        Brin("22AB").location(100)
    assert "org.location.length" == info.value.code


# --- onderwijslocatiecode -----------------------------------------------------


@pytest.mark.req("ORG-1")
@pytest.mark.parametrize(
    ("text", "expected"),
    [("123X456", "123X456"), ("123x456", "123X456"), (" 123 x 456 ", "123X456")],
)
def test_onderwijslocatiecode_is_normalised(text: str, expected: str) -> None:
    """An onderwijslocatiecode is 3 digits, X, 3 digits."""
    assert expected == str(OnderwijslocatieCode.parse(text))


@pytest.mark.req("ORG-1")
@pytest.mark.parametrize("text", ["123Y456", "12X456", "1234X56", "123X4567", "123456", "X123456"])
def test_malformed_onderwijslocatiecode_is_refused(text: str) -> None:
    """Any other shape is refused."""
    error = raised(OnderwijslocatieCode, text)
    assert ("org.onderwijslocatiecode.invalid", "onderwijslocatiecode") == (
        error.code,
        error.field,
    )


# --- instellingsnummer ----------------------------------------------------------


@pytest.mark.req("ORG-2")
@pytest.mark.parametrize(
    ("text", "expected"),
    [("12", "12"), ("012345", "012345"), (" 12 345 ", "12345"), ("999999", "999999")],
)
def test_instellingsnummer_is_normalised(text: str, expected: str) -> None:
    """An instellingsnummer is 2 to 6 digits, spaces removed."""
    assert expected == str(Instellingsnummer.parse(text))


@pytest.mark.req("ORG-2")
def test_instellingsnummer_keeps_leading_zeros() -> None:
    """Leading zeros are part of the number: 012345 is not 12345."""
    assert Instellingsnummer("012345") != Instellingsnummer("12345")


@pytest.mark.req("ORG-2")
@pytest.mark.parametrize("text", ["1", "1234567", "12A45", "-123", "12.3"])
def test_malformed_instellingsnummer_is_refused(text: str) -> None:
    """Fewer than 2 or more than 6 digits, or anything but digits, is refused."""
    error = raised(Instellingsnummer, text)
    assert ("org.instellingsnummer.invalid", "instellingsnummer") == (error.code, error.field)


# --- postcodes ----------------------------------------------------------------


@pytest.mark.req("ORG-3")
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8835BA", "8835 BA"),
        ("8835 BA", "8835 BA"),
        ("8835ba", "8835 BA"),
        (f" 8835{NBSP}bA\t", "8835 BA"),
        ("1000AA", "1000 AA"),
        ("9999ZZ", "9999 ZZ"),
        ("1234SB", "1234 SB"),
    ],
)
def test_postcode_is_written_with_one_space(text: str, expected: str) -> None:
    """A Dutch postcode prints as 4 digits, a space and 2 capital letters."""
    assert expected == str(Postcode.parse(text))


@pytest.mark.req("ORG-3")
def test_postcode_compact_form_and_parts() -> None:
    """A postcode has a compact form and named parts."""
    postcode = Postcode("8835 ba")
    assert "8835BA" == postcode.compact
    assert {"digits": "8835", "letters": "BA"} == dict(postcode.parts())


@pytest.mark.req("ORG-3")
@pytest.mark.parametrize("text", ["0835BA", "0000 AA", "0999zz"])
def test_postcode_never_starts_with_zero(text: str) -> None:
    """A postcode starting with 0 gets its own error."""
    error = raised(Postcode, text)
    assert ("org.postcode.leading_zero", "postcode") == (error.code, error.field)


@pytest.mark.req("ORG-3")
@pytest.mark.parametrize(
    ("text", "letters"), [("1234SA", "SA"), ("1234 sd", "SD"), ("1234ss", "SS")]
)
def test_postcode_never_uses_sa_sd_ss(text: str, letters: str) -> None:
    """The letter pairs SA, SD and SS are never used in Dutch postcodes."""
    error = raised(Postcode, text)
    assert ("org.postcode.reserved_letters", "postcode", letters) == (
        error.code,
        error.field,
        error.params["letters"],
    )


@pytest.mark.req("ORG-3")
@pytest.mark.parametrize("text", ["8835B", "88355BA", "8835-BA", "BA8835", "883BA", "8835BAC"])
def test_malformed_postcode_is_refused(text: str) -> None:
    """Any other shape is refused as an invalid postcode."""
    error = raised(Postcode, text)
    assert ("org.postcode.invalid", "postcode") == (error.code, error.field)


@pytest.mark.req("ORG-3")
@pytest.mark.parametrize(
    ("text", "expected"),
    [("9000", "9000"), ("B-9000", "9000"), ("be-2000", "2000"), (" 1 000 ", "1000")],
)
def test_belgian_postcode_is_normalised(text: str, expected: str) -> None:
    """A Belgian postcode is 1000 to 9999, with an optional B- or BE- prefix."""
    assert expected == str(BelgianPostcode.parse(text))


@pytest.mark.req("ORG-3")
@pytest.mark.parametrize("text", ["0999", "999", "10000", "B9000", "90A0"])
def test_malformed_belgian_postcode_is_refused(text: str) -> None:
    """Any other shape is refused."""
    error = raised(BelgianPostcode, text)
    assert ("org.belgian_postcode.invalid", "belgian_postcode") == (error.code, error.field)


# --- school years ----------------------------------------------------------------


@pytest.mark.req("ORG-4")
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020-2021", "2020-2021"),
        (" 2020 - 2021 ", "2020-2021"),
        ("2020/2021", "2020-2021"),
        ("2020\u20132021", "2020-2021"),
        ("1999-2000", "1999-2000"),
    ],
)
def test_school_year_is_normalised(text: str, expected: str) -> None:
    """A school year is written 2020-2021."""
    assert expected == str(SchoolYear.parse(text))


@pytest.mark.req("ORG-4")
@pytest.mark.parametrize(
    ("text", "expected"), [("2020-2022", 2021), ("2021-2020", 2022), ("2020-2020", 2021)]
)
def test_school_year_must_be_consecutive(text: str, expected: int) -> None:
    """The second year is the first plus one; the error names the year expected."""
    error = raised(SchoolYear, text)
    assert ("org.school_year.not_consecutive", "school_year", expected) == (
        error.code,
        error.field,
        error.params["expected"],
    )


@pytest.mark.req("ORG-4")
@pytest.mark.parametrize(
    "text", ["2020", "20-21", "2020-21", "2020_2021", "1899-1900", "schooljaar"]
)
def test_malformed_school_year_is_refused(text: str) -> None:
    """Anything that is not two four-digit years is refused."""
    error = raised(SchoolYear, text)
    assert ("org.school_year.invalid", "school_year") == (error.code, error.field)


@pytest.mark.req("ORG-4")
def test_school_year_parts_and_neighbours() -> None:
    """A school year knows its years, its neighbours and its first and last day."""
    year = SchoolYear("2025-2026")
    assert (2025, 2026) == (year.first_year, year.second_year)
    assert {"first_year": 2025, "second_year": 2026} == dict(year.parts())
    assert (SchoolYear("2024-2025"), SchoolYear("2026-2027")) == (year.previous(), year.next())
    assert (date(2025, 8, 1), date(2026, 7, 31)) == (year.first_day, year.last_day)
    assert year == SchoolYear.starting(2025)


@pytest.mark.req("ORG-4")
@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2027, 7, 31), "2026-2027"),
        (date(2027, 8, 1), "2027-2028"),
        (date(2027, 1, 1), "2026-2027"),
        (date(2026, 12, 31), "2026-2027"),
    ],
)
def test_school_year_containing_a_day(day: date, expected: str) -> None:
    """A Dutch school year runs from 1 August to 31 July."""
    assert SchoolYear(expected) == SchoolYear.containing(day)


# --- identify -------------------------------------------------------------------


@pytest.mark.req("ORG-1", "ORG-2", "ORG-3", "ORG-4")
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("22ab", Brin("22AB")),
        ("22ab 01", LocationCode("22AB01")),
        ("123x456", OnderwijslocatieCode("123X456")),
        ("012345", Instellingsnummer("012345")),
        ("8835 ba", Postcode("8835BA")),
        ("2020 - 2021", SchoolYear("2020-2021")),
    ],
)
def test_identify_recognises_each_kind(text: str, expected: Identifier) -> None:
    """identify() returns the one kind a valid text is."""
    actual = identify(text)
    assert (type(expected), expected) == (type(actual), actual)


@pytest.mark.req("ORG-1")
def test_identify_knows_every_kind() -> None:
    """KINDS names every identifier kind identify() tries, by its kind name."""
    assert {
        "brin": Brin,
        "location": LocationCode,
        "onderwijslocatiecode": OnderwijslocatieCode,
        "instellingsnummer": Instellingsnummer,
        "postcode": Postcode,
        "school_year": SchoolYear,
    } == dict(KINDS)


@pytest.mark.req("ORG-1")
@pytest.mark.parametrize("text", ["hello world", "#$%", "22AB01X9Q", "B-9000"])
def test_identify_refuses_garbage(text: str) -> None:
    """Text that resembles no kind says which kinds were expected."""
    with pytest.raises(InvalidInput) as info:
        identify(text)
    error = info.value
    assert not isinstance(error, ExamkitErrorGroup)
    assert ("org.id.unrecognised", "value") == (error.code, error.field)
    kinds = str(error.params["kinds"])
    assert all(name in kinds for name in ("brin", "location", "postcode", "school_year"))


@pytest.mark.req("ORG-1")
def test_identify_explains_the_kind_a_text_resembles() -> None:
    """2AB01 looks like a location, so the location's length error is reported."""
    with pytest.raises(InvalidInput) as info:
        identify("2AB01")
    assert ("org.location.length", "location") == (info.value.code, info.value.field)


@pytest.mark.req("ORG-1", "ORG-3")
def test_identify_explains_every_kind_a_text_resembles() -> None:
    """123AB could be a mistyped BRIN or postcode: both problems come back in a group."""
    with pytest.raises(ExamkitErrorGroup) as info:
        identify("123AB")
    group = info.value
    assert "org.id.ambiguous_problem" == group.code
    assert [("org.brin.invalid", "brin"), ("org.postcode.invalid", "postcode")] == [
        (problem.code, problem.field) for problem in group.problems
    ]


@pytest.mark.req("ORG-1")
@pytest.mark.parametrize(("value", "code"), [("", "input.required"), (" ", "input.required")])
def test_identify_refuses_an_empty_value(value: str, code: str) -> None:
    """An empty value is reported on the field ``value``."""
    with pytest.raises(InvalidInput) as info:
        identify(value)
    assert (code, "value") == (info.value.code, info.value.field)


@pytest.mark.req("ORG-3")
def test_identify_can_be_limited_to_some_kinds() -> None:
    """With kinds given, only those are tried, and the error is theirs."""
    assert Postcode("8835BA") == identify("8835ba", ("postcode",))
    with pytest.raises(InvalidInput) as info:
        identify("22AB", ("postcode",))
    assert "org.postcode.invalid" == info.value.code


def test_identify_refuses_an_unknown_kind() -> None:
    """Asking for a kind that does not exist is an error naming it."""
    with pytest.raises(InvalidInput) as info:
        identify("22AB", ("iban",))
    assert ("org.id.unknown_kind", "kind", "iban") == (
        info.value.code,
        info.value.field,
        info.value.params["kind"],
    )


# --- values ---------------------------------------------------------------------


@pytest.mark.req("ORG-1")
def test_equal_identifiers_compare_and_hash_equal() -> None:
    """Spellings of the same identifier are equal, hash equal and collapse in a set."""
    assert Brin.parse("22ab") == Brin(" 22 AB ")
    assert hash(Brin.parse("22ab")) == hash(Brin("22AB"))
    assert 1 == len({LocationCode("22ab01"), LocationCode("22AB 01"), LocationCode("22AB01")})


@pytest.mark.req("ORG-1")
def test_identifiers_of_different_kinds_or_plain_text_are_not_equal() -> None:
    """A BRIN is neither its text nor another kind's value."""
    assert not equal(Brin("22AB"), "22AB")
    assert not equal(Instellingsnummer("1234"), BelgianPostcode("1234"))


def equal(left: object, right: object) -> bool:
    """Return whether *left* == *right*, for values of types that are never equal."""
    return left == right


@pytest.mark.req("ORG-1")
def test_identifiers_order_by_their_normalised_text() -> None:
    """Identifiers of one kind sort by their normalised text."""
    codes = [LocationCode("33aa00"), LocationCode("22AB01"), LocationCode("22ab00")]
    assert ["22AB00", "22AB01", "33AA00"] == [str(code) for code in sorted(codes)]


def test_identifiers_of_different_kinds_do_not_order() -> None:
    """Ordering a BRIN against a location makes no sense and raises TypeError."""
    with pytest.raises(TypeError):
        _ = Brin("22AB") < LocationCode("22AB00")  # type: ignore[operator]


def test_identifiers_are_frozen_and_print_their_kind() -> None:
    """An identifier cannot be changed and its repr names its kind."""
    brin = Brin("22ab")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        brin.value = "33CD"  # type: ignore[misc]
    assert "Brin('22AB')" == repr(brin)


def test_plain_identifiers_have_no_parts() -> None:
    """A BRIN, onderwijslocatiecode or instellingsnummer has no named parts."""
    assert [{}, {}, {}] == [
        dict(Brin("22AB").parts()),
        dict(OnderwijslocatieCode("123X456").parts()),
        dict(Instellingsnummer("12").parts()),
    ]


def test_is_valid_answers_without_raising() -> None:
    """is_valid() says whether a text parses."""
    assert (True, False) == (Postcode.is_valid("8835 BA"), Postcode.is_valid("0835 BA"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [(" 22ab\u00a001 ", "22AB01"), ("a\tb\nc\u202fd", "ABCD"), ("straße", "STRAßE")],
)
def test_squeeze_removes_white_space_and_upper_cases_ascii(text: str, expected: str) -> None:
    """squeeze() drops every white space and upper-cases ASCII letters only."""
    assert expected == squeeze(text)


@pytest.mark.req("EDX-3", "EDX-4")
def test_the_school_year_of_a_moment_turns_on_1_august_dutch_time() -> None:
    """SchoolYear.at: 31 July 23:59 in Amsterdam is the old year, 1 August 0:00 the new one."""
    amsterdam_summer = timezone(timedelta(hours=2))
    assert SchoolYear("2026-2027") == SchoolYear.at(
        datetime(2027, 7, 31, 23, 59, 59, tzinfo=amsterdam_summer)
    )
    assert SchoolYear("2027-2028") == SchoolYear.at(datetime(2027, 8, 1, tzinfo=amsterdam_summer))
    assert SchoolYear("2027-2028") == SchoolYear.at(datetime(2027, 7, 31, 22, tzinfo=UTC))
    assert SchoolYear("2025-2026") == SchoolYear.at(datetime(2026, 1, 1, tzinfo=UTC))
    with pytest.raises(InvalidInput) as raised:
        SchoolYear.at(datetime(2027, 8, 1))  # noqa: DTZ001 - the naive moment refused
    assert "input.time.naive" == raised.value.code
