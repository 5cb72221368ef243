"""``examkit privacy register``: print the processing register (PRIV-1).

Every field of every record examkit stores (and the storage server's own),
personal or not; for a personal field its purpose, legal basis, retention
term with its period and who may see it. A text table by default, JSON
with ``--json`` (then also the retention terms with their sources).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

import attrs

from examkit.cli._common import EXIT_OK, lang_of, print_json
from examkit.privacy import (
    RETENTION_JOBS,
    RETENTION_TERMS,
    PrivacySettings,
    RegisterRow,
    period_text,
    processing_register,
    removal_of,
)
from examkit.storage import RecordType


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``examkit privacy register``."""
    parser.description = (
        "Print the processing register: every stored field, whether it holds personal data "
        "and, if so, its purpose, legal basis, retention term and who may see it."
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="print JSON: the rows and the retention terms with their sources",
    )
    parser.set_defaults(handler=register_command)


def stored_records() -> tuple[RecordType[Any, Any], ...]:
    """Return every record examkit stores: the domain's, the fallbacks', the storage server's.

    The storage server's own records (its idempotency keys) are left out where the
    ``http`` extra, without which there is no storage server, is not installed.
    """
    from examkit.records import RECORDS

    try:
        from examkit.backends.http import SERVER_RECORDS
    except ImportError:  # pragma: no cover - the test environment has every extra
        return RECORDS
    return (*RECORDS, *SERVER_RECORDS)


def _text(rows: tuple[RegisterRow, ...], lang: str) -> str:
    head = ("field", "personal", "basis", "retention", "audience", "purpose")
    if lang == "nl":
        head = ("veld", "persoonlijk", "grondslag", "bewaartermijn", "wie ziet het", "doel")
    yes, no = ("ja", "nee") if lang == "nl" else ("yes", "no")
    table = [head]
    for row in rows:
        term = (
            f"{row.retention} ({period_text(row.period, lang)})"
            if row.retention is not None and row.period is not None
            else "-"
        )
        table.append(
            (
                f"{row.record}.{row.field}",
                yes if row.personal else no,
                row.basis or "-",
                term,
                ", ".join(row.audience) or "-",
                row.purpose,
            )
        )
    widths = [max(len(line[column]) for line in table) for column in range(len(head) - 1)]
    return "".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=False))
        + "  "
        + line[-1]
        + "\n"
        for line in table
    )


def register_command(args: argparse.Namespace) -> int:
    """Run ``examkit privacy register``.

    Implements PRIV-1.
    """
    rows = processing_register(stored_records(), PrivacySettings())
    if not args.json:
        sys.stdout.write(_text(rows, lang_of(args)))
        return EXIT_OK
    print_json(
        {
            "rows": [{**attrs.asdict(row, recurse=False), "period": _period(row)} for row in rows],
            "terms": [
                {
                    "name": term.name,
                    "period": attrs.asdict(term.period),
                    "starts": term.starts,
                    "starts_nl": term.starts_nl,
                    "source": term.source,
                    "quote": term.quote,
                    "jobs": [job.what for job in RETENTION_JOBS if job.term == term.name],
                    "removal": removal_of(term.name),
                }
                for term in RETENTION_TERMS
            ],
        }
    )
    return EXIT_OK


def _period(row: RegisterRow) -> dict[str, int] | None:
    return attrs.asdict(row.period) if row.period is not None else None
