"""The SQL backend's repositories: one per aggregate, on a shared versioned-table base."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

import attrs
from sqlalchemy import Table, and_, bindparam, case, delete, insert, select, tuple_, update
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects import postgresql, sqlite

from examkit.accounts import Account, LoginName
from examkit.applications import AccountApplication, ApplicationStatus
from examkit.audit import AuditEvent
from examkit.auth import (
    Authenticator,
    EmailChange,
    SentReminder,
    SignInTransaction,
    TrustedBrowser,
)
from examkit.backends.sql import _tables as t
from examkit.backends.sql._attempt_codec import attempt_data, attempt_from_data, response_data
from examkit.backends.sql._errors import as_storage_error, translating
from examkit.backends.sql._prepared import Build, Prepared
from examkit.backends.sql._time import from_us, to_us
from examkit.converter import structure, unstructure
from examkit.correction import CorrectionGroup, CorrectionSheet
from examkit.errors import AlreadyExists, ConcurrentModification, InvalidInput, NotFound
from examkit.identifiers import Brin, LocationCode, SchoolYear
from examkit.imports import ClassList, EnrolledPupil, PendingImport
from examkit.org import Institution, InstitutionCode
from examkit.roles import Authorization
from examkit.sessions import (
    Attempt,
    Candidate,
    Exam,
    FlemishRegistration,
    OfflineServer,
    RecordedResponse,
    SavedResponse,
    TestSessionGroup,
    record_response_by_reading,
)
from examkit.storage import AttemptCount, Page, StoredToken, check_page_size, is_storable_text

if TYPE_CHECKING:
    from examkit.backends.sql._backend import SQLUnitOfWork

K = TypeVar("K")
T = TypeVar("T")
C = TypeVar("C", bound=type)

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)
"""Built once: ``json.dumps`` with options builds a new encoder per call (~0.7 µs)."""

_UNSORTED_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
"""For rows whose dicts are built with their keys in sorted order already (the bulk path)."""

_HOOKS = ("key_text", "key_of", "extra_columns", "child_rows")
"""A repository's conversion hooks: they turn a value into row data, never touching the driver."""


def _dumps(data: Any) -> str:
    return _ENCODER.encode(data)


_PREPARED: dict[tuple[type, str], Prepared] = {}


def _prepared(owner: type, name: str, build: Build) -> Prepared:
    """Return the statement *name* of *owner*, made from *build* once."""
    key = (owner, name)
    found = _PREPARED.get(key)
    if found is None:
        found = _PREPARED.setdefault(key, Prepared(build))
    return found


def _dialect_insert(dialect: str) -> Any:
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def _named(table: Table, prefix: str = "p_") -> dict[str, Any]:
    """Return ``{column: bindparam(prefix + column)}`` for every column of *table*."""
    return {column.name: bindparam(prefix + column.name) for column in table.columns}


def _params(row: dict[str, Any], prefix: str = "p_") -> dict[str, Any]:
    return {prefix + name: value for name, value in row.items()}


def _translating_repository(cls: C) -> C:
    """Apply :func:`translating` to a repository class, leaving its conversion hooks plain.

    The hooks run once per item inside ``add_many`` and ``update``, which
    translate driver errors already; a ``translated()`` block around each
    call would cost ~1.4 µs per hook per item and guard no driver call.
    """
    plain = {name: vars(cls)[name] for name in _HOOKS if name in vars(cls)}
    translating(cls)
    for name, hook in plain.items():
        setattr(cls, name, hook)
    return cls


@_translating_repository
class SQLRepository(Generic[K, T]):
    """A repository over one versioned table holding the aggregate as JSON (the recipe's base).

    A subclass names its table, its value class and its key, and lists the
    child rows (indexes such as location codes) a value has; add, add_many,
    get, update and remove come from here.
    """

    table: ClassVar[Table]
    key_column: ClassVar[str]
    kind: ClassVar[str]
    value_class: ClassVar[type[Any]]
    children: ClassVar[tuple[tuple[Table, str], ...]] = ()
    """Child tables and the column in each that refers to the parent key.

    :meta hide-value:
    """
    plain: ClassVar[bool] = False
    """Whether the table has no child rows and no unique value but its key.

    A plain repository adds with one ``INSERT ... ON CONFLICT DO NOTHING``
    and updates with one ``UPDATE``, without a savepoint.
    """

    def __init__(self, uow: SQLUnitOfWork) -> None:
        self._uow = uow

    # -- what a subclass provides -------------------------------------
    def key_text(self, key: K) -> str:
        """Return the stored text of *key*."""
        return str(key)

    def key_of(self, item: T) -> K:
        """Return the key of *item*."""
        raise NotImplementedError

    def extra_columns(self, item: T) -> dict[str, Any]:
        """Return the searchable columns besides key, version and data."""
        return {}

    def child_rows(self, item: T) -> dict[Table, list[dict[str, Any]]]:
        """Return the child rows of *item*, per child table."""
        return {}

    # -- shared machinery ---------------------------------------------
    def _row(self, item: T, version: int) -> dict[str, Any]:
        data = unstructure(item)
        data.pop("version", None)
        return {
            self.key_column: self.key_text(self.key_of(item)),
            "version": version,
            "data": _dumps(data),
            **self.extra_columns(item),
        }

    def _value(self, row: Any) -> T:
        return self._value_of(row.version, row.data)

    def _value_of(self, version: int, text: str) -> T:
        data = json.loads(text)
        data["version"] = version
        return structure(data, self.value_class)  # type: ignore[no-any-return]

    def _key_col(self) -> Any:
        return self.table.c[self.key_column]

    def add(self, item: T) -> T:
        """Store a new *item* at version 1."""
        if not self.plain:
            self.add_many([item])
            return attrs.evolve(item, version=1)  # type: ignore[misc]
        table, key_column = self.table, self._key_col()
        row = self._row(item, 1)
        statement = _prepared(
            type(self),
            "add",
            lambda dialect: (
                _dialect_insert(dialect)(table)
                .values(_named(table))
                .on_conflict_do_nothing()
                .returning(key_column)
            ),
        )
        if statement.run(self._uow.writable(), **_params(row)).fetchone() is None:
            raise AlreadyExists(kind=self.kind, key=str(row[self.key_column]))
        return attrs.evolve(item, version=1)  # type: ignore[misc]

    def add_many(self, items: Sequence[T]) -> None:
        """Store many new *items* in bulk statements, all or nothing."""
        conn = self._uow.writable()
        if not items:
            return
        rows = [self._row(item, 1) for item in items]
        children: dict[Table, list[dict[str, Any]]] = {}
        for item in items:
            for table, table_rows in self.child_rows(item).items():
                children.setdefault(table, []).extend(table_rows)
        keys = [row[self.key_column] for row in rows]
        if len(set(keys)) != len(keys):
            raise AlreadyExists(kind=self.kind, key=_first_repeat(keys))
        try:
            with self._uow.savepoint():
                conn.execute(insert(self.table), rows)
                for table, table_rows in children.items():
                    if table_rows:
                        conn.execute(insert(table), table_rows)
        except sa_exc.IntegrityError as error:
            raise self._conflict(keys) from error

    def _conflict(self, keys: Sequence[str]) -> AlreadyExists:
        conn = self._uow.readable()
        taken = conn.execute(
            select(self._key_col()).where(self._key_col().in_(keys[:1000])).limit(1)
        ).scalar()
        if taken is not None:
            return AlreadyExists(kind=self.kind, key=str(taken))
        return AlreadyExists(
            "storage.unique", kind=self.kind, index="unique", value=", ".join(keys[:3])
        )

    def get(self, key: K) -> T:
        """Return the item with *key*, or raise :class:`NotFound`."""
        table, key_column = self.table, self._key_col()
        statement = _prepared(
            type(self),
            "get",
            lambda _: select(table.c.version, table.c.data).where(key_column == bindparam("p_key")),
        )
        text = self.key_text(key)
        if not is_storable_text(text):  # cannot be stored, so is not: the store is not asked
            raise NotFound(kind=self.kind, key=text)
        row = statement.run(self._uow.readable(), p_key=text).fetchone()
        if row is None:
            raise NotFound(kind=self.kind, key=text)
        return self._value_of(row[0], row[1])

    def update(self, item: T) -> T:
        """Store *item* over the version it was read at."""
        conn = self._uow.writable()
        key = self.key_text(self.key_of(item))
        version: int = item.version  # type: ignore[attr-defined]
        row = self._row(item, version + 1)
        row.pop(self.key_column)
        if self.plain:
            table, key_column = self.table, self._key_col()
            statement = _prepared(
                type(self),
                "update",
                lambda _: (
                    update(table)
                    .where(
                        key_column == bindparam("w_key"), table.c.version == bindparam("w_version")
                    )
                    .values({name: bindparam("p_" + name) for name in row})
                ),
            )
            result = statement.run(conn, w_key=key, w_version=version, **_params(row))
            if result.rowcount != 1:
                raise self._missing_or_stale(key)
            return attrs.evolve(item, version=version + 1)  # type: ignore[misc]
        try:
            with self._uow.savepoint():
                result = conn.execute(
                    update(self.table)
                    .where(self._key_col() == key, self.table.c.version == version)
                    .values(**row)
                )
                if result.rowcount == 0:
                    raise self._missing_or_stale(key)
                self._replace_children(key, item)
        except sa_exc.IntegrityError as error:
            raise AlreadyExists(
                "storage.unique", kind=self.kind, index="unique", value=key
            ) from error
        return attrs.evolve(item, version=version + 1)  # type: ignore[misc]

    def _replace_children(self, key: str, item: T) -> None:
        if not self.children:
            return
        conn = self._uow.writable()
        rows = self.child_rows(item)
        for table, column in self.children:
            conn.execute(delete(table).where(table.c[column] == key))
            if rows.get(table):
                conn.execute(insert(table), rows[table])

    def _missing_or_stale(self, key: str) -> NotFound | ConcurrentModification:
        exists = (
            self._uow.readable()
            .execute(select(self.table.c.version).where(self._key_col() == key))
            .first()
        )
        if exists is None:
            return NotFound(kind=self.kind, key=key)
        return ConcurrentModification(kind=self.kind, key=key)

    def remove(self, key: K, *, version: int | None = None) -> None:
        """Remove the item with *key* (only at *version*, when given); child rows cascade."""
        conn = self._uow.writable()
        text = self.key_text(key)
        table, key_column = self.table, self._key_col()
        if version is None:
            statement = _prepared(
                type(self),
                "remove",
                lambda _: delete(table).where(key_column == bindparam("w_key")),
            )
            result = statement.run(conn, w_key=text)
        else:
            statement = _prepared(
                type(self),
                "remove_version",
                lambda _: delete(table).where(
                    and_(key_column == bindparam("w_key"), table.c.version == bindparam("w_v"))
                ),
            )
            result = statement.run(conn, w_key=text, w_v=version)
        if result.rowcount == 0:
            raise self._missing_or_stale(text)

    def _page(self, query: Any, order_column: Any, after: str | None, limit: int) -> Page[T]:
        check_page_size(limit)
        if after is not None:
            query = query.where(order_column > after)
        rows = self._uow.readable().execute(query.order_by(order_column).limit(limit + 1)).all()
        items = tuple(self._value(row) for row in rows[:limit])
        more = len(rows) > limit
        return Page(items=items, next_after=rows[limit - 1].sort_key if more else None)


def _first_repeat(keys: Sequence[str]) -> str:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            return key
        seen.add(key)
    return keys[0]


@_translating_repository
class SQLInstitutionRepository(SQLRepository[InstitutionCode, Institution]):
    """Institutions in SQL; their location codes in a child table (unique across institutions)."""

    table = t.institutions
    key_column = "code"
    kind = "institution"
    value_class = Institution
    children = ((t.institution_locations, "institution_code"),)

    def key_of(self, item: Institution) -> InstitutionCode:
        """Return the institution's code."""
        return item.code

    def child_rows(self, item: Institution) -> dict[Table, list[dict[str, Any]]]:
        """Return one location row per location."""
        return {
            t.institution_locations: [
                {"location_code": str(loc.code), "institution_code": str(item.code)}
                for loc in item.locations
            ]
        }

    def get_by_location(self, code: LocationCode) -> Institution:
        """Return the institution that has location *code*."""
        row = (
            self._uow.readable()
            .execute(
                select(t.institutions.c.version, t.institutions.c.data)
                .join(
                    t.institution_locations,
                    t.institution_locations.c.institution_code == t.institutions.c.code,
                )
                .where(t.institution_locations.c.location_code == str(code))
            )
            .first()
        )
        if row is None:
            raise NotFound("org.location.not_found", field="location", location=str(code))
        return self._value(row)

    def list(self, *, after: str | None = None, limit: int = 100) -> Page[Institution]:
        """Return institutions ordered by code."""
        query = select(
            t.institutions.c.version,
            t.institutions.c.data,
            t.institutions.c.code.label("sort_key"),
        )
        return self._page(query, t.institutions.c.code, after, limit)


@_translating_repository
class SQLAccountRepository(SQLRepository[str, Account]):
    """Accounts in SQL; login names unique case-folded; institutions in a child table."""

    table = t.accounts
    key_column = "id"
    kind = "account"
    value_class = Account
    children = ((t.account_institutions, "account_id"),)

    def key_of(self, item: Account) -> str:
        """Return the account id."""
        return item.id

    def extra_columns(self, item: Account) -> dict[str, Any]:
        """Return the folded login name and the e-mail address."""
        return {"login_name_folded": item.login_name.folded, "email": item.email}

    def child_rows(self, item: Account) -> dict[Table, list[dict[str, Any]]]:
        """Return one row per linked institution."""
        return {
            t.account_institutions: [
                {"account_id": item.id, "institution_code": str(code)}
                for code in sorted(item.institutions, key=str)
            ]
        }

    def get_by_login_name(self, login_name: LoginName) -> Account:
        """Return the account with *login_name* (case ignored)."""
        statement = _prepared(
            type(self),
            "by_login_name",
            lambda _: select(t.accounts.c.version, t.accounts.c.data).where(
                t.accounts.c.login_name_folded == bindparam("p_name")
            ),
        )
        row = statement.run(self._uow.readable(), p_name=login_name.folded).fetchone()
        if row is None:
            raise NotFound(kind="account", key=str(login_name))
        return self._value_of(row[0], row[1])

    def find_by_email(self, email: str) -> tuple[Account, ...]:
        """Return the accounts with *email*, by login name."""
        local, at, domain = email.strip().rpartition("@")
        rows = (
            self._uow.readable()
            .execute(
                select(t.accounts.c.version, t.accounts.c.data)
                .where(t.accounts.c.email == f"{local}{at}{domain.lower()}")
                .order_by(t.accounts.c.login_name_folded)
            )
            .all()
        )
        return tuple(self._value(row) for row in rows)

    def list(
        self,
        *,
        institution: InstitutionCode | None = None,
        after: str | None = None,
        limit: int = 100,
    ) -> Page[Account]:
        """Return accounts by login name, only those of *institution* when given."""
        query = select(
            t.accounts.c.version,
            t.accounts.c.data,
            t.accounts.c.login_name_folded.label("sort_key"),
        )
        if institution is not None:
            query = query.join(
                t.account_institutions, t.account_institutions.c.account_id == t.accounts.c.id
            ).where(t.account_institutions.c.institution_code == str(institution))
        return self._page(query, t.accounts.c.login_name_folded, after, limit)


@translating
class SQLAuthorizationRepository(SQLRepository[str, Authorization]):
    """Authorizations in SQL; the places of active grants in a child table, for listing."""

    table = t.authorizations
    key_column = "account_id"
    kind = "authorization"
    value_class = Authorization
    children = ((t.authorization_grants, "account_id"),)

    def key_of(self, item: Authorization) -> str:
        """Return the account id."""
        return item.account

    def child_rows(self, item: Authorization) -> dict[Table, list[dict[str, Any]]]:
        """Return one row per place of each active grant (one without a place for the operator)."""
        rows: list[dict[str, Any]] = []
        for grant in item.active_grants:
            institution = None if grant.institution is None else str(grant.institution)
            places: list[LocationCode | None] = sorted(grant.locations, key=str)
            for location in places or [None]:
                rows.append(
                    {
                        "account_id": item.account,
                        "seq": len(rows),
                        "role": grant.role,
                        "institution_code": institution,
                        "location_code": None if location is None else str(location),
                    }
                )
        return {t.authorization_grants: rows}

    def list(
        self,
        *,
        role: str | None = None,
        institution: InstitutionCode | None = None,
        location: LocationCode | None = None,
        after: str | None = None,
        limit: int = 100,
    ) -> Page[Authorization]:
        """Return authorizations by account id, filtered by an active grant's role and place."""
        table = t.authorizations
        query = select(table.c.version, table.c.data, table.c.account_id.label("sort_key"))
        grants = t.authorization_grants
        conditions: list[Any] = []
        if role is not None:
            conditions.append(grants.c.role == role)
        if institution is not None:
            conditions.append(grants.c.institution_code == str(institution))
        if location is not None:
            conditions.append(grants.c.location_code == str(location))
        if conditions:
            query = query.where(
                select(grants.c.account_id)
                .where(grants.c.account_id == table.c.account_id, *conditions)
                .exists()
            )
        return self._page(query, table.c.account_id, after, limit)


@_translating_repository
class SQLExamRepository(SQLRepository[str, Exam]):
    """Test definitions in SQL."""

    table = t.exams
    key_column = "code"
    kind = "exam"
    value_class = Exam

    def key_of(self, item: Exam) -> str:
        """Return the test's code."""
        return item.code

    def list(self, *, after: str | None = None, limit: int = 100) -> Page[Exam]:
        """Return tests ordered by code."""
        table = t.exams
        query = select(table.c.version, table.c.data, table.c.code.label("sort_key"))
        return self._page(query, table.c.code, after, limit)


@_translating_repository
class SQLCandidateRepository(SQLRepository[str, Candidate]):
    """Candidates in SQL; login names unique."""

    table = t.candidates
    key_column = "id"
    kind = "candidate"
    value_class = Candidate

    def key_of(self, item: Candidate) -> str:
        """Return the candidate's id."""
        return item.id

    def extra_columns(self, item: Candidate) -> dict[str, Any]:
        """Return the login name and the location."""
        return {"login_name": item.login_name, "location_code": str(item.location)}

    def _conflict(self, keys: Sequence[str]) -> AlreadyExists:
        found = super()._conflict(keys)
        if found.code == "storage.unique":
            return AlreadyExists(
                "storage.unique", kind=self.kind, index="login_name", value=", ".join(keys[:3])
            )
        return found

    def get_by_login_name(self, login_name: str) -> Candidate:
        """Return the candidate with *login_name*."""
        table = t.candidates
        statement = _prepared(
            type(self),
            "get_by_login_name",
            lambda _: select(table.c.version, table.c.data).where(
                table.c.login_name == bindparam("p_login")
            ),
        )
        if not is_storable_text(login_name):
            raise NotFound(kind="candidate", key=login_name)
        row = statement.run(self._uow.readable(), p_login=login_name).fetchone()
        if row is None:
            raise NotFound(kind="candidate", key=login_name)
        return self._value_of(row[0], row[1])

    def list(
        self, *, location: LocationCode | None = None, after: str | None = None, limit: int = 100
    ) -> Page[Candidate]:
        """Return candidates by login name, only those of *location* when given."""
        table = t.candidates
        query = select(table.c.version, table.c.data, table.c.login_name.label("sort_key"))
        if location is not None:
            query = query.where(table.c.location_code == str(location))
        return self._page(query, table.c.login_name, after, limit)


def _group_sort_key(group: TestSessionGroup) -> str:
    return f"{group.starts_at.strftime('%Y-%m-%dT%H:%M:%S')}#{group.id}"


@_translating_repository
class SQLSessionGroupRepository(SQLRepository[str, TestSessionGroup]):
    """Session groups in SQL; their candidates in a child table."""

    table = t.session_groups
    key_column = "id"
    kind = "session_group"
    value_class = TestSessionGroup
    children = ((t.session_group_candidates, "group_id"),)

    def key_of(self, item: TestSessionGroup) -> str:
        """Return the group's id."""
        return item.id

    def extra_columns(self, item: TestSessionGroup) -> dict[str, Any]:
        """Return the sort key, location, proctor and day."""
        return {
            "sort_key": _group_sort_key(item),
            "location_code": str(item.location),
            "proctor": item.proctor,
            "day": item.day,
        }

    def child_rows(self, item: TestSessionGroup) -> dict[Table, list[dict[str, Any]]]:
        """Return one row per candidate."""
        return {
            t.session_group_candidates: [
                {"group_id": item.id, "candidate_id": candidate} for candidate in item.candidates
            ]
        }

    def update(self, item: TestSessionGroup) -> TestSessionGroup:
        """Store *item* over its version; the candidate rows are rewritten only when changed."""
        conn = self._uow.writable()
        key = item.id
        version = item.version
        row = self._row(item, version + 1)
        row.pop(self.key_column)
        with self._uow.savepoint():
            result = conn.execute(
                update(self.table)
                .where(self._key_col() == key, self.table.c.version == version)
                .values(**row)
            )
            if result.rowcount == 0:
                raise self._missing_or_stale(key)
            children = t.session_group_candidates
            stored = {
                r.candidate_id
                for r in conn.execute(
                    select(children.c.candidate_id).where(children.c.group_id == key)
                )
            }
            if stored != set(item.candidates):
                self._replace_children(key, item)
        return attrs.evolve(item, version=version + 1)

    def list(
        self,
        *,
        location: LocationCode | None = None,
        proctor: str | None = None,
        day: str | None = None,
        after: str | None = None,
        limit: int = 100,
    ) -> Page[TestSessionGroup]:
        """Return groups by start then id, filtered by location, proctor and day."""
        table = t.session_groups
        query = select(table.c.version, table.c.data, table.c.sort_key)
        if location is not None:
            query = query.where(table.c.location_code == str(location))
        if proctor is not None:
            query = query.where(table.c.proctor == proctor)
        if day is not None:
            query = query.where(table.c.day == day)
        return self._page(query, table.c.sort_key, after, limit)

    def list_for_candidate(self, candidate: str) -> tuple[TestSessionGroup, ...]:
        """Return every group *candidate* is in, by start then id."""
        if not is_storable_text(candidate):
            return ()
        table, children = t.session_groups, t.session_group_candidates
        rows = (
            self._uow.readable()
            .execute(
                select(table.c.version, table.c.data)
                .join(children, children.c.group_id == table.c.id)
                .where(children.c.candidate_id == candidate)
                .order_by(table.c.sort_key)
            )
            .all()
        )
        return tuple(self._value(row) for row in rows)


@_translating_repository
class SQLAttemptRepository(SQLRepository[str, Attempt]):
    """Candidates' attempts in SQL, with their responses in the value."""

    table = t.test_attempts
    key_column = "id"
    kind = "attempt"
    value_class = Attempt

    def key_of(self, item: Attempt) -> str:
        """Return the attempt's key."""
        return item.id

    def extra_columns(self, item: Attempt) -> dict[str, Any]:
        """Return the group, candidate, and what decides whether a save is stored."""
        return {
            "group_id": item.group,
            "candidate_id": item.candidate,
            "state": item.state.value,
            "deadline_us": None if item.deadline is None else to_us(item.deadline),
            "last_sequence": item.last_sequence,
        }

    # An attempt is read and written once per saved response, the busiest path of an exam
    # day: these statements go straight to the driver's cursor, as plain SQL written once,
    # inside the unit's transaction, skipping Core's statement construction and result
    # machinery (~60 µs a call on SQLite). The driver's own errors are translated here. An
    # attempt has no child rows and no unique value besides its key, so its update needs no
    # savepoint. A save is one conditional UPDATE that sets the response inside the JSON
    # (SQLite's json_set, PostgreSQL's jsonb_set) and checks the copies of state, deadline
    # and last save number kept as columns: nothing is read or converted on the way.

    _GET: ClassVar[dict[str, str]] = {
        "qmark": "SELECT version, data FROM examkit_test_attempts WHERE id = ?",
        "pyformat": "SELECT version, data FROM examkit_test_attempts WHERE id = %s",
    }
    _UPDATE: ClassVar[dict[str, str]] = {
        "qmark": "UPDATE examkit_test_attempts SET version = ?, data = ?, state = ?,"
        " deadline_us = ?, last_sequence = ? WHERE id = ? AND version = ?",
        "pyformat": "UPDATE examkit_test_attempts SET version = %s, data = %s, state = %s,"
        " deadline_us = %s, last_sequence = %s WHERE id = %s AND version = %s",
    }
    _SAVE: ClassVar[dict[str, str]] = {
        "qmark": "UPDATE examkit_test_attempts SET version = version + 1, last_sequence = ?,"
        " data = json_set(data, '$.last_sequence', ?, ?, json(?))"
        " WHERE id = ? AND state = 'in_progress' AND last_sequence < ?"
        " AND (deadline_us IS NULL OR deadline_us > ?)"
        " RETURNING version, deadline_us",
        "pyformat": "UPDATE examkit_test_attempts SET version = version + 1, last_sequence = %s,"
        " data = jsonb_set(jsonb_set(data::jsonb, '{last_sequence}', to_jsonb(%s::integer)),"
        " ARRAY['responses', %s::text], %s::jsonb)::text"
        " WHERE id = %s AND state = 'in_progress' AND last_sequence < %s"
        " AND (deadline_us IS NULL OR deadline_us > %s)"
        " RETURNING version, deadline_us",
    }

    def _driver(self, conn: Any, sql: dict[str, str], params: tuple[Any, ...]) -> Any:
        dialect = conn.dialect
        try:
            return conn.connection.driver_connection.execute(sql[dialect.paramstyle], params)
        except dialect.loaded_dbapi.Error as error:
            raise as_storage_error(error) from error

    def _row(self, item: Attempt, version: int) -> dict[str, Any]:
        return {
            "id": item.id,
            "version": version,
            "data": _dumps(attempt_data(item)),
            **self.extra_columns(item),
        }

    def _value_of(self, version: int, text: str) -> Attempt:
        return attempt_from_data(json.loads(text), version)

    def get(self, key: str) -> Attempt:
        """Return the attempt with *key*, or raise :class:`NotFound`."""
        if not is_storable_text(key):
            raise NotFound(kind=self.kind, key=key)
        row = self._driver(self._uow.readable(), self._GET, (key,)).fetchone()
        if row is None:
            raise NotFound(kind=self.kind, key=key)
        return self._value_of(row[0], row[1])

    def update(self, item: Attempt) -> Attempt:
        """Store *item* over the version it was read at."""
        key = item.id
        version = item.version
        row = self._row(item, version + 1)
        cursor = self._driver(
            self._uow.writable(),
            self._UPDATE,
            (
                version + 1,
                row["data"],
                row["state"],
                row["deadline_us"],
                row["last_sequence"],
                key,
                version,
            ),
        )
        if cursor.rowcount == 0:
            raise self._missing_or_stale(key)
        return attrs.evolve(item, version=version + 1)

    def record_response(
        self, key: str, item: str, response: SavedResponse, *, now: datetime
    ) -> RecordedResponse | None:
        """Store *response* for *item* when the attempt takes it, in one statement."""
        conn = self._uow.writable()
        sequence = response.sequence
        if conn.dialect.paramstyle == "qmark":
            if '"' in item or "\\" in item:
                return self._record_by_reading(key, item, response, now=now)
            where: Any = f'$.responses."{item}"'
        else:
            where = item
        params = (
            sequence,
            sequence,
            where,
            _dumps(response_data(response)),
            key,
            sequence,
            to_us(now),
        )
        row = self._driver(conn, self._SAVE, params).fetchone()
        if row is None:
            return None
        version, deadline = row
        return RecordedResponse(
            version=version, deadline=None if deadline is None else from_us(deadline)
        )

    def _record_by_reading(
        self, key: str, item: str, response: SavedResponse, *, now: datetime
    ) -> RecordedResponse | None:
        """Store a response by reading and writing the attempt (items SQLite's path cannot name)."""
        return record_response_by_reading(self, key, item, response, now=now)

    def _listed(self, condition: Any, order: Any) -> tuple[Attempt, ...]:
        table = t.test_attempts
        rows = (
            self._uow.readable()
            .execute(select(table.c.version, table.c.data).where(condition).order_by(order))
            .all()
        )
        return tuple(self._value(row) for row in rows)

    def list_for_group(self, group: str) -> tuple[Attempt, ...]:
        """Return the attempts of *group*, by candidate id."""
        if not is_storable_text(group):
            return ()
        table = t.test_attempts
        return self._listed(table.c.group_id == group, table.c.candidate_id)

    def list_for_candidate(self, candidate: str) -> tuple[Attempt, ...]:
        """Return the attempts of *candidate*, by group id (a sign-in's path: prepared)."""
        if not is_storable_text(candidate):
            return ()
        table = t.test_attempts
        statement = _prepared(
            type(self),
            "list_for_candidate",
            lambda _: (
                select(table.c.version, table.c.data)
                .where(table.c.candidate_id == bindparam("p_candidate"))
                .order_by(table.c.group_id)
            ),
        )
        rows = statement.run(self._uow.readable(), p_candidate=candidate).fetchall()
        return tuple(self._value_of(row[0], row[1]) for row in rows)


@_translating_repository
class SQLOfflineServerRepository(SQLRepository[str, OfflineServer]):
    """Offline servers in SQL."""

    table = t.offline_servers
    key_column = "id"
    kind = "offline_server"
    value_class = OfflineServer

    def key_of(self, item: OfflineServer) -> str:
        """Return the server's id."""
        return item.id

    def extra_columns(self, item: OfflineServer) -> dict[str, Any]:
        """Return the location."""
        return {"location_code": str(item.location)}

    def list(
        self, *, location: LocationCode | None = None, after: str | None = None, limit: int = 100
    ) -> Page[OfflineServer]:
        """Return servers by id, only those of *location* when given."""
        table = t.offline_servers
        query = select(table.c.version, table.c.data, table.c.id.label("sort_key"))
        if location is not None:
            query = query.where(table.c.location_code == str(location))
        return self._page(query, table.c.id, after, limit)


@_translating_repository
class SQLFlemishRegistrationRepository(SQLRepository[str, FlemishRegistration]):
    """Flemish registrations in SQL."""

    table = t.flemish_registrations
    key_column = "id"
    kind = "flemish_registration"
    value_class = FlemishRegistration

    def key_of(self, item: FlemishRegistration) -> str:
        """Return the registration's key."""
        return item.id

    def list(self, *, after: str | None = None, limit: int = 100) -> Page[FlemishRegistration]:
        """Return registrations by key."""
        table = t.flemish_registrations
        query = select(table.c.version, table.c.data, table.c.id.label("sort_key"))
        return self._page(query, table.c.id, after, limit)


@_translating_repository
class SQLSignInTransactionRepository(SQLRepository[str, SignInTransaction]):
    """Sign-ins in progress in SQL, with their account and expiry as columns."""

    table = t.signin_transactions
    key_column = "id"
    kind = "sign-in"
    value_class = SignInTransaction
    plain = True

    def key_of(self, item: SignInTransaction) -> str:
        """Return the digest of the transaction's token."""
        return item.id

    def extra_columns(self, item: SignInTransaction) -> dict[str, Any]:
        """Return the account and the expiry."""
        return {"account_id": item.account_id, "expires_at_us": to_us(item.expires_at)}

    def remove_for_account(self, account_id: str) -> int:
        """Remove every transaction of *account_id*."""
        table = self.table
        statement = _prepared(
            type(self),
            "remove_for_account",
            lambda _: delete(table).where(table.c.account_id == bindparam("p_account")),
        )
        return int(statement.run(self._uow.writable(), p_account=account_id).rowcount)

    def purge_expired(self, now: datetime) -> int:
        """Remove the transactions lapsed at *now*."""
        result = self._uow.writable().execute(
            delete(self.table).where(self.table.c.expires_at_us <= to_us(now))
        )
        return int(result.rowcount)


@_translating_repository
class SQLTrustedBrowserRepository(SQLRepository[str, TrustedBrowser]):
    """Trusted browsers in SQL, with their account and expiry as columns."""

    table = t.trusted_browsers
    key_column = "id"
    kind = "trusted browser"
    value_class = TrustedBrowser
    plain = True

    def key_of(self, item: TrustedBrowser) -> str:
        """Return the digest of the browser's token."""
        return item.id

    def extra_columns(self, item: TrustedBrowser) -> dict[str, Any]:
        """Return the account and the expiry."""
        return {"account_id": item.account_id, "expires_at_us": to_us(item.expires_at)}

    def list_for_account(self, account_id: str) -> tuple[TrustedBrowser, ...]:
        """Return the browsers trusted for *account_id*, oldest first."""
        rows = (
            self._uow.readable()
            .execute(
                select(self.table.c.version, self.table.c.data).where(
                    self.table.c.account_id == account_id
                )
            )
            .all()
        )
        found = [self._value(row) for row in rows]
        return tuple(sorted(found, key=lambda item: (item.trusted_at, item.id)))

    def remove_for_account(self, account_id: str) -> int:
        """Revoke every browser trusted for *account_id*."""
        table = self.table
        statement = _prepared(
            type(self),
            "remove_for_account",
            lambda _: delete(table).where(table.c.account_id == bindparam("p_account")),
        )
        return int(statement.run(self._uow.writable(), p_account=account_id).rowcount)

    def purge_expired(self, now: datetime) -> int:
        """Remove the browsers whose trust lapsed at *now*."""
        result = self._uow.writable().execute(
            delete(self.table).where(self.table.c.expires_at_us <= to_us(now))
        )
        return int(result.rowcount)


@_translating_repository
class SQLSentReminderRepository(SQLRepository[str, SentReminder]):
    """Reminders dealt with, in SQL; the key makes each one claimable once."""

    table = t.sent_reminders
    key_column = "id"
    kind = "reminder"
    value_class = SentReminder
    plain = True

    def key_of(self, item: SentReminder) -> str:
        """Return the reminder's key."""
        return item.id

    def extra_columns(self, item: SentReminder) -> dict[str, Any]:
        """Return the account."""
        return {"account_id": item.account_id}

    def list_for_account(self, account_id: str) -> tuple[SentReminder, ...]:
        """Return the reminders of *account_id*, by key."""
        rows = (
            self._uow.readable()
            .execute(
                select(self.table.c.version, self.table.c.data)
                .where(self.table.c.account_id == account_id)
                .order_by(self.table.c.id)
            )
            .all()
        )
        return tuple(self._value(row) for row in rows)


@_translating_repository
class SQLEmailChangeRepository(SQLRepository[str, EmailChange]):
    """E-mail changes waiting for confirmation, in SQL, one per account."""

    table = t.email_changes
    key_column = "account_id"
    kind = "e-mail change"
    value_class = EmailChange
    plain = True

    def key_of(self, item: EmailChange) -> str:
        """Return the account id."""
        return item.account_id


@_translating_repository
class SQLAuthenticatorRepository(SQLRepository[str, Authenticator]):
    """Authenticator apps in SQL, one per account."""

    table = t.authenticators
    key_column = "account_id"
    kind = "authenticator"
    value_class = Authenticator
    plain = True

    def key_of(self, item: Authenticator) -> str:
        """Return the account id."""
        return item.account_id


@_translating_repository
class SQLPupilRepository(SQLRepository[str, EnrolledPupil]):
    """Imported pupils in SQL, one row each, with the columns their listings filter on."""

    table = t.pupils
    key_column = "id"
    kind = "pupil"
    value_class = EnrolledPupil

    def key_of(self, item: EnrolledPupil) -> str:
        """Return the pupil's stored key."""
        return item.id

    def _row(self, item: EnrolledPupil, version: int) -> dict[str, Any]:
        # The bulk path of an import: the same row as the base class builds, without
        # cattrs' generated code around the pupil's own hook and without sorting keys
        # that are in sorted order already (~2x faster per pupil).
        archived = item.archived_at
        location, year = str(item.location), str(item.school_year)
        data = {
            "archived_at": None if archived is None else unstructure(archived),
            "location": location,
            "pupil": unstructure(item.pupil),
            "school_year": year,
        }
        return {
            "id": f"{location}/{year}/{item.pupil.key}",
            "version": version,
            "data": _UNSORTED_ENCODER.encode(data),
            "location_code": location,
            "school_year": year,
            "group_key": item.pupil.group,
            "year_group": item.pupil.year_group,
            "archived_at_us": None if archived is None else to_us(archived),
        }

    def extra_columns(self, item: EnrolledPupil) -> dict[str, Any]:
        """Return location, school year, group, year group and the archiving time."""
        return {
            "location_code": str(item.location),
            "school_year": str(item.school_year),
            "group_key": item.pupil.group,
            "year_group": item.pupil.year_group,
            "archived_at_us": None if item.archived_at is None else to_us(item.archived_at),
        }

    def list(
        self,
        location: LocationCode,
        school_year: SchoolYear,
        *,
        group: str | None = None,
        year_group: str | None = None,
        archived: bool | None = False,
        after: str | None = None,
        limit: int = 100,
    ) -> Page[EnrolledPupil]:
        """Return the pupils of *location* in *school_year* by key."""
        table = t.pupils
        query = select(table.c.version, table.c.data, table.c.id.label("sort_key")).where(
            table.c.location_code == str(location), table.c.school_year == str(school_year)
        )
        if group is not None:
            query = query.where(table.c.group_key == group)
        if year_group is not None:
            query = query.where(table.c.year_group == year_group)
        if archived is True:
            query = query.where(table.c.archived_at_us.is_not(None))
        elif archived is False:
            query = query.where(table.c.archived_at_us.is_(None))
        return self._page(query, table.c.id, after, limit)

    def school_years(self, location: LocationCode) -> tuple[SchoolYear, ...]:
        """Return the school years with pupils stored for *location*, oldest first."""
        rows = (
            self._uow.readable()
            .execute(
                select(t.pupils.c.school_year)
                .where(t.pupils.c.location_code == str(location))
                .distinct()
                .order_by(t.pupils.c.school_year)
            )
            .scalars()
            .all()
        )
        return tuple(SchoolYear(row) for row in rows)

    def list_archived_before(
        self, cutoff: datetime, *, after: str | None = None, limit: int = 100
    ) -> Page[EnrolledPupil]:
        """Return pupils archived before *cutoff* by key."""
        table = t.pupils
        query = select(table.c.version, table.c.data, table.c.id.label("sort_key")).where(
            table.c.archived_at_us < to_us(cutoff)
        )
        return self._page(query, table.c.id, after, limit)


@_translating_repository
class SQLClassListRepository(SQLRepository[str, ClassList]):
    """Imported class lists in SQL, one row per location and school year."""

    table = t.class_lists
    key_column = "id"
    kind = "class_list"
    value_class = ClassList

    def key_of(self, item: ClassList) -> str:
        """Return the class list's stored key."""
        return item.id

    def extra_columns(self, item: ClassList) -> dict[str, Any]:
        """Return the location."""
        return {"location_code": str(item.location)}


@_translating_repository
class SQLApplicationRepository(SQLRepository[str, AccountApplication]):
    """Account applications in SQL, one row each."""

    table = t.applications
    key_column = "id"
    kind = "application"
    value_class = AccountApplication

    def key_of(self, item: AccountApplication) -> str:
        """Return the application's id."""
        return item.id

    def extra_columns(self, item: AccountApplication) -> dict[str, Any]:
        """Return the institution and status, for the operator's queue."""
        return {"brin": str(item.brin), "status": item.status.value}

    def list(
        self,
        *,
        status: ApplicationStatus | None = None,
        brin: Brin | None = None,
        after: str | None = None,
        limit: int = 100,
    ) -> Page[AccountApplication]:
        """Return the applications by id, of one status and/or institution."""
        table = t.applications
        query = select(table.c.version, table.c.data, table.c.id.label("sort_key"))
        if status is not None:
            query = query.where(table.c.status == status.value)
        if brin is not None:
            query = query.where(table.c.brin == str(brin))
        return self._page(query, table.c.id, after, limit)


@_translating_repository
class SQLPendingImportRepository(SQLRepository[str, PendingImport]):
    """Pending imports in SQL, one row each; erased when confirmed, cancelled or expired."""

    table = t.pending_imports
    key_column = "id"
    kind = "pending_import"
    value_class = PendingImport

    def key_of(self, item: PendingImport) -> str:
        """Return the pending import's id."""
        return item.id

    def extra_columns(self, item: PendingImport) -> dict[str, Any]:
        """Return the expiry time."""
        return {"expires_at_us": to_us(item.expires_at)}

    def purge_expired(self, now: datetime) -> int:
        """Erase every pending import expired at *now*."""
        result = self._uow.writable().execute(
            delete(t.pending_imports).where(t.pending_imports.c.expires_at_us <= to_us(now))
        )
        return int(result.rowcount)


def _check_limit_args(window: timedelta | None, limit: int) -> None:
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise InvalidInput("storage.invalid_argument", field="limit", argument="limit")
    if window is not None and window <= timedelta(0):
        raise InvalidInput("storage.invalid_argument", field="window", argument="window")


@translating
class SQLAttemptCounter:
    """Attempt counters in SQL: one INSERT ... ON CONFLICT DO UPDATE ... RETURNING per attempt."""

    def __init__(self, uow: SQLUnitOfWork) -> None:
        self._uow = uow

    def record(
        self, purpose: str, key: str, *, now: datetime, window: timedelta, limit: int
    ) -> AttemptCount:
        """Count one attempt at *now*, atomically."""
        _check_limit_args(window, limit)
        row = (
            _RECORD.run(
                self._uow.writable(),
                p_purpose=purpose,
                p_key=key,
                p_expires=to_us(now + window),
                p_now=to_us(now),
                p_expires_again=to_us(now + window),
            )
        ).fetchone()
        return AttemptCount(count=row[0], limit=limit, expires_at=from_us(row[1]))

    def peek(self, purpose: str, key: str, *, now: datetime, limit: int) -> AttemptCount:
        """Return the current count at *now*."""
        _check_limit_args(None, limit)
        row = _PEEK.run(
            self._uow.readable(), p_purpose=purpose, p_key=key, p_now=to_us(now)
        ).fetchone()
        if row is None:
            return AttemptCount(count=0, limit=limit, expires_at=None)
        return AttemptCount(count=row[0], limit=limit, expires_at=from_us(row[1]))

    def reset(self, purpose: str, key: str) -> None:
        """Forget the attempts of *key*."""
        _RESET.run(self._uow.writable(), p_purpose=purpose, p_key=key)

    def purge_expired(self, now: datetime) -> int:
        """Remove lapsed entries."""
        result = self._uow.writable().execute(
            delete(t.attempts).where(t.attempts.c.expires_at_us <= to_us(now))
        )
        return int(result.rowcount)


def _record_statement(dialect: str) -> Any:
    table = t.attempts
    return (
        _dialect_insert(dialect)(table)
        .values(
            purpose=bindparam("p_purpose"),
            attempt_key=bindparam("p_key"),
            attempt_count=1,
            expires_at_us=bindparam("p_expires"),
        )
        .on_conflict_do_update(
            index_elements=[table.c.purpose, table.c.attempt_key],
            set_={
                "attempt_count": case(
                    (table.c.expires_at_us <= bindparam("p_now"), 1),
                    else_=table.c.attempt_count + 1,
                ),
                "expires_at_us": bindparam("p_expires_again"),
            },
        )
        .returning(table.c.attempt_count, table.c.expires_at_us)
    )


_RECORD = Prepared(_record_statement)
"""One atomic attempt: ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING``."""
_PEEK = Prepared(
    lambda _: select(t.attempts.c.attempt_count, t.attempts.c.expires_at_us).where(
        t.attempts.c.purpose == bindparam("p_purpose"),
        t.attempts.c.attempt_key == bindparam("p_key"),
        t.attempts.c.expires_at_us > bindparam("p_now"),
    )
)
_RESET = Prepared(
    lambda _: delete(t.attempts).where(
        t.attempts.c.purpose == bindparam("p_purpose"),
        t.attempts.c.attempt_key == bindparam("p_key"),
    )
)
_TOKEN_COLUMNS = (
    t.tokens.c.purpose,
    t.tokens.c.digest,
    t.tokens.c.subject,
    t.tokens.c.expires_at_us,
    t.tokens.c.data,
)
_PUT = Prepared(
    lambda dialect: (
        _dialect_insert(dialect)(t.tokens)
        .values(_named(t.tokens))
        .on_conflict_do_nothing()
        .returning(t.tokens.c.digest)
    )
)
_CONSUME = Prepared(
    lambda _: (
        delete(t.tokens)
        .where(
            t.tokens.c.purpose == bindparam("p_purpose"), t.tokens.c.digest == bindparam("p_digest")
        )
        .returning(*_TOKEN_COLUMNS)
    )
)
_PEEK_TOKEN = Prepared(
    lambda _: select(*_TOKEN_COLUMNS).where(
        t.tokens.c.purpose == bindparam("p_purpose"),
        t.tokens.c.digest == bindparam("p_digest"),
        t.tokens.c.expires_at_us > bindparam("p_now"),
    )
)
_REVOKE = Prepared(
    lambda _: delete(t.tokens).where(
        t.tokens.c.purpose == bindparam("p_purpose"), t.tokens.c.subject == bindparam("p_subject")
    )
)
_APPEND = Prepared(
    lambda _: insert(t.audit_events).values(
        at_us=bindparam("p_at"),
        actor=bindparam("p_actor"),
        action=bindparam("p_action"),
        subject=bindparam("p_subject"),
        outcome=bindparam("p_outcome"),
        details=bindparam("p_details"),
    )
)


@translating
class SQLTokenStore:
    """Single-use tokens in SQL: consumption is one DELETE ... RETURNING."""

    def __init__(self, uow: SQLUnitOfWork) -> None:
        self._uow = uow

    @staticmethod
    def _token(row: Any) -> StoredToken:
        purpose, digest, subject, expires_at_us, data = row
        return StoredToken(
            purpose=purpose,
            digest=digest,
            subject=subject,
            expires_at=from_us(expires_at_us),
            data=json.loads(data),
        )

    def put(self, token: StoredToken) -> None:
        """Store *token*."""
        stored = _PUT.run(
            self._uow.writable(),
            p_purpose=token.purpose,
            p_digest=token.digest,
            p_subject=token.subject,
            p_expires_at_us=to_us(token.expires_at),
            p_data=_dumps(dict(token.data)),
        ).fetchone()
        if stored is None:
            raise AlreadyExists(kind="token", key=token.purpose)

    def consume(self, purpose: str, digest: str, *, now: datetime) -> StoredToken:
        """Remove and return the token if usable at *now*."""
        row = _CONSUME.run(self._uow.writable(), p_purpose=purpose, p_digest=digest).fetchone()
        if row is None or row[3] <= to_us(now):
            raise NotFound("storage.token.unusable")
        return self._token(row)

    def peek(self, purpose: str, digest: str, *, now: datetime) -> StoredToken:
        """Return the token if usable at *now*, without consuming it."""
        row = _PEEK_TOKEN.run(
            self._uow.readable(), p_purpose=purpose, p_digest=digest, p_now=to_us(now)
        ).fetchone()
        if row is None:
            raise NotFound("storage.token.unusable")
        return self._token(row)

    def revoke(self, purpose: str, subject: str) -> int:
        """Remove every token of *subject* for *purpose*."""
        return int(_REVOKE.run(self._uow.writable(), p_purpose=purpose, p_subject=subject).rowcount)

    def purge_expired(self, now: datetime) -> int:
        """Remove tokens expired at *now*."""
        result = self._uow.writable().execute(
            delete(t.tokens).where(t.tokens.c.expires_at_us <= to_us(now))
        )
        return int(result.rowcount)


def _audit_cursor(at_us: int, seq: int) -> str:
    return f"{at_us}#{seq}"


def _parse_audit_cursor(cursor: str) -> tuple[int, int]:
    try:
        at_text, seq_text = cursor.split("#")
        return int(at_text), int(seq_text)
    except ValueError:
        raise InvalidInput("storage.invalid_argument", field="after", argument="after") from None


@translating
class SQLAuditStore:
    """The audit trail in SQL, ordered by time and then by sequence number."""

    def __init__(self, uow: SQLUnitOfWork) -> None:
        self._uow = uow

    def append(self, event: AuditEvent) -> None:
        """Append *event*."""
        _APPEND.run(
            self._uow.writable(),
            p_at=to_us(event.at),
            p_actor=event.actor,
            p_action=event.action,
            p_subject=event.subject,
            p_outcome=event.outcome,
            p_details=_dumps(dict(event.details)),
        )

    def list(
        self,
        *,
        subject: str | None = None,
        actor: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        after: str | None = None,
        limit: int = 100,
    ) -> Page[AuditEvent]:
        """Return events by time, then by order of appending."""
        check_page_size(limit)
        table = t.audit_events
        query = select(*table.c)
        conditions: list[Any] = []
        if subject is not None:
            conditions.append(table.c.subject == subject)
        if actor is not None:
            conditions.append(table.c.actor == actor)
        if since is not None:
            conditions.append(table.c.at_us >= to_us(since))
        if until is not None:
            conditions.append(table.c.at_us < to_us(until))
        if after is not None:
            conditions.append(tuple_(table.c.at_us, table.c.seq) > _parse_audit_cursor(after))
        if conditions:
            query = query.where(*conditions)
        rows = (
            self._uow.readable()
            .execute(query.order_by(table.c.at_us, table.c.seq).limit(limit + 1))
            .all()
        )
        events = tuple(
            AuditEvent(
                at=from_us(row.at_us),
                actor=row.actor,
                action=row.action,
                subject=row.subject,
                outcome=row.outcome,
                details=json.loads(row.details),
            )
            for row in rows[:limit]
        )
        last = rows[limit - 1] if len(rows) > limit else None
        return Page(
            items=events,
            next_after=_audit_cursor(last.at_us, last.seq) if last is not None else None,
        )


def _driver(conn: Any, sql: dict[str, str], params: tuple[Any, ...]) -> Any:
    """Run *sql* straight on the driver's cursor, translating its errors."""
    dialect = conn.dialect
    try:
        return conn.connection.driver_connection.execute(sql[dialect.paramstyle], params)
    except dialect.loaded_dbapi.Error as error:
        raise as_storage_error(error) from error


# A correction sheet and its group are read, and the sheet written, once per scoring call;
# like the attempts', these statements go to the driver's cursor, skipping Core's statement
# construction and result machinery. Neither table has child rows or a unique value besides
# the key, so an update needs no savepoint. A row's decoded value is kept (values are
# immutable and a pure function of version and data) and reused only when the database
# returns the very version and data it was decoded from.


def _fetch(repo: Any, key: str) -> Any:
    row = _driver(repo._uow.readable(), repo._GET, (key,)).fetchone()
    if row is None:
        raise NotFound(kind=repo.kind, key=key)
    known = repo._known.get(key)
    if known is not None and known[0] == row[0] and known[1] == row[1]:
        return known[2]
    value = repo._value_of(row[0], row[1])
    _remember(repo._known, key, (row[0], row[1], value))
    return value


def _store(repo: Any, key: str, item: Any) -> Any:
    version: int = item.version
    data: str = repo._row(item, version + 1)["data"]
    cursor = _driver(repo._uow.writable(), repo._UPDATE, (version + 1, data, key, version))
    if cursor.rowcount == 0:
        raise repo._missing_or_stale(key)
    stored = attrs.evolve(item, version=version + 1)
    _remember(repo._known, key, (version + 1, data, stored))
    return stored


_KNOWN_ROWS = 16384
"""How many decoded rows each correction repository keeps (the last version of each)."""


def _remember(
    known: dict[str, tuple[int, str, Any]], key: str, entry: tuple[int, str, Any]
) -> None:
    if len(known) >= _KNOWN_ROWS:
        known.clear()
    known[key] = entry


def _statements(table: str) -> tuple[dict[str, str], dict[str, str]]:
    # *table* is one of this module's constant table names, never input.
    return (
        {
            "qmark": f"SELECT version, data FROM {table} WHERE id = ?",  # noqa: S608
            "pyformat": f"SELECT version, data FROM {table} WHERE id = %s",  # noqa: S608
        },
        {
            "qmark": f"UPDATE {table} SET version = ?, data = ?"  # noqa: S608
            " WHERE id = ? AND version = ?",
            "pyformat": f"UPDATE {table} SET version = %s, data = %s"  # noqa: S608
            " WHERE id = %s AND version = %s",
        },
    )


@_translating_repository
class SQLCorrectionGroupRepository(SQLRepository[str, CorrectionGroup]):
    """The session groups' corrections in SQL."""

    table = t.correction_groups
    key_column = "id"
    kind = "correction_group"
    value_class = CorrectionGroup
    plain = True
    _GET, _UPDATE = _statements("examkit_correction_groups")
    _known: ClassVar[dict[str, tuple[int, str, Any]]] = {}

    def key_of(self, item: CorrectionGroup) -> str:
        """Return the group's id."""
        return item.group

    def get(self, key: str) -> CorrectionGroup:
        """Return the correction of group *key*, or raise :class:`NotFound`."""
        found: CorrectionGroup = _fetch(self, key)
        return found

    def update(self, item: CorrectionGroup) -> CorrectionGroup:
        """Store *item* over the version it was read at."""
        stored: CorrectionGroup = _store(self, item.group, item)
        return stored


@_translating_repository
class SQLCorrectionSheetRepository(SQLRepository[str, CorrectionSheet]):
    """The candidates' correction sheets in SQL, with every score version in the value."""

    table = t.correction_sheets
    key_column = "id"
    kind = "correction_sheet"
    value_class = CorrectionSheet
    plain = True
    _GET, _UPDATE = _statements("examkit_correction_sheets")
    _known: ClassVar[dict[str, tuple[int, str, Any]]] = {}

    def key_of(self, item: CorrectionSheet) -> str:
        """Return the sheet's key."""
        return item.id

    def extra_columns(self, item: CorrectionSheet) -> dict[str, Any]:
        """Return the group and candidate."""
        return {"group_id": item.group, "candidate_id": item.candidate}

    def get(self, key: str) -> CorrectionSheet:
        """Return the sheet with *key*, or raise :class:`NotFound`."""
        found: CorrectionSheet = _fetch(self, key)
        return found

    def update(self, item: CorrectionSheet) -> CorrectionSheet:
        """Store *item* over the version it was read at."""
        stored: CorrectionSheet = _store(self, item.id, item)
        return stored

    def list_for_group(self, group: str) -> tuple[CorrectionSheet, ...]:
        """Return the sheets of *group*, by candidate id."""
        table = t.correction_sheets
        rows = (
            self._uow.readable()
            .execute(
                select(table.c.id, table.c.version, table.c.data)
                .where(table.c.group_id == group)
                .order_by(table.c.candidate_id)
            )
            .all()
        )
        known = self._known
        found = []
        for key, version, data in rows:
            entry = known.get(key)
            if entry is not None and entry[0] == version and entry[1] == data:
                found.append(entry[2])
                continue
            value = self._value_of(version, data)
            _remember(known, key, (version, data, value))
            found.append(value)
        return tuple(found)
