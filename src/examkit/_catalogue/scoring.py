"""Messages of scoring and grades."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "scoring.whole_number": (
        "'{value}' is geen geheel getal.",
        "'{value}' is not a whole number.",
    ),
    "scoring.nterm.invalid": (
        "'{value}' is geen N-term: geef een getal, zoals 1,2 of 1.2.",
        "'{value}' is not an N-term: give a number, such as 1.2 or 1,2.",
    ),
    "scoring.number.inexact": (
        "'{value}' is een kommagetal met afrondingsfouten; geef het exact (tekst, Decimal of "
        "Fraction).",
        "'{value}' is an inexact floating-point number; give it exactly (text, Decimal or "
        "Fraction).",
    ),
    "scoring.maximum.invalid": (
        "De maximale score moet een geheel getal groter dan 0 zijn, niet '{value}'.",
        "The maximum score must be a whole number above 0, not '{value}'.",
    ),
    "scoring.maximum.fraction": (
        "De maximale score van deze toets ({value}) is geen geheel getal; cijfers worden "
        "berekend bij een gehele maximale score.",
        "This test's maximum score ({value}) is not a whole number; grades need a whole maximum.",
    ),
    "scoring.score.out_of_range": (
        "De score {value} ligt niet tussen 0 en de maximale score {maximum}.",
        "The score {value} is not between 0 and the maximum score {maximum}.",
    ),
    "scoring.item.choices": (
        "Vraag {item} heeft ten minste twee verschillende keuzes nodig.",
        "Item {item} needs at least two distinct choices.",
    ),
    "scoring.item.correct": (
        "Het juiste antwoord van vraag {item} past niet bij de keuzes.",
        "The correct response of item {item} does not fit its choices.",
    ),
    "scoring.item.duplicate": (
        "Vraag {item} komt meer dan eens voor in de toets.",
        "Item {item} appears more than once in the test.",
    ),
    "scoring.item.unknown": (
        "De toets heeft geen vraag {item}.",
        "The test has no item {item}.",
    ),
    "scoring.item.manual": (
        "Vraag {item} is een open vraag: die scoort een corrector.",
        "Item {item} is an open item: a corrector scores it.",
    ),
    "scoring.test.empty": (
        "Een toets heeft ten minste één vraag.",
        "A test has at least one item.",
    ),
    "scoring.response.type": (
        "Het antwoord op vraag {item} heeft niet de vorm die bij deze vraag hoort.",
        "The response to item {item} does not have the shape this item takes.",
    ),
    "scoring.response.unknown_choice": (
        "Het antwoord op vraag {item} noemt een keuze die de vraag niet heeft.",
        "The response to item {item} names a choice the item does not have.",
    ),
    "scoring.response.single": (
        "Vraag {item} heeft één juist antwoord; er zijn er meer gegeven.",
        "Item {item} takes one choice; more were given.",
    ),
    "scoring.rubric.unknown": (
        "Vraag {item} heeft geen beoordelingscriterium '{criterion}'.",
        "Item {item} has no criterion '{criterion}'.",
    ),
    "scoring.rubric.out_of_range": (
        "Voor criterium '{criterion}' van vraag {item} kunnen 0 tot {maximum} punten worden "
        "gegeven.",
        "Criterion '{criterion}' of item {item} takes 0 to {maximum} points.",
    ),
    "scoring.manual.out_of_range": (
        "De score voor vraag {item} ligt niet tussen 0 en {maximum}.",
        "The score for item {item} is not between 0 and {maximum}.",
    ),
    "scoring.neutralisation.out_of_range": (
        "Een geneutraliseerde vraag {item} krijgt 0 tot {maximum} punten.",
        "Neutralised item {item} gets 0 to {maximum} points.",
    ),
    "scoring.area.coords": (
        "Een gebied van de vorm '{shape}' heeft andere coördinaten nodig.",
        "An area of shape '{shape}' needs other coordinates.",
    ),
    "scoring.batch.not_choice": (
        "Vraag {item} is geen keuzevraag; scoor die per vraag.",
        "Item {item} is not a choice item; score it per item.",
    ),
    "scoring.batch.too_many_choices": (
        "Meerkeuzevraag {item} met meerdere antwoorden heeft te veel keuzes voor scoren in bulk.",
        "Multiple-response item {item} has too many choices for batch scoring.",
    ),
    "scoring.batch.fraction": (
        "Vraag {item} kan een score met een breuk geven; scoren in bulk rekent met hele punten.",
        "Item {item} can score a fraction; batch scoring works in whole points.",
    ),
    "scoring.batch.shape": (
        "De antwoorden hebben niet één kolom per vraag van de toets.",
        "The responses do not have one column per item of the test.",
    ),
    "scoring.batch.dtype": (
        "De antwoorden moeten gehele getallen zijn.",
        "The responses must be whole numbers.",
    ),
    "scoring.batch.code": (
        "Een antwoordcode ligt buiten het bereik van zijn vraag.",
        "A response code is outside its item's range.",
    ),
}
