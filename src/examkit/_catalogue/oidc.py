"""Messages of the OpenID Connect adapter of the federated sign-in."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # The configuration (ConfigurationError).
    "oidc.config.url": (
        "'{value}' is geen bruikbaar adres: gebruik https (http alleen op 127.0.0.1 of localhost), "
        "zonder #-deel.",
        "'{value}' is no usable address: use https (http only on 127.0.0.1 or localhost), "
        "without a # part.",
    ),
    "oidc.config.required": (
        "Dit veld van de OpenID Connect-instellingen is verplicht.",
        "This field of the OpenID Connect settings is required.",
    ),
    "oidc.config.scopes": (
        "De scopes '{value}' bevatten geen 'openid' of een scope met een spatie.",
        "The scopes '{value}' lack 'openid' or contain a scope with a space.",
    ),
    "oidc.config.algorithm": (
        "Deze handtekeningalgoritmen zijn niet toegestaan voor een id_token: {value}; "
        "kies uit {allowed}.",
        "These signature algorithms are not allowed for an id_token: {value}; "
        "choose from {allowed}.",
    ),
    "oidc.config.slack": (
        "De klokspeling ligt tussen 0 en {maximum} seconden.",
        "The clock slack lies between 0 and {maximum} seconds.",
    ),
    "oidc.config.positive": (
        "Deze duur van de OpenID Connect-instellingen moet groter zijn dan nul.",
        "This duration of the OpenID Connect settings must be greater than zero.",
    ),
    "oidc.config.claims": (
        "De vertaaltabel van claims naar attributen bevat alleen niet-lege namen.",
        "The table from claims to attributes holds non-empty names only.",
    ),
    "oidc.config.auth_method": (
        "Het token-verzoek gebruikt client_secret_basic of client_secret_post, niet '{value}'.",
        "The token request uses client_secret_basic or client_secret_post, not '{value}'.",
    ),
    # The provider's discovery document does not fit the settings (ConfigurationError).
    "oidc.discovery.issuer": (
        "De OpenID-provider noemt zich '{found}' en niet '{expected}': controleer de issuer "
        "in de instellingen.",
        "The OpenID provider calls itself '{found}', not '{expected}': check the issuer "
        "in the settings.",
    ),
    "oidc.discovery.endpoint": (
        "Het discovery-document van de OpenID-provider heeft geen bruikbaar {name} ('{value}').",
        "The OpenID provider's discovery document has no usable {name} ('{value}').",
    ),
    "oidc.discovery.pkce": (
        "De OpenID-provider {issuer} biedt geen PKCE met S256 aan.",
        "The OpenID provider {issuer} does not offer PKCE with S256.",
    ),
    "oidc.token.client": (
        "De OpenID-provider kent de client '{client_id}' of zijn geheim niet: controleer de "
        "client-ID en het client-geheim in de instellingen.",
        "The OpenID provider does not know the client '{client_id}' or its secret: check the "
        "client ID and the client secret in the settings.",
    ),
    # The provider cannot be reached (ServiceUnavailable).
    "oidc.provider.unavailable": (
        "De OpenID-provider is niet bereikbaar ({url}: {reason}); probeer het later opnieuw.",
        "The OpenID provider cannot be reached ({url}: {reason}); try again later.",
    ),
    "oidc.provider.answer": (
        "De OpenID-provider gaf een onbruikbaar antwoord ({url}); probeer het later opnieuw.",
        "The OpenID provider gave an unusable answer ({url}); try again later.",
    ),
    # The answer to one sign-in (InvalidInput): each failed check its own code.
    "oidc.pending.incomplete": (
        "Bij dit aanmeldverzoek ontbreken de bewaarde nonce, PKCE-verificatiecode of state; "
        "meld opnieuw aan.",
        "This sign-in request lacks its kept nonce, PKCE verifier or state; sign in again.",
    ),
    "oidc.response.state": (
        "Het antwoord van de OpenID-provider hoort niet bij dit aanmeldverzoek (state); "
        "meld opnieuw aan.",
        "The OpenID provider's answer does not belong to this sign-in request (state); "
        "sign in again.",
    ),
    "oidc.response.error": (
        "De OpenID-provider heeft de aanmelding niet voltooid ({error}).",
        "The OpenID provider did not complete the sign-in ({error}).",
    ),
    "oidc.response.issuer": (
        "Het antwoord komt van een andere OpenID-provider dan waar de aanmelding begon.",
        "The answer comes from another OpenID provider than the one the sign-in began at.",
    ),
    "oidc.response.code": (
        "Het antwoord van de OpenID-provider bevat geen autorisatiecode.",
        "The OpenID provider's answer holds no authorization code.",
    ),
    "oidc.token.refused": (
        "De OpenID-provider weigerde de autorisatiecode in te wisselen ({error}); "
        "meld opnieuw aan.",
        "The OpenID provider refused to redeem the authorization code ({error}); sign in again.",
    ),
    "oidc.token.id_token": (
        "Het token-antwoord van de OpenID-provider bevat geen id_token.",
        "The OpenID provider's token answer holds no id_token.",
    ),
    "oidc.token.access_token": (
        "Het token-antwoord van de OpenID-provider bevat geen access token voor de userinfo.",
        "The OpenID provider's token answer holds no access token for the userinfo.",
    ),
    "oidc.id_token.malformed": (
        "Het id_token is geen ondertekend JWT.",
        "The id_token is no signed JWT.",
    ),
    "oidc.id_token.algorithm": (
        "Het id_token is ondertekend met '{algorithm}'; alleen {allowed} wordt aanvaard.",
        "The id_token is signed with '{algorithm}'; only {allowed} is accepted.",
    ),
    "oidc.id_token.key_unknown": (
        "Het id_token is ondertekend met een sleutel ('{kid}') die de OpenID-provider "
        "niet publiceert.",
        "The id_token is signed with a key ('{kid}') the OpenID provider does not publish.",
    ),
    "oidc.id_token.signature": (
        "De handtekening van het id_token klopt niet.",
        "The id_token's signature does not verify.",
    ),
    "oidc.id_token.issuer": (
        "Het id_token is uitgegeven door een andere partij dan de ingestelde OpenID-provider.",
        "The id_token was issued by another party than the configured OpenID provider.",
    ),
    "oidc.id_token.audience": (
        "Het id_token is niet voor deze dienst bestemd ({claim}).",
        "The id_token is not meant for this service ({claim}).",
    ),
    "oidc.id_token.expired": (
        "Het id_token is verlopen; meld opnieuw aan.",
        "The id_token has expired; sign in again.",
    ),
    "oidc.id_token.not_yet_valid": (
        "Het id_token is nog niet geldig ({claim} ligt in de toekomst); "
        "controleer de klok van deze server.",
        "The id_token is not valid yet ({claim} lies in the future); check this server's clock.",
    ),
    "oidc.id_token.nonce": (
        "Het id_token hoort niet bij dit aanmeldverzoek (nonce); meld opnieuw aan.",
        "The id_token does not belong to this sign-in request (nonce); sign in again.",
    ),
    "oidc.id_token.at_hash": (
        "Het id_token hoort niet bij het access token dat ermee werd uitgegeven ({claim}).",
        "The id_token does not belong to the access token issued with it ({claim}).",
    ),
    "oidc.id_token.missing": (
        "Het id_token mist de verplichte claim '{claim}'.",
        "The id_token lacks the required claim '{claim}'.",
    ),
    "oidc.id_token.claim": (
        "De claim '{claim}' van het id_token is ongeldig.",
        "The id_token's claim '{claim}' is invalid.",
    ),
    "oidc.claim.type": (
        "De claim '{claim}' is geen tekst of lijst van teksten.",
        "The claim '{claim}' is no text or list of texts.",
    ),
    "oidc.userinfo.subject": (
        "De userinfo van de OpenID-provider gaat over een ander persoon dan het id_token.",
        "The OpenID provider's userinfo is about another person than the id_token.",
    ),
}
