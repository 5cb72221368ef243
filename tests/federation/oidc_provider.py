"""A real OpenID provider on loopback that releases Entree's attributes, for tests.

Authlib's authorization server (the code flow with PKCE required, OpenID
Connect's id_token signed RS256) on Flask, served by werkzeug in a thread on
``127.0.0.1`` and a free port::

    with serve_provider() as provider:
        adapter = OidcAdapter(provider.settings(redirect_uri))
        ...

The authorization endpoint is the provider's sign-in page: a form that
chooses one of :data:`PEOPLE` (a browser test clicks it, other tests post
it with :meth:`OidcProvider.sign_in`). Like Entree it puts the attributes
in the id_token when the ``claims`` request parameter asks for them, and
always at the userinfo endpoint. For attack tests it can rotate its keys
(:meth:`OidcProvider.rotate_keys`) and hand out a forged id_token
(:meth:`OidcProvider.forging`, with :func:`unsigned` or :func:`signed_by`).
"""

from __future__ import annotations

import base64
import contextlib
import html
import itertools
import json
import threading
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Final
from urllib.parse import parse_qs, urlsplit

import attrs
import httpx
from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core.grants import OpenIDCode
from flask import Flask, Response, jsonify, request
from joserfc import jwt
from joserfc.jwk import RSAKey
from werkzeug.serving import WSGIRequestHandler, make_server

from examkit.clocks import SystemClock
from examkit.federation.oidc import OidcSettings

CLIENT_ID: Final = "examkit-portal"
CLIENT_SECRET: Final = "registered-client-secret-for-tests"

PEOPLE: Final[Mapping[str, Mapping[str, object]]] = {
    "docent": {
        "uid": "qj7cks8qdz9ph54@petteflat",
        "givenName": "Piet",
        "sn": "Pukkelen",
        "eduPersonAffiliation": ["employee", "staff"],
        "nlEduPersonHomeOrganizationId": "11ZZ03",
        "nlEduPersonHomeOrganization": "Petteflat College",
        "eckId": "https://ketenid.nl/201703/3d3b0b9bd8a3e0b1c5f2e1a4d6c7b8e9",
        "nlEduPersonRealId": "pietjepuk@petteflat",
        "mail": "p.pukkelen@petteflat.nl",
    },
    "zonder-toestemming": {
        "uid": "x81mf0a2kd7q@petteflat",
        "givenName": "Mila",
        "sn": "Jansen",
        "eduPersonAffiliation": ["employee"],
        "nlEduPersonHomeOrganizationId": "11ZZ",
        "nlEduPersonHomeOrganization": "Petteflat College",
    },
}
"""Who can sign in, by the name on the sign-in form: Entree's attributes, ``uid`` first.

``docent``'s school consented to the extra attributes (eckId, nlEduPersonRealId,
mail); ``zonder-toestemming``'s did not."""

Forgery = Callable[[dict[str, Any], dict[str, Any]], str]
"""Turns the genuine id_token's header and claims into the id_token handed out instead."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unsigned(header: dict[str, Any], claims: dict[str, Any]) -> str:
    """Forge the id_token with ``alg: none`` and no signature."""
    forged = {**header, "alg": "none"}
    return f"{_b64(json.dumps(forged).encode())}.{_b64(json.dumps(claims).encode())}."


def signed_by(key: RSAKey, **changes: object) -> Forgery:
    """Forge the id_token signed by *key* (under the genuine key's ``kid``), claims *changes*d."""

    def forge(header: dict[str, Any], claims: dict[str, Any]) -> str:
        return jwt.encode(header, _apply(claims, changes), key, algorithms=["RS256"])

    return forge


def _apply(claims: dict[str, Any], changes: Mapping[str, object]) -> dict[str, Any]:
    result = {**claims}
    for name, value in changes.items():
        if value is None:
            result.pop(name, None)
        else:
            result[name] = value
    return result


@attrs.define
class _Person:
    name: str
    claims: Mapping[str, object]
    in_id_token: tuple[str, ...]

    def get_user_id(self) -> str:
        return str(self.claims["uid"])


@attrs.define
class _Client:
    redirect_uris: list[str]
    client_id: str = CLIENT_ID
    client_secret: str = CLIENT_SECRET

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope: str) -> str:
        return " ".join(item for item in scope.split() if item == "openid")

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return client_secret == self.client_secret

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@attrs.define
class _Code:
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    user: _Person
    auth_time: int

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time

    def get_acr(self) -> None:
        return None

    def get_amr(self) -> None:
        return None


class OidcProvider:
    """The provider's state: its keys, the codes and tokens it issued, what it forges."""

    def __init__(self, redirect_uris: tuple[str, ...]) -> None:
        self.issuer = ""
        self.client = _Client(list(redirect_uris))
        self.keys: list[RSAKey] = [_new_key(1)]
        self.codes: dict[str, _Code] = {}
        self.tokens: dict[str, _Person] = {}
        self.issued: list[str] = []
        self.jwks_reads = 0
        self.forgery: Forgery | None = None
        self.lock = threading.Lock()
        self.app = self._app()
        self._serials = itertools.count(1)

    def register(self, redirect_uri: str) -> None:
        """Register one more redirect URI of the client (a portal started after the provider)."""
        self.client.redirect_uris.append(redirect_uri)

    def serial(self) -> str:
        """Return a new ``jti``."""
        return f"id-token-{next(self._serials)}"

    @property
    def signing_key(self) -> RSAKey:
        """The key the provider signs with now (the newest)."""
        return self.keys[-1]

    def settings(self, redirect_uri: str, **overrides: Any) -> OidcSettings:
        """Return the settings of a client registered here with *redirect_uri*."""
        return OidcSettings(
            issuer=self.issuer,
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            redirect_uri=redirect_uri,
            **overrides,
        )

    def rotate_keys(self) -> None:
        """Sign with a new key from now on and stop publishing the old one."""
        with self.lock:
            self.keys = [_new_key(len(self.keys) + 1)]

    @contextlib.contextmanager
    def forging(self, forgery: Forgery) -> Iterator[None]:
        """Hand out the id_token *forgery* makes of the genuine one, within the block."""
        self.forgery = forgery
        try:
            yield
        finally:
            self.forgery = None

    def sign_in(self, authorization_url: str, person: str = "docent") -> dict[str, str]:
        """Sign *person* in at *authorization_url* as a browser would; return the redirect's query.

        Raises:
            AssertionError: the provider did not redirect (it shows an error page).
        """
        with httpx.Client() as browser:
            shown = browser.get(authorization_url)
            assert shown.status_code == 200, shown.text
            answer = browser.post(authorization_url, data={"person": person})
        assert answer.status_code == 302, answer.text
        query = parse_qs(urlsplit(answer.headers["location"]).query)
        return {name: values[0] for name, values in query.items()}

    # The Flask application and Authlib's authorization server.

    def _app(self) -> Flask:
        app = Flask(__name__)
        server = AuthorizationServer(app, query_client=self._query_client, save_token=self._save)
        server.register_grant(_grant(self), [CodeChallenge(required=True), _openid(self)])
        provider = self

        @app.get("/.well-known/openid-configuration")
        def discovery() -> Response:
            base = provider.issuer
            return jsonify(
                issuer=base,
                authorization_endpoint=f"{base}/authorize",
                token_endpoint=f"{base}/token",
                userinfo_endpoint=f"{base}/userinfo",
                jwks_uri=f"{base}/jwks",
                response_types_supported=["code"],
                subject_types_supported=["pairwise"],
                id_token_signing_alg_values_supported=["RS256"],
                code_challenge_methods_supported=["S256"],
                token_endpoint_auth_methods_supported=["client_secret_basic", "client_secret_post"],
                claims_parameter_supported=True,
                scopes_supported=["openid"],
            )

        @app.get("/jwks")
        def jwks() -> Response:
            with provider.lock:
                provider.jwks_reads += 1
                keys = [key.as_dict(private=False) for key in provider.keys]
            return jsonify(keys=keys)

        @app.route("/authorize", methods=["GET", "POST"])
        def authorize() -> Any:
            if request.method == "GET":
                grant = server.get_consent_grant(end_user=None)
                return _sign_in_page(grant.client.client_id)
            person = PEOPLE.get(request.form.get("person", ""))
            if person is None:
                return Response("unknown person", status=400)
            user = _Person(request.form["person"], person, _claims_for_id_token())
            grant = server.get_consent_grant(end_user=user)
            return server.create_authorization_response(grant_user=user, grant=grant)

        @app.post("/token")
        def token() -> Any:
            return server.create_token_response()

        @app.get("/userinfo")
        def userinfo() -> Response:
            bearer = request.headers.get("Authorization", "").removeprefix("Bearer ")
            user = provider.tokens.get(bearer)
            if user is None:
                return Response(status=401)
            return jsonify(sub=user.get_user_id(), **user.claims)

        return app

    def _query_client(self, client_id: str) -> _Client | None:
        return self.client if client_id == self.client.client_id else None

    def _save(self, token: Mapping[str, Any], oauth_request: Any) -> None:
        self.tokens[str(token["access_token"])] = oauth_request.user


def _claims_for_id_token() -> tuple[str, ...]:
    """Return the claims the request's ``claims`` parameter asks for in the id_token."""
    asked = request.args.get("claims")
    if not asked:
        return ()
    return tuple(json.loads(asked).get("id_token", {}))


def _sign_in_page(client_id: str) -> Response:
    choices = "".join(
        f'<button type="submit" name="person" value="{html.escape(name)}">'
        f"{html.escape(str(claims['givenName']))} {html.escape(str(claims['sn']))}</button>"
        for name, claims in PEOPLE.items()
    )
    page = (
        '<!doctype html><html lang="nl"><head><meta charset="utf-8">'
        "<title>Test-IdP: aanmelden</title></head><body><main>"
        f"<h1>Aanmelden bij {html.escape(client_id)}</h1>"
        f'<form method="post">{choices}</form></main></body></html>'
    )
    return Response(page, mimetype="text/html")


def _new_key(number: int) -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": f"test-key-{number}", "use": "sig"})


def _grant(provider: OidcProvider) -> type[grants.AuthorizationCodeGrant]:
    class CodeGrant(grants.AuthorizationCodeGrant):  # type: ignore[misc]
        TOKEN_ENDPOINT_AUTH_METHODS = ("client_secret_basic", "client_secret_post")

        def save_authorization_code(self, code: str, oauth_request: Any) -> None:
            payload = oauth_request.payload
            provider.codes[code] = _Code(
                code=code,
                client_id=oauth_request.client.client_id,
                redirect_uri=payload.redirect_uri,
                scope=payload.scope,
                nonce=payload.data.get("nonce"),
                code_challenge=payload.data.get("code_challenge"),
                code_challenge_method=payload.data.get("code_challenge_method"),
                user=oauth_request.user,
                auth_time=int(SystemClock().now().timestamp()),
            )

        def query_authorization_code(self, code: str, client: _Client) -> _Code | None:
            found = provider.codes.get(code)
            return found if found is not None and found.client_id == client.client_id else None

        def delete_authorization_code(self, authorization_code: _Code) -> None:
            provider.codes.pop(authorization_code.code, None)

        def authenticate_user(self, authorization_code: _Code) -> _Person:
            return authorization_code.user

    return CodeGrant


def _openid(provider: OidcProvider) -> OpenIDCode:
    class EntreeOpenIDCode(OpenIDCode):  # type: ignore[misc]
        def exists_nonce(self, nonce: str, oauth_request: Any) -> bool:
            return any(code.nonce == nonce for code in provider.codes.values())

        def resolve_client_private_key(self, client: _Client) -> RSAKey:
            return provider.signing_key

        def get_client_algorithm(self, client: _Client) -> str:
            return "RS256"

        def get_encode_header(self, client: _Client) -> dict[str, str]:
            return {"alg": "RS256", "kid": str(provider.signing_key.kid), "typ": "JWT"}

        def get_client_claims(self, client: _Client) -> dict[str, object]:
            return {
                "iss": provider.issuer,
                "aud": [client.client_id],
                "jti": provider.serial(),
            }

        def generate_user_info(self, user: _Person, scope: str) -> dict[str, object]:
            released = {name: user.claims[name] for name in user.in_id_token if name in user.claims}
            return {"sub": user.get_user_id(), **released}

        def encode_id_token(self, token: Mapping[str, Any], oauth_request: Any) -> str:
            genuine: str = super().encode_id_token(token, oauth_request)
            forgery = provider.forgery
            if forgery is not None:
                decoded = jwt.decode(genuine, provider.signing_key)
                genuine = forgery(dict(decoded.header), dict(decoded.claims))
            provider.issued.append(genuine)
            return genuine

    return EntreeOpenIDCode(require_nonce=True)


class _QuietHandler(WSGIRequestHandler):
    """Serves without writing a line per request to the test output."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Write nothing."""


DEFAULT_REDIRECT_URI: Final = "http://127.0.0.1:8000/aanmelden/entree/oidc"
"""The redirect URI registered by default (tests that never follow it)."""


@contextlib.contextmanager
def serve_provider(
    redirect_uris: tuple[str, ...] = (DEFAULT_REDIRECT_URI,),
) -> Iterator[OidcProvider]:
    """Serve a new provider on ``127.0.0.1`` and a free port, in a thread, for the block."""
    provider = OidcProvider(redirect_uris)
    server = make_server("127.0.0.1", 0, provider.app, threaded=True, request_handler=_QuietHandler)
    provider.issuer = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, name="oidc-provider", daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
