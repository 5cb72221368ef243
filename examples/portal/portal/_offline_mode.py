"""The portal on an offline server (``EXAMKIT_PORTAL_MODE=offline``): the exam-day screens only.

An offline server (*FAO*, :mod:`examkit.offline`) runs the portal's
candidate test, proctor monitor and session report on the station's own
kit, over its local store (``EXAMKIT_PORTAL_STATION`` names the store made
by ``examkit offline init``). Each test's wording comes from its verified
local exam package (:mod:`portal._offline_packages`): without one the test
cannot start. The monitor shows the station's sync status: the last sync,
the backlog still to send and the clock offset to the central system.

``examkit offline serve --app portal:offline_app`` serves it beside the
periodic sync, in one process.
"""

from __future__ import annotations

from typing import Any, Final

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from examkit import Examkit, Settings
from examkit.errors import ConfigurationError
from examkit.ports import Mailer
from portal._base import Area, Portal, public
from portal._config import PATHS, PortalConfig
from portal._home import HomePages
from portal._monitor import MonitorPages
from portal._offline_packages import package_contents
from portal._offline_status import station_reader, sync_status
from portal._player import TestPages
from portal._requests import RequestLog
from portal._security import SecurityHeaders

OFFLINE_AREAS: Final[tuple[type[Area], ...]] = (MonitorPages, TestPages)
"""The areas an offline server serves: the exam day's, nothing else."""


class OfflineHome(HomePages):
    """The offline server's start page (the two ways in, the sync status), the files, health."""

    def routes(self) -> list[Route]:
        """Return the start page's route, the static files' and the health check's."""
        return [
            Route("/", self.start, methods=["GET"]),
            Route("/static/{name}", self.static, methods=["GET"]),
            Route("/health", self.health, methods=["GET"]),
        ]

    @public
    async def start(self, request: Request) -> Response:
        """Where candidates and the proctor go in, and how the sync stands."""
        return self.portal.page(request, "offline/home.html", sync=await sync_status(self.portal))


def build_station_kit(config: PortalConfig, mailer: Mailer, **options: Any) -> tuple[Examkit, str]:
    """Return the offline server's kit (the outbox around the station's store) and its id.

    *options* go to the kit (a test's clock, secrets and hasher).

    Raises:
        ConfigurationError: the portal is not in offline mode, or its store
            is no initialised station (``examkit offline init`` makes one).
    """
    from examkit.backends.sql import SQLBackend
    from examkit.offline import STATIONS, OutboxBackend

    if not config.offline:
        raise ConfigurationError(
            "config.invalid", field="EXAMKIT_PORTAL_MODE", reason="offline_app needs offline"
        )
    store = SQLBackend(config.database)
    with store.begin(readonly=True) as uow:
        stations = uow.transaction.find(STATIONS, where={}, limit=1)
    if not stations:
        store.close()
        raise ConfigurationError(
            "config.invalid",
            field="EXAMKIT_PORTAL_STATION",
            reason=f"{config.station!r} holds no station (examkit offline init makes it)",
        )
    kit = Examkit(
        backend=OutboxBackend(store, clock=options.get("clock")),
        mailer=mailer,
        settings=Settings(
            token_key=config.token_key,
            base_url=config.base_url,
            paths=PATHS,
            sitting=config.sitting,
        ),
        **options,
    )
    return kit, stations[0].server


def offline_app() -> Starlette:
    """Return the offline server's portal as the environment configures it.

    For ``examkit offline serve --app portal:offline_app --factory`` (with
    ``EXAMKIT_PORTAL_MODE=offline``, ``EXAMKIT_PORTAL_STATION`` and
    ``EXAMKIT_PORTAL_TOKEN_KEY``): the exam-day screens over the station's
    store, served beside the periodic sync.
    """
    from portal.__main__ import mailer_from_environment

    config = PortalConfig.from_environment()
    kit, server = build_station_kit(config, mailer_from_environment())
    return create_offline_app(kit, config, server=server)


def create_offline_app(kit: Examkit, config: PortalConfig, *, server: str) -> Starlette:
    """Return the offline server's portal over the station's *kit* (station *server*).

    Only the exam-day screens; the wording of each test from its verified
    local package; the monitor shows the sync status.
    """
    portal = Portal(kit, config)
    portal.contents = package_contents(kit)
    portal.station = station_reader(kit, server)
    areas = [OfflineHome(portal), *(kind(portal) for kind in OFFLINE_AREAS)]
    routes = []
    for area in areas:
        routes.extend(area.routes())
        portal.navigation.extend(area.navigation)
    return Starlette(
        routes=routes,
        middleware=[Middleware(RequestLog, secrets=kit.secrets), Middleware(SecurityHeaders)],
    )
