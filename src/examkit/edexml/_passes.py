"""The passes over a file: a look at its head, the fast path, the full report, extra schemas.

The fast path lets libxml2 validate the file in C against examkit's own
schema for one version while Python reads only the records it builds the
model from, each dropped as soon as it is read. A valid file (the common
case) is read once. When libxml2 or the builder finds anything wrong, the
full report follows: a second streaming pass in which examkit's own
validator checks every element against the grammar of every version still
in question, so every problem is reported with its line and element, in
the file's own words. Neither pass keeps more of the file than the record
being read, and both refuse a record of more than ``max_record_elements``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, BinaryIO, Final, cast

from lxml import etree

from examkit.edexml._builder import RECORDS, Builder
from examkit.edexml._findings import ROOT, Finding, Findings, Where
from examkit.edexml._lxml import has_doctype, log_entries, syntax_error_code
from examkit.edexml._lxml import line as line_of
from examkit.edexml._source import (
    PARSER_OPTIONS,
    VALIDATING_OPTIONS,
    Limits,
    Refusal,
    Source,
)
from examkit.edexml._validator import Validator
from examkit.edexml._version import Version
from examkit.edexml._xsd import compiled_schema

__all__ = [
    "check_attributes",
    "check_text",
    "extra_schema_findings",
    "fast_pass",
    "head",
    "schema_accepts",
    "slow_pass",
]

_CHECK_EVERY: Final = 1024  # events between looks at libxml2's error log on the fast path
_HEAD_EVENTS: Final = 256  # events read to find <xsdversie> before giving up
_HEAD_CHUNK: Final = 16 * 1024
_WHITE: Final = " \t\n\r"
_PUPILS: Final = (*ROOT, ("leerlingen", 1))
_TEACHERS: Final = (*ROOT, ("leerkrachten", 1))
_GROUPS: Final = (*ROOT, ("groepen", 1))
_SITES: Final = (*ROOT, ("vestigingen", 1))
_SCHOOL: Final = (*ROOT, ("school", 1))
_CONTAINERS: Final = frozenset({"groepen", "vestigingen", "leerlingen", "leerkrachten"})
_RECORD_TAGS: Final = _CONTAINERS | {
    "leerling",
    "leerkracht",
    "school",
    "groep",
    "samengestelde_groep",
    "vestiging",
}


def _refuse_doctype(element: etree._Element) -> None:
    if has_doctype(element):
        raise Refusal("doctype", 0, 1)


_RESOURCE_LIMIT: Final = 114  # XML_ERR_RESOURCE_LIMIT: libxml2 2.13 on (lxml 6)
_LIMIT_MESSAGES: Final = (  # how libxml2 2.12 (lxml 5.2) says it stopped at one of its limits
    "excessive depth",
    "huge text node",
    "attvalue length too long",
)


def _resource_refusal(error: etree.XMLSyntaxError, source: Source) -> Refusal | None:
    """Return the refusal for one of libxml2's own limits, or None for another error.

    libxml2 2.13 on says "Resource limit exceeded" with one code; 2.12 gives
    the same limits other codes, told apart here by their text.
    """
    message = (error.msg or "").lower()
    if syntax_error_code(error) != _RESOURCE_LIMIT and not any(
        text in message for text in _LIMIT_MESSAGES
    ):
        return None
    limits = source.limits
    if "depth" in message:
        return Refusal("max_depth", limits.max_depth, error.lineno)
    if "entit" in message:  # only a document type declaration can declare an entity
        return Refusal("doctype", 0, error.lineno)
    if "text" in message:  # "Text node too long", "huge text node"
        return Refusal("max_text_length", limits.max_text_length, error.lineno)
    # "AttValue length too long", "Buffer size limit exceeded" (an attribute value)
    return Refusal("max_attribute_length", limits.max_attribute_length, error.lineno)


def check_attributes(element: etree._Element, limits: Limits, line: int | None) -> None:
    """Refuse *element* if it has too many attributes or too long a value.

    Counts before reading them: lxml reads an element's attributes in time
    quadratic in their number.

    Raises:
        Refusal: ``max_attributes`` or ``max_attribute_length`` is crossed.
    """
    attrib = element.attrib
    if not attrib:
        return
    if len(attrib) > limits.max_attributes:
        raise Refusal("max_attributes", limits.max_attributes, line)
    longest = limits.max_attribute_length
    if any(len(value) > longest for value in attrib.values()):
        raise Refusal("max_attribute_length", longest, line)


def check_text(text: str | None, limits: Limits, line: int | None) -> None:
    """Refuse a *text* longer than ``max_text_length``.

    Checked on the text an element starts with (its value), in both passes
    alike; text between elements is bounded by libxml2's own limit.

    Raises:
        Refusal: ``max_text_length`` is crossed.
    """
    if text is not None and len(text) > limits.max_text_length:
        raise Refusal("max_text_length", limits.max_text_length, line)


class _Head:
    """The target of the parser reading the head of a file (lxml's parser-target interface)."""

    def __init__(self) -> None:
        self.has_doctype = False
        self.started = False
        self.done = False
        self.events = 0
        self.version: str | None = None
        self._open: list[str] = []
        self._text: list[str] = []

    def doctype(self, *_: object) -> None:
        self.has_doctype = True

    def start(self, tag: str, _attributes: object) -> None:
        self.started = True
        self.events += 1
        self._open.append(tag)
        self._text = []

    def data(self, text: str) -> None:
        self._text.append(text)

    def end(self, tag: str) -> None:
        self.events += 1
        if tag == "xsdversie" and self._open[-2:-1] == ["school"]:
            self.version = "".join(self._text)
            self.done = True
        elif tag == "school":
            self.done = True
        self._open.pop()

    def close(self) -> None:
        return None


def head(source: Source) -> tuple[bool, str | None]:
    """Read the head of the file: whether its root element starts, and what ``<xsdversie>`` says.

    A file whose root element does not start is not XML the fast path may read.

    Raises:
        Refusal: the file has a document type declaration (even if nothing after it parses).
    """
    target = _Head()
    parser = etree.XMLParser(target=cast("Any", target), **PARSER_OPTIONS)
    with source.open() as stream:
        try:
            while not target.done and target.events <= _HEAD_EVENTS:
                chunk = stream.read(_HEAD_CHUNK)
                if not chunk:
                    break
                parser.feed(chunk)
                if target.has_doctype:
                    break
        except etree.XMLSyntaxError:
            pass
    if target.has_doctype:
        raise Refusal("doctype", 0, 1)
    return target.started, target.version


def _prune(element: etree._Element) -> None:
    """Drop a finished record: clear it and delete the records before it."""
    element.clear()
    previous = element.getprevious()
    if previous is not None:
        parent = element.getparent()
        if parent is not None:
            parent.remove(previous)


def fast_pass(source: Source, version: Version, builder: Builder) -> bool:  # noqa: PLR0912, PLR0915 - one event loop, kept whole for speed
    """Read the file with libxml2 validating against examkit's schema for *version*.

    Return whether the file is valid (the builder then holds the records and
    has finished); when it is not, the builder's state is of no use (the full
    report starts afresh). Every record is dropped once read, the groups and
    sites as well as the pupils and teachers, so only the record being read
    is held: the elements ended since the last record (or container) ended
    are counted, and beyond ``max_record_elements`` the record they are in
    is counted exactly.

    Raises:
        Refusal: the file has more elements than allowed, or one record has.
    """
    limits = source.limits
    limit = limits.max_elements
    pupils = teachers = count = 0
    groups = {"groep": 0, "samengestelde_groep": 0}
    sites = 0
    record_limit = limits.max_record_elements
    boundary = record_limit + 1  # beyond it, the record being read (and itself) may be too big
    checkpoint = min(_CHECK_EVERY, limit + 1)
    element: etree._Element | None = None
    with source.open() as stream:
        events = etree.iterparse(
            stream, events=("end",), schema=compiled_schema(version), **VALIDATING_OPTIONS
        )
        try:
            for _event, element in events:
                count += 1
                if count >= checkpoint:
                    if count > limit:
                        raise Refusal("max_elements", limit, line_of(element))
                    if len(events.error_log):
                        return False
                    checkpoint = min(count + _CHECK_EVERY, limit + 1)
                if count > boundary:
                    _refuse_record(element, record_limit)
                    return False  # elements outside any record: the full report counts them
                if element.attrib:
                    check_attributes(element, limits, line_of(element))
                text = element.text
                if text is not None and len(text) > limits.max_text_length:
                    raise Refusal("max_text_length", limits.max_text_length, line_of(element))
                tag = element.tag
                if tag not in _RECORD_TAGS:
                    continue
                if tag == "leerling":
                    pupils += 1
                    builder.pupil_record(element, (*_PUPILS, ("leerling", pupils)))
                    _prune(element)
                elif tag == "leerkracht":
                    teachers += 1
                    builder.teacher_record(element, (*_TEACHERS, ("leerkracht", teachers)))
                    _prune(element)
                elif tag == "school":
                    builder.school_record(element, _SCHOOL)
                    element.clear()
                elif tag in _CONTAINERS:
                    if not _at_top(element):
                        continue
                    element.clear()
                elif _in_container(element):
                    if tag == "vestiging":
                        sites += 1
                        builder.site_record(element, (*_SITES, ("vestiging", sites)))
                    else:
                        groups[tag] += 1
                        where = (*_GROUPS, (tag, groups[tag]))
                        if tag == "groep":
                            builder.group_record(element, where)
                        else:
                            builder.combination_group_record(element, where)
                    _prune(element)
                else:
                    continue
                boundary = count + record_limit + 1
        except etree.XMLSyntaxError:
            return False
    # A well-formed file ends with its root element's end tag (a second guard
    # against an error lxml does not raise; see VALIDATING_OPTIONS).
    if element is None or element.getparent() is not None:
        return False
    builder.finish()
    return not builder.rejected and not builder.findings.errors(version)


def _at_top(element: etree._Element) -> bool:
    parent = element.getparent()
    return parent is not None and parent.getparent() is None


def _in_container(element: etree._Element) -> bool:
    """Return whether *element* is a record in ``<groepen>`` or ``<vestigingen>`` of the root."""
    parent = element.getparent()
    return parent is not None and parent.tag in _CONTAINERS and _at_top(parent)


def _refuse_record(element: etree._Element, limit: int) -> None:
    """Refuse the record *element* is in if it holds more than *limit* elements.

    The record is the school or the element two levels below the root that
    *element* is in (or is). Counts what libxml2 has read of it so far.

    Raises:
        Refusal: ``max_record_elements`` is crossed (with the line the record starts on).
    """
    chain = [element, *element.iterancestors()]
    if len(chain) >= 2 and chain[-2].tag == "school":
        record = chain[-2]
    elif len(chain) >= 3:
        record = chain[-3]
    else:
        return
    inside = sum(1 for _ in record.iterdescendants())
    if inside > limit:
        raise Refusal("max_record_elements", limit, line_of(record))


def schema_accepts(source: Source, schema: etree.XMLSchema) -> bool:
    """Return whether libxml2 finds the file valid against *schema* (one pass, in C).

    Only for a file whose head was read (:func:`head`): one without a
    document type declaration.
    """
    with source.open() as stream:
        events = etree.iterparse(
            stream,
            events=("end",),
            tag=("leerling", "leerkracht"),
            schema=schema,
            **VALIDATING_OPTIONS,
        )
        try:
            for _event, element in events:
                _prune(element)
        except etree.XMLSyntaxError:
            return False
    return True


class _Walk:
    """One open element of the full report's walk."""

    __slots__ = ("counters", "depth", "element", "last", "names", "nonblank", "record",
                 "stripped", "text", "where")  # fmt: skip

    def __init__(
        self,
        element: etree._Element,
        where: Where,
        names: tuple[str, ...],
        depth: int,
        *,
        stripped: bool,
    ) -> None:
        self.element = element
        self.where = where
        self.names = names
        self.depth = depth
        self.record = RECORDS.get(names) if depth <= 3 else None
        self.stripped = stripped
        self.counters: dict[str, int] = {}
        self.last: etree._Element | None = None
        self.text = False
        self.nonblank = False

    def take(self, text: str | None) -> None:
        if text:
            self.text = True
            if not self.nonblank and text.strip(_WHITE):
                self.nonblank = True


def slow_pass(  # noqa: PLR0912, PLR0915 - one event loop: each event is read once, in order
    source: Source,
    versions: Sequence[Version],
    builder: Builder,
    findings: Findings,
    *,
    lenient: bool,
) -> tuple[bool, dict[Version, int], Finding | None]:
    """Check every element against the grammar of each of *versions*.

    Problems go to *findings*; the records go to *builder*. Stops at the
    first point the file is not well-formed XML. Returns whether any XML
    was seen, per version how many elements were left unchecked because of
    an error around them, and the well-formedness error with its line (or
    None), which is not put in *findings*.

    Raises:
        Refusal: a limit was crossed, or the file has a document type declaration.
    """
    limits = source.limits
    validators = [Validator(version, findings, lenient=lenient) for version in versions]
    frames: list[_Walk] = []
    count = 0
    record: _Walk | None = None  # the school, or the element two levels below the root, open
    inside = 0  # the elements started inside it
    seen = False
    malformed: Finding | None = None
    with source.open() as stream:
        events = etree.iterparse(stream, events=("start", "end"), **PARSER_OPTIONS)
        try:
            for event, element in events:
                if event == "start":
                    count += 1
                    line = line_of(element)
                    if count > limits.max_elements:
                        raise Refusal("max_elements", limits.max_elements, line)
                    depth = len(frames) + 1
                    if depth > limits.max_depth:
                        raise Refusal("max_depth", limits.max_depth, line)
                    check_attributes(element, limits, line)
                    name = str(element.tag)
                    if record is not None:
                        inside += 1
                        if inside > limits.max_record_elements:
                            raise Refusal(
                                "max_record_elements",
                                limits.max_record_elements,
                                line_of(record.element),
                            )
                    if frames:
                        parent = frames[-1]
                        previous = parent.last
                        if previous is None:  # an element's own text (both passes check it)
                            text = parent.element.text
                            check_text(text, limits, line)
                        else:
                            text = previous.tail
                        parent.take(text)
                        if previous is not None and parent.depth <= 2 and parent.record is None:
                            parent.element.remove(previous)
                            parent.last = None
                        index = parent.counters.get(name, 0) + 1
                        parent.counters[name] = index
                        where: Where = (*parent.where, (name, index))
                        stripped = parent.stripped or (lenient and name == "toevoegingen")
                        if stripped and not parent.stripped and parent.record is None:
                            findings.append(
                                Finding("warning", "edexml.lenient.stripped", {}, where, line)
                            )
                        frame = _Walk(element, where, (*parent.names, name) if depth <= 3 else (),
                                      depth, stripped=stripped)  # fmt: skip
                    else:
                        _refuse_doctype(element)
                        seen = True
                        frame = _Walk(element, ((name, 1),), (name,), 1, stripped=False)
                    if not frame.stripped:
                        for validator in validators:
                            validator.start(element, name, line, frame.where)
                    if record is None and (depth == 3 or (depth == 2 and name == "school")):
                        record, inside = frame, 0
                    frames.append(frame)
                else:
                    frame = frames.pop()
                    if frame is record:
                        record = None
                    previous = frame.last
                    if previous is None:
                        text = element.text
                        check_text(text, limits, line_of(element))
                    else:
                        text = previous.tail
                    frame.take(text)
                    if not frame.stripped:
                        for validator in validators:
                            validator.end(element, text=frame.text, nonblank=frame.nonblank)
                        if frame.record is not None:
                            builder.record(frame.record, element, frame.where)
                    if frames:
                        frames[-1].last = element
        except etree.XMLSyntaxError as error:
            refusal = _resource_refusal(error, source)
            if refusal is not None:
                raise refusal from None
            # lxml says "no element found" on line 0 when a file holds no element at all.
            line = error.lineno if error.lineno and error.lineno > 0 else 1
            malformed = Finding("error", "edexml.xml.malformed", {"detail": error.msg}, (), line)
    return seen, {validator.version: validator.skipped for validator in validators}, malformed


def extra_schema_findings(source: Source, schema: etree.XMLSchema) -> list[Finding]:
    """Return the errors of the file against a user's *schema*, each with its line.

    The file is first checked as a stream; only a file the schema rejects is
    read whole, because libxml2 reports lines for a tree but not for a stream.
    """
    if schema_accepts(source, schema):
        return []
    parser = etree.XMLParser(**PARSER_OPTIONS)
    with source.open() as stream:
        tree = etree.parse(cast("BinaryIO", stream), parser)
    schema.validate(tree)
    return [
        Finding(
            "error",
            "edexml.extra_schema.invalid",
            {"detail": without_personal(message)},
            (),
            number,
        )
        for number, message in log_entries(schema)
    ]


_PERSONAL_ELEMENT = re.compile(
    r"Element '(?:[^':]*:)?(?:bsn|bsn_ondwnr-4|sofinummer|onderwijsnummer|rijksregisternummer)'"
)
_QUOTED_VALUE = re.compile(r"(The value |: )'[^']*'")


def without_personal(message: str) -> str:
    """Return libxml2's *message* without the value when it is about a personal number.

    >>> without_personal("Element 'rijksregisternummer': '1234' is not a valid value.")
    "Element 'rijksregisternummer': '…' is not a valid value."
    >>> without_personal("Element 'bsn': [facet 'pattern'] The value '12' is not accepted.")
    "Element 'bsn': [facet 'pattern'] The value '…' is not accepted."
    """
    if not _PERSONAL_ELEMENT.search(message):
        return message
    return _QUOTED_VALUE.sub(r"\1'…'", message)
