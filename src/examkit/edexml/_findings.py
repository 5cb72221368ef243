"""What a pass over a file finds, before the version is chosen and lines are made exact."""

from __future__ import annotations

import heapq
import sys
from collections.abc import Iterable
from typing import Final, TypeAlias

import attrs

from examkit.edexml._problems import Severity
from examkit.edexml._version import Version

__all__ = ["ROOT", "Finding", "Findings", "Where"]

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


class Findings:
    """The findings of one read, in bounded memory: the first *cap* kept per version, all counted.

    A finding counts for every version it applies to (and for "no version",
    when the file holds no element). Per version, the *cap* earliest
    findings in the file's order are kept (a heap evicts the latest); the
    rest are only counted, so a file with a million problems costs no more
    memory than one with *cap*. A finding the same as one kept is dropped.
    """

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self._slots: dict[frozenset[Version] | None, tuple[int, ...]] = {
            None: tuple(range(len(_SLOTS)))
        }
        self._heaps: list[list[tuple[tuple[int, bool, int], Finding]]] = [[] for _ in _SLOTS]
        self._kept: list[set[tuple[object, ...]]] = [set() for _ in _SLOTS]
        self._errors = [0] * len(_SLOTS)
        self._total = [0] * len(_SLOTS)
        self._seq = 0

    def slot(self, version: Version | None) -> int:
        """Return the number under which findings for *version* are kept."""
        return _SLOTS.index(version)

    def full_after(self, slot: int, line: int | None) -> bool:
        """Return whether a finding on *line* would be counted but not kept in *slot*."""
        heap = self._heaps[slot]
        return (
            len(heap) >= self.cap and -(line if line is not None else sys.maxsize) < heap[0][0][0]
        )

    def count(self, slot: int, *, error: bool) -> None:
        """Count a finding for *slot* that :meth:`full_after` says is not kept."""
        self._total[slot] += 1
        self._errors[slot] += error

    def append(self, finding: Finding) -> None:
        """Count *finding* for every version it applies to; keep it if among the first."""
        versions = finding.versions
        slots = self._slots.get(versions)
        if slots is None:
            slots = tuple(n for n, version in enumerate(_SLOTS) if finding.applies_to(version))
            self._slots[versions] = slots
        self._seq += 1
        line = finding.line if finding.line is not None else sys.maxsize
        error = finding.severity == "error"
        negated = (-line, error, -self._seq)
        identity: tuple[object, ...] | None = None
        for slot in slots:
            heap = self._heaps[slot]
            full = len(heap) >= self.cap
            if full and -line < heap[0][0][0]:  # after every kept one: cannot repeat one
                self._total[slot] += 1
                self._errors[slot] += error
                continue
            if identity is None:
                identity = finding.identity()
            kept = self._kept[slot]
            if identity in kept:
                continue
            self._total[slot] += 1
            self._errors[slot] += error
            if not full:
                heapq.heappush(heap, (negated, finding))
                kept.add(identity)
            elif negated > heap[0][0]:
                _, evicted = heapq.heapreplace(heap, (negated, finding))
                kept.discard(evicted.identity())
                kept.add(identity)

    def extend(self, findings: Iterable[Finding]) -> None:
        """Append every finding of *findings*."""
        for finding in findings:
            self.append(finding)

    def kept(self, version: Version | None) -> list[Finding]:
        """Return the findings kept for *version*, in the order they were found."""
        heap = self._heaps[_SLOTS.index(version)]
        return [finding for negated, finding in sorted(heap, key=lambda item: -item[0][2])]

    def errors(self, version: Version | None) -> int:
        """Return how many errors were counted for *version* (kept or not)."""
        return self._errors[_SLOTS.index(version)]

    def total(self, version: Version | None) -> int:
        """Return how many findings were counted for *version* (kept or not)."""
        return self._total[_SLOTS.index(version)]


_SLOTS: Final[tuple[Version | None, ...]] = (*Version, None)
