"""The SAML tests' fixtures: xmlsec1, the test keys, the in-process identity provider, the adapter.

Everything is made once per session (RSA keys take a moment). Without
xmlsec1 the tests skip, and fail under ``EXAMKIT_CI=1``.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from tests.conftest import need_system_tool
from tests.federation.saml_idp import (
    ACS_URL,
    SP_ENTITY_ID,
    KeyFiles,
    SamlIdentityProvider,
    make_key,
)

from examkit.federation.saml import (
    IdentityProviderMetadata,
    SamlAdapter,
    SamlSettings,
    sp_metadata,
)

BEGIN_AT = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
"""The moment the tests' requests are made (the provider accepts any recent one)."""


@pytest.fixture(scope="session")
def xmlsec1() -> str:
    """Debian's xmlsec1, or skip (fail under ``EXAMKIT_CI=1``) without it."""
    found = shutil.which("xmlsec1")
    if found is None:
        need_system_tool("xmlsec1 is not installed (Debian's package xmlsec1)")
    assert found is not None
    return found


@pytest.fixture(scope="session")
def key_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the session's test keys lie."""
    return tmp_path_factory.mktemp("saml-keys")


@pytest.fixture(scope="session")
def idp_key(key_folder: Path) -> KeyFiles:
    """The identity provider's own key and certificate (in its metadata)."""
    return make_key(key_folder, "idp", seed="idp")


@pytest.fixture(scope="session")
def attacker_key(key_folder: Path) -> KeyFiles:
    """A key that is in no metadata: an attacker's."""
    return make_key(key_folder, "attacker", seed="attacker")


@pytest.fixture(scope="session")
def sp_key(key_folder: Path) -> KeyFiles:
    """The service provider's key and certificate (in its registered metadata)."""
    return make_key(key_folder, "sp", seed="sp")


@pytest.fixture(scope="session")
def idp(
    xmlsec1: str, key_folder: Path, idp_key: KeyFiles, sp_key: KeyFiles
) -> SamlIdentityProvider:
    """The in-process identity provider, which knows the SP by its generated metadata."""
    metadata = sp_metadata(
        entity_id=SP_ENTITY_ID, acs_url=ACS_URL, certificate_pem=sp_key.pair.certificate_pem
    )
    return SamlIdentityProvider(
        key_folder, xmlsec_binary=xmlsec1, key=idp_key, sp_metadata=metadata
    )


@pytest.fixture(scope="session")
def idp_metadata(idp: SamlIdentityProvider) -> IdentityProviderMetadata:
    """The identity provider as the adapter reads it from its metadata."""
    return IdentityProviderMetadata.from_xml(idp.metadata())


@pytest.fixture(scope="session")
def settings(idp_metadata: IdentityProviderMetadata, xmlsec1: str) -> SamlSettings:
    """The adapter's production defaults: Redirect binding, unsolicited refused, 90 s slack."""
    return SamlSettings(
        sp_entity_id=SP_ENTITY_ID, acs_url=ACS_URL, idp=idp_metadata, xmlsec_binary=xmlsec1
    )


@pytest.fixture(scope="session")
def adapter(settings: SamlSettings) -> SamlAdapter:
    """The SAML adapter with :func:`settings`."""
    return SamlAdapter(settings)
