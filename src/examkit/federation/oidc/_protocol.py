"""The one module that calls Authlib and its JOSE library (joserfc): the untyped surface.

Authlib builds the authorization request (with PKCE), the token request and
its client authentication, and checks the id_token's claims
(:class:`authlib.oidc.core.CodeIDToken`); joserfc, Authlib's JOSE library
since Authlib 1.7 (``authlib.jose`` is deprecated), reads the JWKS and
verifies the signature. Every exception either library raises is turned into
an examkit error here, each failed check with its own code.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from authlib.common.urls import add_params_to_qs
from authlib.oauth2.auth import ClientAuth
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri, prepare_token_request
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import ClaimError, ExpiredTokenError, JoseError, MissingClaimError
from joserfc.jwk import Key, KeySet
from joserfc.jws import JWSRegistry, extract_compact

from examkit.errors import InvalidInput, ServiceUnavailable

# The claims every id_token must carry (OpenID Connect Core 2), checked in this order.
_ORDER = ("iss", "aud", "azp", "exp", "nbf", "iat", "sub", "nonce", "at_hash", "auth_time")
_CLAIM_CODES = {
    "iss": "oidc.id_token.issuer",
    "aud": "oidc.id_token.audience",
    "azp": "oidc.id_token.audience",
    "nonce": "oidc.id_token.nonce",
    "nbf": "oidc.id_token.not_yet_valid",
    "iat": "oidc.id_token.not_yet_valid",
    "at_hash": "oidc.id_token.at_hash",
}


def authorization_url(
    endpoint: str,
    *,
    client_id: str,
    redirect_uri: str,
    scopes: Sequence[str],
    state: str,
    nonce: str,
    code_verifier: str,
    claims: Mapping[str, object] | None,
) -> str:
    """Return the authorization request's URL: the code flow, with PKCE (S256), state and nonce."""
    extra: dict[str, str] = {
        "nonce": nonce,
        "code_challenge": create_s256_code_challenge(code_verifier),
        "code_challenge_method": "S256",
    }
    if claims is not None:
        extra["claims"] = json.dumps(claims, separators=(",", ":"), sort_keys=True)
    url: str = prepare_grant_uri(
        endpoint,
        client_id,
        "code",
        redirect_uri=redirect_uri,
        scope=list(scopes),
        state=state,
        **extra,
    )
    return url


def token_request(
    *,
    client_id: str,
    client_secret: str,
    auth_method: str,
    token_endpoint: str,
    code: str,
    redirect_uri: str,
    code_verifier: str,
) -> tuple[dict[str, str], str]:
    """Return the headers and the form body of the token request for *code*."""
    body = prepare_token_request(
        "authorization_code", redirect_uri=redirect_uri, code=code, code_verifier=code_verifier
    )
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/json",
    }
    auth = ClientAuth(client_id, client_secret, auth_method)
    _, headers, body = auth.prepare("POST", token_endpoint, headers, body)
    if auth_method == "client_secret_basic":
        # RFC 6749 2.3.1: the client ID is also in the body, for providers that look there.
        body = add_params_to_qs(body, [("client_id", client_id)])
    return dict(headers), str(body)


def key_set(document: object, url: str) -> KeySet:
    """Return the signing keys of the JWKS *document* read from *url*.

    Raises:
        ServiceUnavailable: ``oidc.provider.answer``: it is no key set.
    """
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise ServiceUnavailable("oidc.provider.answer", url=url)
    signing = [
        key for key in document["keys"] if isinstance(key, dict) and key.get("use", "sig") == "sig"
    ]
    try:
        return KeySet.import_key_set({"keys": signing})
    except (JoseError, ValueError, TypeError) as error:
        raise ServiceUnavailable("oidc.provider.answer", url=url) from error


def header_of(id_token: str) -> dict[str, Any]:
    """Return the protected header of *id_token*, unverified (to choose the key).

    Raises:
        InvalidInput: ``oidc.id_token.malformed``: it is no JWS in compact form.
    """
    try:
        header = extract_compact(id_token.encode("ascii")).headers()
    except (JoseError, ValueError, TypeError, UnicodeError) as error:
        raise InvalidInput("oidc.id_token.malformed") from error
    return dict(header)


def find_key(keys: KeySet, kid: object) -> Key | None:
    """Return the key of *keys* with ID *kid* (the only key when the header names none), or None."""
    if kid is not None and not isinstance(kid, str):
        return None
    try:
        return keys.get_by_kid(kid)
    except JoseError:
        return None


def verified_claims(id_token: str, key: Key, algorithm: str) -> dict[str, Any]:
    """Return the claims of *id_token* after checking its signature by *key* with *algorithm*.

    Raises:
        InvalidInput: ``oidc.id_token.signature``: the signature does not verify.
    """
    registry = JWSRegistry(algorithms=[algorithm], strict_check_header=False)
    try:
        token = jwt.decode(id_token, key, algorithms=[algorithm], registry=registry)
    except JoseError as error:
        raise InvalidInput("oidc.id_token.signature") from error
    return dict(token.claims)


def check_claims(
    claims: Mapping[str, Any],
    header: Mapping[str, Any],
    *,
    issuer: str,
    client_id: str,
    nonce: str,
    access_token: str | None,
    now: int,
    slack: int,
) -> None:
    """Check the id_token's claims as OpenID Connect Core 3.1.3.7 asks, at *now* (seconds).

    Issuer, audience (and ``azp``), expiry, ``nbf`` and ``iat`` (with *slack*
    seconds of clock difference), ``sub``, ``nonce`` and ``at_hash``.

    Raises:
        InvalidInput: the first failed check, in that order, with its own code.
    """
    ordered = {name: claims[name] for name in _ORDER if name in claims}
    ordered.update({name: value for name, value in claims.items() if name not in ordered})
    options = {
        "iss": {"essential": True, "value": issuer},
        "aud": {"essential": True, "value": client_id},
    }
    params = {"nonce": nonce, "client_id": client_id, "access_token": access_token}
    checked = CodeIDToken(ordered, dict(header), options, params)
    try:
        checked.validate(now=now, leeway=slack)
    except ExpiredTokenError as error:
        raise InvalidInput("oidc.id_token.expired") from error
    except MissingClaimError as error:
        missing = str(error.claim)
        if missing == "nonce":
            raise InvalidInput("oidc.id_token.nonce") from error
        raise InvalidInput("oidc.id_token.missing", claim=missing) from error
    except ClaimError as error:
        code = _CLAIM_CODES.get(str(error.claim), "oidc.id_token.claim")
        value = claims.get(str(error.claim))
        if error.claim in ("nbf", "iat") and not isinstance(value, (int, float)):
            code = "oidc.id_token.claim"  # not a time at all, rather than one in the future
        raise InvalidInput(code, claim=str(error.claim)) from error
