"""Messages of the HTTP backend and its storage server (PLAT-3)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {}
