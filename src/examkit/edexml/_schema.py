"""The building blocks of an EDEXML grammar: simple types, particles, complex types, keys.

A grammar is data: the tables in :mod:`examkit.edexml._grammar` are made of
these values, and the same tables drive examkit's own XML schema (for
libxml2's validator) and the streaming validator written in Python.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, TypeAlias

import attrs

from examkit.edexml._version import Version

__all__ = [
    "XSD_NAMESPACE",
    "AttributeDecl",
    "ComplexType",
    "ElementDecl",
    "Grammar",
    "Group",
    "KeyConstraint",
    "KeyRef",
    "Particle",
    "Segment",
    "SimpleType",
]

XSD_NAMESPACE = "http://www.w3.org/2001/XMLSchema"
"""The namespace of XML Schema's built-in types (``xs:date``)."""

Primitive: TypeAlias = Literal["string", "integer", "date", "dateTime"]
CharClass: TypeAlias = Literal["Nd", "Lu", "digit", "hyphen"]


@attrs.frozen
class Segment:
    r"""One run of a pattern: *min* to *max* characters of one class.

    ``Nd`` is any Unicode decimal digit and ``Lu`` any Unicode upper-case
    letter (as the standard's ``\p{Nd}`` and ``\p{Lu}``); ``digit`` is an
    ASCII digit and ``hyphen`` the character ``-`` (examkit's school year).
    """

    char_class: CharClass
    min: int
    max: int

    def __attrs_post_init__(self) -> None:
        if not 0 <= self.min <= self.max or self.max == 0:
            raise AssertionError(f"segment {self!r}: bad repetition")


@attrs.frozen
class SimpleType:
    """A simple type: a text value with its facets.

    *enumeration* holds the allowed values as written (for an integer type,
    the numbers as text). *pattern_code* is the catalogue code of the error
    when the value does not have the pattern's form. *consecutive_years* is
    examkit's own rule for school years, which XML Schema 1.0 cannot state.
    *personal* marks a personal number (BSN, sofinummer, onderwijsnummer,
    rijksregisternummer): a message about a wrong value never repeats it.
    """

    name: str
    base: str | None
    primitive: Primitive
    min_length: int | None = None
    max_length: int | None = None
    pattern: tuple[Segment, ...] | None = None
    pattern_code: str | None = None
    enumeration: tuple[str, ...] | None = None
    total_digits: int | None = None
    consecutive_years: bool = False
    personal: bool = False

    def __attrs_post_init__(self) -> None:
        if (self.pattern is None) != (self.pattern_code is None):
            raise AssertionError(f"simple type {self.name}: a pattern needs its message code")
        if self.pattern is not None:
            for first, second in zip(self.pattern, self.pattern[1:], strict=False):
                if first.char_class == second.char_class:
                    raise AssertionError(
                        f"simple type {self.name}: neighbouring pattern segments must differ"
                    )
        if self.primitive in {"date", "dateTime"} and (
            self.min_length is not None or self.enumeration is not None
        ):
            raise AssertionError(f"simple type {self.name}: dates take no facets here")


@attrs.frozen
class ElementDecl:
    """A local element declaration: its name, type and how often it may occur."""

    name: str
    type: str
    min: int = 1
    max: int | None = 1


@attrs.frozen
class Group:
    """A sequence or a choice of particles, with how often the group may occur."""

    kind: Literal["sequence", "choice"]
    items: tuple[Particle, ...]
    min: int = 1
    max: int | None = 1


Particle: TypeAlias = ElementDecl | Group


@attrs.frozen
class AttributeDecl:
    """An attribute: its name, simple type and whether it is required."""

    name: str
    type: str
    required: bool = False


@attrs.frozen
class ComplexType:
    """A complex type: element content (or empty) and attributes.

    With *base*, the type extends another complex type: its content is the
    base's content followed by *content*, its attributes the base's and its
    own. An *anonymous* type is written inside its element declaration and
    cannot be named by ``xsi:type``.
    """

    name: str
    content: Particle | None
    attributes: tuple[AttributeDecl, ...] = ()
    base: str | None = None
    abstract: bool = False
    anonymous: bool = False


@attrs.frozen
class KeyConstraint:
    """An identity constraint: the *field* attribute is unique among the selected elements.

    *selectors* are element paths below ``EDEX`` (``("groepen", "groep")``).
    A ``key`` also requires the field; a ``unique`` does not.
    """

    name: str
    kind: Literal["key", "unique"]
    selectors: tuple[tuple[str, ...], ...]
    field: str


@attrs.frozen
class KeyRef:
    """A reference: the *field* attribute of the selected elements names an existing key."""

    name: str
    refer: str
    selector: tuple[str, ...]
    field: str


@attrs.frozen
class Grammar:
    """One version of the EDEXML standard, as data."""

    version: Version
    root: ElementDecl
    simple_types: Mapping[str, SimpleType]
    complex_types: Mapping[str, ComplexType]
    keys: tuple[KeyConstraint, ...]
    keyrefs: tuple[KeyRef, ...]

    def type_of(self, name: str) -> SimpleType | ComplexType:
        """Return the simple or complex type called *name*."""
        found = self.simple_types.get(name)
        if found is not None:
            return found
        return self.complex_types[name]

    def derives_from(self, name: str, ancestor: str) -> bool:
        """Return whether type *name* is *ancestor* or derived from it."""
        current: str | None = name
        while current is not None:
            if current == ancestor:
                return True
            simple = self.simple_types.get(current)
            if simple is not None:
                current = simple.base
                continue
            complex_ = self.complex_types.get(current)
            current = complex_.base if complex_ is not None else None
        return False

    def effective_content(self, name: str) -> Particle | None:
        """Return the whole content model of complex type *name* (its base's included)."""
        complex_ = self.complex_types[name]
        own = complex_.content
        if complex_.base is None:
            return own
        inherited = self.effective_content(complex_.base)
        if inherited is None:
            return own
        if own is None:
            return inherited
        return Group("sequence", (inherited, own))

    def effective_attributes(self, name: str) -> tuple[AttributeDecl, ...]:
        """Return every attribute of complex type *name* (its base's first)."""
        complex_ = self.complex_types[name]
        if complex_.base is None:
            return complex_.attributes
        return self.effective_attributes(complex_.base) + complex_.attributes
