"""Who read whose data: the ``privacy.read`` audit event, for every reading use case (PRIV-2).

Kept below the domain packages (it needs only the use-case unit), so that a
use case of any layer notes its reads without importing :mod:`examkit.privacy`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from examkit.usecase import UseCase

READ: Final = "privacy.read"
"""The audit action of a read of a person's results or personal data."""


def note_reads(unit: UseCase, subjects: Iterable[str], what: str, location: str) -> None:
    """Note in *unit* that its actor read *what* of each of *subjects*, at *location*.

    A subject is a person (``candidate:<id>``, ``pupil:<location>/<key>``,
    ``account:<id>``) or, for a list read at once, what was listed
    (``class:<location>/<class>``, ``location:<location>``). One
    ``privacy.read`` event each, written when *unit* commits: a reading use
    case that notes reads opens a writing unit and commits it.
    """
    for subject in subjects:
        unit.audit(READ, subject=subject, details={"what": what, "location": location})
