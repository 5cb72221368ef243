"""Properties of every identifier kind: round trips, recognition, and robustness."""

from __future__ import annotations

import string
from collections.abc import Callable

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from examkit.errors import InvalidInput
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
)
from examkit.testing.strategies import (
    belgian_postcodes,
    brins,
    instellingsnummers,
    location_codes,
    messy_spellings,
    onderwijslocatiecodes,
    postcodes,
    school_years,
)

STRATEGIES: dict[type[Identifier], st.SearchStrategy[Identifier]] = {
    Brin: brins(),
    LocationCode: location_codes(),
    OnderwijslocatieCode: onderwijslocatiecodes(),
    Instellingsnummer: instellingsnummers(),
    Postcode: postcodes(),
    BelgianPostcode: belgian_postcodes(),
    SchoolYear: school_years(),
}
ALL_KINDS = pytest.mark.parametrize("kind", list(STRATEGIES), ids=lambda kind: kind.__name__)
IDENTIFIED_KINDS = pytest.mark.parametrize(
    "kind", list(KINDS.values()), ids=lambda kind: kind.__name__
)


def test_every_kind_has_a_strategy() -> None:
    """The table above covers every kind identify() knows."""
    assert set(KINDS.values()) <= set(STRATEGIES)


@pytest.mark.req("ORG-1", "ORG-2", "ORG-3", "ORG-4")
@ALL_KINDS
@given(data=st.data())
def test_parse_of_str_round_trips(kind: type[Identifier], data: st.DataObject) -> None:
    """Printing an identifier and parsing the text gives the same identifier."""
    value = data.draw(STRATEGIES[kind])
    assert (kind, value) == (type(value), kind.parse(str(value)))
    assert str(value) == str(kind.parse(str(value)))


@pytest.mark.req("ORG-1", "ORG-2", "ORG-3", "ORG-4")
@ALL_KINDS
@given(data=st.data())
def test_messy_spellings_parse_to_the_same_identifier(
    kind: type[Identifier], data: st.DataObject
) -> None:
    """Lower or mixed case and spaces anywhere (tabs, non-breaking) change nothing."""
    value, text = data.draw(messy_spellings(STRATEGIES[kind]))
    parsed = kind.parse(text)
    assert value == parsed
    assert hash(value) == hash(parsed)
    assert str(value) == str(parsed)


@pytest.mark.req("ORG-1", "ORG-2", "ORG-3", "ORG-4")
@IDENTIFIED_KINDS
@given(data=st.data())
def test_identify_recognises_each_value_as_its_own_kind(
    kind: type[Identifier], data: st.DataObject
) -> None:
    """identify() returns a valid value of any kind as that kind, however it is spelt."""
    value, text = data.draw(messy_spellings(STRATEGIES[kind]))
    found = identify(text)
    assert (kind, value) == (type(found), found)


@pytest.mark.req("ORG-1", "ORG-2", "ORG-3", "ORG-4")
@IDENTIFIED_KINDS
@given(data=st.data())
def test_kinds_do_not_overlap(kind: type[Identifier], data: st.DataObject) -> None:
    """A valid value of one kind is no valid value of any other kind identify() knows."""
    text = str(data.draw(STRATEGIES[kind]))
    assert [kind] == [other for other in KINDS.values() if other.is_valid(text)]


@ALL_KINDS
@given(data=st.data())
def test_order_follows_the_text(kind: type[Identifier], data: st.DataObject) -> None:
    """Identifiers of one kind sort as their normalised texts do."""
    values = data.draw(st.lists(STRATEGIES[kind], max_size=5))
    assert sorted(str(value) for value in values) == [str(value) for value in sorted(values)]


# Characters that make near-misses: digits, the letters codes use, separators,
# white space of several kinds, and non-ASCII look-alikes.
NEAR_MISS = st.text(alphabet="0123456789ABSXabsx -/\t\u00a0\u2013ßıſÄ٢\n", max_size=12)
ANY_TEXT = st.text(max_size=80)


@pytest.mark.req("ORG-1")
@given(text=st.one_of(NEAR_MISS, ANY_TEXT))
@example(text="")
@example(text="x" * 65)
@example(text="22ß")
def test_identify_raises_nothing_but_invalid_input(text: str) -> None:
    """Any text either is an identifier or gets InvalidInput; nothing else escapes."""
    try:
        found = identify(text)
    except InvalidInput:
        return
    assert type(found).is_valid(text)


@pytest.mark.req("ORG-1", "ORG-2", "ORG-3", "ORG-4")
@ALL_KINDS
@given(text=st.one_of(NEAR_MISS, ANY_TEXT))
def test_parse_raises_nothing_but_invalid_input(kind: type[Identifier], text: str) -> None:
    """Every kind's parse() refuses bad text with InvalidInput naming a field."""
    field = kind.kind
    try:
        kind.parse(text)
    except InvalidInput as error:
        field = error.field or ""
    assert kind.kind == field


def without_white_space(text: str) -> str:
    """Return *text* without any white space (our own reading, not the library's)."""
    return "".join(character for character in text if not character.isspace())


def looks_like_brin(text: str) -> bool:
    """Return whether *text* is 2 ASCII digits and 2 ASCII letters, spaces aside."""
    core = without_white_space(text)
    return (
        len(core) == 4
        and all(c in string.digits for c in core[:2])
        and all(c in string.ascii_letters for c in core[2:])
    )


def looks_like_location(text: str) -> bool:
    """Return whether *text* is a BRIN and 2 ASCII digits, spaces aside."""
    core = without_white_space(text)
    return (
        len(core) == 6 and looks_like_brin(core[:4]) and all(c in string.digits for c in core[4:])
    )


def looks_like_postcode(text: str) -> bool:
    """Return whether *text* is a Dutch postcode by the rule as published, spaces aside."""
    core = without_white_space(text)
    return (
        len(core) == 6
        and core[0] in "123456789"
        and all(c in string.digits for c in core[1:4])
        and all(c in string.ascii_letters for c in core[4:])
        and core[4:].upper() not in {"SA", "SD", "SS"}
    )


@pytest.mark.req("ORG-1", "ORG-3")
@pytest.mark.parametrize(
    ("kind", "rule"),
    [(Brin, looks_like_brin), (LocationCode, looks_like_location), (Postcode, looks_like_postcode)],
    ids=["brin", "location", "postcode"],
)
@given(text=NEAR_MISS)
@example(text="22ß")
@example(text="22ıs01")
@example(text="1234ſa")
def test_validity_follows_the_published_rule(
    kind: type[Identifier], rule: Callable[[str], bool], text: str
) -> None:
    """A text is valid exactly when the written rule says so (non-ASCII never passes)."""
    assert rule(text) == kind.is_valid(text)
