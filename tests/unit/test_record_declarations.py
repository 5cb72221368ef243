# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Records declared once (issue 20): the declarations, and a new record on the memory backend."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from examkit.records import RECORDS, RecordsUnit, UnitOfWork

pytestmark = pytest.mark.req("PLAT-2")

SRC = Path(__file__).resolve().parents[2] / "src" / "examkit"
DOMAIN = (
    "accounts",
    "applications",
    "auth",
    "correction",
    "documents",
    "edexml",
    "imports",
    "org",
    "roles",
    "scoring",
    "sessions",
)


def test_every_repository_of_the_port_is_declared_once() -> None:
    """The unit of work's repositories are the port's, each from one declaration."""
    port = {
        name
        for name, value in vars(UnitOfWork).items()
        if isinstance(value, property) and name not in {"counters", "tokens", "audit", "readonly"}
    }
    declared = {name for name, value in vars(RecordsUnit).items() if hasattr(value, "record")}
    assert port == declared
    names = [record.name for record in RECORDS]
    assert len(names) == len(set(names))


def test_the_storage_port_imports_no_domain_package() -> None:
    """No module of examkit.storage imports a domain package, not even for types."""
    found = []
    for path in sorted((SRC / "storage").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                parts = node.module.split(".")
                if len(parts) > 1 and parts[0] == "examkit" and parts[1] in DOMAIN:
                    found.append(f"{path.name}: {node.module}")
    assert [] == found
