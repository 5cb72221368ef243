# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Every word of the portal is in Dutch and English: an untranslated message fails here.

The messages are found the way Babel extracts them (``_``, ``N_`` and
``ngettext`` in the portal's Python modules and templates). Each needs a
Dutch translation, with the same ``%(name)s`` placeholders, in one of the
catalogues ``locale/nl/LC_MESSAGES/*.po``; a catalogue entry that nothing
uses any more fails too. A template may hold no words outside ``_()``: its
literal text (tags, attributes and entities aside) must be empty.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from jinja2 import Environment
from jinja2.lexer import TOKEN_DATA

import portal

PORTAL = Path(portal.__file__).parent
KEYWORDS: dict[str, Any] = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}
METHODS = [("**.py", "python"), ("templates/**.html", "jinja2.ext:babel_extract")]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
# Words a template may show as they are: each language's name in its own language.
AS_THEY_ARE = {"English", "Nederlands", "examkit"}


def extracted() -> dict[str | tuple[str, ...], str]:
    """Each message the portal uses, and where (the first place)."""
    found: dict[str | tuple[str, ...], str] = {}
    for filename, line, message, _, _ in extract_from_dir(
        PORTAL, METHODS, keywords=KEYWORDS, comment_tags=(), strip_comment_tags=True
    ):
        key = tuple(message) if isinstance(message, tuple) else message
        found.setdefault(key, f"{filename}:{line}")
    return found


def dutch() -> dict[str | tuple[str, ...], Any]:
    """Each message of the Dutch catalogues and its translation (fuzzy ones left out)."""
    translations: dict[str | tuple[str, ...], Any] = {}
    for path in sorted((PORTAL / "locale" / "nl" / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as handle:
            for message in read_po(handle, locale="nl"):
                if message.id and not message.fuzzy:
                    key = tuple(message.id) if isinstance(message.id, (list, tuple)) else message.id
                    assert key not in translations, f"{key!r} is in two catalogues"
                    translations[key] = message.string
    return translations


@pytest.mark.req("WEB-1")
def test_every_message_has_its_dutch_translation_with_the_same_placeholders() -> None:
    used, translated = extracted(), dutch()
    missing = sorted(
        f"{where}: {message!r}"
        for message, where in used.items()
        if not translated.get(message)
        or (isinstance(translated[message], (list, tuple)) and not all(translated[message]))
    )
    assert [] == missing
    for message in used:
        english = " ".join(message) if isinstance(message, tuple) else message
        strings = translated[message]
        texts = list(strings) if isinstance(strings, (list, tuple)) else [strings]
        for text in texts:
            assert set(PLACEHOLDER.findall(english)) >= set(PLACEHOLDER.findall(text)), message


@pytest.mark.req("WEB-1")
def test_every_catalogue_entry_is_used() -> None:
    assert [] == sorted(map(str, set(dutch()) - set(extracted())))


@pytest.mark.req("WEB-1")
@pytest.mark.parametrize(
    "template", sorted(path.name for path in (PORTAL / "templates").rglob("*.html")), ids=str
)
def test_a_template_has_no_words_outside_the_catalogues(template: str) -> None:
    source = next((PORTAL / "templates").rglob(template)).read_text(encoding="utf-8")
    text = " ".join(
        value for _, kind, value in Environment(autoescape=True).lex(source) if kind == TOKEN_DATA
    )
    text = re.sub(r"<[^>]*>", " ", text)
    text = re.sub(r"&[#\w]+;", " ", text)
    words = set(re.findall(r"[^\W\d_]{2,}", text)) - AS_THEY_ARE
    assert set() == words
