"""The portal's application: its areas' routes behind the security headers.

Each area (:class:`~portal._base.Area`) brings its routes and its
navigation links; :data:`AREAS` lists them in the order of the navigation.
"""

from __future__ import annotations

from typing import Final

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Mount

from examkit import Examkit
from examkit.offline.http import SyncEndpoint
from portal._applications import ApplicationPages
from portal._base import Area, Portal
from portal._classes import ClassesPages
from portal._config import PortalConfig
from portal._correction import CorrectionPages
from portal._desk_packages import PackagePages
from portal._entree import EntreePages
from portal._flemish import FlemishPages
from portal._home import HomePages
from portal._imports import ImportsPages
from portal._jobs import background_jobs
from portal._mailbox import DevMailbox, MailboxPages
from portal._matrix import PermissionsPages
from portal._monitor import MonitorPages
from portal._planning import PlanningPages
from portal._player import TestPages
from portal._privacy import PrivacyPages
from portal._profile import ProfilePages
from portal._requests import RequestLog
from portal._reset import ForgottenPasswordPages
from portal._result_reports import ReportsPages
from portal._results import ResultsPages
from portal._security import SecurityHeaders
from portal._signin import SignInPages
from portal._users import UsersPages

AREAS: Final[tuple[type[Area], ...]] = (
    HomePages,
    SignInPages,
    EntreePages,
    ForgottenPasswordPages,
    ProfilePages,
    MonitorPages,
    ImportsPages,
    ClassesPages,
    PlanningPages,
    ApplicationPages,
    PackagePages,
    FlemishPages,
    UsersPages,
    PrivacyPages,
    PermissionsPages,
    CorrectionPages,
    ResultsPages,
    ReportsPages,
    TestPages,
)
"""The portal's areas, in the order of the navigation."""
SYNC_PATH: Final = "/offline-sync"
"""Where the offline servers' sync endpoint is mounted (their ``examkit offline init --central``
is the portal's address followed by this)."""


def create_app(
    kit: Examkit, config: PortalConfig, *, mailbox: DevMailbox | None = None
) -> Starlette:
    """Return the portal over *kit* (built once per process, shared by every request).

    With *mailbox* (the demo's only) the development mailbox page is added.
    """
    portal = Portal(kit, config)
    areas = [kind(portal) for kind in AREAS]
    if mailbox is not None:
        areas.append(MailboxPages(portal, mailbox))
    routes: list[BaseRoute] = []
    for area in areas:
        routes.extend(area.routes())
        portal.navigation.extend(area.navigation)
    # The offline servers' sync endpoint: its own authentication (each server's credential),
    # JSON only, so none of the portal's pages' checks (cookies, forms, Origin) apply to it.
    routes.append(Mount(SYNC_PATH, app=SyncEndpoint(kit)))
    return Starlette(
        routes=routes,
        middleware=[Middleware(RequestLog, secrets=kit.secrets), Middleware(SecurityHeaders)],
        lifespan=background_jobs(kit, config),
    )
