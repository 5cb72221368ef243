"""The portal's own words: English in the code and templates, Dutch from Babel catalogues.

Each area of the portal keeps its Dutch translations in a catalogue of its
own (``locale/nl/LC_MESSAGES/<area>.po``), so two areas never edit one
file; they are read once at start-up and merged. examkit's own messages
(its errors, its mail) come from examkit's catalogue, not from here. A
message missing from the Dutch catalogues fails a test
(``tests/portal/test_portal_translations.py``), so English never leaks
onto a Dutch page.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Final

import attrs
from babel.messages.pofile import read_po

from examkit.messages import Lang

LOCALE_DIR: Final = Path(__file__).with_name("locale")
"""Where the catalogues live: ``locale/<lang>/LC_MESSAGES/*.po``."""


@attrs.frozen
class Words:
    """The portal's messages in one language: ``gettext`` and ``ngettext`` for the templates.

    >>> words = Words("en", {})
    >>> words.gettext("Welcome, %(name)s", name="Karin")
    'Welcome, Karin'
    >>> words.ngettext("%(num)d class", "%(num)d classes", 2)
    '2 classes'
    """

    lang: Lang
    """The language of the translations."""
    translations: Mapping[str | tuple[str, str], str | tuple[str, ...]] = attrs.field(repr=False)
    """Each message id (a pair for a plural) and its translation."""

    def gettext(self, message: str, /, **values: object) -> str:
        """Return *message* in this language, with ``%(name)s`` filled from *values*."""
        found = self.translations.get(message)
        text = found if isinstance(found, str) and found else message
        return text % values if values else text

    def ngettext(self, singular: str, plural: str, num: int, /, **values: object) -> str:
        """Return the form for *num* (Dutch and English both: one, or other), filled in."""
        found = self.translations.get((singular, plural))
        index = 0 if num == 1 else 1
        if isinstance(found, tuple) and len(found) > index and found[index]:
            text = found[index]
        else:
            text = singular if num == 1 else plural
        return text % {"num": num, **values}


def N_(message: str) -> str:  # noqa: N802 - gettext's name for a marker
    """Mark *message* for the catalogues where it is translated later (a navigation label)."""
    return message


def read_catalogues(lang: Lang, directory: Path = LOCALE_DIR) -> Words:
    """Return every catalogue of *lang* under *directory*, merged (English: the ids themselves)."""
    translations: dict[str | tuple[str, str], str | tuple[str, ...]] = {}
    for path in sorted((directory / lang / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        for message in catalog:
            if not message.id or message.fuzzy:
                continue
            key = tuple(message.id) if isinstance(message.id, (list, tuple)) else message.id
            string = message.string or ""
            value = tuple(string) if isinstance(string, (list, tuple)) else string
            translations[key] = value  # type: ignore[index]
    return Words(lang, translations)
