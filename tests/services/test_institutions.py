"""Use cases of institutions through the composition root, on the memory backend."""

from __future__ import annotations

import attrs
import pytest

from examkit import Examkit, Settings
from examkit.errors import (
    AlreadyExists,
    ConfigurationError,
    ExamkitErrorGroup,
    InvalidInput,
    NotFound,
)
from examkit.identifiers import Brin, Instellingsnummer, LocationCode, Postcode
from examkit.org import Address, CompetentAuthority, Location
from examkit.testing import (
    ManualClock,
    MemoryAuditLog,
    RecordingMailer,
    SequenceSecretSource,
    StoredAuditTrail,
    Wiring,
    make_kit,
)
from examkit.testing.conformance import make_flemish_institution, make_institution


@pytest.fixture
def audit(wiring: Wiring) -> MemoryAuditLog | StoredAuditTrail:
    return wiring.audit


@pytest.fixture
def kit(wiring: Wiring) -> Examkit:
    return Examkit(
        backend=wiring.backend,
        mailer=RecordingMailer(),
        settings=Settings(token_key=b"k" * 32, base_url="https://portal.example.nl"),
        clock=ManualClock.at("2026-09-01T08:00:00+00:00"),
        secrets=SequenceSecretSource(),
        audit=wiring.log,
    )


def sexbierum(sequence: str = "01") -> Location:
    return Location(
        code=LocationCode(f"22AB{sequence}"),
        name="Locatie Sexbierum",
        address=Address("Schoolstraat", "12a", Postcode("8855AB"), "Sexbierum"),
    )


@pytest.mark.req("ORG-1", "ORG-3")
def test_register_and_find_by_any_location(
    kit: Examkit, audit: MemoryAuditLog | StoredAuditTrail
) -> None:
    """A registered institution is found by its BRIN and by each of its locations."""
    kit.institutions.register(make_institution("22AB", secondary=1), actor="operator")
    assert kit.institutions.get(Brin("22ab")).name == "School 22AB"
    assert kit.institutions.get_by_location(LocationCode("22AB01")).code == Brin("22AB")
    assert kit.institutions.get_by_location(LocationCode("22AB00")).code == Brin("22AB")
    assert audit.actions() == ["org.institution.registered"]
    assert audit.events[0].subject == "institution:22AB"
    assert audit.events[0].actor == "operator"


@pytest.mark.req("ORG-2")
def test_a_flemish_school_is_registered_by_instellingsnummer(kit: Examkit) -> None:
    """Flemish schools are kept beside Dutch ones."""
    kit.institutions.register(make_flemish_institution("012345"))
    assert kit.institutions.get(Instellingsnummer("012345")).locations == ()


@pytest.mark.req("ORG-1")
def test_registering_twice_is_refused_and_changes_nothing(kit: Examkit) -> None:
    """The second registration of a BRIN raises AlreadyExists; the first stays as it was."""
    kit.institutions.register(make_institution("22AB"))
    with pytest.raises(AlreadyExists):
        kit.institutions.register(make_institution("22AB", name="Andere naam"))
    assert kit.institutions.get(Brin("22AB")).name == "School 22AB"


@pytest.mark.req("ORG-3")
def test_secondary_locations_are_added_replaced_and_removed(kit: Examkit) -> None:
    """put_location adds or replaces a nevenlocatie; remove_location removes it."""
    kit.institutions.register(make_institution("22AB"))
    kit.institutions.put_location(Brin("22AB"), sexbierum("01"))
    kit.institutions.put_location(Brin("22AB"), sexbierum("02"))
    renamed = Location(
        code=LocationCode("22AB01"),
        name="Locatie Sexbierum-Noord",
        address=sexbierum().address,
    )
    stored = kit.institutions.put_location(Brin("22AB"), renamed)
    assert [(str(loc.code), loc.name) for loc in stored.secondary_locations] == [
        ("22AB02", "Locatie Sexbierum"),
        ("22AB01", "Locatie Sexbierum-Noord"),
    ]
    stored = kit.institutions.remove_location(Brin("22AB"), LocationCode("22AB02"))
    assert [str(loc.code) for loc in stored.locations] == ["22AB00", "22AB01"]
    with pytest.raises(NotFound):
        kit.institutions.get_by_location(LocationCode("22AB02"))


@pytest.mark.req("ORG-1", "ORG-3")
def test_a_location_of_another_brin_is_refused_and_nothing_changes(kit: Examkit) -> None:
    """A location must carry the institution's own BRIN."""
    kit.institutions.register(make_institution("22AB"))
    foreign = Location(code=LocationCode("33CD01"), name="X", address=sexbierum().address)
    with pytest.raises(InvalidInput) as caught:
        kit.institutions.put_location(Brin("22AB"), foreign)
    assert caught.value.code == "org.location.other_institution"
    assert kit.institutions.get(Brin("22AB")).secondary_locations == ()
    assert kit.institutions.get(Brin("22AB")).version == 1


@pytest.mark.req("ORG-3")
def test_main_location_cannot_be_a_secondary_one(kit: Examkit) -> None:
    """Sequence 00 is the main location and is refused as a nevenlocatie."""
    kit.institutions.register(make_institution("22AB"))
    with pytest.raises(InvalidInput) as caught:
        kit.institutions.put_location(Brin("22AB"), sexbierum("00"))
    assert caught.value.code == "org.location.main_as_secondary"


@pytest.mark.req("ORG-5")
def test_competent_authority_is_recorded(
    kit: Examkit, audit: MemoryAuditLog | StoredAuditTrail
) -> None:
    """The bevoegd gezag can be set and is audited."""
    kit.institutions.register(make_institution("22AB"))
    authority = CompetentAuthority("A.B. Jansen", "directeur-bestuurder", "bestuur@SCHOOL.nl")
    stored = kit.institutions.set_competent_authority(Brin("22AB"), authority, actor="operator")
    assert stored.competent_authority == authority
    assert stored.competent_authority is not None
    assert stored.competent_authority.email == "bestuur@school.nl"
    assert audit.actions()[-1] == "org.competent_authority.saved"


def test_unknown_institution_raises_not_found(kit: Examkit) -> None:
    """Every lookup of something absent raises NotFound, never returns None."""
    with pytest.raises(NotFound):
        kit.institutions.get(Brin("99ZZ"))
    with pytest.raises(NotFound):
        kit.institutions.put_location(Brin("99ZZ"), sexbierum())


def test_listing_pages_by_code(kit: Examkit) -> None:
    """Institutions list by code, page by page."""
    for brin in ("33CD", "11AA", "22AB"):
        kit.institutions.register(make_institution(brin))
    first = kit.institutions.list(limit=2)
    second = kit.institutions.list(after=first.next_after, limit=2)
    assert [str(i.code) for i in first.items + second.items] == ["11AA", "22AB", "33CD"]
    assert second.next_after is None


def test_default_audit_log_is_kept_by_the_backend() -> None:
    """Without an audit log given, events are appended to the backend's audit store."""
    kit = make_kit()
    kit.institutions.register(make_institution("22AB"), actor="operator")
    with kit.backend.begin(readonly=True) as uow:
        events = uow.audit.list(subject="institution:22AB").items
    assert [(e.action, e.actor) for e in events] == [("org.institution.registered", "operator")]


def test_several_problems_of_an_institution_are_reported_at_once() -> None:
    """Building an institution with several bad locations reports all of them."""
    address = sexbierum().address
    with pytest.raises(ExamkitErrorGroup) as caught:
        attrs.evolve(
            make_institution("22AB"),
            secondary_locations=(
                Location(code=LocationCode("33CD01"), name="X", address=address),
                Location(code=LocationCode("22AB00"), name="Y", address=address),
            ),
        )
    codes = [problem.code for problem in caught.value.problems]
    assert codes == ["org.location.other_institution", "org.location.main_as_secondary"]


def test_settings_need_the_portal_s_address() -> None:
    """No default address: links in e-mails would point at a development server."""
    with pytest.raises(TypeError):
        Settings(token_key=b"k" * 32)  # type: ignore[call-arg]
    for wrong in ("portal.example.nl", "ftp://portal.example.nl", "https://x.nl/?a=1", ""):
        with pytest.raises(ConfigurationError) as refused:
            Settings(token_key=b"k" * 32, base_url=wrong)
        assert ("config.base_url.invalid", "base_url") == (
            refused.value.code,
            refused.value.field,
        )


def test_settings_refuse_a_short_token_key() -> None:
    """The token key must be at least 32 bytes."""
    with pytest.raises(ConfigurationError):
        Settings(token_key=b"short", base_url="https://portal.example.nl")
    assert "hidden" in repr(Settings(token_key=b"k" * 32, base_url="https://portal.example.nl"))


@pytest.mark.req("PLAT-2", "ORG-3")
def test_a_refused_change_is_audited_on_its_own_and_a_change_with_its_event(
    kit: Examkit, audit: MemoryAuditLog | StoredAuditTrail
) -> None:
    """A refusal leaves a failure event with its reason; a change leaves its success event."""
    kit.institutions.register(make_institution("22AB"), actor="operator")
    with pytest.raises(InvalidInput):
        kit.institutions.put_location(Brin("22AB"), sexbierum("00"), actor="operator")
    with pytest.raises(AlreadyExists):
        kit.institutions.register(make_institution("22AB"), actor="operator")
    kit.institutions.put_location(Brin("22AB"), sexbierum("01"), actor="operator")
    assert [
        ("org.institution.registered", "success", {}),
        ("org.location.saved", "failure", {"location": "22AB00"}),
        ("org.institution.registered", "failure", {}),
        ("org.location.saved", "success", {"location": "22AB01"}),
    ] == [
        (
            event.action,
            event.outcome,
            {key: value for key, value in event.details.items() if key != "reason"},
        )
        for event in audit.events
    ]
    assert ["org.location.main_as_secondary", "storage.already_exists"] == [
        event.details["reason"] for event in audit.events if event.outcome == "failure"
    ]
    assert {"operator"} == {event.actor for event in audit.events}
