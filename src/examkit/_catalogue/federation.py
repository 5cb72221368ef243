"""Messages of federated sign-in: linking a verified identity to an account (AUTH-13)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {}
