"""The message catalogue: every text a person reads, in Dutch and English.

Error messages, help texts of rules and e-mail subjects all live here, keyed
by a stable dotted code (``org.brin.invalid``). Dutch is the default
language. The catalogue is merged from the fragments in
``examkit._catalogue``, one area at a time: a fragment is loaded and checked
the first time a code of its area is looked up (all of them when the whole
catalogue is listed), so what never speaks of EDEXML never loads its
messages. The checks: every code is dotted lower case, starts with a first
part its fragment declares, appears once, has both languages, and both
languages use the same ``{placeholders}``, none of them ``field`` or
``line`` (an error's location). A fragment that fails them is not used.

>>> text("org.brin.invalid", "en", value="2AB")
"'2AB' is not a BRIN code: a BRIN code is 2 digits followed by 2 letters (22AB)."
>>> text("input.required")
'Dit veld is verplicht.'
"""

from __future__ import annotations

import re
import string
import threading
from collections.abc import Iterator, Mapping
from typing import Final, Literal, get_args

import attrs

from examkit._catalogue import AREAS, messages_of

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


def _checked(
    area: str,
    prefixes: tuple[str, ...],
    messages: Mapping[str, tuple[str, str]],
    known: Mapping[str, Text],
) -> dict[str, Text]:
    """Return the fragment *area*'s messages as texts, after checking every one."""
    checked: dict[str, Text] = {}
    for code, pair in messages.items():
        if not _CODE.fullmatch(code):
            raise AssertionError(f"catalogue {area}: code {code!r} is not dotted lower case")
        if code.partition(".")[0] not in prefixes:
            raise AssertionError(
                f"catalogue {area}: code {code!r} does not start with {' or '.join(prefixes)}"
            )
        if code in known or code in checked:
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
        checked[code] = Text(nl=nl, en=en)
    return checked


class _Catalogue(Mapping[str, Text]):
    """The read-only catalogue, code -> text, loading each area's fragment on first use."""

    def __init__(self, areas: tuple[tuple[str, tuple[str, ...]], ...]) -> None:
        self._prefixes = dict(areas)
        self._areas_of: dict[str, list[str]] = {}
        for area, prefixes in areas:
            for prefix in prefixes:
                self._areas_of.setdefault(prefix, []).append(area)
        self._entries: dict[str, Text] = {}
        self._loaded: set[str] = set()
        self._codes: tuple[str, ...] | None = None
        self._lock = threading.Lock()

    def _load(self, areas: list[str]) -> None:
        with self._lock:
            for area in areas:
                if area not in self._loaded:
                    prefixes = self._prefixes[area]
                    messages = messages_of(area)
                    self._entries.update(_checked(area, prefixes, messages, self._entries))
                    self._loaded.add(area)

    def _all_codes(self) -> tuple[str, ...]:
        if self._codes is None:
            self._load(list(self._prefixes))
            self._codes = tuple(sorted(self._entries))
        return self._codes

    def __getitem__(self, code: str) -> Text:
        entry = self._entries.get(code)
        if entry is None:
            self._load(self._areas_of.get(code.partition(".")[0], []))
            entry = self._entries.get(code)
            if entry is None:
                raise KeyError(code)
        return entry

    def __contains__(self, code: object) -> bool:
        if not isinstance(code, str):
            return False
        try:
            self[code]
        except KeyError:
            return False
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(self._all_codes())

    def __len__(self) -> int:
        return len(self._all_codes())

    def __repr__(self) -> str:
        return "<the examkit message catalogue>"


CATALOGUE: Final[Mapping[str, Text]] = _Catalogue(AREAS)
"""Every message, code -> :class:`Text`, sorted by code (read-only).

Each area's fragment is loaded and checked the first time one of its codes is
looked up; listing the catalogue loads them all."""


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
