"""Conformance: whatever the one check before storage lets through, a backend keeps exactly.

The services check every outside value before storage
(:mod:`examkit.storage`: :func:`~examkit.storage.check_sequence`,
:func:`~examkit.storage.json_value`, :func:`~examkit.storage.storable_key`);
these cases hold a backend to storing and returning everything that passes,
at every limit, so that no backend refuses or changes what another keeps.
"""

from __future__ import annotations

import itertools
import json
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from examkit.errors import NotFound
from examkit.records import Backend
from examkit.scheduling import Attempt, AttemptState, Candidate, SavedResponse
from examkit.storage import (
    MAX_JSON_DEPTH,
    MAX_JSON_NUMBER,
    MAX_KEY_LENGTH,
    MAX_SEQUENCE,
    json_value,
    storable_key,
)
from examkit.testing.conformance._sessions import L00
from examkit.testing.conformance._support import NOW, BackendFixtures
from examkit.testing.strategies import stored_json_values


def _nested(depth: int) -> Any:
    value: Any = "bodem"
    for _ in range(depth):
        value = [value]
    return value


EDGE_VALUES: tuple[Any, ...] = (
    _nested(MAX_JSON_DEPTH),
    {
        "largest": MAX_JSON_NUMBER,
        "smallest": -MAX_JSON_NUMBER,
        "float": float(MAX_JSON_NUMBER),
        "near": 9.0e15,
        "tiny": 5e-324,
        "small": 1e-7,
        "third": 1 / 3,
        "one": 1.0,
        "zero": 0.0,
    },
    {"text": "Zoë 𝄞 ﷽ \u202e\u200b\x01\x7f\ufeff", "𝄞": [None, True, False, ""], "": {}},
    [[], {}, "", 0, 0.5],
)
"""Values at every limit of :func:`~examkit.storage.json_value` that a backend must keep."""


def canonical(value: Any) -> str:
    """Return *value* as JSON with sorted keys: equal for equal values, ``1`` apart from ``1.0``."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _running(group: str, candidate: str = "c-1") -> Attempt:
    return Attempt(
        group=group,
        candidate=candidate,
        exam="NE-GL-2026",
        login_name="KAND0001",
        state=AttemptState.IN_PROGRESS,
        started_at=NOW,
        deadline=NOW + timedelta(minutes=150),
    )


def _store_running(backend: Backend, group: str) -> str:
    attempt = _running(group)
    with backend.begin() as uow:
        uow.test_attempts.add_many([attempt])
        uow.commit()
    return attempt.id


def _saved(backend: Backend, key: str) -> dict[str, SavedResponse]:
    with backend.begin(readonly=True) as uow:
        return dict(uow.test_attempts.get(key).responses)


class StoredValuesContract(BackendFixtures):
    """Everything the check before storage lets through is kept exactly, at every limit."""

    @pytest.mark.req("SCH-7")
    def test_values_at_every_limit_come_back_as_given_by_save_and_by_update(
        self, backend: Backend
    ) -> None:
        """Saved one at a time up to MAX_SEQUENCE, or written whole: equal, floats as floats."""
        key = _store_running(backend, "g-edges")
        for sequence, value in enumerate(EDGE_VALUES, start=MAX_SEQUENCE - len(EDGE_VALUES) + 1):
            response = SavedResponse(value=json_value(value), sequence=sequence, saved_at=NOW)
            with backend.begin() as uow:
                assert uow.test_attempts.record_response(key, f"q{sequence}", response, now=NOW)
                uow.commit()
        saved = _saved(backend, key)
        first = MAX_SEQUENCE - len(EDGE_VALUES) + 1
        assert {item: (canonical(r.value), r.sequence) for item, r in saved.items()} == {
            f"q{first + n}": (canonical(v), first + n) for n, v in enumerate(EDGE_VALUES)
        }
        with backend.begin(readonly=True) as uow:
            attempt = uow.test_attempts.get(key)
        assert attempt.last_sequence == MAX_SEQUENCE
        written = Attempt(
            group="g-whole",
            candidate="c-1",
            exam="NE-GL-2026",
            login_name="KAND0001",
            state=AttemptState.SUBMITTED,
            last_sequence=MAX_SEQUENCE,
            responses={
                f"q{n}": SavedResponse(value=json_value(v), sequence=MAX_SEQUENCE, saved_at=NOW)
                for n, v in enumerate(EDGE_VALUES)
            },
        )
        with backend.begin() as uow:
            uow.test_attempts.add_many([written])
            uow.commit()
        back = _saved(backend, written.id)
        assert {i: canonical(r.value) for i, r in back.items()} == {
            i: canonical(r.value) for i, r in written.responses.items()
        }

    @pytest.mark.req("SCH-7")
    def test_any_value_the_check_lets_through_comes_back_as_given(self, backend: Backend) -> None:
        """Any JSON value :func:`~examkit.storage.json_value` accepts is kept exactly."""
        examples = itertools.count()

        @settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
        @given(value=stored_json_values())
        def round_trip(value: Any) -> None:
            key = _store_running(backend, f"g-{next(examples)}")
            response = SavedResponse(value=json_value(value), sequence=1, saved_at=NOW)
            with backend.begin() as uow:
                assert uow.test_attempts.record_response(key, "q1", response, now=NOW)
                uow.commit()
            assert canonical(_saved(backend, key)["q1"].value) == canonical(json_value(value))

        round_trip()

    @pytest.mark.req("AUTH-12", "AUTH-6")
    def test_counter_keys_up_to_the_limit_are_kept_apart(self, backend: Backend) -> None:
        """Keys of MAX_KEY_LENGTH characters, any Unicode, and digested keys count apart."""
        long_keys = [
            "é" * MAX_KEY_LENGTH,
            "é" * (MAX_KEY_LENGTH - 1) + "è",
            "𝄞" * MAX_KEY_LENGTH,
            "Z" * MAX_KEY_LENGTH,
            storable_key("Z" * (MAX_KEY_LENGTH + 1)),
            storable_key("\ud800"),
            storable_key("KAND\x000001"),
        ]
        assert len(set(long_keys)) == len(long_keys)
        for round_ in (1, 2):
            for key in long_keys:
                with backend.begin() as uow:
                    counted = uow.counters.record(
                        "sessions.sign_in", key, now=NOW, window=timedelta(minutes=15), limit=5
                    )
                    uow.commit()
                assert counted.count == round_

    @pytest.mark.req("AUTH-12", "SCH-1")
    def test_a_candidate_is_found_by_a_login_name_of_any_allowed_length(
        self, backend: Backend
    ) -> None:
        """Login names of 4 and of 20 characters are stored and found."""
        people = [
            Candidate(id=f"c-{n}", location=L00, login_name=name, first_name="A", last_name="B")
            for n, name in enumerate(["KAND", "K" * 20])
        ]
        with backend.begin() as uow:
            uow.candidates.add_many(people)
            uow.commit()
        with backend.begin(readonly=True) as uow:
            assert [uow.candidates.get_by_login_name(p.login_name).id for p in people] == [
                "c-0",
                "c-1",
            ]

    @pytest.mark.req("SCH-4", "SCH-7")
    def test_a_lookup_by_text_no_backend_can_store_finds_nothing(self, backend: Backend) -> None:
        """NUL, a lone surrogate, very long text: not found (or nothing), never a store's error."""
        for text in ("a\x00b", "\ud800", "K" * 300, "g-1:\udc00"):
            with backend.begin(readonly=True) as uow:
                for repository in (
                    uow.exams,
                    uow.candidates,
                    uow.session_groups,
                    uow.test_attempts,
                    uow.offline_servers,
                ):
                    with pytest.raises(NotFound):
                        repository.get(text)
                with pytest.raises(NotFound):
                    uow.candidates.get_by_login_name(text)
                assert uow.session_groups.list_for_candidate(text) == ()
                assert uow.test_attempts.list_for_candidate(text) == ()
                assert uow.test_attempts.list_for_group(text) == ()
