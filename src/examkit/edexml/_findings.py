"""What a pass over a file finds, before the version is chosen and lines are made exact."""

from __future__ import annotations

from typing import TypeAlias

import attrs

from examkit.edexml._problems import Severity
from examkit.edexml._version import Version

__all__ = ["ROOT", "Finding", "Where"]

Where: TypeAlias = tuple[tuple[str, int], ...]
"""An element's address: each step's name and its number among same-named siblings."""

ROOT: Where = (("EDEX", 1),)
"""The address of the document element."""


@attrs.define(slots=True)
class Finding:
    """A problem as a pass records it.

    *line* is libxml2's line (exact below 65,535); *versions* the versions
    the problem applies to (``None``: every version).
    """

    severity: Severity
    code: str
    params: dict[str, object]
    where: Where
    line: int | None
    versions: frozenset[Version] | None = None

    def applies_to(self, version: Version | None) -> bool:
        """Return whether this finding counts when the file is read as *version*."""
        return self.versions is None or version is None or version in self.versions

    def identity(self) -> tuple[object, ...]:
        """Return what makes two findings the same problem (for removing repeats)."""
        return (
            self.severity,
            self.code,
            self.where,
            self.line,
            tuple(sorted((key, repr(value)) for key, value in self.params.items())),
        )
