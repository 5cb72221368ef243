"""A ready-made test-session world for tests, doctests and benchmarks.

A kit whose backend holds the staff of location 22AB00 with their grants
(planner, proctor, correctors, the functionality-test roles, ...), two
registered tests, and helpers to add candidates and plan a group.

>>> from examkit.testing import ManualClock
>>> kit = make_session_kit(ManualClock(START))
>>> group = plan_group(kit, add_candidates(kit, 2))
>>> kit.planning.group(group).state.value
'planned'
"""

from __future__ import annotations

from datetime import datetime, timedelta

from examkit import Examkit, Settings
from examkit.accounts import Account, LoginName
from examkit.audit import AuditLog
from examkit.backends.memory import MemoryBackend
from examkit.identifiers import Brin, LocationCode
from examkit.permissions import Authorization, Grant
from examkit.privacy import PrivacySettings
from examkit.records import Backend
from examkit.scheduling import (
    Candidate,
    Exam,
    Facilities,
    ItemSlot,
    Mode,
    Scoring,
    SittingRules,
)
from examkit.testing._fakes import ManualClock, RecordingMailer, SequenceSecretSource

__all__ = [
    "EXAM",
    "FT_EXAM",
    "L00",
    "L01",
    "OPERATOR",
    "STAFF",
    "START",
    "add_candidates",
    "add_operator",
    "make_session_kit",
    "plan_group",
]

L00 = LocationCode("22AB00")
"""The location everything happens at."""
L01 = LocationCode("22AB01")
"""Another location of the same school."""

START = datetime.fromisoformat("2026-05-12T09:00:00+02:00")
"""The session's start: 12 May 2026, 09:00 in Amsterdam (07:00 UTC)."""

STAFF = {
    "planner": ("facet.planner",),
    "proctor": ("facet.proctor",),
    "corrector": ("facet.corrector",),
    "corrector2": ("facet.corrector",),
    "ft_planner": ("facet.ft_planner",),
    "ft_proctor": ("facet.ft_proctor",),
    "administrator": ("facet.administrator",),
    "fao": ("facet.fao_administrator",),
    "elsewhere": ("facet.planner", "facet.proctor"),
}
"""Account id -> roles held at 22AB00 (``elsewhere`` holds them at 22AB01 only)."""

OPERATOR = "operator"
"""The service desk's account id (:func:`add_operator`): it publishes exam packages."""


def add_operator(kit: Examkit) -> None:
    """Store the service desk's account, :data:`OPERATOR`, with the operator's grant.

    The session world's staff act at a location; the operator acts everywhere
    (publishing exam packages for offline servers, SCH-8).
    """
    with kit.backend.begin() as uow:
        uow.accounts.add(
            Account(
                id=OPERATOR,
                login_name=LoginName("examkit.operator"),
                first_name="Sam",
                last_name="Servicedesk",
                email="desk@examkit.example",
            )
        )
        uow.authorizations.add(
            Authorization(
                account=OPERATOR,
                grants=[Grant.of("examkit.operator", granted_at=START - timedelta(days=100))],
            )
        )
        uow.commit()


EXAM = Exam(
    code="NE-GL-2026",
    title="Nederlands GL/TL",
    subject="Nederlands",
    duration=timedelta(minutes=120),
    items=[
        ItemSlot("q1", 1),
        ItemSlot("q2", 2),
        ItemSlot("q3", 3, Scoring.CORRECTOR),
    ],
)
"""A central exam of 120 minutes with two automatic items and one open item."""
FT_EXAM = Exam(
    code="FT-2026",
    title="Functionaliteitentest",
    subject="Systeemcheck",
    duration=timedelta(minutes=20),
    items=[ItemSlot("ft1", 1)],
    functionality_test=True,
    central=False,
)
"""The functionality-test exam (the system check)."""


def make_session_kit(
    clock: ManualClock,
    audit: AuditLog | None = None,
    backend: Backend | None = None,
    seed: str = "sessions",
    sitting: SittingRules | None = None,
    *,
    privacy: PrivacySettings | None = None,
) -> Examkit:
    """Return a kit with the staff stored, and the two tests registered.

    Its audit log is *audit*, or the kit's own default (the backend's audit
    store, as in production) when none is given; its exam day's rules
    *sitting*, or the defaults; its privacy settings *privacy*, or the defaults.
    """
    kit = Examkit(
        backend=backend if backend is not None else MemoryBackend(),
        mailer=RecordingMailer(),
        settings=Settings(
            token_key=b"k" * 32,
            base_url="https://portal.example.nl",
            sitting=sitting if sitting is not None else SittingRules(),
            privacy=privacy if privacy is not None else PrivacySettings(),
        ),
        clock=clock,
        secrets=SequenceSecretSource(seed),
        audit=audit,
    )
    with kit.backend.begin() as uow:
        for account, roles in STAFF.items():
            uow.accounts.add(
                Account(
                    id=account,
                    login_name=LoginName(f"22AB.{account.replace('_', '')}.x"),
                    first_name="Kim",
                    last_name=account.title(),
                    email=f"{account}@school.nl",
                    institutions=frozenset({Brin("22AB")}),
                )
            )
            at = L01 if account == "elsewhere" else L00
            uow.authorizations.add(
                Authorization(
                    account=account,
                    grants=[
                        Grant.of(role, [at], granted_at=START - timedelta(days=100))
                        for role in roles
                    ],
                )
            )
        uow.commit()
    kit.candidates.register_exam(EXAM)
    kit.candidates.register_exam(FT_EXAM)
    return kit


def add_candidates(
    kit: Examkit, count: int, *, extra: int = 0, location: LocationCode = L00
) -> list[Candidate]:
    """Add *count* candidates at *location* (the first with *extra* minutes extra time)."""
    planner = "planner"
    made = []
    for n in range(count):
        facilities = Facilities(extra_time_minutes=extra if n == 0 else 0)
        made.append(
            kit.candidates.add_candidate(
                planner,
                location=location,
                first_name=f"Kandidaat{n}",
                last_name="de Vries",
                facilities=facilities,
            )
        )
    return made


def plan_group(
    kit: Examkit,
    candidates: list[Candidate],
    *,
    starts_at: datetime = START,
    exam: str = EXAM.code,
    planner: str = "planner",
    proctor: str = "proctor",
    first_corrector: str | None = "corrector",
) -> str:
    """Plan an online group of *candidates*; return its id."""
    group = kit.planning.plan(
        planner,
        location=L00,
        exam=exam,
        mode=Mode.ONLINE,
        starts_at=starts_at,
        room="Aula",
        proctor=proctor,
        candidates=[c.id for c in candidates],
        first_corrector=first_corrector,
    )
    return group.id
