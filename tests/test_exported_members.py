# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Every public module's ``__all__`` is sorted, complete, importable and documented."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from types import ModuleType

import pytest

import examkit

# Public modules that must at least be found, so a broken discovery cannot pass silently.
EXPECTED = {
    "examkit",
    "examkit.errors",
    "examkit.messages",
    "examkit.identifiers",
    "examkit.org",
    "examkit.accounts",
    "examkit.passwords",
    "examkit.roles",
    "examkit.scheduling",
    "examkit.auth",
    "examkit.ports",
    "examkit.audit",
    "examkit.storage",
    "examkit.backends.memory",
    "examkit.testing",
    "examkit.testing.strategies",
    "examkit.converter",
    "examkit.clocks",
    "examkit.randomness",
    "examkit.cli",
    "examkit.edexml",
    "examkit.imports",
    "examkit.applications",
    "examkit.documents",
    "examkit.testing.documents",
    "examkit.correction",
}

# Hook functions pytest finds by name; they are public but not part of the API.
PYTEST_HOOK = re.compile(r"pytest_\w+")


def public_module_names() -> list[str]:
    """Return examkit and every submodule none of whose name parts starts with ``_``."""
    found = ["examkit"]
    for info in pkgutil.walk_packages(examkit.__path__, "examkit.", onerror=_raise):
        if not any(part.startswith("_") for part in info.name.split(".")):
            found.append(info.name)
    return sorted(found)


def _raise(name: str) -> None:
    raise ImportError(f"cannot import {name} while looking for public modules")


MODULES = public_module_names()


def declared_all(module: ModuleType) -> list[str]:
    """Return the module's ``__all__`` (failing when it has none)."""
    names = getattr(module, "__all__", None)
    assert names is not None, f"{module.__name__} has no __all__"
    return list(names)


def isort_key(name: str) -> tuple[int, str]:
    """Order names as ruff's RUF022 does: CONSTANTS, then Classes, then the rest."""
    if len(name) > 1 and name.upper() == name and any(c.isalpha() for c in name):
        group = 0
    elif name[:1].isupper():
        group = 1
    else:
        group = 2
    return group, name


def defined_in(value: object, package: str) -> bool:
    """Return whether *value* is a class or function defined in *package* or below."""
    if not (inspect.isclass(value) or inspect.isfunction(value)):
        return False
    home = getattr(value, "__module__", "") or ""
    return home == package or home.startswith(package + ".")


def test_discovery_finds_the_public_modules() -> None:
    """Every public module we know of is found by the walk."""
    assert EXPECTED <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_all_is_sorted(name: str) -> None:
    """``__all__`` lists constants, then classes, then functions, each alphabetically."""
    names = declared_all(importlib.import_module(name))
    assert sorted(names, key=isort_key) == names


@pytest.mark.parametrize("name", MODULES)
def test_all_has_no_duplicates_and_every_name_exists(name: str) -> None:
    """Every name in ``__all__`` appears once and can be imported."""
    module = importlib.import_module(name)
    names = declared_all(module)
    assert len(set(names)) == len(names)
    assert [] == [exported for exported in names if not hasattr(module, exported)]


@pytest.mark.parametrize("name", MODULES)
def test_every_public_name_of_the_package_is_exported(name: str) -> None:
    """A public class or function defined in the package is listed in ``__all__``."""
    module = importlib.import_module(name)
    names = set(declared_all(module))
    missing = [
        attribute
        for attribute, value in vars(module).items()
        if not attribute.startswith("_")
        and not PYTEST_HOOK.fullmatch(attribute)
        and defined_in(value, name)
        and attribute not in names
    ]
    assert [] == missing


@pytest.mark.parametrize("name", MODULES)
def test_every_exported_class_and_function_has_a_docstring(name: str) -> None:
    """Everything exported that can carry a docstring has one of its own."""
    module = importlib.import_module(name)
    assert module.__doc__, f"{name} has no module docstring"
    undocumented = [
        exported
        for exported in declared_all(module)
        if (inspect.isclass(value := getattr(module, exported)) or inspect.isfunction(value))
        and not (value.__doc__ or "").strip()
    ]
    assert [] == undocumented
