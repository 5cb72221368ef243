"""The error tree: every failure examkit reports, with a stable code.

Every error carries a stable dotted ``code`` (``org.brin.invalid``), the
``params`` its message needs, and where it applies the ``field`` and the
``line`` of the input at fault. :meth:`ExamkitError.message` renders it in
Dutch (the default) or English from the one message catalogue
(:mod:`examkit.messages`); ``str()`` is English. Each error also derives from
the builtin a caller would catch anyway, so ``except ValueError`` still
works. An error never leaves anything half-written: "changes nothing" is part
of every error's contract.

The tree::

    Exception
     +-- ExamkitError                      code, params, field, line, message(lang)
          +-- InvalidInput (ValueError)     a value, field or file line is unusable
          |    +-- ExamkitErrorGroup (ExceptionGroup)
          |                                 several problems found at once
          +-- NotFound (LookupError)        the thing asked for does not exist
          +-- AlreadyExists (ValueError)    a uniqueness rule would be broken
          +-- NotPermitted (PermissionError)
          |                                 the actor may not do this
          +-- InvalidState (RuntimeError)   not allowed in the current state
          +-- LimitReached (RuntimeError)   a security limit is reached (lockout)
          +-- ConcurrentModification (RuntimeError)
          |                                 written by someone else meanwhile
          +-- ConfigurationError (RuntimeError)
          |                                 examkit was wired up wrongly
          +-- StorageError (RuntimeError)   the backend failed (driver error translated)
          +-- ServiceUnavailable (RuntimeError)
                                            an outside service (mail) cannot be reached

A domain package may refine a class for its own needs: the EDEXML reader's
``EdexmlProblem`` (an error or a warning in a file) and ``EdexmlRefused`` (a
file refused unread) are both :class:`InvalidInput`.

>>> error = InvalidInput("org.brin.invalid", field="brin", value="2AB")
>>> error.code, error.field
('org.brin.invalid', 'brin')
>>> print(error.message("nl"))
'2AB' is geen BRIN-code: een BRIN-code bestaat uit 2 cijfers en 2 letters (22AB).
>>> isinstance(error, ValueError)
True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, ClassVar, Self, cast

from examkit.messages import CATALOGUE, DEFAULT_LANG, Lang, text

__all__ = [
    "AlreadyExists",
    "ConcurrentModification",
    "ConfigurationError",
    "ExamkitError",
    "ExamkitErrorGroup",
    "GroupMessage",
    "InvalidInput",
    "InvalidState",
    "LimitReached",
    "NotFound",
    "NotPermitted",
    "ServiceUnavailable",
    "StorageError",
    "problem_dict",
]


class ExamkitError(Exception):
    """The base of every error examkit raises.

    Args:
        code: The stable dotted message code; it must exist in the catalogue.
        field: The name of the input field at fault, if any.
        line: The 1-based line of the input file at fault, if any.
        **params: The values the message's placeholders need.

    Raises:
        LookupError: *code* is not in the catalogue (a programming error).
    """

    default_code: ClassVar[str] = "input.invalid"
    """The code used when none is given."""

    code: str
    """The stable dotted code of the message."""
    params: Mapping[str, object]
    """The values the message's placeholders need."""
    field: str | None
    """The input field at fault, if any."""
    line: int | None
    """The 1-based line of the input file at fault, if any."""

    def __init__(
        self,
        code: str | None = None,
        /,
        *,
        field: str | None = None,
        line: int | None = None,
        **params: object,
    ) -> None:
        resolved = code if code is not None else self.default_code
        if resolved not in CATALOGUE:
            raise LookupError(f"unknown message code {resolved!r}: add it to the catalogue")
        self.code = resolved
        self.params = MappingProxyType(dict(params))
        self.field = field
        self.line = line
        super().__init__(self.message("en"))

    def message(self, lang: Lang = DEFAULT_LANG) -> str:
        """Return the message in *lang* (Dutch by default)."""
        return text(self.code, lang, **self.params)

    def located(self, lang: Lang = DEFAULT_LANG) -> str:
        """Return the message prefixed with its line and field, where known.

        >>> InvalidInput("input.required", field="name", line=3).located("en")
        'line 3, name: This field is required.'
        """
        where = []
        if self.line is not None:
            where.append(f"{'line' if lang == 'en' else 'regel'} {self.line}")
        if self.field is not None:
            where.append(self.field)
        prefix = ", ".join(where)
        return f"{prefix}: {self.message(lang)}" if prefix else self.message(lang)

    def with_location(self, *, field: str | None = None, line: int | None = None) -> Self:
        """Return a copy of this error with *field* and/or *line* set."""
        return type(self)._rebuild(
            self.code,
            field if field is not None else self.field,
            line if line is not None else self.line,
            dict(self.params),
        )

    @classmethod
    def _rebuild(
        cls, code: str, field: str | None, line: int | None, params: dict[str, Any]
    ) -> Self:
        return cls(code, field=field, line=line, **params)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self)._rebuild, (self.code, self.field, self.line, dict(self.params)))

    def __str__(self) -> str:
        return self.located("en")

    def __repr__(self) -> str:
        extra = "".join(
            f", {name}={value!r}"
            for name, value in (("field", self.field), ("line", self.line))
            if value is not None
        )
        params = "".join(f", {key}={value!r}" for key, value in self.params.items())
        return f"{type(self).__name__}({self.code!r}{extra}{params})"


class InvalidInput(ExamkitError, ValueError):
    """A value, field or line of a file is unusable; nothing was changed."""

    default_code = "input.invalid"


class NotFound(ExamkitError, LookupError):
    """The thing asked for does not exist (a lookup never returns ``None``)."""

    default_code = "storage.not_found"


class AlreadyExists(ExamkitError, ValueError):
    """Storing this would break a uniqueness rule; nothing was stored."""

    default_code = "storage.already_exists"


class NotPermitted(ExamkitError, PermissionError):
    """The actor may not do this; nothing was changed."""

    default_code = "permission.denied"


class InvalidState(ExamkitError, RuntimeError):
    """The action is not allowed in the current state; nothing was changed."""

    default_code = "state.not_allowed"


class LimitReached(ExamkitError, RuntimeError):
    """A security limit is reached (too many attempts); try again later."""

    default_code = "storage.limit_reached"


class ConcurrentModification(ExamkitError, RuntimeError):
    """Someone else changed the thing since it was read; nothing was written."""

    default_code = "storage.concurrent_modification"


class ConfigurationError(ExamkitError, RuntimeError):
    """Examkit was wired up wrongly (a missing key, an unusable setting)."""

    default_code = "config.invalid"


class StorageError(ExamkitError, RuntimeError):
    """The storage backend failed; the unit of work was rolled back."""

    default_code = "storage.failed"


class ServiceUnavailable(ExamkitError, RuntimeError):
    """An outside service (the mail server) could not be reached or refused; try again later."""

    default_code = "service.unavailable"


class GroupMessage(str):
    """The message of an :class:`ExamkitErrorGroup`: its English text, callable like a method.

    >>> message = GroupMessage("input.problems", {"count": 2})
    >>> message, message("nl")
    ('The input has 2 problem(s).', 'De invoer bevat 2 probleem/problemen.')
    """

    code: str
    """The message's code."""
    params: Mapping[str, object]
    """The values its placeholders need."""

    def __new__(cls, code: str, params: Mapping[str, object]) -> Self:
        """Make the message of *code* with *params*."""
        message = super().__new__(cls, text(code, "en", **params))
        message.code = code
        message.params = MappingProxyType(dict(params))
        return message

    def __reduce__(self) -> tuple[Any, ...]:
        return (GroupMessage, (self.code, dict(self.params)))

    def __call__(self, lang: Lang = DEFAULT_LANG) -> str:
        """Return the message in *lang* (Dutch by default)."""
        return text(self.code, lang, **self.params)


class ExamkitErrorGroup(ExceptionGroup[ExamkitError], InvalidInput):
    """Several problems found at once, in the order found.

    A validation that can find several problems (a password against all its
    rules, every line of a file) raises this group rather than the first
    problem. It is an :class:`ExceptionGroup` (``except*`` works) and an
    :class:`InvalidInput` (``except ValueError`` works).

    >>> group = ExamkitErrorGroup([
    ...     InvalidInput("input.required", field="name"),
    ...     InvalidInput("input.required", field="town"),
    ... ])
    >>> [problem.field for problem in group.exceptions]
    ['name', 'town']
    >>> print(group.message("en"))
    The input has 2 problem(s).
    """

    default_code = "input.problems"

    def __new__(
        cls,
        problems: Sequence[ExamkitError],
        code: str | None = None,
        /,
        **_: object,
    ) -> Self:
        """Create the group holding *problems* (at least one)."""
        if not problems:
            raise ValueError("an error group needs at least one problem")
        return super().__new__(cls, "examkit problems", list(problems))

    def __init__(
        self,
        problems: Sequence[ExamkitError],
        code: str | None = None,
        /,
        *,
        field: str | None = None,
        line: int | None = None,
        **params: object,
    ) -> None:
        params.setdefault("count", len(problems))
        InvalidInput.__init__(self, code, field=field, line=line, **params)

    @property
    def message(self) -> GroupMessage:
        """The group's message: ``message(lang)`` as for every error, and a text itself.

        :class:`ExceptionGroup` comes first in the method resolution order and
        its ``message`` is a text that tools read (``pytest.raises(match=...)``),
        so here ``message`` is the English text, also callable with a language.
        """
        return GroupMessage(self.code, self.params)

    @property
    def problems(self) -> tuple[ExamkitError, ...]:
        """Every problem, flattened (nested groups are expanded), in order."""
        return tuple(_flatten(self.exceptions))

    def derive(self, excs: Sequence[ExamkitError]) -> ExamkitErrorGroup:  # type: ignore[override]
        """Return a group of the same kind holding *excs* (used by ``except*``)."""
        return ExamkitErrorGroup(
            list(excs),
            self.code,
            field=self.field,
            line=self.line,
            **dict(self.params, count=len(excs)),
        )

    def with_location(self, *, field: str | None = None, line: int | None = None) -> Self:
        """Return a copy of this group with *field* and/or *line* set (the problems kept)."""
        return type(self)(
            cast("list[ExamkitError]", list(self.exceptions)),
            self.code,
            field=field if field is not None else self.field,
            line=line if line is not None else self.line,
            **self.params,
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            _rebuild_group,
            (list(self.exceptions), self.code, self.field, self.line, dict(self.params)),
        )

    def __str__(self) -> str:
        lines = [self.located("en")]
        lines.extend(f"- {problem.located('en')}" for problem in self.problems)
        return "\n".join(lines)


def _rebuild_group(
    problems: list[ExamkitError],
    code: str,
    field: str | None,
    line: int | None,
    params: dict[str, Any],
) -> ExamkitErrorGroup:
    return ExamkitErrorGroup(problems, code, field=field, line=line, **params)


def _flatten(
    errors: Iterable[ExamkitError | BaseExceptionGroup[ExamkitError]],
) -> Iterable[ExamkitError]:
    for error in errors:
        if isinstance(error, BaseExceptionGroup):
            yield from _flatten(error.exceptions)
        else:
            yield error


def problem_dict(error: ExamkitError, lang: Lang = DEFAULT_LANG) -> dict[str, object]:
    """Return *error* as the JSON object the CLI and the HTTP wire use.

    >>> problem_dict(InvalidInput("input.required", field="name", line=2), "en")
    {'code': 'input.required', 'message': 'This field is required.', 'line': 2, 'field': 'name'}
    """
    result: dict[str, object] = {"code": error.code, "message": error.message(lang)}
    if error.line is not None:
        result["line"] = error.line
    if error.field is not None:
        result["field"] = error.field
    return result
