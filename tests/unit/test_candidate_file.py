# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The candidate file: delimiters, encodings, the header, and every bad row with its line."""

from __future__ import annotations

from datetime import timedelta

import pytest

from examkit.errors import ExamkitErrorGroup, NotPermitted
from examkit.scheduling import read_candidate_file
from examkit.testing import ManualClock, MemoryAuditLog
from examkit.testing.sessions import L00, START, make_session_kit

GOOD = (
    "achternaam;voornaam;examennummer;klas;extra_tijd;voorlezen;vergroting;"
    "spellingcontrole;aparte_ruimte\r\n"
    "de Vries;Sanne;1001;4HA;30;ja;nee;j;\r\n"
    "Çelik;Ayşe Noëlle;1002;4HB;;nee;ja;nee;x\r\n"
    "\r\n"
    "Müller;Jürgen;1003;4HB;0;;;;\r\n"
)


def names(data: bytes) -> list[tuple[str, str, int]]:
    return [(row.last_name, row.first_name, row.line) for row in read_candidate_file(data)]


@pytest.mark.req("SCH-1")
def test_semicolons_in_utf8_with_and_without_bom_read_the_same() -> None:
    """A Dutch spreadsheet's ';' file reads the same with or without a BOM."""
    expected = [
        ("de Vries", "Sanne", 2),
        ("Çelik", "Ayşe Noëlle", 3),
        ("Müller", "Jürgen", 5),
    ]
    assert expected == names(GOOD.encode("utf-8"))
    assert expected == names(b"\xef\xbb\xbf" + GOOD.encode("utf-8"))


@pytest.mark.req("SCH-1")
def test_windows_1252_and_commas_read_right() -> None:
    """Excel's 'CSV (gescheiden door lijstscheidingsteken)' in Windows-1252, and commas."""
    text = "Achternaam,Voornaam,Extra tijd\nMüller,Jürgen,15\nÇelik,Noëlle,\n"
    rows = read_candidate_file(text.encode("cp1252"))
    assert [("Müller", "Jürgen", 15), ("Çelik", "Noëlle", 0)] == [
        (r.last_name, r.first_name, r.facilities.extra_time_minutes) for r in rows
    ]


@pytest.mark.req("SCH-1")
def test_facilities_are_read_as_data() -> None:
    """Extra time and the ja/nee columns become the candidate's facilities."""
    first, second, third = read_candidate_file(GOOD.encode("utf-8"))
    assert (30, True, False, True, False) == (
        first.facilities.extra_time_minutes,
        first.facilities.read_aloud,
        first.facilities.enlarged_print,
        first.facilities.spelling_aid,
        first.facilities.own_room,
    )
    assert second.facilities.own_room
    assert timedelta(0) == third.facilities.extra_time
    assert ("1002", "4HB") == (second.number, second.class_key)


@pytest.mark.req("SCH-1")
def test_every_bad_row_is_reported_with_its_line() -> None:
    """All problems at once, each with line and column, in file order."""
    text = (
        "achternaam;voornaam;examennummer;extra_tijd;voorlezen\n"
        "de Vries;Sanne;1001;30;ja\n"
        ";Piet;1002;;\n"
        "Jansen;Kees;1003;veel;misschien\n"
        "Bakker;Anna;1001;;\n"
        "te weinig;velden\n"
        "Smit;Jan;1005;300;\n"
    )
    with pytest.raises(ExamkitErrorGroup) as caught:
        read_candidate_file(text.encode("utf-8"))
    assert [
        (3, "achternaam", "input.required"),
        (4, "extra_tijd", "sessions.file.extra_time"),
        (4, "voorlezen", "sessions.file.flag"),
        (5, "examennummer", "sessions.file.number_twice"),
        (6, None, "sessions.file.cells"),
        (7, "extra_tijd", "sessions.file.extra_time"),
    ] == [(p.line, p.field, p.code) for p in caught.value.problems]
    assert "Examennummer 1001 staat ook al op regel 2." == caught.value.problems[3].message("nl")


@pytest.mark.req("SCH-1")
def test_a_bad_header_is_reported_before_any_row() -> None:
    """Unknown and missing columns are problems of line 1."""
    with pytest.raises(ExamkitErrorGroup) as caught:
        read_candidate_file(b"naam;geboortedatum\nSanne;2009-01-01\n")
    assert [
        (1, "naam", "sessions.file.column"),
        (1, "geboortedatum", "sessions.file.column"),
        (1, "achternaam", "sessions.file.missing_column"),
        (1, "voornaam", "sessions.file.missing_column"),
    ] == [(p.line, p.field, p.code) for p in caught.value.problems]
    with pytest.raises(ExamkitErrorGroup):
        read_candidate_file(b"")
    with pytest.raises(ExamkitErrorGroup):
        read_candidate_file(b"achternaam;voornaam\n")


@pytest.mark.req("SCH-1")
def test_nothing_is_stored_from_a_file_with_errors() -> None:
    """The planner's import stores all rows of a good file and none of a bad one."""
    audit = MemoryAuditLog()
    kit = make_session_kit(ManualClock(START), audit)
    planner = "planner"
    with pytest.raises(ExamkitErrorGroup):
        kit.candidates.import_candidates(planner, L00, (GOOD + ";;;;;;;;\nx;;;;;;;;\n").encode())
    with kit.backend.begin(readonly=True) as uow:
        assert () == uow.candidates.list().items
    assert ("sessions.candidates.import", "failure") == (
        audit.events[-1].action,
        audit.events[-1].outcome,
    )
    with pytest.raises(NotPermitted):
        kit.candidates.import_candidates("proctor", L00, GOOD.encode())
    made = kit.candidates.import_candidates(planner, L00, GOOD.encode())
    assert 3 == len({c.login_name for c in made})
    with kit.backend.begin(readonly=True) as uow:
        assert 3 == len(uow.candidates.list(location=L00).items)
