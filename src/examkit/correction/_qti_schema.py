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
from typing import Final

from lxml import etree

NAMESPACE: Final = "http://www.imsglobal.org/xsd/imsqti_result_v3p0"
"""The namespace of QTI 3.0 results reporting."""

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
