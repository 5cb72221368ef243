"""benchmarks/portal_exam_day.py: its data set, its baseline's bare save, its profiling switch.

The smoke run (tests/benchmarks/test_benchmarks_smoke.py) shows the whole
benchmark runs; these tests check the parts whose mistakes a run would not
show: the data set is what the docstring says, the baseline's one statement
really stores the answer where examkit reads it, and the profile covers the
worker threads the examkit calls run in.
"""

from __future__ import annotations

import asyncio
import json
import pstats
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the benchmarks, as scripts do

import attrs
import httpx
import pytest
from benchmarks._exam_day_server import BareSaves, make_baseline, profiled
from benchmarks._portal_server import build_kit, build_portal
from benchmarks.portal_exam_day import VARIANTS, Group, Page, build_exam_day, sign_in
from starlette.applications import Starlette

from examkit.scheduling import AttemptState, GroupState, attempt_id


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest) -> str:
    url: str = request.getfixturevalue(f"{request.param}_url")
    return url


def test_the_data_set_is_a_released_group_of_candidates_per_side(database_url: str) -> None:
    groups = build_exam_day(database_url, 3)
    assert set(VARIANTS) == set(groups)
    kit = build_kit(database_url)
    try:
        for group in groups.values():
            assert 3 == len(group.candidates)
            assert GroupState.RELEASED is kit.planning.group(group.id).state
            assert {AttemptState.REGISTERED} == {
                attempt.state for attempt in kit.planning.attempts(group.id)
            }
        logins = [login for group in groups.values() for _, login in group.candidates]
        assert len(set(logins)) == len(logins)
    finally:
        kit.close()


def test_a_bare_save_puts_the_answer_where_examkit_reads_it(database_url: str) -> None:
    group = build_exam_day(database_url, 2)["baseline"]
    kit = build_kit(database_url)
    saves = BareSaves(database_url)
    try:
        candidate, login = group.candidates[0]
        kit.sitting.sign_in(login, group.access_code)
        response = {"saved_at": "2026-12-05T21:00:00+00:00", "sequence": 7, "value": {"x": [1]}}
        key = attempt_id(group.id, candidate)
        stored, deadline = saves.save(key, "q2", json.dumps(response))
        assert saves.save(key, "q3", json.dumps({**response, "value": "tekst"}))[0]
        assert (False, None) == saves.save(attempt_id(group.id, "c-nobody"), "q2", "{}")
        attempt = kit.sitting.attempt(group.id, candidate)
        assert stored
        assert attempt.deadline == datetime(1970, 1, 1, tzinfo=UTC) + timedelta(
            microseconds=deadline or 0
        )
        assert {"q2": {"x": [1]}, "q3": "tekst"} == {
            item: saved.value for item, saved in attempt.responses.items()
        }
        assert AttemptState.IN_PROGRESS is attempt.state
    finally:
        saves.close()
        kit.close()


def _worker_of_the_profile_test() -> int:
    return sum(range(1000))


def test_the_profile_covers_the_threads_started_while_it_runs(tmp_path: Path) -> None:
    target = tmp_path / "server.prof"
    with profiled(target):
        worker = threading.Thread(target=_worker_of_the_profile_test)
        worker.start()
        worker.join()
    functions = {name for _, _, name in pstats.Stats(str(target)).stats}  # type: ignore[attr-defined]
    assert "_worker_of_the_profile_test" in functions


ORIGIN = "http://127.0.0.1:8000"
ANSWER = {"text": "Een antwoord."}


async def _save(
    http: httpx.AsyncClient, page: Page, *, origin: str = ORIGIN, counter: int = 1
) -> dict[str, object]:
    answer = await http.post(
        "/test/save",
        json={"epoch": page.epoch, "counter": counter, "item": "q3", "value": ANSWER},
        headers={"X-Examkit-Save": page.token, "Origin": origin, "Cookie": page.cookie},
    )
    return {"status": answer.status_code, **answer.json()}


async def _sit(app: Starlette, group: Group) -> list[dict[str, object]]:
    """Sign the group's one candidate in, then save: right, wrong token, no cookie, elsewhere."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=ORIGIN) as http:
        (page,) = await sign_in(http, ORIGIN, group)
        http.cookies.clear()  # each save carries the page's cookie itself, as wrk sends it
        return [
            await _save(http, page),
            await _save(http, attrs.evolve(page, token="0" * 64), counter=2),
            await _save(http, attrs.evolve(page, cookie="other=1"), counter=3),
            await _save(http, page, origin="https://elders.example", counter=4),
        ]


def test_the_baseline_checks_a_save_as_the_real_one_and_answers_the_same(sqlite_url: str) -> None:
    groups = build_exam_day(sqlite_url, 1)
    kit, real = build_portal(sqlite_url, 8000)
    _, baseline = build_portal(sqlite_url, 8000)
    make_baseline(baseline, sqlite_url)
    try:
        answers = {
            "examkit": asyncio.run(_sit(real, groups["examkit"])),
            "baseline": asyncio.run(_sit(baseline, groups["baseline"])),
        }
        for variant, group in groups.items():
            attempt = kit.sitting.attempt(group.id, group.candidates[0][0])
            assert {"q3": ANSWER} == {
                item: saved.value for item, saved in attempt.responses.items()
            }, variant
    finally:
        kit.close()
    left = [side[0].pop("seconds_left") for side in answers.values()]
    assert all(isinstance(s, int) and 7000 < s <= 7200 for s in left), left  # the deadline's
    for side in answers.values():
        assert [
            {"status": 200, "stored": True, "acknowledged": True, "superseded": False},
            {"status": 403, "error": "page"},
            {"status": 401, "error": "signed_out"},
            {"status": 403, "error": "cross_site"},
        ] == side
