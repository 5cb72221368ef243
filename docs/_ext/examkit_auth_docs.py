"""The sign-in's pages, generated from the code that runs the sign-in.

Directives:

``examkit-signin-flow``
    The flow diagram, drawn at build time from :data:`examkit.auth.FLOW` as
    an inline SVG (steps in columns by :meth:`~examkit.auth.Flow.layers`,
    one arrow per edge, labelled with the action and its condition),
    followed by the same edges as text.
``examkit-signin-transitions``
    The transition table: step, action, condition, next step, requirements.
``examkit-signin-rules``
    Every field of :class:`examkit.auth.SignInRules` with its default.
``examkit-signin-mails``
    Every e-mail of the sign-in (the ``auth.`` kinds of
    :data:`examkit.notifications.NOTIFICATIONS`) with its subject in Dutch and
    English and the requirement it serves.
"""

from __future__ import annotations

import enum
import html
from datetime import timedelta
from typing import Any, Final

import attrs
from docutils import nodes  # type: ignore[import-untyped, unused-ignore]
from examkit_docs import _code, _GeneratedDirective, _table
from sphinx.application import Sphinx
from sphinx.util.typing import ExtensionMetadata

from examkit.auth import FLOW, Guard, SignInRules, Step, Transition
from examkit.messages import CATALOGUE
from examkit.notifications import NOTIFICATIONS

BOX_WIDTH: Final = 190
BOX_HEIGHT: Final = 46
COLUMN: Final = 340
ROW: Final = 120
MARGIN: Final = 40
TOP: Final = 80
BELOW: Final = 110
LINE: Final = 12

_GUARDS: Final[dict[enum.Enum | None, str]] = {
    Guard.INITIAL_PASSWORD: "initial password",
    Guard.EXPIRED_PASSWORD: "password expired",
    Guard.TRUSTED_BROWSER: "trusted browser",
    None: "",
}


def _positions() -> dict[Step, tuple[float, float]]:
    """Return the centre of each step's box: columns by layer, rows centred."""
    layers = FLOW.layers()
    tallest = max(len(layer) for layer in layers)
    found: dict[Step, tuple[float, float]] = {}
    for column, layer in enumerate(layers):
        offset = (tallest - len(layer)) * ROW / 2
        for row, step in enumerate(layer):
            found[step] = (
                MARGIN + BOX_WIDTH / 2 + column * COLUMN,
                TOP + BOX_HEIGHT / 2 + offset + row * ROW,
            )
    return found


def _edges() -> list[tuple[Transition, Step]]:
    """Return every edge of the flow with its source step, in the table's order."""
    return [
        (transition, source)
        for transition in FLOW.rows
        for source in sorted(transition.sources, key=list(Step).index)
    ]


def _lines(transition: Transition) -> list[str]:
    condition = _GUARDS[transition.guard]
    return [transition.event] + ([f"[{condition}]"] if condition else [])


def _text(x: float, y: float, lines: list[str], *, above: bool) -> str:
    """Return the label lines centred at *x*, ending at *y* (above) or starting there."""
    first = y - LINE * (len(lines) - 1) if above else y
    return "".join(
        f'<text x="{x:.0f}" y="{first + LINE * index:.0f}" font-size="11" '
        f'text-anchor="middle">{html.escape(line)}</text>'
        for index, line in enumerate(lines)
    )


def _hits_a_box(
    start: tuple[float, float], end: tuple[float, float], boxes: list[tuple[float, float]]
) -> bool:
    for step in range(1, 50):
        x = start[0] + (end[0] - start[0]) * step / 50
        y = start[1] + (end[1] - start[1]) * step / 50
        for cx, cy in boxes:
            if abs(x - cx) < BOX_WIDTH / 2 + 4 and abs(y - cy) < BOX_HEIGHT / 2 + 4:
                return True
    return False


def flow_svg() -> str:
    """Return the flow diagram of :data:`~examkit.auth.FLOW` as SVG, scaled to the page."""
    where = _positions()
    layers = FLOW.layers()
    width = MARGIN * 2 + BOX_WIDTH + (len(layers) - 1) * COLUMN
    height = TOP + BOX_HEIGHT + (max(len(layer) for layer in layers) - 1) * ROW + BELOW
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="100%" style="max-width: {width}px" '
        f'viewBox="0 0 {width} {height}" role="img" font-family="sans-serif" '
        'aria-label="The sign-in flow: steps and the actions between them">',
        '<defs><marker id="examkit-arrow" viewBox="0 0 10 10" refX="10" refY="5" '
        'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        '<path d="M 0 0 L 10 5 L 0 10 z" fill="#333"/></marker></defs>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="white"/>',
    ]
    arrow = 'fill="none" stroke="#333" marker-end="url(#examkit-arrow)"'
    for transition, source in _edges():
        target = transition.target
        lines = _lines(transition)
        x1, y1 = where[source]
        x2, y2 = where[target]
        if source is target:
            top = y1 - BOX_HEIGHT / 2
            parts.append(
                f'<path d="M {x1 - 30} {top} C {x1 - 30} {top - 45}, {x1 + 30} {top - 45}, '
                f'{x1 + 30} {top}" {arrow}/>' + _text(x1, top - 40, lines, above=True)
            )
            continue
        start = (x1 + BOX_WIDTH / 2, y1)
        end = (x2 - BOX_WIDTH / 2, y2)
        others = [centre for step, centre in where.items() if step not in {source, target}]
        if _hits_a_box(start, end, others):  # go round underneath everything
            bottom = height - BELOW + 30
            low_y = y1 + BOX_HEIGHT / 2
            parts.append(
                f'<path d="M {x1} {low_y} C {x1} {bottom + 60}, {x2} {bottom + 60}, {x2} '
                f'{y2 + BOX_HEIGHT / 2}" {arrow} stroke-dasharray="5 3"/>'
                + _text((x1 + x2) / 2, bottom + 62, [" ".join(lines)], above=False)
            )
            continue
        middle = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
        goes_down = end[1] > start[1]
        parts.append(
            f'<line x1="{start[0]}" y1="{start[1]}" x2="{end[0]}" y2="{end[1]}" {arrow}/>'
            + (
                _text(middle[0], middle[1] + 16, lines, above=False)
                if goes_down
                else _text(middle[0], middle[1] - 8, lines, above=True)
            )
        )
    for step, (x, y) in where.items():
        fill = "#e8f1f8" if step is not FLOW.end else "#e6f4ea"
        title = html.escape(step.title("en"))
        parts.append(
            f'<rect x="{x - BOX_WIDTH / 2}" y="{y - BOX_HEIGHT / 2}" width="{BOX_WIDTH}" '
            f'height="{BOX_HEIGHT}" rx="8" fill="{fill}" stroke="#1b6ca8"/>'
            f'<text x="{x}" y="{y - 3}" font-size="13" text-anchor="middle" '
            f'font-weight="bold">{html.escape(step.value)}</text>'
            f'<text x="{x}" y="{y + 14}" font-size="11" text-anchor="middle">{title}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def flow_text() -> str:
    """Return the flow's edges as text, one per line."""
    lines = []
    for transition, source in _edges():
        condition = _GUARDS[transition.guard]
        when = f" [{condition}]" if condition else ""
        lines.append(f"{source.value} --{transition.event}{when}--> {transition.target.value}")
    return "\n".join(lines)


class SignInFlow(_GeneratedDirective):  # type: ignore[misc, unused-ignore]
    """``examkit-signin-flow``: the diagram, and the same edges as text."""

    has_content = False

    def run(self) -> list[Any]:
        self.mark_generated()
        text = flow_text()
        return [nodes.raw("", flow_svg(), format="html"), nodes.literal_block(text, text)]


class SignInTransitions(_GeneratedDirective):  # type: ignore[misc, unused-ignore]
    """``examkit-signin-transitions``: the table, in its own order."""

    has_content = False

    def run(self) -> list[Any]:
        self.mark_generated()
        rows = [
            [
                _code(source.value),
                _code(transition.event),
                _GUARDS[transition.guard] or "otherwise",
                _code(transition.target.value),
                ", ".join(transition.requirements),
            ]
            for transition, source in _edges()
        ]
        return [
            _table(
                ["Step", "Action", "When", "Next step", "Requirements"], [18, 20, 18, 18, 10], rows
            )
        ]


def _shown(value: object) -> str:
    if isinstance(value, timedelta):
        seconds = int(value.total_seconds())
        for unit, size in (("days", 86_400), ("hours", 3_600), ("minutes", 60)):
            if seconds % size == 0 and seconds >= size:
                return f"{seconds // size} {unit}"
        return f"{seconds} seconds"
    if hasattr(value, "value"):
        return str(value.value)
    return str(value)


class SignInRulesTable(_GeneratedDirective):  # type: ignore[misc, unused-ignore]
    """``examkit-signin-rules``: every setting of SignInRules and its default."""

    has_content = False

    def run(self) -> list[Any]:
        self.mark_generated()
        defaults = SignInRules()
        rows = [
            [_code(field.name), _shown(getattr(defaults, field.name))]
            for field in attrs.fields(SignInRules)
        ]
        return [_table(["Setting", "Default"], [30, 30], rows)]


class SignInMails(_GeneratedDirective):  # type: ignore[misc, unused-ignore]
    """``examkit-signin-mails``: every e-mail, its subjects, its requirement."""

    has_content = False

    def run(self) -> list[Any]:
        self.mark_generated()
        rows = [
            [
                _code(kind),
                CATALOGUE[mail.subject].nl,
                CATALOGUE[mail.subject].en,
                mail.requirement,
            ]
            for kind, mail in NOTIFICATIONS.items()
            if kind.startswith("auth.")
        ]
        return [_table(["Kind", "Subject (nl)", "Subject (en)", "For"], [18, 30, 30, 8], rows)]


def setup(app: Sphinx) -> ExtensionMetadata:
    """Register the sign-in directives."""
    app.add_directive("examkit-signin-flow", SignInFlow)
    app.add_directive("examkit-signin-transitions", SignInTransitions)
    app.add_directive("examkit-signin-rules", SignInRulesTable)
    app.add_directive("examkit-signin-mails", SignInMails)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
