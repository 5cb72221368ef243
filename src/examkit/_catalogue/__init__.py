"""Fragments of the one message catalogue, one module per area.

Each fragment module defines ``MESSAGES``: a mapping of a dotted code to a
pair ``(Dutch, English)``. :data:`AREAS` names every fragment with the first
parts of the codes it declares; :mod:`examkit.messages` loads and checks a
fragment the first time a code of its area is looked up, so a program (or a
command) that needs the identifiers' messages never loads the demo's. A
later area adds its own fragment module here and one entry to :data:`AREAS`.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import TYPE_CHECKING

AREAS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("core", ("audit", "config", "input", "permission", "state")),
    ("org", ("org",)),
    ("accounts", ("accounts",)),
    ("passwords", ("passwords",)),
    ("auth", ("auth",)),
    ("storage", ("sql", "storage")),
    ("scoring", ("scoring",)),
    ("roles", ("roles",)),
    ("applications", ("applications",)),
    ("edexml", ("edexml",)),
    ("sessions", ("sessions",)),
    ("correction", ("correction",)),
    ("imports", ("imports",)),
    ("cli", ("cli",)),
    ("demo", ("demo",)),
    ("demo_applications", ("demo",)),
    ("documents", ("documents",)),
    ("service", ("mail", "service")),
    ("problems", ("problem",)),
    ("websessions", ("websessions",)),
    ("federation", ("federation",)),
    ("oidc", ("oidc",)),
    ("saml", ("saml",)),
    ("http", ("http",)),
    ("offline", ("offline",)),
    ("offline_central", ("offline",)),
    ("offline_cli", ("offline",)),
    ("privacy_register", ("privacy",)),
    ("privacy_export", ("privacy",)),
    ("privacy_erasure", ("privacy",)),
    ("privacy_retention", ("privacy",)),
)
"""Every fragment: its module's name here and the first parts of its codes."""


def messages_of(area: str) -> Mapping[str, tuple[str, str]]:
    """Return the ``MESSAGES`` of the fragment *area* (importing it)."""
    messages: Mapping[str, tuple[str, str]] = importlib.import_module(f"{__name__}.{area}").MESSAGES
    return messages


if TYPE_CHECKING:
    FRAGMENTS: tuple[tuple[str, Mapping[str, tuple[str, str]]], ...]
    """Every fragment as ``(area, MESSAGES)``, all of them loaded."""
else:

    def __getattr__(name: str) -> object:
        if name == "FRAGMENTS":
            return tuple((area, messages_of(area)) for area, _ in AREAS)
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
