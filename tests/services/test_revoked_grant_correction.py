# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""A grant revoked before a correction or import use case runs cannot act (issue 21).

PLAT-2 and ROLE-5, for the use cases of :mod:`examkit.correction` and
:mod:`examkit.imports` that take an actor (the rows of
:data:`ACTING_USE_CASES`; the sessions' own rows are in
``test_revoked_grant.py``). Hypothesis draws a use case and how long ago its
actor's needed grant was revoked (up to the moment of the call): the call
is refused with :class:`~examkit.errors.NotPermitted`, nothing stored
changes, and the refusal is audited as ``denied`` with the actor and the
error's code. With the grant intact each row's call succeeds, so the table
names the grant that matters.

The world's actors are the correction kit's fixed accounts (the group's
correctors are named in the session group); each example revokes the grant
and puts it back afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.services.revoked_grant import assert_not_denied, assert_refusal_audited, restore, revoke

from examkit import Examkit
from examkit.edexml import CombinationGroup, Group, PersonName, Pupil
from examkit.errors import NotPermitted
from examkit.identifiers import SchoolYear
from examkit.imports import roster_key
from examkit.storage import MAX_PAGE_SIZE
from examkit.testing import ManualClock, Wiring, edexml_document, store_actor
from examkit.testing.correction import (
    DEFINITION,
    NTERM,
    SPARE,
    THIRD,
    corrected_group,
    make_correction_kit,
)
from examkit.testing.sessions import L00, START

ADMIN = "import-admin"
"""The administrator (*beheerder*) of 22AB00 who imports EDEXML files."""
DENIED = "permission.denied"
NOT_ADMINISTERED = "imports.location.not_administered"


@attrs.frozen
class World:
    """A kit with a correction in every state a use case acts on, and an import."""

    kit: Examkit
    open: str
    """Released for correction, opened; candidate 0 has an open item and a difference on o2,
    candidate 1 an escalated item."""
    settled: str
    """Every open item has a final score; not closed."""
    closed: str
    """Correction closed; candidate 0 has a review period running."""
    candidates: dict[str, tuple[str, ...]]
    """Each group's candidates."""
    year: SchoolYear
    """The school year imported for 22AB00."""
    file: bytes
    """The EDEXML file of 22AB00."""
    pending: str
    """A preview of :attr:`file` by :data:`ADMIN`, waiting for confirmation."""


def edexml(year: SchoolYear) -> bytes:
    """Return an EDEXML file of 22AB00 with two pupils."""
    return edexml_document(
        school_year=year,
        brin=L00.brin,
        groups=[Group("g1", "1A", "1")],
        combination_groups=[CombinationGroup("c1", "Engels")],
        pupils=[
            Pupil(key, PersonName("Jansen", called_name=f"Kind{key}"), group="g1")
            for key in ("1", "2")
        ],
    )


def make_world(wiring: Wiring) -> World:
    """Return a :class:`World` on *wiring*'s backend and audit log."""
    kit = make_correction_kit(ManualClock(START), wiring.log, wiring.backend)
    work = kit.correction_work
    open_group, open_people = corrected_group(kit, 2)
    kit.corrections.open("corrector", open_group)
    first, second = (person.id for person in open_people)
    work.score("corrector", open_group, first, {"o2": 1})
    work.score("corrector2", open_group, first, {"o2": 3})
    work.score("corrector", open_group, second, {"o1": 2, "o2": 1})
    work.score("corrector2", open_group, second, {"o1": 2, "o2": 3})
    work.escalate("corrector", open_group, second, "o2")
    settled, settled_people = corrected_group(kit, 1, second=False)
    work.score("corrector", settled, settled_people[0].id, {"o1": 3, "o2": 4})
    closed, closed_people = corrected_group(kit, 1, second=False)
    work.score("corrector", closed, closed_people[0].id, {"o1": 1, "o2": 2})
    work.close("corrector", closed)
    now = kit.clock.now()
    kit.reviews.grant_review(
        "planner",
        closed,
        closed_people[0].id,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(days=7),
    )
    store_actor(kit.backend, ADMIN, [("cito_lvs.administrator", [L00])], granted_at=START)
    year = SchoolYear.at(now)
    file = edexml(year)
    kit.edexml_imports.confirm(ADMIN, kit.edexml_imports.preview(ADMIN, file))
    pending = kit.edexml_imports.preview(ADMIN, file).id
    return World(
        kit=kit,
        open=open_group,
        settled=settled,
        closed=closed,
        candidates={
            open_group: (first, second),
            settled: (settled_people[0].id,),
            closed: (closed_people[0].id,),
        },
        year=year,
        file=file,
        pending=pending,
    )


def stored_state(world: World) -> dict[str, Any]:
    """Everything the use cases of the table may change, as stored now (the audit apart)."""
    with world.kit.backend.begin(readonly=True) as uow:
        groups = (world.open, world.settled, world.closed)
        return {
            "corrections": [uow.correction_groups.get(group) for group in groups],
            "sheets": [uow.correction_sheets.list_for_group(group) for group in groups],
            "groups": [uow.session_groups.get(group) for group in groups],
            "pending": uow.pending_imports.get(world.pending),
            "pupils": uow.pupils.list(L00, world.year, archived=None, limit=MAX_PAGE_SIZE).items,
            "classes": uow.class_lists.get(roster_key(L00, world.year)),
        }


@attrs.frozen
class ActingUseCase:
    """One use case that acts for someone: its actor, the role it needs, how to call it."""

    actor: str
    """The world's account that calls it."""
    role: str
    """The role whose grant it needs (revoked in the property)."""
    call: Callable[[World, str], object]
    """Calls the use case in the world with the actor's account id."""
    refusal: str = DENIED
    """The code of the refusal when the grant is revoked."""


def _first(world: World, group: str) -> str:
    return world.candidates[group][0]


CORRECTOR, PLANNER, ADMINISTRATOR = "facet.corrector", "facet.planner", "cito_lvs.administrator"

ACTING_USE_CASES: dict[str, ActingUseCase] = {
    "corrections.open": ActingUseCase(
        "corrector", CORRECTOR, lambda w, a: w.kit.corrections.open(a, w.open)
    ),
    "correction_work.work_list": ActingUseCase(
        "corrector", CORRECTOR, lambda w, a: w.kit.correction_work.work_list(a, w.open)
    ),
    "correction_work.differences": ActingUseCase(
        "corrector", CORRECTOR, lambda w, a: w.kit.correction_work.differences(a, w.open)
    ),
    "correction_work.score": ActingUseCase(
        "corrector",
        CORRECTOR,
        lambda w, a: w.kit.correction_work.score(a, w.open, _first(w, w.open), {"o1": 2}),
    ),
    "correction_work.agree": ActingUseCase(
        "corrector",
        CORRECTOR,
        lambda w, a: w.kit.correction_work.agree(a, w.open, _first(w, w.open), "o2", 2),
    ),
    "correction_work.escalate": ActingUseCase(
        "corrector",
        CORRECTOR,
        lambda w, a: w.kit.correction_work.escalate(a, w.open, _first(w, w.open), "o2"),
    ),
    "correction_work.closed_view": ActingUseCase(
        "corrector", CORRECTOR, lambda w, a: w.kit.correction_work.closed_view(a, w.closed)
    ),
    "correction_work.close": ActingUseCase(
        "corrector", CORRECTOR, lambda w, a: w.kit.correction_work.close(a, w.settled)
    ),
    "correctors.replace": ActingUseCase(
        "planner", PLANNER, lambda w, a: w.kit.correctors.replace(a, w.open, "second", SPARE)
    ),
    "correctors.refer": ActingUseCase(
        "planner", PLANNER, lambda w, a: w.kit.correctors.refer(a, w.open, THIRD)
    ),
    "results.results": ActingUseCase(
        "planner", PLANNER, lambda w, a: w.kit.results.results(a, w.closed, DEFINITION, NTERM)
    ),
    "results.partial_report": ActingUseCase(
        "planner",
        PLANNER,
        lambda w, a: w.kit.results.partial_report(a, w.closed, DEFINITION, NTERM),
    ),
    "results.result_rows": ActingUseCase(
        "planner",
        PLANNER,
        lambda w, a: w.kit.results.result_rows(a, w.closed, DEFINITION, NTERM),
    ),
    "results.exchange": ActingUseCase(
        "planner", PLANNER, lambda w, a: w.kit.results.exchange(a, w.closed, DEFINITION, NTERM)
    ),
    "reviews.grant_review": ActingUseCase(
        "planner",
        PLANNER,
        lambda w, a: w.kit.reviews.grant_review(
            a,
            w.closed,
            _first(w, w.closed),
            starts_at=w.kit.clock.now(),
            ends_at=w.kit.clock.now() + timedelta(days=1),
        ),
    ),
    "reviews.review": ActingUseCase(
        "planner",
        PLANNER,
        lambda w, a: w.kit.reviews.review(a, w.closed, _first(w, w.closed), DEFINITION, NTERM),
    ),
    "reviews.review_page": ActingUseCase(
        "planner",
        PLANNER,
        lambda w, a: w.kit.reviews.review_page(
            a, w.closed, _first(w, w.closed), lambda _: DEFINITION, NTERM
        ),
    ),
    "reviews.history": ActingUseCase(
        "planner", PLANNER, lambda w, a: w.kit.reviews.history(a, w.open, _first(w, w.open))
    ),
    "edexml_imports.preview": ActingUseCase(
        ADMIN,
        ADMINISTRATOR,
        lambda w, a: w.kit.edexml_imports.preview(a, w.file),
        refusal="imports.actor.no_location",
    ),
    "edexml_imports.confirm": ActingUseCase(
        ADMIN,
        ADMINISTRATOR,
        lambda w, a: w.kit.edexml_imports.confirm(a, w.pending),
        refusal=NOT_ADMINISTERED,
    ),
    "edexml_imports.get_preview": ActingUseCase(
        ADMIN,
        ADMINISTRATOR,
        lambda w, a: w.kit.edexml_imports.get_preview(a, w.pending),
        refusal=NOT_ADMINISTERED,
    ),
    "edexml_imports.cancel": ActingUseCase(
        ADMIN,
        ADMINISTRATOR,
        lambda w, a: w.kit.edexml_imports.cancel(a, w.pending),
        refusal=NOT_ADMINISTERED,
    ),
    "edexml_imports.remove_year": ActingUseCase(
        ADMIN,
        ADMINISTRATOR,
        lambda w, a: w.kit.edexml_imports.remove_year(a, L00, w.year),
        refusal=NOT_ADMINISTERED,
    ),
}
"""Every use case of correction and imports that takes an actor -> its row.

Not here, as they take no actor: ``kit.corrections.correction`` and
``sheet`` (reads of the group's correction), ``kit.rosters`` (the listings)
and ``kit.import_housekeeping`` (the jobs)."""


@contextmanager
def revoked(world: World, case: ActingUseCase, ago: timedelta) -> Iterator[None]:
    """Revoke the grant of *case*'s role held by its actor *ago* before now; restore it after."""
    held = revoke(world.kit, case.actor, role=case.role, ago=ago)
    try:
        yield
    finally:
        restore(world.kit, held)


@pytest.fixture
def world(wiring: Wiring) -> World:
    return make_world(wiring)


@pytest.mark.req("PLAT-2", "ROLE-5")
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    name=st.sampled_from(sorted(ACTING_USE_CASES)),
    ago=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=30)),
)
def test_a_grant_revoked_before_the_call_cannot_act(
    world: World, wiring: Wiring, name: str, ago: timedelta
) -> None:
    """Refused with NotPermitted, nothing stored changes, and the refusal is audited as denied."""
    case = ACTING_USE_CASES[name]
    before = stored_state(world)
    with revoked(world, case, ago), pytest.raises(NotPermitted) as refused:
        case.call(world, case.actor)
    assert case.refusal == refused.value.code
    assert before == stored_state(world)
    assert_refusal_audited(wiring.audit.events, case.actor, case.refusal)


@pytest.mark.req("PLAT-2", "ROLE-5")
@pytest.mark.parametrize("name", sorted(ACTING_USE_CASES))
def test_with_the_grant_intact_each_use_case_acts(wiring: Wiring, name: str) -> None:
    """The table's grant is what the use case needs: with it the call succeeds."""
    world = make_world(wiring)
    case = ACTING_USE_CASES[name]
    events = len(wiring.audit.events)
    case.call(world, case.actor)
    assert_not_denied(wiring.audit.events[events:])
