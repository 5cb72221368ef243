"""A released group of the demo test at the school of :mod:`tests.school` (the candidate's tests).

Not a test module: made with the library's use cases (users and grants,
candidates, planning, the group's lifecycle), as a school would.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from datetime import datetime

import attrs
from tests.school import ADMIN, L00

from examkit import Examkit
from examkit.accounts import LoginName
from examkit.errors import AlreadyExists
from examkit.scheduling import Candidate, Facilities, Mode
from portal._test_content import DEMO_EXAM

STAFF = {"planner": "facet.planner", "proctor": "facet.proctor", "corrector": "facet.corrector"}
"""The staff a group needs: role name -> role."""


@attrs.frozen
class ReleasedGroup:
    """A released group: its id, its candidates, the access code and the staff's ids."""

    id: str
    candidates: tuple[Candidate, ...]
    code: str
    staff: dict[str, str]


def staff_of(kit: Examkit) -> dict[str, str]:
    """Return the planner's, proctor's and corrector's account ids (made once per kit)."""
    found: dict[str, str] = {}
    for name, role in STAFF.items():
        login = f"22AB.T.{name.capitalize()}"
        try:
            account = kit.users.add_user(
                ADMIN,
                application="facet",
                at=L00,
                login_name=login,
                first_name="Test",
                last_name=name.capitalize(),
                email=f"{name}@school.nl",
                tell=False,
            )
        except AlreadyExists:
            with kit.backend.begin(readonly=True) as uow:
                account = uow.accounts.get_by_login_name(LoginName(login))
        kit.grants.grant_role(ADMIN, account.id, role, at=[L00])
        found[name] = account.id
    return found


def released_group(
    kit: Examkit,
    names: Sequence[str] = ("Sanne",),
    *,
    facilities: Facilities | None = None,
    starts_at: datetime | None = None,
) -> ReleasedGroup:
    """Plan the demo test now for a candidate per name (the first with *facilities*), release it."""
    with contextlib.suppress(AlreadyExists):
        kit.candidates.register_exam(DEMO_EXAM)
    staff = staff_of(kit)
    people = tuple(
        kit.candidates.add_candidate(
            staff["planner"],
            location=L00,
            first_name=name,
            last_name="de Vries",
            facilities=facilities if n == 0 and facilities is not None else Facilities(),
        )
        for n, name in enumerate(names)
    )
    group = kit.planning.plan(
        staff["planner"],
        location=L00,
        exam=DEMO_EXAM.code,
        mode=Mode.ONLINE,
        starts_at=starts_at if starts_at is not None else kit.clock.now(),
        room="Aula",
        proctor=staff["proctor"],
        candidates=[person.id for person in people],
        first_corrector=staff["corrector"],
    )
    code = kit.group_lifecycle.release(staff["proctor"], group.id).access_code
    assert code is not None
    return ReleasedGroup(group.id, people, code, staff)
