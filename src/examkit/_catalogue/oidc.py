"""Messages of the OpenID Connect adapter of the federated sign-in."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {}
