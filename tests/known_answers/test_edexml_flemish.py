# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The Flemish variant of EDEXML against ../shared: the official schemas and the Vla samples.

Reads ``../shared/edexml`` (see SOURCES.md there; ``EXAMKIT_SHARED`` points
at another ``shared`` folder) and skips where it is absent. The file made
for the tests (``tests/fixtures/edexml/flemish-school-2.0.xml``) must be
valid against the official 2.0 and 2.1 schemas; the official Flanders
examples (``EDEXML.Voorbeeld.2.0-Vla.xml`` and its 2.1 sibling) must give
these known answers when parsed and imported, their national register
number nowhere in what is stored.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from lxml import etree

from examkit.edexml import inspect, parse
from examkit.identifiers import Instellingsnummer, SchoolYear
from examkit.testing import make_kit, store_actor

pytestmark = [pytest.mark.req("EDX-1", "EDX-6", "SCH-9"), pytest.mark.shared("edexml")]

SHARED = Path(os.environ.get("EXAMKIT_SHARED") or Path(__file__).resolve().parents[3] / "shared")
REFERENCE = SHARED / "edexml"
OFFICIAL = REFERENCE / "Oefenweb__cakephp-edexml" / "File"
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "edexml" / "flemish-school-2.0.xml"
SAFE = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
VLA_2_0 = REFERENCE / "harmbandstra__edexmllib/docs/Schema_EDEXML_2.0/EDEXML.Voorbeeld.2.0-Vla.xml"
VLA_2_1 = REFERENCE / "harmbandstra__edexmllib/docs/Schema_EDEXML_2.1/EDEXML.Voorbeeld.2.1-Vla.xml"
REGISTER_NUMBER = "13345678512"
"""The rijksregisternummer of the official 2.0 Flanders example's pupil 00002."""


def official_errors(data: bytes, version: str) -> list[str]:
    """Return libxml2's errors for *data* against the official schema of *version*."""
    path = OFFICIAL / f"EDEXML-{version}" / "EDEXML.structuur.xsd"
    schema = etree.XMLSchema(etree.parse(str(path), SAFE))
    schema.validate(etree.fromstring(data, SAFE).getroottree())
    return [entry.message for entry in schema.error_log]  # type: ignore[attr-defined]


@pytest.mark.parametrize("version", ["2.0", "2.1"])
def test_the_file_made_for_the_tests_is_valid_against_the_official_schema(version: str) -> None:
    data = FIXTURE.read_bytes()
    assert [] == official_errors(data, version)
    assert inspect(data).valid


@pytest.mark.parametrize(
    ("path", "version", "year_groups"),
    [(VLA_2_0, "2.0", ("6", "6", None)), (VLA_2_1, "2.1", ("6", "6", "H"))],
    ids=["2.0-Vla", "2.1-Vla"],
)
def test_the_official_flanders_example_parses_to_its_known_answer(
    path: Path, version: str, year_groups: tuple[str | None, ...]
) -> None:
    data = path.read_bytes()
    assert [] == official_errors(data, version)
    roster = parse(data)
    assert version == str(roster.version)
    school = roster.school
    assert (SchoolYear("2014-2015"), Instellingsnummer("1234"), "41323", None) == (
        school.school_year,
        school.instellingsnummer,
        school.schoolkey,
        school.brin,
    )
    assert ["001", "002", "003", "KL4A", "KL4B"] == [group.key for group in roster.groups]
    assert ["sg1", "sg2"] == [group.key for group in roster.combination_groups]
    assert [
        ("00001", "Wimpie", "KL4B", ("sg1", "sg2")),
        ("00002", "Ismaël Hassan Assati", None, ()),
        ("12345", "Gradje van 't Einde", None, ()),
    ] == [
        (pupil.key, pupil.name.full_name, pupil.group, pupil.combination_groups)
        for pupil in roster.pupils
    ]
    assert year_groups == tuple(pupil.year_group for pupil in roster.pupils)
    assert ["LK1", "LK2", "LK3"] == [teacher.key for teacher in roster.teachers]
    assert REGISTER_NUMBER not in repr(roster)


def test_the_official_flanders_example_is_imported_for_its_school(tmp_path: Path) -> None:
    """Through the SQL backend: previewed, confirmed, read by the desk; the number nowhere."""
    from examkit.backends.sql import SQLBackend

    data = VLA_2_0.read_bytes()
    assert REGISTER_NUMBER.encode() in data  # the control: the file has one
    school = Instellingsnummer("1234")
    path = tmp_path / "vla.db"
    kit = make_kit(backend=SQLBackend(f"sqlite:///{path}"), now="2014-10-01T08:00:00+00:00")
    try:
        actor = store_actor(
            kit.backend, "coord", [("vlaamse_toetsen.test_coordinator", [school])], institutions=()
        )
        preview = kit.edexml_imports.preview(actor, data)
        assert school == preview.location
        assert ("00001", "00002", "12345") == preview.diff.pupils.added
        kit.edexml_imports.confirm(actor, preview)
        pupils = kit.rosters.pupils_for(actor, school).items
        classes = kit.rosters.classes_for(actor, school)
    finally:
        kit.close()
    assert [("00001", "Wimpie", "KL4B"), ("00002", "Ismaël Hassan Assati", None)] == [
        (item.pupil.key, item.pupil.name.full_name, item.pupil.group) for item in pupils[:2]
    ]
    assert all(item.pupil.birth_date is None and item.pupil.gender is None for item in pupils)
    assert ["Kabouters", "Muizen", "Vlinders", "Klas 4A", "Klas 4B"] == [
        group.name for group in classes.groups
    ]
    stored = path.read_bytes()
    wal = path.with_name(path.name + "-wal")
    if wal.exists():
        stored += wal.read_bytes()
    assert b"Wimpie" in stored
    assert REGISTER_NUMBER.encode() not in stored
    assert REGISTER_NUMBER.encode("utf-16-le") not in stored
