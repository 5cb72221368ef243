"""Messages of the central side of offline servers: credentials, hand-over, packages (SCH-8)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "offline.group.held": (
        "Afnamegroep '{group}' wordt afgenomen op de FAO '{server}'; centraal kan er niets aan "
        "veranderen tot de afgesloten groep is teruggesynchroniseerd.",
        "The group '{group}' is held by the offline server '{server}'; nothing can change it "
        "centrally until its closed state has synchronised back.",
    ),
    "offline.package.digest": (
        "De inhoud van examenpakket '{package}' klopt niet met de controlewaarde; de "
        "opgehaalde delen zijn verwijderd en worden opnieuw opgehaald.",
        "The content of exam package '{package}' does not match its digest; the fetched "
        "chunks were removed and are fetched again.",
    ),
    "offline.package.digest_form": (
        "Een examenpakket wordt aangeduid met zijn SHA-256 (64 hexadecimale tekens).",
        "An exam package is named by its SHA-256 (64 hexadecimal characters).",
    ),
    "offline.package.unverified": (
        "Examenpakket '{package}' is hier (nog) niet volledig en gecontroleerd; de toets kan "
        "er niet mee starten.",
        "Exam package '{package}' is not (yet) complete and verified here; the test cannot "
        "start with it.",
    ),
    "offline.package.range": (
        "Byte {start} valt buiten het examenpakket ({size} bytes).",
        "Byte {start} lies outside the exam package ({size} bytes).",
    ),
    "offline.package.chunk": (
        "Deel {index} van examenpakket '{package}' bestaat niet of heeft niet de juiste lengte.",
        "Chunk {index} of exam package '{package}' does not exist or is not of its length.",
    ),
    "offline.package.empty": (
        "Een examenpakket mag niet leeg zijn.",
        "An exam package cannot be empty.",
    ),
    "offline.package.media_type": (
        "'{value}' is geen mediatype (zoals application/zip).",
        "'{value}' is not a media type (such as application/zip).",
    ),
    "offline.package.other_exam": (
        "Deze inhoud is al gepubliceerd als examenpakket '{package}' van toets '{exam}'.",
        "This content is published already as exam package '{package}' of the test '{exam}'.",
    ),
    "offline.server.holds": (
        "De FAO '{server}' beheert nog afnamegroepen ({groups}); verwijder hem pas als ze "
        "afgesloten zijn teruggesynchroniseerd.",
        "The offline server '{server}' still holds groups ({groups}); delete it only once "
        "their closed state has synchronised back.",
    ),
}
