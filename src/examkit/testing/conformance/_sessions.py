"""Conformance: the test-session repositories (tests, candidates, groups, attempts)."""

from __future__ import annotations

from datetime import date, timedelta

import attrs
import pytest

from examkit.errors import AlreadyExists, ConcurrentModification, NotFound
from examkit.flemish import (
    FlemishRegistration,
    Logbook,
    PupilRegistration,
    RegistrationWindow,
    TestMoment,
)
from examkit.identifiers import Instellingsnummer, LocationCode, SchoolYear
from examkit.records import Backend
from examkit.scheduling import (
    Attempt,
    AttemptState,
    Candidate,
    Exam,
    Facilities,
    GroupState,
    Incident,
    ItemSlot,
    Mode,
    OfflineServer,
    RecordedResponse,
    SavedResponse,
    Scoring,
    ServerState,
    TestSessionGroup,
    TransitionRecord,
    page_of,
    page_sequence,
)
from examkit.testing.conformance._support import NOW, BackendFixtures

L00, L01 = LocationCode("22AB00"), LocationCode("22AB01")


def make_exam(code: str = "NE-GL-2026") -> Exam:
    """Return a test of three items, one scored by correctors."""
    return Exam(
        code=code,
        title="Nederlands",
        subject="Nederlands",
        duration=timedelta(minutes=120),
        items=[ItemSlot("q1", 1), ItemSlot("q2", 2), ItemSlot("q3", 3, Scoring.CORRECTOR)],
    )


def make_candidate(n: int, location: LocationCode = L00) -> Candidate:
    """Return candidate ``c-<n>`` with login name ``KAND<n>``."""
    return Candidate(
        id=f"c-{n}",
        location=location,
        login_name=f"KAND{n:04d}",
        first_name="Sanne",
        last_name=f"de Vries {n}",
        facilities=Facilities(extra_time_minutes=n % 31, read_aloud=n % 2 == 0),
    )


def make_group(
    group_id: str, *candidates: str, hours: int = 0, proctor: str = "p"
) -> TestSessionGroup:
    """Return an online group of *candidates* starting *hours* after :data:`NOW`."""
    return TestSessionGroup(
        id=group_id,
        location=L00,
        exam="NE-GL-2026",
        mode=Mode.ONLINE,
        starts_at=NOW + timedelta(hours=hours),
        duration=timedelta(minutes=120),
        room="Aula",
        proctor=proctor,
        candidates=candidates,
    )


class SessionRepositoriesContract(BackendFixtures):
    """``uow.exams``, ``uow.candidates``, ``uow.session_groups`` and ``uow.test_attempts``."""

    def test_an_exam_round_trips_and_lists_by_code(self, backend: Backend) -> None:
        """Every field comes back equal; listing is by code, paged."""
        with backend.begin() as uow:
            uow.exams.add(make_exam("B"))
            stored = uow.exams.add(make_exam("A"))
            uow.commit()
        assert stored.version == 1
        with backend.begin(readonly=True) as uow:
            assert uow.exams.get("A") == make_exam("A")
            first = uow.exams.list(limit=1)
            second = uow.exams.list(after=first.next_after, limit=1)
        assert [e.code for e in first.items + second.items] == ["A", "B"]
        with backend.begin() as uow, pytest.raises(AlreadyExists):
            uow.exams.add(make_exam("A"))

    def test_candidates_have_unique_login_names(self, backend: Backend) -> None:
        """A second candidate with a taken login name is refused, in add and add_many."""
        with backend.begin() as uow:
            uow.candidates.add_many([make_candidate(1), make_candidate(2, L01)])
            uow.commit()
        clash = attrs.evolve(make_candidate(3), login_name="KAND0001")
        with backend.begin() as uow, pytest.raises(AlreadyExists):
            uow.candidates.add(clash)
        with backend.begin() as uow, pytest.raises(AlreadyExists):
            uow.candidates.add_many([make_candidate(4), clash])
        with backend.begin(readonly=True) as uow:
            assert uow.candidates.get_by_login_name("KAND0002") == make_candidate(2, L01)
            assert [c.id for c in uow.candidates.list().items] == ["c-1", "c-2"]
            assert [c.id for c in uow.candidates.list(location=L01).items] == ["c-2"]
            with pytest.raises(NotFound):
                uow.candidates.get_by_login_name("KAND0004")

    def test_a_group_round_trips_with_its_log_and_report(self, backend: Backend) -> None:
        """State, access code, transition log and report come back equal."""
        group = attrs.evolve(
            make_group("g-1", "c-1", "c-2"),
            state=GroupState.RELEASED,
            access_code="ACDE-FG34",
            log=[
                TransitionRecord(
                    event="release",
                    source=GroupState.PLANNED,
                    target=GroupState.RELEASED,
                    actor="p",
                    role="facet.proctor",
                    at=NOW,
                )
            ],
            report=attrs.evolve(
                make_group("x").report,
                incidents=[Incident(at=NOW, text="Te laat", candidate="c-1")],
                completed=True,
            ),
        )
        with backend.begin() as uow:
            uow.session_groups.add(group)
            uow.commit()
        with backend.begin(readonly=True) as uow:
            found = uow.session_groups.get("g-1")
        assert found == group
        assert found.version == 1

    def test_groups_list_by_start_and_filter_and_by_candidate(self, backend: Backend) -> None:
        """Listings are by start then id; a candidate's groups follow membership changes."""
        with backend.begin() as uow:
            uow.session_groups.add(make_group("g-2", "c-1", hours=2, proctor="q"))
            uow.session_groups.add(make_group("g-1", "c-1", "c-2"))
            uow.session_groups.add(make_group("g-3", "c-2", hours=30))
            uow.commit()
        day = make_group("x").day
        with backend.begin(readonly=True) as uow:
            assert [g.id for g in uow.session_groups.list().items] == ["g-1", "g-2", "g-3"]
            assert [g.id for g in uow.session_groups.list(proctor="p", day=day).items] == ["g-1"]
            assert [g.id for g in uow.session_groups.list(location=L01).items] == []
            page = uow.session_groups.list(limit=2)
            rest = uow.session_groups.list(after=page.next_after, limit=2)
            assert [g.id for g in rest.items] == ["g-3"]
            assert [g.id for g in uow.session_groups.list_for_candidate("c-2")] == ["g-1", "g-3"]
            stored = uow.session_groups.get("g-1")
        with backend.begin() as uow:
            uow.session_groups.update(attrs.evolve(stored, candidates=["c-1"]))
            uow.commit()
        with backend.begin() as uow:
            assert [g.id for g in uow.session_groups.list_for_candidate("c-2")] == ["g-3"]
            with pytest.raises(ConcurrentModification):
                uow.session_groups.update(attrs.evolve(stored, room="Lokaal 2"))

    def test_attempts_round_trip_with_responses_and_list(self, backend: Backend) -> None:
        """Responses stored as given come back equal; listings by group and by candidate."""
        attempt = Attempt(
            group="g-1",
            candidate="c-1",
            exam="NE-GL-2026",
            login_name="KAND0001",
            extra_time_minutes=30,
        )
        with backend.begin() as uow:
            uow.test_attempts.add_many(
                [
                    attempt,
                    attrs.evolve(attempt, candidate="c-2", login_name="KAND0002"),
                    attrs.evolve(attempt, group="g-0"),
                ]
            )
            uow.commit()
        answered = attrs.evolve(
            attempt,
            state=AttemptState.IN_PROGRESS,
            started_at=NOW,
            deadline=NOW + timedelta(minutes=150),
            last_sequence=2,
            responses={
                "q1": SavedResponse(value={"choice": ["A", "C"]}, sequence=1, saved_at=NOW),
                "q3": SavedResponse(value="Een open antwoord — met ë", sequence=2, saved_at=NOW),
            },
            version=1,
        )
        with backend.begin() as uow:
            assert uow.test_attempts.update(answered).version == 2
            uow.commit()
        with backend.begin(readonly=True) as uow:
            assert uow.test_attempts.get("g-1:c-1") == answered
            assert [a.candidate for a in uow.test_attempts.list_for_group("g-1")] == ["c-1", "c-2"]
            assert [a.group for a in uow.test_attempts.list_for_candidate("c-1")] == ["g-0", "g-1"]
        with backend.begin() as uow, pytest.raises(ConcurrentModification):
            uow.test_attempts.update(answered)

    def test_a_response_is_recorded_in_one_step_only_when_the_attempt_takes_it(
        self, backend: Backend
    ) -> None:
        """``record_response``: in progress, newer, before the deadline; else nothing changes."""
        deadline = NOW + timedelta(minutes=150)
        running = Attempt(
            group="g-1",
            candidate="c-1",
            exam="NE-GL-2026",
            login_name="KAND0001",
            state=AttemptState.IN_PROGRESS,
            started_at=NOW,
            deadline=deadline,
        )
        with backend.begin() as uow:
            uow.test_attempts.add_many([running])
            uow.commit()

        def save(item: str, sequence: int, minutes: float = 0, key: str = "g-1:c-1") -> object:
            at = NOW + timedelta(minutes=minutes)
            response = SavedResponse(value={"choice": [sequence]}, sequence=sequence, saved_at=at)
            with backend.begin() as uow:
                recorded = uow.test_attempts.record_response(key, item, response, now=at)
                uow.commit()
            return recorded

        assert save("q1", 1) == RecordedResponse(version=2, deadline=deadline)
        assert save("q2", 3, minutes=5) == RecordedResponse(3, deadline)
        assert save('q"3', 4, minutes=6) == RecordedResponse(4, deadline)
        assert save("q1", 2) is None  # older than the last accepted
        assert save("q1", 4) is None  # a resend
        assert save("q1", 5, minutes=150) is None  # the deadline has passed
        assert save("q1", 5, key="g-1:c-9") is None  # no such attempt
        with backend.begin() as uow:
            response = SavedResponse(value="weg", sequence=9, saved_at=NOW)
            assert uow.test_attempts.record_response("g-1:c-1", "q1", response, now=NOW)
            uow.rollback()
        with backend.begin(readonly=True) as uow:
            stored = uow.test_attempts.get("g-1:c-1")
        assert (stored.version, stored.last_sequence) == (4, 4)
        assert {
            item: (saved.value, saved.sequence) for item, saved in stored.responses.items()
        } == {
            "q1": ({"choice": [1]}, 1),
            "q2": ({"choice": [3]}, 3),
            'q"3': ({"choice": [4]}, 4),
        }
        assert NOW + timedelta(minutes=5) == stored.responses["q2"].saved_at
        assert NOW + timedelta(minutes=6) == stored.last_contact  # a save is a contact
        assert attrs.evolve(stored, responses={}, last_sequence=0, last_contact=None) == running
        with backend.begin() as uow:
            uow.test_attempts.update(attrs.evolve(stored, state=AttemptState.SUBMITTED))
            uow.commit()
        assert save("q1", 5) is None  # handed in: an ordinary update keeps what a save checks
        with backend.begin() as uow:
            reopened = attrs.evolve(
                uow.test_attempts.get("g-1:c-1"),
                state=AttemptState.IN_PROGRESS,
                deadline=deadline + timedelta(hours=1),
            )
            uow.test_attempts.update(reopened)
            uow.commit()
        assert save("q1", 5, minutes=150) == RecordedResponse(7, deadline + timedelta(hours=1))

    def test_an_attempts_page_epoch_late_saves_and_last_contact_round_trip(
        self, backend: Backend
    ) -> None:
        """The exam day's counters come back equal, and a save keeps them but the contact."""
        deadline = NOW + timedelta(minutes=150)
        counted = Attempt(
            group="g-1",
            candidate="c-1",
            exam="NE-GL-2026",
            login_name="KAND0001",
            state=AttemptState.IN_PROGRESS,
            started_at=NOW,
            deadline=deadline,
            late_saves=3,
            last_contact=NOW + timedelta(seconds=5),
            page_epoch=7,
            last_sequence=page_sequence(6, 2),
        )
        with backend.begin() as uow:
            uow.test_attempts.add(counted)
            uow.commit()
        with backend.begin(readonly=True) as uow:
            assert uow.test_attempts.get("g-1:c-1") == counted
        at = NOW + timedelta(minutes=1)
        response = SavedResponse(value="B", sequence=page_sequence(7, 1), saved_at=at)
        with backend.begin() as uow:
            assert uow.test_attempts.record_response("g-1:c-1", "q1", response, now=at)
            uow.commit()
        with backend.begin(readonly=True) as uow:
            saved = uow.test_attempts.get("g-1:c-1")
        assert (saved.late_saves, saved.page_epoch, saved.last_contact) == (3, 7, at)
        assert page_of(saved.last_sequence) == (7, 1)

    def test_offline_servers_round_trip_and_list_by_location(self, backend: Backend) -> None:
        """Servers come back equal, listed by id per location; removal by version."""
        servers = [
            OfflineServer(
                id=f"fao-{n}", location=L00 if n < 2 else L01, name="FAO", address=f"10.0.0.{n}"
            )
            for n in range(3)
        ]
        with backend.begin() as uow:
            uow.offline_servers.add_many(servers)
            uow.commit()
        with backend.begin() as uow:
            listed = uow.offline_servers.list(location=L00).items
            assert [s.id for s in listed] == ["fao-0", "fao-1"]
            found = uow.offline_servers.get("fao-2")
            assert found == servers[2]
            active = uow.offline_servers.update(attrs.evolve(found, state=ServerState.ACTIVE))
            with pytest.raises(ConcurrentModification):
                uow.offline_servers.remove("fao-2", version=1)
            uow.offline_servers.remove("fao-2", version=active.version)
            uow.commit()
        with backend.begin(readonly=True) as uow, pytest.raises(NotFound):
            uow.offline_servers.get("fao-2")

    def test_a_flemish_registration_round_trips(self, backend: Backend) -> None:
        """Window, moments, pupils, groups and logbooks come back equal."""
        registration = FlemishRegistration(
            school=Instellingsnummer("012345"),
            school_year=SchoolYear("2024-2025"),
            window=RegistrationWindow(date(2025, 1, 6), date(2025, 2, 28)),
            parents_deadline=date(2025, 2, 21),
            moments=[TestMoment("NED-2025", "nederlands", date(2025, 5, 20))],
            pupils=[
                PupilRegistration(
                    "p1",
                    "Arne Maes",
                    exempt_maths=True,
                    exemption_reason="OKAN",
                    questionnaire_requested_on=date(2025, 2, 20),
                    accommodations=["voorleessoftware"],
                    group="6A",
                )
            ],
            groups=["6A"],
            validated_at=NOW,
            validated_by="coord",
            logbooks=[Logbook("NED-2025", "6A", "assist", absent=["p1"], notes="Vlot")],
        )
        with backend.begin() as uow:
            uow.flemish_registrations.add(registration)
            uow.commit()
        with backend.begin(readonly=True) as uow:
            assert uow.flemish_registrations.get("012345:2024-2025") == registration
            assert [r.id for r in uow.flemish_registrations.list().items] == ["012345:2024-2025"]
