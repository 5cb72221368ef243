"""Messages of the printed documents (PDF)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "documents.application.system": (
        "Voor het systeem '{system}' is geen verzendadres bekend: geef het verzendadres mee.",
        "No address to send the form to is known for the system '{system}': pass one.",
    ),
    "documents.slips.empty": (
        "Er zijn geen inlogbriefjes om te printen: de groep heeft geen kandidaten.",
        "There are no access-code slips to print: the group has no candidates.",
    ),
    "documents.results.number": (
        "'{value}' is geen getal: schrijf een score als 2, 1,5 of 1.5.",
        "'{value}' is not a number: write a score as 2, 1,5 or 1.5.",
    ),
    "documents.results.maximum": (
        "Een maximumscore is groter dan 0.",
        "A maximum score is greater than 0.",
    ),
    "documents.results.score_range": (
        "De score {score} ligt niet tussen 0 en de maximumscore {maximum}.",
        "The score {score} is not between 0 and the maximum score {maximum}.",
    ),
    "documents.results.total_range": (
        "De totaalscore {total} ligt niet tussen 0 en de maximumscore {maximum}.",
        "The total score {total} is not between 0 and the maximum score {maximum}.",
    ),
    "documents.results.duplicate_item": (
        "De vraag '{item}' staat twee keer in het rapport: geef elke vraag één keer.",
        "The item '{item}' is in the report twice: give each item once.",
    ),
    "documents.results.review_order": (
        "De inzage sluit na het begin: kies een einde na het begin.",
        "The review closes after it opens: choose an end after the start.",
    ),
}
