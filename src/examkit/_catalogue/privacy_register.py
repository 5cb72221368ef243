"""Messages of the privacy operations: the processing register and the retention terms (PRIV-1)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {}
