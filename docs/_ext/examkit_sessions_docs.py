"""Sphinx directives that draw the test-session lifecycles from the declared tables.

``examkit-lifecycle group`` and ``examkit-lifecycle attempt`` render
:data:`examkit.scheduling.GROUP_LIFECYCLE` and
:data:`examkit.scheduling.ATTEMPT_LIFECYCLE` as an inline SVG state diagram
followed by a table of every move, so the documentation always shows what
the code does.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import Any, ClassVar

from docutils import nodes  # type: ignore[import-untyped, unused-ignore]
from docutils.parsers.rst import Directive  # type: ignore[import-untyped, unused-ignore]
from sphinx.application import Sphinx

from examkit.permissions import MATRIX
from examkit.scheduling import (
    ATTEMPT_LIFECYCLE,
    GROUP_LIFECYCLE,
    AttemptState,
    GroupState,
)

BOX_W, BOX_H, COL_W, ROW_H, MARGIN = 120, 34, 150, 90, 20

Edge = tuple[str, str, str]
"""(source, target, label)."""


def _columns(states: Sequence[str], edges: Sequence[Edge]) -> dict[str, tuple[int, int]]:
    """Place states by breadth-first depth from the first one: (column, row)."""
    depth = {states[0]: 0}
    frontier = [states[0]]
    while frontier:
        following = []
        for node in frontier:
            for source, target, _ in edges:
                if source == node and target not in depth:
                    depth[target] = depth[node] + 1
                    following.append(target)
        frontier = following
    place: dict[str, tuple[int, int]] = {}
    rows: dict[int, int] = {}
    for state in states:
        column = depth.get(state, 0)
        place[state] = (column, rows.get(column, 0))
        rows[column] = rows.get(column, 0) + 1
    return place


def _centre(place: tuple[int, int]) -> tuple[float, float]:
    column, row = place
    return MARGIN + column * COL_W + BOX_W / 2, MARGIN + 20 + row * ROW_H + BOX_H / 2


def lifecycle_svg(states: Sequence[str], edges: Sequence[Edge]) -> str:
    """Return an SVG state diagram of *states* joined by labelled *edges*."""
    place = _columns(states, edges)
    width = MARGIN * 2 + (max(c for c, _ in place.values()) + 1) * COL_W
    height = MARGIN * 2 + 40 + (max(r for _, r in place.values()) + 1) * ROW_H
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="State diagram">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#555"/></marker></defs>',
    ]
    pairs = {(s, t) for s, t, _ in edges}
    for source, target, label in edges:
        (x1, y1), (x2, y2) = _centre(place[source]), _centre(place[target])
        length = math.hypot(x2 - x1, y2 - y1) or 1.0
        nx, ny = -(y2 - y1) / length, (x2 - x1) / length
        bend = 14.0 if (target, source) in pairs else 0.0
        ux, uy = (x2 - x1) / length, (y2 - y1) / length
        trim = min(BOX_W / 2 / max(abs(ux), 1e-9), BOX_H / 2 / max(abs(uy), 1e-9))
        sx, sy = x1 + ux * trim + nx * bend, y1 + uy * trim + ny * bend
        ex, ey = x2 - ux * trim + nx * bend, y2 - uy * trim + ny * bend
        parts.append(
            f'<line x1="{sx:.1f}" y1="{sy:.1f}" x2="{ex:.1f}" y2="{ey:.1f}" stroke="#555" '
            'stroke-width="1.4" marker-end="url(#arrow)"/>'
            f'<text x="{(sx + ex) / 2 + nx * 8:.1f}" y="{(sy + ey) / 2 + ny * 8:.1f}" '
            f'font-size="10" text-anchor="middle" fill="#1b6ca8">{html.escape(label)}</text>'
        )
    for state in states:
        cx, cy = _centre(place[state])
        parts.append(
            f'<rect x="{cx - BOX_W / 2:.1f}" y="{cy - BOX_H / 2:.1f}" width="{BOX_W}" '
            f'height="{BOX_H}" rx="8" fill="#f4f7fb" stroke="#333"/>'
            f'<text x="{cx:.1f}" y="{cy + 4:.1f}" font-size="11" text-anchor="middle">'
            f"{html.escape(state)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def group_rows() -> list[list[str]]:
    """Return the group lifecycle's table: event, from, to, role, action, guard."""
    rows = []
    for row in GROUP_LIFECYCLE.rows:
        action = MATRIX.action(row.action)
        rows.append(
            [
                f"{row.event} ({row.label_nl})",
                ", ".join(sorted(s.value for s in row.sources)),
                row.target.value,
                row.role,
                f"{row.action} ({action.label_nl})"
                + (f"; FT: {row.ft_action}" if row.ft_action else ""),
                row.guard.value if row.guard else "none",
            ]
        )
    return rows


def attempt_rows() -> list[list[str]]:
    """Return the attempt lifecycle's table: event, from, to, by, action."""
    return [
        [
            f"{row.event} ({row.label_nl})",
            ", ".join(sorted(s.value for s in row.sources)),
            row.target.value,
            row.by,
            row.action or "",
        ]
        for row in ATTEMPT_LIFECYCLE.rows
    ]


def table_html(header: list[str], rows: list[list[str]]) -> str:
    """Return an HTML table with *header* and *rows* (escaped)."""
    head = "".join(f"<th>{html.escape(cell)}</th>" for cell in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>" for row in rows
    )
    return f'<table class="docutils"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def lifecycle_html(which: str) -> str:
    """Return the diagram and the table of lifecycle *which* (``group`` or ``attempt``)."""
    if which == "group":
        states = [s.value for s in GroupState]
        edges = [
            (s.value, row.target.value, row.event)
            for row in GROUP_LIFECYCLE.rows
            for s in sorted(row.sources, key=lambda s: states.index(s.value))
        ]
        table = table_html(["move", "from", "to", "role", "action", "guard"], group_rows())
    else:
        states = [s.value for s in AttemptState]
        edges = [
            (s.value, row.target.value, row.event)
            for row in ATTEMPT_LIFECYCLE.rows
            for s in sorted(row.sources, key=lambda s: states.index(s.value))
        ]
        table = table_html(["move", "from", "to", "by", "action"], attempt_rows())
    return lifecycle_svg(states, edges) + table


class Lifecycle(Directive):  # type: ignore[misc, unused-ignore]
    """``.. examkit-lifecycle:: group`` (or ``attempt``) draws the lifecycle and its table."""

    required_arguments = 1
    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {}

    def run(self) -> list[Any]:
        which = str(self.arguments[0]).strip()
        if which not in {"group", "attempt"}:
            raise self.error(f"unknown lifecycle {which!r}: use group or attempt")
        return [nodes.raw("", lifecycle_html(which), format="html")]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("examkit-lifecycle", Lifecycle)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
