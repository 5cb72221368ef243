"""Flemish identifiers: the school's *instellingsnummer*."""

from __future__ import annotations

import re
from typing import ClassVar

import attrs

from examkit.errors import InvalidInput
from examkit.identifiers._base import Identifier, squeeze

_INSTELLINGSNUMMER = re.compile(r"[0-9]{2,6}")


@attrs.frozen(order=True, repr=False)
class Instellingsnummer(Identifier):
    """A Flemish school's *instellingsnummer*: 2 to 6 digits, kept as text.

    Leading zeros are kept: ``012345`` and ``12345`` are different numbers.

    >>> Instellingsnummer.parse(" 012345 ")
    Instellingsnummer('012345')

    Implements ORG-2.
    """

    kind: ClassVar[str] = "instellingsnummer"

    @classmethod
    def _normalise(cls, text: str) -> str:
        value = squeeze(text)
        if not _INSTELLINGSNUMMER.fullmatch(value):
            raise InvalidInput("org.instellingsnummer.invalid", field=cls.kind, value=text)
        return value


_BELGIAN_POSTCODE = re.compile(r"[1-9][0-9]{3}")


@attrs.frozen(order=True, repr=False)
class BelgianPostcode(Identifier):
    """A Belgian postcode, for Flemish schools' addresses: 4 digits, 1000 to 9999.

    >>> BelgianPostcode.parse("B-9000")
    BelgianPostcode('9000')
    """

    kind: ClassVar[str] = "belgian_postcode"

    @classmethod
    def _normalise(cls, text: str) -> str:
        value = squeeze(text).removeprefix("B-").removeprefix("BE-")
        if not _BELGIAN_POSTCODE.fullmatch(value):
            raise InvalidInput("org.belgian_postcode.invalid", field=cls.kind, value=text)
        return value
