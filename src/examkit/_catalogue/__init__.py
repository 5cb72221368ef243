"""Fragments of the one message catalogue, one module per area.

Each fragment module defines ``MESSAGES``: a mapping of a dotted code to a
pair ``(Dutch, English)``. :mod:`examkit.messages` merges them into the
single catalogue and checks it at import. A later area adds its own fragment
module here and one entry to :data:`FRAGMENTS`.
"""

from __future__ import annotations

from collections.abc import Mapping

from examkit._catalogue import (
    accounts,
    applications,
    auth,
    cli,
    core,
    correction,
    demo,
    demo_applications,
    documents,
    edexml,
    imports,
    org,
    passwords,
    roles,
    scoring,
    sessions,
    storage,
)

FRAGMENTS: tuple[tuple[str, Mapping[str, tuple[str, str]]], ...] = (
    ("core", core.MESSAGES),
    ("org", org.MESSAGES),
    ("accounts", accounts.MESSAGES),
    ("passwords", passwords.MESSAGES),
    ("auth", auth.MESSAGES),
    ("storage", storage.MESSAGES),
    ("scoring", scoring.MESSAGES),
    ("roles", roles.MESSAGES),
    ("applications", applications.MESSAGES),
    ("edexml", edexml.MESSAGES),
    ("sessions", sessions.MESSAGES),
    ("correction", correction.MESSAGES),
    ("imports", imports.MESSAGES),
    ("cli", cli.MESSAGES),
    ("demo", demo.MESSAGES),
    ("demo_applications", demo_applications.MESSAGES),
    ("documents", documents.MESSAGES),
)
