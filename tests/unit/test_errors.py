# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The error tree: codes, messages in two languages, locations, groups and pickling."""

from __future__ import annotations

import builtins
import pickle
import re

import pytest

import examkit
from examkit import errors
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
    ServiceUnavailable,
    StorageError,
    problem_dict,
)

# Written out here, not derived from the code: the builtin each error must also be.
BUILTIN_OF: dict[type[ExamkitError], tuple[type[BaseException], ...]] = {
    InvalidInput: (ValueError,),
    NotFound: (LookupError,),
    AlreadyExists: (ValueError,),
    NotPermitted: (PermissionError,),
    InvalidState: (RuntimeError,),
    LimitReached: (RuntimeError,),
    ConcurrentModification: (RuntimeError,),
    ConfigurationError: (RuntimeError,),
    StorageError: (RuntimeError,),
    ServiceUnavailable: (RuntimeError,),
    ExamkitErrorGroup: (ExceptionGroup, InvalidInput, ValueError),
}

SINGLE_ERRORS = [cls for cls in BUILTIN_OF if cls is not ExamkitErrorGroup]


def exported_error_classes() -> set[type[ExamkitError]]:
    """Return every error class errors.py exports."""
    found = (getattr(errors, name) for name in errors.__all__)
    return {obj for obj in found if isinstance(obj, type) and issubclass(obj, ExamkitError)}


def test_every_exported_error_is_in_the_table() -> None:
    """The table above covers every error class, so a new one needs a builtin decided."""
    assert exported_error_classes() - {ExamkitError} == set(BUILTIN_OF)


@pytest.mark.parametrize("cls", list(BUILTIN_OF), ids=lambda cls: cls.__name__)
def test_every_error_is_an_examkit_error_and_its_builtin(cls: type[ExamkitError]) -> None:
    """Each error is an ExamkitError and the builtin a caller would catch anyway."""
    assert issubclass(cls, ExamkitError)
    assert all(issubclass(cls, builtin) for builtin in BUILTIN_OF[cls])


def test_the_tree_drawn_in_the_docstring_matches_the_classes() -> None:
    """Every ``+-- Name (Builtin)`` line of errors.py's drawing is true of the class."""
    assert errors.__doc__ is not None
    drawn = [
        (match.start(), match.group(1), match.group(2))
        for line in errors.__doc__.splitlines()
        if (match := re.search(r"\+-- (\w+)(?: \((\w+)\))?", line))
    ]
    assert {cls.__name__ for cls in exported_error_classes()} == {name for _, name, _ in drawn}
    parents: list[tuple[int, type[BaseException]]] = [(-1, Exception)]
    for column, name, builtin in drawn:
        cls = getattr(errors, name)
        while parents[-1][0] >= column:
            parents.pop()
        assert issubclass(cls, parents[-1][1]), name
        if builtin:
            assert issubclass(cls, getattr(builtins, builtin)), name
        parents.append((column, cls))


def test_examkit_error_is_the_top_level_base() -> None:
    """``examkit.ExamkitError`` is the same class as ``examkit.errors.ExamkitError``."""
    assert examkit.ExamkitError is ExamkitError


def test_error_carries_code_params_field_and_line() -> None:
    """An error keeps its code, parameters, field and line."""
    error = InvalidInput("org.brin.invalid", field="brin", line=4, value="2AB")
    assert ("org.brin.invalid", {"value": "2AB"}, "brin", 4) == (
        error.code,
        dict(error.params),
        error.field,
        error.line,
    )


def test_error_message_in_dutch_and_english() -> None:
    """message() is Dutch by default and English on request."""
    error = InvalidInput("org.brin.invalid", value="2AB")
    assert (
        "'2AB' is geen BRIN-code: een BRIN-code bestaat uit 2 cijfers en 2 letters (22AB)."
        == error.message()
        == error.message("nl")
    )
    assert (
        "'2AB' is not a BRIN code: a BRIN code is 2 digits followed by 2 letters (22AB)."
        == error.message("en")
    )


def test_str_is_english() -> None:
    """str() of an error is its English message, located."""
    assert "This field is required." == str(InvalidInput("input.required"))
    assert "name: This field is required." == str(InvalidInput("input.required", field="name"))


@pytest.mark.parametrize("cls", SINGLE_ERRORS, ids=lambda cls: cls.__name__)
def test_every_error_has_a_default_code(cls: type[ExamkitError]) -> None:
    """Without a code an error uses its class's default code, with a message in both languages."""
    error = cls()
    assert cls.default_code == error.code
    assert error.message("nl")
    assert error.message("en")


def test_unknown_code_is_a_programming_error() -> None:
    """A code missing from the catalogue raises LookupError at once."""
    with pytest.raises(LookupError, match=r"no\.such\.code"):
        InvalidInput("no.such.code")


@pytest.mark.parametrize(
    ("field", "line", "nl", "en"),
    [
        (
            "name",
            3,
            "regel 3, name: Dit veld is verplicht.",
            "line 3, name: This field is required.",
        ),
        ("name", None, "name: Dit veld is verplicht.", "name: This field is required."),
        (None, 7, "regel 7: Dit veld is verplicht.", "line 7: This field is required."),
        (None, None, "Dit veld is verplicht.", "This field is required."),
    ],
)
def test_located_prefixes_line_and_field(
    field: str | None, line: int | None, nl: str, en: str
) -> None:
    """located() puts the line and field, where known, before the message."""
    error = InvalidInput("input.required", field=field, line=line)
    assert (nl, en) == (error.located(), error.located("en"))


def test_with_location_returns_a_located_copy() -> None:
    """with_location() returns a new error of the same class; the original is unchanged."""
    original = NotFound("storage.not_found", kind="Instelling", key="22AB")
    moved = original.with_location(field="brin", line=2)
    assert (NotFound, "storage.not_found", {"kind": "Instelling", "key": "22AB"}, "brin", 2) == (
        type(moved),
        moved.code,
        dict(moved.params),
        moved.field,
        moved.line,
    )
    assert (None, None) == (original.field, original.line)


def test_with_location_keeps_what_is_not_given() -> None:
    """Setting only the line keeps the field, and the other way round."""
    error = InvalidInput("input.required", field="name", line=1)
    assert ("name", 5) == (error.with_location(line=5).field, error.with_location(line=5).line)
    assert ("town", 1) == (
        error.with_location(field="town").field,
        error.with_location(field="town").line,
    )


@pytest.mark.parametrize("cls", SINGLE_ERRORS, ids=lambda cls: cls.__name__)
def test_errors_survive_pickling(cls: type[ExamkitError]) -> None:
    """An error pickles and unpickles with its class, code, parameters and location."""
    error = cls("org.brin.invalid", field="brin", line=9, value="2AB")
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own data
    assert (cls, error.code, dict(error.params), "brin", 9, str(error)) == (
        type(copy),
        copy.code,
        dict(copy.params),
        copy.field,
        copy.line,
        str(copy),
    )


def test_repr_shows_code_location_and_params() -> None:
    """repr() is enough to see what went wrong."""
    assert "InvalidInput('org.brin.invalid', field='brin', value='2AB')" == repr(
        InvalidInput("org.brin.invalid", field="brin", value="2AB")
    )


def test_problem_dict_is_the_wire_form() -> None:
    """problem_dict() gives code and message, plus line and field where known."""
    assert {"code": "input.required", "message": "Dit veld is verplicht."} == problem_dict(
        InvalidInput("input.required")
    )
    assert {
        "code": "input.required",
        "message": "This field is required.",
        "line": 2,
        "field": "name",
    } == problem_dict(InvalidInput("input.required", field="name", line=2), "en")


# --- groups ---------------------------------------------------------------------


def make_group() -> ExamkitErrorGroup:
    """Return a group of two problems, one of them a nested group."""
    return ExamkitErrorGroup(
        [
            InvalidInput("input.required", field="name"),
            ExamkitErrorGroup(
                [
                    InvalidInput("input.required", field="town"),
                    NotFound("org.location.not_found", location="22AB01"),
                ]
            ),
        ]
    )


def test_group_is_an_exception_group_and_invalid_input() -> None:
    """A group is an ExceptionGroup, an InvalidInput and so a ValueError."""
    group = make_group()
    assert isinstance(group, ExceptionGroup)
    assert isinstance(group, InvalidInput)
    assert isinstance(group, ValueError)


def test_group_counts_its_problems_in_its_message() -> None:
    """The group's own message says how many problems it holds, in both languages."""
    group = make_group()
    assert ("input.problems", 2) == (group.code, group.params["count"])
    assert "De invoer bevat 2 probleem/problemen." == group.message()
    assert "The input has 2 problem(s)." == group.message("en")


def test_group_message_is_also_the_exception_groups_text() -> None:
    """As an ExceptionGroup's ``message`` the group's message is its English text."""
    message = make_group().message
    assert (True, "The input has 2 problem(s).") == (isinstance(message, str), str(message))
    with pytest.raises(ExamkitErrorGroup, match=r"^The input has 2 problem\(s\)\.$"):
        raise make_group()


def test_group_problems_are_flattened_in_order() -> None:
    """problems expands nested groups, keeping the order found."""
    assert [
        ("input.required", "name"),
        ("input.required", "town"),
        ("org.location.not_found", None),
    ] == [(problem.code, problem.field) for problem in make_group().problems]


def test_group_str_lists_every_problem() -> None:
    """str() of a group is its message and one line per problem, in English."""
    assert (
        "The input has 2 problem(s).\n"
        "- name: This field is required.\n"
        "- town: This field is required.\n"
        "- Location 22AB01 does not exist."
    ) == str(make_group())


def test_group_needs_a_problem() -> None:
    """An empty group is refused."""
    with pytest.raises(ValueError, match="at least one problem"):
        ExamkitErrorGroup([])


def test_except_star_splits_a_group_by_class() -> None:
    """``except*`` picks the problems of one class out of a group, keeping the group class."""
    caught: list[BaseExceptionGroup[ExamkitError]] = []
    rest: list[BaseExceptionGroup[ExamkitError]] = []
    try:
        raise make_group()
    except* NotFound as found:
        caught.append(found)
    except* InvalidInput as invalid:
        rest.append(invalid)
    assert [ExamkitErrorGroup, ExamkitErrorGroup] == [type(group) for group in caught + rest]
    assert [["org.location.not_found"]] == [codes(group) for group in caught]
    assert [["input.required", "input.required"]] == [codes(group) for group in rest]


def codes(group: BaseExceptionGroup[ExamkitError]) -> list[str]:
    """Return the codes of every problem of an error group."""
    assert isinstance(group, ExamkitErrorGroup)
    return [problem.code for problem in group.problems]


def test_except_value_error_catches_a_group() -> None:
    """Callers that know nothing of groups still catch one as ValueError."""
    with pytest.raises(ValueError, match="2 problem"):
        raise make_group()


def test_derive_keeps_class_code_and_location() -> None:
    """derive() makes a group of the same class, code and location with a new count."""
    group = ExamkitErrorGroup(
        [InvalidInput("input.required"), InvalidInput("input.invalid")],
        "org.id.ambiguous_problem",
        field="value",
        line=3,
        value="123AB",
    )
    derived = group.derive([InvalidInput("input.invalid")])
    assert (ExamkitErrorGroup, "org.id.ambiguous_problem", "value", 3, 1, "123AB") == (
        type(derived),
        derived.code,
        derived.field,
        derived.line,
        derived.params["count"],
        derived.params["value"],
    )


def test_group_with_location_keeps_its_problems() -> None:
    """with_location() on a group sets its location and keeps what it holds."""
    moved = make_group().with_location(line=12)
    assert (ExamkitErrorGroup, 12, 3) == (type(moved), moved.line, len(moved.problems))


def test_group_survives_pickling() -> None:
    """A pickled group comes back with its problems, nested groups included."""
    group = ExamkitErrorGroup(
        [InvalidInput("input.required", field="name"), make_group()], field="file", line=1
    )
    copy = pickle.loads(pickle.dumps(group))  # noqa: S301 - our own data
    assert (ExamkitErrorGroup, group.code, "file", 1, str(group)) == (
        type(copy),
        copy.code,
        copy.field,
        copy.line,
        str(copy),
    )
    assert [(type(p), p.code, p.field) for p in group.problems] == [
        (type(p), p.code, p.field) for p in copy.problems
    ]


def test_problem_dict_of_a_group_is_its_summary() -> None:
    """problem_dict() of a group describes the group itself."""
    assert {"code": "input.problems", "message": "The input has 2 problem(s)."} == problem_dict(
        make_group(), "en"
    )
