"""The session-group file (*inlezen afnamegroep*): one line per candidate in a group.

Pure: it takes the file's bytes and returns rows or every problem at once.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Final

import attrs

from examkit._fields import clean_text
from examkit.errors import ExamkitError, ExamkitErrorGroup, InvalidInput
from examkit.scheduling._candidate_file import decode_text, detect_delimiter
from examkit.scheduling._model import AMSTERDAM, Mode

GROUP_FILE_COLUMNS: Final[Mapping[str, str]] = {
    "groep": "The group's label in the file: lines with the same label form one group.",
    "toets": "The test's code.",
    "datum": "The date: 2026-05-12 or 12-05-2026.",
    "starttijd": "The start, in Amsterdam time: 09:00.",
    "lokaal": "The room.",
    "afnameleider": "The proctor's account id.",
    "examennummer": "The candidate's number (their examennummer).",
    "vorm": "online or offline (default online).",
    "fao": "The offline server's id (offline groups).",
    "eerste_corrector": "The first corrector's account id.",
    "tweede_corrector": "The second corrector's account id.",
}
"""The documented header of a session-group file, column by column.

:meta hide-value:
"""

GROUP_FILE_REQUIRED: Final = (
    "groep",
    "toets",
    "datum",
    "starttijd",
    "lokaal",
    "afnameleider",
    "examennummer",
)
"""The columns every session-group file has."""

_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})|(\d{1,2})-(\d{1,2})-(\d{4})")
_TIME = re.compile(r"(\d{1,2})[:.](\d{2})")


@attrs.frozen
class GroupRow:
    """One line of a session-group file: a candidate in a group.

    Implements SCH-1.
    """

    line: int
    """The file's line."""
    label: str
    """The group's label in the file."""
    exam: str
    """The test's code."""
    starts_at: datetime
    """The start (aware)."""
    room: str
    """The room."""
    proctor: str
    """The proctor's account id."""
    number: str
    """The candidate's number."""
    mode: Mode = Mode.ONLINE
    """Online or offline."""
    offline_server: str | None = None
    """The offline server's id."""
    first_corrector: str | None = None
    """The first corrector's account id."""
    second_corrector: str | None = None
    """The second corrector's account id."""


def _parse_date(text: str, line: int) -> date:
    found = _DATE.fullmatch(text.strip())
    try:
        if found is not None and found.group(1):
            return date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
        if found is not None:
            return date(int(found.group(6)), int(found.group(5)), int(found.group(4)))
    except ValueError:
        pass
    raise InvalidInput("sessions.file.date", field="datum", line=line, value=text)


def _parse_time(text: str, line: int) -> time:
    found = _TIME.fullmatch(text.strip())
    if found is not None and int(found.group(1)) < 24 and int(found.group(2)) < 60:
        return time(int(found.group(1)), int(found.group(2)))
    raise InvalidInput("sessions.file.time", field="starttijd", line=line, value=text)


def _group_row(cells: Mapping[str, str], line: int) -> GroupRow:
    problems: list[ExamkitError] = []
    for column in GROUP_FILE_REQUIRED:
        if not clean_text(cells.get(column, "")):
            problems.append(InvalidInput("input.required", field=column, line=line))
    when: date | None = None
    at: time | None = None
    try:
        when = _parse_date(cells.get("datum", ""), line)
    except InvalidInput as error:
        if cells.get("datum", "").strip():
            problems.append(error)
    try:
        at = _parse_time(cells.get("starttijd", ""), line)
    except InvalidInput as error:
        if cells.get("starttijd", "").strip():
            problems.append(error)
    mode_text = clean_text(cells.get("vorm", "")).lower() or "online"
    if mode_text not in {"online", "offline"}:
        problems.append(
            InvalidInput("sessions.file.mode", field="vorm", line=line, value=mode_text)
        )
    if problems or when is None or at is None:
        raise ExamkitErrorGroup(problems)

    def optional(column: str) -> str | None:
        return clean_text(cells.get(column, "")) or None

    return GroupRow(
        line=line,
        label=clean_text(cells["groep"]),
        exam=clean_text(cells["toets"]),
        starts_at=datetime.combine(when, at, tzinfo=AMSTERDAM),
        room=clean_text(cells["lokaal"]),
        proctor=clean_text(cells["afnameleider"]),
        number=clean_text(cells["examennummer"]),
        mode=Mode(mode_text),
        offline_server=optional("fao"),
        first_corrector=optional("eerste_corrector"),
        second_corrector=optional("tweede_corrector"),
    )


def read_group_file(data: bytes) -> tuple[GroupRow, ...]:
    r"""Read a session-group file: CSV as the candidate file, one line per candidate.

    Lines with the same ``groep`` form one group and must agree on the
    group's columns (test, date, start, room, proctor, form, server,
    correctors). Every problem of every line is reported at once.

    >>> rows = read_group_file(
    ...     b"groep;toets;datum;starttijd;lokaal;afnameleider;examennummer\n"
    ...     b"A;NE-GL-2026;12-05-2026;09:00;Aula;proctor;1001\n")
    >>> rows[0].label, rows[0].starts_at.isoformat(), rows[0].line
    ('A', '2026-05-12T09:00:00+02:00', 2)

    Raises:
        ExamkitErrorGroup: every problem found, each with its line.

    Implements SCH-1.
    """
    text = decode_text(data)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise ExamkitErrorGroup([InvalidInput("sessions.file.empty", line=1)])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=detect_delimiter(lines[0]))
    header = ["_".join(cell.strip().lower().split()) for cell in next(reader)]
    problems: list[ExamkitError] = []
    problems += [
        InvalidInput("sessions.file.column", field=column, line=1)
        for column in header
        if column not in GROUP_FILE_COLUMNS
    ] + [
        InvalidInput("sessions.file.missing_column", field=column, line=1)
        for column in GROUP_FILE_REQUIRED
        if column not in header
    ]
    if problems:
        raise ExamkitErrorGroup(problems)
    rows: list[GroupRow] = []
    first: dict[str, GroupRow] = {}
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            problems.append(
                InvalidInput(
                    "sessions.file.cells", line=line, expected=len(header), actual=len(cells)
                )
            )
            continue
        try:
            row = _group_row(dict(zip(header, cells, strict=True)), line)
        except ExamkitErrorGroup as group:
            problems.extend(group.problems)
            continue
        earlier = first.setdefault(row.label, row)
        if attrs.evolve(earlier, line=row.line, number=row.number) != row:
            problems.append(
                InvalidInput(
                    "sessions.file.group_differs", field="groep", line=line, first=earlier.line
                )
            )
            continue
        rows.append(row)
    if problems:
        raise ExamkitErrorGroup(problems)
    if not rows:
        raise ExamkitErrorGroup([InvalidInput("sessions.file.no_rows", line=1)])
    return tuple(rows)
