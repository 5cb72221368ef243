# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Access codes and candidates signing in with login name + access code, on the manual clock."""

from __future__ import annotations

from datetime import timedelta

import pytest

from examkit import Examkit
from examkit.errors import InvalidState, LimitReached, NotPermitted
from examkit.scheduling import (
    ALPHABET,
    CANDIDATE_SIGN_IN,
    AttemptState,
    code_entropy_bits,
    new_access_code,
    normalise_access_code,
)
from examkit.testing import (
    ManualClock,
    MemoryAuditLog,
    SequenceSecretSource,
    StoredAuditTrail,
    Wiring,
)
from examkit.testing.sessions import START, add_candidates, make_session_kit, plan_group


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START - timedelta(minutes=10))


@pytest.fixture
def audit(wiring: Wiring) -> MemoryAuditLog | StoredAuditTrail:
    return wiring.audit


@pytest.fixture
def kit(clock: ManualClock, wiring: Wiring) -> Examkit:
    return make_session_kit(clock, wiring.log, wiring.backend)


@pytest.mark.req("SCH-6", "AUTH-12")
def test_access_codes_are_easy_to_read_aloud_and_hard_to_guess() -> None:
    """No look-alike characters, two groups of four, over 35 bits; spaces and case ignored."""
    assert not set("0O1IL2Z5S8B") & set(ALPHABET)
    source = SequenceSecretSource("codes")
    codes = {new_access_code(source) for _ in range(200)}
    assert 200 == len(codes)
    assert all(len(code) == 9 and code[4] == "-" for code in codes)
    assert code_entropy_bits() > 35
    assert "ACDEFG34" == normalise_access_code(" acde-fg34\t")


@pytest.mark.req("SCH-6", "AUTH-12")
def test_the_right_candidate_with_the_right_code_signs_in_while_released(
    kit: Examkit, clock: ManualClock
) -> None:
    """Sign-in starts the attempt; the code is read in any case, with or without its dash."""
    people = add_candidates(kit, 2)
    group_id = plan_group(kit, people)
    code = kit.group_lifecycle.release("proctor", group_id).access_code
    assert code is not None
    attempt = kit.sitting.sign_in(
        people[0].login_name.lower(), code.replace("-", " ").lower()
    ).attempt
    assert AttemptState.IN_PROGRESS == attempt.state
    assert clock.now() == attempt.started_at
    assert ["start"] == [event.event for event in attempt.log]


@pytest.mark.req("SCH-6", "AUTH-12")
def test_no_sign_in_before_release_while_blocked_or_after_close(kit: Examkit) -> None:
    """Planned: no code yet; blocked: refused, code kept; closed: the code is dead."""
    people = add_candidates(kit, 3)
    group_id = plan_group(kit, people)
    proctor = "proctor"
    with pytest.raises(InvalidState):
        kit.group_lifecycle.access_code(proctor, group_id)
    code = kit.group_lifecycle.release(proctor, group_id).access_code
    assert code is not None
    kit.group_lifecycle.block(proctor, group_id)
    with pytest.raises(InvalidState) as caught:
        kit.sitting.sign_in(people[0].login_name, code)
    assert "sessions.sign_in.blocked" == caught.value.code
    kit.group_lifecycle.release(proctor, group_id)
    signed_in = kit.sitting.sign_in(people[0].login_name, code)
    assert AttemptState.IN_PROGRESS == signed_in.attempt.state
    kit.sitting.submit(group_id, people[0].id, key=signed_in.key)
    kit.session_reports.write_report(proctor, group_id, completed=True)
    kit.group_lifecycle.close(proctor, group_id)
    with pytest.raises(NotPermitted) as caught_closed:
        kit.sitting.sign_in(people[1].login_name, code)
    assert "sessions.sign_in.invalid" == caught_closed.value.code
    with pytest.raises(InvalidState):
        kit.group_lifecycle.access_code(proctor, group_id)


@pytest.mark.req("SCH-6", "AUTH-12")
def test_another_groups_code_does_not_sign_in(kit: Examkit) -> None:
    """A candidate cannot use the code of a group they are not in."""
    first, second = add_candidates(kit, 2)
    mine = plan_group(kit, [first])
    theirs = plan_group(kit, [second])
    proctor = "proctor"
    kit.group_lifecycle.release(proctor, mine)
    other_code = kit.group_lifecycle.release(proctor, theirs).access_code
    assert other_code is not None
    with pytest.raises(NotPermitted) as caught:
        kit.sitting.sign_in(first.login_name, other_code)
    assert "Combinatie inlognaam/toegangscode is ongeldig." == caught.value.message("nl")
    with pytest.raises(NotPermitted):
        kit.sitting.sign_in("NOSUCHNM", other_code)


@pytest.mark.req("SCH-6", "AUTH-12")
def test_guessing_is_cut_off_by_the_limit_and_audited(
    kit: Examkit, clock: ManualClock, audit: MemoryAuditLog | StoredAuditTrail
) -> None:
    """After 5 wrong codes even the right one is refused, until the window passes."""
    people = add_candidates(kit, 1)
    group_id = plan_group(kit, people)
    code = kit.group_lifecycle.release("proctor", group_id).access_code
    assert code is not None
    login = people[0].login_name
    for guess in range(5):
        with pytest.raises(NotPermitted):
            kit.sitting.sign_in(login, f"AAAA-AA{guess}A")
    with pytest.raises(LimitReached):
        kit.sitting.sign_in(login, code)
    refusals = [e for e in audit.events if e.action == "sessions.sign_in"]
    assert 6 == len(refusals)
    # wrong codes are denied; the limit is a failure (the use-case unit's convention)
    assert ["denied"] * 5 + ["failure"] == [e.outcome for e in refusals]
    assert ["sessions.sign_in.invalid"] * 5 + ["sessions.sign_in.limit"] == [
        e.details["reason"] for e in refusals
    ]
    assert all(code not in str(e) for e in refusals)
    clock.advance(minutes=16)
    assert AttemptState.IN_PROGRESS == kit.sitting.sign_in(login, code).attempt.state
    with kit.backend.begin(readonly=True) as uow:
        assert 0 == uow.counters.peek(CANDIDATE_SIGN_IN, login, now=clock.now(), limit=5).count


@pytest.mark.req("SCH-4", "AUTH-12")
def test_a_running_test_is_re_entered_only_when_the_proctor_allows_it(kit: Examkit) -> None:
    """Signing in again while running needs the proctor's re-entry, once."""
    people = add_candidates(kit, 1)
    group_id = plan_group(kit, people)
    proctor = "proctor"
    code = kit.group_lifecycle.release(proctor, group_id).access_code
    assert code is not None
    login = people[0].login_name
    kit.sitting.sign_in(login, code)
    with pytest.raises(InvalidState) as caught:
        kit.sitting.sign_in(login, code)
    assert "sessions.sign_in.running" == caught.value.code
    kit.proctoring.allow_reentry(proctor, group_id, people[0].id)
    again = kit.sitting.sign_in(login, code).attempt
    assert not again.reentry_allowed
    assert ["start", "allow_reentry", "sign_in"] == [e.event for e in again.log]
    with pytest.raises(InvalidState):
        kit.sitting.sign_in(login, code)


@pytest.mark.req("SCH-6")
def test_the_slips_list_every_candidates_login_name_with_the_code(kit: Examkit) -> None:
    """One slip per candidate, by login name, while the code lives."""
    people = add_candidates(kit, 3)
    group_id = plan_group(kit, people)
    proctor = "proctor"
    with pytest.raises(InvalidState):
        kit.group_lifecycle.access_slips(proctor, group_id)
    code = kit.group_lifecycle.release(proctor, group_id).access_code
    slips = kit.group_lifecycle.access_slips(proctor, group_id)
    assert sorted(p.login_name for p in people) == [s.login_name for s in slips]
    assert {code} == {s.access_code for s in slips}
    with pytest.raises(NotPermitted):
        kit.group_lifecycle.access_slips("planner", group_id)


@pytest.mark.req("SCH-7", "AUTH-12", "WEB-2")
def test_a_candidate_s_key_from_before_a_token_key_rotation_still_submits(kit: Examkit) -> None:
    """Signed in under the old key: the rotated kit accepts the key while the old one is retired."""
    import attrs

    from examkit.scheduling import Sitting

    people = add_candidates(kit, 2)
    group_id = plan_group(kit, people)
    code = kit.group_lifecycle.release("proctor", group_id).access_code
    assert code is not None
    first = kit.sitting.sign_in(people[0].login_name, code)
    second = kit.sitting.sign_in(people[1].login_name, code)
    old = {kit.ports.token_key_id: kit.ports.token_key}
    rotated = attrs.evolve(kit.ports, token_key=b"n" * 32, token_key_id="new")
    with pytest.raises(NotPermitted) as refused:
        Sitting(rotated).submit(group_id, people[0].id, key=first.key)
    assert "sessions.candidate.key" == refused.value.code
    kept = attrs.evolve(rotated, retired_token_keys=old)
    submitted = Sitting(kept).submit(group_id, people[1].id, key=second.key)
    assert AttemptState.SUBMITTED == submitted.state
