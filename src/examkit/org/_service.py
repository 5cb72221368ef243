"""Use cases of institutions: register, look up, manage locations."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import attrs

from examkit.identifiers import LocationCode
from examkit.org._model import CompetentAuthority, Institution, InstitutionCode, Location
from examkit.storage import Page
from examkit.usecase import Ports, UseCase


def _subject(code: InstitutionCode) -> str:
    return f"institution:{code}"


class InstitutionService:
    """Register institutions and manage their locations and competent authority.

    Reached through :attr:`examkit.Examkit.institutions`. The changes are
    the deployment's own set-up (the operator's, or an import from the
    registers): they check no grant, and *actor*, when given, is recorded in
    their audit events only. Each change and its audit event are stored in
    one transaction; a refused change (a code taken, a location that does
    not fit) changes nothing and is audited as a ``failure``.

    Args:
        ports: The wired ports.

    Implements ORG-1, ORG-2, ORG-3 and ORG-5.
    """

    def __init__(self, ports: Ports) -> None:
        self._ports = ports

    def register(self, institution: Institution, *, actor: str | None = None) -> Institution:
        """Store a new *institution*; return it as stored.

        Raises:
            AlreadyExists: the code or one of its locations is taken.
        """
        with UseCase(
            self._ports, "org.institution.registered", _subject(institution.code), actor=actor
        ) as unit:
            stored = unit.uow.institutions.add(institution)
            unit.audit()
            unit.commit()
        return stored

    def get(self, code: InstitutionCode) -> Institution:
        """Return the institution with *code*.

        Raises:
            NotFound: there is none.
        """
        with self._ports.backend.begin(readonly=True) as uow:
            return uow.institutions.get(code)

    def get_by_location(self, code: LocationCode) -> Institution:
        """Return the institution that has location *code*.

        Raises:
            NotFound: there is none.
        """
        with self._ports.backend.begin(readonly=True) as uow:
            return uow.institutions.get_by_location(code)

    def list(self, *, after: str | None = None, limit: int = 100) -> Page[Institution]:
        """Return a page of institutions, ordered by code."""
        with self._ports.backend.begin(readonly=True) as uow:
            return uow.institutions.list(after=after, limit=limit)

    def put_location(
        self, code: InstitutionCode, location: Location, *, actor: str | None = None
    ) -> Institution:
        """Add secondary *location*, or replace the one with its code.

        Raises:
            NotFound: there is no such institution.
            InvalidInput: the location belongs to another BRIN or is the main one.
        """
        return self._change(
            "org.location.saved",
            code,
            lambda found: found.with_location(location),
            actor=actor,
            details={"location": str(location.code)},
        )

    def remove_location(
        self, code: InstitutionCode, location: LocationCode, *, actor: str | None = None
    ) -> Institution:
        """Remove secondary *location*.

        Raises:
            NotFound: there is no such institution or secondary location.
        """
        return self._change(
            "org.location.removed",
            code,
            lambda found: found.without_location(location),
            actor=actor,
            details={"location": str(location)},
        )

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
        return self._change(
            "org.competent_authority.saved",
            code,
            lambda found: attrs.evolve(found, competent_authority=authority),
            actor=actor,
        )

    def _change(
        self,
        action: str,
        code: InstitutionCode,
        change: Callable[[Institution], Institution],
        *,
        actor: str | None,
        details: Mapping[str, str] | None = None,
    ) -> Institution:
        with UseCase(self._ports, action, _subject(code), actor=actor, details=details) as unit:
            stored = unit.uow.institutions.update(change(unit.uow.institutions.get(code)))
            unit.audit()
            unit.commit()
        return stored
