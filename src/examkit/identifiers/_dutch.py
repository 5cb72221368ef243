"""Dutch identifiers: BRIN, location, onderwijslocatiecode, postcode."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, ClassVar

import attrs

from examkit.errors import InvalidInput
from examkit.identifiers._base import Identifier, squeeze

_BRIN = re.compile(r"[0-9]{2}[A-Z]{2}")
_LOCATION = re.compile(r"([0-9]{2}[A-Z]{2})([0-9]{2})")
_OLC = re.compile(r"[0-9]{3}X[0-9]{3}")
_POSTCODE = re.compile(r"([1-9][0-9]{3})([A-Z]{2})")
_RESERVED_POSTCODE_LETTERS = frozenset({"SA", "SD", "SS"})


@attrs.frozen(order=True, repr=False)
class Brin(Identifier):
    """BRIN code of a Dutch institution (*instellingscode*): 2 digits + 2 letters.

    >>> Brin.parse(" 22ab ")
    Brin('22AB')

    Implements ORG-1.
    """

    kind: ClassVar[str] = "brin"

    @classmethod
    def _normalise(cls, text: str) -> str:
        value = squeeze(text)
        if not _BRIN.fullmatch(value):
            raise InvalidInput("org.brin.invalid", field=cls.kind, value=text)
        return value

    def location(self, sequence: int | str = 0) -> LocationCode:
        """Return the location of this institution with *sequence* (``0`` is the main one).

        >>> Brin("22AB").location(1)
        LocationCode('22AB01')
        """
        number = f"{int(sequence):02d}" if isinstance(sequence, int) else sequence
        return LocationCode(f"{self.value}{number}")

    @property
    def main_location(self) -> LocationCode:
        """The main location (sequence number ``00``)."""
        return self.location(0)


@attrs.frozen(order=True, repr=False)
class LocationCode(Identifier):
    """A location (*BRIN6*, *instellingscode + administratienummer*): BRIN + 2 digits.

    ``00`` is the main location; others are secondary locations
    (*nevenlocaties*).

    >>> code = LocationCode.parse("22ab 01")
    >>> code, code.brin, code.sequence, code.is_main
    (LocationCode('22AB01'), Brin('22AB'), '01', False)

    Implements ORG-1.
    """

    kind: ClassVar[str] = "location"

    @classmethod
    def _normalise(cls, text: str) -> str:
        value = squeeze(text)
        if len(value) != 6:
            raise InvalidInput("org.location.length", field=cls.kind, value=text, length=len(value))
        if not _LOCATION.fullmatch(value):
            raise InvalidInput("org.location.invalid", field=cls.kind, value=text)
        return value

    @property
    def brin(self) -> Brin:
        """The institution's BRIN code."""
        return Brin(self.value[:4])

    @property
    def sequence(self) -> str:
        """The 2-digit sequence number (*administratienummer*)."""
        return self.value[4:]

    @property
    def is_main(self) -> bool:
        """Whether this is the institution's main location (``00``)."""
        return self.sequence == "00"

    def parts(self) -> Mapping[str, Any]:
        """Return ``brin`` and ``sequence``."""
        return {"brin": str(self.brin), "sequence": self.sequence}


@attrs.frozen(order=True, repr=False)
class OnderwijslocatieCode(Identifier):
    """An *onderwijslocatiecode* from DUO's register: 3 digits, ``X``, 3 digits.

    >>> OnderwijslocatieCode.parse("123x456")
    OnderwijslocatieCode('123X456')

    Implements ORG-1.
    """

    kind: ClassVar[str] = "onderwijslocatiecode"

    @classmethod
    def _normalise(cls, text: str) -> str:
        value = squeeze(text)
        if not _OLC.fullmatch(value):
            raise InvalidInput("org.onderwijslocatiecode.invalid", field=cls.kind, value=text)
        return value


@attrs.frozen(order=True, repr=False)
class Postcode(Identifier):
    """A Dutch postcode: 4 digits not starting with 0, then 2 letters, not SA/SD/SS.

    ``str()`` gives the written form with one space (``8835 BA``);
    :attr:`compact` the form without (``8835BA``).

    >>> Postcode.parse("8835ba"), Postcode("8835 BA").compact
    (Postcode('8835 BA'), '8835BA')

    Implements ORG-3.
    """

    kind: ClassVar[str] = "postcode"

    @classmethod
    def _normalise(cls, text: str) -> str:
        value = squeeze(text)
        match = _POSTCODE.fullmatch(value)
        if match is None:
            if value[:1] == "0" and re.fullmatch(r"[0-9]{4}[A-Z]{2}", value):
                raise InvalidInput("org.postcode.leading_zero", field=cls.kind, value=text)
            raise InvalidInput("org.postcode.invalid", field=cls.kind, value=text)
        digits, letters = match.groups()
        if letters in _RESERVED_POSTCODE_LETTERS:
            raise InvalidInput(
                "org.postcode.reserved_letters", field=cls.kind, value=text, letters=letters
            )
        return f"{digits} {letters}"

    @property
    def compact(self) -> str:
        """The postcode without its space (``8835BA``)."""
        return self.value.replace(" ", "")

    def parts(self) -> Mapping[str, Any]:
        """Return ``digits`` and ``letters``."""
        digits, letters = self.value.split(" ")
        return {"digits": digits, "letters": letters}
