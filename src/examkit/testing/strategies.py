"""Hypothesis strategies for examkit's values (needs the ``testing`` extra).

Every strategy draws *valid* values, so a property test states what must
hold for all of them (except :func:`json_ish_values` and
:func:`typed_login_names`, which draw what an attacker or a careless client
may send, valid or not)::

    from hypothesis import given
    from examkit.identifiers import LocationCode
    from examkit.testing.strategies import location_codes, messy_spellings

    @given(messy_spellings(location_codes()))
    def test_messy_spellings_parse(pair):
        code, text = pair
        assert LocationCode.parse(text) == code

Every strategy takes no required arguments; some narrow what they draw
(``location_codes(brin, main=False)``, ``institutions(flemish=True)``).
"""

from __future__ import annotations

import string
from datetime import UTC
from decimal import Decimal
from typing import Any, TypeVar

from hypothesis import strategies as st

from examkit.accounts import LoginName
from examkit.correction import ExchangedItem, ExchangedResult
from examkit.identifiers import (
    BelgianPostcode,
    Brin,
    Identifier,
    Instellingsnummer,
    LocationCode,
    OnderwijslocatieCode,
    Postcode,
    SchoolYear,
)
from examkit.org import Address, CompetentAuthority, Institution, Location
from examkit.storage import MAX_JSON_DEPTH, MAX_JSON_NUMBER

__all__ = [
    "addresses",
    "belgian_postcodes",
    "brins",
    "competent_authorities",
    "exchanged_results",
    "instellingsnummers",
    "institutions",
    "json_ish_values",
    "location_codes",
    "login_names",
    "messy_spellings",
    "onderwijslocatiecodes",
    "postcodes",
    "school_years",
    "stored_json_values",
    "typed_login_names",
]

IdentifierT = TypeVar("IdentifierT", bound=Identifier)

_DIGITS = st.sampled_from(string.digits)
_LETTERS = st.sampled_from(string.ascii_uppercase)
_NONZERO = st.sampled_from("123456789")
_WHITE_SPACE = st.sampled_from([" ", "\u00a0", "\t", "\u202f"])
_RESERVED_POSTCODE_LETTERS = frozenset({"SA", "SD", "SS"})

# Letters of Dutch and Flemish names, including some accented ones.
_NAME_LETTERS = string.ascii_letters + "éëïöüèáóúçÉËÏÖÜ"


def _joined(*parts: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(*parts).map("".join)


def brins() -> st.SearchStrategy[Brin]:
    """Draw BRIN codes: 2 digits and 2 letters (``22AB``).

    Implements ORG-1.
    """
    return _joined(_DIGITS, _DIGITS, _LETTERS, _LETTERS).map(Brin)


def location_codes(
    brin: Brin | None = None, *, main: bool | None = None
) -> st.SearchStrategy[LocationCode]:
    """Draw location codes (BRIN6): a BRIN and a 2-digit sequence number.

    Args:
        brin: Draw only locations of this institution (any BRIN by default).
        main: ``True`` for main locations only (``00``), ``False`` for
            secondary locations only (``01`` to ``99``), ``None`` for both.

    Implements ORG-1.
    """
    brin_strategy = st.just(brin) if brin is not None else brins()
    low = 1 if main is False else 0
    high = 0 if main is True else 99
    return st.builds(
        lambda code, number: code.location(number),
        brin_strategy,
        st.integers(min_value=low, max_value=high),
    )


def onderwijslocatiecodes() -> st.SearchStrategy[OnderwijslocatieCode]:
    """Draw onderwijslocatiecodes: 3 digits, ``X``, 3 digits (``123X456``).

    Implements ORG-1.
    """
    return _joined(_DIGITS, _DIGITS, _DIGITS, st.just("X"), _DIGITS, _DIGITS, _DIGITS).map(
        OnderwijslocatieCode
    )


def instellingsnummers() -> st.SearchStrategy[Instellingsnummer]:
    """Draw Flemish instellingsnummers: 2 to 6 digits, leading zeros included.

    Implements ORG-2.
    """
    return st.text(alphabet=string.digits, min_size=2, max_size=6).map(Instellingsnummer)


def postcodes() -> st.SearchStrategy[Postcode]:
    """Draw Dutch postcodes: 4 digits not starting with 0, 2 letters other than SA/SD/SS.

    Implements ORG-3.
    """
    letters = _joined(_LETTERS, _LETTERS).filter(
        lambda pair: pair not in _RESERVED_POSTCODE_LETTERS
    )
    return _joined(_NONZERO, _DIGITS, _DIGITS, _DIGITS, letters).map(Postcode)


def belgian_postcodes() -> st.SearchStrategy[BelgianPostcode]:
    """Draw Belgian postcodes: 1000 to 9999."""
    return st.integers(min_value=1000, max_value=9999).map(
        lambda number: BelgianPostcode(str(number))
    )


def school_years(
    min_first_year: int = 1900, max_first_year: int = 9998
) -> st.SearchStrategy[SchoolYear]:
    """Draw school years (``2020-2021``) starting between the two years given.

    Implements ORG-4.
    """
    return st.integers(min_value=min_first_year, max_value=max_first_year).map(SchoolYear.starting)


@st.composite
def _messy(draw: st.DrawFn, text: str) -> str:
    def spaces(max_size: int) -> str:
        return "".join(draw(st.lists(_WHITE_SPACE, max_size=max_size)))

    pieces = [spaces(3)]
    for index, character in enumerate(text):
        if index:
            pieces.append(spaces(2))
        pieces.append(character.lower() if draw(st.booleans()) else character)
    pieces.append(spaces(3))
    return "".join(pieces)


def messy_spellings(
    strategy: st.SearchStrategy[IdentifierT],
) -> st.SearchStrategy[tuple[IdentifierT, str]]:
    r"""Draw pairs of a valid identifier and a messy way a person might type it.

    The text is the identifier's normalised form with letters in lower or
    mixed case, and spaces, non-breaking spaces and tabs around and between
    its characters: ``(LocationCode('22AB01'), "\t2 2a\u00a0B01 ")``. It is
    never longer than an identifier may be, so it must parse back to the
    identifier.

    Args:
        strategy: Draws the identifiers (``location_codes()``, ...).

    Implements ORG-1 (normalising case and spaces).
    """
    return strategy.flatmap(lambda value: st.tuples(st.just(value), _messy(str(value))))


def _words(max_words: int, max_word_size: int = 12) -> st.SearchStrategy[str]:
    word = st.text(alphabet=_NAME_LETTERS, min_size=1, max_size=max_word_size)
    return st.lists(word, min_size=1, max_size=max_words).map(" ".join)


def _house_numbers() -> st.SearchStrategy[str]:
    number = st.integers(min_value=1, max_value=999).map(str)
    addition = st.sampled_from(["", "a", "b", "-1", " bis", "-3"])
    return st.tuples(number, addition).map("".join)


def addresses(*, flemish: bool = False) -> st.SearchStrategy[Address]:
    """Draw addresses: a Dutch postcode, or a Belgian one when *flemish*.

    Implements ORG-3.
    """
    return st.builds(
        Address,
        street=_words(4),
        house_number=_house_numbers(),
        postcode=belgian_postcodes() if flemish else postcodes(),
        town=_words(3),
    )


def _email_addresses() -> st.SearchStrategy[str]:
    label = st.text(alphabet=string.ascii_lowercase + string.digits, min_size=1, max_size=12)
    local = st.lists(label, min_size=1, max_size=3).map(".".join)
    domain = st.lists(label, min_size=1, max_size=2).map(".".join)
    tld = st.sampled_from(["nl", "be", "org", "eu"])
    return st.builds(lambda user, host, top: f"{user}@{host}.{top}", local, domain, tld)


def _initials() -> st.SearchStrategy[str]:
    return st.lists(_LETTERS, min_size=1, max_size=3).map(lambda letters: ".".join(letters) + ".")


def competent_authorities() -> st.SearchStrategy[CompetentAuthority]:
    """Draw competent authorities (*bevoegd gezag*): name, function and e-mail address.

    Implements ORG-5.
    """
    return st.builds(
        CompetentAuthority,
        name=st.builds(lambda initials, last: f"{initials} {last}", _initials(), _words(3)),
        function=st.sampled_from(
            [
                "voorzitter college van bestuur",
                "directeur",
                "rector",
                "algemeen directeur",
                "directeur-bestuurder",
            ]
        ),
        email=_email_addresses(),
    )


def _secondary_locations(brin: Brin) -> st.SearchStrategy[tuple[Location, ...]]:
    location = st.builds(
        Location,
        code=location_codes(brin, main=False),
        name=_words(5),
        address=addresses(),
        onderwijslocatiecode=st.none() | onderwijslocatiecodes(),
    )
    return st.lists(location, max_size=3, unique_by=lambda loc: loc.code).map(tuple)


@st.composite
def _dutch_institutions(draw: st.DrawFn) -> Institution:
    brin = draw(brins())
    return Institution(
        code=brin,
        name=draw(_words(5)),
        address=draw(addresses()),
        competent_authority=draw(st.none() | competent_authorities()),
        onderwijslocatiecode=draw(st.none() | onderwijslocatiecodes()),
        secondary_locations=draw(_secondary_locations(brin)),
    )


def _flemish_institutions() -> st.SearchStrategy[Institution]:
    return st.builds(
        Institution,
        code=instellingsnummers(),
        name=_words(5),
        address=addresses(flemish=True),
        competent_authority=st.none() | competent_authorities(),
    )


def institutions(*, flemish: bool | None = None) -> st.SearchStrategy[Institution]:
    """Draw institutions: Dutch ones with 0 to 3 secondary locations, or Flemish ones.

    A Dutch institution has a BRIN, a Dutch address and secondary locations
    of its own BRIN (never ``00``, never twice); a Flemish one has an
    instellingsnummer, a Belgian address and no BRIN locations.

    Args:
        flemish: ``True`` for Flemish schools only, ``False`` for Dutch
            institutions only, ``None`` for both.

    Implements ORG-1, ORG-2, ORG-3 and ORG-5.
    """
    if flemish is True:
        return _flemish_institutions()
    if flemish is False:
        return _dutch_institutions()
    return _dutch_institutions() | _flemish_institutions()


def login_names() -> st.SearchStrategy[LoginName]:
    """Draw login names: 8 to 20 letters, digits and dots (``22AB.K.Beheerder``).

    Implements ACC-2.
    """
    return st.text(
        alphabet=string.ascii_letters + string.digits + ".", min_size=8, max_size=20
    ).map(LoginName)


_XML_NAMES = st.builds(
    lambda head, tail: head + tail, st.sampled_from("akoz"), st.text(alphabet="ab19-_.", max_size=8)
)
_SCORES = st.fractions(min_value=0, max_value=100, max_denominator=12)
_JSON: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers(-1000, 1000) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)
_COMMENTS = st.text(
    st.characters(
        codec="utf-8",
        exclude_categories=["Cs", "Cc"],
        exclude_characters="\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
    ),
    max_size=30,
).map(lambda text: " ".join(text.split()))


@st.composite
def exchanged_results(draw: st.DrawFn) -> ExchangedResult:
    """Draw one candidate's result for QTI exchange: any JSON responses, fractional scores.

    Comments are drawn with their white space normalised, as QTI values carry them, and
    without the characters no text field takes (controls, bidirectional controls).

    Implements SCO-4.
    """
    identifiers = draw(st.lists(_XML_NAMES, unique=True, max_size=6))
    responses = st.none() | st.dictionaries(
        st.sampled_from(["chosen", "text"]), _JSON, min_size=1, max_size=1
    )
    items = [
        ExchangedItem(
            identifier=name,
            response=draw(responses),
            score=draw(_SCORES),
            max_score=draw(_SCORES),
            comment=draw(_COMMENTS),
        )
        for name in identifiers
    ]
    return ExchangedResult(
        candidate="c-" + draw(_XML_NAMES),
        group="g-" + draw(_XML_NAMES),
        exam=draw(st.sampled_from(["EN-HA-2026", "NE-GL-2026", "WI-VW-2027"])),
        datestamp=draw(st.datetimes(timezones=st.just(UTC))),
        total=draw(_SCORES),
        maximum=draw(_SCORES),
        grade=Decimal(draw(st.integers(10, 100))) / 10,
        items=items,
    )


def _storable_text(max_size: int = 12) -> st.SearchStrategy[str]:
    return st.text(
        st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=max_size
    )


def _nested(value: Any, depth: int) -> Any:
    for _ in range(depth):
        value = [value]
    return value


def stored_json_values(max_leaves: int = 12) -> st.SearchStrategy[Any]:
    """Draw JSON values as :func:`~examkit.storage.json_value` returns them: kept by all.

    ``None``, booleans, integers and finite floats within ±MAX_JSON_NUMBER
    (no ``-0.0``), text without lone surrogates or NUL, lists and dicts,
    and lists nested up to the depth limit.
    """
    leaves = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-MAX_JSON_NUMBER, MAX_JSON_NUMBER),
        st.floats(-float(MAX_JSON_NUMBER), float(MAX_JSON_NUMBER)).map(lambda x: x + 0.0),
        _storable_text(),
    )
    trees = st.recursive(
        leaves,
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(_storable_text(8), children, max_size=4)
        ),
        max_leaves=max_leaves,
    )
    deep = st.builds(_nested, leaves, st.integers(MAX_JSON_DEPTH - 2, MAX_JSON_DEPTH))
    return st.one_of(trees, deep)


def json_ish_values(max_leaves: int = 12) -> st.SearchStrategy[Any]:
    r"""Draw what a client may send as a response, storable or not (not only valid values).

    NaN and infinities, integers of any size, ``-0.0``, text with lone
    surrogates (as ``json.loads`` makes of ``"\ud800"``) and NUL, tuples,
    sets, bytes, non-text dict keys, and nesting around the depth limit.
    """
    any_text = st.text(st.characters(exclude_categories=[]), max_size=8)
    leaves = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.sampled_from([-0.0, float(MAX_JSON_NUMBER), 2.0**53, 1e16, 1e300, 5e-324]),
        any_text,
        st.binary(max_size=4),
    )
    trees = st.recursive(
        leaves,
        lambda children: (
            st.lists(children, max_size=3)
            | st.lists(children, max_size=3).map(tuple)
            | st.frozensets(st.integers(), max_size=2)
            | st.dictionaries(any_text | st.integers(), children, max_size=3)
        ),
        max_leaves=max_leaves,
    )
    deep = st.builds(_nested, leaves, st.integers(MAX_JSON_DEPTH - 1, MAX_JSON_DEPTH + 2))
    return st.one_of(trees, deep)


def typed_login_names() -> st.SearchStrategy[Any]:
    """Draw what a candidate may type as a login name, valid or not.

    Real-looking names in any case and with spaces, any text (lone
    surrogates and NUL included), very long text, and non-text (``None``).
    """
    alphabet = "ACDEFGHJKMNPQRTUVWXY34679"
    names = st.text(st.sampled_from(alphabet), min_size=4, max_size=20)
    return st.one_of(
        names,
        names.map(lambda name: f"  {name.lower()} "),
        st.text(st.characters(exclude_categories=[]), max_size=30),
        st.integers(250, 300).map(lambda n: "A" * n),
        st.sampled_from(["KAND\x000001", "\x00", "", "ＫＡＮＤ０００１"]),
        st.none(),
    )
