"""Reading a record's values as the builder keeps them, and the address of an element.

Each reader takes what the file holds (an element, or its text) and returns
examkit's value, or ``None`` when the content is not there or not valid:
the validator reports what is wrong, the builder simply does not keep it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Final

from lxml import etree

from examkit.edexml._findings import Where
from examkit.edexml._model import Gender, PersonName

__all__ = [
    "WHITE",
    "address_via",
    "birth_date_of",
    "child_where",
    "gender_of",
    "person_name",
    "text_of",
]

Element = etree._Element

WHITE: Final = " \t\n\r"
"""XML's white space characters."""

_PLAIN_DATE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_GENDERS: Final = {gender.value: gender for gender in Gender}


def text_of(element: Element | None) -> str | None:
    """Return the text of *element* (``""`` when empty), or ``None`` without an element."""
    if element is None:
        return None
    return element.text or ""


def birth_date_of(text: str | None) -> date | None:
    """Return the date *text* writes as ``YYYY-MM-DD``, or ``None`` if it writes none."""
    if text is None or not _PLAIN_DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def gender_of(text: str | None) -> Gender | None:
    """Return the gender whose code *text* holds (white space and a ``+`` allowed), or ``None``."""
    if text is None:
        return None
    collapsed = text.strip(WHITE).lstrip("+")
    if not collapsed.isascii() or not collapsed.isdigit():
        return None
    return _GENDERS.get(str(int(collapsed)))


def person_name(values: Mapping[str, Element]) -> PersonName:
    """Return the name held by a pupil's or teacher's name elements, by element name."""
    return PersonName(
        last_name=text_of(values.get("achternaam")),
        prefix=text_of(values.get("voorvoegsel")),
        first_names=text_of(values.get("voornamen")),
        initials=text_of(values.get("voorletters-1")),
        called_name=text_of(values.get("roepnaam")),
    )


def address_via(where: Where, via: tuple[Element, ...]) -> Where:
    """Return the address reached from *where* down through the elements in *via*."""
    for step in via:
        where = child_where(where, step)
    return where


def child_where(parent: Where, child: Element) -> Where:
    """Return the address of *child*, an element whose parent is at *parent*."""
    tag = str(child.tag)
    index = 1 + sum(1 for sibling in child.itersiblings(tag, preceding=True))
    return (*parent, (tag, index))
