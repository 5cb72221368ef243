# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The candidate's pages: epochs, superseded saves, grace, late saves, heartbeats, lost contact."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from examkit import Examkit, Settings
from examkit.errors import ConfigurationError, InvalidInput, InvalidState, NotPermitted
from examkit.scheduling import (
    MAX_COUNTER,
    MAX_EPOCH,
    AttemptState,
    CandidateSession,
    SittingRules,
    page_of,
    page_sequence,
)
from examkit.testing import ManualClock, RecordingMailer, SequenceSecretSource, Wiring
from examkit.testing.sessions import START, add_candidates, make_session_kit, plan_group


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START - timedelta(minutes=10))


@pytest.fixture
def kit(clock: ManualClock, wiring: Wiring) -> Examkit:
    return make_session_kit(clock, wiring.log, wiring.backend)


def signed_in(kit: Examkit, count: int = 1) -> tuple[str, list[CandidateSession], str]:
    """Plan, release and sign in *count* candidates; return the group, their sessions, the code."""
    people = add_candidates(kit, count)
    group_id = plan_group(kit, people)
    code = kit.group_lifecycle.release("proctor", group_id).access_code
    assert code is not None
    return group_id, [kit.sitting.sign_in(p.login_name, code) for p in people], code


@pytest.mark.req("SCH-4", "SCH-7")
def test_a_page_sequence_orders_by_epoch_then_counter() -> None:
    """Every save of a later page is newer than every save of an earlier one."""
    assert page_sequence(1, MAX_COUNTER) < page_sequence(2, 1)
    assert (MAX_EPOCH, MAX_COUNTER) == page_of(page_sequence(MAX_EPOCH, MAX_COUNTER))
    for epoch, counter in [(0, 1), (MAX_EPOCH + 1, 1), (1, 0), (1, MAX_COUNTER + 1), (True, 1)]:
        with pytest.raises(InvalidInput) as caught:
            page_sequence(epoch, counter)
        assert "sessions.page.sequence" == caught.value.code


@pytest.mark.req("SCH-4", "SCH-7")
@given(epochs=st.tuples(st.integers(1, MAX_EPOCH), st.integers(1, MAX_EPOCH)), data=st.data())
def test_the_sequence_order_is_the_pairs_order(
    epochs: tuple[int, int], data: st.DataObject
) -> None:
    """page_sequence is strictly monotone in (epoch, counter), and page_of undoes it."""
    counters = data.draw(st.tuples(st.integers(1, MAX_COUNTER), st.integers(1, MAX_COUNTER)))
    first, second = zip(epochs, counters, strict=True)
    assert (first < second) == (page_sequence(*first) < page_sequence(*second))
    assert first == page_of(page_sequence(*first))


@pytest.mark.req("SCH-4", "SCH-7")
def test_each_page_load_reserves_a_higher_epoch_that_outlives_the_kit(
    kit: Examkit, clock: ManualClock, wiring: Wiring
) -> None:
    """A reload gets a new epoch, stored: a new kit on the same storage goes on above it."""
    group_id, (session,), _ = signed_in(kit)
    first = kit.sitting.open_page(group_id, session.candidate, key=session.key)
    second = kit.sitting.open_page(group_id, session.candidate, key=session.key)
    assert (1, 2) == (first.epoch, second.epoch)
    assert 120 * 60 == second.seconds_left
    restarted = Examkit(  # another process on the same storage, with the same key
        backend=wiring.backend,
        mailer=RecordingMailer(),
        settings=Settings(token_key=b"k" * 32, base_url="https://portal.example.nl"),
        clock=clock,
        secrets=SequenceSecretSource("restart"),
    )
    third = restarted.sitting.open_page(group_id, session.candidate, key=session.key)
    assert 3 == third.epoch
    assert 3 == kit.sitting.attempt(group_id, session.candidate).page_epoch
    with pytest.raises(NotPermitted):
        kit.sitting.open_page(group_id, session.candidate, key="wrong")


@pytest.mark.req("SCH-4", "SCH-7")
def test_an_older_page_cannot_overwrite_a_newer_pages_answer(kit: Examkit) -> None:
    """Two tabs: once the newer tab saved, the older tab's saves are superseded and not stored."""
    group_id, (session,), _ = signed_in(kit)
    person, key = session.candidate, session.key
    old = kit.sitting.open_page(group_id, person, key=key)
    new = kit.sitting.open_page(group_id, person, key=key)

    def save(page_epoch: int, counter: int, value: str) -> tuple[bool, bool]:
        receipt = kit.sitting.save_response(
            group_id, person, "q1", value, sequence=page_sequence(page_epoch, counter), key=key
        )
        return receipt.stored, receipt.superseded

    # the newer page has not saved yet: the older one's saves still count
    assert (True, False) == save(old.epoch, 1, "A")
    assert (True, False) == save(new.epoch, 1, "B")
    assert (False, True) == save(old.epoch, 2, "C")
    assert (False, False) == save(new.epoch, 1, "B")  # a resend of the newer page
    assert (True, False) == save(new.epoch, 2, "D")
    attempt = kit.sitting.attempt(group_id, person)
    assert "D" == attempt.responses["q1"].value
    assert (new.epoch, 2) == page_of(attempt.last_sequence)
    assert 3 == kit.sitting.open_page(group_id, person, key=key).epoch


@pytest.mark.req("SCH-4", "SCH-7")
def test_a_page_cannot_open_an_attempt_that_is_over(kit: Examkit) -> None:
    """After the hand-in the test is not opened again."""
    group_id, (session,), _ = signed_in(kit)
    kit.sitting.submit(group_id, session.candidate, key=session.key)
    with pytest.raises(InvalidState) as caught:
        kit.sitting.open_page(group_id, session.candidate, key=session.key)
    assert "sessions.page.not_open" == caught.value.code


@pytest.mark.req("SCH-4", "SCH-7")
def test_a_page_cannot_open_once_the_deadline_and_grace_have_passed(
    kit: Examkit, clock: ManualClock
) -> None:
    """No page is opened when no save would be taken any more."""
    group_id, (session,), _ = signed_in(kit)
    deadline = session.attempt.deadline
    assert deadline is not None
    clock.set(deadline - timedelta(seconds=1))
    assert 1 == kit.sitting.open_page(group_id, session.candidate, key=session.key).seconds_left
    clock.set(deadline)
    with pytest.raises(InvalidState) as caught:
        kit.sitting.open_page(group_id, session.candidate, key=session.key)
    assert ("sessions.page.not_open", "timed_out") == (
        caught.value.code,
        caught.value.params["state"],
    )


@pytest.mark.req("SCH-4", "SCH-7")
def test_late_saves_are_refused_and_counted_on_the_monitor_and_the_report(
    kit: Examkit, clock: ManualClock
) -> None:
    """After hand-in or after the deadline a save is refused; only the count is stored."""
    group_id, (early, late), _ = signed_in(kit, 2)
    kit.sitting.save_response(group_id, early.candidate, "q1", "A", sequence=1, key=early.key)
    kit.sitting.submit(group_id, early.candidate, key=early.key)
    for sequence in (2, 3):
        with pytest.raises(InvalidState) as caught:
            kit.sitting.save_response(
                group_id, early.candidate, "q2", "B", sequence=sequence, key=early.key
            )
        assert "sessions.response.not_in_progress" == caught.value.code
    handed_in = kit.sitting.attempt(group_id, early.candidate)
    assert (2, {"q1"}) == (handed_in.late_saves, set(handed_in.responses))
    deadline = kit.sitting.attempt(group_id, late.candidate).deadline
    assert deadline is not None
    clock.set(deadline)
    with pytest.raises(InvalidState) as caught:
        kit.sitting.save_response(group_id, late.candidate, "q1", "A", sequence=1, key=late.key)
    assert "sessions.response.deadline" == caught.value.code
    counts = {
        c.candidate: c.late_saves for c in kit.proctoring.monitor("proctor").groups[0].candidates
    }
    assert {early.candidate: 2, late.candidate: 1} == counts
    report = kit.session_reports.session_report("proctor", group_id)
    assert {early.candidate: 2, late.candidate: 1} == {
        a.candidate: a.late_saves for a in report.attendance
    }


@pytest.mark.req("SCH-4", "SCH-7")
def test_saves_are_accepted_during_the_grace_after_the_deadline(
    clock: ManualClock, wiring: Wiring
) -> None:
    """With a grace of a minute, a save 59 s after the deadline counts; one at 60 s is late."""
    kit = make_session_kit(
        clock, wiring.log, wiring.backend, sitting=SittingRules(grace=timedelta(minutes=1))
    )
    group_id, (session,), _ = signed_in(kit)
    person, key = session.candidate, session.key
    deadline = kit.sitting.attempt(group_id, person).deadline
    assert deadline is not None
    clock.set(deadline + timedelta(seconds=59))
    assert kit.sitting.save_response(group_id, person, "q1", "A", sequence=1, key=key).stored
    clock.set(deadline + timedelta(minutes=1))
    with pytest.raises(InvalidState) as caught:
        kit.sitting.save_response(group_id, person, "q1", "B", sequence=2, key=key)
    assert "sessions.response.deadline" == caught.value.code
    attempt = kit.sitting.attempt(group_id, person)
    assert ("A", 1) == (attempt.responses["q1"].value, attempt.late_saves)


@pytest.mark.req("SCH-4")
def test_a_heartbeat_is_stored_at_most_every_contact_period(
    kit: Examkit, clock: ManualClock
) -> None:
    """Contacts within five seconds are only read; a save is a contact too."""
    group_id, (session,), _ = signed_in(kit)
    person, key = session.candidate, session.key
    signed = kit.sitting.attempt(group_id, person)
    assert clock.now() == signed.last_contact
    clock.advance(seconds=3)
    assert signed.last_contact == kit.sitting.contact(group_id, person, key=key).last_contact
    assert signed.version == kit.sitting.attempt(group_id, person).version
    clock.advance(seconds=2)
    assert clock.now() == kit.sitting.contact(group_id, person, key=key).last_contact
    clock.advance(seconds=1)
    kit.sitting.save_response(group_id, person, "q1", "A", sequence=1, key=key)
    assert clock.now() == kit.sitting.attempt(group_id, person).last_contact
    with pytest.raises(NotPermitted):
        kit.sitting.contact(group_id, person, key="wrong")


@pytest.mark.req("SCH-4", "AUTH-12")
def test_a_lost_connection_lets_the_candidate_sign_in_again_and_shows_on_the_monitor(
    kit: Examkit, clock: ManualClock
) -> None:
    """No contact for 20 s: the monitor says since when, and the candidate may sign in again."""
    group_id, (session,), code = signed_in(kit)
    person = session.candidate
    login = session.attempt.login_name
    kit.sitting.save_response(group_id, person, "q1", "A", sequence=1, key=session.key)
    last = clock.now()
    clock.advance(seconds=19)
    with pytest.raises(InvalidState) as caught:
        kit.sitting.sign_in(login, code)
    assert "sessions.sign_in.running" == caught.value.code
    (line,) = kit.proctoring.monitor("proctor").groups[0].candidates
    assert (None, last) == (line.connection_lost_since, line.last_contact)
    clock.advance(seconds=1)
    (line,) = kit.proctoring.monitor("proctor").groups[0].candidates
    assert last == line.connection_lost_since
    again = kit.sitting.sign_in(login, code)
    assert ({"q1"}, AttemptState.IN_PROGRESS) == (set(again.attempt.responses), again.attempt.state)
    assert ("sign_in", "connection_lost") == (
        again.attempt.log[-1].event,
        again.attempt.log[-1].reason,
    )
    (line,) = kit.proctoring.monitor("proctor").groups[0].candidates
    assert line.connection_lost_since is None


@pytest.mark.req("SCH-4")
def test_the_rules_refuse_unusable_periods() -> None:
    """Negative or huge periods, no lost-connection time, a heartbeat slower than it."""
    for fields in (
        {"grace": timedelta(seconds=-1)},
        {"grace": timedelta(hours=3)},
        {"connection_lost_after": timedelta(0)},
        {"contact_every": timedelta(0)},
    ):
        with pytest.raises(ConfigurationError) as caught:
            SittingRules(**fields)
        assert "sessions.rules.invalid" == caught.value.code
    with pytest.raises(ConfigurationError) as caught:
        SittingRules(connection_lost_after=timedelta(seconds=5))
    assert "sessions.rules.contact" == caught.value.code


saves = st.lists(
    st.tuples(st.integers(0, 2), st.sampled_from(["q1", "q2"]), st.integers(0, 99)),
    min_size=1,
    max_size=25,
)


@pytest.mark.req("SCH-4", "SCH-7")
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=saves)
def test_whatever_the_interleaving_an_older_page_never_overwrites_a_newer_one(
    plan: list[tuple[int, str, int]],
) -> None:
    """Three pages save in any order: once a page saved, no earlier page's save is stored.

    Each page numbers its own saves 1, 2, ...; the stored answers are those of
    the model where a save counts only if it is newer than every save counted.
    """
    kit = make_session_kit(ManualClock(START))
    group_id, (session,), _ = signed_in(kit)
    person, key = session.candidate, session.key
    epochs = [kit.sitting.open_page(group_id, person, key=key).epoch for _ in range(3)]
    counters = [0, 0, 0]
    newest_epoch, last, expected = 0, 0, {}
    for page, item, value in plan:
        counters[page] += 1
        sequence = page_sequence(epochs[page], counters[page])
        receipt = kit.sitting.save_response(
            group_id, person, item, value, sequence=sequence, key=key
        )
        assert receipt.stored == (sequence > last)
        if receipt.stored:
            assert epochs[page] >= newest_epoch  # never an older page after a newer one
            newest_epoch, last, expected[item] = epochs[page], sequence, value
        else:
            assert receipt.superseded == (epochs[page] < newest_epoch)
    stored = kit.sitting.attempt(group_id, person)
    assert expected == {item: saved.value for item, saved in stored.responses.items()}
    assert last == stored.last_sequence
