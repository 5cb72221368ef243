"""Use cases of institutions: register, look up, manage locations."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import attrs

from examkit.audit import AuditEvent
from examkit.identifiers import LocationCode
from examkit.org._model import CompetentAuthority, Institution, InstitutionCode, Location
from examkit.ports import AuditLog, Clock
from examkit.storage import Page

if TYPE_CHECKING:
    from examkit.records import Backend, UnitOfWork

T = TypeVar("T")


class InstitutionService:
    """Register institutions and manage their locations and competent authority.

    Reached through :attr:`examkit.Examkit.institutions`.

    Implements ORG-1, ORG-2, ORG-3 and ORG-5.
    """

    def __init__(self, *, backend: Backend, clock: Clock, audit: AuditLog) -> None:
        self._backend = backend
        self._clock = clock
        self._audit = audit

    def register(self, institution: Institution, *, actor: str | None = None) -> Institution:
        """Store a new *institution*; return it as stored.

        Raises:
            AlreadyExists: the code or one of its locations is taken.
        """
        stored = self._write(lambda uow: uow.institutions.add(institution))
        self._record(actor, "org.institution.registered", stored.code)
        return stored

    def get(self, code: InstitutionCode) -> Institution:
        """Return the institution with *code*.

        Raises:
            NotFound: there is none.
        """
        with self._backend.begin(readonly=True) as uow:
            return uow.institutions.get(code)

    def get_by_location(self, code: LocationCode) -> Institution:
        """Return the institution that has location *code*.

        Raises:
            NotFound: there is none.
        """
        with self._backend.begin(readonly=True) as uow:
            return uow.institutions.get_by_location(code)

    def list(self, *, after: str | None = None, limit: int = 100) -> Page[Institution]:
        """Return a page of institutions, ordered by code."""
        with self._backend.begin(readonly=True) as uow:
            return uow.institutions.list(after=after, limit=limit)

    def put_location(
        self, code: InstitutionCode, location: Location, *, actor: str | None = None
    ) -> Institution:
        """Add secondary *location*, or replace the one with its code.

        Raises:
            NotFound: there is no such institution.
            InvalidInput: the location belongs to another BRIN or is the main one.
        """
        stored = self._change(code, lambda found: found.with_location(location))
        self._record(actor, "org.location.saved", code, location=str(location.code))
        return stored

    def remove_location(
        self, code: InstitutionCode, location: LocationCode, *, actor: str | None = None
    ) -> Institution:
        """Remove secondary *location*.

        Raises:
            NotFound: there is no such institution or secondary location.
        """
        stored = self._change(code, lambda found: found.without_location(location))
        self._record(actor, "org.location.removed", code, location=str(location))
        return stored

    def set_competent_authority(
        self,
        code: InstitutionCode,
        authority: CompetentAuthority,
        *,
        actor: str | None = None,
    ) -> Institution:
        """Record *authority* as the institution's competent authority.

        Implements ORG-5.
        """
        stored = self._change(
            code, lambda found: attrs.evolve(found, competent_authority=authority)
        )
        self._record(actor, "org.competent_authority.saved", code)
        return stored

    def _change(
        self, code: InstitutionCode, change: Callable[[Institution], Institution]
    ) -> Institution:
        return self._write(lambda uow: uow.institutions.update(change(uow.institutions.get(code))))

    def _write(self, work: Callable[[UnitOfWork], T]) -> T:
        with self._backend.begin() as uow:
            result = work(uow)
            uow.commit()
        return result

    def _record(
        self, actor: str | None, action: str, code: InstitutionCode, **details: str
    ) -> None:
        self._audit.record(
            AuditEvent(
                at=self._clock.now(),
                actor=actor,
                action=action,
                subject=f"institution:{code}",
                details=details,
            )
        )
