"""A wrong personal field corrected through the use case that owns it, audited (PRIV-2)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.privacy.export_people import ACCOUNT, CANDIDATE, PUPIL
from tests.privacy.test_export import seed

from examkit import Examkit
from examkit.backends.memory import MemoryBackend
from examkit.errors import InvalidInput, NotPermitted
from examkit.privacy import CORRECTABLE, PersonRef
from examkit.records import Backend
from examkit.testing import ManualClock
from examkit.testing._actors import store_actor
from examkit.testing.sessions import L00, L01, START, add_candidates, make_session_kit


@pytest.fixture(params=["memory", "sqlite"])
def kit(request: pytest.FixtureRequest) -> Iterator[Examkit]:
    """A session kit with the people seeded, on memory or a real SQLite file."""
    backend: Backend
    if request.param == "memory":
        backend = MemoryBackend()
    else:
        from examkit.backends.sql import SQLBackend

        backend = SQLBackend(request.getfixturevalue("sqlite_url"), migrate=False)
    made = make_session_kit(ManualClock(START), backend=backend)
    seed(made.backend)
    store_actor(made.backend, "admin01", [("facet.administrator", [L01])])
    try:
        yield made
    finally:
        made.close()


def events(kit: Examkit, subject: str) -> list[tuple[str, str | None, str]]:
    with kit.backend.begin(readonly=True) as uow:
        found = uow.audit.list(subject=subject, limit=100).items
    return [(event.action, event.actor, event.outcome) for event in found]


@pytest.mark.req("PRIV-2")
def test_the_correctable_fields_are_an_accounts_details_and_a_candidates_names() -> None:
    """Spelled out here apart from the table: what a person may have corrected here."""
    assert {"first_name", "last_name", "email", "phone"} == set(CORRECTABLE["account"])
    assert {"first_name", "last_name"} == set(CORRECTABLE["candidate"])
    assert {} == dict(CORRECTABLE["pupil"])


@pytest.mark.req("PRIV-2")
def test_an_administrator_corrects_a_staff_members_name_through_the_user_administration(
    kit: Examkit,
) -> None:
    corrected = kit.privacy_export.correct(
        "administrator", ACCOUNT, "last_name", "Janssen", application="facet"
    )
    assert ("last_name", "Janssen", "roles.user.edited") == (
        corrected.field,
        corrected.value,
        corrected.by,
    )
    with kit.backend.begin(readonly=True) as uow:
        assert "Janssen" == uow.accounts.get(ACCOUNT.id).last_name
    assert ("roles.user.edited", "administrator", "success") in events(kit, ACCOUNT.label)


@pytest.mark.req("PRIV-2")
def test_the_account_holder_corrects_their_own_phone_through_the_profile(kit: Examkit) -> None:
    corrected = kit.privacy_export.correct(
        ACCOUNT.id, ACCOUNT, "phone", "0698765432", ip="192.0.2.1"
    )
    assert "auth.profile.updated" == corrected.by
    with kit.backend.begin(readonly=True) as uow:
        assert "0698765432" == uow.accounts.get(ACCOUNT.id).phone
    assert ("auth.profile.updated", ACCOUNT.id, "success") in events(kit, ACCOUNT.label)


@pytest.mark.req("PRIV-2")
def test_a_candidate_added_by_hand_has_a_name_corrected_through_the_registry(
    kit: Examkit,
) -> None:
    (added,) = add_candidates(kit, 1, location=L00)
    person = PersonRef.candidate(added.id)
    corrected = kit.privacy_export.correct("planner", person, "first_name", "Sanne")
    assert ("Sanne", "sessions.candidate.corrected") == (corrected.value, corrected.by)
    with kit.backend.begin(readonly=True) as uow:
        assert "Sanne" == uow.candidates.get(added.id).first_name
    assert ("sessions.candidate.corrected", "planner", "success") in events(kit, person.label)


@pytest.mark.req("PRIV-2")
@pytest.mark.parametrize(
    ("actor", "person", "field", "code"),
    [
        ("administrator", PUPIL, "last_name", "privacy.export.correct_at_source"),
        ("administrator", CANDIDATE, "last_name", "privacy.export.correct_at_source"),
        ("administrator", ACCOUNT, "login_name", "privacy.export.not_correctable"),
        ("administrator", ACCOUNT, "last_name", "privacy.export.application_needed"),
        (ACCOUNT.id, ACCOUNT, "email", "privacy.export.own_email"),
        (ACCOUNT.id, ACCOUNT, "phone", "privacy.export.address_needed"),
    ],
)
def test_a_field_not_correctable_here_is_refused_saying_where_and_audited(
    kit: Examkit, actor: str, person: PersonRef, field: str, code: str
) -> None:
    with kit.backend.begin(readonly=True) as uow:
        before = uow.accounts.get(ACCOUNT.id)
        candidate = uow.candidates.get(CANDIDATE.id)
    with pytest.raises(InvalidInput) as refused:
        kit.privacy_export.correct(actor, person, field, "Anders")
    assert code == refused.value.code
    assert refused.value.message("nl")
    assert refused.value.message("en")
    with kit.backend.begin(readonly=True) as uow:
        assert before == uow.accounts.get(ACCOUNT.id)
        assert candidate == uow.candidates.get(CANDIDATE.id)
    assert ("privacy.corrected", actor, "failure") in events(kit, person.label)


@pytest.mark.req("PRIV-2")
def test_the_refusal_of_a_pupil_names_the_school_administration_as_the_place_to_correct(
    kit: Examkit,
) -> None:
    with pytest.raises(InvalidInput) as refused:
        kit.privacy_export.correct("administrator", PUPIL, "last_name", "Anders")
    assert "EDEXML" in refused.value.message("nl")
    assert "import the file again" in refused.value.message("en")


@pytest.mark.req("PRIV-2")
def test_an_administrator_of_another_location_may_not_correct(kit: Examkit) -> None:
    with pytest.raises(NotPermitted):
        kit.privacy_export.correct("admin01", ACCOUNT, "last_name", "Anders", application="facet")
    with kit.backend.begin(readonly=True) as uow:
        assert "Jansen" == uow.accounts.get(ACCOUNT.id).last_name
