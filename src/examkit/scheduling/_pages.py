"""The candidate's page: its epoch and counter, the sitting's rules, what a page load gives."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Final

import attrs

from examkit.errors import ConfigurationError, InvalidInput
from examkit.scheduling._attempts import (
    Attempt,
)
from examkit.scheduling._lifecycle import AttemptState
from examkit.storage import MAX_SEQUENCE

COUNTER_BITS: Final = 16
"""The bits of a save's sequence number that hold the page's counter."""

MAX_COUNTER: Final = (1 << COUNTER_BITS) - 1
"""The highest counter a page may number a save with (65535): then it loads a new epoch."""

MAX_EPOCH: Final = MAX_SEQUENCE >> COUNTER_BITS
"""The highest page epoch (32767): the page loads one attempt can have."""


def page_sequence(epoch: int, counter: int) -> int:
    """Return the one sequence number of save *counter* of the page with *epoch*.

    The pair orders lexicographically, as the sequence numbers
    :meth:`~examkit.scheduling.Sitting.save_response` orders by: every save of
    a later page (a higher epoch) is newer than every save of an earlier one,
    and within a page a higher counter is newer. *epoch* is 1 to
    :data:`MAX_EPOCH`, *counter* 1 to :data:`MAX_COUNTER`; a page whose
    counter runs out loads again (a new epoch).

    >>> page_sequence(1, 1), page_sequence(2, 1) > page_sequence(1, MAX_COUNTER)
    (65537, True)

    Raises:
        InvalidInput: ``sessions.page.sequence`` (field ``epoch`` or ``counter``).

    Implements SCH-4 and SCH-7.
    """
    if type(epoch) is not int or not 1 <= epoch <= MAX_EPOCH:
        raise InvalidInput("sessions.page.sequence", field="epoch", maximum=MAX_EPOCH)
    if type(counter) is not int or not 1 <= counter <= MAX_COUNTER:
        raise InvalidInput("sessions.page.sequence", field="counter", maximum=MAX_COUNTER)
    return (epoch << COUNTER_BITS) | counter


def page_of(sequence: int) -> tuple[int, int]:
    """Return the (epoch, counter) of *sequence*; a save numbered without a page has epoch 0.

    >>> page_of(page_sequence(3, 7)), page_of(5)
    ((3, 7), (0, 5))

    Implements SCH-4 and SCH-7.
    """
    return sequence >> COUNTER_BITS, sequence & MAX_COUNTER


def _period(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, timedelta) or value < timedelta(0) or value > timedelta(hours=2):
        raise ConfigurationError(
            "sessions.rules.invalid", field=attribute.name, setting=attribute.name
        )


def _positive(_: object, attribute: attrs.Attribute[Any], value: timedelta) -> None:
    if value <= timedelta(0):
        raise ConfigurationError(
            "sessions.rules.invalid", field=attribute.name, setting=attribute.name
        )


@attrs.frozen
class SittingRules:
    """The exam day's numbers for the candidates' pages (``Settings.sitting``).

    >>> SittingRules().connection_lost_after
    datetime.timedelta(seconds=20)
    >>> try:
    ...     SittingRules(contact_every=timedelta(seconds=30))
    ... except ConfigurationError as error:
    ...     print(error.code)
    sessions.rules.contact

    Raises:
        ConfigurationError: ``sessions.rules.invalid`` (a period below 0 or above
            two hours, or a zero period where one is needed) or
            ``sessions.rules.contact`` (heartbeats stored less often than a
            lost connection is seen).

    Implements SCH-4 and SCH-7.
    """

    grace: timedelta = attrs.field(default=timedelta(0), validator=_period)
    """How long after the deadline saves are still accepted (0: none)."""
    connection_lost_after: timedelta = attrs.field(
        default=timedelta(seconds=20), validator=[_period, _positive]
    )
    """After how long without contact a candidate's connection counts as lost (then they
    may sign in again without the proctor)."""
    contact_every: timedelta = attrs.field(
        default=timedelta(seconds=5), validator=[_period, _positive]
    )
    """A heartbeat is stored at most this often."""

    def __attrs_post_init__(self) -> None:
        if self.contact_every >= self.connection_lost_after:
            raise ConfigurationError("sessions.rules.contact", field="contact_every")

    def connection_lost_since(self, attempt: Attempt, now: datetime) -> datetime | None:
        """Return since when *attempt*'s connection is lost at *now* (its last contact), or None.

        Only an attempt in progress loses its connection: when nothing was
        heard from its page for :attr:`connection_lost_after`.

        Implements SCH-4.
        """
        if attempt.state is not AttemptState.IN_PROGRESS:
            return None
        last = attempt.last_contact if attempt.last_contact is not None else attempt.started_at
        if last is None or now - last < self.connection_lost_after:
            return None
        return last


def seconds_until(deadline: datetime | None, now: datetime) -> int | None:
    """Return the whole seconds from *now* until *deadline* (at least 0), or None without one."""
    if deadline is None:
        return None
    return max(0, int((deadline - now) / timedelta(seconds=1)))


@attrs.frozen
class SittingPage:
    """What a page load of the candidate's test gives.

    Returned by :meth:`~examkit.scheduling.Sitting.open_page`.

    Implements SCH-4 and SCH-7.
    """

    attempt: Attempt
    """The attempt with every response saved so far."""
    epoch: int
    """The page's epoch: higher than every earlier page's of the attempt."""
    seconds_left: int | None
    """Whole seconds until the deadline (``None`` without one)."""

    def sequence(self, counter: int) -> int:
        """Return the sequence number of this page's save *counter*."""
        return page_sequence(self.epoch, counter)
