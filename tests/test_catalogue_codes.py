# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Every message code the source uses exists in the catalogue."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import examkit
from examkit.errors import ExamkitError, ExamkitErrorGroup
from examkit.messages import CATALOGUE

SOURCE = Path(examkit.__file__).parent

# Calls whose first positional argument is a message code.
FIRST_ARGUMENT_IS_A_CODE = frozenset(
    {
        "ExamkitError",
        "InvalidInput",
        "NotFound",
        "AlreadyExists",
        "NotPermitted",
        "InvalidState",
        "LimitReached",
        "ConcurrentModification",
        "ConfigurationError",
        "StorageError",
        "text",
        "GroupMessage",
        "say",  # the demo's helper around text(); some of its branches need a missing extra
        "EdexmlProblem",
        "EdexmlRefused",
        "_error",  # the EDEXML validator's helpers
        "_warning",
    }
)
# Calls whose second positional argument is a message code (the first is the problems,
# or the severity of an EDEXML finding).
SECOND_ARGUMENT_IS_A_CODE = frozenset({"ExamkitErrorGroup", "Finding", "_add"})


def called_name(call: ast.Call) -> str | None:
    """Return the name a call is made through (``InvalidInput`` or ``errors.InvalidInput``)."""
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def literals(node: ast.expr) -> Iterator[str]:
    """Yield the string literals *node* can evaluate to (both branches of ``a if c else b``)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.IfExp):
        yield from literals(node.body)
        yield from literals(node.orelse)


def used_codes() -> list[tuple[str, int, str]]:
    """Return (file, line, code) for every code literal passed to an error or text()."""
    found: list[tuple[str, int, str]] = []
    for path in sorted(SOURCE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = called_name(node)
            if name in FIRST_ARGUMENT_IS_A_CODE:
                position = 0
            elif name in SECOND_ARGUMENT_IS_A_CODE:
                position = 1
            else:
                continue
            if len(node.args) > position:
                relative = str(path.relative_to(SOURCE.parent))
                found.extend(
                    (relative, node.lineno, code) for code in literals(node.args[position])
                )
    return found


USED = used_codes()


def test_the_scan_finds_codes() -> None:
    """The scan sees the codes we know are used, so an empty scan cannot pass."""
    codes = {code for _, _, code in USED}
    assert {"org.brin.invalid", "org.location.length", "input.required"} <= codes
    assert len(codes) >= 30


def test_every_code_used_exists() -> None:
    """Each code literal passed to an error class or text() is in the catalogue."""
    assert [] == [f"{path}:{line}: {code}" for path, line, code in USED if code not in CATALOGUE]


def all_error_classes() -> list[type[ExamkitError]]:
    """Return ExamkitError and every subclass defined anywhere in examkit."""
    for info in pkgutil.walk_packages(examkit.__path__, "examkit."):
        if info.name.endswith(".__main__"):  # importing it would run the command
            continue
        try:
            importlib.import_module(info.name)
        except ModuleNotFoundError as missing:
            # a package of an extra that is not installed (make test-lowest installs the
            # sql extra only; examkit.federation.oidc needs the oidc extra's Authlib)
            if (missing.name or "examkit").partition(".")[0] == "examkit":
                raise
    seen: list[type[ExamkitError]] = []
    pending: list[type[ExamkitError]] = [ExamkitError]
    while pending:
        cls = pending.pop()
        if cls not in seen and cls.__module__.startswith("examkit"):
            seen.append(cls)
            pending.extend(cls.__subclasses__())
    return sorted(seen, key=lambda cls: cls.__qualname__)


@pytest.mark.parametrize(
    "cls", all_error_classes(), ids=lambda cls: f"{cls.__module__}.{cls.__qualname__}"
)
def test_every_default_code_exists(cls: type[ExamkitError]) -> None:
    """Each error class's default code is in the catalogue."""
    assert cls.default_code in CATALOGUE


def test_the_group_is_among_the_error_classes() -> None:
    """The class walk reaches the error group, nested under InvalidInput."""
    assert ExamkitErrorGroup in all_error_classes()
