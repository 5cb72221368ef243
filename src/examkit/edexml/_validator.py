"""The streaming validator: a file's elements checked against a grammar as they are read.

It follows what XML Schema validators (libxml2 among them) do, so that its
errors agree with the official schemas': an element out of place is
reported and the rest of its parent's content is not checked (it cannot be
read reliably); an element holding a value may not hold elements; an
element holding only elements may not hold text; attributes are checked
against their declarations, ``xsi:type`` against the types that may
replace the declared one. Keys and references are left to the builder.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from lxml import etree

from examkit.edexml._automaton import ContentModel, compile_content
from examkit.edexml._findings import Finding, Findings, Where
from examkit.edexml._grammar import GRAMMARS
from examkit.edexml._lxml import attributes
from examkit.edexml._schema import (
    XSD_NAMESPACE,
    AttributeDecl,
    ComplexType,
    ElementDecl,
    Grammar,
    SimpleType,
)
from examkit.edexml._values import check_value, shown
from examkit.edexml._version import Version

__all__ = ["MODELS", "XSI_NAMESPACE", "Validator", "display_path"]

XSI_NAMESPACE: Final = "http://www.w3.org/2001/XMLSchema-instance"
_XSI_TYPE: Final = f"{{{XSI_NAMESPACE}}}type"
_XSI_NIL: Final = f"{{{XSI_NAMESPACE}}}nil"
_XSI_HINTS: Final = frozenset(
    {f"{{{XSI_NAMESPACE}}}schemaLocation", f"{{{XSI_NAMESPACE}}}noNamespaceSchemaLocation"}
)
_WHITE: Final = " \t\n\r"

_SKIP, _SIMPLE, _EMPTY, _COMPLEX = range(4)


def _models(grammar: Grammar) -> Mapping[str, ContentModel]:
    return MappingProxyType(
        {
            name: compile_content(grammar.effective_content(name), f"{grammar.version}:{name}")
            for name in grammar.complex_types
        }
    )


MODELS: Final[Mapping[Version, Mapping[str, ContentModel]]] = MappingProxyType(
    {version: _models(grammar) for version, grammar in GRAMMARS.items()}
)
"""Every complex type's content model, compiled (and so checked) at import, per version."""

_ATTRIBUTES: Final[Mapping[Version, Mapping[str, Mapping[str, AttributeDecl]]]] = MappingProxyType(
    {
        version: MappingProxyType(
            {
                name: MappingProxyType({a.name: a for a in grammar.effective_attributes(name)})
                for name in grammar.complex_types
            }
        )
        for version, grammar in GRAMMARS.items()
    }
)


def _attribute_name(name: str) -> str:
    if name.startswith(f"{{{XSI_NAMESPACE}}}"):
        return "xsi:" + name.split("}", 1)[1]
    return name


class _Frame:
    __slots__ = ("child_error", "failed", "kind", "line", "model", "name", "simple", "state",
                 "where")  # fmt: skip

    def __init__(
        self,
        kind: int,
        *,
        name: str = "",
        line: int | None = None,
        where: Where = (),
        model: ContentModel | None = None,
        simple: SimpleType | None = None,
    ) -> None:
        self.kind = kind
        self.name = name
        self.line = line
        self.where = where
        self.model = model
        self.simple = simple
        self.state = 0
        self.failed = False
        self.child_error = False


_SKIP_FRAME: Final = _Frame(_SKIP)


class Validator:
    """Checks one file against one version's grammar, event by event.

    Call :meth:`start` at each start tag and :meth:`end` at each end tag (the
    end with whether the element held text, and text other than white space).
    Problems go to *findings*, marked as applying to this version only.
    """

    def __init__(self, version: Version, findings: Findings, *, lenient: bool) -> None:
        self.version = version
        self.grammar = GRAMMARS[version]
        self._models = MODELS[version]
        self._attributes = _ATTRIBUTES[version]
        self._findings = findings
        self._versions = frozenset({version})
        self._slot = findings.slot(version)
        self._lenient = lenient
        self._stack: list[_Frame] = []
        self.skipped = 0
        """How many elements were left unchecked because of an error around them."""

    def _skip(self) -> None:
        self.skipped += 1
        self._stack.append(_SKIP_FRAME)

    def _error(self, code: str, where: Where, line: int | None, **params: object) -> None:
        findings = self._findings
        if findings.full_after(self._slot, line):
            findings.count(self._slot, error=True)
        else:
            findings.append(Finding("error", code, params, where, line, self._versions))

    def _warning(self, code: str, where: Where, line: int | None, **params: object) -> None:
        findings = self._findings
        if findings.full_after(self._slot, line):
            findings.count(self._slot, error=False)
        else:
            findings.append(Finding("warning", code, params, where, line, self._versions))

    def start(self, element: etree._Element, name: str, line: int | None, where: Where) -> None:
        """Check the start tag of *element*, called *name*, at *line* and *where*."""
        stack = self._stack
        if not stack:
            if name != "EDEX":
                self._error("edexml.element.root", where, line, name=name)
                self._skip()
                return
            self._open(element, self.grammar.root, name, line, where)
            return
        parent = stack[-1]
        kind = parent.kind
        if kind == _SKIP or (kind == _COMPLEX and parent.failed):
            self._skip()
            return
        if kind != _COMPLEX:
            if not parent.child_error:
                parent.child_error = True
                code = "edexml.element.simple" if kind == _SIMPLE else "edexml.element.not_empty"
                self._error(code, parent.where, parent.line, name=parent.name)
            self._skip()
            return
        model = parent.model
        assert model is not None  # noqa: S101 - a complex frame has its model
        following = model.transitions[parent.state].get(name)
        if following is None:
            expected = model.expected[parent.state]
            if expected:
                self._error(
                    "edexml.element.unexpected",
                    where,
                    line,
                    name=name,
                    expected=", ".join(f"<{item}>" for item in expected),
                )
            else:
                self._error(
                    "edexml.element.unexpected_end", where, line, name=name,
                    parent=parent.name,
                )  # fmt: skip
            parent.failed = True
            self._skip()
            return
        parent.state = following
        declaration = model.declarations[following]
        assert declaration is not None  # noqa: S101 - every state but the first has one
        self._open(element, declaration, name, line, where)

    def _resolve(self, element: etree._Element, value: str, declared: str) -> str | None:
        """Return the type ``xsi:type`` *value* names if it may replace *declared*, else None."""
        prefix, colon, local = value.rpartition(":")
        namespace = element.nsmap.get(prefix if colon else None)
        if colon and namespace is None:
            return None
        if namespace == XSD_NAMESPACE:
            name = f"xs:{local}"
        elif namespace is None:
            name = local
        else:
            return None
        grammar = self.grammar
        if name not in grammar.simple_types and name not in grammar.complex_types:
            return None
        complex_ = grammar.complex_types.get(name)
        if complex_ is not None and complex_.anonymous:
            return None
        return name if grammar.derives_from(name, declared) else None

    def _open(
        self,
        element: etree._Element,
        declaration: ElementDecl,
        name: str,
        line: int | None,
        where: Where,
    ) -> None:
        type_name = declaration.type
        attrib = element.attrib
        type_failed = False
        if attrib:
            replacement = attrib.get(_XSI_TYPE)
            if replacement is not None:
                resolved = self._resolve(element, replacement, type_name)
                if resolved is not None:
                    type_name = resolved
                elif self._lenient:
                    self._warning(
                        "edexml.lenient.type_ignored", where, line, type=shown(replacement),
                        name=name,
                    )  # fmt: skip
                else:
                    type_failed = True
                    self._error("edexml.type.unknown", where, line, type=shown(replacement),
                                name=name)  # fmt: skip
        type_ = self.grammar.type_of(type_name)
        declared = self._attributes[type_name] if isinstance(type_, ComplexType) else {}
        self._check_attributes(element, declared, name, line, where)
        if isinstance(type_, SimpleType):
            self._stack.append(_Frame(_SIMPLE, name=name, line=line, where=where, simple=type_))
        elif type_.abstract:
            if not type_failed:
                self._error("edexml.type.abstract", where, line, name=name)
            self._skip()
        else:
            model = self._models[type_name]
            kind = _EMPTY if len(model.transitions) == 1 and not model.expected[0] else _COMPLEX
            self._stack.append(_Frame(kind, name=name, line=line, where=where, model=model))

    def _check_attributes(
        self,
        element: etree._Element,
        declared: Mapping[str, AttributeDecl],
        name: str,
        line: int | None,
        where: Where,
    ) -> None:
        attrib = element.attrib
        for attribute, value in attributes(element):
            if attribute in declared:
                simple = self.grammar.simple_types[declared[attribute].type]
                problem = check_value(simple, value, f"<{name} {attribute}>")
                if problem is not None:
                    self._error(problem[0], where, line, **problem[1])
            elif attribute == _XSI_NIL:
                self._error("edexml.nil", where, line, name=name)
            elif attribute != _XSI_TYPE and attribute not in _XSI_HINTS:
                self._error("edexml.attribute.unknown", where, line, name=name,
                            attribute=_attribute_name(attribute))  # fmt: skip
        for attribute_declaration in declared.values():
            if attribute_declaration.required and attribute_declaration.name not in attrib:
                self._error("edexml.attribute.missing", where, line, name=name,
                            attribute=attribute_declaration.name)  # fmt: skip

    def end(self, element: etree._Element, *, text: bool, nonblank: bool) -> None:
        """Check the end of *element*: its value, or whether its content is complete."""
        frame = self._stack.pop()
        kind = frame.kind
        if kind == _SKIP:
            return
        if kind == _SIMPLE:
            if frame.child_error:
                return
            assert frame.simple is not None  # noqa: S101 - a simple frame has its type
            problem = check_value(frame.simple, element.text or "", f"<{frame.name}>")
            if problem is not None:
                self._error(problem[0], frame.where, frame.line, **problem[1])
        elif kind == _EMPTY:
            if text and not frame.child_error:
                self._error("edexml.element.not_empty", frame.where, frame.line, name=frame.name)
        else:
            model = frame.model
            assert model is not None  # noqa: S101 - a complex frame has its model
            if nonblank:
                self._error("edexml.element.text", frame.where, frame.line, name=frame.name)
            if not frame.failed and frame.state not in model.accepting:
                self._error(
                    "edexml.element.missing",
                    frame.where,
                    frame.line,
                    name=frame.name,
                    expected=", ".join(f"<{item}>" for item in model.expected[frame.state]),
                )


def display_path(where: Where, version: Version | None) -> str:
    """Return *where* as a path: ``/EDEX/leerlingen/leerling[3]/jaargroep``.

    A step shows its number when it is above 1 or when the element may repeat
    there, so every path names one element.

    >>> display_path((("EDEX", 1), ("leerlingen", 1), ("leerling", 1)), Version.V2_1)
    '/EDEX/leerlingen/leerling[1]'
    """
    grammar = GRAMMARS[version or Version.V2_1]
    models = MODELS[version or Version.V2_1]
    type_name: str | None = grammar.root.type if where and where[0][0] == "EDEX" else None
    parts = []
    for depth, (name, index) in enumerate(where):
        repeatable = False
        if depth > 0 and type_name is not None and type_name in models:
            model = models[type_name]
            repeatable = name in model.repeatable
            declaration = next(
                (d for d in model.declarations if d is not None and d.name == name), None
            )
            type_name = declaration.type if declaration is not None else None
        elif depth > 0:
            type_name = None
        parts.append(f"{name}[{index}]" if index > 1 or repeatable else name)
    return "/" + "/".join(parts)
