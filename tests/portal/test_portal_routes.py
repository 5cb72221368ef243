# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Every route of the portal declares who may reach it, as each area's test writes it out.

Each ``tests/portal/test_*.py`` module of an area writes out its routes'
access in a table ``ACCESS`` (``"public"``, ``"signed_in"`` or
``("allowed", (action, ...))``), by hand, not read from the app. Together
they must name every route of the router exactly once: a new route that no
test declares, or one that declares nothing, fails here.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
from starlette.routing import Route
from tests.portal.conftest import portal_config

from examkit import Examkit
from portal import create_app


def written_out() -> dict[tuple[str, str], Any]:
    """Every area test's ``ACCESS`` table, merged; a route in two tables fails."""
    merged: dict[tuple[str, str], Any] = {}
    for path in sorted(Path(__file__).parent.glob("test_*.py")):
        module = importlib.import_module(f"tests.portal.{path.stem}")
        for route, access in getattr(module, "ACCESS", {}).items():
            assert route not in merged, f"{route} is written out twice ({path.name})"
            merged[route] = access
    return merged


@pytest.mark.req("WEB-2")
def test_every_route_declares_who_may_reach_it_as_the_tests_write_it_out(kit: Examkit) -> None:
    declared = {
        (method, route.path): getattr(route.endpoint, "access", None)
        for route in create_app(kit, portal_config()).routes
        if isinstance(route, Route)
        for method in (route.methods or set()) - {"HEAD"}
    }
    assert written_out() == declared
