"""The import's jobs a portal runs regularly: erasing lapsed previews and archived pupils."""

from __future__ import annotations

from examkit.imports._common import ImportSettings
from examkit.storage import MAX_PAGE_SIZE
from examkit.usecase import Ports, UseCase


class ImportHousekeeping:
    """Erase what the imports no longer need: ``kit.import_housekeeping``.

    Both are jobs of the system (no acting account), each one unit of work.

    Args:
        ports: The wired ports.
        settings: How long archived pupils are kept.

    Implements EDX-4 and EDX-6.
    """

    def __init__(self, ports: Ports, settings: ImportSettings | None = None) -> None:
        self._ports = ports
        self._settings = settings if settings is not None else ImportSettings()

    def __repr__(self) -> str:
        return f"ImportHousekeeping({self._ports.backend!r})"

    def purge_expired(self) -> int:
        """Erase every expired preview; return how many (a job to run regularly).

        Implements EDX-6.
        """
        with UseCase(self._ports, "imports.purge_expired", "imports") as unit:
            count = unit.uow.pending_imports.purge_expired(unit.now)
            unit.commit()
        return count

    def purge_archived(self) -> int:
        """Erase pupils archived longer than the retention period; return how many.

        Implements EDX-4 and EDX-6.
        """
        with UseCase(self._ports, "imports.purge_archived", "imports") as unit:
            cutoff = unit.now - self._settings.archive_retention
            erased = 0
            after: str | None = None
            pupils = unit.uow.pupils
            while True:
                page = pupils.list_archived_before(cutoff, after=after, limit=MAX_PAGE_SIZE)
                for pupil in page.items:
                    pupils.remove(pupil.id, version=pupil.version)
                erased += len(page.items)
                if page.next_after is None:
                    break
                after = page.next_after
            unit.commit()
        return erased
