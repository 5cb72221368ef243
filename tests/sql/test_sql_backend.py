"""What the SQL backend promises beyond the conformance suite: errors, settings, extras."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from examkit.backends.sql import SQLBackend
from examkit.errors import ConfigurationError, StorageError
from examkit.testing.conformance import make_account


def test_sqlite_runs_in_wal_mode_with_the_chosen_synchronous_setting(tmp_path: Path) -> None:
    """WAL and synchronous=NORMAL by default; FULL when asked."""
    for setting, expected in (("NORMAL", 1), ("FULL", 2)):
        backend = SQLBackend(f"sqlite:///{tmp_path / setting}.db", synchronous=setting)  # type: ignore[arg-type]
        with backend.engine.connect() as connection:
            journal = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
            synchronous = connection.exec_driver_sql("PRAGMA synchronous").scalar()
        backend.close()
        assert (journal, synchronous) == ("wal", expected)


def test_an_in_memory_sqlite_database_is_refused() -> None:
    """An in-memory SQLite database would lose everything between connections."""
    with pytest.raises(ConfigurationError) as caught:
        SQLBackend("sqlite://")
    assert caught.value.code == "sql.sqlite.memory"


def test_an_unsupported_database_is_refused() -> None:
    """Only SQLite and PostgreSQL are supported."""
    with pytest.raises(ConfigurationError) as caught:
        SQLBackend("mysql://user@localhost/examkit")
    assert caught.value.code == "sql.dialect.unsupported"


def test_an_unreachable_postgres_raises_storage_error_not_a_driver_error() -> None:
    """Driver errors are translated at the boundary."""
    with pytest.raises(StorageError) as caught:
        SQLBackend("postgresql+psycopg://nobody@127.0.0.1:1/none", busy_timeout=2)
    assert caught.value.__cause__ is not None
    assert type(caught.value.__cause__).__module__.startswith("sqlalchemy")


def test_a_broken_database_file_raises_storage_error(tmp_path: Path) -> None:
    """A file that is no database gives a StorageError."""
    path = tmp_path / "broken.db"
    path.write_bytes(b"this is not an sqlite database" * 100)
    with pytest.raises(StorageError):
        SQLBackend(f"sqlite:///{path}")


def test_a_write_while_another_writer_holds_the_lock_waits_then_fails_cleanly(
    sqlite_url: str,
) -> None:
    """A writer that cannot get the lock in time gets StorageError storage.busy."""
    backend = SQLBackend(sqlite_url, migrate=False, busy_timeout=0.2)
    holder = backend.begin()
    try:
        holder.accounts.add(make_account())
        with pytest.raises(StorageError) as caught:
            backend.begin()
        assert caught.value.code == "storage.busy"
    finally:
        holder.rollback()
        backend.close()


def test_importing_without_the_extra_names_the_extra() -> None:
    """Without SQLAlchemy installed, the import error says which extra to install."""
    code = (
        "import sys; sys.modules['sqlalchemy'] = None\n"
        "try:\n    import examkit.backends.sql\n"
        "except ImportError as e:\n    print(e)\n"
    )
    output = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert "pip install examkit[sql]" in output


def test_a_reused_decoded_record_follows_every_change_to_its_row(tmp_path: Path) -> None:
    """The account decoded once is reused only while its row is unchanged, by anyone.

    Two backends on one file each keep their own decoded rows: a change made
    through the other one, or by hand in SQL, is read as it is now.
    """
    import attrs

    url = f"sqlite:///{tmp_path / 'reuse.db'}"
    reader, writer = SQLBackend(url), SQLBackend(url)
    try:
        with writer.begin() as uow:
            uow.accounts.add(make_account("acc-1", first_name="Karin"))
            uow.commit()

        def read() -> object:
            with reader.begin(readonly=True) as uow:
                return uow.accounts.get("acc-1")

        first = read()
        assert read() is first  # decoded once
        with writer.begin() as uow:
            stored = uow.accounts.get("acc-1")
            uow.accounts.update(attrs.evolve(stored, first_name="Kim"))
            uow.commit()
        changed = read()
        assert (changed.first_name, changed.version) == ("Kim", 2)  # type: ignore[attr-defined]
        with writer.engine.begin() as connection:  # same version, other data
            connection.exec_driver_sql(
                "UPDATE examkit_accounts SET data = replace(data, '\"Kim\"', '\"Kees\"')"
            )
        assert read().first_name == "Kees"  # type: ignore[attr-defined]
    finally:
        reader.close()
        writer.close()


@pytest.mark.req("SCH-6")
def test_a_test_session_group_is_decoded_once_and_read_afresh_once_changed(
    tmp_path: Path,
) -> None:
    """Every candidate's sign-in reads its group: decoded once while its row is unchanged.

    A change of the group (released, its code drawn) is read as it is now,
    by the backend that made it and by another one on the same file.
    """
    import attrs

    from examkit.scheduling import GroupState
    from examkit.testing.conformance._sessions import make_exam, make_group

    url = f"sqlite:///{tmp_path / 'groups.db'}"
    reader, writer = SQLBackend(url), SQLBackend(url)
    try:
        with writer.begin() as uow:
            uow.exams.add(make_exam("NE-GL-2026"))
            uow.session_groups.add(make_group("g-1", "c-1", "c-2"))
            uow.commit()

        def read(backend: SQLBackend) -> object:
            with backend.begin(readonly=True) as uow:
                return uow.session_groups.get("g-1")

        first = read(reader)
        assert read(reader) is first  # decoded once
        with writer.begin() as uow:
            stored = uow.session_groups.get("g-1")
            uow.session_groups.update(
                attrs.evolve(stored, state=GroupState.RELEASED, access_code="K7HQ3MXA")
            )
            uow.commit()
        for backend in (reader, writer):
            changed = read(backend)
            assert changed is not first
            assert (changed.state, changed.access_code, changed.version) == (  # type: ignore[attr-defined]
                GroupState.RELEASED,
                "K7HQ3MXA",
                2,
            )
    finally:
        reader.close()
        writer.close()


@pytest.mark.parametrize(
    "table",
    [
        "candidates",
        "session_groups",
        "test_attempts",
        "correction_sheets",
        "flemish_registrations",
        "exams",
        "applications",
    ],
)
def test_the_exam_days_tables_are_decoded_once_while_unchanged(table: str) -> None:
    """The planning's, monitor's, correction's, Flemish desk's and service desk's pages read
    them on every request (a Flemish registration holds every registered pupil)."""
    from examkit.backends.sql._tables import RECORD_TABLES

    assert RECORD_TABLES[table].reused


def test_an_attempt_written_is_kept_for_its_next_read_and_follows_every_change(
    tmp_path: Path,
) -> None:
    """An attempt written (whose text reads back as itself) is not decoded on its next read.

    Read again it is the very value written, at the version stored; a rolled
    back write, a response saved in SQL, or one that would not read back as
    itself (a tuple) is read as the row is now.
    """
    from datetime import UTC, datetime

    import attrs

    from examkit.scheduling import Attempt, AttemptState, SavedResponse

    backend = SQLBackend(f"sqlite:///{tmp_path / 'attempts.db'}")
    at = datetime(2026, 5, 12, 9, tzinfo=UTC)
    try:
        with backend.begin() as uow:
            uow.test_attempts.add(Attempt("g-1", "c-1", "NE", "KAND0001"))
            uow.commit()

        def read() -> Attempt:
            with backend.begin(readonly=True) as uow:
                return uow.test_attempts.get("g-1:c-1")

        def write(change: Any, *, commit: bool = True) -> Attempt:
            with backend.begin() as uow:
                stored = uow.test_attempts.update(change(uow.test_attempts.get("g-1:c-1")))
                if commit:
                    uow.commit()
            return stored

        started = write(
            lambda a: attrs.evolve(
                a, state=AttemptState.IN_PROGRESS, started_at=at, last_contact=at
            )
        )
        assert read() is started
        assert started.version == 2
        answered = write(lambda a: a.with_response("v1", SavedResponse({"c": [1]}, 1, at)))
        assert read() is answered
        write(lambda a: a.with_response("v2", SavedResponse({"c": [2]}, 2, at)), commit=False)
        back = read()  # rolled back: the row as it was, decoded afresh
        assert (back, back.version, list(back.responses)) == (answered, 3, ["v1"])
        with backend.begin() as uow:
            uow.test_attempts.record_response(
                "g-1:c-1", "v2", SavedResponse({"c": [3]}, 3, at), now=at
            )
            uow.commit()
        saved = read()
        assert saved is not answered
        assert (saved.version, saved.responses["v2"].value) == (4, {"c": [3]})
        odd = write(lambda a: a.with_response("v3", SavedResponse(("A",), 4, at)))
        again = read()
        assert again is not odd
        assert (again.responses["v3"].value, again.version) == (["A"], 5)
    finally:
        backend.close()


def test_a_reused_candidate_follows_every_change_to_its_row(tmp_path: Path) -> None:
    import attrs

    from examkit.identifiers import LocationCode
    from examkit.scheduling import Candidate

    backend = SQLBackend(f"sqlite:///{tmp_path / 'candidates.db'}")
    try:
        with backend.begin() as uow:
            uow.candidates.add(
                Candidate(
                    id="c-1",
                    location=LocationCode("22AB00"),
                    login_name="k7hq3mxa",
                    first_name="Sanne",
                    last_name="de Vries",
                )
            )
            uow.commit()

        def read() -> Candidate:
            with backend.begin(readonly=True) as uow:
                return uow.candidates.get("c-1")

        first = read()
        assert read() is first
        listed = backend.begin(readonly=True)
        with listed as uow:
            assert uow.candidates.list(location=LocationCode("22AB00")).items[0] is first
        with backend.begin() as uow:
            uow.candidates.update(attrs.evolve(uow.candidates.get("c-1"), first_name="Sem"))
            uow.commit()
        assert ("Sem", 2) == (read().first_name, read().version)
    finally:
        backend.close()


def _backend_pid(backend: SQLBackend) -> int:
    """Return the PostgreSQL server process of the connection a unit of this thread runs on."""
    with backend.begin(readonly=True) as uow:
        connection = uow.transaction.readable()  # type: ignore[attr-defined]
        pid: int = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    return pid


def test_a_thread_keeps_its_postgres_connection_and_a_dropped_one_is_replaced(
    postgres_url: str,
) -> None:
    """A thread's units share one connection; one the server dropped gives way to a fresh one.

    The pool's check (``pre_ping``) is a round trip: a thread keeps its
    connection instead of checking one out per unit. When the database drops
    it (a restart, an idle timeout), the next unit begins on a checked one.
    """
    backend = SQLBackend(postgres_url)
    try:
        first = _backend_pid(backend)
        assert _backend_pid(backend) == first  # kept
        with backend.engine.connect() as other:  # another connection: the thread keeps its own
            dropped = other.exec_driver_sql(f"SELECT pg_terminate_backend({first})").scalar()
        assert dropped is True
        replaced = _backend_pid(backend)
        assert replaced != first
        assert _backend_pid(backend) == replaced
        with backend.begin() as uow:  # and it writes
            uow.accounts.add(make_account("acc-1"))
            uow.commit()
        with backend.begin(readonly=True) as uow:
            assert uow.accounts.get("acc-1").id == "acc-1"
    finally:
        backend.close()


def test_an_audit_event_read_back_equals_the_one_appended_in_every_field(
    sqlite_url: str,
) -> None:
    """The listing builds stored events without the constructor's checks: every field is set."""
    from datetime import UTC, datetime

    import attrs

    from examkit.audit import AuditEvent

    at = datetime(2026, 9, 1, 8, 30, 15, 123456, tzinfo=UTC)
    events = [
        AuditEvent(at=at, actor=None, action="a.b", subject="location:22AB00"),
        AuditEvent(
            at=at,
            actor="k",
            action="privacy.read",
            subject="candidate:c-1",
            outcome="denied",
            details={"what": "results", "location": "22AB00", "ë": "ü"},
        ),
    ]
    backend = SQLBackend(sqlite_url)
    try:
        with backend.begin() as uow:
            for event in events:
                uow.audit.append(event)
            uow.commit()
        with backend.begin(readonly=True) as uow:
            read = uow.audit.list(limit=10).items
    finally:
        backend.close()
    assert [attrs.asdict(event) for event in events] == [attrs.asdict(event) for event in read]
    assert events == list(read)
    assert [list(event.details) for event in events] == [list(event.details) for event in read]
