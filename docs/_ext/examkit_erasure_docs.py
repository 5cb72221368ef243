"""The erasure's rules as a table, drawn from ``examkit.privacy.ERASURE_RULES`` (PRIV-3).

``examkit-erasure-rules`` shows, per kind of person, what an erasure does to
each kind of record that refers to them, the retention term that holds it
back (or that it is kept under) and the term's period, as the code does it.
"""

from __future__ import annotations

from typing import Any

from examkit_docs import _code, _GeneratedDirective, _table
from sphinx.application import Sphinx
from sphinx.util.typing import ExtensionMetadata


class ErasureRules(_GeneratedDirective):
    """``examkit-erasure-rules``: one table of every rule."""

    has_content = False

    def run(self) -> list[Any]:
        from examkit.privacy import ERASURE_RULES, PrivacySettings, period_text, retention_period

        self.mark_generated()
        rows = []
        for rule in ERASURE_RULES:
            term = "-"
            if rule.term is not None:
                period = period_text(retention_period(PrivacySettings(), rule.term), "en")
                term = f"{rule.term} ({period})"
            rows.append([rule.kind, _code(rule.record), rule.action, term, rule.why])
        return [
            _table(
                ["Person", "Record", "Erasure", "Retention term", "What and why"],
                [10, 18, 8, 18, 46],
                rows,
            )
        ]


def setup(app: Sphinx) -> ExtensionMetadata:
    """Register the directive."""
    app.add_directive("examkit-erasure-rules", ErasureRules)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
