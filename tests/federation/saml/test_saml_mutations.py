"""Any change to a signed response is refused with examkit's own error, or changes nothing read."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.federation.saml.conftest import BEGIN_AT
from tests.federation.saml_idp import SamlIdentityProvider

from examkit.errors import InvalidInput
from examkit.federation.saml import SamlAdapter
from examkit.testing import SequenceSecretSource


@pytest.mark.req("AUTH-13")
def test_a_changed_byte_is_refused_or_changes_nothing(
    adapter: SamlAdapter, idp: SamlIdentityProvider
) -> None:
    request = adapter.begin(state="relay", now=BEGIN_AT, secrets=SequenceSecretSource("mutate"))
    genuine = idp.respond(idp.receive(request).request_id, sign_response=True)
    expected = adapter.finish(
        response=genuine.form("relay"), pending=request.pending, now=genuine.issued_at
    )
    size = len(genuine.xml)
    codes: set[str] = set()

    @settings(max_examples=40, deadline=None, database=None)
    @given(
        at=st.integers(min_value=0, max_value=size - 1),
        byte=st.integers(min_value=0x20, max_value=0x7E),
        drop=st.booleans(),
    )
    def changed(at: int, byte: int, drop: bool) -> None:
        xml = genuine.xml[:at] + (b"" if drop else bytes([byte])) + genuine.xml[at + 1 :]
        fields = {"SAMLResponse": base64.b64encode(xml).decode(), "RelayState": "relay"}
        try:
            identity = adapter.finish(
                response=fields, pending=request.pending, now=genuine.issued_at
            )
        except InvalidInput as refused:
            codes.add(refused.code)
            return
        assert expected == identity

    changed()
    assert all(code.startswith("saml.") for code in codes), codes
