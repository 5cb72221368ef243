# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Properties of values: converter round trips, model invariants and error pickling."""

from __future__ import annotations

import json
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from examkit.accounts import LoginName
from examkit.converter import structure, unstructure
from examkit.errors import (
    AlreadyExists,
    ConcurrentModification,
    ConfigurationError,
    ExamkitError,
    ExamkitErrorGroup,
    InvalidInput,
    InvalidState,
    LimitReached,
    NotFound,
    NotPermitted,
    StorageError,
)
from examkit.identifiers import Brin, Instellingsnummer
from examkit.messages import CATALOGUE, placeholders
from examkit.org import Address, CompetentAuthority, Institution
from examkit.testing.strategies import (
    addresses,
    competent_authorities,
    institutions,
    login_names,
)


@pytest.mark.req("ORG-1", "ORG-2", "ORG-3", "ORG-5")
@given(institution=institutions())
def test_institution_round_trips_through_the_converter(institution: Institution) -> None:
    """unstructure -> JSON text -> structure gives the same institution."""
    data = json.loads(json.dumps(unstructure(institution)))
    assert institution == structure(data, Institution)


@pytest.mark.req("ORG-1", "ORG-3")
@given(institution=institutions(flemish=False))
def test_dutch_institutions_keep_their_location_invariants(institution: Institution) -> None:
    """Every drawn Dutch institution has its main location first and no duplicates."""
    assert isinstance(institution.code, Brin)
    codes = [location.code for location in institution.locations]
    assert codes[0] == institution.code.main_location
    assert len(set(codes)) == len(codes)
    assert all(code.brin == institution.code for code in codes)


@pytest.mark.req("ORG-2")
@given(institution=institutions(flemish=True))
def test_flemish_institutions_have_no_locations(institution: Institution) -> None:
    """Every drawn Flemish school has an instellingsnummer and no BRIN locations."""
    assert isinstance(institution.code, Instellingsnummer)
    assert () == institution.locations


@pytest.mark.req("ORG-3", "ORG-5")
@given(value=st.one_of(addresses(), addresses(flemish=True), competent_authorities()))
def test_parts_of_an_institution_round_trip(value: Address | CompetentAuthority) -> None:
    """Addresses and competent authorities round trip on their own too."""
    assert value == structure(unstructure(value), type(value))


@pytest.mark.req("ACC-2")
@given(name=login_names())
def test_login_names_round_trip(name: LoginName) -> None:
    """A login name parses back from its text, its lower case and its upper case."""
    assert (
        name == LoginName(str(name)) == LoginName(str(name).lower()) == LoginName(str(name).upper())
    )
    assert name == structure(unstructure(name), LoginName)


SINGLE_ERRORS: list[type[ExamkitError]] = [
    InvalidInput,
    NotFound,
    AlreadyExists,
    NotPermitted,
    InvalidState,
    LimitReached,
    ConcurrentModification,
    ConfigurationError,
    StorageError,
]


@st.composite
def errors(draw: st.DrawFn) -> ExamkitError:
    """Draw an error of any class with any catalogue code and text parameters."""
    cls = draw(st.sampled_from(SINGLE_ERRORS))
    code = draw(st.sampled_from(sorted(CATALOGUE)))
    names = sorted(placeholders(CATALOGUE[code].en))
    params = {name: draw(st.text(max_size=10)) for name in names}
    field = draw(st.none() | st.text(min_size=1, max_size=10))
    line = draw(st.none() | st.integers(min_value=1, max_value=10**6))
    return cls(code, field=field, line=line, **params)


def described(error: ExamkitError) -> tuple[object, ...]:
    """Return everything that identifies *error*."""
    return (type(error), error.code, dict(error.params), error.field, error.line, str(error))


@given(error=errors())
def test_errors_survive_pickling(error: ExamkitError) -> None:
    """Any error pickles and unpickles to the same class, code, parameters and location."""
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own data
    assert described(error) == described(copy)
    assert (error.message("nl"), error.message("en")) == (copy.message("nl"), copy.message("en"))


@given(problems=st.lists(errors(), min_size=1, max_size=4), line=st.none() | st.integers(1, 99))
def test_error_groups_survive_pickling(problems: list[ExamkitError], line: int | None) -> None:
    """A group, nested in another, pickles with every problem in order."""
    group = ExamkitErrorGroup([ExamkitErrorGroup(problems), problems[0]], line=line)
    copy = pickle.loads(pickle.dumps(group))  # noqa: S301 - our own data
    assert described(group) == described(copy)
    assert [described(problem) for problem in group.problems] == [
        described(problem) for problem in copy.problems
    ]
