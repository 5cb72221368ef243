"""The exam day in the room, driven through the offline server's kit, counted by the test.

:class:`Room` plays the proctor and the candidates of one group on the
offline server (release, sign in, save, pause, resume, extend, end, hand
in, incidents, close) through the kit's own use cases, and keeps a
:class:`~tests.offline.proof.invariants.Ledger` of what it did: the items a
save was stored for, the saves refused as late, the incidents written. The
ledger is the test's own count; the invariant checker compares the central
totals with it.

The room reaches the kit through a callable, so a test can restart the
offline server (a new kit over the same files) and carry on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TypeVar

from tests.offline.proof.crashes import Crash
from tests.offline.proof.invariants import Ledger

from examkit import Examkit
from examkit.errors import ExamkitError, InvalidState
from examkit.scheduling import Incident
from examkit.testing import ManualClock

T = TypeVar("T")

PROCTOR = "proctor"
ITEMS = ("q1", "q2", "q3")


class Unexpected(AssertionError):
    """The kit did not do what the room expected of it."""


@dataclass
class Seat:
    """One candidate as the room knows them."""

    candidate: str
    login_name: str
    key: str | None = None
    sequence: int = 0
    state: str = "registered"
    """``registered``, ``running``, ``paused`` or ``ended`` (handed in, ended, timed out)."""


@dataclass
class Room:
    """One group's exam day on the offline server.

    Args:
        kit: Returns the offline server's kit now (a restart makes a new one).
        group: The group's id.
        clock: The offline server's clock.
    """

    kit: Callable[[], Examkit]
    group: str
    clock: ManualClock
    recover: Callable[[], None] | None = None
    """Restarts the offline server after a crash (the crashed action is then run again)."""
    ledger: Ledger = field(default_factory=Ledger)
    seats: dict[str, Seat] = field(default_factory=dict)
    access_code: str | None = None
    state: str = "planned"
    overtime: bool = False
    """Whether the clock ran past every deadline (:meth:`time_out`)."""

    def _run(self, action: Callable[[Examkit], T]) -> T:
        """Run *action* on the kit; after a crash, restart the server and run it again."""
        try:
            return action(self.kit())
        except Crash:
            if self.recover is None:
                raise
            self.recover()
            return action(self.kit())

    def load(self) -> None:
        """Read the group's candidates from the offline server (after the first sync)."""
        kit = self.kit()
        for attempt in kit.planning.attempts(self.group):
            self.seats.setdefault(attempt.candidate, Seat(attempt.candidate, attempt.login_name))

    @property
    def candidates(self) -> list[str]:
        """The group's candidates, in order."""
        return sorted(self.seats)

    def release(self) -> None:
        """The proctor releases the group: its access code is made."""
        group = self._run(lambda kit: kit.group_lifecycle.release(PROCTOR, self.group))
        self.access_code, self.state = group.access_code, "released"

    def sign_in(self, candidate: str) -> None:
        """The candidate signs in with the access code and starts."""
        seat = self.seats[candidate]
        assert self.access_code is not None
        code = self.access_code
        session = self._run(lambda kit: kit.sitting.sign_in(seat.login_name, code))
        seat.key, seat.state = session.key, "running"

    def save(self, candidate: str, item: str, value: object) -> bool:
        """The candidate saves *value* for *item*; return whether it was stored.

        A running candidate's save must be stored; one after handing in, after
        the end or past every deadline (:meth:`time_out`) refused and counted
        as late; a paused one's (in time) refused and not counted.
        """
        seat = self.seats[candidate]
        late = self.overtime or seat.state == "ended"
        assert seat.key is not None
        seat.sequence += 1
        key, sequence = seat.key, seat.sequence
        try:
            receipt = self._run(
                lambda kit: kit.sitting.save_response(
                    self.group, candidate, item, value, sequence=sequence, key=key
                )
            )
        except InvalidState as refused:
            if seat.state == "running" and not late:
                raise Unexpected(f"a running save was refused: {refused.code}") from refused
            if late:
                self.ledger.late(self.group, candidate)
            return False
        if not receipt.stored or seat.state != "running" or late:
            raise Unexpected(f"save of {candidate} in state {seat.state}: {receipt}")
        self.ledger.answer(self.group, candidate, item)
        return True

    def intervene(self, candidate: str, event: str) -> None:
        """The proctor pauses, resumes or ends (with a reason) the candidate's attempt."""
        reason = "fraude" if event == "terminate" else ""
        self._run(
            lambda kit: kit.proctoring.intervene(
                PROCTOR, self.group, candidate, event, reason=reason
            )
        )
        seat = self.seats[candidate]
        seat.state = {"pause": "paused", "resume": "running", "terminate": "ended"}[event]

    def extend(self, candidate: str, minutes: int) -> None:
        """The proctor gives the candidate *minutes* more."""
        self._run(
            lambda kit: kit.proctoring.extend_time(
                PROCTOR, self.group, candidate, minutes=minutes, reason="stroomstoring"
            )
        )

    def submit(self, candidate: str) -> None:
        """The candidate hands in."""
        seat = self.seats[candidate]
        assert seat.key is not None
        key = seat.key
        self._run(lambda kit: kit.sitting.submit(self.group, candidate, key=key))
        seat.state = "ended"

    def time_out(self, hours: int = 72) -> None:
        """The clock runs past every deadline: from now on every save is late.

        The worlds' clocks start a day before the session; three days on, every
        deadline (the session's end, extra time, every extension) has passed.
        """
        self.clock.advance(hours=hours)
        self.overtime = True

    def incident(self, text: str, candidate: str | None = None) -> None:
        """The proctor writes an incident in the session report."""
        incident = Incident(at=self.clock.now(), text=text, candidate=candidate)
        self._run(
            lambda kit: kit.session_reports.write_report(PROCTOR, self.group, incidents=[incident])
        )
        self.ledger.incident(self.group)

    def close(self) -> None:
        """The proctor completes the report and closes the group."""
        self._run(
            lambda kit: kit.session_reports.write_report(
                PROCTOR, self.group, notes="Rustig verlopen.", completed=True
            )
        )
        self._run(lambda kit: kit.group_lifecycle.close(PROCTOR, self.group))
        self.state = "closed"

    def attempt(self, action: Callable[[], object]) -> bool:
        """Run *action*; return ``False`` when the kit refuses it with its own error."""
        try:
            action()
        except Unexpected:
            raise
        except ExamkitError:
            return False
        return True


def whole_day(room: Room, *, minutes: int = 5) -> None:
    """A scripted day: release, everyone signs in and saves, a pause, an end, a late
    save, an incident, hand-ins and the close (the clock moves *minutes* per step)."""
    room.release()
    first, *others = room.candidates
    for candidate in room.candidates:
        room.sign_in(candidate)
    for n, item in enumerate(ITEMS):
        room.clock.advance(minutes=minutes)
        for candidate in room.candidates:
            room.save(candidate, item, {"choice": [chr(ord("A") + n)], "by": candidate})
    room.save(first, "q1", {"choice": ["D"], "by": first})  # a second answer to q1
    room.intervene(first, "pause")
    room.save(first, "q2", "while paused")  # refused, not counted
    room.intervene(first, "resume")
    room.extend(first, 10)
    if others:
        room.intervene(others[0], "terminate")
        room.save(others[0], "q3", "after the end")  # refused, counted as late
    room.incident("Kandidaat meldde zich ziek.", candidate=first)
    room.clock.advance(minutes=minutes)
    for candidate in room.candidates:
        if room.seats[candidate].state == "running":
            room.submit(candidate)
    room.save(first, "q3", "after handing in")  # refused, counted as late
    room.clock.advance(timedelta(minutes=minutes))
    room.close()
