"""The reads a kit recorded today: a person's data read again the same day is not logged again.

One account reading the same data of the same person for the same purpose
(a teacher opening their class list ten times a morning) is one
``privacy.read`` a day: the first, at the moment it happened. The log then
answers who read whose data on which day, and does not grow by a row per
person for every view of a list.

Kept by the kit (:attr:`examkit.usecase.Ports.read_marks`), in memory: a
kit started afresh, or another process, records the day's first read
again. The marks only ever leave a read out that the log already holds
for that day: they are set after the unit that wrote it committed, and
when they would grow past their capacity they are forgotten, so a read is
recorded once more rather than missed.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Final
from zoneinfo import ZoneInfo

SCHOOL_DAY_ZONE: Final = ZoneInfo("Europe/Amsterdam")
"""The zone whose calendar day a read is counted in (Brussels keeps the same time)."""

CAPACITY: Final = 500_000
"""At most this many reads are remembered for the day (about 60 MB at the most); past it
they are forgotten, and the next read of each is recorded again."""


def school_day(moment: datetime) -> date:
    """Return the calendar day *moment* falls on in the schools' zone.

    >>> from datetime import UTC
    >>> school_day(datetime(2026, 12, 6, 23, 30, tzinfo=UTC))
    datetime.date(2026, 12, 7)
    """
    return moment.astimezone(SCHOOL_DAY_ZONE).date()


class ReadMarks:
    """The reads recorded today, by account, purpose (``what``) and person; safe across threads.

    >>> from datetime import date
    >>> marks = ReadMarks()
    >>> today = date(2026, 12, 6)
    >>> marks.unseen(today, "karin", "pupils", ["pupil:22AB00/1", "pupil:22AB00/2"])
    ['pupil:22AB00/1', 'pupil:22AB00/2']
    >>> marks.mark(today, "karin", "pupils", ["pupil:22AB00/1"])
    >>> marks.unseen(today, "karin", "pupils", ["pupil:22AB00/1", "pupil:22AB00/2"])
    ['pupil:22AB00/2']
    >>> marks.unseen(date(2026, 12, 7), "karin", "pupils", ["pupil:22AB00/1"])
    ['pupil:22AB00/1']
    """

    def __init__(self, capacity: int = CAPACITY) -> None:
        self._capacity = capacity
        self._lock = threading.Lock()
        self._day: date | None = None
        self._seen: set[tuple[str, str, str]] = set()

    def unseen(self, day: date, actor: str, what: str, subjects: Iterable[str]) -> list[str]:
        """Return those of *subjects* whose *what* *actor* has no recorded read of on *day*.

        In the order given, each once.
        """
        wanted = list(dict.fromkeys(subjects))
        with self._lock:
            if day != self._day or not self._seen:
                return wanted
            seen = self._seen
            return [subject for subject in wanted if (actor, what, subject) not in seen]

    def mark(self, day: date, actor: str, what: str, subjects: Sequence[str]) -> None:
        """Remember that *actor*'s reads of *what* of *subjects* on *day* are recorded."""
        with self._lock:
            if day != self._day:
                self._seen = set()
                self._day = day
            if len(self._seen) + len(subjects) > self._capacity:
                self._seen = set()  # forgotten: recorded once more, never missed
            self._seen.update((actor, what, subject) for subject in subjects)
