"""The one declared state-machine type: its checks, and its moves against a plain scan."""

from __future__ import annotations

import enum

import pytest
from hypothesis import given
from hypothesis import strategies as st

from examkit.errors import InvalidInput, InvalidState
from examkit.statemachine import MachineError, StateMachine, Transition


class Light(enum.Enum):
    OFF = "off"
    ON = "on"
    BROKEN = "broken"


class Why(enum.Enum):
    FUSE = "fuse"
    WEAR = "wear"


def machine(*rows: Transition[Light], **options: object) -> StateMachine[Light, Transition[Light]]:
    settings: dict[str, object] = {"start": Light.OFF, "final": {Light.BROKEN}}
    settings.update(options)
    return StateMachine("light", Light, rows, **settings)  # type: ignore[arg-type]


ROWS = (
    Transition("switch_on", {Light.OFF}, Light.ON),
    Transition("switch_off", {Light.ON}, Light.OFF),
    Transition("fail", {Light.ON}, Light.BROKEN, guard=Why.FUSE),
    Transition("fail", {Light.ON}, Light.OFF, guard=Why.WEAR),
)


@pytest.mark.req("PLAT-2")
def test_a_consistent_table_is_accepted_and_answers() -> None:
    light = machine(*ROWS)
    assert light.events(Light.ON) == ("switch_off", "fail")
    assert light.events(Light.BROKEN) == ()
    assert light.allows("switch_on", Light.OFF)
    assert not light.allows("switch_on", Light.ON)
    assert light.move("fail", Light.ON, lambda why: why is Why.WEAR).target is Light.OFF
    assert light.move("fail", Light.ON, lambda why: why is Why.FUSE).target is Light.BROKEN


@pytest.mark.req("PLAT-2")
def test_a_move_the_state_does_not_allow_is_refused_with_the_lifecycles_code() -> None:
    light = machine(*ROWS, refusal="state.not_allowed")
    with pytest.raises(InvalidState) as refused:
        light.move("switch_off", Light.OFF)
    assert refused.value.code == "state.not_allowed"
    assert dict(refused.value.params) == {"event": "switch_off", "state": "off"}
    with pytest.raises(InvalidState):
        light.move("fail", Light.ON)  # no guard holds without a judge


HASHED: list[enum.Enum] = []


class Counted(enum.Enum):
    UP = "up"
    DOWN = "down"

    def __hash__(self) -> int:  # counted: the lookup must not need it
        HASHED.append(self)
        return hash(self._name_)


@pytest.mark.req("PLAT-2")
def test_a_lookup_does_not_hash_the_state() -> None:
    """The index is keyed by the state's value: hashing an enum member runs Python code."""
    lift = StateMachine(
        "lift",
        Counted,
        [
            Transition("lower", {Counted.UP}, Counted.DOWN),
            Transition("raise", {Counted.DOWN}, Counted.UP),
        ],
        start=Counted.UP,
    )
    HASHED.clear()
    assert lift.allows("lower", Counted.UP)
    assert not lift.allows("raise", Counted.UP)
    assert lift.move("raise", Counted.DOWN).target is Counted.UP
    with pytest.raises(InvalidState):
        lift.move("lower", Counted.DOWN)
    assert HASHED == []


@pytest.mark.req("PLAT-2")
def test_an_unknown_move_is_bad_input() -> None:
    with pytest.raises(InvalidInput) as refused:
        machine(*ROWS).move("explode", Light.ON)
    assert refused.value.field == "event"
    with pytest.raises(InvalidInput):
        machine(*ROWS).event(42)


@pytest.mark.req("PLAT-2")
@pytest.mark.parametrize(
    ("rows", "options", "problem"),
    [
        ((Transition("switch_on", set(), Light.ON), *ROWS), {}, "no source state"),
        ((*ROWS, Transition("fail", {Light.ON}, Light.OFF, guard=Why.WEAR)), {}, "guard twice"),
        (ROWS[:2], {}, "'broken' cannot be reached"),
        (ROWS, {"final": set()}, "exactly the final states"),
        (ROWS, {"end": Light.ON}, "'broken' cannot reach 'on'"),
        (ROWS, {"actions": {"x.y"}}, None),
        (
            (*ROWS, Transition("repair", {Light.BROKEN}, Light.OFF, action="x.z")),
            {"actions": {"x.y"}, "final": set()},
            "unknown action 'x.z'",
        ),
    ],
)
def test_an_inconsistent_table_is_an_error_when_made(
    rows: tuple[Transition[Light], ...], options: dict[str, object], problem: str | None
) -> None:
    if problem is None:
        machine(*rows, **options)
        return
    with pytest.raises(MachineError, match=problem):
        machine(*rows, **options)


@st.composite
def tables(draw: st.DrawFn) -> tuple[Transition[Light], ...]:
    """Rows over the light's states: random moves, sources, targets and guards."""
    # "go" reaches every state from OFF, so every drawn table is consistent
    rows = [
        Transition("go", {Light.OFF}, Light.ON),
        Transition("go", {Light.ON}, Light.BROKEN),
    ]
    seen: set[tuple[str, Light, Why | None]] = {("go", Light.OFF, None), ("go", Light.ON, None)}
    for _ in range(draw(st.integers(1, 8))):
        event = draw(st.sampled_from(["a", "b", "go"]))
        sources = draw(st.frozensets(st.sampled_from(Light), min_size=1))
        guard = draw(st.none() | st.sampled_from(Why))
        if any((event, source, guard) in seen for source in sources):
            continue
        seen.update((event, source, guard) for source in sources)
        rows.append(Transition(event, sources, draw(st.sampled_from(Light)), guard=guard))
    return tuple(rows)


@pytest.mark.req("PLAT-2")
@given(
    rows=tables(),
    event=st.sampled_from(["a", "b", "c", "go"]),
    state=st.sampled_from(Light),
    holds=st.frozensets(st.sampled_from(Why)),
)
def test_a_move_is_the_first_row_of_the_table_whose_state_and_guard_fit(
    rows: tuple[Transition[Light], ...], event: str, state: Light, holds: frozenset[Why]
) -> None:
    leaving = {source for row in rows for source in row.sources}
    light = StateMachine("light", Light, rows, start=Light.OFF, final=set(Light) - leaving)
    expected = None
    for row in rows:  # a plain scan, written apart from the machine's index
        fits = row.event == event and state in row.sources
        if fits and (row.guard is None or row.guard in holds):
            expected = row
            break
    if expected is None:
        if not any(row.event == event for row in rows):
            with pytest.raises(InvalidInput):
                light.move(event, state, holds.__contains__)
        else:
            with pytest.raises(InvalidState):
                light.move(event, state, holds.__contains__)
        return
    assert light.move(event, state, holds.__contains__) is expected
