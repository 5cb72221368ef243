"""The pytest plugin of examkit's test kit: the ``req`` marker and ``--req``.

Installed with examkit (entry point ``pytest11``), so third parties running
our kit under ``--strict-markers`` have the marker registered. Tag a test
with the requirement IDs it proves::

    @pytest.mark.req("AUTH-6")
    def test_three_failures_block_the_account(): ...

``pytest --req AUTH-6`` runs only the tests of AUTH-6 (the option may be
repeated). Where the ini setting ``examkit_requirements`` names the
project's requirements list (a Markdown file whose requirement lines start
with ``- ID``), an ID that is not on it is an error at collection.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

__all__ = ["REQUIREMENT_ID", "read_requirement_ids", "requirement_ids_of"]

REQUIREMENT_ID = re.compile(r"[A-Z]{2,6}-[0-9]{1,3}")
"""The shape of a requirement ID (``AUTH-6``)."""

_LISTED = re.compile(r"^\s*[-*]\s+\**`?([A-Z]{2,6}-[0-9]{1,3})\b", re.MULTILINE)


def read_requirement_ids(path: Path) -> frozenset[str]:
    """Return the requirement IDs listed in the Markdown file at *path*."""
    return frozenset(_LISTED.findall(path.read_text(encoding="utf-8")))


def requirement_ids_of(item: pytest.Item) -> tuple[str, ...]:
    """Return the requirement IDs a collected test is tagged with."""
    ids: list[str] = []
    for marker in item.iter_markers("req"):
        ids.extend(str(arg) for arg in marker.args)
    return tuple(dict.fromkeys(ids))


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("examkit")
    group.addoption(
        "--req",
        action="append",
        default=[],
        metavar="ID",
        help="run only the tests tagged with requirement ID (repeatable)",
    )
    parser.addini(
        "examkit_requirements",
        "path (from the rootdir) of the Markdown requirements list that req markers must use",
        default="",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "req(*ids): the requirement IDs (AUTH-6, ...) this test proves"
    )


def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    known: frozenset[str] | None = None
    setting = str(config.getini("examkit_requirements") or "")
    if setting:
        path = Path(str(config.rootpath)) / setting
        if not path.is_file():
            raise pytest.UsageError(f"examkit_requirements: {path} does not exist")
        known = read_requirement_ids(path)
    problems: list[str] = []
    for item in items:
        for requirement in requirement_ids_of(item):
            if not REQUIREMENT_ID.fullmatch(requirement):
                problems.append(f"{item.nodeid}: {requirement!r} is not a requirement ID")
            elif known is not None and requirement not in known:
                problems.append(f"{item.nodeid}: unknown requirement {requirement}")
    if problems:
        raise pytest.UsageError("req markers:\n" + "\n".join(problems))
    wanted = {value.strip().upper() for value in config.getoption("req") or []}
    if not wanted:
        return
    selected: list[pytest.Item] = []
    deselected: list[pytest.Item] = []
    for item in items:
        (selected if wanted & set(requirement_ids_of(item)) else deselected).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
    items[:] = selected
