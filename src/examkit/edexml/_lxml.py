"""Typed access to the few lxml attributes its type stubs (lxml-stubs 0.5) leave untyped."""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any, cast

from lxml import etree

__all__ = ["attributes", "has_doctype", "line", "log_entries", "syntax_error_code"]


line: Callable[[etree._Element], int | None] = operator.attrgetter("sourceline")
"""Return the line libxml2 gives for an element (exact up to 65,534); fast, done in C."""


def attributes(element: etree._Element) -> list[tuple[str, str]]:
    """Return *element*'s attributes as text pairs (``{namespace}name`` for namespaced ones)."""
    return cast("list[tuple[str, str]]", element.items())


def has_doctype(element: etree._Element) -> bool:
    """Return whether the document of *element* has a document type declaration."""
    info = cast("Any", element.getroottree().docinfo)
    return bool(info.doctype) or info.internalDTD is not None or info.externalDTD is not None


def syntax_error_code(error: etree.XMLSyntaxError) -> int:
    """Return libxml2's error code of *error*."""
    return int(cast("Any", error).code)


def log_entries(schema: etree.XMLSchema) -> list[tuple[int, str]]:
    """Return the line and message of every entry of *schema*'s error log."""
    return [(int(entry.line), str(entry.message)) for entry in cast("Any", schema.error_log)]
