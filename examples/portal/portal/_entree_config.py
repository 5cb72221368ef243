"""The identity providers of Entree (AUTH-13), read from the environment: off unless configured.

``EXAMKIT_PORTAL_OIDC_ISSUER``, ``_OIDC_CLIENT_ID`` and ``_OIDC_CLIENT_SECRET``
turn on the OpenID Connect adapter; ``EXAMKIT_PORTAL_SAML_IDP_METADATA`` (a
file with Entree's metadata) and ``EXAMKIT_PORTAL_SAML_ENTITY_ID`` the SAML
adapter, with ``EXAMKIT_PORTAL_SAML_BINDING`` (``redirect`` or ``post``);
``EXAMKIT_PORTAL_ENTREE_EMAIL_MATCH=yes`` the e-mail rule. The
redirect URI and the assertion consumer service are the portal's own routes
(:func:`callback_path`, :func:`acs_path`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Final

from examkit.errors import ConfigurationError
from examkit.federation import IdentityProviderAdapter, LinkPolicy, LinkRule
from portal._config import PortalConfig

OIDC_NAME: Final = "entree-oidc"
SAML_NAME: Final = "entree-saml"


def callback_path(provider: str) -> str:
    """Return the path of *provider*'s OpenID Connect redirect URI (a GET)."""
    return f"/sign-in/entree/{provider}/callback"


def acs_path(provider: str) -> str:
    """Return the path of *provider*'s SAML assertion consumer service (a cross-site POST)."""
    return f"/sign-in/entree/{provider}/acs"


def _oidc(env: Mapping[str, str], config: PortalConfig) -> list[IdentityProviderAdapter]:
    issuer = env.get("EXAMKIT_PORTAL_OIDC_ISSUER", "")
    if not issuer:
        return []
    # The extras are imported only when configured.
    from examkit.federation.oidc import OidcAdapter, OidcSettings

    settings = OidcSettings(
        issuer=issuer,
        client_id=env.get("EXAMKIT_PORTAL_OIDC_CLIENT_ID", ""),
        client_secret=env.get("EXAMKIT_PORTAL_OIDC_CLIENT_SECRET", ""),
        redirect_uri=config.base_url + callback_path(OIDC_NAME),
        name=OIDC_NAME,
    )
    return [OidcAdapter(settings)]


def _saml(env: Mapping[str, str], config: PortalConfig) -> list[IdentityProviderAdapter]:
    metadata = env.get("EXAMKIT_PORTAL_SAML_IDP_METADATA", "")
    if not metadata:
        return []
    from examkit.federation.saml import (
        IdentityProviderMetadata,
        SamlAdapter,
        SamlSettings,
    )

    binding = env.get("EXAMKIT_PORTAL_SAML_BINDING", "redirect")
    if binding not in {"redirect", "post"}:
        raise ConfigurationError(
            "config.invalid",
            field="EXAMKIT_PORTAL_SAML_BINDING",
            reason="EXAMKIT_PORTAL_SAML_BINDING is redirect or post",
        )
    settings = SamlSettings(
        sp_entity_id=env.get("EXAMKIT_PORTAL_SAML_ENTITY_ID", config.base_url + "/saml"),
        acs_url=config.base_url + acs_path(SAML_NAME),
        idp=IdentityProviderMetadata.from_xml(Path(metadata).read_bytes()),
        name=SAML_NAME,
        binding="post" if binding == "post" else "redirect",
    )
    return [SamlAdapter(settings)]


def identity_providers_from_environment(
    config: PortalConfig, environ: Mapping[str, str] | None = None
) -> list[IdentityProviderAdapter]:
    """Return the configured adapters for the kit's ``identity_providers`` (none by default).

    Raises:
        ConfigurationError: a setting is unusable (``oidc.config.*``, ``saml.*``).
    """
    env = os.environ if environ is None else environ
    return [*_oidc(env, config), *_saml(env, config)]


def link_policy_from_environment(environ: Mapping[str, str] | None = None) -> LinkPolicy:
    """Return the kit's ``link_policy``: the default, with the e-mail rule where configured.

    ``EXAMKIT_PORTAL_ENTREE_EMAIL_MATCH=yes`` turns on the e-mail rule: a
    released address that matches one account is proposed, and linked when
    the user confirms it.

    Raises:
        ConfigurationError: the value is neither ``yes`` nor ``no``.
    """
    env = os.environ if environ is None else environ
    value = env.get("EXAMKIT_PORTAL_ENTREE_EMAIL_MATCH", "no")
    if value not in {"yes", "no"}:
        raise ConfigurationError(
            "config.invalid",
            field="EXAMKIT_PORTAL_ENTREE_EMAIL_MATCH",
            reason="EXAMKIT_PORTAL_ENTREE_EMAIL_MATCH is yes or no",
        )
    if value == "no":
        return LinkPolicy()
    return LinkPolicy(rules=(LinkRule.LINK, LinkRule.ECK_ID, LinkRule.EMAIL))
