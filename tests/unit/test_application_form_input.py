# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Issue 19 point 12: the application form flows over pages; unprintable names are refused."""

from __future__ import annotations

import io
import json
import re
import unicodedata
from typing import Any

import attrs
import pypdf
import pytest

from examkit.accounts import Account, LoginName
from examkit.applications import (
    LocationEntry,
    SchoolDetails,
    SchoolEntry,
    SecondaryLocation,
    application_from_json,
    application_to_json,
    check_school,
    example_application,
)
from examkit.documents import account_application_pdf
from examkit.errors import ExamkitError, ExamkitErrorGroup, InvalidInput
from examkit.identifiers import LocationCode, Postcode
from examkit.org import Address, Location
from examkit.scheduling import Candidate

# Written out independently of examkit's table: the bidirectional embeddings, overrides and
# isolates of Unicode's bidi algorithm (UAX #9), the ones "Trojan Source" (CVE-2021-42574) uses.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def refused(character: str) -> bool:
    """The rule, independently: a control character but tab and line breaks, a bidi control."""
    category = unicodedata.category(character)
    return (category in {"Cc", "Cs"} and character not in "\t\n\r") or character in BIDI_CONTROLS


def with_locations(names: list[str]) -> Any:
    application = example_application()
    locations = tuple(
        SecondaryLocation(LocationCode(f"22AB{number:02d}"), None, name)
        for number, name in enumerate(names, start=1)
    )
    return attrs.evolve(
        application, school=attrs.evolve(application.school, secondary_locations=locations)
    )


def squeezed_text(pdf: bytes) -> str:
    """Every page's text without white space (a wrapped name joins up again)."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


@pytest.mark.req("DOC-1")
@pytest.mark.parametrize(
    ("count", "name"),
    [
        (6, "x" * 120),  # the three cases of the issue: a raw reportlab LayoutError each
        (16, "Dependance " + "y" * 19),
        (38, ""),
        (60, "W" * 200),  # and the most the form takes, widest letters, no space to wrap at
        (60, "Nevenlocatie " * 15),
    ],
)
def test_point_12_the_application_pdf_flows_over_pages_for_many_long_locations(
    count: int, name: str
) -> None:
    """The table of secondary locations splits over pages; every row and the rest are there."""
    application = with_locations([name] * count)
    pdf = account_application_pdf(application)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    pages = len(reader.pages)
    assert pages >= 2
    text = squeezed_text(pdf)
    for number in range(1, pages + 1):
        assert f"Pagina{number}van{pages}" in text
    shown = re.sub(r"\s+", "", application.school.secondary_locations[0].name) or "-"
    for number in range(1, count + 1):
        assert f"{number}.22AB{number:02d}-{shown}" in text
    assert "GewensteinlognaamKlaas" not in text  # the administrator's block is whole
    assert "Gewensteinlognaam22AB.K.Beheerder" in text
    assert "NaamdirecteurofschoolleiderG.Jansen" in text


SCHOOL = SchoolEntry("22AB 00", "", "Helpdeskschool", "Waterlaan", "2", "8835 BA", "Groningen", ())
SAMPLES = ["\x00", "\x07", "\x1b", "\x1f", "\x7f", "\x85", "\x9b", "\x0b", "\x0c", "\ud800"]
SAMPLES += list(BIDI_CONTROLS)


@pytest.mark.req("DOC-1", "ACC-1")
@pytest.mark.parametrize("character", SAMPLES, ids=lambda c: f"U+{ord(c):04X}")
def test_point_12_control_and_bidi_characters_are_refused_in_names_at_input(
    character: str,
) -> None:
    """The wizard, the JSON form and the value itself refuse the name, naming the field."""
    assert refused(character)
    name = f"Dependance {character}Zuid"
    code = f"U+{ord(character):04X}"
    # the wizard's step 1
    entry = attrs.evolve(
        SCHOOL, school_name=name, secondary_locations=(LocationEntry("22AB01", "", name),)
    )
    with pytest.raises(ExamkitErrorGroup) as caught:
        check_school(entry)
    assert [
        ("input.text.character", "school.school_name", code),
        ("input.text.character", "school.secondary_locations[0].location_name", code),
    ] == [(p.code, p.field, p.params["character"]) for p in caught.value.problems]
    # the JSON form (the command line's input)
    form = json.loads(json.dumps(application_to_json(example_application())))
    form["school"]["secondary_locations"][0]["location_name"] = name
    with pytest.raises(InvalidInput) as error:
        application_from_json(form)
    assert ("input.text.character", "school.secondary_locations[0].location_name") == (
        error.value.code,
        error.value.field,
    )
    # the values, wherever they are built
    with pytest.raises(InvalidInput) as error:
        SecondaryLocation(LocationCode("22AB01"), None, name)
    assert ("input.text.character", "name") == (error.value.code, error.value.field)
    address = Address("Waterlaan", "2", Postcode("8835BA"), "Groningen")
    with pytest.raises(ExamkitError) as any_error:
        SchoolDetails(LocationCode("22AB00"), None, name, address)
    assert "input.text.character" == any_error.value.code
    with pytest.raises(ExamkitError) as any_error:
        Location(code=LocationCode("22AB01"), name=name, address=address)
    assert "input.text.character" == any_error.value.code
    with pytest.raises(ExamkitError) as any_error:
        Account(
            id="a",
            login_name=LoginName("22AB.K.Klaas"),
            first_name=name,
            last_name="K",
            email="k@school.nl",
        )
    assert "input.text.character" == any_error.value.code
    with pytest.raises(ExamkitError) as any_error:
        Candidate(
            id="c",
            location=LocationCode("22AB00"),
            login_name="SEM00001",
            first_name="Sem",
            last_name=name,
        )
    assert "input.text.character" == any_error.value.code


@pytest.mark.req("DOC-1")
def test_point_12_the_refusal_reads_in_dutch_and_english() -> None:
    """Its own code, a Dutch and an English text naming the character, and the field."""
    with pytest.raises(InvalidInput) as caught:
        SecondaryLocation(LocationCode("22AB01"), None, "Zuid\u202e")
    assert "name" == caught.value.field
    assert "Het teken U+202E is niet toegestaan" in caught.value.message("nl")
    assert "The character U+202E is not allowed" in caught.value.message("en")


@pytest.mark.req("DOC-1")
def test_point_12_tabs_and_line_breaks_still_count_as_space() -> None:
    """Pasted names keep working: tab, line feed and carriage return become one space."""
    location = SecondaryLocation(LocationCode("22AB01"), None, " Dependance\t\r\nZuid ")
    assert "Dependance Zuid" == location.name
