# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The processing register (PRIV-1): every stored field classified, the personal ones found.

The lists here are written by hand, independently of the declarations the
register is drawn from: the fields that must be personal, the records that
must be covered, the names no field may have.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import pkgutil
import re
import types
import typing
from collections.abc import Iterator
from datetime import date
from typing import Any

import attrs
import pytest

import examkit
from examkit.cli import EXIT_OK, EXIT_UNUSABLE, main
from examkit.cli._privacy_register import stored_records
from examkit.errors import ConfigurationError
from examkit.privacy import (
    PrivacySettings,
    RetentionPeriod,
    processing_register,
    register_problems,
)
from examkit.scheduling import Candidate
from examkit.storage import VERSION_FIELD, NotPersonal, Personal, RecordType

pytestmark = pytest.mark.req("PRIV-1")

HTTP_EXTRA = importlib.util.find_spec("httpx") is not None
"""Whether the ``http`` extra, and with it the storage server and its records, is installed
(the lowest-versions run of ``make test-lowest`` installs only ``testing`` and ``sql``)."""

SERVER_ONLY = {"http_commits"}
"""The storage server's own records: registered only where the ``http`` extra is installed."""

MUST_BE_PERSONAL = (
    # names and login names
    ("accounts", "login_name"),
    ("accounts", "first_name"),
    ("accounts", "last_name"),
    ("candidates", "login_name"),
    ("candidates", "first_name"),
    ("candidates", "last_name"),
    ("candidates", "number"),
    ("test_attempts", "login_name"),
    ("applications", "administrator"),
    ("applications", "competent_authority"),
    ("institutions", "competent_authority"),
    ("class_lists", "teachers"),
    ("flemish_registrations", "pupils"),
    ("correction_groups", "published"),
    # e-mail addresses and phone numbers
    ("accounts", "email"),
    ("accounts", "phone"),
    ("email_changes", "email"),
    ("outbox", "to"),
    ("outbox", "sealed"),
    # IP addresses
    ("signins", "ip"),
    ("trusted_browsers", "ip"),
    # dates of birth (inside the imported pupil) and the pupils waiting for confirmation
    ("pupils", "pupil"),
    ("pending_imports", "pupils"),
    # answers and their correction
    ("test_attempts", "responses"),
    ("correction_sheets", "items"),
    ("correction_sheets", "versions"),
    ("sync_queue", "body"),
    # audit actors, and who acted elsewhere
    ("audit_events", "event"),
    ("session_groups", "log"),
    ("session_groups", "report"),
    ("test_attempts", "log"),
    ("correction_groups", "closed_by"),
    ("flemish_registrations", "validated_by"),
    # links to a person: accounts, sessions, federated identities, tokens, counters
    ("authorizations", "account"),
    ("web_sessions", "account_id"),
    ("federated_links", "id"),
    ("federated_links", "account_id"),
    ("single_use_tokens", "token"),
    ("attempt_counters", "id"),
    pytest.param(
        "http_commits",
        "answer",
        marks=pytest.mark.skipif(not HTTP_EXTRA, reason="the http extra is not installed"),
    ),
    ("candidates", "facilities"),
)
"""Fields that hold personal data, whatever the declarations say (issue 27's list and more)."""

MUST_BE_COVERED = (
    "accounts",
    "candidates",
    "pupils",
    "web_sessions",  # signed-in sessions
    "http_commits",  # idempotency records
    "federated_links",
    "pending_federated_sign_ins",
    "single_use_tokens",  # the federation's replay store
    "sync_queue",  # the offline server's outbox
    "sync_inbox",  # the central inbox of the offline servers' entries
    "audit_events",
    "attempt_counters",
    "sequences",
)

FORBIDDEN_NAME = re.compile(
    r"bsn|burgerservice|citizen_?service|sofi|social_security|rijksregister|national_?register"
    r"|onderwijsnummer|education_?number|pgn|persoonsgebonden|health|medical|diagnos|disab"
    r"|ethnic|etnici|religio|geloof|race\b|sexual|biometric",
    re.IGNORECASE,
)
"""Names of a citizen service number, national register number, education number or
special-category data (GDPR art. 9): no stored field, at any depth, is named for one."""


def rows_by_field() -> dict[tuple[str, str], Any]:
    return {(row.record, row.field): row for row in processing_register(stored_records())}


def test_every_field_of_every_stored_record_is_classified() -> None:
    """No field lacks a classification, none names a field that is not there or a lost term."""
    assert () == register_problems(stored_records())


def test_the_register_covers_sessions_idempotency_federation_and_offline_sync() -> None:
    """Every record the issue names is in the register, with each of its fields."""
    rows = processing_register(stored_records())
    covered = {row.record for row in rows}
    expected = set(MUST_BE_COVERED) if HTTP_EXTRA else set(MUST_BE_COVERED) - SERVER_ONLY
    assert expected <= covered
    assert HTTP_EXTRA == (SERVER_ONLY <= covered)
    for record in stored_records():
        fields = [row.field for row in rows if row.record == record.name]
        assert [field.name for field in attrs.fields(record.cls)] == fields


def _modules() -> Iterator[types.ModuleType]:
    for info in pkgutil.walk_packages(examkit.__path__, "examkit."):
        if ".migrations" in info.name or info.name.endswith("__main__"):
            continue
        try:
            yield importlib.import_module(info.name)
        except ModuleNotFoundError as missing:
            # A module of an extra that is not installed (the http backend, SAML sign-in):
            # what it declares, nobody can store.
            package = (missing.name or "examkit").partition(".")[0]
            if package == "examkit" or importlib.util.find_spec(package) is not None:
                raise


def test_every_record_type_declared_in_the_code_base_is_in_the_register() -> None:
    """A record declared anywhere in examkit (a backend's too) is one the register shows."""
    declared = {
        value.name
        for module in _modules()
        for value in vars(module).values()
        if isinstance(value, RecordType)
    }
    assert declared == {record.name for record in stored_records()}


@pytest.mark.parametrize(("record", "field"), MUST_BE_PERSONAL)
def test_fields_that_hold_personal_data_are_classified_personal(record: str, field: str) -> None:
    """Names, addresses, IP addresses, dates of birth, answers, actors: personal, with a term."""
    row = rows_by_field()[record, field]
    assert row.personal
    assert row.retention is not None
    assert row.period is not None
    assert row.audience


def test_the_register_is_not_mostly_empty() -> None:
    """At least a third of the stored fields are personal and every record has a version row."""
    rows = processing_register(stored_records())
    assert len(rows) >= 300
    assert sum(row.personal for row in rows) * 3 >= len(rows)
    versions = [row for row in rows if row.field == "version"]
    assert {VERSION_FIELD.why} == {row.purpose for row in versions}


def _field_names(cls: type, seen: set[type]) -> Iterator[str]:
    if cls in seen:
        return
    seen.add(cls)
    hints = typing.get_type_hints(cls)
    for field in attrs.fields(cls):
        yield f"{cls.__qualname__}.{field.name}"
        for inner in _attrs_classes(hints.get(field.name, field.type)):
            yield from _field_names(inner, seen)


def _attrs_classes(kind: object) -> Iterator[type]:
    if isinstance(kind, type) and attrs.has(kind):
        yield kind
    for argument in typing.get_args(kind):
        yield from _attrs_classes(argument)


def test_no_field_at_any_depth_is_named_for_a_national_number_or_special_category() -> None:
    """No BSN, national register number, education number, health, ethnicity or religion."""
    seen: set[type] = set()
    names = [name for record in stored_records() for name in _field_names(record.cls, seen)]
    assert len(names) > 400  # the walk reaches the nested values
    assert [] == [name for name in names if FORBIDDEN_NAME.search(name.rpartition(".")[2])]


def test_the_name_check_would_catch_a_national_number() -> None:
    """Control: the pattern finds the names it is meant to find."""
    for name in ("bsn", "rijksregisternummer", "onderwijsnummer", "pgn", "health_notes"):
        assert FORBIDDEN_NAME.search(name)
    for name in ("first_name", "facilities", "pupil_key", "reason", "published"):
        assert not FORBIDDEN_NAME.search(name)


def test_facilities_record_the_facility_never_a_reason() -> None:
    """A candidate's facilities are flags and minutes: no text that could hold a diagnosis."""
    hints = typing.get_type_hints(Candidate)
    facilities = hints["facilities"]
    kinds = typing.get_type_hints(facilities)
    assert {"extra_time_minutes", "read_aloud", "enlarged_print", "spelling_aid", "own_room"} == {
        field.name for field in attrs.fields(facilities)
    }
    assert set(kinds.values()) <= {bool, int}


@attrs.frozen
class Note:
    """A made-up record value."""

    id: str
    author: str
    written_on: date
    version: int = 0


AUTHOR = Personal("who wrote it", "public_task", "account", ("administrator",))


def made_up(**privacy: Any) -> RecordType[str, Note]:
    return RecordType("notes", Note, kind="note", key=lambda note: note.id, privacy=privacy)


def test_a_field_without_a_classification_fails_the_register() -> None:
    """A made-up record that leaves one field out is found, and the register refuses it."""
    record = made_up(id=NotPersonal("a generated id"), author=AUTHOR, version=VERSION_FIELD)
    problems = register_problems([record])
    assert [("privacy.register.unclassified", "notes.written_on")] == [
        (problem.code, problem.field) for problem in problems
    ]
    with pytest.raises(ConfigurationError) as raised:
        processing_register([record])
    assert "written_on" in raised.value.message("nl")


def test_a_classification_of_a_field_that_is_not_there_fails_the_register() -> None:
    """A misspelt field name in the declaration is found as well as the field it missed."""
    record = made_up(
        id=NotPersonal("a generated id"),
        author=AUTHOR,
        writen_on=NotPersonal("when"),
        version=VERSION_FIELD,
    )
    assert [
        ("privacy.register.unclassified", "notes.written_on"),
        ("privacy.register.not_a_field", "notes.writen_on"),
    ] == [(problem.code, problem.field) for problem in register_problems([record])]


def test_a_personal_field_with_an_unknown_retention_term_fails_the_register() -> None:
    """A retention term is one of the table's, not any text."""
    record = made_up(
        id=NotPersonal("a generated id"),
        author=Personal("who wrote it", "public_task", "forever", ("administrator",)),
        written_on=NotPersonal("when"),
        version=VERSION_FIELD,
    )
    assert [("privacy.register.unknown_retention", "notes.author")] == [
        (problem.code, problem.field) for problem in register_problems([record])
    ]


def test_a_record_cannot_be_declared_without_its_privacy() -> None:
    """``privacy`` has no default: a new record states what its fields hold."""
    with pytest.raises(TypeError, match="privacy"):
        RecordType("notes", Note, kind="note", key=lambda note: note.id)  # type: ignore[call-arg]


def test_a_complete_made_up_record_gives_one_row_per_field_with_the_portals_period() -> None:
    """Rows in field order; a personal row has the term's period, the portal's where set."""
    record = made_up(
        id=NotPersonal("a generated id"),
        author=AUTHOR,
        written_on=NotPersonal("when"),
        version=VERSION_FIELD,
    )
    settings = PrivacySettings(retention={"account": RetentionPeriod(months=3)})
    rows = processing_register([record], settings)
    assert ["id", "author", "written_on", "version"] == [row.field for row in rows]
    author = rows[1]
    assert (True, "public_task", "account", RetentionPeriod(months=3), ("administrator",)) == (
        author.personal,
        author.basis,
        author.retention,
        author.period,
        author.audience,
    )
    assert (False, None, None, ()) == (rows[0].personal, rows[0].basis, rows[0].period, ())


def test_the_command_prints_the_register_as_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    """``examkit privacy register``: one line per field, personal ones with their term."""
    assert EXIT_OK == main(["privacy", "register", "--lang", "en"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:5] == ["field", "personal", "basis", "retention", "audience"]
    email = next(line for line in lines if line.startswith("accounts.email "))
    assert ["accounts.email", "yes", "public_task", "account", "(1", "year)"] == email.split()[:6]
    version = next(line for line in lines if line.startswith("accounts.version "))
    assert ["accounts.version", "no", "-", "-", "-"] == version.split()[:5]
    assert len(rows_by_field()) + 1 == len(lines)


def test_the_command_speaks_dutch_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    """The headings and periods in Dutch."""
    assert EXIT_OK == main(["privacy", "register"])
    out = capsys.readouterr().out
    assert out.startswith("veld ")
    assert "exam_work (6 maanden)" in out


@pytest.mark.req("PRIV-4")
def test_the_command_prints_json_with_the_terms(capsys: pytest.CaptureFixture[str]) -> None:
    """``--json``: every row and every retention term with its source."""
    assert EXIT_OK == main(["privacy", "register", "--json"])
    printed = json.loads(capsys.readouterr().out)
    row = next(
        row
        for row in printed["rows"]
        if (row["record"], row["field"]) == ("test_attempts", "responses")
    )
    assert {
        "record": "test_attempts",
        "field": "responses",
        "personal": True,
        "basis": "public_task",
        "retention": "exam_work",
        "period": {"years": 0, "months": 6, "days": 0},
    }.items() <= row.items()
    term = next(term for term in printed["terms"] if term["name"] == "exam_work")
    assert "art. 57, paragraphs 1 and 2 (Bewaren examenwerk)" in term["source"]
    assert term["jobs"] == ["attempts with their answers, correction sheets"]
    assert term["removal"].startswith("retention job (examkit privacy purge): attempts")
    account = next(term for term in printed["terms"] if term["name"] == "account")
    assert account["jobs"] == []
    assert account["removal"].startswith("by hand: ")


def test_a_broken_declaration_is_a_message_not_a_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A record missing a classification: exit 2 and the field at fault on stderr."""
    import examkit.cli._privacy_register as command

    broken = made_up(id=NotPersonal("a generated id"), version=VERSION_FIELD)
    monkeypatch.setattr(command, "stored_records", lambda: (broken,))
    assert EXIT_UNUSABLE == main(["privacy", "register", "--lang", "en"])
    err = capsys.readouterr().err
    assert "notes.author" in err
    assert "Traceback" not in err


def test_a_legal_basis_or_reader_outside_the_lists_fails_the_register() -> None:
    """The basis is one of the GDPR's grounds and every reader one of the audience's."""
    record = made_up(
        id=NotPersonal("a generated id"),
        author=Personal(
            "who wrote it",
            "vital_interests",  # type: ignore[arg-type]
            "account",
            ("administrator", "parent"),  # type: ignore[arg-type]
        ),
        written_on=NotPersonal("when"),
        version=VERSION_FIELD,
    )
    problems = register_problems([record])
    assert [
        ("privacy.register.unknown_basis", "notes.author"),
        ("privacy.register.unknown_reader", "notes.author"),
    ] == [(problem.code, problem.field) for problem in problems]
    assert "parent" in problems[1].message("en")
