"""The SAML adapter's place: it fulfils the port, and only its package imports pysaml2."""

from __future__ import annotations

import inspect
import subprocess
import sys

import pytest

from examkit.federation import IdentityProviderAdapter
from examkit.federation.saml import SamlAdapter, SamlSettings


@pytest.mark.req("AUTH-13")
def test_the_adapter_fulfils_the_port(settings: SamlSettings) -> None:
    adapter: IdentityProviderAdapter = SamlAdapter(settings)
    assert "entree-saml" == adapter.name
    for method in ("begin", "finish"):
        port = inspect.signature(getattr(IdentityProviderAdapter, method))
        ours = inspect.signature(getattr(SamlAdapter, method))
        assert list(port.parameters) == list(ours.parameters)


def test_only_the_saml_package_imports_pysaml2() -> None:
    probe = (
        "import sys, examkit, examkit.federation, examkit.cli, examkit.cli._saml; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'saml2'))"
    )
    ran = subprocess.run(  # noqa: S603 - our own interpreter, a fixed program
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert "[]" == ran.stdout.strip()
