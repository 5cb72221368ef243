"""Lazy re-exports: a package names its public API in ``__all__`` but imports it on use.

A package ``__init__`` that re-exports from heavy private modules (numpy,
lxml, reportlab, tables checked at import) hands :func:`exports` the module
of each name; the returned pair becomes the package's ``__getattr__`` and
``__dir__`` (PEP 562). ``from examkit import Examkit`` and
``examkit.Examkit`` then import ``examkit._kit`` only when asked, and the
value is kept in the package's namespace so the next look-up is a plain one.
Type checkers read the same names from an ``if TYPE_CHECKING:`` block.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping


def exports(
    package: str, homes: Mapping[str, str]
) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """Return ``(__getattr__, __dir__)`` for *package*, which re-exports *homes* lazily.

    Args:
        package: The package's ``__name__``.
        homes: Each exported name -> the module that defines it.
    """
    table = dict(homes)

    def __getattr__(name: str) -> object:  # noqa: N807 - the PEP 562 hook
        home = table.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(home), name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:  # noqa: N807 - the PEP 562 hook
        return sorted(set(vars(sys.modules[package])) | set(table))

    return __getattr__, __dir__
