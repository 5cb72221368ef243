"""Institutions, their locations, addresses and competent authority."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from examkit._fields import check_email, clean_text, normalise_email, required_text
from examkit.errors import ExamkitError, ExamkitErrorGroup, InvalidInput, NotFound
from examkit.identifiers import (
    BelgianPostcode,
    Brin,
    Instellingsnummer,
    LocationCode,
    OnderwijslocatieCode,
    Postcode,
)

InstitutionCode = Brin | Instellingsnummer
"""What identifies an institution: a Dutch BRIN or a Flemish instellingsnummer."""


@attrs.frozen
class Address:
    """A postal address (*adres*): street, house number, postcode and town.

    >>> Address("Stationsstraat", "12a", Postcode("8835ba"), "Tzummarum").postcode
    Postcode('8835 BA')

    Implements ORG-3.
    """

    street: str = attrs.field(converter=clean_text, validator=required_text(120))
    """The street name."""
    house_number: str = attrs.field(converter=clean_text, validator=required_text(20))
    """The house number with any addition (``12a``, ``3-5``)."""
    postcode: Postcode | BelgianPostcode
    """A Dutch postcode, or a Belgian one for a Flemish school."""
    town: str = attrs.field(converter=clean_text, validator=required_text(80))
    """The town (*plaats*)."""

    def lines(self) -> tuple[str, str]:
        """Return the address as two printed lines.

        >>> Address("Dorpsstraat", "1", Postcode("8835BA"), "Tzummarum").lines()
        ('Dorpsstraat 1', '8835 BA Tzummarum')
        """
        return (f"{self.street} {self.house_number}", f"{self.postcode} {self.town}")


@attrs.frozen
class CompetentAuthority:
    """The competent authority (*bevoegd gezag*): the school board or head.

    Implements ORG-5.
    """

    name: str = attrs.field(converter=clean_text, validator=required_text(120))
    """The person's name as it is printed (initials and last name)."""
    function: str = attrs.field(converter=clean_text, validator=required_text(120))
    """Their function (``voorzitter college van bestuur``)."""
    email: str = attrs.field(converter=normalise_email, validator=check_email)
    """Their e-mail address."""


@attrs.frozen
class Location:
    """A location of a Dutch institution: the main one (``00``) or a *nevenlocatie*.

    Implements ORG-1 and ORG-3.
    """

    code: LocationCode
    """The location's BRIN6."""
    name: str = attrs.field(converter=clean_text, validator=required_text(200))
    """The location's name."""
    address: Address
    """Where it is."""
    onderwijslocatiecode: OnderwijslocatieCode | None = None
    """Its code in DUO's newer register, where known."""


def _check_secondary_locations(
    institution: Institution, _: attrs.Attribute[Any], value: tuple[Location, ...]
) -> None:
    problems: list[ExamkitError] = []
    code = institution.code
    if value and not isinstance(code, Brin):
        problems.append(InvalidInput("org.location.flemish", field="secondary_locations"))
    seen: set[LocationCode] = set()
    for index, location in enumerate(value):
        field = f"secondary_locations[{index}]"
        if isinstance(code, Brin) and location.code.brin != code:
            problems.append(
                InvalidInput(
                    "org.location.other_institution",
                    field=field,
                    location=str(location.code),
                    institution=str(code),
                )
            )
        if location.code.is_main:
            problems.append(
                InvalidInput(
                    "org.location.main_as_secondary", field=field, location=str(location.code)
                )
            )
        if location.code in seen:
            problems.append(
                InvalidInput("org.location.duplicate", field=field, location=str(location.code))
            )
        seen.add(location.code)
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise ExamkitErrorGroup(problems)


def _as_locations(value: Iterable[Location]) -> tuple[Location, ...]:
    return tuple(value)


def _check_postcode_country(
    institution: Institution, _: attrs.Attribute[Any], value: Address
) -> None:
    dutch = isinstance(institution.code, Brin)
    if dutch != isinstance(value.postcode, Postcode):
        raise InvalidInput("org.address.postcode_country", field="address.postcode")


@attrs.frozen
class Institution:
    """An institution (*instelling*): a Dutch school by BRIN, or a Flemish one.

    A Dutch institution has a main location (its BRIN + ``00``, at the
    institution's own address) and zero or more secondary locations
    (*nevenlocaties*) of the same BRIN. A Flemish school is identified by its
    *instellingsnummer* and has no BRIN locations.

    >>> school = Institution(
    ...     code=Brin("22AB"), name="Het Eiland",
    ...     address=Address("Dorpsstraat", "1", Postcode("8835BA"), "Tzummarum"))
    >>> school.main_location.code, [str(loc.code) for loc in school.locations]
    (LocationCode('22AB00'), ['22AB00'])

    Implements ORG-1, ORG-2, ORG-3 and ORG-5.
    """

    code: InstitutionCode
    """The BRIN (Dutch) or instellingsnummer (Flemish)."""
    name: str = attrs.field(converter=clean_text, validator=required_text(200))
    """The institution's name."""
    address: Address = attrs.field(validator=_check_postcode_country)
    """The address of the institution (the main location's address)."""
    competent_authority: CompetentAuthority | None = None
    """The competent authority (*bevoegd gezag*), where known."""
    onderwijslocatiecode: OnderwijslocatieCode | None = None
    """The main location's onderwijslocatiecode, where known."""
    secondary_locations: tuple[Location, ...] = attrs.field(
        default=(), converter=_as_locations, validator=_check_secondary_locations
    )
    """The secondary locations, in the order given."""
    version: int = attrs.field(default=0, eq=False)
    """The stored version, bumped by the backend at every write (0: never stored)."""

    @property
    def is_flemish(self) -> bool:
        """Whether this is a Flemish school (identified by an instellingsnummer)."""
        return isinstance(self.code, Instellingsnummer)

    @property
    def main_location(self) -> Location | None:
        """The main location (``00``) of a Dutch institution; ``None`` for a Flemish one."""
        if not isinstance(self.code, Brin):
            return None
        return Location(
            code=self.code.main_location,
            name=self.name,
            address=self.address,
            onderwijslocatiecode=self.onderwijslocatiecode,
        )

    @property
    def locations(self) -> tuple[Location, ...]:
        """Every location, main first, then the secondary ones."""
        main = self.main_location
        return (main, *self.secondary_locations) if main is not None else ()

    def location(self, code: LocationCode) -> Location:
        """Return the location with *code*.

        Raises:
            NotFound: the institution has no such location.
        """
        for location in self.locations:
            if location.code == code:
                return location
        raise NotFound("org.location.not_found", field="location", location=str(code))

    def with_location(self, location: Location) -> Institution:
        """Return a copy with *location* added, or replacing the one with its code."""
        others = tuple(loc for loc in self.secondary_locations if loc.code != location.code)
        return attrs.evolve(self, secondary_locations=(*others, location))

    def without_location(self, code: LocationCode) -> Institution:
        """Return a copy without the secondary location *code*.

        Raises:
            NotFound: there is no such secondary location.
        """
        remaining = tuple(loc for loc in self.secondary_locations if loc.code != code)
        if len(remaining) == len(self.secondary_locations):
            raise NotFound("org.location.not_found", field="location", location=str(code))
        return attrs.evolve(self, secondary_locations=remaining)
