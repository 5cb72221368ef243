"""The message catalogue: every text a person reads, in Dutch and English.

Error messages, help texts of rules and e-mail subjects all live here, keyed
by a stable dotted code (``org.brin.invalid``). Dutch is the default
language. The catalogue is merged from the fragments in
``examkit._catalogue`` and checked when this module is imported: every code
is dotted lower case, appears once, has both languages, and both languages
use the same ``{placeholders}``, none of them ``field`` or ``line`` (an
error's location).

>>> text("org.brin.invalid", "en", value="2AB")
"'2AB' is not a BRIN code: a BRIN code is 2 digits followed by 2 letters (22AB)."
>>> text("input.required")
'Dit veld is verplicht.'
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final, Literal, get_args

import attrs

from examkit._catalogue import FRAGMENTS

__all__ = [
    "CATALOGUE",
    "DEFAULT_LANG",
    "LANGUAGES",
    "Lang",
    "Text",
    "parse_lang",
    "placeholders",
    "text",
]

Lang = Literal["nl", "en"]
"""A language examkit speaks: ``"nl"`` (the default) or ``"en"``."""

LANGUAGES: Final[tuple[Lang, ...]] = get_args(Lang)
"""Every supported language, default first."""

DEFAULT_LANG: Final[Lang] = "nl"
"""The language used when a caller names none."""

_RESERVED = frozenset({"field", "line"})
"""Placeholder names no message may use: errors take them as their location."""

_CODE = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)+")


@attrs.frozen
class Text:
    """One catalogue entry: the same text in every supported language."""

    nl: str
    """The Dutch text (the default)."""
    en: str
    """The English text."""

    def in_lang(self, lang: Lang) -> str:
        """Return the text in *lang*."""
        return self.en if lang == "en" else self.nl


def placeholders(template: str) -> frozenset[str]:
    """Return the names of the ``{placeholders}`` in *template*.

    >>> sorted(placeholders("{a} and {b}"))
    ['a', 'b']
    """
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)


def _build(
    fragments: tuple[tuple[str, Mapping[str, tuple[str, str]]], ...],
) -> Mapping[str, Text]:
    merged: dict[str, Text] = {}
    for area, messages in fragments:
        for code, pair in messages.items():
            if not _CODE.fullmatch(code):
                raise AssertionError(f"catalogue {area}: code {code!r} is not dotted lower case")
            if code in merged:
                raise AssertionError(f"catalogue {area}: code {code!r} is declared twice")
            nl, en = pair
            if not nl.strip() or not en.strip():
                raise AssertionError(f"catalogue {area}: code {code!r} lacks a language")
            if placeholders(en) & _RESERVED:
                raise AssertionError(
                    f"catalogue {area}: code {code!r} uses a placeholder reserved for errors "
                    f"({', '.join(sorted(_RESERVED))})"
                )
            if placeholders(nl) != placeholders(en):
                raise AssertionError(
                    f"catalogue {area}: code {code!r} uses other placeholders in nl and en"
                )
            merged[code] = Text(nl=nl, en=en)
    return MappingProxyType(dict(sorted(merged.items())))


CATALOGUE: Final[Mapping[str, Text]] = _build(FRAGMENTS)
"""Every message, code -> :class:`Text`, sorted by code (read-only)."""


def parse_lang(value: str) -> Lang:
    """Return *value* as a :data:`Lang`, or raise ``ValueError``.

    >>> parse_lang("EN")
    'en'
    """
    lowered = value.strip().lower()
    for lang in LANGUAGES:
        if lowered == lang:
            return lang
    raise ValueError(f"unsupported language {value!r}; choose one of {', '.join(LANGUAGES)}")


def text(code: str, lang: Lang = DEFAULT_LANG, /, **params: object) -> str:
    """Return the message *code* in *lang*, with *params* filled in.

    Raises:
        KeyError: *code* is not in the catalogue (a programming error).
    """
    entry = CATALOGUE[code]
    template = entry.in_lang(lang)
    if not params:
        return template
    return template.format_map(_Lenient(params))


class _Lenient(dict[str, object]):
    """Leave a placeholder visible rather than fail when a parameter is missing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
