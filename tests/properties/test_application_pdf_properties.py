# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Property tests of the account application form (DOC-1) and of names at input."""

from __future__ import annotations

import io
import re
import unicodedata
from typing import Any

import attrs
import pypdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reportlab.pdfbase import pdfmetrics

from examkit.accounts import Account, LoginName
from examkit.applications import (
    LocationEntry,
    SchoolEntry,
    SecondaryLocation,
    check_school,
    example_application,
)
from examkit.documents import FONT, account_application_pdf, register_fonts
from examkit.errors import ExamkitError, ExamkitErrorGroup
from examkit.identifiers import LocationCode

register_fonts()
_FONT: Any = pdfmetrics.getFont(FONT)  # the stubs leave out a TrueType font's face
_CARRIED = frozenset(_FONT.face.charToGlyph)

# Names as schools write them: letters, digits, punctuation, symbols and spaces of the Latin,
# Greek and Cyrillic blocks that the shipped font carries (a glyph it lacks cannot be read
# back from the PDF's text, whatever the layout).
NAME_CHARACTERS = st.characters(
    min_codepoint=0x20, max_codepoint=0x52F, categories=("L", "N", "P", "S", "Zs")
).filter(lambda character: ord(character) in _CARRIED)

# Written out independently of examkit's table: the bidirectional embeddings, overrides and
# isolates (UAX #9), and every control character but tab, line feed and carriage return.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
REFUSED = st.one_of(
    st.characters(categories=("Cc", "Cs")).filter(lambda character: character not in "\t\n\r"),
    st.sampled_from(BIDI_CONTROLS),
)


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.req("DOC-1")
@given(names=st.lists(st.text(NAME_CHARACTERS, max_size=200), max_size=60))
@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
def test_the_application_pdf_renders_any_number_and_length_of_secondary_locations(
    names: list[str],
) -> None:
    """0 to 60 locations, names of 0 to 200 characters: a valid PDF showing every name in order."""
    application = example_application()
    locations = tuple(
        SecondaryLocation(LocationCode(f"22AB{number:02d}"), None, name)
        for number, name in enumerate(names, start=1)
    )
    application = attrs.evolve(
        application, school=attrs.evolve(application.school, secondary_locations=locations)
    )
    pdf = account_application_pdf(application)
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    reader = pypdf.PdfReader(io.BytesIO(pdf), strict=True)
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert f"Pagina {number} van {len(pages)}" in page
    text = squeezed("".join(pages))
    at = 0
    for number, location in enumerate(locations, start=1):
        row = f"{number}.{location.code}-{squeezed(location.name) or '-'}"
        found = text.find(row, at)
        assert found >= 0, row
        at = found + len(row)
    assert "NaamdirecteurofschoolleiderG.Jansen" in text[at:]


@pytest.mark.req("DOC-1", "ACC-1")
@given(
    before=st.text(NAME_CHARACTERS, max_size=40),
    character=REFUSED,
    after=st.text(NAME_CHARACTERS, max_size=40),
)
def test_control_and_bidi_characters_are_refused_in_names_at_input(
    before: str, character: str, after: str
) -> None:
    """Anywhere in a name, in the wizard and in the values: refused with its field."""
    name = before + character + after
    code = f"U+{ord(character):04X}"
    entry = SchoolEntry(
        "22AB 00",
        "",
        "Helpdeskschool",
        "Waterlaan",
        "2",
        "8835 BA",
        "Groningen",
        (LocationEntry("22AB01", "", name),),
    )
    with pytest.raises(ExamkitErrorGroup) as caught:
        check_school(entry)
    assert [("input.text.character", "school.secondary_locations[0].location_name", code)] == [
        (problem.code, problem.field, problem.params["character"])
        for problem in caught.value.problems
    ]
    with pytest.raises(ExamkitError) as refused:
        SecondaryLocation(LocationCode("22AB01"), None, name)
    assert ("input.text.character", "name", code) == (
        refused.value.code,
        refused.value.field,
        refused.value.params["character"],
    )
    with pytest.raises(ExamkitError) as refused:
        Account(
            id="a",
            login_name=LoginName("22AB.K.Klaas"),
            first_name="Klaas",
            last_name=name,
            email="k@school.nl",
        )
    assert ("input.text.character", "last_name") == (refused.value.code, refused.value.field)


@pytest.mark.req("DOC-1")
@given(name=st.text(NAME_CHARACTERS, max_size=200).filter(str.strip))
def test_every_printable_name_is_accepted(name: str) -> None:
    """What the form prints is accepted at input, white space collapsed."""
    assert " ".join(name.split()) == SecondaryLocation(LocationCode("22AB01"), None, name).name
    assert all(not unicodedata.category(character).startswith("C") for character in name)
