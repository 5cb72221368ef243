"""Examkit's own XML schema for each EDEXML version, written from the grammar tables.

libxml2 validates a file against this schema in C while examkit reads it
(the fast path). The schema says what the tables say, with two omissions
that examkit's Python code covers on the same pass: keys and references
(identity constraints cost libxml2 about as much again as the rest of the
validation, and a set in Python checks them for a fraction of that) and the
rule that a school year's second year follows its first (which XML Schema
1.0 cannot express; the schema checks the form ``YYYY-YYYY``).
"""

from __future__ import annotations

import functools
from xml.sax.saxutils import quoteattr

from lxml import etree

from examkit.edexml._grammar import GRAMMARS
from examkit.edexml._schema import ComplexType, ElementDecl, Grammar, Particle, SimpleType
from examkit.edexml._version import Version

__all__ = ["compiled_schema", "schema_text"]

_CLASS = {"Nd": r"\p{Nd}", "Lu": r"\p{Lu}", "digit": "[0-9]", "hyphen": "-"}


def _occurs(particle: Particle) -> str:
    out = ""
    if particle.min != 1:
        out += f' minOccurs="{particle.min}"'
    if particle.max != 1:
        out += ' maxOccurs="unbounded"' if particle.max is None else f' maxOccurs="{particle.max}"'
    return out


def _type_ref(name: str) -> str:
    return name  # built-ins are named "xs:..." in the tables, matching the prefix used here


class _Writer:
    def __init__(self, grammar: Grammar) -> None:
        self.grammar = grammar
        self.lines: list[str] = []

    def emit(self, depth: int, text: str) -> None:
        self.lines.append("  " * depth + text)

    def particle(self, particle: Particle, depth: int) -> None:
        if isinstance(particle, ElementDecl):
            self.element(particle, depth)
            return
        self.emit(depth, f"<xs:{particle.kind}{_occurs(particle)}>")
        for item in particle.items:
            self.particle(item, depth + 1)
        self.emit(depth, f"</xs:{particle.kind}>")

    def element(self, declaration: ElementDecl, depth: int) -> None:
        target = self.grammar.complex_types.get(declaration.type)
        name = quoteattr(declaration.name)
        if target is not None and target.anonymous:
            self.emit(depth, f"<xs:element name={name}{_occurs(declaration)}>")
            self.complex_type(target, depth + 1)
            self.emit(depth, "</xs:element>")
        else:
            self.emit(
                depth,
                f"<xs:element name={name} type={quoteattr(_type_ref(declaration.type))}"
                f"{_occurs(declaration)}/>",
            )

    def complex_type(self, complex_: ComplexType, depth: int) -> None:
        head = "<xs:complexType"
        if not complex_.anonymous:
            head += f" name={quoteattr(complex_.name)}"
        if complex_.abstract:
            head += ' abstract="true"'
        self.emit(depth, head + ">")
        inner = depth + 1
        if complex_.base is not None:
            self.emit(inner, "<xs:complexContent>")
            self.emit(inner + 1, f"<xs:extension base={quoteattr(complex_.base)}>")
            inner += 2
        if complex_.content is not None:
            self.particle(complex_.content, inner)
        for attribute in complex_.attributes:
            use = ' use="required"' if attribute.required else ""
            self.emit(
                inner,
                f"<xs:attribute name={quoteattr(attribute.name)} "
                f"type={quoteattr(attribute.type)}{use}/>",
            )
        if complex_.base is not None:
            self.emit(depth + 2, "</xs:extension>")
            self.emit(depth + 1, "</xs:complexContent>")
        self.emit(depth, "</xs:complexType>")

    def simple_type(self, simple: SimpleType, depth: int) -> None:
        self.emit(depth, f"<xs:simpleType name={quoteattr(simple.name)}>")
        self.emit(depth + 1, f"<xs:restriction base={quoteattr(simple.base or 'xs:string')}>")
        facets = depth + 2
        if simple.total_digits is not None:
            self.emit(facets, f'<xs:totalDigits value="{simple.total_digits}"/>')
        if simple.min_length is not None:
            self.emit(facets, f'<xs:minLength value="{simple.min_length}"/>')
        if simple.max_length is not None:
            self.emit(facets, f'<xs:maxLength value="{simple.max_length}"/>')
        if simple.pattern is not None:
            regex = "".join(
                _CLASS[segment.char_class]
                + (
                    ""
                    if segment.min == segment.max == 1
                    else f"{{{segment.min}}}"
                    if segment.min == segment.max
                    else f"{{{segment.min},{segment.max}}}"
                )
                for segment in simple.pattern
            )
            self.emit(facets, f"<xs:pattern value={quoteattr(regex)}/>")
        for value in simple.enumeration or ():
            self.emit(facets, f"<xs:enumeration value={quoteattr(value)}/>")
        self.emit(depth + 1, "</xs:restriction>")
        self.emit(depth, "</xs:simpleType>")


@functools.cache
def schema_text(version: Version) -> str:
    r"""Return examkit's XML schema for EDEXML *version* (without keys and references).

    >>> '<xs:element name="EDEX" type="EDEXType"/>' in schema_text(Version.V2_1)
    True
    """
    grammar = GRAMMARS[version]
    writer = _Writer(grammar)
    writer.emit(0, '<?xml version="1.0" encoding="UTF-8"?>')
    writer.emit(
        0,
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'elementFormDefault="qualified" attributeFormDefault="unqualified">',
    )
    writer.emit(1, f"<!-- examkit's EDEXML {version} schema, written from its grammar tables -->")
    writer.element(grammar.root, 1)
    for complex_ in grammar.complex_types.values():
        if not complex_.anonymous:
            writer.complex_type(complex_, 1)
    for simple in grammar.simple_types.values():
        if not simple.name.startswith("xs:"):
            writer.simple_type(simple, 1)
    writer.emit(0, "</xs:schema>")
    return "\n".join(writer.lines) + "\n"


@functools.cache
def compiled_schema(version: Version) -> etree.XMLSchema:
    """Return examkit's schema for *version*, compiled by libxml2 (once per process)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    document = etree.fromstring(schema_text(version).encode("utf-8"), parser)
    return etree.XMLSchema(document)
