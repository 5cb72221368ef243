"""Examkit's own XML schema for the QTI 3.0 results documents it reads.

The official 1EdTech schema may not be redistributed under examkit's
licence (its header reserves all rights), so examkit ships this schema of
the subset it reads and writes: ``assessmentResult`` with its context, one
test result with outcome variables, and item results with response and
outcome variables. It is stricter than the official one where examkit needs
a value (the context's ``sourcedId``, one session identifier, the test
result); a cross-check test proves that everything examkit writes is valid
against the official schema too.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final, cast

from lxml import etree

from examkit.errors import InvalidInput

NAMESPACE: Final = "http://www.imsglobal.org/xsd/imsqti_result_v3p0"
"""The namespace of QTI 3.0 results reporting."""

OTHER_VERSIONS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "http://www.imsglobal.org/xsd/imsqti_result_v2p1": "2.1",
        "http://www.imsglobal.org/xsd/imsqti_v2p1": "2.1",
        "http://www.imsglobal.org/xsd/imsqti_result_v2p2": "2.2",
        "http://www.imsglobal.org/xsd/imsqti_v2p2": "2.2",
    }
)
"""The namespaces of earlier QTI results reports, with their version.

QTI 2.1 and 2.2 results reports use a namespace of their own (``..._result_v2p1``)
or, in some writers, the namespace of the items (``imsqti_v2p1``). examkit
reads QTI 3.0 only and names the version it found.
"""

_CARDINALITY = """
      <xs:simpleType>
        <xs:restriction base="xs:string">
          <xs:enumeration value="multiple"/>
          <xs:enumeration value="ordered"/>
          <xs:enumeration value="record"/>
          <xs:enumeration value="single"/>
        </xs:restriction>
      </xs:simpleType>"""

SCHEMA_TEXT: Final = f"""<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns="{NAMESPACE}" targetNamespace="{NAMESPACE}"
    elementFormDefault="qualified" attributeFormDefault="unqualified">
  <xs:simpleType name="Identifier"><xs:restriction base="xs:NCName"/></xs:simpleType>
  <xs:simpleType name="BaseType">
    <xs:restriction base="xs:string">
      <xs:enumeration value="boolean"/><xs:enumeration value="directedPair"/>
      <xs:enumeration value="duration"/><xs:enumeration value="file"/>
      <xs:enumeration value="float"/><xs:enumeration value="identifier"/>
      <xs:enumeration value="integer"/><xs:enumeration value="pair"/>
      <xs:enumeration value="point"/><xs:enumeration value="string"/>
      <xs:enumeration value="uri"/>
    </xs:restriction>
  </xs:simpleType>
  <xs:simpleType name="DateTime">
    <xs:restriction base="xs:dateTime"><xs:pattern value="[0-9]{{4}}.*"/></xs:restriction>
  </xs:simpleType>
  <xs:complexType name="Value">
    <xs:simpleContent>
      <xs:extension base="xs:normalizedString">
        <xs:attribute name="fieldIdentifier" type="Identifier"/>
        <xs:attribute name="baseType" type="BaseType"/>
      </xs:extension>
    </xs:simpleContent>
  </xs:complexType>
  <xs:complexType name="OutcomeVariable">
    <xs:sequence>
      <xs:element name="value" type="Value" minOccurs="0" maxOccurs="unbounded"/>
    </xs:sequence>
    <xs:attribute name="identifier" use="required" type="Identifier"/>
    <xs:attribute name="cardinality" use="required">{_CARDINALITY}
    </xs:attribute>
    <xs:attribute name="baseType" type="BaseType"/>
    <xs:attribute name="normalMaximum" type="xs:double"/>
    <xs:attribute name="normalMinimum" type="xs:double"/>
  </xs:complexType>
  <xs:complexType name="CandidateResponse">
    <xs:sequence>
      <xs:element name="value" type="Value" minOccurs="0" maxOccurs="unbounded"/>
    </xs:sequence>
  </xs:complexType>
  <xs:complexType name="ResponseVariable">
    <xs:sequence>
      <xs:element name="candidateResponse" type="CandidateResponse"/>
    </xs:sequence>
    <xs:attribute name="identifier" use="required" type="Identifier"/>
    <xs:attribute name="cardinality" use="required">{_CARDINALITY}
    </xs:attribute>
    <xs:attribute name="baseType" type="BaseType"/>
  </xs:complexType>
  <xs:complexType name="SessionIdentifier">
    <xs:attribute name="sourceID" use="required" type="xs:anyURI"/>
    <xs:attribute name="identifier" use="required" type="Identifier"/>
  </xs:complexType>
  <xs:complexType name="Context">
    <xs:sequence>
      <xs:element name="sessionIdentifier" type="SessionIdentifier"/>
    </xs:sequence>
    <xs:attribute name="sourcedId" use="required" type="Identifier"/>
  </xs:complexType>
  <xs:complexType name="TestResult">
    <xs:sequence>
      <xs:element name="outcomeVariable" type="OutcomeVariable" maxOccurs="unbounded"/>
    </xs:sequence>
    <xs:attribute name="identifier" use="required" type="Identifier"/>
    <xs:attribute name="datestamp" use="required" type="DateTime"/>
  </xs:complexType>
  <xs:complexType name="ItemResult">
    <xs:sequence>
      <xs:element name="responseVariable" type="ResponseVariable" minOccurs="0"/>
      <xs:element name="outcomeVariable" type="OutcomeVariable" maxOccurs="unbounded"/>
    </xs:sequence>
    <xs:attribute name="identifier" use="required" type="Identifier"/>
    <xs:attribute name="sequenceIndex" type="xs:integer"/>
    <xs:attribute name="datestamp" use="required" type="DateTime"/>
    <xs:attribute name="sessionStatus" use="required">
      <xs:simpleType>
        <xs:restriction base="xs:string">
          <xs:enumeration value="final"/>
          <xs:enumeration value="initial"/>
          <xs:enumeration value="pendingExternalScoring"/>
          <xs:enumeration value="pendingResponseProcessing"/>
          <xs:enumeration value="pendingSubmission"/>
        </xs:restriction>
      </xs:simpleType>
    </xs:attribute>
  </xs:complexType>
  <xs:element name="assessmentResult">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="context" type="Context"/>
        <xs:element name="testResult" type="TestResult"/>
        <xs:element name="itemResult" type="ItemResult" minOccurs="0" maxOccurs="unbounded"/>
      </xs:sequence>
    </xs:complexType>
    <xs:unique name="oneResultPerItem">
      <xs:selector xpath="r:itemResult" xmlns:r="{NAMESPACE}"/>
      <xs:field xpath="@identifier"/>
    </xs:unique>
  </xs:element>
</xs:schema>
"""
"""The schema text (XML Schema 1.0)."""


@functools.cache
def compiled_schema() -> etree.XMLSchema:
    """Return :data:`SCHEMA_TEXT` compiled (once)."""
    return etree.XMLSchema(etree.fromstring(SCHEMA_TEXT.encode()))


SUBSET_ELEMENTS: Final = frozenset(re.findall(r'<xs:element name="(\w+)"', SCHEMA_TEXT))
"""The names of the elements of examkit's subset (``context``, ``testResult``, ...)."""

_ATTRIBUTE = re.compile(r"attribute '([^']+)'")
_EXPECTED = re.compile(r"\{[^}]*\}([A-Za-z_][\w.-]*)")
_DUPLICATE = re.compile(r"Duplicate key-sequence \['([^']*)'\]")
_UNSUPPORTED_ATTRIBUTE: Final = frozenset(
    {"SCHEMAV_CVC_COMPLEX_TYPE_3_2_1", "SCHEMAV_CVC_COMPLEX_TYPE_3_2_2"}
)
_UNSUPPORTED_CONTENT: Final = frozenset(
    {"SCHEMAV_CVC_COMPLEX_TYPE_2_1", "SCHEMAV_CVC_COMPLEX_TYPE_2_3", "SCHEMAV_CVC_COMPLEX_TYPE_2_4"}
)


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname


def _step(element: etree._Element) -> str:
    """Return *element*'s local name, with its position among same-named siblings if any."""
    name = _local(element)
    parent = element.getparent()
    if parent is None:
        return name
    same = [child for child in parent if child.tag == element.tag]
    return f"{name}[{same.index(element) + 1}]" if len(same) > 1 else name


def _place(element: etree._Element) -> str:
    """Return *element*'s path from the root (``assessmentResult/itemResult[2]/value``)."""
    steps = [_step(element)] + [_step(parent) for parent in element.iterancestors()]
    return "/".join(reversed(steps))


def _node(root: etree._Element, path: str) -> etree._Element:
    """Return the element at libxml2's *path* (``/*/*[3]``), or *root* if it names none."""
    try:
        found: Any = root.getroottree().xpath(path) if path else []
    except etree.XPathError:
        found = []
    return found[0] if found and isinstance(found[0], etree._Element) else root


def _missing(element: etree._Element, kind: str, message: str) -> str | None:
    """Return the path of the element examkit needs and misses, if that is the problem.

    libxml2 says so as "Missing child element(s)" on the parent, or as "This
    element is not expected. Expected is (...)" on the next element when
    that one is of examkit's subset too (an ``itemResult`` where the
    ``testResult`` should come).
    """
    if kind != "SCHEMAV_ELEMENT_CONTENT" or "Expected is" not in message:
        return None
    expected = list(dict.fromkeys(_EXPECTED.findall(message.split("Expected is", 1)[1])))
    if "Missing child" in message:
        return f"{_place(element)}/{'|'.join(expected)}"
    parent = element.getparent()
    present = {_local(child) for child in parent} if parent is not None else set()
    if _local(element) in SUBSET_ELEMENTS and not present & set(expected):
        return f"{_place(parent if parent is not None else element)}/{'|'.join(expected)}"
    return None


def check_root(root: etree._Element, line: int | None) -> None:
    """Refuse a root that is not QTI 3.0's ``assessmentResult``, naming what it is.

    Raises:
        InvalidInput: ``correction.qti.version`` (a QTI 2.1 or 2.2 results
            report) or ``correction.qti.not_results`` (anything else).
    """
    name = etree.QName(root)
    if name.namespace == NAMESPACE and name.localname == "assessmentResult":
        return
    if name.localname == "assessmentResult" and name.namespace in OTHER_VERSIONS:
        raise InvalidInput(
            "correction.qti.version", line=line, version=OTHER_VERSIONS[name.namespace]
        )
    shown = f"{{{name.namespace}}}{name.localname}" if name.namespace else name.localname
    raise InvalidInput("correction.qti.not_results", line=line, element=shown)


def explain(schema: etree.XMLSchema, root: etree._Element) -> InvalidInput:
    """Return the refusal of *root*, which *schema* did not accept, in examkit's own words.

    The first problem libxml2 found is told as what it means for examkit:
    an element or attribute outside the subset examkit reads
    (``correction.qti.unsupported``), one it needs and misses
    (``correction.qti.missing``), an item twice
    (``correction.qti.duplicate_item``) or a value QTI does not allow
    (``correction.qti.invalid``); each names the place as a path of XML
    names (``assessmentResult/itemResult/templateVariable``,
    ``assessmentResult/testResult/@duration``) and carries its line.
    libxml2's own (English) text is never shown.
    """
    entry: Any = next(iter(cast("Any", schema.error_log)))
    line = int(entry.line) or None
    element = _node(root, str(entry.path or ""))
    place = _place(element)
    message = str(entry.message)
    kind = str(entry.type_name)
    attribute = _ATTRIBUTE.search(message)
    missing = _missing(element, kind, message)
    error: InvalidInput
    if missing is not None:
        error = InvalidInput("correction.qti.missing", line=line, construct=missing)
    elif kind == "SCHEMAV_ELEMENT_CONTENT" or kind in _UNSUPPORTED_CONTENT:
        error = InvalidInput("correction.qti.unsupported", line=line, construct=place)
    elif kind in _UNSUPPORTED_ATTRIBUTE and attribute is not None:
        construct = f"{place}/@{attribute.group(1)}"
        error = InvalidInput("correction.qti.unsupported", line=line, construct=construct)
    elif kind == "SCHEMAV_CVC_COMPLEX_TYPE_4" and attribute is not None:
        construct = f"{place}/@{attribute.group(1)}"
        error = InvalidInput("correction.qti.missing", line=line, construct=construct)
    elif kind == "SCHEMAV_CVC_IDC":
        duplicate = _DUPLICATE.search(message)
        item = duplicate.group(1) if duplicate else str(element.get("identifier", ""))
        error = InvalidInput("correction.qti.duplicate_item", line=line, item=item)
    elif attribute is not None:
        value = str(element.get(attribute.group(1), ""))
        construct = f"{place}/@{attribute.group(1)}"
        error = InvalidInput("correction.qti.invalid", line=line, construct=construct, value=value)
    else:
        value = (element.text or "").strip()
        error = InvalidInput("correction.qti.invalid", line=line, construct=place, value=value)
    return error
