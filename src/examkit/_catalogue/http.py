"""Messages of the HTTP backend and its storage server (PLAT-3)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "http.unauthorized": (
        "De opslagserver herkent deze diensttoken niet.",
        "The storage server does not recognise this service token.",
    ),
    "http.scope.write": (
        "Deze diensttoken mag alleen lezen.",
        "This service token may only read.",
    ),
    "http.scope.kind": (
        "Deze diensttoken geeft geen toegang tot {kind}.",
        "This service token gives no access to {kind}.",
    ),
    "http.scope.secret": (
        "{kind} bevat geheimen en is niet leesbaar met een token dat alleen mag lezen.",
        "{kind} holds secrets and cannot be read with a read-only token.",
    ),
    "http.request.invalid": (
        "De opslagserver weigert dit verzoek: {reason}.",
        "The storage server refuses this request: {reason}.",
    ),
    "http.request.too_large": (
        "Het verzoek is groter dan de toegestane {maximum} bytes.",
        "The request is larger than the allowed {maximum} bytes.",
    ),
    "http.response.too_large": (
        "Het antwoord van de opslagserver is groter dan de toegestane {maximum} bytes.",
        "The storage server's answer is larger than the allowed {maximum} bytes.",
    ),
    "http.response.invalid": (
        "De opslagserver gaf een onbruikbaar antwoord.",
        "The storage server gave an unusable answer.",
    ),
    "http.unavailable": (
        "De opslagserver is niet bereikbaar; er is niets gewijzigd.",
        "The storage server cannot be reached; nothing was changed.",
    ),
    "http.unit.lost": (
        "De transactie op de opslagserver is verlopen of afgebroken; er is niets gewijzigd.",
        "The unit of work on the storage server expired or was aborted; nothing was changed.",
    ),
    "http.unit.sequence": (
        "Dit verzoek hoort niet op deze plaats in de transactie.",
        "This request is out of order in its unit of work.",
    ),
    "http.idempotency.mismatch": (
        "Deze sleutel hoort al bij een andere vastlegging; er is niets gewijzigd.",
        "This key already belongs to another commit; nothing was changed.",
    ),
    "http.tokens.invalid": (
        "Het bestand met diensttokens is onbruikbaar: {reason}.",
        "The service token file is unusable: {reason}.",
    ),
    "http.key_retention.too_short": (
        "Idempotentiesleutels moeten minstens een dag bewaard blijven (niet {value}): een "
        "client die een vastlegging opnieuw stuurt, moet die nog terugvinden.",
        "Idempotency keys must be kept for at least a day (not {value}): a client that "
        "sends a commit again must still find it.",
    ),
    "http.server.records": (
        "De opslag achter de server kent de records van de server niet ({record}).",
        "The storage behind the server does not know the server's records ({record}).",
    ),
}
