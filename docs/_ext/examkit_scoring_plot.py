"""A Sphinx directive that draws the grade against S/L for some N-terms, as inline SVG.

The curves are computed at build time by examkit's own rule
(:func:`examkit.scoring.exact_grade`), so the picture always shows what the
code does.
"""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes  # type: ignore[import-untyped, unused-ignore]
from docutils.parsers.rst import Directive  # type: ignore[import-untyped, unused-ignore]
from sphinx.application import Sphinx

from examkit.scoring import exact_grade

MAXIMUM = 200
WIDTH, HEIGHT, MARGIN = 560, 360, 48
COLOURS = ("#1b6ca8", "#333333", "#c0392b", "#2e8b57")


def _x(fraction: float) -> float:
    return MARGIN + fraction * (WIDTH - 2 * MARGIN)


def _y(grade: float) -> float:
    return HEIGHT - MARGIN - (grade - 1) / 9 * (HEIGHT - 2 * MARGIN)


def grade_plot_svg(nterms: list[str]) -> str:
    """Return an SVG of the grade against S/L for each N-term in *nterms*."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        'aria-label="Grade against score as a fraction of the maximum">',
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
    ]
    for grade in range(1, 11):
        y = _y(grade)
        parts.append(
            f'<line x1="{MARGIN}" y1="{y:.1f}" x2="{WIDTH - MARGIN}" y2="{y:.1f}" '
            'stroke="#e5e5e5"/>'
            f'<text x="{MARGIN - 8}" y="{y + 4:.1f}" font-size="11" '
            f'text-anchor="end">{grade}</text>'
        )
    for tenth in range(11):
        x = _x(tenth / 10)
        parts.append(
            f'<text x="{x:.1f}" y="{HEIGHT - MARGIN + 16}" font-size="11" '
            f'text-anchor="middle">{tenth / 10:.1f}</text>'
        )
    parts.append(
        f'<text x="{WIDTH / 2}" y="{HEIGHT - 8}" font-size="12" text-anchor="middle">S / L</text>'
        f'<text x="14" y="{HEIGHT / 2}" font-size="12" text-anchor="middle" '
        f'transform="rotate(-90 14 {HEIGHT / 2})">grade</text>'
    )
    for index, nterm in enumerate(nterms):
        colour = COLOURS[index % len(COLOURS)]
        points = " ".join(
            f"{_x(s / MAXIMUM):.1f},{_y(float(exact_grade(s, MAXIMUM, nterm))):.1f}"
            for s in range(MAXIMUM + 1)
        )
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}"/>'
            f'<text x="{WIDTH - MARGIN - 70}" y="{MARGIN + 16 * index}" font-size="12" '
            f'fill="{colour}">N = {nterm}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


class GradePlot(Directive):  # type: ignore[misc, unused-ignore]
    """``.. examkit-grade-plot:: 0.6 1.0 1.4`` draws one curve per N-term."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {}

    def run(self) -> list[Any]:
        nterms = str(self.arguments[0]).split()
        return [nodes.raw("", grade_plot_svg(nterms), format="html")]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("examkit-grade-plot", GradePlot)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
