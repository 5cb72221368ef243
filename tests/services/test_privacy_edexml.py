# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""An EDEXML file's BSN and education number never reach the store (EDX-6, PRIV-1).

The parser's own test (tests/unit/test_edexml_read.py) shows the model
keeps no BSN; here a whole import, previewed and confirmed, into a real
SQLite file: neither number is in any byte of the database, nor of its
write-ahead log, at any point, while the pupils' names are.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest

from examkit.backends.sql import SQLBackend
from examkit.edexml import Group, PersonName, Pupil
from examkit.identifiers import LocationCode, SchoolYear
from examkit.testing import edexml_document, make_kit, store_actor

L00 = LocationCode("22AB00")
BSN = "123456782"  # passes the eleven test
EDUCATION_NUMBER = "100000004"  # passes the education number's eleven test
AT = datetime.fromisoformat("2026-09-01T08:00:00+00:00")


def file_with_national_numbers() -> bytes:
    """A valid EDEXML 2.1 file: one pupil with a BSN, one with an education number."""
    pupils = [
        Pupil(
            key,
            PersonName(name, called_name=f"Kind{key}"),
            birth_date=date(2013, 5, 1),
            year_group="1",
            group="g1",
        )
        for key, name in (("1", "Qwertyzanten"), ("2", "Plofvaardig"))
    ]
    text = edexml_document(
        school_year=SchoolYear("2026-2027"),
        brin=L00.brin,
        dependancecode="00",
        groups=[Group("g1", "1A", "1")],
        pupils=pupils,
    ).decode()
    head, middle, tail = text.split('<groep key="g1"/></leerling>')
    return (
        head
        + f'<groep key="g1"/><bsn>{BSN}</bsn></leerling>'
        + middle
        + f'<groep key="g1"/><onderwijsnummer>{EDUCATION_NUMBER}</onderwijsnummer></leerling>'
        + tail
    ).encode()


def stored_bytes(path: Path) -> bytes:
    """The database file's and its write-ahead log's bytes, as written (no VACUUM)."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
    finally:
        connection.close()
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


@pytest.mark.req("EDX-6", "PRIV-1")
def test_an_import_with_a_bsn_and_an_education_number_stores_neither(tmp_path: Path) -> None:
    """Previewed and confirmed: the names are stored, the national numbers never were."""
    data = file_with_national_numbers()
    assert BSN.encode() in data
    assert EDUCATION_NUMBER.encode() in data
    path = tmp_path / "school.db"
    kit = make_kit(backend=SQLBackend(f"sqlite:///{path}"))
    try:
        admin = store_actor(
            kit.backend, "acc-admin", [("cito_lvs.administrator", [L00])], granted_at=AT
        )
        preview = kit.edexml_imports.preview(admin, data)
        held = stored_bytes(path)
        assert b"Qwertyzanten" in held  # the check sees the previewed pupils
        assert BSN.encode() not in held
        assert EDUCATION_NUMBER.encode() not in held
        kit.edexml_imports.confirm(admin, preview)
        pupils = kit.rosters.pupils(L00).items
    finally:
        kit.close()
    assert ["1", "2"] == sorted(item.pupil.key for item in pupils)
    stored = stored_bytes(path)
    assert b"Plofvaardig" in stored
    assert BSN.encode() not in stored
    assert EDUCATION_NUMBER.encode() not in stored
