"""The privacy page's tables, generated from the record declarations (PRIV-1).

Directives:

``examkit-processing-register``
    The processing register: one section per stored record (every record of
    :data:`examkit.records.RECORDS` and the storage server's
    :data:`~examkit.backends.http.SERVER_RECORDS`), a row per field, drawn
    from :func:`examkit.privacy.processing_register` at build time, so the
    page cannot drift from the code. A field without a classification fails
    the build, as it fails the register's test.
``examkit-retention-terms``
    Every retention term of :data:`examkit.privacy.RETENTION_TERMS`: its
    default period, what starts it (English and Dutch), its source and, where
    checked, the source's own words, and how what it covers is removed (its
    retention jobs, or who removes it by hand).
"""

from __future__ import annotations

from typing import Any

from docutils import nodes  # type: ignore[import-untyped, unused-ignore]
from examkit_docs import _code, _GeneratedDirective, _paragraph, _section, _table
from sphinx.application import Sphinx
from sphinx.util.typing import ExtensionMetadata

from examkit.backends.http import SERVER_RECORDS
from examkit.privacy import (
    RETENTION_TERMS,
    RegisterRow,
    period_text,
    processing_register,
    removal_of,
)
from examkit.records import RECORDS


def register_rows() -> tuple[RegisterRow, ...]:
    """Return the register of every record examkit stores, the storage server's included."""
    return processing_register((*RECORDS, *SERVER_RECORDS))


def _cells(row: RegisterRow) -> list[Any]:
    if not row.personal or row.period is None:
        return [_code(row.field), "no", row.purpose, "", "", ""]
    return [
        _code(row.field),
        "yes",
        row.purpose,
        _code(str(row.basis)),
        [_code(str(row.retention)), _paragraph(period_text(row.period))],
        ", ".join(row.audience),
    ]


class ProcessingRegister(_GeneratedDirective):  # type: ignore[misc, unused-ignore]
    """``examkit-processing-register``: a section per record, a row per field."""

    has_content = False

    def run(self) -> list[Any]:
        self.mark_generated()
        rows = register_rows()
        records: dict[str, list[RegisterRow]] = {}
        for row in rows:
            records.setdefault(row.record, []).append(row)
        personal = sum(row.personal for row in rows)
        summary = _paragraph(
            f"{len(records)} records, {len(rows)} fields, of which {personal} hold personal data."
        )
        sections: list[Any] = [summary]
        for record, fields in records.items():
            section = _section(
                self.state.document, "", f"register-{record}", nodes.literal(record, record)
            )
            section += _table(
                ["Field", "Personal", "Purpose, or what it holds", "Basis", "Retention", "Who"],
                [14, 7, 40, 12, 13, 14],
                [_cells(row) for row in fields],
            )
            sections.append(section)
        return sections


class RetentionTerms(_GeneratedDirective):  # type: ignore[misc, unused-ignore]
    """``examkit-retention-terms``: every term, its default, its start, source and removal."""

    has_content = False

    def run(self) -> list[Any]:
        self.mark_generated()
        rows = [
            [
                _code(term.name),
                period_text(term.period),
                [
                    _paragraph(term.starts),
                    _paragraph(nodes.emphasis(term.starts_nl, term.starts_nl)),
                ],
                [_paragraph(term.source)]
                + ([_paragraph(f"“{term.quote}”")] if term.quote is not None else []),
                removal_of(term.name),
            ]
            for term in RETENTION_TERMS
        ]
        return [
            _table(
                ["Term", "Default", "Starts when", "Source", "Removed by"],
                [10, 8, 24, 34, 24],
                rows,
            )
        ]


def setup(app: Sphinx) -> ExtensionMetadata:
    """Register the privacy directives."""
    app.add_directive("examkit-processing-register", ProcessingRegister)
    app.add_directive("examkit-retention-terms", RetentionTerms)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
