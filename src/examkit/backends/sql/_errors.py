"""Driver errors translated at the boundary: no SQLAlchemy or psycopg exception escapes."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import exc as sa_exc

from examkit.errors import ExamkitError, StorageError

_BUSY_MARKERS = ("database is locked", "database table is locked", "lock timeout")


@contextmanager
def translated() -> Iterator[None]:
    """Turn every SQLAlchemy/driver error raised inside into a :class:`StorageError`."""
    try:
        yield
    except ExamkitError:
        raise
    except sa_exc.SQLAlchemyError as error:
        raise as_storage_error(error) from error


def as_storage_error(error: BaseException) -> StorageError:
    """Return the :class:`StorageError` that stands for driver *error*."""
    text = str(error).lower()
    if any(marker in text for marker in _BUSY_MARKERS):
        return StorageError("storage.busy")
    return StorageError("storage.failed")


def translating_call(method: Callable[..., Any]) -> Callable[..., Any]:
    """Decorator: *method* translates SQLAlchemy errors into :class:`StorageError`."""

    @functools.wraps(method)
    def call(*args: Any, **kwargs: Any) -> Any:
        # translated(), written out: a generator context manager costs ~5 µs a call here
        try:
            return method(*args, **kwargs)
        except ExamkitError:
            raise
        except sa_exc.SQLAlchemyError as error:
            raise as_storage_error(error) from error

    return call
