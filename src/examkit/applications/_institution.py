"""The institution an approved application registers (ACC-6, ORG-1): its school as applied for."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from examkit.applications._model import AccountApplication
from examkit.errors import NotFound
from examkit.identifiers import LocationCode, OnderwijslocatieCode
from examkit.org import CompetentAuthority, Institution, Location

if TYPE_CHECKING:
    from examkit.usecase import UseCase


def institution_of(application: AccountApplication) -> Institution:
    """Return the institution *application* describes: the school, its locations, its authority.

    The main location (``..00``) carries the school's name and address; every
    other location applied for becomes a secondary one, under its own name
    where the application gives one (else the school's) at the school's
    address (the application asks for no other).

    >>> from examkit.applications import example_application
    >>> school = institution_of(example_application())
    >>> str(school.code), [str(location.code) for location in school.secondary_locations]
    ('22AB', ['22AB01'])
    """
    school = application.school
    authority = application.competent_authority
    return Institution(
        code=school.brin,
        name=school.name,
        address=school.address,
        competent_authority=CompetentAuthority(
            authority.full_name, authority.function, authority.email
        ),
        onderwijslocatiecode=school.onderwijslocatiecode if school.code.is_main else None,
        secondary_locations=tuple(
            Location(
                code,
                _name_of(application, code),
                school.address,
                _olc_of(application, code),
            )
            for code in school.location_codes
            if not code.is_main
        ),
    )


def _name_of(application: AccountApplication, code: LocationCode) -> str:
    school = application.school
    for location in school.secondary_locations:
        if location.code == code and location.name:
            return location.name
    return school.name


def _olc_of(application: AccountApplication, code: LocationCode) -> OnderwijslocatieCode | None:
    school = application.school
    if school.code == code:
        return school.onderwijslocatiecode
    for location in school.secondary_locations:
        if location.code == code:
            return location.onderwijslocatiecode
    return None


def register_school(unit: UseCase, application: AccountApplication) -> Institution:
    """Register *application*'s institution in *unit*, or add the locations it lacks.

    A school that applies again in a later year is registered already: its
    name, address and authority stay as they are kept, and only locations
    applied for that it does not have are added. Each change is audited in
    the unit (``org.institution.registered``, ``org.location.saved``).
    """
    wanted = institution_of(application)
    uow = unit.uow
    subject = f"institution:{wanted.code}"
    try:
        found = uow.institutions.get(wanted.code)
    except NotFound:
        stored = uow.institutions.add(wanted)
        unit.audit(action="org.institution.registered", subject=subject)
        return stored
    have = {location.code for location in found.locations}
    changed = found
    for location in wanted.secondary_locations:
        if location.code not in have:
            changed = changed.with_location(location)
            unit.audit(
                action="org.location.saved",
                subject=subject,
                details={"location": str(location.code)},
            )
    if changed is found:
        return found
    return uow.institutions.update(attrs.evolve(changed, version=found.version))
