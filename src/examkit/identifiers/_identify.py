"""Recognising which kind of identifier a text is."""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from examkit.errors import ExamkitError, ExamkitErrorGroup, InvalidInput
from examkit.identifiers._base import Identifier, squeeze
from examkit.identifiers._dutch import Brin, LocationCode, OnderwijslocatieCode, Postcode
from examkit.identifiers._flemish import Instellingsnummer
from examkit.identifiers._school_year import SchoolYear

KINDS: Final[Mapping[str, type[Identifier]]] = MappingProxyType(
    {
        cls.kind: cls
        for cls in (
            Brin,
            LocationCode,
            OnderwijslocatieCode,
            Instellingsnummer,
            Postcode,
            SchoolYear,
        )
    }
)
"""Every identifier kind by its name, in the order :func:`identify` tries them."""

# Loose shapes: a text that matches one of these was probably meant as that
# kind, so its strict error is the useful one to report.
_RESEMBLES: Final[Mapping[str, re.Pattern[str]]] = MappingProxyType(
    {
        "brin": re.compile(r"[0-9]{1,3}[A-Z]{1,3}"),
        "location": re.compile(r"[0-9]{1,3}[A-Z]{1,3}[0-9]{1,3}"),
        "onderwijslocatiecode": re.compile(r"[0-9]{1,4}X[0-9]{1,4}"),
        "instellingsnummer": re.compile(r"[0-9]{1,7}|[0-9]{8,}"),
        "postcode": re.compile(r"[0-9]{3,5}[A-Z]{1,3}"),
        "school_year": re.compile(r"[0-9]{2,4}[-\u2013\u2014/][0-9]{2,4}"),
    }
)


def identify(text: str, kinds: tuple[str, ...] | None = None) -> Identifier:
    """Return *text* parsed as whichever identifier kind it is.

    The kinds do not overlap, so at most one matches. When none does, the
    error explains the problem for each kind *text* resembles.

    >>> identify("22ab 01")
    LocationCode('22AB01')
    >>> identify("2020-2021")
    SchoolYear('2020-2021')

    Args:
        text: The text to recognise.
        kinds: Names from :data:`KINDS` to consider (all by default).

    Raises:
        InvalidInput: *text* is no identifier of any kind considered (an
            :class:`~examkit.errors.ExamkitErrorGroup` when several kinds
            each explain a problem).

    Implements ORG-1, ORG-2 and ORG-4.
    """
    considered = kinds if kinds is not None else tuple(KINDS)
    for name in considered:
        if name not in KINDS:
            raise InvalidInput("org.id.unknown_kind", field="kind", kind=name)
    problems: list[ExamkitError] = []
    squeezed = squeeze(text) if isinstance(text, str) else ""
    for name in considered:
        try:
            return KINDS[name](text)
        except InvalidInput as error:
            if error.code in {"input.required", "input.not_text", "input.too_long"}:
                raise error.with_location(field="value") from None
            if len(considered) == 1 or _RESEMBLES[name].fullmatch(squeezed):
                problems.append(error)
    if not problems:
        raise InvalidInput(
            "org.id.unrecognised", field="value", value=text, kinds=", ".join(considered)
        )
    if len(problems) == 1:
        raise problems[0]
    raise ExamkitErrorGroup(problems, "org.id.ambiguous_problem", value=text)
