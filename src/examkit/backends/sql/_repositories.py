"""The SQL backend's repositories: one per aggregate, on a shared versioned-table base."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

import attrs
from sqlalchemy import Table, and_, case, delete, insert, select, tuple_, update
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects import postgresql, sqlite

from examkit.accounts import Account, LoginName
from examkit.audit import AuditEvent
from examkit.backends.sql import _tables as t
from examkit.backends.sql._errors import translating
from examkit.backends.sql._time import from_us, to_us
from examkit.converter import structure, unstructure
from examkit.errors import AlreadyExists, ConcurrentModification, InvalidInput, NotFound
from examkit.identifiers import LocationCode, SchoolYear
from examkit.imports import ClassList, EnrolledPupil, PendingImport
from examkit.org import Institution, InstitutionCode
from examkit.roles import Authorization
from examkit.storage import AttemptCount, Page, StoredToken, check_page_size

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
        data = json.loads(row.data)
        data["version"] = row.version
        return structure(data, self.value_class)  # type: ignore[no-any-return]

    def _key_col(self) -> Any:
        return self.table.c[self.key_column]

    def add(self, item: T) -> T:
        """Store a new *item* at version 1."""
        self.add_many([item])
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
        conn = self._uow.readable()
        row = conn.execute(
            select(self.table.c.version, self.table.c.data).where(
                self._key_col() == self.key_text(key)
            )
        ).first()
        if row is None:
            raise NotFound(kind=self.kind, key=self.key_text(key))
        return self._value(row)

    def update(self, item: T) -> T:
        """Store *item* over the version it was read at."""
        conn = self._uow.writable()
        key = self.key_text(self.key_of(item))
        version: int = item.version  # type: ignore[attr-defined]
        row = self._row(item, version + 1)
        row.pop(self.key_column)
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
        condition = self._key_col() == text
        if version is not None:
            condition = and_(condition, self.table.c.version == version)
        result = conn.execute(delete(self.table).where(condition))
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
        row = (
            self._uow.readable()
            .execute(
                select(t.accounts.c.version, t.accounts.c.data).where(
                    t.accounts.c.login_name_folded == login_name.folded
                )
            )
            .first()
        )
        if row is None:
            raise NotFound(kind="account", key=str(login_name))
        return self._value(row)

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
        conn = self._uow.writable()
        now_us, expires_us = to_us(now), to_us(now + window)
        dialect_insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
        table = t.attempts
        statement = (
            dialect_insert(table)
            .values(purpose=purpose, attempt_key=key, attempt_count=1, expires_at_us=expires_us)
            .on_conflict_do_update(
                index_elements=[table.c.purpose, table.c.attempt_key],
                set_={
                    "attempt_count": _case_count(table, now_us),
                    "expires_at_us": expires_us,
                },
            )
            .returning(table.c.attempt_count, table.c.expires_at_us)
        )
        row = conn.execute(statement).one()
        return AttemptCount(
            count=row.attempt_count, limit=limit, expires_at=from_us(row.expires_at_us)
        )

    def peek(self, purpose: str, key: str, *, now: datetime, limit: int) -> AttemptCount:
        """Return the current count at *now*."""
        _check_limit_args(None, limit)
        row = (
            self._uow.readable()
            .execute(
                select(t.attempts.c.attempt_count, t.attempts.c.expires_at_us).where(
                    t.attempts.c.purpose == purpose,
                    t.attempts.c.attempt_key == key,
                    t.attempts.c.expires_at_us > to_us(now),
                )
            )
            .first()
        )
        if row is None:
            return AttemptCount(count=0, limit=limit, expires_at=None)
        return AttemptCount(
            count=row.attempt_count, limit=limit, expires_at=from_us(row.expires_at_us)
        )

    def reset(self, purpose: str, key: str) -> None:
        """Forget the attempts of *key*."""
        self._uow.writable().execute(
            delete(t.attempts).where(
                t.attempts.c.purpose == purpose, t.attempts.c.attempt_key == key
            )
        )

    def purge_expired(self, now: datetime) -> int:
        """Remove lapsed entries."""
        result = self._uow.writable().execute(
            delete(t.attempts).where(t.attempts.c.expires_at_us <= to_us(now))
        )
        return int(result.rowcount)


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


def _case_count(table: Table, now_us: int) -> Any:
    return case(
        (table.c.expires_at_us <= now_us, 1),
        else_=table.c.attempt_count + 1,
    )


@translating
class SQLTokenStore:
    """Single-use tokens in SQL: consumption is one DELETE ... RETURNING."""

    def __init__(self, uow: SQLUnitOfWork) -> None:
        self._uow = uow

    @staticmethod
    def _token(row: Any) -> StoredToken:
        return StoredToken(
            purpose=row.purpose,
            digest=row.digest,
            subject=row.subject,
            expires_at=from_us(row.expires_at_us),
            data=json.loads(row.data),
        )

    def put(self, token: StoredToken) -> None:
        """Store *token*."""
        conn = self._uow.writable()
        try:
            with self._uow.savepoint():
                conn.execute(
                    insert(t.tokens).values(
                        purpose=token.purpose,
                        digest=token.digest,
                        subject=token.subject,
                        expires_at_us=to_us(token.expires_at),
                        data=_dumps(dict(token.data)),
                    )
                )
        except sa_exc.IntegrityError as error:
            raise AlreadyExists(kind="token", key=token.purpose) from error

    def consume(self, purpose: str, digest: str, *, now: datetime) -> StoredToken:
        """Remove and return the token if usable at *now*."""
        row = (
            self._uow.writable()
            .execute(
                delete(t.tokens)
                .where(t.tokens.c.purpose == purpose, t.tokens.c.digest == digest)
                .returning(*t.tokens.c)
            )
            .first()
        )
        if row is None or row.expires_at_us <= to_us(now):
            raise NotFound("storage.token.unusable")
        return self._token(row)

    def peek(self, purpose: str, digest: str, *, now: datetime) -> StoredToken:
        """Return the token if usable at *now*, without consuming it."""
        row = (
            self._uow.readable()
            .execute(
                select(*t.tokens.c).where(
                    t.tokens.c.purpose == purpose,
                    t.tokens.c.digest == digest,
                    t.tokens.c.expires_at_us > to_us(now),
                )
            )
            .first()
        )
        if row is None:
            raise NotFound("storage.token.unusable")
        return self._token(row)

    def revoke(self, purpose: str, subject: str) -> int:
        """Remove every token of *subject* for *purpose*."""
        result = self._uow.writable().execute(
            delete(t.tokens).where(t.tokens.c.purpose == purpose, t.tokens.c.subject == subject)
        )
        return int(result.rowcount)

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
        self._uow.writable().execute(
            insert(t.audit_events).values(
                at_us=to_us(event.at),
                actor=event.actor,
                action=event.action,
                subject=event.subject,
                outcome=event.outcome,
                details=_dumps(dict(event.details)),
            )
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
