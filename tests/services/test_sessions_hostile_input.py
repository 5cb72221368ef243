# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Issue 19 points 9-11: hostile and careless input at sign-in and saving, on every backend.

Each test runs on the memory backend, on a real SQLite file and on
PostgreSQL, and expects the same answer from each; the audit is read from
whichever audit log the kit has (the backend's own store under the
production wiring).
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from examkit import Examkit
from examkit.audit import AuditEvent
from examkit.errors import ExamkitError, InvalidInput, LimitReached, NotPermitted
from examkit.records import Backend
from examkit.scheduling import AttemptState, Candidate, TransitionNotAllowed
from examkit.storage import MAX_PAGE_SIZE
from examkit.testing import ManualClock, MemoryAuditLog
from examkit.testing.sessions import START, add_candidates, make_session_kit, plan_group

BROWSER_SEQUENCE = 1_733_300_000_000  # Date.now() in a browser: milliseconds since 1970


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START - timedelta(minutes=10))


@pytest.fixture
def kit(backend: Backend, clock: ManualClock) -> Examkit:
    """A session kit on *backend* with the audit log make_session_kit gives."""
    return make_session_kit(clock, backend=backend)


def released(kit: Examkit, count: int) -> tuple[str, list[Candidate], str]:
    """Plan a group of *count* candidates and release it; return it, them and the code."""
    people = add_candidates(kit, count)
    group_id = plan_group(kit, people)
    code = kit.group_lifecycle.release("proctor", group_id).access_code
    assert code is not None
    return group_id, people, code


def refusal(call: Any, *args: Any, **kwargs: Any) -> tuple[str, str, str]:
    """Return the class, code and English message of the error *call* raises."""
    with pytest.raises(ExamkitError) as caught:
        call(*args, **kwargs)
    return type(caught.value).__name__, caught.value.code, caught.value.message("en")


def audited(kit: Examkit, action: str) -> list[AuditEvent]:
    """Return the audit events of *action*, in order, from the kit's audit log.

    The backend's own audit store under the production wiring, or the
    recording double where make_session_kit passes one.
    """
    if isinstance(kit.audit, MemoryAuditLog):
        events: list[AuditEvent] = list(kit.audit.events)
    else:
        with kit.backend.begin(readonly=True) as uow:
            events = list(uow.audit.list(limit=MAX_PAGE_SIZE).items)
    return [e for e in events if e.action == action]


def sign_in_audits(kit: Examkit) -> list[tuple[str, str, str]]:
    """Return the audited sign-in refusals: (subject, outcome, reason)."""
    return [
        (e.subject, e.outcome, e.details.get("reason", ""))
        for e in audited(kit, "sessions.sign_in")
    ]


@pytest.mark.req("AUTH-12", "SCH-6")
def test_point_9_one_candidate_cannot_lock_out_the_group(kit: Examkit) -> None:
    """12 classmates' names with 5 wrong codes each leave the other 18 signing in."""
    group_id, people, code = released(kit, 30)
    targets, others = people[:12], people[12:]
    for person in targets:
        for guess in range(5):
            assert ("NotPermitted", "sessions.sign_in.invalid") == refusal(
                kit.sitting.sign_in, person.login_name, f"CCCC-CC{guess}C"
            )[:2]
    for person in others:
        assert (
            AttemptState.IN_PROGRESS == kit.sitting.sign_in(person.login_name, code).attempt.state
        )
    for person in targets:
        with pytest.raises(LimitReached):
            kit.sitting.sign_in(person.login_name, code)
    started = [a for a in kit.planning.attempts(group_id) if a.state is AttemptState.IN_PROGRESS]
    assert {p.id for p in others} == {a.candidate for a in started}


@pytest.mark.req("AUTH-12", "SCH-6")
def test_point_9_a_blocked_name_gets_the_same_answer_for_the_right_and_a_wrong_code(
    kit: Examkit, clock: ManualClock
) -> None:
    """Past the limit the right code and a wrong one are refused alike, and audited alike."""
    _, people, code = released(kit, 2)
    login = people[0].login_name
    for _ in range(5):
        with pytest.raises(NotPermitted):
            kit.sitting.sign_in(login, "CCCC-CCCC")
    before = len(sign_in_audits(kit))
    right = refusal(kit.sitting.sign_in, login, code)
    wrong = refusal(kit.sitting.sign_in, login, "CCCC-CCCC")
    assert right == wrong == ("LimitReached", "sessions.sign_in.limit", right[2])
    audited = sign_in_audits(kit)[before:]
    assert 2 == len(audited)
    assert audited[0] == audited[1]
    clock.advance(minutes=16)
    assert AttemptState.IN_PROGRESS == kit.sitting.sign_in(login, code).attempt.state


@pytest.mark.req("SCH-7", "SCH-4")
@pytest.mark.parametrize("sequence", [BROWSER_SEQUENCE, 2**31, 2**63, 0, -1, True, 1.0, "1"])
def test_point_10_a_sequence_number_out_of_range_is_refused_and_freezes_nothing(
    kit: Examkit, sequence: Any
) -> None:
    """Outside 1..2^31-1 a save is refused alike; the next save still counts."""
    group_id, (person,), code = released(kit, 1)
    key = kit.sitting.sign_in(person.login_name, code).key
    before = kit.sitting.attempt(group_id, person.id)
    kind, error, message = refusal(
        kit.sitting.save_response, group_id, person.id, "q1", "A", sequence=sequence, key=key
    )
    assert ("InvalidInput", "storage.value.sequence") == (kind, error)
    assert "2147483647" in message
    assert before == kit.sitting.attempt(group_id, person.id)
    top = kit.sitting.save_response(group_id, person.id, "q1", "B", sequence=1, key=key)
    assert top.stored
    highest = kit.sitting.save_response(group_id, person.id, "q2", "C", sequence=2**31 - 1, key=key)
    assert (True, 2**31 - 1) == (highest.stored, highest.last_sequence)
    assert {"q1": "B", "q2": "C"} == {
        item: r.value for item, r in kit.sitting.attempt(group_id, person.id).responses.items()
    }


def nested(depth: int) -> Any:
    """Return a list nested *depth* deep (built without recursion)."""
    value: Any = "x"
    for _ in range(depth):
        value = [value]
    return value


REFUSED_VALUES = [
    (float("nan"), "storage.value.number"),
    (float("inf"), "storage.value.number"),
    ({"score": float("-inf")}, "storage.value.number"),
    (2**53, "storage.value.number"),
    (-(2**63), "storage.value.number"),
    (1e300, "storage.value.number"),
    (json.loads('"\\ud800"'), "storage.value.text"),
    ({json.loads('"\\udfff"'): 1}, "storage.value.text"),
    ("a\x00b", "storage.value.text"),
    (nested(33), "storage.value.depth"),
    (nested(100_000), "storage.value.depth"),
    ({1: "one"}, "storage.value.type"),
    ({"choice": {"B", "C"}}, "storage.value.type"),
    (b"bytes", "storage.value.type"),
    (object(), "storage.value.type"),
]


@pytest.mark.req("SCH-7", "SCH-4")
@pytest.mark.parametrize(("value", "code"), REFUSED_VALUES)
def test_point_10_a_value_no_backend_can_keep_is_refused_alike(
    kit: Examkit, value: Any, code: str
) -> None:
    """NaN, infinities, huge numbers, lone surrogates, NUL, deep nesting: refused, nothing kept."""
    group_id, (person,), code_ = released(kit, 1)
    key = kit.sitting.sign_in(person.login_name, code_).key
    before = kit.sitting.attempt(group_id, person.id)
    kind, error, _ = refusal(
        kit.sitting.save_response, group_id, person.id, "q1", value, sequence=1, key=key
    )
    assert ("InvalidInput", code) == (kind, error)
    assert before == kit.sitting.attempt(group_id, person.id)


KEPT_VALUES = [
    nested(32),
    {"score": 2**53 - 1, "low": -(2**53 - 1), "tiny": 5e-324, "pi": 3.141592653589793},
    {"big": 9.0e15, "small": 1e-7, "one": 1.0, "tuple": ("a", "b")},
    {"text": "Zoë 𝄞 \u202e\x01", "": None, "ok": True},
]


@pytest.mark.req("SCH-7", "SCH-4")
@pytest.mark.parametrize("value", KEPT_VALUES)
def test_point_10_the_edges_of_what_is_kept_come_back_as_given(kit: Examkit, value: Any) -> None:
    """At the limits a value is stored and read back equal, floats as floats, on every backend."""
    group_id, (person,), code = released(kit, 1)
    key = kit.sitting.sign_in(person.login_name, code).key
    kit.sitting.save_response(group_id, person.id, "q1", value, sequence=1, key=key)
    back = kit.sitting.attempt(group_id, person.id).responses["q1"].value
    expected = json.loads(json.dumps(value))
    assert json.dumps(expected, sort_keys=True) == json.dumps(back, sort_keys=True)
    kit.sitting.save_response(group_id, person.id, "q2", -0.0, sequence=2, key=key)
    stored_zero = kit.sitting.attempt(group_id, person.id).responses["q2"].value
    assert "0.0" == json.dumps(stored_zero)


@pytest.mark.req("SCH-7", "SCH-4", "AUTH-12")
def test_point_10_saves_and_the_hand_in_are_bound_to_the_candidate_who_signed_in(
    kit: Examkit,
) -> None:
    """Another candidate's key, a made-up key or none: refused, nothing changed, audited."""
    group_id, (first, second), code = released(kit, 2)
    first_key = kit.sitting.sign_in(first.login_name, code).key
    second_key = kit.sitting.sign_in(second.login_name, code).key
    assert first_key != second_key
    before = kit.planning.attempts(group_id)
    for key in (second_key, "", first_key[:-1] + "A" if first_key[-1] != "A" else "B"):
        assert ("NotPermitted", "sessions.candidate.key") == refusal(
            kit.sitting.save_response, group_id, first.id, "q1", "A", sequence=1, key=key
        )[:2]
        assert ("NotPermitted", "sessions.candidate.key") == refusal(
            kit.sitting.submit, group_id, first.id, key=key
        )[:2]
    assert ("InvalidInput", "input.not_text") == refusal(
        kit.sitting.save_response, group_id, first.id, "q1", "A", sequence=1, key=None
    )[:2]
    assert before == kit.planning.attempts(group_id)
    denied = audited(kit, "sessions.response")
    assert 3 == len(denied)
    assert {"denied"} == {e.outcome for e in denied}
    assert all(first_key not in str(e) and second_key not in str(e) for e in denied)
    kit.sitting.save_response(group_id, first.id, "q1", "A", sequence=1, key=first_key)
    assert AttemptState.SUBMITTED == kit.sitting.submit(group_id, first.id, key=first_key).state


@pytest.mark.req("SCH-3", "SCH-4", "SCH-8", "AUTH-12")
def test_point_10_unknown_moves_and_missing_arguments_are_invalid_input(kit: Examkit) -> None:
    """Never a KeyError, TypeError or AttributeError: an InvalidInput naming the field."""
    group_id, (person,), code = released(kit, 1)
    proctor, fao = "proctor", "fao"
    before = kit.planning.group(group_id)
    for event in ("hack", None, ["release"], ""):
        with pytest.raises(InvalidInput) as caught:
            kit.group_lifecycle.transition(proctor, group_id, event)  # type: ignore[arg-type]
        assert ("sessions.group.event", "event") == (caught.value.code, caught.value.field)
        with pytest.raises(InvalidInput) as caught:
            kit.proctoring.intervene(proctor, group_id, person.id, event)  # type: ignore[arg-type]
        assert "sessions.attempt.event" == caught.value.code
    assert before == kit.planning.group(group_id)
    from examkit.identifiers import LocationCode

    server = kit.offline_servers.add_server(
        fao, location=LocationCode("22AB00"), name="FAO", address="fao.school.nl"
    )
    with pytest.raises(InvalidInput) as caught:
        kit.offline_servers.server_transition(fao, server.id, "hack")
    assert "sessions.server.event" == caught.value.code
    with pytest.raises(TransitionNotAllowed):
        kit.offline_servers.server_transition(fao, server.id, "deactivate")
    for login, access in ((None, code), (person.login_name, None), (12345678, code)):
        with pytest.raises(InvalidInput) as caught:
            kit.sitting.sign_in(login, access)  # type: ignore[arg-type]
        assert "input.not_text" == caught.value.code
        assert caught.value.field in {"login_name", "access_code"}
    key = kit.sitting.sign_in(person.login_name, code).key
    missing: list[tuple[Any, Any, Any]] = [
        (None, person.id, "q1"),
        (group_id, None, "q1"),
        (group_id, person.id, None),
    ]
    for group, candidate, item in missing:
        with pytest.raises(InvalidInput) as caught:
            kit.sitting.save_response(group, candidate, item, "A", sequence=1, key=key)
        assert "input.not_text" == caught.value.code


HOSTILE_LOGINS = [
    json.loads('"\\ud800"'),
    "KAND" + json.loads('"\\udc00"') + "01",
    "A" * 256,
    "A" * 100_000,
    "KAND\x000001",
    "\x00",
    "",
    "   ",
    "KAND 0001",
    "ＫＡＮＤ０００１",  # full-width letters
]


@pytest.mark.req("AUTH-12", "SCH-6")
@pytest.mark.parametrize("login", HOSTILE_LOGINS)
def test_point_11_a_login_name_that_cannot_be_one_is_refused_counted_and_audited_alike(
    kit: Examkit, login: str
) -> None:
    """Surrogates, NUL, 256+ characters: refused as a wrong code, counted and audited."""
    _, (person,), code = released(kit, 1)
    for _ in range(5):
        assert ("NotPermitted", "sessions.sign_in.invalid") == refusal(
            kit.sitting.sign_in, login, code
        )[:2]
    assert ("LimitReached", "sessions.sign_in.limit") == refusal(kit.sitting.sign_in, login, code)[
        :2
    ]
    audited = sign_in_audits(kit)
    assert 6 == len(audited)
    assert 1 == len({subject for subject, _, _ in audited})
    subject = audited[0][0]
    assert len(subject) <= len("candidate:") + 255
    assert "\x00" not in subject
    subject.encode("utf-8")  # storable: no lone surrogate
    assert AttemptState.IN_PROGRESS == kit.sitting.sign_in(person.login_name, code).attempt.state
