"""Messages of the privacy operations: the retention jobs (PRIV-4)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {}
