"""Web security done once: headers, the cross-site check, cookies, the client's address."""

from __future__ import annotations

from typing import Final

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from portal._config import PortalConfig

HEADERS: Final[dict[str, str]] = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    ),
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
"""Sent with every response: no inline script, no framing, no referrer to other sites."""

SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS"})


class SecurityHeaders:
    """ASGI middleware: :data:`HEADERS` on every response, ``no-store`` on every signed-in one.

    A page that shows anything of a signed-in user must not be kept by the
    browser (its back/forward cache or its disk cache) after sign-out.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                for name, value in HEADERS.items():
                    if name.lower().encode() not in present:
                        headers.append((name.encode(), value.encode()))
                if b"cache-control" not in present:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


def cross_site(request: Request, config: PortalConfig) -> bool:
    """Return whether an unsafe request comes from another site (and must be refused).

    Fetch Metadata first (``Sec-Fetch-Site`` other than ``same-origin`` or
    ``none``), then the ``Origin`` header against the portal's own. A request
    carrying neither is refused too: every browser sends one of them on a
    form's POST.
    """
    if request.method in SAFE_METHODS:
        return False
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in {"same-origin", "none"}:
        return True
    origin = request.headers.get("origin")
    if origin is not None:
        return origin != config.origin
    return site is None


def client_address(request: Request, config: PortalConfig) -> str:
    """Return the client's IP address: from ``X-Forwarded-For`` only behind the trusted proxy."""
    peer = request.client.host if request.client is not None else "0.0.0.0"  # noqa: S104
    if config.trusted_proxy is not None and peer == config.trusted_proxy:
        forwarded = request.headers.get("x-forwarded-for", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return peer


def cookie_name(name: str, config: PortalConfig) -> str:
    """Return *name* with the ``__Host-`` prefix where cookies are secure (host-only, path /)."""
    return f"__Host-{name}" if config.secure_cookies else name


def set_cookie(
    response: Response,
    name: str,
    value: str,
    config: PortalConfig,
    *,
    max_age: int | None,
    cross_site: bool = False,
) -> None:
    """Set an ``HttpOnly``, ``SameSite=Lax`` cookie (``Secure`` where the portal is https).

    With *cross_site* (and https) it is ``SameSite=None``: sent on another
    site's POST too (the identity provider's, to the assertion consumer service).
    """
    response.set_cookie(
        cookie_name(name, config),
        value,
        max_age=max_age,
        path="/",
        secure=config.secure_cookies,
        httponly=True,
        samesite="none" if cross_site and config.secure_cookies else "lax",
    )


def clear_cookie(response: Response, name: str, config: PortalConfig) -> None:
    """Remove the cookie *name*."""
    response.delete_cookie(
        cookie_name(name, config), path="/", secure=config.secure_cookies, httponly=True
    )
