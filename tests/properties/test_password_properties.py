# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The facet preset accepts exactly what an independent reading of the seed accepts.

The oracle below is written from the seed's list (4.1.1 and 4.4) and the
issue's precisions, with :mod:`unicodedata` only; it shares no code or
table with examkit.
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from examkit.passwords import PRESETS

FACET = PRESETS["facet"]

# White space by the Unicode database: the separators, and the control
# characters Unicode gives the White_Space property.
_CONTROL_SPACES = frozenset("\t\n\v\f\r\x1c\x1d\x1e\x1f\x85")


def _is_space(char: str) -> bool:
    return unicodedata.category(char) in {"Zs", "Zl", "Zp"} or char in _CONTROL_SPACES


def _is_letter(char: str) -> bool:
    # A letter, or a combining mark that belongs to one.
    return unicodedata.category(char)[0] in {"L", "M"}


def facet_oracle(password: str) -> set[str]:
    """Return the codes of the seed's rules *password* breaks (history aside)."""
    if len(password) > 128:
        return {"passwords.max_length"}
    text = unicodedata.normalize("NFKC", password)
    if len(text) > 128:
        return {"passwords.max_length"}
    broken: set[str] = set()
    letters = sum(1 for char in text if _is_letter(char))
    if len(text) < 8:
        broken.add("passwords.min_length")
    if letters < 1:
        broken.add("passwords.letters")
    if len(text) - letters < 2:
        broken.add("passwords.non_letters")
    if any(_is_space(char) for char in text):
        broken.add("passwords.whitespace")
    if any(text[i] == text[i + 1] == text[i + 2] for i in range(len(text) - 2)):
        broken.add("passwords.repeats")
    return broken


# Characters that sit on the rules' edges: letters with and without accents
# (composed, decomposed, the ĳ ligature), digits (ASCII, full-width,
# Arabic-Indic), symbols, every kind of white space, a character NFKC expands.
EDGES = (
    "aAbz9_0-!é\u0133ß\u03a9字"
    "e\u0301\u0308"
    "１２ａＡ\u0662"
    " \t\u00a0\u2003\u3000\n\r\u2028\x0b"
    "\ufdfa\u00bd\u2167"
)
passwords = st.one_of(
    st.text(alphabet=EDGES, max_size=14),
    st.text(max_size=14),
    st.text(alphabet=EDGES, min_size=120, max_size=136),
    st.builds(
        lambda run, rest: run + rest,
        st.sampled_from(["aa", "aaa", "11", "111", "ee\u0301", "é\u00e9e\u0301"]),
        st.text(alphabet=EDGES, max_size=8),
    ),
)


@pytest.mark.req("AUTH-1")
@given(password=passwords)
@example(password="abcde12")  # 7 characters
@example(password="abcdef12")  # 8 characters
@example(password="aa1bb2cc")  # "aa" is fine
@example(password="aaa1bb2c")  # "aaa" is not
@example(password="abc\tdef12")  # a tab
@example(password="abc\u00a0def12")  # a non-breaking space
@example(password="caf\u00e9-12x")  # é composed
@example(password="cafe\u0301-12x")  # é decomposed
@example(password="abcdef１２")  # full-width digits
@example(password="ee\u0301\u0301-1")  # e + é decomposed, then a stray accent
@example(password="a" * 128)
@example(password="a" * 129)
def test_facet_accepts_exactly_what_the_oracle_accepts(password: str) -> None:
    """The facet preset's failing codes are exactly the oracle's, for any text."""
    assert facet_oracle(password) == set(FACET.check(password).codes)


@pytest.mark.req("AUTH-1")
@given(password=st.text(alphabet=EDGES, max_size=16))
def test_normalisation_makes_composed_and_decomposed_the_same(password: str) -> None:
    """NFC, NFD and NFKC forms of a password get the same verdict and normalised text."""
    verdicts = {
        (FACET.check(form).codes, FACET.check(form).normalised)
        for form in (
            unicodedata.normalize("NFC", password),
            unicodedata.normalize("NFD", password),
            unicodedata.normalize("NFKD", password),
        )
    }
    assert 1 == len(verdicts)
