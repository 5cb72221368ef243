"""Messages of correction, results, review and the QTI results exchange."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "correction.move.not_allowed": (
        "De stap '{event}' kan voor vraag {item} niet in de status '{state}'; er is niets "
        "gewijzigd.",
        "The move '{event}' is not allowed for item {item} in the state '{state}'; nothing was "
        "changed.",
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
    "correction.qti.malformed": (
        "Het QTI-resultatenbestand is geen goed gevormde XML: {detail}",
        "The QTI results document is not well-formed XML: {detail}",
    ),
    "correction.qti.invalid": (
        "Het QTI-resultatenbestand voldoet niet aan het schema: {detail}",
        "The QTI results document does not match the schema: {detail}",
    ),
    "correction.qti.value": (
        "Het QTI-resultatenbestand bevat een onbruikbare waarde: {detail}",
        "The QTI results document holds an unusable value: {detail}",
    ),
}
