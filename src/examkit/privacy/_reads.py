"""Who read what: reading a person's results or personal data, recorded (PRIV-2).

A use case that shows one pupil's or candidate's results or personal data
notes a ``privacy.read`` audit event in its own unit of work
(:func:`note_read`): who read (the event's actor), whose data (its subject,
the person's :attr:`~examkit.privacy.PersonRef.label`), when, what
(``details["what"]``) and where the person belongs (``details["location"]``).
:meth:`PrivacyExport.reads <examkit.privacy.PrivacyExport.reads>` shows a
location's reads to its administrator, or one person's.

:data:`READINGS` lists every reading use case of the kit and what it records
(:class:`Reading`): a list records a read of each person on it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import attrs

from examkit._reading import READ, READINGS, Reading, note_reads
from examkit.audit import AuditEvent
from examkit.privacy._person import PersonRef
from examkit.usecase import UseCase

__all__ = ["READ", "READINGS", "Read", "Reading", "note_read"]


def note_read(unit: UseCase, people: Iterable[PersonRef], what: str, location: str) -> None:
    """Note in *unit* that its actor read *what* of each of *people*, who belong at *location*.

    One ``privacy.read`` event per person, written when *unit* commits (a
    reading use case that notes reads opens a writing unit and commits).
    """
    note_reads(unit, (person.label for person in people), what, location)


@attrs.frozen
class Read:
    """One recorded read: who read what of whom, when."""

    at: datetime
    """When."""
    reader: str | None
    """Who read (an account id)."""
    person: str
    """Whose data (:attr:`~examkit.privacy.PersonRef.label`)."""
    what: str
    """What was read (``export``, ``results``, ``pupils``, ...)."""
    location: str
    """Where the person belongs (a location or Flemish school; empty for staff)."""

    @classmethod
    def of(cls, event: AuditEvent) -> Read:
        """Return the read *event* records (a ``privacy.read`` event)."""
        return cls(
            at=event.at,
            reader=event.actor,
            person=event.subject,
            what=event.details.get("what", ""),
            location=event.details.get("location", ""),
        )

    @staticmethod
    def is_read_at(event: AuditEvent, location: str) -> bool:
        """Return whether *event* records a successful read of a person of *location*."""
        return (
            event.action == READ
            and event.outcome == "success"
            and event.details.get("location") == location
        )
