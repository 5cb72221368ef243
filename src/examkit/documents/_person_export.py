"""PRIV-2: one person's data printed, from the export document (``examkit-person-export``)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Final

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from examkit.documents._pdf import (
    HEADING,
    SMALL,
    TITLE,
    build_pdf,
    data_digest,
    field_table,
    para,
    space,
)

PERSON_EXPORT_TITLE: Final = "Overzicht persoonsgegevens"
"""The document's title."""

_KINDS: Final = {"account": "Account", "candidate": "Kandidaat", "pupil": "Leerling"}


def _lines(value: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    """Yield (dotted field, text) for every leaf of the JSON *value*."""
    if isinstance(value, Mapping):
        if value == {"withheld": True}:
            yield prefix, "aanwezig, niet getoond (geheim)"
            return
        if not value:
            yield prefix, "-"
        for key, item in value.items():
            yield from _lines(item, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, list):
        if not value:
            yield prefix, "-"
        for index, item in enumerate(value, 1):
            yield from _lines(item, f"{prefix}[{index}]")
    else:
        yield prefix, "-" if value is None or value == "" else str(value)


def person_export_pdf(document: Mapping[str, Any]) -> bytes:
    """Return the PDF of a person's data export: a section per record kind, a table per record.

    *document* is the export document
    (:meth:`PersonExport.json <examkit.privacy.PersonExport.json>` writes
    it): every stored record that refers to the person, field by field, with
    secrets shown as present but not given, and the kinds of record that
    are not listed and why.

    Implements PRIV-2.
    """
    person = document["person"]
    records: Mapping[str, list[Any]] = document["records"]
    story: list[Flowable] = [
        para(PERSON_EXPORT_TITLE, TITLE),
        field_table(
            [
                ("Persoon", str(person["label"])),
                ("Soort", _KINDS.get(str(person["kind"]), str(person["kind"]))),
                ("Gemaakt op", str(document["exported_at"])),
                ("Formaat", f"{document['format']}, versie {document['version']}"),
                ("Aantal gegevens", str(sum(len(items) for items in records.values()))),
            ]
        ),
        space(3),
        para(
            "Dit overzicht bevat alles wat examkit over deze persoon bewaart, per soort "
            "gegeven. Geheimen (wachtwoorden, sleutels, toegangscodes) staan er als "
            "'aanwezig' in, zonder hun waarde. Dezelfde gegevens staan, machineleesbaar, in "
            "het JSON-bestand van dezelfde export.",
            SMALL,
        ),
    ]
    if not records:
        story.append(para("Er zijn geen gegevens over deze persoon opgeslagen.", HEADING))
    for name, items in records.items():
        story.append(para(f"{name} ({len(items)})", HEADING))
        for item in items:
            story += [field_table(list(_lines(item)), 55 * mm), space(2)]
    not_listed: Mapping[str, str] = document.get("not_listed", {})
    if not_listed:
        story.append(para("Niet in dit overzicht", HEADING))
        story.append(field_table(sorted(not_listed.items()), 55 * mm))
    return build_pdf(
        story,
        title=f"{PERSON_EXPORT_TITLE} {person['label']}",
        subject="Inzage en overdraagbaarheid (AVG art. 15 en 20)",
        document_id=data_digest("person-export", dict(document)),
        footer=f"Persoonsgegevens {person['label']} - {document['exported_at']}",
    )
