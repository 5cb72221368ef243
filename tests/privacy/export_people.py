"""One account, one pupil (with the candidate made from it) and a Flemish pupil in every record.

:data:`SEEDS` holds, by record name, one record of that kind that refers to
the people below, written by hand from the records' fields (not from
PERSON_LINKS): a test that seeds them all and exports each person checks the
export finds them in every kind that can hold them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any, Final

from examkit.accounts import Account, LoginName
from examkit.applications import AccountApplication, ApplicationStatus, Decision
from examkit.applications._example import example_application
from examkit.audit import AuditEvent
from examkit.auth import (
    Authenticator,
    EmailChange,
    SentReminder,
    SignInTransaction,
    Step,
    TrustedBrowser,
)
from examkit.correction import (
    CorrectionGroup,
    CorrectionSheet,
    ItemCorrection,
    Mark,
    OpenItemSlot,
    Replacement,
    ResultRow,
    ReviewGrant,
    ScoreVersion,
)
from examkit.edexml import PersonName, Pupil
from examkit.edexml import Teacher as EdexmlTeacher
from examkit.federation import FederatedLink, LinkKind, LinkMethod
from examkit.flemish import FlemishRegistration, PupilRegistration, RegistrationWindow
from examkit.identifiers import Brin, Instellingsnummer, LocationCode, SchoolYear
from examkit.imports import ClassList, EnrolledPupil, PendingImport
from examkit.notifications import QueuedMail
from examkit.offline import AppliedKey, InboxEntry, QueuedEntry, ServerCredential, SyncConflict
from examkit.permissions import Authorization, Grant
from examkit.privacy import PersonRef
from examkit.scheduling import (
    Attempt,
    AttemptEvent,
    Candidate,
    Incident,
    Mode,
    Remark,
    SessionReport,
    TestSessionGroup,
)
from examkit.scheduling import GroupState as State
from examkit.websessions import WebSession

NOW: Final = datetime(2026, 5, 12, 8, tzinfo=UTC)
LOCATION: Final = LocationCode("22AB00")
SCHOOL: Final = Instellingsnummer("012345")
YEAR: Final = SchoolYear("2025-2026")

ACCOUNT_ID: Final = "acc-priv-1"
LOGIN: Final = "22AB.P.Jansen"
EMAIL: Final = "p.jansen@school.example"
PUPIL_KEY: Final = "LL-4242"
CANDIDATE_ID: Final = "c-priv-1"
CANDIDATE_LOGIN: Final = "PRIVKAND"
GROUP: Final = "g-priv-1"
FLEMISH_KEY: Final = "VL-77"

ACCOUNT: Final = PersonRef.account(ACCOUNT_ID)
PUPIL: Final = PersonRef.pupil(str(LOCATION), PUPIL_KEY)
CANDIDATE: Final = PersonRef.candidate(CANDIDATE_ID)
FLEMISH_PUPIL: Final = PersonRef.pupil(str(SCHOOL), FLEMISH_KEY)

LATER: Final = NOW + timedelta(hours=1)


def _pupil() -> Pupil:
    return Pupil(PUPIL_KEY, PersonName("Vries", prefix="de", called_name="Sanne"), group="8A")


def _teacher() -> EdexmlTeacher:
    return EdexmlTeacher("t-1", PersonName("Jansen", called_name="Piet"), email=EMAIL)


def _class_list() -> ClassList:
    return ClassList(location=LOCATION, school_year=YEAR, teachers=(_teacher(),))


def _application() -> AccountApplication:
    example = example_application()
    decision = Decision(decided_at=NOW, decided_by="operator", reason="", account=ACCOUNT_ID)
    return AccountApplication(
        id="app-priv-1",
        system=example.system,
        school=example.school,
        administrator=example.administrator,
        competent_authority=example.competent_authority,
        submitted_at=NOW,
        status=ApplicationStatus.APPROVED,
        decision=decision,
    )


def _sync(kind: str, key: str) -> dict[str, Any]:
    return {"kind": kind, "key": key, "seq": 1}


SEEDS: Final[Mapping[str, Callable[[], object | tuple[object, ...]]]] = {
    "accounts": lambda: Account(
        id=ACCOUNT_ID,
        login_name=LoginName(LOGIN),
        first_name="Piet",
        last_name="Jansen",
        email=EMAIL,
        phone="0612345678",
        institutions=frozenset({Brin("22AB")}),
    ),
    "authorizations": lambda: Authorization(
        account=ACCOUNT_ID,
        grants=(Grant.of("facet.proctor", [LOCATION], granted_at=NOW),),
        belongs_to=frozenset({LOCATION}),
    ),
    "candidates": lambda: Candidate(
        id=CANDIDATE_ID,
        location=LOCATION,
        login_name=CANDIDATE_LOGIN,
        first_name="Sanne",
        last_name="de Vries",
        pupil_key=PUPIL_KEY,
    ),
    "session_groups": lambda: TestSessionGroup(
        id=GROUP,
        location=LOCATION,
        exam="NE-GL-2026",
        mode=Mode.ONLINE,
        starts_at=NOW,
        duration=timedelta(minutes=90),
        room="Lokaal 1",
        proctor=ACCOUNT_ID,
        candidates=(CANDIDATE_ID,),
        state=State.PLANNED,
        access_code="ABC123",
        report=SessionReport(
            incidents=(Incident(NOW, "te laat", CANDIDATE_ID),),
            remarks=(Remark(NOW, ACCOUNT_ID, "rustig"),),
        ),
    ),
    "test_attempts": lambda: Attempt(
        group=GROUP,
        candidate=CANDIDATE_ID,
        exam="NE-GL-2026",
        login_name=CANDIDATE_LOGIN,
        log=(AttemptEvent("registered", NOW, ACCOUNT_ID, ""),),
    ),
    "flemish_registrations": lambda: FlemishRegistration(
        school=SCHOOL,
        school_year=YEAR,
        window=RegistrationWindow(date(2026, 1, 6), date(2026, 2, 28)),
        parents_deadline=date(2026, 2, 21),
        pupils=(PupilRegistration(FLEMISH_KEY, "Lotte Peeters"),),
        validated_by=ACCOUNT_ID,
        validated_at=NOW,
    ),
    "signins": lambda: SignInTransaction(
        id="s" * 43,
        account_id=ACCOUNT_ID,
        step=Step.CREDENTIALS,
        application="facet",
        ip="192.0.2.7",
        started_at=NOW,
        expires_at=LATER,
    ),
    "trusted_browsers": lambda: TrustedBrowser(
        id="t" * 43, account_id=ACCOUNT_ID, ip="192.0.2.7", trusted_at=NOW, expires_at=LATER
    ),
    "sent_reminders": lambda: SentReminder(
        id="r-priv-1", account_id=ACCOUNT_ID, password_set_at=NOW, days=7, sent_at=NOW
    ),
    "email_changes": lambda: EmailChange(
        account_id=ACCOUNT_ID, email="nieuw@school.example", requested_at=NOW, expires_at=LATER
    ),
    "authenticators": lambda: Authenticator(account_id=ACCOUNT_ID, nonce="n" * 24, enrolled_at=NOW),
    "outbox": lambda: QueuedMail(
        id="m-priv-1",
        kind="auth.otp",
        to=(EMAIL,),
        sealed="sealed-secret",
        queued_at=NOW,
        next_attempt_at=NOW,
    ),
    "pupils": lambda: EnrolledPupil(location=LOCATION, school_year=YEAR, pupil=_pupil()),
    "class_lists": _class_list,
    "pending_imports": lambda: PendingImport(
        id="pi-priv-1",
        actor=ACCOUNT_ID,
        created_at=NOW,
        expires_at=LATER,
        file_hash="ab" * 32,
        base="0",
        classes=_class_list(),
        pupils=(_pupil(),),
    ),
    "applications": _application,
    "correction_groups": lambda: CorrectionGroup(
        group=GROUP,
        location=LOCATION,
        exam="NE-GL-2026",
        items=(OpenItemSlot("o1", 3),),
        first=ACCOUNT_ID,
        replacements=(Replacement(Mark.SECOND, None, ACCOUNT_ID, "planner", NOW),),
        reviews=(ReviewGrant(CANDIDATE_ID, NOW, LATER, "planner"),),
        published=(
            ResultRow(
                LOCATION,
                "8A",
                None,
                "NE-GL-2026",
                CANDIDATE_ID,
                "S. de Vries",
                Fraction(3),
                Decimal("7.5"),
            ),
        ),
    ),
    "correction_sheets": lambda: CorrectionSheet(
        GROUP,
        CANDIDATE_ID,
        {"o1": ItemCorrection(first=2)},
        (ScoreVersion("o1", Mark.FIRST, None, 2, ACCOUNT_ID, NOW, ""),),
    ),
    "web_sessions": lambda: WebSession(
        id="w" * 64,
        account_id=ACCOUNT_ID,
        created_at=NOW,
        last_seen_at=NOW,
        idle_timeout=timedelta(minutes=30),
        expires_at=LATER,
        generation=1,
    ),
    "federated_links": lambda: FederatedLink(
        id="f" * 64,
        account_id=ACCOUNT_ID,
        kind=LinkKind.SUBJECT,
        issuer="https://entree.example.nl",
        method=LinkMethod.INVITATION,
        linked_at=NOW,
    ),
    "offline_credentials": lambda: ServerCredential(
        server="fao-1", secret_digest="d" * 64, issued_at=NOW, issued_by=ACCOUNT_ID
    ),
    "sync_queue": lambda: (
        QueuedEntry(
            stream="up",
            seq=1,
            kind="attempt",
            key=f"{GROUP}:{CANDIDATE_ID}",
            revision=1,
            body={"state": "registered"},
            digest="e" * 64,
            queued_at=NOW,
        ),
        QueuedEntry(
            stream="down:fao-1",
            seq=1,
            kind="accounts",
            key=ACCOUNT_ID,
            revision=1,
            body={"id": ACCOUNT_ID, "password": "hash-secret"},
            digest="e" * 64,
            queued_at=NOW,
        ),
    ),
    "sync_inbox": lambda: InboxEntry(
        server="fao-1",
        seq=1,
        kind="answer",
        key=f"{GROUP}:{CANDIDATE_ID}:o1",
        digest="e" * 64,
        applied_at=NOW,
    ),
    "sync_applied_keys": lambda: (
        AppliedKey(kind="accounts", key=ACCOUNT_ID, revision=1, server="fao-1", seq=1),
        AppliedKey(kind="candidates", key=CANDIDATE_ID, revision=1, server="fao-1", seq=2),
    ),
    "sync_conflicts": lambda: SyncConflict(
        id="sc-priv-1",
        server="fao-1",
        kind="attempt",
        key=f"{GROUP}:{CANDIDATE_ID}",
        seq=2,
        reason="stale",
        detected_at=NOW,
        resolved_by=ACCOUNT_ID,
        resolved_at=LATER,
    ),
}
"""One record (or a few, where each names another kind of person) of every kind that can
hold a person, by record name."""

EVENTS: Final = (
    AuditEvent(at=NOW, actor=ACCOUNT_ID, action="demo.acted", subject="location:22AB00"),
    AuditEvent(at=NOW, actor=LOGIN, action="auth.sign_in", subject="login_name:x"),
    AuditEvent(at=NOW, actor="planner", action="demo.edited", subject=ACCOUNT.label),
    AuditEvent(at=NOW, actor="planner", action="demo.candidate", subject=CANDIDATE.label),
    AuditEvent(at=NOW, actor="planner", action="demo.pupil", subject=PUPIL.label),
    AuditEvent(at=NOW, actor="planner", action="demo.flemish", subject=FLEMISH_PUPIL.label),
)
"""The audit trail's events by or about each of them."""
