"""Confirming a first EDEXML import into SQL: ``EdexmlImports.confirm`` vs. a bare driver.

Both sides store the same prepared first import of one location and school
year: *n* pupils (n = 20,000; ``--quick`` 10,000) in n / 25 groups, with
eight combination groups and n / 20 teachers, parsed once from an EDEXML
file before timing (:func:`examkit.testing.edexml_document`, then
:func:`examkit.edexml.parse`). Each side writes into a fresh, empty,
migrated database of its own, created untimed before every run: on SQLite
a new file per run, on PostgreSQL a new database per run copied from a
migrated template in one throwaway
:class:`~examkit.testing.postgres.PostgresCluster`.

Examkit (the timed part): ``kit.edexml_imports.confirm(actor, preview)`` on
``SQLBackend(url)`` with its default settings, after an untimed
``kit.edexml_imports.preview(actor, file)`` that held the pending import in the
same database. Confirm reads the pending import back (one JSON row with
every pupil, structured by cattrs), loads the acting account's grants and
checks its permission (in the same unit of work), reads
what is stored for the location and year (nothing, on a first import) and
fingerprints it, computes the difference, builds one
:class:`~examkit.imports.EnrolledPupil` per pupil and stores them with
``uow.pupils.add_many`` (one ``executemany`` INSERT), adds the class list
row, erases the pending import, and appends one audit event in the same
unit of work as the change (the use-case unit, with the backend's own audit
store), then commits.

The baseline is **the same rows, by hand**: the bare driver (``sqlite3``;
``psycopg``) on a connection opened untimed with examkit's settings (SQLite:
WAL, ``synchronous=NORMAL``, ``BEGIN IMMEDIATE``; PostgreSQL: READ
COMMITTED). Inside the timing it builds each pupil's row tuple (id,
location, school year, group, year group, no archiving time, version 1 and
the JSON data written with a dict built by hand in sorted key order and
examkit's separators) and the one class-list row holding the groups,
combination groups and teachers (the pupils' memberships of groups and
combination groups are part of each pupil's row, so there is no separate
membership table), then one ``executemany`` for the pupils, one INSERT for
the class list, and a commit. Both sides end with the same rows: the
benchmark asserts that every row of ``examkit_pupils`` and
``examkit_class_lists`` is equal, byte for byte, between the two sides'
databases, that the pupil count is *n*, and that examkit's pending import
is gone.

``ratio`` is the larger of the two databases' ratios (examkit's best time
over the baseline's best): ``sqlite_ratio`` and ``postgres_ratio`` are
printed as figures. The target, 3, is the issue's: examkit also reads and
erases the pending import, structures every pupil from it, computes the
difference and audits, which the baseline does not.

Measured at the quick size on the shared 2-core machine it was written on
(CPython 3.11, SQLite 3.40, PostgreSQL 15): SQLite ~52 µs per pupil against
the baseline's ~20 µs (``sqlite_ratio`` ~2.5), PostgreSQL ~74 µs against
~37 µs (~2.0). Reaching that took two hand-written converter hooks for
:class:`~examkit.edexml.Pupil` (cattrs' generated structuring with detailed
validation cost ~18 µs a pupil, ~6 µs by hand) and a bulk-path row builder
for pupils in the SQL backend that writes the JSON with its keys already in
order; what remains is decoding the pending import's JSON (~7 µs a pupil),
structuring and re-encoding each pupil, and SQLAlchemy Core's per-row
parameter handling in ``executemany``.

PostgreSQL's server programs must be installed (``initdb`` and ``pg_ctl``);
when they are not, the benchmark says so and exits non-zero rather than
report SQLite alone.
"""

from __future__ import annotations

import json
import shutil
import signal
import sqlite3
import sys
import tempfile
from abc import ABC, abstractmethod
from datetime import UTC, date, datetime
from pathlib import Path
from types import FrameType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script

import psycopg
from benchmarks._harness import Comparison, Figure, by_mode, compare, parse_mode, report
from benchmarks._postgres import postgres_cluster
from benchmarks._sqlite import connect_like_examkit, create_database, drop_database

from examkit.audit import StoredAuditLog
from examkit.backends.sql import SQLBackend
from examkit.edexml import (
    CombinationGroup,
    Gender,
    Group,
    PersonName,
    Pupil,
    Roster,
    Teacher,
    TeacherGroup,
    parse,
)
from examkit.identifiers import Brin, LocationCode, SchoolYear
from examkit.imports import EdexmlImports
from examkit.testing import (
    ManualClock,
    RecordingMailer,
    SequenceSecretSource,
    edexml_document,
    store_actor,
)
from examkit.testing.postgres import PostgresCluster, PostgresUnavailable
from examkit.usecase import Ports

TARGET = 3.0

LOCATION = LocationCode("22AB00")
YEAR = SchoolYear("2026-2027")
NOW = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)
ACTOR = "acc-admin"
"""The administrator of :data:`LOCATION` (stored, untimed, in every examkit database)."""

PupilRow = tuple[str, int, str, str, str | None, str | None, str, int | None, str]
ClassRow = tuple[str, int, str]
Stored = tuple[set[PupilRow], set[ClassRow], int]

_SQLITE_PUPIL_INSERT = (
    "INSERT INTO examkit_pupils (record_key, version, i_location, i_school_year, i_group,"
    " i_year_group, i_archived, i_archived_at, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_PG_PUPIL_INSERT = (
    "INSERT INTO examkit_pupils (record_key, version, i_location, i_school_year, i_group,"
    " i_year_group, i_archived, i_archived_at, data)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
)
_SQLITE_CLASS_INSERT = (
    "INSERT INTO examkit_class_lists (record_key, version, data) VALUES (?, ?, ?)"
)
_PG_CLASS_INSERT = "INSERT INTO examkit_class_lists (record_key, version, data) VALUES (%s, %s, %s)"
_SELECT_PUPILS = (
    "SELECT record_key, version, i_location, i_school_year, i_group, i_year_group, i_archived,"
    " i_archived_at, data FROM examkit_pupils"
)
_SELECT_CLASSES = "SELECT record_key, version, data FROM examkit_class_lists"
_COUNT_PENDING = "SELECT count(*) FROM examkit_pending_imports"

_SQLITE_BUSY_TIMEOUT = 30.0
"""SQLBackend's default *busy_timeout*, in seconds, given to the baseline too."""

# --- the prepared input: one location's file --------------------------------------------------

_FIRST = ("Sem", "Zoë", "Daan", "Fleur", "Ömer", "Anouk", "Jesús", "Lotte", "Bram", "Noor")
_LAST = ("Vries", "Jansen", "Berg", "Bakker", "Çelik", "Visser", "Smit", "Meijer")
_PREFIX = (None, "de", None, "van der", None, None, None, None)


def prepared(n: int) -> tuple[bytes, Roster]:
    """Return an EDEXML file of *n* pupils and its parsed roster."""
    groups = [
        Group(f"g{k:04d}", f"{k % 8 + 1}{chr(65 + k // 8 % 26)}", str(k % 8 + 1))
        for k in range(max(n // 25, 1))
    ]
    combinations = [CombinationGroup(f"c{k}", f"Keuzevak {k}") for k in range(8)]
    pupils = []
    for i in range(n):
        group = groups[i % len(groups)]
        pupils.append(
            Pupil(
                key=f"{100000 + i}",
                name=PersonName(_LAST[i % 8], prefix=_PREFIX[i % 8], called_name=_FIRST[i % 10]),
                birth_date=date(2012 + i % 6, i % 12 + 1, i % 28 + 1),
                gender=(Gender.MALE, Gender.FEMALE)[i % 2],
                year_group=group.year_group,
                group=group.key,
                combination_groups=(f"c{i % 8}",) if i % 3 == 0 else (),
            )
        )
    teachers = [
        Teacher(
            f"t{k:04d}",
            PersonName(_LAST[k % 8], called_name=_FIRST[k % 10]),
            groups=(TeacherGroup(groups[k % len(groups)].key),),
        )
        for k in range(max(n // 20, 1))
    ]
    data = edexml_document(
        school_year=YEAR,
        brin=Brin("22AB"),
        groups=groups,
        combination_groups=combinations,
        pupils=pupils,
        teachers=teachers,
    )
    return data, parse(data)


# --- the baseline's conversion: straightforward code, by hand ---------------------------------


def _name(name: PersonName) -> dict[str, Any]:
    return {
        "called_name": name.called_name,
        "first_names": name.first_names,
        "initials": name.initials,
        "last_name": name.last_name,
        "prefix": name.prefix,
    }


def baseline_rows(roster: Roster) -> tuple[list[PupilRow], ClassRow]:
    """Return the pupil rows and the class-list row examkit stores for *roster*."""
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    location, year = str(LOCATION), str(YEAR)
    prefix = f"{location}/{year}/"
    rows: list[PupilRow] = []
    for pupil in roster.pupils:
        data = {  # the keys in sorted order, as examkit's sort_keys=True writes them
            "archived_at": None,
            "location": location,
            "pupil": {
                "birth_date": None if pupil.birth_date is None else pupil.birth_date.isoformat(),
                "combination_groups": list(pupil.combination_groups),
                "eckid": pupil.eckid,
                "gender": None if pupil.gender is None else pupil.gender.value,
                "group": pupil.group,
                "key": pupil.key,
                "name": _name(pupil.name),
                "site": pupil.site,
                "year_group": pupil.year_group,
                "year_group_derived": pupil.year_group_derived,
            },
            "school_year": year,
        }
        rows.append(
            (
                prefix + pupil.key,
                1,
                location,
                year,
                pupil.group,
                pupil.year_group,
                "no",
                None,
                dumps(data),
            )
        )
    classes = {
        "combination_groups": [{"key": c.key, "name": c.name} for c in roster.combination_groups],
        "groups": [
            {"key": g.key, "name": g.name, "year_group": g.year_group} for g in roster.groups
        ],
        "location": location,
        "school_year": year,
        "teachers": [
            {
                "eckid": t.eckid,
                "email": t.email,
                "groups": [
                    {
                        "combination": link.combination,
                        "key": link.key,
                        "role_descriptions": list(link.role_descriptions),
                        "roles": list(link.roles),
                    }
                    for link in t.groups
                ],
                "key": t.key,
                "name": _name(t.name),
                "role_descriptions": list(t.role_descriptions),
                "roles": list(t.roles),
            }
            for t in roster.teachers
        ],
    }
    return rows, (f"{location}/{year}", 1, dumps(classes))


# --- one database kind: fresh databases per run, both sides, the stored rows ------------------


class Databases(ABC):
    """Fresh, empty, migrated databases of one kind for both sides, one per run."""

    name: str

    def __init__(self, data: bytes, roster: Roster) -> None:
        self.data = data
        self.roster = roster
        self.backend: SQLBackend | None = None
        self.service: EdexmlImports | None = None
        self.preview_id = ""
        self.examkit_handle = ""
        self.baseline_handle = ""
        self._count = 0

    def _next(self, side: str) -> str:
        self._count += 1
        return f"import_{side}_{self._count}"

    # -- untimed: before every run of a side --------------------------
    def examkit_setup(self) -> None:
        """Open a backend on a fresh database and preview the file there."""
        if self.backend is not None:
            self.backend.close()
            self.backend = None
        if self.examkit_handle:
            self.drop(self.examkit_handle)
        self.examkit_handle = self.create(self._next("examkit"))
        self.backend = SQLBackend(self.url(self.examkit_handle))
        store_actor(self.backend, ACTOR, [("cito_lvs.administrator", [LOCATION])], granted_at=NOW)
        ports = Ports.of(
            backend=self.backend,
            mailer=RecordingMailer(),
            token_key=b"k" * 32,
            base_url="https://portal.example.nl",
            clock=ManualClock(NOW),
            secrets=SequenceSecretSource("bench"),
            audit=StoredAuditLog(self.backend),
        )
        self.service = EdexmlImports(ports)
        self.preview_id = self.service.preview(ACTOR, self.data).id

    def baseline_setup(self) -> None:
        """Dispose of the baseline's previous database; connect the driver to a fresh one."""
        self.disconnect()
        if self.baseline_handle:
            self.drop(self.baseline_handle)
        self.baseline_handle = self.create(self._next("baseline"))
        self.connect(self.baseline_handle)

    # -- timed ---------------------------------------------------------
    def examkit_run(self) -> str:
        """Confirm the previewed import; return the database written."""
        assert self.service is not None
        result = self.service.confirm(ACTOR, self.preview_id)
        assert len(result.diff.pupils.added) == len(self.roster.pupils)
        return self.examkit_handle

    @abstractmethod
    def baseline_run(self) -> str:
        """Build and insert the same rows with the bare driver; return the database written."""

    # -- per kind ------------------------------------------------------
    @abstractmethod
    def create(self, name: str) -> str:
        """Create a fresh, empty, migrated database from *name*; return its handle."""

    @abstractmethod
    def drop(self, handle: str) -> None:
        """Remove the database *handle*."""

    @abstractmethod
    def url(self, handle: str) -> str:
        """Return the SQLAlchemy URL of *handle*."""

    @abstractmethod
    def connect(self, handle: str) -> None:
        """Open the baseline's driver connection to *handle*, with examkit's settings."""

    @abstractmethod
    def disconnect(self) -> None:
        """Close the baseline's driver connection, if open."""

    @abstractmethod
    def stored(self, handle: str) -> Stored:
        """Return every pupil row and class-list row in *handle*, and the pending count."""

    def close(self) -> None:
        """Close every connection and remove every database still there."""
        if self.backend is not None:
            self.backend.close()
            self.backend = None
        self.disconnect()
        for handle in (self.examkit_handle, self.baseline_handle):
            if handle:
                self.drop(handle)
        self.examkit_handle = self.baseline_handle = ""


class SQLiteDatabases(Databases):
    """A new SQLite file per run, in a temporary folder."""

    name = "sqlite"

    def __init__(self, data: bytes, roster: Roster) -> None:
        super().__init__(data, roster)
        self.folder = Path(tempfile.mkdtemp(prefix="examkit-import-"))
        self.connection: sqlite3.Connection | None = None

    def create(self, name: str) -> str:
        return create_database(self.folder, name)

    def drop(self, handle: str) -> None:
        drop_database(handle)

    def url(self, handle: str) -> str:
        return f"sqlite:///{handle}"

    def connect(self, handle: str) -> None:
        self.connection = connect_like_examkit(handle, _SQLITE_BUSY_TIMEOUT)

    def disconnect(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def baseline_run(self) -> str:
        connection = self.connection
        assert connection is not None
        rows, classes = baseline_rows(self.roster)
        connection.execute("BEGIN IMMEDIATE")
        try:
            connection.executemany(_SQLITE_PUPIL_INSERT, rows)
            connection.execute(_SQLITE_CLASS_INSERT, classes)
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")
        return self.baseline_handle

    def stored(self, handle: str) -> Stored:
        connection = sqlite3.connect(handle)
        try:
            pupils = set(connection.execute(_SELECT_PUPILS).fetchall())
            classes = set(connection.execute(_SELECT_CLASSES).fetchall())
            pending = int(connection.execute(_COUNT_PENDING).fetchone()[0])
        finally:
            connection.close()
        return pupils, classes, pending

    def close(self) -> None:
        super().close()
        shutil.rmtree(self.folder, ignore_errors=True)


class PostgresDatabases(Databases):
    """A new database per run in one cluster, copied from a migrated template."""

    name = "postgres"
    template = "import_template"

    def __init__(self, data: bytes, roster: Roster, cluster: PostgresCluster) -> None:
        super().__init__(data, roster)
        self.cluster = cluster
        self.connection: psycopg.Connection[Any] | None = None
        cluster.create_database(self.template)
        SQLBackend(cluster.url(self.template)).close()  # migrates the template

    def create(self, name: str) -> str:
        self.cluster.create_database(name, template=self.template)
        return name

    def drop(self, handle: str) -> None:
        self.cluster.drop_database(handle)

    def url(self, handle: str) -> str:
        return self.cluster.url(handle)

    def _connect(self, handle: str) -> psycopg.Connection[Any]:
        return psycopg.connect(
            host="127.0.0.1", port=self.cluster.port, user="postgres", dbname=handle
        )

    def connect(self, handle: str) -> None:
        self.connection = self._connect(handle)

    def disconnect(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def baseline_run(self) -> str:
        connection = self.connection
        assert connection is not None
        rows, classes = baseline_rows(self.roster)
        try:
            with connection.cursor() as cursor:
                cursor.executemany(_PG_PUPIL_INSERT, rows)
                cursor.execute(_PG_CLASS_INSERT, classes)
        except BaseException:
            connection.rollback()
            raise
        connection.commit()
        return self.baseline_handle

    def stored(self, handle: str) -> Stored:
        with self._connect(handle) as connection:
            pupils: set[PupilRow] = set(connection.execute(_SELECT_PUPILS).fetchall())
            classes: set[ClassRow] = set(connection.execute(_SELECT_CLASSES).fetchall())
            row = connection.execute(_COUNT_PENDING).fetchone()
        assert row is not None
        return pupils, classes, int(row[0])


# --- the benchmark ----------------------------------------------------------------------------


def check_stored(databases: Databases, comparison: Comparison[str, str]) -> None:
    """Assert both sides' last runs stored the same rows, and the pending import is gone."""
    ours = databases.stored(comparison.examkit_result)
    theirs = databases.stored(comparison.baseline_result)
    n = len(databases.roster.pupils)
    assert len(ours[0]) == len(theirs[0]) == n, f"{databases.name}: pupil count"
    assert ours[0] == theirs[0], f"{databases.name}: the pupil rows differ"
    assert ours[1] == theirs[1], f"{databases.name}: the class-list rows differ"
    assert ours[2] == 0, f"{databases.name}: the pending import was not erased"


def run(databases: Databases, *, repeats: int, warmup: int) -> Comparison[str, str]:
    """Compare both sides on *databases*; check what they stored."""
    comparison = compare(
        databases.examkit_run,
        databases.baseline_run,
        repeats=repeats,
        warmup=warmup,
        label=databases.name,
        ops=len(databases.roster.pupils),
        examkit_setup=databases.examkit_setup,
        baseline_setup=databases.baseline_setup,
    )
    check_stored(databases, comparison)
    return comparison


def _stop_on_sigterm(signum: int, _: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def main() -> None:
    """Run the benchmark in the mode given on the command line."""
    mode = parse_mode(__doc__)
    n = by_mode(mode, smoke=500, quick=10_000, full=20_000)
    repeats = by_mode(mode, smoke=1, quick=5, full=7)
    warmup = by_mode(mode, smoke=0, quick=1, full=1)  # a smoke run only proves it runs
    bin_dir = PostgresCluster.find_bin_dir()
    if bin_dir is None:
        print(
            "edexml_import: PostgreSQL is not installed (no initdb and pg_ctl under "
            "/usr/lib/postgresql/*/bin or on PATH); this benchmark needs it, install "
            "PostgreSQL's server programs and run it again",
            file=sys.stderr,
        )
        sys.exit(2)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    data, roster = prepared(n)
    print(f"edexml_import: mode={mode}, n={n} pupils, repeats={repeats}, postgres at {bin_dir}")

    cluster = postgres_cluster(bin_dir)  # its own, or the smoke test's (benchmarks/_postgres.py)
    kinds: list[Databases] = []
    try:
        cluster.start()
        kinds.append(SQLiteDatabases(data, roster))
        kinds.append(PostgresDatabases(data, roster, cluster))
        results = {
            databases.name: run(databases, repeats=repeats, warmup=warmup) for databases in kinds
        }
    except PostgresUnavailable as error:
        print(f"edexml_import: PostgreSQL is unusable: {error}", file=sys.stderr)
        sys.exit(2)
    finally:
        for databases in kinds:
            databases.close()
        cluster.stop()

    sqlite, postgres = results["sqlite"], results["postgres"]
    ratio = max(sqlite.ratio, postgres.ratio)
    figures: dict[str, Figure] = {
        "mode": mode,
        "n": n,
        "groups": len(roster.groups),
        "teachers": len(roster.teachers),
        "repeats": repeats,
        "sqlite_ratio": round(sqlite.ratio, 3),
        "postgres_ratio": round(postgres.ratio, 3),
        "sqlite_examkit_us_per_pupil": round(sqlite.examkit.per_op(n) * 1e6, 3),
        "sqlite_baseline_us_per_pupil": round(sqlite.baseline.per_op(n) * 1e6, 3),
        "postgres_examkit_us_per_pupil": round(postgres.examkit.per_op(n) * 1e6, 3),
        "postgres_baseline_us_per_pupil": round(postgres.baseline.per_op(n) * 1e6, 3),
    }
    report("edexml_import", figures, ratio, TARGET)


if __name__ == "__main__":
    main()
