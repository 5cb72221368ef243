"""The candidate file (*kandidatenbestand*): CSV as Dutch spreadsheets write it.

Pure: it takes the file's bytes and returns rows or every problem at once.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Final

import attrs

from examkit._fields import clean_text
from examkit.errors import ExamkitError, ExamkitErrorGroup, InvalidInput
from examkit.scheduling._model import Facilities

CANDIDATE_FILE_COLUMNS: Final[Mapping[str, str]] = {
    "achternaam": "Last name, with its prefix (required).",
    "voornaam": "First name (required).",
    "examennummer": "The school's candidate number; unique in the file when given.",
    "klas": "The class.",
    "leerling": "The pupil's key in the school's data (EDEXML), to link the candidate.",
    "extra_tijd": "Extra time in whole minutes (0 to 240; at most 30 at a central exam).",
    "voorlezen": "Read aloud: ja/nee.",
    "vergroting": "Enlarged print: ja/nee.",
    "spellingcontrole": "Spelling aid: ja/nee.",
    "aparte_ruimte": "A room of their own: ja/nee.",
}
"""The documented header of a candidate file, column by column, in order.

:meta hide-value:
"""

CANDIDATE_FILE_REQUIRED: Final = ("achternaam", "voornaam")
"""The columns every candidate file has."""

_YES: Final = frozenset({"ja", "j", "yes", "y", "1", "x", "true", "waar"})
_NO: Final = frozenset({"nee", "n", "no", "0", "", "false", "onwaar"})
_FLAGS: Final = {
    "voorlezen": "read_aloud",
    "vergroting": "enlarged_print",
    "spellingcontrole": "spelling_aid",
    "aparte_ruimte": "own_room",
}


@attrs.frozen
class CandidateRow:
    """One candidate read from a candidate file (*regel uit het kandidatenbestand*).

    Implements SCH-1.
    """

    line: int
    """The file's line it was read from."""
    first_name: str
    """First name."""
    last_name: str
    """Last name."""
    number: str = ""
    """The school's candidate number."""
    class_key: str = ""
    """The class."""
    pupil_key: str = ""
    """The pupil's key in the school's data."""
    facilities: Facilities = attrs.field(factory=Facilities)
    """The extra facilities."""


def decode_text(data: bytes) -> str:
    r"""Return the text of *data*: UTF-8 with or without BOM, else Windows-1252.

    >>> decode_text("Jeroen;Çelik\n".encode("cp1252"))
    'Jeroen;Çelik\n'
    >>> decode_text(b"\xef\xbb\xbfvoornaam")
    'voornaam'
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def detect_delimiter(header: str) -> str:
    """Return the delimiter of a header line: ``;`` (Dutch spreadsheets) or ``,``.

    >>> detect_delimiter("achternaam;voornaam"), detect_delimiter("achternaam,voornaam")
    (';', ',')
    """
    return ";" if header.count(";") >= header.count(",") else ","


def _flag(value: str, column: str, line: int) -> bool:
    folded = value.strip().lower()
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    raise InvalidInput("sessions.file.flag", field=column, line=line, value=value)


def _row(cells: Mapping[str, str], line: int) -> CandidateRow:
    problems: list[ExamkitError] = []
    for column in CANDIDATE_FILE_REQUIRED:
        if not clean_text(cells.get(column, "")):
            problems.append(InvalidInput("input.required", field=column, line=line))
    extra_text = cells.get("extra_tijd", "").strip()
    flags: dict[str, bool] = {}
    minutes = 0
    if extra_text:
        if not extra_text.isdigit() or int(extra_text) > 240:
            problems.append(
                InvalidInput(
                    "sessions.file.extra_time", field="extra_tijd", line=line, value=extra_text
                )
            )
        else:
            minutes = int(extra_text)
    for column, name in _FLAGS.items():
        try:
            flags[name] = _flag(cells.get(column, ""), column, line)
        except InvalidInput as error:
            problems.append(error)
    for column in ("achternaam", "voornaam", "examennummer", "klas", "leerling"):
        limit = 20 if column == "examennummer" else 100 if column != "leerling" else 64
        if len(clean_text(cells.get(column, ""))) > limit:
            problems.append(InvalidInput("input.too_long", field=column, line=line, maximum=limit))
    if problems:
        raise ExamkitErrorGroup(problems)
    return CandidateRow(
        line=line,
        first_name=clean_text(cells["voornaam"]),
        last_name=clean_text(cells["achternaam"]),
        number=clean_text(cells.get("examennummer", "")),
        class_key=clean_text(cells.get("klas", "")),
        pupil_key=clean_text(cells.get("leerling", "")),
        facilities=Facilities(extra_time_minutes=minutes, **flags),
    )


def _header(cells: list[str]) -> list[str]:
    header = ["_".join(cell.strip().lower().split()) for cell in cells]
    problems: list[ExamkitError] = []
    for column in header:
        if column not in CANDIDATE_FILE_COLUMNS:
            problems.append(InvalidInput("sessions.file.column", field=column, line=1))
    for column in CANDIDATE_FILE_REQUIRED:
        if column not in header:
            problems.append(InvalidInput("sessions.file.missing_column", field=column, line=1))
    if len(set(header)) != len(header):
        problems.append(InvalidInput("sessions.file.column_twice", line=1))
    if problems:
        raise ExamkitErrorGroup(problems)
    return header


def read_candidate_file(data: bytes) -> tuple[CandidateRow, ...]:
    r"""Read a candidate file: CSV with ``;`` or ``,``, UTF-8 (BOM or not) or Windows-1252.

    The first line is the header (:data:`CANDIDATE_FILE_COLUMNS`; case, spaces and the
    order of columns do not matter, unknown columns are refused). Empty
    lines are skipped. Every problem of every line is reported at once,
    each with its line and column, and nothing is read from a file with
    problems.

    >>> rows = read_candidate_file(b"achternaam;voornaam;extra_tijd\nde Vries;Sanne;30\n")
    >>> rows[0].last_name, rows[0].facilities.extra_time_minutes, rows[0].line
    ('de Vries', 30, 2)

    Raises:
        ExamkitErrorGroup: every problem found, each with its line.

    Implements SCH-1.
    """
    text = decode_text(data)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise ExamkitErrorGroup([InvalidInput("sessions.file.empty", line=1)])
    delimiter = detect_delimiter(lines[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = _header(next(reader))
    problems: list[ExamkitError] = []
    rows: list[CandidateRow] = []
    numbers: dict[str, int] = {}
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
            row = _row(dict(zip(header, cells, strict=True)), line)
        except ExamkitErrorGroup as group:
            problems.extend(group.problems)
            continue
        if row.number:
            if row.number in numbers:
                problems.append(
                    InvalidInput(
                        "sessions.file.number_twice",
                        field="examennummer",
                        line=line,
                        number=row.number,
                        first=numbers[row.number],
                    )
                )
                continue
            numbers[row.number] = line
        rows.append(row)
    if problems:
        raise ExamkitErrorGroup(problems)
    if not rows:
        raise ExamkitErrorGroup([InvalidInput("sessions.file.no_rows", line=1)])
    return tuple(rows)
