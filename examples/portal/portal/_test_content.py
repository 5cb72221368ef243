"""The test packages the portal ships: each test's wording and its answer key, by test code.

examkit stores a test's items as slots (identifier, maximum, who scores
it: :class:`~examkit.scheduling.ItemSlot`); how an item is scored is
:mod:`examkit.scoring`'s (:class:`~examkit.scoring.TestDefinition`). The
exam supplier's package holds both the wording of the items and that
scoring definition (the answer key of its automatic items), which examkit
does not store: the portal ships the packages here, per test code
(:data:`CONTENTS`), the one place the player reads the wording from and
the correction and results pages the answer key. A test without a package
here is still shown, one field per item: a line of text for an
automatically scored item, a text area for one a corrector scores; its
results cannot be computed (the results pages say so).

Each kind's response is stored as :func:`examkit.scoring.response_data`
writes it, so scoring reads it back with
:func:`~examkit.scoring.response_from_data`: ``{"chosen": [...]}`` for
(multiple) choice, ``{"text": ...}`` for text entry and extended text,
``{"value": "3,5"}`` for a number as typed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal
from types import MappingProxyType
from typing import ClassVar, Final, Literal

import attrs

from examkit.scheduling import Exam, Scoring
from examkit.scoring import (
    ChoiceItem,
    MapResponse,
    MatchCorrect,
    NumericItem,
    OpenItem,
    TestDefinition,
    TextItem,
    Tolerance,
)
from examkit.testing.correction import DEFINITION, EXAM

Kind = Literal["choice", "multiple", "text", "numeric", "extended"]
"""How an item is answered: one choice, several choices, a short text, a number, a long text."""


@attrs.frozen
class Choice:
    """One choice of a (multiple) choice item."""

    id: str
    """Its identifier (what is stored)."""
    text: str
    """Its wording."""


@attrs.frozen
class ItemContent:
    """One item as the player shows it."""

    id: str
    """The item's identifier in its test."""
    kind: Kind
    """How it is answered."""
    prompt: str = ""
    """Its wording (the test's language); empty when the portal has none."""
    choices: tuple[Choice, ...] = ()
    """The choices of a (multiple) choice item, in the order shown."""
    unit: str = ""
    """The unit after a numeric answer's field (``cm``), if any."""
    max_score: int = 1
    """The most it can score (shown to the candidate)."""

    def answered(self, value: object) -> bool:
        """Return whether *value* (as stored) answers this item."""
        if not isinstance(value, dict) or len(value) != 1:
            return False
        (inner,) = value.values()
        if isinstance(inner, list):
            return bool(inner)
        return isinstance(inner, str) and bool(inner.strip())


@attrs.frozen
class TestContent:
    """One test's package as the portal ships it: its items' wording and its scoring definition."""

    __test__: ClassVar[bool] = False  # not a pytest test class

    code: str
    """The test's code."""
    items: tuple[ItemContent, ...]
    """Its items in order."""
    definition: TestDefinition
    """How scoring defines it: the answer key of its automatic items."""


def content_of(exam: Exam) -> tuple[ItemContent, ...]:
    """Return the items of *exam* as the player shows them (wording where the portal has it)."""
    known = CONTENTS.get(exam.code)
    if known is not None and [item.id for item in known.items] == [s.id for s in exam.items]:
        return known.items
    return tuple(
        ItemContent(
            id=slot.id,
            kind="extended" if slot.scoring is Scoring.CORRECTOR else "text",
            max_score=slot.max_score,
        )
        for slot in exam.items
    )


def _demo() -> TestContent:
    """The demo's test: one item of each kind the player answers."""
    items = (
        ItemContent(
            "v1",
            "choice",
            "Welk woord is een bijvoeglijk naamwoord?",
            (Choice("A", "lopen"), Choice("B", "snel"), Choice("C", "huis"), Choice("D", "en")),
        ),
        ItemContent(
            "v2",
            "multiple",
            "Welke steden liggen in Friesland? Kies alle goede antwoorden.",
            (
                Choice("A", "Leeuwarden"),
                Choice("B", "Zwolle"),
                Choice("C", "Sneek"),
                Choice("D", "Assen"),
            ),
            max_score=2,
        ),
        ItemContent("v3", "text", "Wat is de hoofdstad van Nederland?"),
        ItemContent(
            "v4",
            "numeric",
            "Een plank van 2,4 meter wordt in drie gelijke stukken gezaagd. Hoe lang is elk stuk?",
            unit="m",
        ),
        ItemContent(
            "v5",
            "extended",
            "Schrijf een korte brief (ongeveer 80 woorden) aan je gemeente over een "
            "speelplaats in je wijk.",
            max_score=4,
        ),
    )
    definition = TestDefinition(
        items=[
            ChoiceItem(id="v1", choices="ABCD", correct="B"),
            ChoiceItem(
                id="v2",
                choices="ABCD",
                correct={"A", "C"},
                multiple=True,
                scoring=MatchCorrect(points=2),
            ),
            TextItem(id="v3", scoring=MapResponse({"Amsterdam": 1}, case_sensitive=False)),
            NumericItem(
                id="v4",
                correct=Decimal("0.8"),
                tolerance=Decimal("0.01"),
                mode=Tolerance.ABSOLUTE,
            ),
            OpenItem(id="v5", rubric={"inhoud": 2, "vorm": 1, "taal": 1}),
        ]
    )
    return TestContent(code="NE-DEMO-2026", items=items, definition=definition)


DEMO: Final = _demo()
"""The demo's test (``NE-DEMO-2026``): a choice, a multiple response, a text entry, a numeric
and an extended text item."""

DEMO_EXAM: Final = Exam.from_scoring(
    DEMO.definition,
    code=DEMO.code,
    title="Nederlands oefentoets",
    subject="Nederlands",
    duration=timedelta(minutes=60),
)
"""The demo's test as examkit registers it (``kit.candidates.register_exam(DEMO_EXAM)``)."""


def _english() -> TestContent:
    """The correction demo's test (:mod:`examkit.testing.correction`), worded as a central exam.

    The texts are in English, the questions in Dutch (as in the central
    exams of modern languages); the answer key is the supplier's definition.
    """
    items = (
        ItemContent(
            "k1",
            "choice",
            "Tekst 1: ‘The school trip was cancelled because of the storm.’ "
            "Waarom ging het schoolreisje niet door?",
            (
                Choice("A", "Er hadden zich te weinig leerlingen opgegeven."),
                Choice("B", "Het stormde."),
                Choice("C", "De bus was kapot."),
                Choice("D", "De leraar was ziek."),
            ),
            max_score=2,
        ),
        ItemContent(
            "k2",
            "choice",
            "Tekst 2: ‘Please do not feed the animals.’ Waar hangt dit bordje waarschijnlijk?",
            (
                Choice("A", "In een bibliotheek"),
                Choice("B", "In een restaurant"),
                Choice("C", "In een dierentuin"),
                Choice("D", "Op een station"),
            ),
        ),
        ItemContent(
            "o1",
            "extended",
            "Tekst 3 is een advertentie: ‘Fresh lemonade, 3 euros a bottle.’ "
            "Hoeveel kosten twaalf flessen? Schrijf op hoe je het uitrekent.",
            max_score=3,
        ),
        ItemContent(
            "o2",
            "extended",
            "Tekst 4: ‘Greenhouse gases keep the heat in, so the earth is getting "
            "warmer.’ Leg in het Nederlands uit waardoor de aarde volgens de tekst "
            "warmer wordt.",
            max_score=4,
        ),
    )
    return TestContent(code=EXAM.code, items=items, definition=DEFINITION)


ENGLISH: Final = _english()
"""The correction demo's test (``EN-HA-2026``, :data:`examkit.testing.correction.EXAM`): two
choice items and two open items, the questions in Dutch."""

CONTENTS: Final[Mapping[str, TestContent]] = MappingProxyType(
    {package.code: package for package in (DEMO, ENGLISH)}
)
"""The test packages the portal ships, per test code (read only: the one source of each
test's wording and answer key)."""


def answer_key_of(exam: str) -> TestDefinition | None:
    """Return the answer key (scoring definition) of test *exam*, or ``None`` without a package."""
    package = CONTENTS.get(exam)
    return None if package is None else package.definition
