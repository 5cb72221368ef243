"""The identity constraints of every EDEXML version (keys, unique values, references), by path.

The grammar (:mod:`examkit.edexml._grammar`) declares them per version; the
builder (:mod:`examkit.edexml._builder`) checks them per record. This module
merges the versions' declarations once, at import, into one table by the
path each constraint selects, and answers which checks apply to a record,
its children and its grandchildren.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, Literal, TypeAlias

import attrs

from examkit.edexml._grammar import GRAMMARS
from examkit.edexml._version import Version

__all__ = ["CHECKS", "KEY_NAMES", "REFERENCE_CODES", "Check", "Plan", "checks_below"]

REFERENCE_CODES: Final = {
    "groepsKey": "edexml.reference.group",
    "samengesteldegroepsKey": "edexml.reference.combination_group",
    "vestigingsKey": "edexml.reference.site",
}
"""The finding's code for a reference to each key that is not there."""


@attrs.frozen
class Check:
    """One key, unique value or reference, as every version that has it declares it."""

    name: str
    """The constraint's name in the schema."""
    kind: Literal["key", "unique", "keyref"]
    """Which of the three it is."""
    field: str
    """The child or attribute whose value it holds."""
    refer: str | None
    """The key a reference points at (``None`` for a key or unique value)."""
    versions: frozenset[Version]
    """The versions that declare it."""

    @property
    def code(self) -> str:
        """The finding's code when a value breaks it."""
        if self.refer is not None:
            return REFERENCE_CODES[self.refer]
        return "edexml.eckid.duplicate" if self.field == "eckid" else "edexml.key.duplicate"


def _checks() -> dict[tuple[str, ...], tuple[Check, ...]]:
    """Return every version's keys and references, merged, by selected path below EDEX."""
    found: dict[tuple[tuple[str, ...], str], tuple[str, str, str | None, set[Version]]] = {}
    for version, grammar in GRAMMARS.items():
        selected: list[tuple[tuple[str, ...], str, str, str, str | None]] = [
            (path, key.name, key.kind, key.field, None)
            for key in grammar.keys
            for path in key.selectors
        ]
        selected += [
            (ref.selector, ref.name, "keyref", ref.field, ref.refer) for ref in grammar.keyrefs
        ]
        for path, name, kind, field, refer in selected:
            known = found.setdefault((path, name), (kind, field, refer, set()))
            if known[:3] != (kind, field, refer):
                raise AssertionError(f"constraint {name} differs between versions")
            known[3].add(version)
    by_path: dict[tuple[str, ...], list[Check]] = {}
    for (path, name), (kind, field, refer, versions) in found.items():
        check = Check(name, kind, field, refer, frozenset(versions))  # type: ignore[arg-type]
        if refer is not None and refer not in REFERENCE_CODES:
            raise AssertionError(f"no message for references to {refer}")
        by_path.setdefault(path, []).append(check)
    return {path: tuple(checks) for path, checks in by_path.items()}


CHECKS: Final = _checks()
"""Every version's keys and references, merged, by the path they select below EDEX."""
Plan: TypeAlias = tuple[tuple[str, "dict[str, int] | None", "dict[str, int] | None", Check], ...]
"""Checks with their key sets bound in: field, keys it adds to, keys it refers to, check."""
KEY_NAMES: Final = tuple(
    sorted({check.name for checks in CHECKS.values() for check in checks if check.refer is None})
)
"""The names of every key and unique constraint, sorted."""


def checks_below(
    record: tuple[str, ...],
) -> tuple[
    tuple[Check, ...],
    Mapping[str, tuple[Check, ...]],
    Mapping[str, Mapping[str, tuple[Check, ...]]],
]:
    """Return the checks on a record, on its children and on its grandchildren, by name."""
    own = CHECKS.get(record, ())
    children: dict[str, tuple[Check, ...]] = {}
    grandchildren: dict[str, dict[str, tuple[Check, ...]]] = {}
    for path, checks in CHECKS.items():
        if path[: len(record)] != record or len(path) == len(record):
            continue
        rest = path[len(record) :]
        if len(rest) == 1:
            children[rest[0]] = checks
        elif len(rest) == 2:
            grandchildren.setdefault(rest[0], {})[rest[1]] = checks
        else:
            raise AssertionError(f"constraint path {path} is too deep for the builder")
    return own, children, grandchildren
