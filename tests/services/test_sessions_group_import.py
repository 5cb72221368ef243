# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Reading session groups from a file: every bad row with its line, a status per group."""

from __future__ import annotations

from datetime import timedelta

import pytest

from examkit import Examkit
from examkit.errors import ExamkitErrorGroup, NotPermitted
from examkit.scheduling import Facilities, read_group_file
from examkit.testing import ManualClock, MemoryAuditLog
from examkit.testing.sessions import L00, START, make_session_kit

HEADER = "groep;toets;datum;starttijd;lokaal;afnameleider;examennummer;eerste_corrector\n"


@pytest.fixture
def kit() -> Examkit:
    kit = make_session_kit(ManualClock(START - timedelta(days=1)), MemoryAuditLog())
    planner = "planner"
    for number, extra in (("1001", 0), ("1002", 0), ("1003", 45)):
        kit.candidates.add_candidate(
            planner,
            location=L00,
            first_name="Kandidaat",
            last_name=number,
            number=number,
            facilities=Facilities(extra_time_minutes=extra),
        )
    return kit


@pytest.mark.req("SCH-1")
def test_every_bad_row_of_a_group_file_is_reported_with_its_line() -> None:
    """Bad dates, times, forms, missing fields and disagreeing lines, all at once."""
    text = (
        HEADER
        + "A;NE-GL-2026;12-05-2026;09:00;Aula;proctor;1001;corrector\n"
        + "A;NE-GL-2026;12-05-2026;10:00;Aula;proctor;1002;corrector\n"
        + "B;NE-GL-2026;31-02-2026;9u;Aula;proctor;1003;\n"
        + "C;;2026-05-12;09:00;Aula;proctor;;\n"
    )
    with pytest.raises(ExamkitErrorGroup) as caught:
        read_group_file(text.encode("cp1252"))
    assert [
        (3, "groep", "sessions.file.group_differs"),
        (4, "datum", "sessions.file.date"),
        (4, "starttijd", "sessions.file.time"),
        (5, "toets", "input.required"),
        (5, "examennummer", "input.required"),
    ] == [(p.line, p.field, p.code) for p in caught.value.problems]


@pytest.mark.req("SCH-1")
def test_importing_plans_each_group_and_reports_its_status(kit: Examkit) -> None:
    """Group A is planned; B (45 minutes extra at a central exam) and C (unknown) are refused."""
    text = (
        HEADER
        + "A;NE-GL-2026;2026-05-12;09:00;Aula;proctor;1001;corrector\n"
        + "A;NE-GL-2026;2026-05-12;09:00;Aula;proctor;1002;corrector\n"
        + "B;NE-GL-2026;2026-05-13;09:00;Aula;proctor;1003;corrector\n"
        + "C;NE-GL-2026;2026-05-14;09:00;Aula;proctor;9999;corrector\n"
    )
    result = kit.planning.import_groups("planner", L00, text.encode())
    assert "partial" == result.status
    assert [
        ("A", (2, 3), None),
        ("B", (4,), "sessions.group.extra_time"),
        ("C", (5,), "sessions.file.unknown_number"),
    ] == [(line.label, line.lines, line.problem) for line in result.lines]
    planned = result.lines[0].group
    assert planned is not None
    group = kit.planning.group(planned)
    assert (2, START) == (len(group.candidates), group.starts_at)
    with pytest.raises(NotPermitted):
        kit.planning.import_groups("proctor", L00, text.encode())
