"""Messages of the SAML 2.0 adapter of the federated sign-in."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "saml.response.missing": (
        "Het antwoord van de identiteitsverstrekker ontbreekt (geen SAMLResponse).",
        "The identity provider's response is missing (no SAMLResponse).",
    ),
    "saml.response.too_large": (
        "Het SAML-antwoord is groter dan {limit} bytes en is niet gelezen.",
        "The SAML response is larger than {limit} bytes and was not read.",
    ),
    "saml.response.encoding": (
        "Het SAML-antwoord is geen geldige base64.",
        "The SAML response is not valid base64.",
    ),
    "saml.response.malformed": (
        "Het SAML-antwoord is geen goedgevormd SAML 2.0-Response-bericht (of bevat een DTD).",
        "The SAML response is not a well-formed SAML 2.0 Response (or it has a DTD).",
    ),
    "saml.response.nested": (
        "Het SAML-antwoord bevat nog een Response-bericht: geweigerd (signature wrapping).",
        "The SAML response holds another Response: refused (signature wrapping).",
    ),
    "saml.response.unsolicited": (
        "Dit SAML-antwoord hoort bij geen enkel aanmeldverzoek (geen InResponseTo); "
        "ongevraagde antwoorden worden geweigerd.",
        "This SAML response answers no sign-in request (no InResponseTo); unsolicited "
        "responses are refused.",
    ),
    "saml.xml.duplicate_id": (
        "Het SAML-antwoord gebruikt een ID meer dan eens: geweigerd (signature wrapping).",
        "The SAML response uses an ID more than once: refused (signature wrapping).",
    ),
    "saml.assertion.encrypted": (
        "Het SAML-antwoord bevat een versleutelde assertion; examkit verwacht een "
        "ondertekende, onversleutelde assertion.",
        "The SAML response holds an encrypted assertion; examkit expects a signed, "
        "unencrypted one.",
    ),
    "saml.assertion.count": (
        "Het SAML-antwoord moet precies één assertion bevatten, direct onder de Response.",
        "The SAML response must hold exactly one assertion, directly below the Response.",
    ),
    "saml.assertion.incomplete": (
        "De assertion mist een verplicht onderdeel ({part}).",
        "The assertion lacks a required part ({part}).",
    ),
    "saml.assertion.not_yet_valid": (
        "De assertion is nog niet geldig (NotBefore ligt in de toekomst).",
        "The assertion is not valid yet (its NotBefore lies in the future).",
    ),
    "saml.assertion.expired": (
        "De assertion is verlopen (NotOnOrAfter is voorbij); meld u opnieuw aan.",
        "The assertion has expired (its NotOnOrAfter has passed); please sign in again.",
    ),
    "saml.subject_confirmation.expired": (
        "De bevestiging van de persoon in de assertion is verlopen; meld u opnieuw aan.",
        "The assertion's subject confirmation has expired; please sign in again.",
    ),
    "saml.subject.missing": (
        "De assertion noemt geen persoon die examkit kan herkennen (geen uid, geen "
        "bearer-bevestiging of geen persistente NameID).",
        "The assertion names no person examkit can recognise (no uid, no bearer "
        "confirmation or no persistent NameID).",
    ),
    "saml.attribute.invalid": (
        "Het attribuut {attribute} in de assertion is onbruikbaar (te lang of dubbel).",
        "The assertion's attribute {attribute} is unusable (too long or given twice).",
    ),
    "saml.time.invalid": (
        "Een tijdstip in het SAML-antwoord is geen geldige xs:dateTime met tijdzone.",
        "A moment in the SAML response is not a valid xs:dateTime with a time zone.",
    ),
    "saml.status.failed": (
        "De identiteitsverstrekker meldt dat de aanmelding mislukt is ({status}).",
        "The identity provider reports that the sign-in failed ({status}).",
    ),
    "saml.issuer.mismatch": (
        "Het SAML-antwoord komt niet van de ingestelde identiteitsverstrekker (Issuer).",
        "The SAML response does not come from the configured identity provider (Issuer).",
    ),
    "saml.destination.mismatch": (
        "Het SAML-antwoord is niet aan deze dienst gericht (Destination).",
        "The SAML response is not addressed to this service (Destination).",
    ),
    "saml.recipient.mismatch": (
        "De assertion is niet voor deze dienst bestemd (Recipient).",
        "The assertion is not meant for this service (Recipient).",
    ),
    "saml.audience.mismatch": (
        "De assertion noemt deze dienst niet als publiek (Audience).",
        "The assertion does not name this service as its audience (Audience).",
    ),
    "saml.in_response_to.mismatch": (
        "Het SAML-antwoord hoort niet bij het aanmeldverzoek van deze browser (InResponseTo).",
        "The SAML response does not answer this browser's sign-in request (InResponseTo).",
    ),
    "saml.relay_state.mismatch": (
        "De RelayState van het antwoord hoort niet bij het bewaarde aanmeldverzoek.",
        "The response's RelayState does not belong to the stored sign-in request.",
    ),
    "saml.relay_state.invalid": (
        "Een RelayState heeft 1 tot {limit} bytes.",
        "A RelayState has 1 to {limit} bytes.",
    ),
    "saml.signature.missing": (
        "De assertion is niet ondertekend; examkit aanvaardt alleen ondertekende assertions.",
        "The assertion is not signed; examkit accepts signed assertions only.",
    ),
    "saml.signature.misplaced": (
        "Een handtekening staat op een plaats waar SAML die niet toelaat (signature wrapping).",
        "A signature sits where SAML does not allow one (signature wrapping).",
    ),
    "saml.signature.reference": (
        "De handtekening dekt niet precies het element waarin ze staat (Reference).",
        "The signature does not cover exactly the element it sits in (Reference).",
    ),
    "saml.signature.transform": (
        "De handtekening gebruikt een transformatie, canonicalisatie of ds:Object die SAML "
        "niet toelaat.",
        "The signature uses a transform, canonicalisation or ds:Object that SAML does not allow.",
    ),
    "saml.signature.algorithm": (
        "De handtekening gebruikt een zwak of onbekend algoritme (SHA-1 wordt geweigerd; "
        "SHA-256 of sterker is vereist).",
        "The signature uses a weak or unknown algorithm (SHA-1 is refused; SHA-256 or "
        "stronger is required).",
    ),
    "saml.signature.digest": (
        "De handtekening gebruikt een zwakke of onbekende hashfunctie (SHA-1 wordt geweigerd; "
        "SHA-256 of sterker is vereist).",
        "The signature uses a weak or unknown digest (SHA-1 is refused; SHA-256 or stronger "
        "is required).",
    ),
    "saml.signature.unknown_key": (
        "De handtekening draagt een sleutel die niet in de metadata van de "
        "identiteitsverstrekker staat.",
        "The signature carries a key that is not in the identity provider's metadata.",
    ),
    "saml.signature.invalid": (
        "De handtekening klopt niet met de certificaten in de metadata van de "
        "identiteitsverstrekker.",
        "The signature does not verify with the certificates in the identity provider's metadata.",
    ),
    "saml.metadata.invalid": (
        "De metadata van de identiteitsverstrekker zijn onbruikbaar: {reason}.",
        "The identity provider's metadata are unusable: {reason}.",
    ),
    "saml.certificate.invalid": (
        "Het certificaat of de sleutel van de dienst is geen leesbare PEM (RSA).",
        "The service's certificate or key is not readable PEM (RSA).",
    ),
    "saml.certificate.weak": (
        "Het certificaat van de dienst is met SHA-1 of zwakker ondertekend; maak een nieuw "
        "met SHA-256.",
        "The service's certificate is signed with SHA-1 or weaker; make a new one with SHA-256.",
    ),
    "saml.settings.slack": (
        "De klokmarge van de SAML-koppeling ligt tussen 0 en {limit} seconden.",
        "The SAML connection's clock slack lies between 0 and {limit} seconds.",
    ),
    "saml.xmlsec.missing": (
        "xmlsec1 is niet geïnstalleerd; de SAML-koppeling heeft het nodig (Debian: "
        "apt-get install xmlsec1).",
        "xmlsec1 is not installed; the SAML connection needs it (Debian: apt-get install xmlsec1).",
    ),
}
