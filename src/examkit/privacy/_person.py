"""Whose data: one person examkit stores data about (PRIV-2, PRIV-3).

>>> PersonRef.account("a-17").label
'account:a-17'
>>> PersonRef.pupil("01AB00", "P0042").label
'pupil:01AB00/P0042'
"""

from __future__ import annotations

from typing import Literal, Self, TypeAlias

import attrs

PersonKind: TypeAlias = Literal["account", "candidate", "pupil"]
"""The kinds of person examkit stores data about: an account holder (staff, an
administrator, a corrector), a candidate of a session group, a pupil imported from EDEXML."""


@attrs.frozen
class PersonRef:
    """One person, as the records refer to them.

    An account by its id; a candidate by its id; a pupil by the location it was
    imported for and the pupil's key in the EDEXML files (the same pupil over
    every school year, and the candidates made from that pupil).
    """

    kind: PersonKind
    """What kind of person."""
    id: str
    """The account's or candidate's id, or the pupil's key."""
    location: str | None = None
    """The pupil's location (BRIN6) or Flemish school; ``None`` for the other kinds."""

    def __attrs_post_init__(self) -> None:
        if not self.id:
            raise ValueError("a person needs an id")
        if (self.kind == "pupil") != (self.location is not None):
            raise ValueError("a pupil, and only a pupil, is named with its location")

    @classmethod
    def account(cls, account_id: str) -> Self:
        """Return the account holder *account_id*."""
        return cls("account", account_id)

    @classmethod
    def candidate(cls, candidate_id: str) -> Self:
        """Return the candidate *candidate_id*."""
        return cls("candidate", candidate_id)

    @classmethod
    def pupil(cls, location: str, key: str) -> Self:
        """Return the pupil *key* of *location*."""
        return cls("pupil", key, location)

    @property
    def label(self) -> str:
        """The person as text (``account:<id>``, ``candidate:<id>``, ``pupil:<location>/<key>``)."""
        if self.location is None:
            return f"{self.kind}:{self.id}"
        return f"{self.kind}:{self.location}/{self.id}"
