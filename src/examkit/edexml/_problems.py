"""The problems reading an EDEXML file can report, and the refusal of unsafe files."""

from __future__ import annotations

from typing import Any, Final, Literal, Self, TypeAlias

from examkit.errors import InvalidInput

__all__ = ["SEVERITIES", "EdexmlProblem", "EdexmlRefused", "Severity"]

Severity: TypeAlias = Literal["error", "warning"]
"""How bad a problem is: an ``"error"`` makes the file invalid, a ``"warning"`` does not."""

SEVERITIES: Final[tuple[Severity, ...]] = ("error", "warning")
"""Both severities, the worse first."""


class EdexmlProblem(InvalidInput):
    """A problem found in an EDEXML file: an error or a warning, with its line and element.

    ``field`` holds the element's path (``/EDEX/leerlingen/leerling[3]/jaargroep``),
    also readable as :attr:`element`; ``line`` the 1-based line of the file.

    >>> problem = EdexmlProblem(
    ...     "edexml.value.not_allowed", severity="error", field="/EDEX/groepen/groep",
    ...     line=15, value="100", name="<jaargroep>", allowed="0, 1, 2",
    ... )
    >>> problem.severity, problem.element, problem.line
    ('error', '/EDEX/groepen/groep', 15)
    >>> print(problem.message("en"))
    '100' is not an allowed value of <jaargroep>; allowed: 0, 1, 2.

    Implements EDX-1.
    """

    default_code = "edexml.problem"

    severity: Severity
    """``"error"`` (the file is invalid) or ``"warning"`` (it is not, but look)."""

    def __init__(
        self,
        code: str | None = None,
        /,
        *,
        severity: Severity = "error",
        field: str | None = None,
        line: int | None = None,
        **params: object,
    ) -> None:
        if severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, not {severity!r}")
        self.severity = severity
        super().__init__(code, field=field, line=line, **params)

    @property
    def element(self) -> str | None:
        """The path of the element at fault (the same as ``field``)."""
        return self.field

    @property
    def is_error(self) -> bool:
        """Whether this problem makes the file invalid."""
        return self.severity == "error"

    def with_location(self, *, field: str | None = None, line: int | None = None) -> Self:
        """Return a copy of this problem with *field* and/or *line* set."""
        return type(self)(
            self.code,
            severity=self.severity,
            field=field if field is not None else self.field,
            line=line if line is not None else self.line,
            **self.params,
        )

    def __reduce__(self) -> tuple[Any, ...]:
        state = (self.code, self.severity, self.field, self.line, dict(self.params))
        return (_rebuild_problem, (type(self), state))

    def __repr__(self) -> str:
        head, _, rest = super().__repr__().partition(", ")
        if not rest:
            return head[:-1] + f", severity={self.severity!r})"
        return f"{head}, severity={self.severity!r}, {rest}"


def _rebuild_problem(
    cls: type[EdexmlProblem],
    state: tuple[str, Severity, str | None, int | None, dict[str, Any]],
) -> EdexmlProblem:
    code, severity, field, line, params = state
    return cls(code, severity=severity, field=field, line=line, **params)


class EdexmlRefused(InvalidInput):
    """The file was refused unread: it is too large, too deep, or unsafe.

    The code names the limit (``edexml.refused.depth``) and ``params`` hold
    ``limit`` (the setting's name, ``max_depth``) and ``maximum``. Nothing of
    the file was kept.

    Implements EDX-1 and EDX-6.
    """

    default_code = "edexml.refused"

    @property
    def limit(self) -> str:
        """The name of the limit that refused the file (``max_bytes``, ``doctype``)."""
        return str(self.params.get("limit", ""))
