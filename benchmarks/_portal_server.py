"""The portal as benchmarks/portal_pages.py serves it: the real pages, or their baseline.

Not a benchmark itself. :func:`build_portal` wires the portal the way
``python -m portal serve`` does (examkit's production parts: the SQL backend
with its defaults, the argon2 hasher, the system clock and randomness), with a
mailer that drops every e-mail; the benchmark uses it in its own process to
find the signed-in pages and fill their paths (:func:`signed_in_pages`), and
runs this module as a script to serve one variant under uvicorn (one worker,
on loopback)::

    python benchmarks/_portal_server.py --database URL --port N --variant examkit
    python benchmarks/_portal_server.py --database URL --port N --variant baseline \\
        --pages pages.json --cookie TOKEN

The ``baseline`` variant is the same application (the same routes, the same
middleware, the same :class:`~portal._base.Portal`) in which each listed
signed-in page's endpoint is replaced: it resolves the web session and checks
the page's declared access exactly as the real one does (the portal's own
``signed_in`` / ``allowed`` decorators, or the monitor's ``on_monitor``), then
renders the page's template with the context the real page passed to
:meth:`Portal.page <portal._base.Portal.page>` once, at start-up (captured by
wrapping that method while the real page answers one request in this
process). No examkit call happens in it beyond the session lookup.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
import types
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any, Final

import attrs

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script
# the portal is an example, not an installed package
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples" / "portal"))

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route

from examkit import Examkit, Settings
from examkit.backends.sql import SQLBackend
from examkit.ports import Message
from portal._app import create_app
from portal._base import SESSION, Area, Portal, Viewer, allowed, signed_in
from portal._config import PortalConfig
from portal._monitor_access import on_monitor
from portal._security import cookie_name

TOKEN_KEY: Final = b"portal-benchmark-key-not-secret!"
"""The token key of the benchmark's portal (session ids are stored as digests keyed by it)."""
HOST: Final = "127.0.0.1"


class DroppedMail:
    """A :class:`~examkit.ports.Mailer` that drops every e-mail (nobody reads them here)."""

    def send(self, message: Message) -> None:
        """Drop *message*."""


def build_kit(database: str) -> Examkit:
    """Return a kit over *database* with examkit's production parts, as the portal's own."""
    return Examkit(
        backend=SQLBackend(database),
        mailer=DroppedMail(),
        settings=Settings(token_key=TOKEN_KEY, base_url=f"http://{HOST}"),
    )


def build_portal(database: str, port: int) -> tuple[Examkit, Starlette]:
    """Return a kit over *database* and the portal over it, as served at *port* on loopback.

    The data set's corrected test (:data:`examkit.testing.correction.EXAM`)
    is one of the test packages the portal ships (``portal._test_content``:
    its wording and answer key), so its results pages compute grades.
    """
    kit = build_kit(database)
    origin = f"http://{HOST}:{port}"
    config = PortalConfig(
        base_url=origin, token_key=TOKEN_KEY, database=database, secure_cookies=False
    )
    return kit, create_app(kit, config)


def session_cookie() -> str:
    """Return the name of the web session's cookie (plain http: no ``__Host-`` prefix)."""
    return cookie_name(
        SESSION,
        PortalConfig(base_url="http://x", token_key=TOKEN_KEY, database="", secure_cookies=False),
    )


# --- the signed-in pages, from the router -------------------------------------------------


@attrs.frozen
class PageRoute:
    """A signed-in GET route of the portal and its declared access."""

    path: str
    """Its path pattern (``/users/{account}``)."""
    params: tuple[str, ...]
    """The names of its path parameters."""
    actions: tuple[str, ...]
    """The matrix actions it is allowed for (empty: every signed-in user)."""
    monitor: bool = False
    """Declared ``on_monitor`` (the proctor monitor's pages: the portal's session or the
    monitor's own open them), not ``signed_in`` / ``allowed``."""


def _routes(routes: Sequence[BaseRoute], prefix: str = "") -> Iterator[tuple[str, Route]]:
    for route in routes:
        if isinstance(route, Route):
            yield prefix + route.path, route
        elif isinstance(route, Mount):
            yield from _routes(route.routes, prefix + route.path)


def _access(route: Route) -> tuple[str, ...] | None:
    """Return the actions of a signed-in route (empty: any signed-in user); None: not signed-in.

    Signed-in: declared ``signed_in``, ``allowed(...)`` or ``on_monitor(...)``
    (:mod:`portal._monitor_access`: the portal's session opens those too).
    """
    access = getattr(route.endpoint, "access", None)
    if access == "signed_in":
        return ()
    if isinstance(access, tuple) and len(access) == 2 and access[0] in {"allowed", "monitor"}:
        return tuple(access[1])
    return None


def _on_monitor(route: Route) -> bool:
    access = getattr(route.endpoint, "access", None)
    return isinstance(access, tuple) and access[0] == "monitor"


def signed_in_pages(app: Starlette) -> list[PageRoute]:
    """Return every signed-in GET route (see :func:`_access`), in the router's order."""
    found = []
    for path, route in _routes(app.routes):
        actions = _access(route)
        if actions is None or "GET" not in (route.methods or set()):
            continue
        found.append(
            PageRoute(path, tuple(route.param_convertors), actions, monitor=_on_monitor(route))
        )
    return found


def route_of(app: Starlette, path: str) -> Route:
    """Return the GET route whose pattern is *path*."""
    for pattern, route in _routes(app.routes):
        if pattern == path and "GET" in (route.methods or set()):
            return route
    raise LookupError(path)


# --- the baseline: the same page rendered from a captured context -------------------------


@attrs.frozen
class Rendered:
    """What a page passed to :meth:`Portal.page`: its template, status and context."""

    template: str
    status: int
    context: Mapping[str, Any]


def _portal_of(app: Starlette) -> Portal:
    for _, route in _routes(app.routes):
        area = getattr(route.endpoint, "__self__", None)
        if isinstance(area, Area):
            return area.portal
    raise LookupError("no area in the portal's routes")


async def capture(
    app: Starlette, pages: Mapping[str, str], cookie: str
) -> tuple[dict[str, Rendered], dict[str, int]]:
    """Request each page (route pattern -> filled path) once; return what each rendered.

    Also returns each page's status. A page that rendered nothing through
    :meth:`Portal.page` (a file, a redirect) is left out of the first mapping.
    """
    portal = _portal_of(app)
    original = portal.page
    seen: list[Rendered] = []

    def recording(request: Request, template: str, status: int = 200, **context: Any) -> Response:
        seen.append(Rendered(template, status, dict(context)))
        return original(request, template, status, **context)

    portal.page = recording  # type: ignore[method-assign]
    rendered: dict[str, Rendered] = {}
    statuses: dict[str, int] = {}
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url=f"http://{HOST}", cookies={session_cookie(): cookie}
        ) as client:
            for pattern, path in pages.items():
                seen.clear()
                response = await client.get(path)
                statuses[pattern] = response.status_code
                if seen:
                    rendered[pattern] = seen[-1]
    finally:
        portal.page = original  # type: ignore[method-assign]
    return rendered, statuses


def _fixed_endpoint(
    area: Area, actions: tuple[str, ...], rendered: Rendered, *, monitor: bool = False
) -> Callable[[Request], Any]:
    """Return an endpoint that checks access like the real one and renders *rendered*."""

    async def render(self: Area, request: Request, viewer: Viewer) -> Response:
        return self.portal.page(request, rendered.template, rendered.status, **rendered.context)

    if monitor:
        guarded = on_monitor(*actions)(render)
    else:
        guarded = allowed(*actions)(render) if actions else signed_in(render)
    return types.MethodType(guarded, area)


def make_baseline(app: Starlette, rendered: Mapping[str, Rendered]) -> None:
    """Replace each page of *rendered* (route pattern -> capture) in *app* by its baseline."""
    for pattern, capture_ in rendered.items():
        route = route_of(app, pattern)
        actions = _access(route)
        area = getattr(route.endpoint, "__self__", None)
        if actions is None or not isinstance(area, Area):
            raise LookupError(f"{pattern} is not a signed-in page of an area")
        fixed = Route(
            route.path,
            _fixed_endpoint(area, actions, capture_, monitor=_on_monitor(route)),
            methods=list(route.methods or ()),
        )
        routes = app.router.routes
        routes[routes.index(route)] = fixed


CPU_PATH: Final = "/_benchmark/cpu"
"""The benchmark server's own route (both variants): the process's CPU time so far."""


async def _process_cpu(request: Request) -> Response:
    """Answer the process's CPU time in seconds (every thread, the ended ones too).

    ``time.process_time`` reads the kernel's exact count (nanoseconds), where
    ``/proc/<pid>/stat`` rounds down to whole 10 ms ticks: a run of a few dozen
    requests is then measured to a fraction of a percent, not to a tick or two.
    """
    return PlainTextResponse(repr(time.process_time()))


def main(argv: Sequence[str] | None = None) -> None:
    """Serve the portal (or its baseline) with uvicorn, one worker, on loopback."""
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--variant", choices=("examkit", "baseline"), required=True)
    parser.add_argument("--pages", type=Path, help="JSON: route pattern -> filled path")
    parser.add_argument("--cookie", default="", help="the web session id, for the capture")
    args = parser.parse_args(argv)
    _, app = build_portal(args.database, args.port)
    app.router.routes.insert(0, Route(CPU_PATH, _process_cpu, methods=["GET"]))
    if args.variant == "baseline":
        pages: dict[str, str] = json.loads(args.pages.read_text(encoding="utf-8"))
        rendered, statuses = asyncio.run(capture(app, pages, args.cookie))
        missing = sorted(set(pages) - set(rendered))
        wrong = {p: s for p, s in statuses.items() if s != 200}
        if missing or wrong:
            print(f"baseline: no capture of {missing}; statuses {wrong}", file=sys.stderr)
            sys.exit(3)
        make_baseline(app, rendered)
    run = partial(
        uvicorn.run,
        app,
        host=HOST,
        port=args.port,
        workers=1,
        log_level="warning",
        access_log=False,
    )
    run()


if __name__ == "__main__":
    main()
