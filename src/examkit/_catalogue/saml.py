"""Messages of the SAML 2.0 adapter of the federated sign-in."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {}
