"""Messages of the privacy operations: erasing one person's data (PRIV-3)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {}
