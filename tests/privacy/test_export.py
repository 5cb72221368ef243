"""A person's data exported on every backend, refused to who may not, and the read log (PRIV-2).

One account, one pupil with the candidate made from it, and a Flemish pupil
are seeded into every record kind that can hold a person (tests/privacy/export_people.py);
the export of each must find them in every kind that refers to them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta

import pytest
from tests.privacy.export_people import (
    ACCOUNT,
    CANDIDATE,
    EMAIL,
    EVENTS,
    FLEMISH_PUPIL,
    PUPIL,
    SCHOOL,
    SEEDS,
)

from examkit import Examkit
from examkit.backends.memory import MemoryBackend
from examkit.errors import NotPermitted
from examkit.privacy import PERSON_LINKS, PersonRef, find_person
from examkit.records import RECORDS, Backend
from examkit.storage import StoredUnit
from examkit.testing import ManualClock
from examkit.testing._actors import store_actor
from examkit.testing.sessions import L01, START, make_session_kit

BY_NAME = {record.name: record for record in RECORDS}


def seed(backend: Backend) -> None:
    """Store every seed record and the audit events, in one unit of work."""
    with backend.begin() as uow:
        assert isinstance(uow, StoredUnit)
        for name, make in SEEDS.items():
            made = make()
            uow.transaction.insert(BY_NAME[name], made if isinstance(made, tuple) else (made,))
        for event in EVENTS:
            uow.audit.append(event)
        uow.commit()


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def kit(request: pytest.FixtureRequest) -> Iterator[Examkit]:
    """A session kit with the people seeded, on memory, an SQLite file or PostgreSQL."""
    backend: Backend
    if request.param == "memory":
        backend = MemoryBackend()
    else:
        from examkit.backends.sql import SQLBackend

        url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")
        backend = SQLBackend(url, migrate=False)
    made = make_session_kit(ManualClock(START), backend=backend)
    seed(made.backend)
    store_actor(made.backend, "admin01", [("facet.administrator", [L01])])
    store_actor(
        made.backend,
        "coordinator",
        [("vlaamse_toetsen.test_coordinator", [SCHOOL])],
        institutions=(),
    )
    try:
        yield made
    finally:
        made.close()


def holding(*kinds: str) -> set[str]:
    """The record kinds whose links name one of *kinds* of person."""
    return {
        name
        for name, links in PERSON_LINKS.items()
        if isinstance(links, tuple) and any(link.kind in kinds for link in links)
    }


@pytest.mark.req("PRIV-2")
def test_the_seeds_fill_every_record_kind_that_can_hold_a_person() -> None:
    """A record kind that can hold a person and has no seed fails here (and so is tested)."""
    assert sorted(holding("account", "candidate", "pupil") - {"audit_events"}) == sorted(SEEDS)


@pytest.mark.req("PRIV-2")
@pytest.mark.parametrize(
    ("person", "expected"),
    [
        (ACCOUNT, holding("account")),
        (CANDIDATE, holding("candidate")),
        (PUPIL, holding("pupil", "candidate") - {"flemish_registrations"}),
        (FLEMISH_PUPIL, {"flemish_registrations", "audit_events"}),
    ],
    ids=["account", "candidate", "pupil", "flemish-pupil"],
)
def test_the_export_finds_the_person_in_every_record_that_holds_them(
    kit: Examkit, person: PersonRef, expected: set[str]
) -> None:
    """Each kind seeded with the person is in the export, with that record; nothing else."""
    actor = "coordinator" if person is FLEMISH_PUPIL else "administrator"
    exported = kit.privacy_export.export(actor, person)
    assert sorted(expected) == sorted(exported.records)
    document = json.loads(exported.json())
    assert ("examkit-person-export", 1) == (document["format"], document["version"])
    assert person.label == document["person"]["label"]
    assert sorted(expected) == sorted(document["records"])
    assert all(len(items) >= 1 for items in document["records"].values())


@pytest.mark.req("PRIV-2")
def test_the_export_lists_secrets_as_present_and_never_gives_them(kit: Examkit) -> None:
    text = kit.privacy_export.export("administrator", ACCOUNT).json()
    document = json.loads(text)
    secrets = ("sealed-secret", "n" * 24, "w" * 64, "s" * 43, "t" * 43, "d" * 64, "hash-secret")
    for secret in secrets:
        assert secret not in text
    assert {"withheld": True} == document["records"]["outbox"][0]["sealed"]
    assert {"withheld": True} == document["records"]["web_sessions"][0]["id"]
    assert None is document["records"]["accounts"][0]["password"]
    assert ["password", "password_history"] == document["withheld"]["accounts"]
    assert EMAIL in text
    assert "single_use_tokens" in document["not_listed"]
    pupil = kit.privacy_export.export("administrator", PUPIL).json()
    assert "ABC123" not in pupil  # the group's access code


@pytest.mark.req("PRIV-2")
def test_a_pupils_export_takes_in_the_candidate_made_from_it(kit: Examkit) -> None:
    records = kit.privacy_export.export("administrator", PUPIL).records
    assert ["c-priv-1"] == [item["id"] for item in records["candidates"]]
    assert ["LL-4242"] == [item["pupil"]["key"] for item in records["pupils"]]
    assert {"candidate:c-priv-1", PUPIL.label} == {e["subject"] for e in records["audit_events"]}


@pytest.mark.req("PRIV-2")
@pytest.mark.parametrize(
    ("actor", "person"),
    [
        ("planner", PUPIL),  # no privacy action at the location
        ("admin01", PUPIL),  # an administrator of another location
        ("admin01", ACCOUNT),
        ("coordinator", PUPIL),  # a Flemish school's coordinator
        ("administrator", FLEMISH_PUPIL),
        ("proctor", ACCOUNT),  # one staff member about another
        ("nobody-at-all", CANDIDATE),
    ],
)
def test_someone_who_may_not_is_refused_and_nothing_is_written(
    kit: Examkit, actor: str, person: PersonRef
) -> None:
    with kit.backend.begin(readonly=True) as uow:
        before = uow.audit.list(limit=500).items
    with pytest.raises(NotPermitted) as refused:
        kit.privacy_export.export(actor, person)
    assert "permission.denied" == refused.value.code
    with kit.backend.begin(readonly=True) as uow:
        after = uow.audit.list(limit=500).items
    assert [("privacy.exported", "denied", person.label)] == [
        (event.action, event.outcome, event.subject) for event in after if event not in before
    ]


@pytest.mark.req("PRIV-2")
def test_the_account_holder_exports_their_own_data_and_the_operator_anyones(
    kit: Examkit,
) -> None:
    from examkit.testing.sessions import add_operator

    own = kit.privacy_export.export(ACCOUNT.id, ACCOUNT)
    assert "accounts" in own.records
    add_operator(kit)
    assert "pupils" in kit.privacy_export.export("operator", PUPIL).records
    assert "flemish_registrations" in kit.privacy_export.export("operator", FLEMISH_PUPIL).records


@pytest.mark.req("PRIV-2")
def test_the_export_is_audited_and_noted_as_a_read_in_its_unit(kit: Examkit) -> None:
    exported = kit.privacy_export.export("administrator", PUPIL)
    with kit.backend.begin(readonly=True) as uow:
        events = uow.audit.list(subject=PUPIL.label, limit=50).items
    assert [("privacy.read", "administrator"), ("privacy.exported", "administrator")] == [
        (event.action, event.actor) for event in events if event.action.startswith("privacy.")
    ]
    read = next(event for event in events if event.action == "privacy.read")
    assert {"what": "export", "location": "22AB00"} == dict(read.details)
    assert exported.exported_at == read.at


@pytest.mark.req("PRIV-2")
def test_the_pdf_prints_the_export(kit: Examkit) -> None:
    exported = kit.privacy_export.export("administrator", ACCOUNT)
    pdf = exported.pdf()
    assert b"%PDF-" == pdf[:5]
    assert pdf == exported.pdf()


@pytest.mark.req("PRIV-2")
def test_find_person_reads_in_a_reading_unit(kit: Examkit) -> None:
    with kit.backend.begin(readonly=True) as uow:
        assert isinstance(uow, StoredUnit)
        found = find_person(uow, CANDIDATE)
    assert ["c-priv-1"] == [item.id for item in found["candidates"]]
    assert all(items for items in found.values())


@pytest.mark.req("PRIV-2")
def test_a_person_stored_nowhere_exports_empty_for_the_operator(kit: Examkit) -> None:
    from examkit.testing.sessions import add_operator

    add_operator(kit)
    kit.clock.advance(timedelta(seconds=1))  # type: ignore[attr-defined]
    exported = kit.privacy_export.export("operator", PersonRef.candidate("c-unknown"))
    assert {} == dict(exported.records)
