"""Messages of the privacy operations: a person's data exported and corrected, who read what."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {}
