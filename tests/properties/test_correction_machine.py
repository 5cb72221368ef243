# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""A hypothesis state machine over random correction sequences.

Random scoring by random accounts, agreement, escalation, referral to a
third corrector, replacement of correctors and closing, against a model
written here independently of ``ITEM_LIFECYCLE`` (seed 002, issue 12):
every refused move changes nothing (closing with an unresolved difference
included), replacing a corrector keeps the scores, every score change
leaves a version and no version is ever lost.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from examkit.correction import ItemState, Mark
from examkit.errors import ExamkitError, InvalidInput, InvalidState, NotPermitted
from examkit.scheduling import GroupState
from examkit.testing import ManualClock
from examkit.testing.correction import SPARE, THIRD, corrected_group, make_correction_kit
from examkit.testing.sessions import START

MAXIMA = {"o1": 3, "o2": 4}
ACCOUNTS = ["corrector", "corrector2", THIRD, SPARE, "planner", "proctor"]
# Correctors act most: a sequence then reaches differences, agreements and escalations.
ACTING = st.sampled_from([*ACCOUNTS, "corrector", "corrector2", THIRD, "corrector", "corrector2"])
FINAL = {"settled", "agreed", "decided"}


class CorrectionMachine(RuleBasedStateMachine):
    """One double-corrected group of one candidate; the model says what must happen."""

    @initialize()
    def start(self) -> None:
        self.kit = make_correction_kit(ManualClock(START))
        self.group, people = corrected_group(self.kit, 1)
        self.people = [p.id for p in people]
        self.places: dict[str, str | None] = {
            "first": "corrector",
            "second": "corrector2",
            "third": None,
        }
        self.closed = False
        self.items: dict[tuple[str, str], dict[str, Any]] = {
            (c, i): {"st": "open", "first": None, "second": None, "agreed": None, "third": None}
            for c in self.people
            for i in MAXIMA
        }
        self.versions = dict.fromkeys(self.people, 0)
        self.seen: dict[str, tuple[Any, ...]] = dict.fromkeys(self.people, ())

    def _place(self, account: str) -> str | None:
        for place, holder in self.places.items():
            if holder == account:
                return place
        return None

    def _sheets(self) -> dict[str, Any]:
        return {c: self.kit.corrections.sheet(self.group, c) for c in self.people}

    def _refused(self, error: type[ExamkitError], call: Any) -> None:
        before = (self._sheets(), self.kit.corrections.correction(self.group))
        with pytest.raises(error):
            call()
        assert before == (self._sheets(), self.kit.corrections.correction(self.group))

    @rule(
        account=ACTING,
        candidate=st.just(0),
        scores=st.dictionaries(st.sampled_from(sorted(MAXIMA)), st.integers(0, 4), min_size=1),
    )
    def score(self, account: str, candidate: int, scores: dict[str, int]) -> None:
        self._score(account, self.people[candidate], scores)

    @rule(
        place=st.sampled_from(["first", "second", "third"]),
        scores=st.dictionaries(st.sampled_from(sorted(MAXIMA)), st.integers(0, 3), min_size=1),
    )
    def score_in_place(self, place: str, scores: dict[str, int]) -> None:
        """Whoever holds *place* now scores (the model only picks the account)."""
        self._score(self.places[place] or SPARE, self.people[0], scores)

    def _score(self, account: str, who: str, scores: dict[str, int]) -> None:
        place = self._place(account)
        call: Callable[[], object] = partial(
            self.kit.correction_work.score, account, self.group, who, scores
        )
        if place is None:
            self._refused(NotPermitted, call)
            return
        if self.closed:
            self._refused(InvalidState, call)
            return
        allowed = {"first": {"open", "settled"}, "second": {"open", "settled"}, "third": {"third"}}
        if any(v > MAXIMA[i] for i, v in scores.items()) or any(
            self.items[(who, i)]["st"] not in allowed[place] for i in scores
        ):
            self._refused(ExamkitError, call)
            return
        call()
        event(f"scored by the {place} corrector")
        for item, value in scores.items():
            model = self.items[(who, item)]
            if model[place] != value:
                self.versions[who] += 1
            model[place] = value
            if place == "third":
                model["st"] = "decided"
            elif model["first"] is not None and model["second"] is not None:
                model["st"] = "settled" if model["first"] == model["second"] else "different"

    @rule(
        account=ACTING,
        candidate=st.just(0),
        item=st.sampled_from(sorted(MAXIMA)),
        value=st.integers(0, 3),
        agree=st.booleans(),
    )
    def agree_or_escalate(
        self, account: str, candidate: int, item: str, value: int, agree: bool
    ) -> None:
        who = self.people[candidate]
        who_acts = account
        call: Callable[[], object] = (
            partial(self.kit.correction_work.agree, who_acts, self.group, who, item, value)
            if agree
            else partial(self.kit.correction_work.escalate, who_acts, self.group, who, item)
        )
        model = self.items[(who, item)]
        if self._place(account) not in {"first", "second"}:
            self._refused(NotPermitted, call)
        elif self.closed or model["st"] != "different":
            self._refused(InvalidState, call)
        else:
            call()
            event("agreed" if agree else "escalated")
            if agree:
                model["st"], model["agreed"] = "agreed", value
                self.versions[who] += 1
            else:
                model["st"] = "escalated"

    @rule(
        account=st.sampled_from(["planner", "planner", "proctor", "corrector"]),
        third=st.sampled_from([THIRD, SPARE, THIRD, "corrector", "planner"]),
    )
    def refer(self, account: str, third: str) -> None:
        call: Callable[[], object] = partial(self.kit.correctors.refer, account, self.group, third)
        escalated = [key for key, m in self.items.items() if m["st"] == "escalated"]
        if account != "planner":
            self._refused(NotPermitted, call)
        elif self.closed:
            self._refused(InvalidState, call)
        elif third in (self.places["first"], self.places["second"]) or third in {
            "planner",
            "proctor",
        }:
            self._refused(InvalidInput, call)
        elif not escalated and self.places["third"] is None:
            self._refused(InvalidState, call)
        else:
            call()
            event("referred")
            self.places["third"] = third
            for key in escalated:
                self.items[key]["st"] = "third"

    @rule(
        account=st.sampled_from(["planner", "corrector"]),
        place=st.sampled_from(["first", "second", "third"]),
        newcomer=st.sampled_from(ACCOUNTS),
    )
    def replace(self, account: str, place: str, newcomer: str) -> None:
        call: Callable[[], object] = partial(
            self.kit.correctors.replace, account, self.group, Mark(place), newcomer
        )
        held = self._place(newcomer)
        if account != "planner":
            self._refused(NotPermitted, call)
        elif self.closed or self.places[place] is None:
            self._refused(InvalidState, call)
        elif (held is not None and held != place) or newcomer in {"planner", "proctor"}:
            self._refused(InvalidInput, call)
        else:
            call()
            event("replaced")
            self.places[place] = newcomer

    @rule(account=ACTING)
    def close(self, account: str) -> None:
        call: Callable[[], object] = partial(self.kit.correction_work.close, account, self.group)
        if self._place(account) not in {"first", "second"}:
            self._refused(NotPermitted, call)
        elif self.closed or any(m["st"] not in FINAL for m in self.items.values()):
            event("close refused")
            self._refused(InvalidState, call)
        else:
            call()
            event("closed")
            self.closed = True

    @invariant()
    def the_store_is_the_model(self) -> None:
        if not hasattr(self, "kit"):
            return
        for who, sheet in self._sheets().items():
            assert self.versions[who] == len(sheet.versions)
            assert self.seen[who] == sheet.versions[: len(self.seen[who])]
            self.seen[who] = sheet.versions
            for item in MAXIMA:
                stored, model = sheet.items[item], self.items[(who, item)]
                assert ItemState(model["st"]) == stored.state
                assert (model["first"], model["second"], model["agreed"], model["third"]) == (
                    stored.first,
                    stored.second,
                    stored.agreed,
                    stored.third,
                )
        correction = self.kit.corrections.correction(self.group)
        assert self.places == {
            "first": correction.first,
            "second": correction.second,
            "third": correction.third,
        }
        expected = (
            GroupState.CORRECTION_CLOSED if self.closed else GroupState.RELEASED_FOR_CORRECTION
        )
        assert expected == self.kit.planning.group(self.group).state


CorrectionMachine.TestCase.settings = settings(
    CorrectionMachine.TestCase.settings, stateful_step_count=60
)
TestCorrectionMachine = pytest.mark.req("SCO-3")(CorrectionMachine.TestCase)
