"""What the adapter reads from the verified assertion: subject, attributes by table, limits."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from lxml import etree
from tests.federation.saml.conftest import BEGIN_AT
from tests.federation.saml_idp import NS, SAML, TEACHER, SamlIdentityProvider

from examkit.errors import InvalidInput
from examkit.federation import FederatedIdentity
from examkit.federation.saml import SamlAdapter
from examkit.testing import SequenceSecretSource

Edit = Callable[[etree._Element], None]


def _finish(
    adapter: SamlAdapter,
    idp: SamlIdentityProvider,
    person: dict[str, list[str]] | None = None,
    edit: Edit | None = None,
) -> FederatedIdentity:
    request = adapter.begin(state="relay", now=BEGIN_AT, secrets=SequenceSecretSource("as"))
    response = idp.respond(
        idp.receive(request).request_id,
        person={k: list(v) for k, v in TEACHER.items()} if person is None else person,
        edit=edit,
    )
    return adapter.finish(
        response=response.form("relay"), pending=request.pending, now=response.issued_at
    )


@pytest.mark.req("AUTH-13")
def test_attributes_by_their_oid_names_are_understood(
    adapter: SamlAdapter, idp: SamlIdentityProvider
) -> None:
    identity = _finish(
        adapter,
        idp,
        {
            "urn:oid:0.9.2342.19200300.100.1.1": ["abc@school"],
            "urn:oid:2.5.4.42": ["Jan"],
            "urn:oid:2.5.4.4": ["Jansen"],
            "urn:oid:1.3.6.1.4.1.5923.1.1.1.1": ["employee"],
            "urn:oid:0.9.2342.19200300.100.1.3": ["jan@school.example.nl"],
        },
    )
    assert {
        "uid": ("abc@school",),
        "givenName": ("Jan",),
        "sn": ("Jansen",),
        "eduPersonAffiliation": ("employee",),
        "mail": ("jan@school.example.nl",),
    } == dict(identity.attributes)
    assert "abc@school" == identity.subject


@pytest.mark.req("AUTH-13")
def test_one_attribute_under_two_names_is_refused(
    adapter: SamlAdapter, idp: SamlIdentityProvider
) -> None:
    with pytest.raises(InvalidInput) as refused:
        _finish(
            adapter,
            idp,
            {"urn:mace:dir:attribute-def:uid": ["a"], "urn:oid:0.9.2342.19200300.100.1.1": ["b"]},
        )
    assert ("saml.attribute.invalid", "uid") == (
        refused.value.code,
        refused.value.params["attribute"],
    )


@pytest.mark.req("AUTH-13")
def test_without_uid_the_persistent_name_id_is_the_subject(
    adapter: SamlAdapter, idp: SamlIdentityProvider
) -> None:
    def name_id(root: etree._Element) -> None:
        found = root.find("saml:Assertion/saml:Subject/saml:NameID", NS)
        assert found is not None
        found.text = "persistent-1"

    identity = _finish(adapter, idp, {"urn:mace:dir:attribute-def:sn": ["X"]}, name_id)
    assert "persistent-1" == identity.subject


@pytest.mark.req("AUTH-13")
def test_without_uid_a_transient_name_id_names_nobody(
    adapter: SamlAdapter, idp: SamlIdentityProvider
) -> None:
    def transient(root: etree._Element) -> None:
        found = root.find("saml:Assertion/saml:Subject/saml:NameID", NS)
        assert found is not None
        found.set("Format", "urn:oasis:names:tc:SAML:2.0:nameid-format:transient")

    with pytest.raises(InvalidInput) as refused:
        _finish(adapter, idp, {"urn:mace:dir:attribute-def:sn": ["X"]}, transient)
    assert "saml.subject.missing" == refused.value.code


def _remove(path: str) -> Edit:
    def edit(root: etree._Element) -> None:
        found = root.find(path, NS)
        assert found is not None
        parent = found.getparent()
        assert parent is not None
        parent.remove(found)

    return edit


def _encrypt(root: etree._Element) -> None:
    assertion = root.find("saml:Assertion", NS)
    assert assertion is not None
    wrapper = etree.Element(f"{{{SAML}}}EncryptedAssertion")
    root.replace(assertion, wrapper)


@pytest.mark.req("AUTH-13")
@pytest.mark.parametrize(
    ("edit", "code"),
    [
        (_remove("saml:Assertion/saml:AuthnStatement"), "saml.assertion.incomplete"),
        (_remove("saml:Assertion/saml:Conditions"), "saml.assertion.incomplete"),
        (_remove("saml:Assertion/saml:Subject/saml:SubjectConfirmation"), "saml.subject.missing"),
        (
            _remove("saml:Assertion/saml:Conditions/saml:AudienceRestriction"),
            "saml.audience.mismatch",
        ),
    ],
    ids=["no-authn-statement", "no-conditions", "no-confirmation", "no-audience"],
)
def test_an_assertion_without_a_required_part_is_refused(
    adapter: SamlAdapter, idp: SamlIdentityProvider, edit: Edit, code: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        _finish(adapter, idp, edit=edit)
    assert code == refused.value.code


@pytest.mark.req("AUTH-13")
def test_a_moment_without_a_time_zone_is_refused(
    adapter: SamlAdapter, idp: SamlIdentityProvider
) -> None:
    def naive(root: etree._Element) -> None:
        conditions = root.find("saml:Assertion/saml:Conditions", NS)
        assert conditions is not None
        conditions.set("NotOnOrAfter", "2030-01-01T00:00:00")

    with pytest.raises(InvalidInput) as refused:
        _finish(adapter, idp, edit=naive)
    assert ("saml.time.invalid", "NotOnOrAfter") == (refused.value.code, refused.value.field)


@pytest.mark.req("AUTH-13")
def test_an_encrypted_assertion_is_refused(adapter: SamlAdapter, idp: SamlIdentityProvider) -> None:
    request = adapter.begin(state="relay", now=BEGIN_AT, secrets=SequenceSecretSource("enc"))
    response = idp.respond(idp.receive(request).request_id, sign_assertion=False, edit=_encrypt)
    with pytest.raises(InvalidInput) as refused:
        adapter.finish(response=response.form("relay"), pending=request.pending, now=BEGIN_AT)
    assert "saml.assertion.encrypted" == refused.value.code


@pytest.mark.req("AUTH-13")
def test_the_same_response_twice_has_the_same_replay_key(
    adapter: SamlAdapter, idp: SamlIdentityProvider
) -> None:
    request = adapter.begin(state="relay", now=BEGIN_AT, secrets=SequenceSecretSource("replay"))
    response = idp.respond(idp.receive(request).request_id)
    assertion = response.tree().find("saml:Assertion", NS)
    assert assertion is not None
    first, second = (
        adapter.finish(
            response=response.form("relay"), pending=request.pending, now=response.issued_at
        )
        for _ in range(2)
    )
    assert first.replay_key == second.replay_key == f"saml:{assertion.get('ID')}"
