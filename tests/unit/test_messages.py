# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The message catalogue: every text in Dutch and English, filled in by code."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from examkit._catalogue import FRAGMENTS
from examkit.messages import (
    CATALOGUE,
    DEFAULT_LANG,
    LANGUAGES,
    Text,
    parse_lang,
    placeholders,
    text,
)

# Our own reading of a template, independent of examkit.messages: a placeholder
# is a name in single braces; doubled braces are literal braces.
PLACEHOLDER = re.compile(r"(?<!\{)\{([a-z_][a-z0-9_]*)\}(?!\})")


def names_in(template: str) -> set[str]:
    """Return the placeholder names used in *template*."""
    return set(PLACEHOLDER.findall(template))


def is_dotted_lower_case(code: str) -> bool:
    """Return whether *code* is at least two dot-separated lower-case names."""
    parts = code.split(".")
    return len(parts) >= 2 and all(
        part and part == part.lower() and part.replace("_", "a").isalnum() and part.isascii()
        for part in parts
    )


CODES = sorted(CATALOGUE)


def test_the_catalogue_is_not_empty() -> None:
    """The catalogue holds the messages of every area."""
    areas = {code.split(".")[0] for code in CATALOGUE}
    assert {"input", "org", "accounts", "storage", "demo"} <= areas


def test_the_catalogue_is_the_union_of_its_fragments_without_duplicates() -> None:
    """Every code is declared in exactly one fragment, and nothing else is in the catalogue."""
    declared = Counter(code for _, messages in FRAGMENTS for code in messages)
    assert [] == [code for code, count in declared.items() if count > 1]
    assert set(declared) == set(CATALOGUE)


def test_the_catalogue_is_sorted_by_code() -> None:
    """The catalogue lists its codes in order."""
    assert sorted(CATALOGUE) == list(CATALOGUE)


@pytest.mark.parametrize("code", CODES)
def test_every_code_is_dotted_lower_case(code: str) -> None:
    """A code looks like ``org.brin.invalid``."""
    assert is_dotted_lower_case(code)


@pytest.mark.parametrize("code", CODES)
def test_every_message_has_both_languages_and_the_same_placeholders(code: str) -> None:
    """Dutch and English are both written and use the same placeholders."""
    entry = CATALOGUE[code]
    assert entry.nl.strip()
    assert entry.en.strip()
    assert names_in(entry.nl) == names_in(entry.en)


@pytest.mark.parametrize("code", CODES)
def test_every_brace_is_a_placeholder(code: str) -> None:
    """A template has no stray braces: each ``{`` opens a placeholder."""
    for template in (CATALOGUE[code].nl, CATALOGUE[code].en):
        assert template.count("{") == template.count("}") == len(PLACEHOLDER.findall(template))


def test_the_languages() -> None:
    """examkit speaks Dutch (the default) and English."""
    assert (("nl", "en"), "nl") == (LANGUAGES, DEFAULT_LANG)


def test_text_fills_in_parameters() -> None:
    """text() returns the message of a code with its parameters filled in."""
    assert "'2AB' is not a BRIN code: a BRIN code is 2 digits followed by 2 letters (22AB)." == (
        text("org.brin.invalid", "en", value="2AB")
    )
    assert "Locatie 22AB01 bestaat niet." == text("org.location.not_found", location="22AB01")


def test_text_is_dutch_by_default() -> None:
    """Without a language, text() is Dutch."""
    assert "Dit veld is verplicht." == text("input.required")


def test_text_leaves_a_missing_parameter_visible() -> None:
    """A parameter not given stays visible as its placeholder rather than failing."""
    assert "Locatie {location} bestaat niet." == text("org.location.not_found", "nl", other="x")


def test_text_of_an_unknown_code_is_a_key_error() -> None:
    """An unknown code is a programming error."""
    with pytest.raises(KeyError):
        text("no.such.code")


def test_text_entry_picks_a_language() -> None:
    """A catalogue entry returns its text in the language asked."""
    entry = Text(nl="Hallo", en="Hello")
    assert ("Hallo", "Hello") == (entry.in_lang("nl"), entry.in_lang("en"))


@pytest.mark.parametrize(
    ("value", "expected"), [("nl", "nl"), ("EN", "en"), (" en ", "en"), ("Nl", "nl")]
)
def test_parse_lang_accepts_supported_languages(value: str, expected: str) -> None:
    """parse_lang() ignores case and spaces."""
    assert expected == parse_lang(value)


@pytest.mark.parametrize("value", ["de", "", "nl-BE", "english"])
def test_parse_lang_refuses_other_languages(value: str) -> None:
    """Any other language is a ValueError naming the choices."""
    with pytest.raises(ValueError, match="nl, en"):
        parse_lang(value)


def test_placeholders_lists_the_names() -> None:
    """placeholders() names each placeholder once."""
    assert frozenset({"a", "b"}) == placeholders("{a} and {b} and {a}")


def test_no_message_uses_an_errors_location_as_a_placeholder() -> None:
    """``field`` and ``line`` are an error's location, so no message may need them as params."""
    import string

    for code, entry in CATALOGUE.items():
        for template in (entry.nl, entry.en):
            names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
            assert not names & {"field", "line"}, code


@pytest.mark.req("PLAT-1")
def test_a_fragment_is_checked_as_it_is_loaded() -> None:
    """A fragment's code outside its declared areas, or declared twice, is refused on loading."""
    from examkit.messages import _checked

    pair = ("Tekst.", "Text.")
    assert ["org.x"] == list(_checked("org", ("org",), {"org.x": pair}, {}))
    with pytest.raises(AssertionError, match="does not start with org"):
        _checked("org", ("org",), {"orgs.x": pair}, {})
    with pytest.raises(AssertionError, match="declared twice"):
        _checked("org", ("org",), {"org.x": pair}, {"org.x": Text(*pair)})
    with pytest.raises(AssertionError, match="other placeholders"):
        _checked("org", ("org",), {"org.x": ("{a}", "{b}")}, {})


@pytest.mark.req("PLAT-1")
def test_an_unknown_code_is_not_in_the_catalogue() -> None:
    """Looking up a code of no area, or not a text, finds nothing and loads nothing wrong."""
    assert "nowhere.at.all" not in CATALOGUE
    number: object = 12
    assert number not in CATALOGUE
    with pytest.raises(KeyError):
        CATALOGUE["org.no_such_message"]
