"""The repository protocols of correction: the groups' corrections and the candidates' sheets."""

from __future__ import annotations

from typing import Protocol

from examkit.correction._model import CorrectionGroup, CorrectionSheet
from examkit.storage import Repository


class CorrectionGroupRepository(Repository[str, CorrectionGroup], Protocol):
    """The session groups' corrections, keyed by the group's id."""


class CorrectionSheetRepository(Repository[str, CorrectionSheet], Protocol):
    """The candidates' correction sheets, keyed by ``<group>:<candidate>``."""

    def list_for_group(self, group: str) -> tuple[CorrectionSheet, ...]:
        """Return the sheets of *group*, by candidate id."""
        ...
