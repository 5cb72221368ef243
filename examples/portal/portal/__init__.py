"""examkit's reference portal: a Starlette app that embeds the library (first slice, issue 22)."""

from portal._app import create_app
from portal._config import PortalConfig
from portal._offline_mode import create_offline_app, offline_app

__all__ = ["PortalConfig", "create_app", "create_offline_app", "offline_app"]
