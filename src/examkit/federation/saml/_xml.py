"""The namespaces and the hardened parser every part of the SAML adapter reads XML with."""

from __future__ import annotations

from typing import Final

from lxml import etree

SAMLP: Final = "urn:oasis:names:tc:SAML:2.0:protocol"
"""The SAML 2.0 protocol namespace (``samlp:``)."""
SAML: Final = "urn:oasis:names:tc:SAML:2.0:assertion"
"""The SAML 2.0 assertion namespace (``saml:``)."""
MD: Final = "urn:oasis:names:tc:SAML:2.0:metadata"
"""The SAML 2.0 metadata namespace (``md:``)."""
DS: Final = "http://www.w3.org/2000/09/xmldsig#"
"""The XML signature namespace (``ds:``)."""
XENC: Final = "http://www.w3.org/2001/04/xmlenc#"
"""The XML encryption namespace (``xenc:``)."""
NS: Final = {"samlp": SAMLP, "saml": SAML, "md": MD, "ds": DS}
"""The prefixes the adapter's XPath expressions use."""

BINDING_REDIRECT: Final = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
"""SAML's HTTP-Redirect binding."""
BINDING_POST: Final = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
"""SAML's HTTP-POST binding."""


def qname(namespace: str, local: str) -> str:
    """Return the Clark notation ``{namespace}local`` lxml names elements by."""
    return f"{{{namespace}}}{local}"


def parser() -> etree.XMLParser:
    """Return a parser that resolves no entity, reads no DTD and never touches the network.

    Comments and processing instructions are dropped: exclusive
    canonicalisation signs a text without its comments, so
    ``victim@school<!---->.evil`` is signed as ``victim@school.evil`` and
    must be read so, not cut at the comment (the comment-truncation attack).
    """
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        huge_tree=False,
        remove_blank_text=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse(data: bytes) -> etree._ElementTree | None:
    """Return the parsed document, or ``None`` when it is not well formed or has a DTD."""
    try:
        tree = etree.fromstring(data, parser()).getroottree()
    except etree.XMLSyntaxError:
        return None
    dtd: object = tree.docinfo.internalDTD
    if getattr(tree.docinfo, "doctype", "") or dtd is not None:
        return None
    return tree


def text_of(element: etree._Element | None) -> str:
    """Return the stripped text of *element*, or ``""`` for none."""
    if element is None or element.text is None:
        return ""
    return element.text.strip()
