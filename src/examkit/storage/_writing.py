"""The writing units of work each thread holds, and what waits for them to close."""

from __future__ import annotations

import threading
from collections.abc import Callable


class WritingUnits:
    """The writing units of work each thread holds on one backend.

    A writing unit holds the backend's write lock (the memory backend's
    writer, SQLite's ``BEGIN IMMEDIATE``) until it closes; a second writing
    unit begun meanwhile on the same thread waits for the first, which waits
    for the thread: it would wait the whole busy timeout. What must write
    while the thread holds a unit (the audit trail of a refusal made inside
    it, :class:`~examkit.audit.StoredAuditLog`) asks :meth:`after` to run it
    once that unit has closed instead.

    A backend keeps one, calls :meth:`opened` when a writing unit begins and
    :meth:`HeldUnit.close` on the handle it got once the unit has committed or
    rolled back and released its lock.

    >>> units = WritingUnits()
    >>> units.after(lambda: print("later"))
    False
    >>> held = units.opened()
    >>> units.after(lambda: print("after the unit"))
    True
    >>> held.close()
    after the unit
    """

    def __init__(self) -> None:
        self._local = threading.local()

    def _held(self) -> list[HeldUnit]:
        held: list[HeldUnit] | None = getattr(self._local, "held", None)
        if held is None:
            held = self._local.held = []
        return held

    def opened(self) -> HeldUnit:
        """Note that this thread holds one more writing unit; return its handle."""
        held = self._held()
        unit = HeldUnit(held)
        held.append(unit)
        return unit

    def after(self, action: Callable[[], None]) -> bool:
        """Run *action* once this thread holds no writing unit any more.

        Return ``False``, running nothing, when it holds none (the caller
        then runs *action* itself, at once).
        """
        held = self._held()
        if not held:
            return False
        held[0].actions.append(action)
        return True


class HeldUnit:
    """A writing unit of work a thread holds (made by :meth:`WritingUnits.opened`)."""

    def __init__(self, held: list[HeldUnit]) -> None:
        self._held = held
        self.actions: list[Callable[[], None]] = []
        """What runs when this unit has closed, in order."""

    def close(self) -> None:
        """Forget this unit, then run what waited for it (every action, even after a failure).

        Raises:
            Exception: the first action that failed, once all have run.
        """
        if self in self._held:
            self._held.remove(self)
        actions, self.actions = self.actions, []
        failure: Exception | None = None
        for action in actions:
            try:
                action()
            except Exception as error:
                failure = failure or error
        if failure is not None:
            raise failure
