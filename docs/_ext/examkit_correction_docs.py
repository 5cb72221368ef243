"""Sphinx directive that draws the correction of an open item from its declared table.

``examkit-correction-lifecycle`` renders :data:`examkit.correction.ITEM_LIFECYCLE`
as an inline SVG state diagram followed by a table of every move (with the
outcome a score needs), so the documentation always shows what the code does.
"""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes  # type: ignore[import-untyped, unused-ignore]
from docutils.parsers.rst import Directive  # type: ignore[import-untyped, unused-ignore]
from examkit_sessions_docs import lifecycle_svg, table_html
from sphinx.application import Sphinx

from examkit.correction import ITEM_LIFECYCLE, ItemState
from examkit.permissions import MATRIX


def item_rows() -> list[list[str]]:
    """Return the item lifecycle's table: move, from, when, to, who, action."""
    return [
        [
            f"{row.event} ({row.label_nl})",
            ", ".join(sorted(s.value for s in row.sources)),
            "" if row.guard is None else row.guard.value,
            row.target.value,
            row.by,
            f"{row.action} ({MATRIX.action(str(row.action)).label_nl})",
        ]
        for row in ITEM_LIFECYCLE.rows
    ]


def correction_html() -> str:
    """Return the diagram and the table of the item lifecycle."""
    states = [s.value for s in ItemState]
    edges = []
    seen = set()
    for row in ITEM_LIFECYCLE.rows:
        for source in sorted(row.sources, key=lambda s: states.index(s.value)):
            label = row.event if row.guard is None else f"{row.event}: {row.guard.value}"
            if (source.value, row.target.value) not in seen:
                seen.add((source.value, row.target.value))
                edges.append((source.value, row.target.value, label))
    header = ["move", "from", "when the scores are", "to", "who", "action"]
    return lifecycle_svg(states, edges) + table_html(header, item_rows())


class CorrectionLifecycle(Directive):  # type: ignore[misc, unused-ignore]
    """``.. examkit-correction-lifecycle::`` draws the item lifecycle and its table."""

    required_arguments = 0
    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {}

    def run(self) -> list[Any]:
        return [nodes.raw("", correction_html(), format="html")]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("examkit-correction-lifecycle", CorrectionLifecycle)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
