"""Crashing a peer at a named crash point (:data:`examkit.offline.CRASH_POINTS`).

:class:`CrashSwitch` is the :data:`~examkit.offline.CrashHook` a test gives
either peer: armed at one point, it raises :class:`Crash` there once. A
:class:`Crash` is not an ``Exception``: nothing in the code may catch it,
as nothing survives a process that dies; open transactions roll back as
the database does for a dead connection, and the test restarts the peer
over the same store.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from examkit.offline import CRASH_POINTS


class Crash(BaseException):
    """A peer crashed at a crash point."""


@dataclass
class CrashSwitch:
    """A crash hook that raises :class:`Crash` at the armed point, once."""

    armed: str | None = None
    fired: list[str] = field(default_factory=list)
    reached: set[str] = field(default_factory=set)
    """Every crash point the code reached, armed or not."""

    def arm(self, point: str) -> None:
        """Crash at *point*, once."""
        if point not in CRASH_POINTS:
            raise ValueError(point)
        self.armed = point

    def __call__(self, point: str) -> None:
        self.reached.add(point)
        if point == self.armed:
            self.armed = None
            self.fired.append(point)
            raise Crash(point)
