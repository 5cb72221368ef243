"""Erasing one person (PRIV-3): no trace left, what stays named, a second erasure changes nothing.

Every test runs on the memory backend, an SQLite file and PostgreSQL, through
``kit.privacy_erasure`` as a portal wires it (the backend's own audit store).
"""

from __future__ import annotations

import hashlib
import hmac
import sqlite3
from collections.abc import Iterator

import attrs
import pytest
from sqlalchemy import create_engine, inspect, text

from examkit import Examkit
from examkit.backends.memory import MemoryBackend
from examkit.backends.sql import SQLBackend
from examkit.correction import CorrectionGroup
from examkit.errors import ConfigurationError, LimitReached, NotPermitted
from examkit.permissions import Authorization, Grant
from examkit.privacy import PersonRef, PrivacySettings, find_person
from examkit.records import RECORDS, Backend, RecordsUnit
from examkit.storage import AUDIT, COUNTERS, SEQUENCES, TOKENS
from examkit.testing import ManualClock
from examkit.testing.conformance import make_browser, make_link, make_transaction
from examkit.testing.correction import corrected_group, make_correction_kit
from examkit.testing.sessions import L00, L01, START, add_candidates, add_operator

pytestmark = pytest.mark.req("PRIV-3")

KEY = b"pseudonym-key-of-the-test-portal"
PRIVACY = PrivacySettings(pseudonym_key=KEY, pseudonym_key_id="k7")

SECRET_NAME = ("Zebulon", "Quackenbush")
EMAIL = "zebulon.quackenbush@school.nl"
LOGIN = "22AB.quackenbush.x"


DOMAIN = [record for record in RECORDS if record not in (COUNTERS, TOKENS, SEQUENCES, AUDIT)]
"""The domain's records (the capabilities' own are the backend's business)."""


def _unit(uow: object) -> RecordsUnit:
    assert isinstance(uow, RecordsUnit)
    return uow


def expected_pseudonym(label: str) -> str:
    """The pseudonym as PRIV-3 defines it, computed here on its own: HMAC-SHA256 of the label."""
    return "pseudonym:k7:" + hmac.new(KEY, label.encode(), hashlib.sha256).hexdigest()


@attrs.frozen
class World:
    """A kit on one backend, and how to read every stored byte of it."""

    kit: Examkit
    name: str
    url: str | None

    def stored_text(self) -> str:
        """Everything the backend holds, as text (a file's bytes, a database's live rows)."""
        if self.name == "sqlite":
            assert self.url is not None
            path = self.url.removeprefix("sqlite:///")
            self.kit.backend.close()
            with sqlite3.connect(path) as checkpoint:
                checkpoint.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            vacuum = sqlite3.connect(path, isolation_level=None)
            vacuum.execute("VACUUM")
            vacuum.close()
            with open(path, "rb") as file:
                return file.read().decode("utf-8", "replace")
        if self.name == "postgres":
            assert self.url is not None
            engine = create_engine(self.url.replace("postgresql://", "postgresql+psycopg://", 1))
            try:
                with engine.connect() as db:
                    rows = [
                        str(row[0])
                        for table in inspect(db).get_table_names()
                        for row in db.execute(text(f'SELECT t::text FROM "{table}" t'))  # noqa: S608
                    ]
            finally:
                engine.dispose()
            return "\n".join(rows)
        with self.kit.backend.begin(readonly=True) as uow:
            rows = [
                repr(item)
                for record in DOMAIN
                for item in _unit(uow).transaction.find(record, where={})
            ]
            rows.extend(repr(event) for event in uow.audit.list(limit=1000).items)
        return "\n".join(rows)


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def world(request: pytest.FixtureRequest) -> Iterator[World]:
    url: str | None = None
    backend: Backend
    if request.param == "memory":
        backend = MemoryBackend()
    else:
        url = request.getfixturevalue(f"{request.param}_url")
        backend = SQLBackend(url, migrate=False)
    kit = make_correction_kit(ManualClock(START), backend=backend, privacy=PRIVACY)
    add_operator(kit)
    try:
        yield World(kit, request.param, url)
    finally:
        kit.backend.close()


def add_staff_member(kit: Examkit) -> str:
    """Add an account through the administrator's use case: mail, tokens, audit, a session."""
    account = kit.users.add_user(
        "administrator",
        application="facet",
        at=L00,
        login_name=LOGIN,
        first_name=SECRET_NAME[0],
        last_name=SECRET_NAME[1],
        email=EMAIL,
    )
    kit.web_sessions.start(account.id)
    with kit.backend.begin() as uow:  # a sign-in under way, a trusted browser, a federated link
        uow.signins.add(make_transaction("t" * 64, account.id))
        uow.trusted_browsers.add(make_browser("b" * 64, account.id))
        uow.federated_links.add(make_link("sub:" + "f" * 64, account.id))
        uow.commit()
    return account.id


def test_an_account_erased_leaves_no_trace_of_its_identifying_values(world: World) -> None:
    """Names, e-mail and login name are gone from every stored byte; the trail keeps its events."""
    kit = world.kit
    account = add_staff_member(kit)
    with kit.backend.begin(readonly=True) as uow:
        events_before = len(uow.audit.list(limit=1000).items)
    if world.name == "memory":  # the file-backed readers close the backend
        assert EMAIL in world.stored_text()

    report = kit.privacy_erasure.erase("operator", PersonRef.account(account))

    for record in ("accounts", "web_sessions", "signins", "trusted_browsers", "federated_links"):
        assert report.erased[record] == 1, record
    assert report.audit_events >= 1
    assert report.pseudonym == expected_pseudonym(f"account:{account}")
    with kit.backend.begin(readonly=True) as uow:
        events = uow.audit.list(limit=1000).items
        assert find_person(_unit(uow), PersonRef.account(account)).keys() <= {"audit_events"}
    assert len(events) == events_before + 1  # kept, and the erasure's own event
    erased_event = events[-1]
    assert (erased_event.action, erased_event.subject) == (
        "privacy.person.erased",
        report.pseudonym,
    )
    assert report.pseudonym in {event.subject for event in events[:-1]}
    stored = world.stored_text()
    for value in (*SECRET_NAME, EMAIL, LOGIN, account):
        assert value not in stored, value


def test_a_second_erasure_changes_nothing_and_says_so(world: World) -> None:
    """Erased once, the person is found nowhere: the second report changed nothing."""
    kit = world.kit
    account = add_staff_member(kit)
    first = kit.privacy_erasure.erase("operator", PersonRef.account(account))
    with kit.backend.begin(readonly=True) as uow:
        before = [(record.name, _unit(uow).transaction.find(record, where={})) for record in DOMAIN]
        trail = uow.audit.list(limit=1000).items
    second = kit.privacy_erasure.erase("operator", PersonRef.account(account))
    assert first.changed
    assert not second.changed
    assert (second.erased, second.stripped, second.audit_events) == ({}, {}, 0)
    assert second.pseudonym == first.pseudonym
    with kit.backend.begin(readonly=True) as uow:
        after = [(record.name, _unit(uow).transaction.find(record, where={})) for record in DOMAIN]
        trail_after = uow.audit.list(limit=1000).items
    assert after == before
    assert trail_after[:-1] == trail
    assert dict(trail_after[-1].details)["changed"] == "no"


def test_an_accounts_blocked_sign_ins_name_it_no_more(world: World) -> None:
    """Tried until blocked: the trail's ``login:<name>`` events and the counted tries go too."""
    kit, folded, address = world.kit, LOGIN.casefold(), "198.51.100.9"
    account = add_staff_member(kit)
    for _ in range(kit.staff_sign_in.rules.max_failures):
        with pytest.raises(NotPermitted):
            kit.staff_sign_in.submit_credentials(LOGIN, "Verkeerd-wachtwoord-1", ip=address)
    with pytest.raises(LimitReached):  # blocked: audited under the name as it was typed
        kit.staff_sign_in.submit_credentials(LOGIN, "Verkeerd-wachtwoord-1", ip=address)
    with kit.backend.begin(readonly=True) as uow:
        assert f"login:{folded}" in {event.subject for event in uow.audit.list(limit=1000).items}

    report = kit.privacy_erasure.erase("operator", PersonRef.account(account))

    with kit.backend.begin(readonly=True) as uow:
        trail = uow.audit.list(limit=1000).items
        tries = uow.counters.peek("auth.sign_in", folded, now=kit.clock.now(), limit=1)
    assert tries.count == 0
    assert report.pseudonym in {event.actor for event in trail}
    assert not [event for event in trail if folded in repr(event) or address in repr(event)]
    assert folded not in world.stored_text()


def _close_correction(kit: Examkit, group: str) -> None:
    """Set the group's result (its correction closed) at the clock's time."""
    with kit.backend.begin() as uow:
        session = uow.session_groups.get(group)
        found = uow.correction_groups.get_many([group]).get(group)
        closed = kit.clock.now()
        if found is None:
            uow.correction_groups.add(
                CorrectionGroup(
                    group=group,
                    location=session.location,
                    exam=session.exam,
                    items=(),
                    first="corrector",
                    closed_at=closed,
                    closed_by="planner",
                )
            )
        else:
            uow.correction_groups.update(attrs.evolve(found, closed_at=closed, closed_by="planner"))
        uow.commit()


def test_exam_work_under_retention_stays_and_the_answer_names_it(world: World) -> None:
    """Exam work stays six months after the result is set; then the candidate goes."""
    kit = world.kit
    assert isinstance(kit.clock, ManualClock)
    group, people = corrected_group(kit, 2)
    person = PersonRef.candidate(people[0].id)

    pending = kit.privacy_erasure.erase("administrator", person)
    kept = {k.record: k for k in pending.kept}
    assert {"candidates", "test_attempts", "session_groups"} <= set(kept)
    assert kept["test_attempts"].term == "exam_work"
    assert kept["test_attempts"].until is None  # the result is not set yet
    assert "art. 57" in kept["test_attempts"].source
    assert "candidates" not in pending.erased

    _close_correction(kit, group)
    result_set = kit.clock.now()
    kit.clock.advance(days=183 - 1)  # within six months
    within = kit.privacy_erasure.erase("administrator", person)
    until = {k.record: k.until for k in within.kept}["test_attempts"]
    assert until is not None
    assert result_set.month == 5
    assert until == result_set.replace(month=11)  # May + six months (Examenbesluit VO art. 57)
    assert not within.erased

    kit.clock.advance(days=2)  # past the six months
    after = kit.privacy_erasure.erase("administrator", person)
    assert after.erased["candidates"] == 1
    assert after.erased["test_attempts"] == 1
    assert after.stripped["session_groups"] == 1
    with kit.backend.begin(readonly=True) as uow:
        left = uow.session_groups.get(group)
        assert left.candidates == (people[1].id,)  # the group keeps its other candidate
        assert uow.candidates.get_many([people[0].id]) == {}
        assert find_person(_unit(uow), person).keys() <= {"audit_events", "correction_groups"}
    stored = world.stored_text()
    assert people[0].login_name not in stored
    assert people[1].login_name in stored


def test_a_candidate_without_exam_work_goes_at_once(world: World) -> None:
    """A candidate who never sat a test is erased at once, names and login name gone."""
    kit = world.kit
    person = add_candidates(kit, 1)[0]
    report = kit.privacy_erasure.erase("administrator", PersonRef.candidate(person.id))
    assert report.erased == {"candidates": 1}
    assert report.kept == ()
    assert person.login_name not in world.stored_text()


def test_who_may_erase(world: World) -> None:
    """The administrator erases their location's candidates; the operator accounts; no one else."""
    kit = world.kit
    person = add_candidates(kit, 1)[0]
    ref = PersonRef.candidate(person.id)
    with pytest.raises(NotPermitted):
        kit.privacy_erasure.erase("planner", ref)
    with pytest.raises(NotPermitted):
        kit.privacy_erasure.erase("administrator", PersonRef.account("corrector2"))
    with pytest.raises(NotPermitted):
        kit.privacy_erasure.erase("operator", ref)
    with kit.backend.begin() as uow:  # an administrator of the other location only
        uow.authorizations.update(
            Authorization(
                account="elsewhere",
                grants=[Grant.of("facet.administrator", [L01], granted_at=START)],
                version=uow.authorizations.get("elsewhere").version,
            )
        )
        uow.commit()
    with pytest.raises(NotPermitted):
        kit.privacy_erasure.erase("elsewhere", ref)
    with kit.backend.begin(readonly=True) as uow:
        assert uow.candidates.get(person.id) == person
        refusals = [e for e in uow.audit.list(limit=1000).items if e.outcome == "denied"]
    assert {e.subject for e in refusals} == {
        expected_pseudonym(ref.label),
        expected_pseudonym("account:corrector2"),
    }
    assert kit.privacy_erasure.erase("administrator", ref).erased == {"candidates": 1}
    # once nothing is stored, any school administrator learns only that: nothing changes
    assert not kit.privacy_erasure.erase("elsewhere", ref).changed
    with pytest.raises(NotPermitted):  # a Flemish school's pupil: not a Dutch administrator's
        kit.privacy_erasure.erase("administrator", PersonRef.pupil("012345", "P1"))


def test_without_a_pseudonym_key_nothing_is_erased() -> None:
    """No key, no erasure: a clear configuration error, and everything stays."""
    kit = make_correction_kit(ManualClock(START))
    add_operator(kit)
    person = add_candidates(kit, 1)[0]
    with pytest.raises(ConfigurationError) as refused:
        kit.privacy_erasure.erase("administrator", PersonRef.candidate(person.id))
    assert refused.value.code == "privacy.erasure.no_key"
    with kit.backend.begin(readonly=True) as uow:
        assert uow.candidates.get(person.id) == person


def test_the_pseudonym_is_stable_and_keyed() -> None:
    """The same person maps to the same pseudonym under one key, to another under another."""
    from examkit.privacy import pseudonym_of

    person = PersonRef.pupil("22AB00", "P0042")
    assert pseudonym_of(person, PRIVACY) == expected_pseudonym("pupil:22AB00/P0042")
    assert pseudonym_of(person, PRIVACY) == pseudonym_of(person, PRIVACY)
    other = PrivacySettings(
        pseudonym_key=b"another-key-of-at-least-32-bytes", pseudonym_key_id="k7"
    )
    assert pseudonym_of(person, other) != pseudonym_of(person, PRIVACY)


def test_a_pupil_goes_with_every_year_and_the_candidates_made_from_them(world: World) -> None:
    """Every school year's pupil record and each candidate made from the pupil are erased."""
    from examkit.identifiers import SchoolYear
    from examkit.testing.conformance import make_pupil

    kit = world.kit
    person = add_candidates(kit, 1)[0]
    with kit.backend.begin() as uow:
        uow.pupils.add(make_pupil("P7777"))
        uow.pupils.add(make_pupil("P7777", school_year=SchoolYear("2025-2026")))
        uow.pupils.add(make_pupil("P8888"))
        uow.candidates.update(attrs.evolve(person, pupil_key="P7777"))
        uow.commit()
    report = kit.privacy_erasure.erase("administrator", PersonRef.pupil(str(L00), "P7777"))
    assert report.erased == {"candidates": 1, "pupils": 2}
    assert report.pseudonym == expected_pseudonym("pupil:22AB00/P7777")
    stored = world.stored_text()
    assert "ketenid.nl/201703/P7777" not in stored
    assert "ketenid.nl/201703/P8888" in stored  # another pupil stays
    assert person.login_name not in stored
