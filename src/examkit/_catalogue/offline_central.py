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
    "offline.wire.field": (
        "Dit veld van het synchronisatiebericht ontbreekt of is onbruikbaar.",
        "This field of the sync message is missing or unusable.",
    ),
    "offline.wire.batch": (
        "Een synchronisatiebericht bevat hoogstens {maximum} berichten.",
        "A sync message carries at most {maximum} entries.",
    ),
    "offline.wire.json": (
        "Het synchronisatiebericht is geen JSON-object.",
        "The sync message is not a JSON object.",
    ),
    "offline.wire.protocol": (
        "Het synchronisatiebericht volgt niet het protocol {protocol} (kop Examkit-Protocol).",
        "The sync message does not follow the protocol {protocol} (Examkit-Protocol header).",
    ),
    "offline.wire.too_large": (
        "Het synchronisatiebericht is groter dan {maximum} bytes.",
        "The sync message is larger than {maximum} bytes.",
    ),
    "offline.wire.server": (
        "Het bericht noemt een andere FAO dan de FAO van de inloggegevens.",
        "The message names another offline server than the credential's.",
    ),
    "offline.entry.digest": (
        "Bericht {seq} komt niet overeen met zijn controlewaarde; niets is verwerkt.",
        "Entry {seq} does not match its digest; nothing was applied.",
    ),
    "offline.entry.kind": (
        "Bericht {seq} heeft een onbekende soort '{kind}'; niets is verwerkt.",
        "Entry {seq} has an unknown kind '{kind}'; nothing was applied.",
    ),
    "offline.entry.order": (
        "De berichten staan niet in volgorde (bericht {seq}); niets is verwerkt.",
        "The entries are not in order (entry {seq}); nothing was applied.",
    ),
    "offline.credential.invalid": (
        "De inloggegevens van de FAO zijn onbekend, onjuist of ingetrokken.",
        "The offline server's credential is unknown, wrong or revoked.",
    ),
    "offline.credential.inactive": (
        "De FAO '{server}' is niet actief; alleen een actieve FAO krijgt inloggegevens.",
        "The offline server '{server}' is not active; only an active server gets a credential.",
    ),
    "offline.server.removed": (
        "De FAO '{server}' is gedeactiveerd of verwijderd; hij kan niet meer synchroniseren.",
        "The offline server '{server}' is deactivated or deleted; it cannot synchronise.",
    ),
    "offline.down.applied": (
        "De FAO meldt bericht {applied} verwerkt, maar er staan er maar {queued} klaar.",
        "The offline server says it applied entry {applied}, but only {queued} are queued.",
    ),
    "offline.handover.mode": (
        "Afnamegroep '{group}' is geen offline afname op een FAO.",
        "The group '{group}' is not an offline session on an offline server.",
    ),
    "offline.handover.state": (
        "Afnamegroep '{group}' is {state}; alleen een geplande of vrijgegeven groep gaat naar "
        "de FAO.",
        "The group '{group}' is {state}; only a planned or released group goes to the "
        "offline server.",
    ),
    "offline.handover.server": (
        "De FAO '{server}' is niet actief of heeft geen geldige inloggegevens.",
        "The offline server '{server}' is not active or has no valid credential.",
    ),
    "offline.conflict.resolved": (
        "Dit conflict is al afgehandeld.",
        "This conflict was dealt with already.",
    ),
    "offline.entry.body": (
        "Bericht {seq} bevat niet wat zijn soort vastlegt; niets is verwerkt.",
        "Entry {seq} does not hold what its kind sets; nothing was applied.",
    ),
}
