"""Sphinx directives that print the export's tables from the code's own data (PRIV-2).

``examkit-person-links`` renders :data:`examkit.privacy.PERSON_LINKS` (how every
stored record refers to a person), ``examkit-withheld`` the secrets an export
lists as present but never gives, ``examkit-correctable`` the fields a person
may have corrected and the use case that owns each, ``examkit-readings``
:data:`examkit.privacy.READINGS` (each reading use case and the reads it
records, or why none): the page shows what the code does.
"""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes  # type: ignore[import-untyped, unused-ignore]
from docutils.parsers.rst import Directive  # type: ignore[import-untyped, unused-ignore]
from examkit_sessions_docs import table_html
from sphinx.application import Sphinx

from examkit.privacy import (
    CORRECTABLE,
    PERSON_LINKS,
    READINGS,
    NotListed,
    RefersToNobody,
    secret_fields,
)
from examkit.records import RECORDS


def link_rows() -> list[list[str]]:
    """Return one row per record kind: its name and how it refers to each kind of person."""
    rows = []
    for record in RECORDS:
        links = PERSON_LINKS[record.name]
        if isinstance(links, RefersToNobody):
            rows.append([record.name, "nobody", links.why])
        elif isinstance(links, NotListed):
            shown = "; ".join(str(link) for link in links.links)
            rows.append([record.name, f"not listed ({shown})", links.why])
        else:
            rows.append([record.name, "; ".join(str(link) for link in links), ""])
    return rows


def withheld_rows() -> list[list[str]]:
    """Return the record kinds with secrets, and the secret fields."""
    return [
        [record.name, ", ".join(secret_fields(record))]
        for record in RECORDS
        if secret_fields(record)
    ]


def correctable_rows() -> list[list[str]]:
    """Return every correctable field: the kind of person, the field, the owning use case."""
    rows = [
        [kind, field, owner]
        for kind, fields in CORRECTABLE.items()
        for field, owner in fields.items()
    ]
    return [*rows, ["pupil", "(every field)", "the school's pupil administration (EDEXML)"]]


def reading_rows() -> list[list[str]]:
    """Return every reading use case: the call, what it returns, what it records or why not."""
    return [
        [
            f"kit.{reading.call}",
            reading.data,
            f"a read of each {reading.whose}: {reading.what}" if reading.records else "none",
            reading.why,
        ]
        for reading in READINGS
    ]


class _Table(Directive):  # type: ignore[misc, unused-ignore]
    required_arguments = 0
    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {}
    header: ClassVar[list[str]] = []

    def rows(self) -> list[list[str]]:
        raise NotImplementedError

    def run(self) -> list[Any]:
        return [nodes.raw("", table_html(self.header, self.rows()), format="html")]


class PersonLinks(_Table):
    """``.. examkit-person-links::``: how each stored record refers to a person."""

    header: ClassVar[list[str]] = ["record", "refers to", "why (where nobody or not listed)"]

    def rows(self) -> list[list[str]]:
        return link_rows()


class Withheld(_Table):
    """``.. examkit-withheld::``: the secrets an export never gives."""

    header: ClassVar[list[str]] = ["record", "fields listed as present, never given"]

    def rows(self) -> list[list[str]]:
        return withheld_rows()


class Correctable(_Table):
    """``.. examkit-correctable::``: the fields that can be corrected, and by which use case."""

    header: ClassVar[list[str]] = ["person", "field", "corrected through"]

    def rows(self) -> list[list[str]]:
        return correctable_rows()


class Readings(_Table):
    """``.. examkit-readings::``: each reading use case and the reads it records."""

    header: ClassVar[list[str]] = ["use case", "returns", "records", "why not"]

    def rows(self) -> list[list[str]]:
        return reading_rows()


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("examkit-person-links", PersonLinks)
    app.add_directive("examkit-withheld", Withheld)
    app.add_directive("examkit-correctable", Correctable)
    app.add_directive("examkit-readings", Readings)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
