"""Conformance: the append-only audit store."""

from __future__ import annotations

from datetime import timedelta

import pytest

from examkit.audit import AuditEvent, StoredAuditLog
from examkit.errors import InvalidInput, NotPermitted
from examkit.records import Backend
from examkit.testing.conformance._support import NOW, BackendFixtures


def event(
    minutes: float, subject: str = "account:a", actor: str | None = "beheerder"
) -> AuditEvent:
    """Return an audit event *minutes* after :data:`NOW`."""
    return AuditEvent(
        at=NOW + timedelta(minutes=minutes),
        actor=actor,
        action="auth.sign_in",
        subject=subject,
        outcome="failure",
        details={"ip": "192.0.2.1"},
    )


class AuditStoreContract(BackendFixtures):
    """``uow.audit``: append, list by time, filters, paging, rollback."""

    def test_events_come_back_in_time_order(self, backend: Backend) -> None:
        """Events list by time, then in the order they were appended."""
        appended = [event(5), event(1), event(5, subject="account:b"), event(3)]
        with backend.begin() as uow:
            for item in appended:
                uow.audit.append(item)
            uow.commit()
        with backend.begin(readonly=True) as uow:
            listed = list(uow.audit.list().items)
        assert listed == [appended[1], appended[3], appended[0], appended[2]]
        assert dict(listed[0].details) == {"ip": "192.0.2.1"}

    def test_many_events_of_one_unit_keep_their_order(self, backend: Backend) -> None:
        """A unit appending many events (more than one statement's worth) keeps them all."""
        appended = [event(1, subject=f"account:{n:03d}") for n in range(75)]
        with backend.begin() as uow:
            for item in appended:
                uow.audit.append(item)
            seen = [e.subject for e in uow.audit.list(limit=1000).items]
            uow.commit()
        with backend.begin(readonly=True) as uow:
            listed = [e.subject for e in uow.audit.list(limit=1000).items]
        assert listed == seen == [e.subject for e in appended]

    def test_filters(self, backend: Backend) -> None:
        """Subject, actor and time filters combine."""
        with backend.begin() as uow:
            uow.audit.append(event(1, subject="account:a"))
            uow.audit.append(event(2, subject="account:b"))
            uow.audit.append(event(3, subject="account:a", actor=None))
            uow.audit.append(event(4, subject="account:a"))
            uow.commit()
        with backend.begin(readonly=True) as uow:
            of_a = uow.audit.list(subject="account:a").items
            by_beheerder = uow.audit.list(subject="account:a", actor="beheerder").items
            window = uow.audit.list(
                since=NOW + timedelta(minutes=2), until=NOW + timedelta(minutes=4)
            ).items
        assert [e.at.minute for e in of_a] == [1, 3, 4]
        assert [e.at.minute for e in by_beheerder] == [1, 4]
        assert [e.at.minute for e in window] == [2, 3]

    def test_paging(self, backend: Backend) -> None:
        """Pages of the trail follow one another without gaps or repeats."""
        with backend.begin() as uow:
            for minute in range(7):
                uow.audit.append(event(minute))
            uow.commit()
        seen: list[int] = []
        after: str | None = None
        with backend.begin(readonly=True) as uow:
            while True:
                page = uow.audit.list(after=after, limit=3)
                seen.extend(e.at.minute for e in page.items)
                if page.next_after is None:
                    break
                after = page.next_after
        assert seen == list(range(7))

    def test_a_rollback_drops_appended_events(self, backend: Backend) -> None:
        """Events appended in a unit that rolls back are not kept."""
        with backend.begin() as uow:
            uow.audit.append(event(1))
        with backend.begin(readonly=True) as uow:
            assert uow.audit.list().items == ()

    def test_events_of_separate_units_accumulate(self, backend: Backend) -> None:
        """The trail only grows."""
        for minute in (1, 2):
            with backend.begin() as uow:
                uow.audit.append(event(minute))
                uow.commit()
        with backend.begin(readonly=True) as uow:
            assert len(uow.audit.list().items) == 2

    def test_page_size_is_checked(self, backend: Backend) -> None:
        """A page size out of range is refused."""
        with backend.begin(readonly=True) as uow, pytest.raises(InvalidInput):
            uow.audit.list(limit=0)

    def test_after_writing_runs_nothing_without_a_writing_unit(self, backend: Backend) -> None:
        """Outside a writing unit (or in a reading one) nothing is kept for later."""
        ran: list[str] = []
        assert not backend.after_writing(lambda: ran.append("outside"))
        with backend.begin(readonly=True):
            assert not backend.after_writing(lambda: ran.append("reading"))
        assert ran == []

    def test_after_writing_runs_once_the_unit_has_closed(self, backend: Backend) -> None:
        """What waits for a writing unit runs once, after its commit or rollback, unlocked."""
        ran: list[str] = []

        def write_alone(name: str) -> None:
            with backend.begin() as other:  # would wait the busy timeout while the unit is held
                other.audit.append(event(2, subject=f"account:{name}"))
                other.commit()
            ran.append(name)

        with backend.begin() as uow:
            assert backend.after_writing(lambda: write_alone("committed"))
            uow.audit.append(event(1))
            uow.commit()
        with backend.begin():
            assert backend.after_writing(lambda: write_alone("rolled_back"))
        assert ran == ["committed", "rolled_back"]
        assert not backend.after_writing(lambda: ran.append("later"))
        with backend.begin(readonly=True) as uow:
            subjects = [e.subject for e in uow.audit.list().items]
        assert subjects == ["account:a", "account:committed", "account:rolled_back"]

    def test_the_stored_log_audits_a_refusal_made_inside_a_unit_once(
        self, backend: Backend
    ) -> None:
        """A refusal recorded inside a writing unit is stored once, after the unit rolls back."""
        log = StoredAuditLog(backend)
        with pytest.raises(NotPermitted), backend.begin() as uow:
            uow.audit.append(event(1, subject="account:undone"))
            log.record(event(2, subject="account:refused"))
            raise NotPermitted("permission.denied")
        with backend.begin(readonly=True) as uow:
            assert [e.subject for e in uow.audit.list().items] == ["account:refused"]


PSEUDONYM = "pseudonym:1:" + "ab" * 32
"""What the pseudonymisation contract puts in place of its person."""


def _person_events() -> list[AuditEvent]:
    """Events naming the person ``a-17`` (as actor, subject and detail) and one that does not."""
    return [
        AuditEvent(
            at=NOW,
            actor="a-17",
            action="auth.sign_in",
            subject="account:a-17",
            details={"ip": "192.0.2.1", "login": "j.jansen"},
        ),
        AuditEvent(
            at=NOW + timedelta(minutes=1),
            actor="beheerder",
            action="roles.granted",
            subject="location:22AB00",
            details={"to": "j.jansen", "ip": "192.0.2.9"},
        ),
        AuditEvent(
            at=NOW + timedelta(minutes=2),
            actor="beheerder",
            action="roles.granted",
            subject="account:a-170",
            details={"ip": "192.0.2.9", "note": "not a-17"},
        ),
    ]


_NAMES = ("a-17", "account:a-17", "j.jansen")


class AuditPseudonymContract(BackendFixtures):
    """``uow.audit.pseudonymise``: an erased person's values replaced, every event kept (PRIV-3)."""

    def _stored(self, backend: Backend) -> list[AuditEvent]:
        with backend.begin(readonly=True) as uow:
            return list(uow.audit.list(limit=1000).items)

    def test_the_person_is_replaced_and_every_event_kept(self, backend: Backend) -> None:
        """Actor, subject and detail values naming the person become the pseudonym."""
        with backend.begin() as uow:
            for item in _person_events():
                uow.audit.append(item)
            uow.commit()
        with backend.begin() as uow:
            changed = uow.audit.pseudonymise(_NAMES, PSEUDONYM, details=("ip",))
            uow.commit()
        first, second, third = self._stored(backend)
        assert changed == 2
        assert (first.actor, first.subject, dict(first.details)) == (
            PSEUDONYM,
            PSEUDONYM,
            {"ip": PSEUDONYM, "login": PSEUDONYM},
        )
        assert (first.at, first.action, first.outcome) == (NOW, "auth.sign_in", "success")
        assert (second.actor, second.subject) == ("beheerder", "location:22AB00")
        assert dict(second.details) == {"to": PSEUDONYM, "ip": "192.0.2.9"}  # not theirs
        assert third == _person_events()[2]
        with backend.begin(readonly=True) as uow:
            by_pseudonym = uow.audit.list(actor=PSEUDONYM).items
            by_subject = uow.audit.list(subject="account:a-17").items
        assert [e.action for e in by_pseudonym] == ["auth.sign_in"]
        assert by_subject == ()

    def test_a_second_pseudonymisation_changes_nothing(self, backend: Backend) -> None:
        """Once replaced, the person is not found again."""
        with backend.begin() as uow:
            for item in _person_events():
                uow.audit.append(item)
            uow.audit.pseudonymise(_NAMES, PSEUDONYM, details=("ip",))
            uow.commit()
        before = self._stored(backend)
        with backend.begin() as uow:
            assert uow.audit.pseudonymise(_NAMES, PSEUDONYM, details=("ip",)) == 0
            uow.commit()
        assert self._stored(backend) == before
        assert before[0].actor == PSEUDONYM  # events appended in the same unit count too

    def test_a_rollback_keeps_the_trail_as_it_was(self, backend: Backend) -> None:
        """The pseudonymisation belongs to its unit: rolled back, nothing changed."""
        with backend.begin() as uow:
            for item in _person_events():
                uow.audit.append(item)
            uow.commit()
        with backend.begin() as uow:
            assert uow.audit.pseudonymise(_NAMES, PSEUDONYM) == 2
            assert uow.audit.list(actor=PSEUDONYM).items != ()
        assert self._stored(backend) == _person_events()

    def test_nothing_to_replace(self, backend: Backend) -> None:
        """No names, or names no event holds: nothing changes."""
        with backend.begin() as uow:
            for item in _person_events():
                uow.audit.append(item)
            assert uow.audit.pseudonymise((), PSEUDONYM) == 0
            assert uow.audit.pseudonymise(("a-1", "%", "_"), PSEUDONYM) == 0
            uow.commit()
        assert self._stored(backend) == _person_events()
