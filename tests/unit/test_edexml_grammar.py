"""The EDEXML tables and what is built from them: value checks, content models, the XSD.

The expected verdicts are written out here from the standard's schemas and
XML Schema's rules (as libxml2 applies them), not read from examkit's tables.
"""

from __future__ import annotations

import pytest
from lxml import etree

from examkit.edexml import ROLE_CODES, YEAR_GROUPS, Version, schema_text
from examkit.edexml._automaton import compile_content
from examkit.edexml._grammar import GRAMMARS
from examkit.edexml._schema import ElementDecl, Group
from examkit.edexml._validator import display_path
from examkit.edexml._values import check_value, is_date, is_datetime

pytestmark = pytest.mark.req("EDX-1")

TYPES = GRAMMARS[Version.V2_1].simple_types


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("2014-02-28", True),
        ("2016-02-29", True),
        ("2000-02-29", True),
        ("1900-02-29", False),
        ("2014-02-29", False),
        ("2014-04-31", False),
        ("2014-13-01", False),
        ("2014-00-10", False),
        ("2014-01-00", False),
        ("2014-2-3", False),
        (" 2014-02-03", False),
        ("2014-02-03 ", False),
        ("0000-01-01", False),
        ("-0001-01-01", True),
        ("20140-01-01", True),
        ("02014-01-01", False),
        ("9223372036854775807-01-01", True),
        ("9223372036854775808-01-01", False),
        ("2014-01-01Z", True),
        ("2014-01-01+14:00", True),
        ("2014-01-01-14:00", True),
        ("2014-01-01+14:01", False),
        ("2014-01-01+1:00", False),
        ("2014-01-01 Z", False),
        ("１２３４-01-01", False),
    ],
)
def test_dates_are_xml_schema_dates(value: str, valid: bool) -> None:
    """xs:date: a real calendar day, four or more year digits, no spaces, an optional zone."""
    assert valid == is_date(value)


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("2014-09-07T08:47:34", True),
        ("2014-09-07T24:00:00", True),
        ("2014-09-07T24:00:00.0", True),
        ("2014-09-07T24:00:00.5", False),
        ("2014-09-07T24:00:01", False),
        ("2014-09-07T23:59:60", False),
        ("2014-09-07T23:60:00", False),
        ("2014-09-07T08:47:34.5", True),
        ("2014-09-07T08:47:34.", False),
        ("2014-09-07T08:47:34Z", True),
        ("2014-09-07T08:47:34+01:00", True),
        ("2014-09-07T8:47:34", False),
        ("2014-09-07 08:47:34", False),
        ("2014-09-07T08:47", False),
        ("2014-02-29T00:00:00", False),
        ("-0004-02-29T00:00:00", True),
        ("-0001-02-29T00:00:00", False),
    ],
)
def test_times_are_xml_schema_date_times(value: str, valid: bool) -> None:
    """xs:dateTime: a date, T, hh:mm:ss with optional fraction; 24:00:00 is the day's end."""
    assert valid == is_datetime(value)


@pytest.mark.parametrize(
    ("type_name", "value", "code"),
    [
        ("EDEXGeslachtType", "1", None),
        ("EDEXGeslachtType", " 1 ", None),
        ("EDEXGeslachtType", "+1", None),
        ("EDEXGeslachtType", "0009", None),
        ("EDEXGeslachtType", "-0", None),
        ("EDEXGeslachtType", "3", "edexml.value.not_allowed"),
        ("EDEXGeslachtType", "1.0", "edexml.value.integer"),
        ("EDEXGeslachtType", "", "edexml.value.integer"),
        ("EDEXGeslachtType", "٣", "edexml.value.integer"),
        ("EDEXGeslachtType", "10", "edexml.value.too_many_digits"),
        ("EDEXJaargroepType", "C", None),
        ("EDEXJaargroepType", " 1", "edexml.value.not_allowed"),
        ("EDEXBrincodeType", "99ZZ", None),
        ("EDEXBrincodeType", "٩٩ZZ", None),
        ("EDEXBrincodeType", "99ÀZ", None),
        ("EDEXBrincodeType", "99zz", "edexml.value.brincode"),
        ("EDEXBrincodeType", "99ǅZ", "edexml.value.brincode"),
        ("EDEXBrincodeType", "99ZZ1", "edexml.value.brincode"),
        ("EDEXPostcodeNlType", "8835BA", None),
        ("EDEXPostcodeNlType", "8835 BA", "edexml.value.postcodenl"),
        ("EDEXInstellingsnummerType", "12", None),
        ("EDEXInstellingsnummerType", "1234567", "edexml.value.instellingsnummer"),
        ("EDEXKeyType", " ", None),
        ("EDEXKeyType", "", "edexml.value.empty"),
        ("EDEXKeyType", "k" * 256, None),
        ("EDEXKeyType", "k" * 257, "edexml.value.too_long"),
        ("EDEXSchooljaarType", "2026-2027", None),
        ("EDEXSchooljaarType", "2026-2028", "edexml.school_year.not_consecutive"),
        ("EDEXSchooljaarType", "2026 - 2027", "edexml.value.school_year"),
        ("EDEXSchooljaarType", "1899-1900", "edexml.value.school_year"),
        ("EDEXSchooljaarType", "٢٠٢٦-٢٠٢٧", "edexml.value.school_year"),
    ],
)
def test_values_are_checked_as_the_standard_says(
    type_name: str, value: str, code: str | None
) -> None:
    """Each simple type's facets: white space, lengths, Unicode patterns, lists."""
    problem = check_value(TYPES[type_name], value, "<x>")
    assert code == (problem[0] if problem else None)


def test_versions_differ_where_the_standard_changed() -> None:
    """Key length 64 then 256, surnames 70 then 200, year groups and roles added over time."""
    v103, v20, v21 = (GRAMMARS[version].simple_types for version in Version)
    assert (64, 64, 256) == tuple(t["EDEXKeyType"].max_length for t in (v103, v20, v21))
    assert (70, 200, 200) == tuple(t["EDEXAchternaamType"].max_length for t in (v103, v20, v21))
    assert {"B", "D", "14", "15", "16", "V", "C", "N"} == set(
        v20["EDEXJaargroepType"].enumeration or ()
    ) - set(v103["EDEXJaargroepType"].enumeration or ())
    assert "EDEXLeerkrachtRolType" not in v103
    assert {"TAL"} == set(v21["EDEXLeerkrachtRolType"].enumeration or ()) - set(
        v20["EDEXLeerkrachtRolType"].enumeration or ()
    )
    assert (22, 17) == (len(YEAR_GROUPS), len(ROLE_CODES))


def test_every_content_model_is_deterministic() -> None:
    """Every complex type of every version compiles to a deterministic automaton."""
    for grammar in GRAMMARS.values():
        for name in grammar.complex_types:
            compile_content(grammar.effective_content(name), name)


def test_a_non_deterministic_model_is_refused() -> None:
    """A table error (two ways to read the same name) is caught when the model is compiled."""
    ambiguous = Group("sequence", (ElementDecl("a", "t", min=0), ElementDecl("a", "t")))
    with pytest.raises(AssertionError, match="deterministic"):
        compile_content(ambiguous, "test")


def test_the_pupils_content_model_reads_a_surname_or_a_given_name_first() -> None:
    """A pupil starts with achternaam or roepnaam; both orders of the rest are checked."""
    model = compile_content(GRAMMARS[Version.V2_1].effective_content("LeerlingType"))
    assert ("achternaam", "roepnaam") == model.expected[0]
    assert 0 not in model.accepting


@pytest.mark.parametrize("version", list(Version))
def test_examkits_schema_compiles_and_keeps_no_year_list(version: Version) -> None:
    """The schema written from the tables is a valid XSD with a school-year pattern."""
    text = schema_text(version)
    etree.XMLSchema(etree.fromstring(text.encode("utf-8")))
    assert "2024-2025" not in text
    assert 'value="[0-9]{4}-[0-9]{4}"' in text


def test_paths_number_the_steps_that_can_repeat() -> None:
    """A path shows [n] where an element may repeat, or where n is above 1."""
    where = (("EDEX", 1), ("leerlingen", 1), ("leerling", 3), ("jaargroep", 1))
    assert "/EDEX/leerlingen/leerling[3]/jaargroep" == display_path(where, Version.V2_1)
    odd = (("EDEX", 1), ("school", 2), ("foo", 1), ("bar", 2))
    assert "/EDEX/school[2]/foo/bar[2]" == display_path(odd, Version.V1_03)
