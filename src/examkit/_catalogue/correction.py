"""Messages of correction, results, review and the QTI results exchange."""

from __future__ import annotations

_SUBSET_NL = (
    "examkit leest QTI 3.0-resultaten (assessmentResult in de namespace "
    "http://www.imsglobal.org/xsd/imsqti_result_v3p0) zoals het ze zelf schrijft: een context "
    "met sourcedId en één sessionIdentifier, één testResult met de uitkomsten SCORE, MAXSCORE "
    "en GRADE, en per item één itemResult met hoogstens één responseVariable (alleen "
    "candidateResponse) en de uitkomsten SCORE, MAXSCORE en eventueel COMMENT."
)
_SUBSET_EN = (
    "examkit reads QTI 3.0 results (assessmentResult in the namespace "
    "http://www.imsglobal.org/xsd/imsqti_result_v3p0) as it writes them itself: a context with "
    "sourcedId and one sessionIdentifier, one testResult with the outcomes SCORE, MAXSCORE and "
    "GRADE, and per item one itemResult with at most one responseVariable (candidateResponse "
    "only) and the outcomes SCORE, MAXSCORE and optionally COMMENT."
)

MESSAGES: dict[str, tuple[str, str]] = {
    "correction.move.not_allowed": (
        "De stap '{event}' kan voor vraag {item} niet in de status '{state}'; er is niets "
        "gewijzigd.",
        "The move '{event}' is not allowed for item {item} in the state '{state}'; nothing was "
        "changed.",
    ),
    "correction.move.unknown": (
        "'{event}' is geen stap in de correctie van een vraag.",
        "'{event}' is not a move of an item's correction.",
    ),
    "correction.score.out_of_range": (
        "De score {value} voor vraag {item} moet een geheel getal van 0 tot en met {maximum} zijn.",
        "The score {value} for item {item} must be a whole number from 0 to {maximum}.",
    ),
    "correction.item.unknown": (
        "Vraag {item} is geen open vraag van deze kandidaat.",
        "Item {item} is not an open item of this candidate.",
    ),
    "correction.group.not_released": (
        "De afnamegroep is niet vrijgegeven voor correctie (status '{state}').",
        "The session group is not released for correction (state '{state}').",
    ),
    "correction.group.closed": (
        "De correctie van deze afnamegroep is afgesloten; er kan niets meer worden gewijzigd.",
        "Correction of this session group is closed; nothing can be changed any more.",
    ),
    "correction.group.open": (
        "De correctie van deze afnamegroep is nog niet afgesloten.",
        "Correction of this session group is not closed yet.",
    ),
    "correction.close.unresolved": (
        "De correctie kan niet worden afgesloten: vraag {item} van kandidaat {candidate} heeft "
        "nog geen definitieve score; er is niets gewijzigd.",
        "Correction cannot be closed: item {item} of candidate {candidate} has no final score "
        "yet; nothing was changed.",
    ),
    "correction.replace.mark": (
        "Alleen de eerste, tweede of derde corrector kan worden vervangen.",
        "Only the first, second or third corrector can be replaced.",
    ),
    "correction.replace.empty": (
        "Er is geen {mark} corrector om te vervangen.",
        "There is no {mark} corrector to replace.",
    ),
    "correction.corrector.not_independent": (
        "Deze corrector heeft al een andere plaats in deze correctie; kies een onafhankelijke "
        "corrector.",
        "This corrector already holds another place in this correction; choose an independent "
        "corrector.",
    ),
    "correction.refer.nothing": (
        "Er zijn geen geëscaleerde vragen om aan een derde corrector voor te leggen.",
        "There are no escalated items to refer to a third corrector.",
    ),
    "correction.candidate.unknown": (
        "Deze kandidaat hoort niet bij de correctie van deze afnamegroep.",
        "This candidate is not part of this session group's correction.",
    ),
    "correction.review.period": (
        "De inzageperiode moet na het begin eindigen en mag hoogstens {days} dagen duren.",
        "The review period must end after it starts and may last at most {days} days.",
    ),
    "correction.review.not_granted": (
        "Er is nu geen inzage verleend voor deze kandidaat.",
        "No review is granted for this candidate now.",
    ),
    "correction.definition.mismatch": (
        "De toetsdefinitie past niet bij de open vragen van toets {exam}.",
        "The test definition does not fit the open items of test {exam}.",
    ),
    "correction.qti.too_large": (
        "Het QTI-resultatenbestand is groter dan {maximum} bytes.",
        "The QTI results document is larger than {maximum} bytes.",
    ),
    "correction.qti.malformed": (
        "Het QTI-resultatenbestand is geen goed gevormde XML (de fout staat in kolom {column}).",
        "The QTI results document is not well-formed XML (the error is in column {column}).",
    ),
    "correction.qti.doctype": (
        "Een QTI-resultatenbestand mag geen documenttypedeclaratie (DOCTYPE) bevatten.",
        "A QTI results document may not hold a document type declaration (DOCTYPE).",
    ),
    "correction.qti.version": (
        "Dit is een resultatenbestand van QTI {version}. " + _SUBSET_NL,
        "This is a QTI {version} results document. " + _SUBSET_EN,
    ),
    "correction.qti.not_results": (
        "Dit is geen QTI-resultatenbestand: het hoofdelement is {element}. " + _SUBSET_NL,
        "This is no QTI results document: its root element is {element}. " + _SUBSET_EN,
    ),
    "correction.qti.unsupported": (
        "{construct} valt buiten wat examkit leest. " + _SUBSET_NL,
        "{construct} lies outside what examkit reads. " + _SUBSET_EN,
    ),
    "correction.qti.missing": (
        "{construct} ontbreekt, en examkit heeft het nodig. " + _SUBSET_NL,
        "{construct} is missing, and examkit needs it. " + _SUBSET_EN,
    ),
    "correction.qti.invalid": (
        "De waarde '{value}' van {construct} is volgens QTI 3.0 ongeldig.",
        "The value '{value}' of {construct} is not valid in QTI 3.0.",
    ),
    "correction.qti.duplicate_item": (
        "Het item {item} heeft meer dan één itemResult.",
        "The item {item} has more than one itemResult.",
    ),
    "correction.qti.outcome.missing": (
        "{element} heeft geen waarde voor de uitkomst {variable}.",
        "{element} has no value for the outcome {variable}.",
    ),
    "correction.qti.outcome.number": (
        "De uitkomst {variable} van {element} is geen getal: '{value}'.",
        "The outcome {variable} of {element} is not a number: '{value}'.",
    ),
    "correction.qti.response.json": (
        "Het antwoord bij item {item} is geen JSON; examkit schrijft en leest antwoorden als "
        "JSON-tekst.",
        "The response to item {item} is not JSON; examkit writes and reads responses as JSON text.",
    ),
    "correction.qti.datestamp.naive": (
        "Het tijdstip {value} (datestamp) heeft geen tijdzone; examkit leest het alleen met een "
        "tijdzone erin (2026-06-01T10:00:00+02:00) of als de lezer zegt in welke tijdzone zulke "
        "tijden staan.",
        "The time {value} (datestamp) has no time zone; examkit reads it only with a time zone "
        "in it (2026-06-01T10:00:00+02:00) or when the reader says which time zone such times "
        "are in.",
    ),
    "correction.qti.datestamp.invalid": (
        "'{value}' (datestamp) is geen tijdstip dat examkit kan lezen "
        "(jjjj-mm-ddTuu:mm:ss met tijdzone, jaar 0001 tot en met 9999).",
        "'{value}' (datestamp) is not a time examkit can read "
        "(yyyy-mm-ddThh:mm:ss with a time zone, year 0001 to 9999).",
    ),
    "correction.qti.identifier": (
        "'{value}' is geen QTI-identifier: een XML-naam zonder dubbele punt, "
        "die met een letter of _ begint.",
        "'{value}' is not a QTI identifier: an XML name without a colon that starts with a "
        "letter or _.",
    ),
}
