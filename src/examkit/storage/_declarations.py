"""Stored records, declared once: the value class, its key, its indexes and its listing order.

Each domain package declares the records it keeps with :class:`RecordType`
and :class:`Index`; every backend builds its storage from these
declarations (the memory backend its indexes, the SQL backend its tables),
and :class:`~examkit.storage.Records` gives the typed repository. A named
query is a declared index, not a method per backend.

>>> import attrs
>>> @attrs.frozen
... class Note:
...     id: str
...     author: str
...     version: int = 0
>>> from examkit.storage import VERSION_FIELD, NotPersonal, Personal
>>> NOTES = RecordType(
...     "notes", Note, kind="note", key=lambda note: note.id,
...     indexes=(Index("author", lambda note: note.author),),
...     privacy={
...         "id": NotPersonal("a generated id"),
...         "author": Personal("who wrote it", "public_task", "account", ("administrator",)),
...         "version": VERSION_FIELD,
...     },
... )
>>> NOTES.index("author").values(Note("n-1", "karin"))
('karin',)
>>> NOTES.key_text(Note("n-1", "karin"))
'n-1'
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any, Final, Generic, TypeVar

import attrs

from examkit.errors import InvalidInput
from examkit.storage._privacy import FieldUse

IndexValue = str | int
"""What an index holds: text (at most :data:`MAX_INDEX_TEXT` characters) or a whole number."""

MAX_INDEX_TEXT: Final = 255
"""The longest text an index holds (the SQL column's length)."""

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")


_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)


def microseconds(moment: datetime) -> int:
    """Return *moment* (aware) as whole microseconds since 1970: how indexes hold times.

    >>> from datetime import timezone
    >>> microseconds(datetime(1970, 1, 1, 0, 0, 1, tzinfo=timezone.utc))
    1000000
    >>> from datetime import timedelta
    >>> microseconds(datetime(1970, 1, 1, 1, 0, 1, tzinfo=timezone(timedelta(hours=1))))
    1000000
    """
    delta = moment - _EPOCH  # aware minus aware: the same instant gives the same number
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _as_values(found: IndexValue | Iterable[IndexValue] | None) -> tuple[IndexValue, ...]:
    if found is None:
        return ()
    if isinstance(found, str | int):
        return (found,)
    return tuple(found)


@attrs.frozen
class Index(Generic[T]):
    """A field a record is looked up or listed by.

    *of* returns the record's value (text or a whole number), ``None`` for
    none, or, for a *many* index, every value (the locations of an
    institution). A *unique* index lets no two records share a value.
    """

    name: str
    """The index's name (a column name in SQL)."""
    of: Callable[[T], IndexValue | Iterable[IndexValue] | None]
    """The record's value or values."""
    unique: bool = False
    """Whether no two records may share a value."""
    many: bool = False
    """Whether a record has any number of values (else at most one)."""
    number: bool = False
    """Whether its values are whole numbers (times as :func:`microseconds`), else text."""
    searchable: bool = True
    """Whether a backend keeps a search structure for it (an SQL index).

    False for a value kept beside the record only so that a backend can
    check it in a conditional write (an attempt's state and last save
    number): finding by it still works, by a scan.
    """

    def values(self, item: T) -> tuple[IndexValue, ...]:
        """Return *item*'s values in this index (none, one, or for *many* any number).

        Raises:
            InvalidInput: ``storage.value.too_long``: a text value is longer than
                :data:`MAX_INDEX_TEXT`, on every backend alike (field: the index).
        """
        values = _as_values(self.of(item))
        for value in values:
            if isinstance(value, str) and len(value) > MAX_INDEX_TEXT:
                raise InvalidInput(
                    "storage.value.too_long",
                    field=self.name,
                    index=self.name,
                    maximum=MAX_INDEX_TEXT,
                )
        return values


def _frozen(value: Mapping[str, FieldUse]) -> Mapping[str, FieldUse]:
    return MappingProxyType(dict(value))


@attrs.frozen
class RecordType(Generic[K, T]):
    """One kind of stored record: its class, key, indexes and listing order.

    Every record class has a ``version`` field: storing a new record sets
    1, each update the next, and an update over a stale version is refused.
    """

    name: str
    """The storage name (a table in SQL): lower case, ``_`` between words."""
    cls: type[T]
    """The record's value class (attrs, structured by examkit's converter)."""
    kind: str
    """What errors call it (``account``)."""
    key: Callable[[T], K]
    """The record's key."""
    indexes: tuple[Index[T], ...] = ()
    """The fields it is looked up or listed by."""
    order: Callable[[T], str] | None = None
    """Its place in listings, unique per record (the key's text when not given)."""
    privacy: Mapping[str, FieldUse] = attrs.field(
        kw_only=True, eq=False, repr=False, converter=_frozen
    )
    """What each of its fields holds, by field name (PRIV-1): the processing register's
    source (:mod:`examkit.privacy`). Required, with no default: every field of :attr:`cls`
    says whether it holds personal data (:class:`~examkit.storage.Personal`) or not
    (:class:`~examkit.storage.NotPersonal`), and
    :func:`examkit.privacy.register_problems` finds a field that does not."""

    def index(self, name: str) -> Index[T]:
        """Return the index called *name*.

        Raises:
            KeyError: there is none (a programming error).
        """
        for index in self.indexes:
            if index.name == name:
                return index
        raise KeyError(f"{self.name} has no index {name!r}")

    def key_text(self, item: T) -> str:
        """Return *item*'s key as text."""
        return str(self.key(item))

    def order_of(self, item: T) -> str:
        """Return *item*'s place in listings."""
        return self.order(item) if self.order is not None else self.key_text(item)

    def matches(
        self,
        item: T,
        where: dict[str, IndexValue],
        at_most: tuple[str, IndexValue] | None = None,
    ) -> bool:
        """Return whether *item* has every value of *where* and is within *at_most*.

        The rule every backend's :meth:`~examkit.storage.Transaction.find` keeps.
        """
        for name, wanted in where.items():
            if wanted not in self.index(name).values(item):
                return False
        if at_most is not None:
            name, bound = at_most
            return any(_le(value, bound) for value in self.index(name).values(item))
        return True


def _le(value: Any, bound: Any) -> bool:
    return type(value) is type(bound) and bool(value <= bound)
