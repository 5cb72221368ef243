# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""A Flemish school's EDEXML file (the standard's Flemish variant) through the same import.

The file is ``tests/fixtures/edexml/flemish-school-2.0.xml``, made for these
tests (see the README beside it): the school is known by its
*instellingsnummer*, its pupils have a *rijksregisternummer*, which is never
stored, held with a preview, audited, logged or repeated in an error.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from examkit import Examkit
from examkit.backends.memory import MemoryBackend
from examkit.edexml import (
    EdexmlProblem,
    PersonName,
    Pupil,
    Teacher,
    TeacherGroup,
    parse,
)
from examkit.errors import (
    ExamkitError,
    ExamkitErrorGroup,
    InvalidInput,
    NotFound,
    NotPermitted,
)
from examkit.flemish import PupilRegistration, RegistrationWindow
from examkit.identifiers import Instellingsnummer, LocationCode, SchoolYear
from examkit.imports import FLEMISH_IMPORT_ACTION, ImportPlace, roster_key
from examkit.records import Backend
from examkit.testing import ManualClock, make_kit, store_actor

pytestmark = pytest.mark.req("SCH-9")

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "edexml" / "flemish-school-2.0.xml"
SCHOOL = Instellingsnummer("45678")
OTHER_SCHOOL = Instellingsnummer("98765")
DUTCH = LocationCode("22AB00")
YEAR = SchoolYear("2024-2025")
NOW = "2024-10-01T08:00:00+02:00"
AT = datetime.fromisoformat(NOW)
REGISTER_NUMBERS = ("14031500200", "14112200300", "16010100100", "16022900400")
"""Every rijksregisternummer in the fixture."""


def flemish_file() -> bytes:
    """Return the Flemish fixture's bytes."""
    return FIXTURE.read_bytes()


def coordinator(kit: Examkit, account: str = "coord", school: ImportPlace = SCHOOL) -> str:
    """Store *account* as the test coordinator (*toetscoördinator*) of *school*; return its id."""
    return store_actor(
        kit.backend,
        account,
        [("vlaamse_toetsen.test_coordinator", [school])],
        institutions=(),
        granted_at=AT,
    )


def sql_kit(path: Path) -> Examkit:
    """Return a kit on a SQLite file at *path*, its clock at :data:`AT`."""
    from examkit.backends.sql import SQLBackend

    return make_kit(backend=SQLBackend(f"sqlite:///{path}"), now=NOW)


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def kit(request: pytest.FixtureRequest) -> Iterator[Examkit]:
    if request.param == "memory":
        backend: Backend = MemoryBackend()
    else:
        from examkit.backends.sql import SQLBackend

        fixture = "sqlite_url" if request.param == "sqlite" else "postgres_url"
        backend = SQLBackend(request.getfixturevalue(fixture), migrate=False)
    kit = make_kit(backend=backend, now=NOW)
    yield kit
    kit.close()


def clock(kit: Examkit) -> ManualClock:
    assert isinstance(kit.clock, ManualClock)
    return kit.clock


# -- parsing -----------------------------------------------------------------------------


@pytest.mark.req("EDX-1")
def test_the_fixture_parses_as_a_flemish_school() -> None:
    roster = parse(flemish_file())
    assert "2.0" == str(roster.version)
    assert SCHOOL == roster.school.instellingsnummer
    assert (None, None) == (roster.school.brin, roster.school.location)
    assert "VBS-DE-LINDE" == roster.school.schoolkey
    assert YEAR == roster.school.school_year
    assert ["L4A", "L4B", "L6A"] == [group.key for group in roster.groups]
    assert ["SG-LEZEN"] == [group.key for group in roster.combination_groups]
    assert ["LL-0001", "LL-0002", "LL-0003", "LL-0004", "LL-0005"] == [
        pupil.key for pupil in roster.pupils
    ]
    wout = roster.pupils[3]
    assert ("Wout de Maes", "6", True) == (
        wout.name.full_name,
        wout.year_group,
        wout.year_group_derived,
    )
    assert ["edexml.pupil.year_group_derived"] == [w.code for w in roster.warnings]


@pytest.mark.req("EDX-6")
def test_the_parser_keeps_no_register_number() -> None:
    roster = parse(flemish_file())
    text = repr(roster)
    for number in REGISTER_NUMBERS:
        assert number not in text


# -- the import: preview, confirm; what is kept ------------------------------------------


@pytest.mark.req("EDX-2", "EDX-3", "EDX-6")
def test_a_flemish_file_is_previewed_and_confirmed_for_its_school(kit: Examkit) -> None:
    actor = coordinator(kit)
    preview = kit.edexml_imports.preview(actor, flemish_file())
    assert SCHOOL == preview.location
    assert SCHOOL == preview.school.instellingsnummer
    assert YEAR == preview.school_year
    assert (3, 1, 5, 3) == (
        preview.counts.groups,
        preview.counts.combination_groups,
        preview.counts.pupils,
        preview.counts.teachers,
    )
    assert 5 == len(preview.diff.pupils.added)
    assert "Lotte Peeters" == preview.names["pupils"]["LL-0001"]
    assert ["edexml.pupil.year_group_derived"] == [w.code for w in preview.warnings]
    again = kit.edexml_imports.get_preview(actor, preview.id)
    assert (SCHOOL, SCHOOL) == (again.location, again.school.instellingsnummer)
    result = kit.edexml_imports.confirm(actor, preview)
    assert (SCHOOL, YEAR) == (result.location, result.school_year)
    assert (YEAR,) == kit.rosters.school_years(SCHOOL)
    classes = kit.rosters.classes(SCHOOL, YEAR)
    assert roster_key(SCHOOL, YEAR) == classes.id
    assert ["4A", "4B", "6A"] == [group.name for group in classes.groups]


@pytest.mark.req("EDX-6")
def test_only_what_the_flemish_desk_needs_is_kept(kit: Examkit) -> None:
    actor = coordinator(kit)
    kit.edexml_imports.confirm(actor, kit.edexml_imports.preview(actor, flemish_file()))
    stored = kit.rosters.pupils_for(actor, SCHOOL, school_year=YEAR).items
    lotte = stored[0]
    assert (SCHOOL, YEAR, None) == (lotte.location, lotte.school_year, lotte.archived_at)
    assert (
        Pupil(
            "LL-0001",
            PersonName("Peeters", first_names="Lotte Marie", initials="LM", called_name="Lotte"),
            year_group="8",
            group="L6A",
        )
        == lotte.pupil
    )
    for item in stored:  # no birth date, gender, eckid or site of any pupil
        assert (None, None, None, None) == (
            item.pupil.birth_date,
            item.pupil.gender,
            item.pupil.eckid,
            item.pupil.site,
        )
    assert ("SG-LEZEN",) == stored[1].pupil.combination_groups
    teachers = kit.rosters.classes(SCHOOL, YEAR).teachers
    assert (
        Teacher(
            "LK-02",
            PersonName("Wouters", called_name="Jef"),
            groups=(
                TeacherGroup("L6A", roles=("LRK",)),
                TeacherGroup("SG-LEZEN", combination=True),
            ),
        )
        == teachers[1]
    )
    assert ("DIR",) == teachers[0].roles
    assert all(teacher.email is None and teacher.eckid is None for teacher in teachers)


@pytest.mark.req("EDX-4")
def test_a_second_flemish_file_synchronises(kit: Examkit) -> None:
    actor = coordinator(kit)
    kit.edexml_imports.confirm(actor, kit.edexml_imports.preview(actor, flemish_file()))
    changed = (
        flemish_file()
        .replace(b"<roepnaam>Fien</roepnaam>", b"<roepnaam>Fiene</roepnaam>")
        .replace(b'<leerling key="LL-0003">', b'<leerling key="LL-0006">')
    )
    preview = kit.edexml_imports.preview(actor, changed)
    assert (("LL-0006",), ("LL-0003",)) == (preview.diff.pupils.added, preview.diff.pupils.gone)
    assert ["LL-0005"] == [change.key for change in preview.diff.pupils.changed]
    kit.edexml_imports.confirm(actor, preview)
    current = [item.pupil.key for item in kit.rosters.pupils_for(actor, SCHOOL).items]
    assert ["LL-0001", "LL-0002", "LL-0004", "LL-0005", "LL-0006"] == current
    assert "Fiene" == kit.rosters.pupils(SCHOOL, group="L4B").items[0].pupil.name.called_name


@pytest.mark.req("EDX-2", "EDX-5")
def test_only_the_schools_coordinator_imports_its_file(kit: Examkit) -> None:
    elsewhere = coordinator(kit, "coord2", OTHER_SCHOOL)
    with pytest.raises(NotPermitted) as caught:
        kit.edexml_imports.preview(elsewhere, flemish_file())
    assert "imports.school.not_permitted" == caught.value.code
    assert "Je mag voor school 45678 geen leerlingen inlezen" in caught.value.message("nl")
    assert "You may not import pupils for school 45678" in caught.value.message("en")
    dutch_admin = store_actor(
        kit.backend, "admin", [("cito_lvs.administrator", [DUTCH])], granted_at=AT
    )
    with pytest.raises(NotPermitted, match="school 45678"):
        kit.edexml_imports.preview(dutch_admin, flemish_file())
    assistant = store_actor(
        kit.backend,
        "assistant",
        [("vlaamse_toetsen.test_assistant", [SCHOOL])],
        institutions=(),
        granted_at=AT,
    )
    with pytest.raises(NotPermitted) as refused:
        kit.edexml_imports.preview(assistant, flemish_file())
    assert "imports.actor.no_location" == refused.value.code


@pytest.mark.req("EDX-2", "EDX-5")
def test_a_flemish_file_never_lands_at_a_chosen_dutch_location(kit: Examkit) -> None:
    actor = coordinator(kit)
    with pytest.raises(InvalidInput) as caught:
        kit.edexml_imports.preview(actor, flemish_file(), location=DUTCH)
    error = caught.value
    assert ("imports.school.mismatch", "location") == (error.code, error.field)
    assert "Het bestand is van school 45678 (instellingsnummer), niet van de gekozen 22AB00." == (
        error.message("nl")
    )
    assert "The file is for school 45678 (instellingsnummer), not for the chosen 22AB00." == (
        error.message("en")
    )
    assert SCHOOL == kit.edexml_imports.preview(actor, flemish_file(), location=SCHOOL).location


@pytest.mark.req("EDX-2", "EDX-5")
def test_a_dutch_file_is_not_imported_for_a_chosen_flemish_school(kit: Examkit) -> None:
    admin = store_actor(kit.backend, "admin", [("cito_lvs.administrator", [DUTCH])], granted_at=AT)
    dutch = flemish_file().replace(
        b"<instellingsnummer>45678</instellingsnummer>",
        b"<brincode>22AB</brincode><dependancecode>00</dependancecode>",
    )
    with pytest.raises(InvalidInput) as caught:
        kit.edexml_imports.preview(admin, dutch, location=SCHOOL)
    assert "imports.location.mismatch" == caught.value.code
    assert DUTCH == kit.edexml_imports.preview(admin, dutch).location


@pytest.mark.req("EDX-2")
def test_a_file_with_only_a_schoolkey_may_be_imported_for_a_chosen_flemish_school(
    kit: Examkit,
) -> None:
    actor = coordinator(kit)
    keyed = flemish_file().replace(b"<instellingsnummer>45678</instellingsnummer>", b"")
    with pytest.raises(InvalidInput) as caught:
        kit.edexml_imports.preview(actor, keyed)
    assert "imports.location.missing" == caught.value.code
    preview = kit.edexml_imports.preview(actor, keyed, location=SCHOOL)
    assert SCHOOL == preview.location
    kit.edexml_imports.confirm(actor, preview)
    assert all(item.pupil.birth_date is None for item in kit.rosters.pupils(SCHOOL).items)


@pytest.mark.req("EDX-4", "EDX-6")
def test_a_flemish_year_can_be_removed_and_a_preview_cancelled(kit: Examkit) -> None:
    actor = coordinator(kit)
    kit.edexml_imports.cancel(actor, kit.edexml_imports.preview(actor, flemish_file()))
    kit.edexml_imports.confirm(actor, kit.edexml_imports.preview(actor, flemish_file()))
    assert 5 == kit.edexml_imports.remove_year(actor, SCHOOL, YEAR)
    with pytest.raises(NotFound) as caught:
        kit.rosters.pupils_for(actor, SCHOOL)
    assert "imports.school.no_import" == caught.value.code
    assert "Voor school 45678 is nog niets ingelezen." == caught.value.message("nl")


# -- the desk's pupils: kit.rosters ------------------------------------------------------


@pytest.mark.req("EDX-3", "ROLE-5")
def test_the_desk_reads_the_imported_pupils_of_its_school(kit: Examkit) -> None:
    actor = coordinator(kit)
    kit.edexml_imports.confirm(actor, kit.edexml_imports.preview(actor, flemish_file()))
    page = kit.rosters.pupils_for(actor, SCHOOL, limit=2)
    assert ["LL-0001", "LL-0002"] == [item.pupil.key for item in page.items]
    rest = kit.rosters.pupils_for(actor, SCHOOL, after=page.next_after, limit=10)
    assert ["LL-0003", "LL-0004", "LL-0005"] == [item.pupil.key for item in rest.items]
    classes = kit.rosters.classes_for(actor, SCHOOL)
    assert ["L4A", "L4B", "L6A"] == [group.key for group in classes.groups]
    members = kit.rosters.class_pupils(actor, SCHOOL, "SG-LEZEN")
    assert ["LL-0002", "LL-0003"] == [item.pupil.key for item in members.items]
    # What the desk registers: the pupil's key and name, its class as the pupil group.
    window = RegistrationWindow(date(2024, 9, 1), date(2025, 2, 28))
    registration = kit.flemish.open_registration(
        actor, school=SCHOOL, school_year=YEAR, window=window, parents_deadline=date(2025, 2, 21)
    )
    lotte = kit.rosters.pupils_for(actor, SCHOOL, school_year=registration.school_year).items[0]
    stored = kit.flemish.set_pupil(
        actor,
        registration.id,
        PupilRegistration(lotte.pupil.key, lotte.pupil.name.full_name, group="6A"),
    )
    assert [("LL-0001", "Lotte Peeters")] == [(p.pupil, p.name) for p in stored.pupils]


@pytest.mark.req("ROLE-5")
def test_others_do_not_see_the_schools_pupils(kit: Examkit) -> None:
    actor = coordinator(kit)
    kit.edexml_imports.confirm(actor, kit.edexml_imports.preview(actor, flemish_file()))
    assistant = store_actor(
        kit.backend,
        "assistant",
        [("vlaamse_toetsen.test_assistant", [SCHOOL])],
        institutions=(),
        granted_at=AT,
    )
    elsewhere = coordinator(kit, "coord2", OTHER_SCHOOL)
    for account in (assistant, elsewhere):
        with pytest.raises(NotPermitted):
            kit.rosters.pupils_for(account, SCHOOL)
        with pytest.raises(NotPermitted):
            kit.rosters.classes_for(account, SCHOOL)
        with pytest.raises(NotPermitted):
            kit.rosters.class_pupils(account, SCHOOL, "L4A")


def test_the_import_action_is_the_coordinators() -> None:
    from examkit.permissions import MATRIX

    assert FLEMISH_IMPORT_ACTION in MATRIX.role("vlaamse_toetsen.test_coordinator").actions
    assert FLEMISH_IMPORT_ACTION not in MATRIX.role("vlaamse_toetsen.test_assistant").actions


# -- no register number survives anywhere ------------------------------------------------


def _database_bytes(path: Path) -> bytes:
    """Return the SQLite file's bytes after a WAL checkpoint and a VACUUM (freed pages gone)."""
    import sqlite3

    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute("VACUUM")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def _every_stored_text(path: Path) -> str:
    """Return every value of every row of every table of the SQLite database at *path*."""
    import sqlite3

    connection = sqlite3.connect(path)
    try:
        tables = [
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        values = [
            str(value)
            for table in tables
            for row in connection.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - own names
            for value in row
        ]
    finally:
        connection.close()
    return "\n".join(values)


def _trace_of(number: str) -> re.Pattern[bytes]:
    """Return a pattern finding *number* in bytes, also in UTF-16 and split by separators."""
    digits = [re.escape(digit.encode()) for digit in number]
    return re.compile(rb"[\x00.\- ]{0,2}".join(digits))


@pytest.mark.req("EDX-6")
def test_no_register_number_survives_anywhere_on_the_sql_backend(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """After a preview, a confirmation, a second preview held and a third cancelled.

    The whole database is searched: every row of every table (the pupils, the
    class lists, the pending imports, the audit trail) and the file's bytes.
    """
    path = tmp_path / "flemish.db"
    kit = sql_kit(path)
    caplog.set_level(logging.DEBUG)
    try:
        actor = coordinator(kit)
        held = kit.edexml_imports.preview(actor, flemish_file())
        kit.edexml_imports.confirm(actor, held)
        changed = flemish_file().replace(b"Peeters", b"Peeters-Goossens")
        pending = kit.edexml_imports.preview(actor, changed)  # held while the bytes are read
        shown = repr(kit.edexml_imports.get_preview(actor, pending.id))
        cancelled = kit.edexml_imports.preview(actor, changed)
        kit.edexml_imports.cancel(actor, cancelled)
        listed = repr(kit.rosters.pupils_for(actor, SCHOOL).items)
    finally:
        kit.close()
    stored = _database_bytes(path)
    rows = _every_stored_text(path)
    assert b"Peeters-Goossens" in stored  # the control: the held preview is in the file
    assert "Lotte" in rows
    assert "Peeters" in rows
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for number in REGISTER_NUMBERS:
        assert _trace_of(number).search(stored) is None
        assert _trace_of(number).search(stored.replace(b"\x00", b"")) is None
        assert number not in rows
        for text in (shown, listed, logged):
            assert number not in text


# -- the Dutch files import as before ----------------------------------------------------


@pytest.mark.req("EDX-3", "EDX-6")
def test_a_dutch_file_still_keeps_what_it_kept(kit: Examkit) -> None:
    """The same school as a Dutch location: every value the parser keeps is stored."""
    admin = store_actor(kit.backend, "admin", [("cito_lvs.administrator", [DUTCH])], granted_at=AT)
    data = flemish_file().replace(
        b"<instellingsnummer>45678</instellingsnummer>",
        b"<brincode>22AB</brincode><dependancecode>00</dependancecode>",
    )
    roster = parse(data)
    assert date(2014, 3, 15) == roster.pupils[0].birth_date
    assert "hilde.claes@example.org" == roster.teachers[0].email
    preview = kit.edexml_imports.preview(admin, data)
    assert (DUTCH, DUTCH) == (preview.location, preview.school.location)
    kit.edexml_imports.confirm(admin, preview)
    stored = kit.rosters.pupils(DUTCH, school_year=YEAR).items
    assert list(roster.pupils) == [item.pupil for item in stored]
    assert {DUTCH} == {item.location for item in stored}
    assert roster.teachers == kit.rosters.classes(DUTCH, YEAR).teachers
    assert list(roster.pupils) == [
        item.pupil for item in kit.rosters.pupils_for(admin, DUTCH).items
    ]


# -- bad Flemish input: clear errors, no register number in them -------------------------


def _problems(kit: Examkit, data: bytes) -> list[EdexmlProblem]:
    """Return the problems of the preview of *data* (which must be refused for its errors)."""
    with pytest.raises(ExamkitErrorGroup) as caught:
        kit.edexml_imports.preview(coordinator(kit), data)
    group = caught.value
    assert "edexml.invalid" == group.code
    return [problem for problem in group.exceptions if isinstance(problem, EdexmlProblem)]


def _texts(error: ExamkitError) -> str:
    """Return every text *error* gives: both languages, located, and its str()."""
    return "\n".join(
        (error.message("nl"), error.message("en"), error.located("nl"), str(error), repr(error))
    )


@pytest.mark.req("EDX-1", "EDX-6")
def test_a_wrong_register_number_is_an_error_that_does_not_repeat_it(kit: Examkit) -> None:
    wrong = "1403150020"  # ten digits
    problems = _problems(kit, flemish_file().replace(b"14031500200", wrong.encode()))
    errors = [problem for problem in problems if problem.is_error]
    assert [("edexml.value.personal_number", 51)] == [(e.code, e.line) for e in errors]
    error = errors[0]
    assert "/EDEX/leerlingen/leerling[1]/rijksregisternummer" == error.field
    assert (
        "<rijksregisternummer> moet uit 11 cijfers bestaan; examkit toont de waarde niet, "
        "want het is een persoonsnummer." == error.message("nl")
    )
    assert (
        "<rijksregisternummer> must be 11 digits; examkit does not show the value, as it is "
        "a personal number." == error.message("en")
    )
    for problem in problems:
        assert wrong not in _texts(problem)
    with kit.backend.begin() as uow:  # rolled back: only counting what a purge would find
        assert 0 == uow.pending_imports.purge_expired(AT + timedelta(days=999))


@pytest.mark.req("EDX-1", "EDX-6")
def test_a_users_extra_schema_does_not_repeat_a_register_number() -> None:
    """libxml2's own text names the value; examkit leaves it out for a personal number."""
    from examkit.edexml import inspect

    schema = b"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
      <xs:element name="EDEX"><xs:complexType><xs:sequence>
        <xs:any processContents="lax" minOccurs="0" maxOccurs="unbounded"/>
      </xs:sequence><xs:anyAttribute processContents="skip"/></xs:complexType></xs:element>
      <xs:element name="rijksregisternummer"><xs:simpleType><xs:restriction base="xs:string">
        <xs:pattern value="[0-9]{10}"/></xs:restriction></xs:simpleType></xs:element>
    </xs:schema>"""
    verdict = inspect(flemish_file(), schema=schema)
    extra = [p for p in verdict.errors if p.code == "edexml.extra_schema.invalid"]
    assert [51, 67, 80, 89] == [problem.line for problem in extra]
    assert "The value '…' is not accepted" in extra[0].message("en")
    for problem in verdict.problems:
        for number in REGISTER_NUMBERS:
            assert number not in _texts(problem)


@pytest.mark.req("EDX-1")
def test_a_wrong_instellingsnummer_is_an_error_with_its_line(kit: Examkit) -> None:
    data = flemish_file().replace(b">45678<", b">4<")
    errors = [problem for problem in _problems(kit, data) if problem.is_error]
    assert [("edexml.value.instellingsnummer", 9, "/EDEX/school/instellingsnummer")] == [
        (error.code, error.line, error.field) for error in errors
    ]
    assert "'4' in <instellingsnummer> is geen instellingsnummer: 2 tot 6 cijfers." == (
        errors[0].message("nl")
    )
    assert "'4' in <instellingsnummer> is not an instellingsnummer: 2 to 6 digits." == (
        errors[0].message("en")
    )


@pytest.mark.req("EDX-1", "EDX-5")
def test_a_file_with_a_brin_and_an_instellingsnummer_is_refused(kit: Examkit) -> None:
    data = flemish_file().replace(
        b"<instellingsnummer>", b"<brincode>22AB</brincode><instellingsnummer>"
    )
    errors = [problem for problem in _problems(kit, data) if problem.is_error]
    assert [("edexml.element.unexpected", 9)] == [(error.code, error.line) for error in errors]
    assert errors[0].message("nl").startswith("<instellingsnummer> hoort hier niet")
    assert errors[0].message("en").startswith("<instellingsnummer> does not belong here")


@pytest.mark.req("EDX-2", "EDX-5")
def test_an_unusable_instellingsnummer_refuses_the_import_with_its_line(kit: Examkit) -> None:
    """Arabic-Indic digits pass the standard's pattern but are no instellingsnummer."""
    data = flemish_file().replace(b">45678<", ">٤٥٦٧٨<".encode())
    with pytest.raises(InvalidInput) as caught:
        kit.edexml_imports.preview(coordinator(kit), data, location=DUTCH)
    error = caught.value
    assert ("imports.school.instellingsnummer_unusable", "instellingsnummer", 9) == (
        error.code,
        error.field,
        error.line,
    )
    assert (
        "Het instellingsnummer '٤٥٦٧٨' is niet bruikbaar: schrijf 2 tot 6 cijfers 0-9. "
        "Het bestand is niet ingelezen." == error.message("nl")
    )
    assert (
        "The instellingsnummer '٤٥٦٧٨' cannot be used: write 2 to 6 digits 0-9. The file "
        "was not imported." == error.message("en")
    )
    with kit.backend.begin() as uow:  # rolled back: only counting what a purge would find
        assert 0 == uow.pending_imports.purge_expired(AT + timedelta(days=999))


@pytest.mark.req("EDX-1", "EDX-6")
def test_a_pupil_keyed_by_its_register_number_is_refused_without_repeating_it(
    kit: Examkit,
) -> None:
    """A school system that keys pupils by their national register number: the key would be
    stored, so the file is refused, and no message repeats the number."""
    number = "16022900400"  # Wout de Maes's, who has no jaargroep (a warning naming his key)
    data = flemish_file().replace(
        b'<leerling key="LL-0004">', f'<leerling key="{number}">'.encode()
    )
    problems = _problems(kit, data)
    errors = [problem for problem in problems if problem.is_error]
    assert [("edexml.pupil.key_is_personal_number", 82, "/EDEX/leerlingen/leerling[4]")] == [
        (error.code, error.line, error.field) for error in errors
    ]
    assert (
        "De key van deze leerling is zijn <rijksregisternummer>; examkit bewaart geen "
        "persoonsnummers. Laat de leerlingadministratie een andere key gebruiken."
        == errors[0].message("nl")
    )
    assert (
        "This pupil's key is its <rijksregisternummer>; examkit keeps no personal numbers. "
        "Have the school administration use another key." == errors[0].message("en")
    )
    assert ["edexml.pupil.year_group_derived"] == [p.code for p in problems if not p.is_error]
    for problem in problems:
        assert number not in _texts(problem)


@pytest.mark.req("EDX-1", "EDX-6")
def test_a_dutch_pupil_keyed_by_its_bsn_is_refused_too() -> None:
    data = (
        flemish_file()
        .replace(b"<instellingsnummer>45678</instellingsnummer>", b"<brincode>22AB</brincode>")
        .replace(b"<rijksregisternummer>14031500200</rijksregisternummer>", b"<bsn>111222333</bsn>")
        .replace(b'<leerling key="LL-0001">', b'<leerling key="111222333">')
    )
    with pytest.raises(ExamkitErrorGroup) as caught:
        parse(data)
    errors = [problem for problem in caught.value.exceptions if isinstance(problem, EdexmlProblem)]
    assert [("edexml.pupil.key_is_personal_number", "<bsn>")] == [
        (error.code, error.params["name"]) for error in errors if error.is_error
    ]
    for error in errors:
        assert "111222333" not in _texts(error)
    assert parse(data.replace(b'key="111222333"', b'key="LL-0001"')).pupils[0].key == "LL-0001"
