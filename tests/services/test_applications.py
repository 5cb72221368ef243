# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Account applications through the composition root: submit, queue, approve, reject."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import attrs
import pytest

from examkit import Examkit
from examkit.accounts import Account, LoginName
from examkit.applications import (
    AdministratorEntry,
    ApplicationStatus,
    AuthorityEntry,
    LocationEntry,
    SchoolEntry,
)
from examkit.backends.memory import MemoryBackend
from examkit.errors import (
    AlreadyExists,
    ExamkitErrorGroup,
    InvalidInput,
    InvalidState,
    NotFound,
    NotPermitted,
)
from examkit.identifiers import Brin, LocationCode
from examkit.records import Backend
from examkit.testing import ManualClock, RecordingMailer, make_kit

SCHOOL = SchoolEntry(
    "22AB 00",
    "",
    "Helpdeskschool",
    "Waterlaan",
    "2",
    "8835 BA",
    "Groningen",
    (LocationEntry("22AB 01"),),
)
ADMIN = AdministratorEntry(
    "Klaas", "Beheerder", "06-12345678", "k.beheerder@helpdeskschool.nl", "22AB.K.Beheerder"
)
AUTHORITY = AuthorityEntry("G.", "Jansen", "Directeur", "g.jansen@helpdeskschool.nl")


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def kit(request: pytest.FixtureRequest) -> Iterator[Examkit]:
    """A kit on each backend, on Thursday 2 April 2026 (Good Friday and Easter Monday follow)."""
    if request.param == "memory":
        backend: Backend = MemoryBackend()
    else:
        from examkit.backends.sql import SQLBackend

        fixture = "sqlite_url" if request.param == "sqlite" else "postgres_url"
        backend = SQLBackend(request.getfixturevalue(fixture), migrate=False)
    kit = make_kit(backend=backend, now="2026-04-02T08:00:00+00:00")
    with kit.backend.begin() as uow:
        uow.accounts.add(
            Account(
                id="op",
                login_name=LoginName("examkit.servicedesk"),
                first_name="Servicedesk",
                last_name="DUO",
                email="servicedesk@examkit.example",
            )
        )
        uow.commit()
    kit.grants.install_operator("op")
    yield kit
    kit.close()


def mailer(kit: Examkit) -> RecordingMailer:
    assert isinstance(kit.mailer, RecordingMailer)
    return kit.mailer


def clock(kit: Examkit) -> ManualClock:
    assert isinstance(kit.clock, ManualClock)
    return kit.clock


def apply(kit: Examkit, system: str = "ce_portal", admin: AdministratorEntry = ADMIN) -> str:
    wizard = kit.applications.wizard(system)
    wizard.enter(SCHOOL)
    wizard.next()
    wizard.enter(admin)
    wizard.next()
    wizard.enter(AUTHORITY)
    wizard.next()
    return kit.applications.submit(wizard).id


@pytest.mark.req("ACC-1", "ACC-6")
def test_a_submitted_application_waits_in_the_queue_with_its_due_date(kit: Examkit) -> None:
    """The end-test portal's 5 working days skip Good Friday, Easter Monday and the weekend."""
    first = apply(kit)
    facet = apply(kit, "facet")
    queue = kit.applications.queue("op")
    assert [first, facet] == [entry.application.id for entry in queue]
    # 2 April 2026 (Thursday) + 5 working days: 3 (Good Friday), 4-5 (weekend), 6 (Easter
    # Monday) skipped -> 7, 8, 9, 10, 13 April. Facet's 10: ... 14, 15, 16, 17, 20 April.
    assert [date(2026, 4, 13), date(2026, 4, 20)] == [entry.due for entry in queue]
    assert [False, False] == [entry.overdue for entry in queue]
    clock(kit).set(clock(kit).now().replace(day=14))
    assert [True, False] == [entry.overdue for entry in kit.applications.queue("op")]


@pytest.mark.req("ACC-6", "ACC-8", "NOTE-1")
def test_approval_creates_the_account_grants_the_role_and_mails_both(kit: Examkit) -> None:
    """The administrator gets login name and initial password; the authority a confirmation."""
    found = apply(kit)
    approved = kit.applications.approve("op", found, lang="en")
    assert ApplicationStatus.APPROVED == approved.status
    assert approved.decision is not None
    account_id = approved.decision.account
    assert account_id is not None
    with kit.backend.begin(readonly=True) as uow:
        account = uow.accounts.get(account_id)
        grants = uow.authorizations.get(account_id).active("ce_portal.administrator")
    assert LoginName("22AB.K.Beheerder") == account.login_name
    assert frozenset({Brin("22AB")}) == account.institutions
    assert account.password is not None
    assert account.password.must_change
    assert [(LocationCode("22AB00"), LocationCode("22AB01"))] == [
        tuple(grant.places) for grant in grants
    ]
    credentials = mailer(kit).last("roles.credentials")
    confirmation = mailer(kit).last("applications.confirmation")
    assert ("k.beheerder@helpdeskschool.nl",) == credentials.to
    assert "22AB.K.Beheerder" in credentials.body
    assert ("g.jansen@helpdeskschool.nl",) == confirmation.to
    assert "Klaas Beheerder" in confirmation.body
    assert "22AB00, 22AB01" in confirmation.body
    assert not kit.applications.queue("op")


@pytest.mark.req("NOTE-1")
def test_the_confirmation_is_in_dutch_by_default(kit: Examkit) -> None:
    """The portal's language (Dutch) is the default of both e-mails."""
    kit.applications.approve("op", apply(kit))
    assert "Registratie van de beheerder" in mailer(kit).last("applications.confirmation").subject
    assert "Wachtwoord:" in mailer(kit).last("roles.credentials").body


@pytest.mark.req("ACC-7", "ACC-8")
def test_an_account_from_an_earlier_year_is_kept(kit: Examkit) -> None:
    """Applying again next year keeps the account and its password; no new password is sent."""
    first = kit.applications.approve("op", apply(kit))
    assert first.decision is not None
    with kit.backend.begin(readonly=True) as uow:
        before = uow.accounts.get(str(first.decision.account))
    mailer(kit).clear()
    clock(kit).advance(days=365)
    again = kit.applications.approve("op", apply(kit))
    assert again.decision is not None
    assert first.decision.account == again.decision.account
    with kit.backend.begin(readonly=True) as uow:
        after = uow.accounts.get(str(first.decision.account))
    assert before.password == after.password
    kinds = [message.kind for message in mailer(kit).outbox]
    assert ["applications.account_kept", "applications.confirmation"] == kinds


@pytest.mark.req("PLAT-2", "NOTE-1", "ACC-7")
def test_the_administrator_s_e_mails_follow_their_account_s_language(kit: Examkit) -> None:
    """Approved in English: the new account prefers English, and a later approval writes to it
    in English without ``lang=``; ``lang="nl"`` wins over it, while the authority, who has no
    account here, gets the kit's language (Dutch) without ``lang=``."""
    first = kit.applications.approve("op", apply(kit), lang="en")
    assert first.decision is not None
    with kit.backend.begin(readonly=True) as uow:
        assert "en" == uow.accounts.get(str(first.decision.account)).lang
    clock(kit).advance(days=365)
    mailer(kit).clear()
    kit.applications.approve("op", apply(kit))
    kept = mailer(kit).last("applications.account_kept")
    assert "en" == kept.lang
    assert "keeps working" in kept.subject
    assert "nl" == mailer(kit).last("applications.confirmation").lang
    clock(kit).advance(days=365)
    mailer(kit).clear()
    kit.applications.approve("op", apply(kit), lang="nl")
    assert "blijft werken" in mailer(kit).last("applications.account_kept").subject
    assert "Registratie van de beheerder" in mailer(kit).last("applications.confirmation").subject


@pytest.mark.req("ACC-6", "ORG-1")
def test_approval_registers_the_school_as_an_institution(kit: Examkit) -> None:
    """Name, address, authority and every location applied for; audited with the approval."""
    kit.applications.approve("op", apply(kit))
    school = kit.institutions.get(Brin("22AB"))
    assert "Helpdeskschool" == school.name
    assert "Groningen" == school.address.town
    assert school.competent_authority is not None
    assert ("G. Jansen", "g.jansen@helpdeskschool.nl") == (
        school.competent_authority.name,
        school.competent_authority.email,
    )
    assert ["22AB00", "22AB01"] == [str(location.code) for location in school.locations]
    with kit.backend.begin(readonly=True) as uow:
        actions = [event.action for event in uow.audit.list(limit=1000).items]
    assert actions.index("org.institution.registered") < actions.index("applications.approved")


@pytest.mark.req("ACC-6", "ACC-7", "ORG-1")
def test_a_later_approval_keeps_the_institution_and_adds_the_locations_it_lacks(
    kit: Examkit,
) -> None:
    """Next year the school applies with a new location: only that location is added."""
    kit.applications.approve("op", apply(kit))
    clock(kit).advance(days=365)
    wider = attrs.evolve(
        SCHOOL,
        school_name="Andere naam",
        secondary_locations=(*SCHOOL.secondary_locations, LocationEntry("22AB 02")),
    )
    wizard = kit.applications.wizard("ce_portal")
    for step in (wider, ADMIN, AUTHORITY):
        wizard.enter(step)
        wizard.next()
    kit.applications.approve("op", kit.applications.submit(wizard).id)
    school = kit.institutions.get(Brin("22AB"))
    assert "Helpdeskschool" == school.name
    assert ["22AB00", "22AB01", "22AB02"] == [str(location.code) for location in school.locations]


@pytest.mark.req("ACC-7")
def test_a_login_name_of_someone_else_is_not_taken_over(kit: Examkit) -> None:
    """Another school's person with that login name keeps it; the approval is refused."""
    with kit.backend.begin() as uow:
        uow.accounts.add(
            Account(
                id="other",
                login_name=LoginName("22AB.K.Beheerder"),
                first_name="Kees",
                last_name="Anders",
                email="kees@elders.nl",
                institutions=frozenset({Brin("33CD")}),
            )
        )
        uow.commit()
    found = apply(kit)
    with pytest.raises(AlreadyExists) as caught:
        kit.applications.approve("op", found)
    assert "login_name" == caught.value.field
    assert ApplicationStatus.SUBMITTED == kit.applications.get("op", found).status
    assert not mailer(kit).outbox


@pytest.mark.req("ACC-6")
def test_rejection_needs_a_reason_and_is_final(kit: Examkit) -> None:
    """A rejection keeps its reason; a decided application cannot be decided again."""
    found = apply(kit)
    with pytest.raises(InvalidInput) as caught:
        kit.applications.reject("op", found, reason="  ")
    assert "reason" == caught.value.field
    rejected = kit.applications.reject("op", found, reason="Niet ondertekend door het bestuur")
    assert ApplicationStatus.REJECTED == rejected.status
    assert rejected.decision is not None
    assert "Niet ondertekend door het bestuur" == rejected.decision.reason
    with pytest.raises(InvalidState):
        kit.applications.approve("op", found)
    with pytest.raises(InvalidState):
        kit.applications.reject("op", found, reason="nogmaals")


@pytest.mark.req("ACC-6", "ACC-8")
def test_only_the_operator_handles_applications(kit: Examkit) -> None:
    """Anyone else is refused, nothing changes, and the refusal is audited."""
    found = apply(kit)
    approved_school = kit.applications.approve("op", apply(kit))
    assert approved_school.decision is not None
    admin = str(approved_school.decision.account)
    for actor in (admin, "nobody"):
        with pytest.raises(NotPermitted):
            kit.applications.approve(actor, found)
        with pytest.raises(NotPermitted):
            kit.applications.reject(actor, found, reason="nee")
        with pytest.raises(NotPermitted):
            kit.applications.queue(actor)
    assert ApplicationStatus.SUBMITTED == kit.applications.get("op", found).status
    with kit.backend.begin(readonly=True) as uow:
        events = uow.audit.list(limit=1000).items
    denied = [event.action for event in events if event.outcome == "denied"]
    assert 6 == len(denied)
    assert {"applications.approved", "applications.rejected", "applications.queue.read"} == set(
        denied
    )


@pytest.mark.req("ACC-1", "ACC-6")
def test_submission_and_decisions_are_audited(kit: Examkit) -> None:
    """Submitted, approved and rejected each leave a successful audit event."""
    kit.applications.approve("op", apply(kit))
    kit.applications.reject("op", apply(kit), reason="dubbel")
    with kit.backend.begin(readonly=True) as uow:
        events = uow.audit.list(limit=1000).items
    actions = [event.action for event in events if event.action.startswith("applications.")]
    assert [
        "applications.submitted",
        "applications.approved",
        "applications.submitted",
        "applications.rejected",
    ] == actions


def _refused_wizard(kit: Examkit) -> None:
    """Step 1 with a right-to-left override in a secondary location's name: refused there."""
    wizard = kit.applications.wizard("ce_portal")
    wizard.enter(
        SchoolEntry(
            "22AB 00",
            "",
            "Helpdeskschool",
            "Waterlaan",
            "2",
            "8835 BA",
            "Groningen",
            (LocationEntry("22AB 01", "", "Dependance \u202eZuid"),),
        )
    )
    with pytest.raises(ExamkitErrorGroup) as caught:
        wizard.next()
    problems = caught.value.problems
    assert [("input.text.character", "school.secondary_locations[0].location_name")] == [
        (problem.code, problem.field) for problem in problems
    ]


@pytest.mark.req("DOC-1", "ACC-1")
def test_point_12_a_bidi_override_in_a_location_name_is_refused_at_input(kit: Examkit) -> None:
    """The wizard stays on step 1; nothing reaches the queue, on every backend."""
    _refused_wizard(kit)
    assert () == kit.applications.queue("op")


@pytest.mark.req("DOC-1", "ACC-1")
def test_point_12_the_refusal_holds_with_the_production_defaults(sqlite_url: str) -> None:
    """Examkit with its own clock, secrets and audit log on a real SQLite file."""
    from examkit import Settings
    from examkit.backends.sql import SQLBackend

    kit = Examkit(
        backend=SQLBackend(sqlite_url, migrate=False),
        mailer=RecordingMailer(),
        settings=Settings(token_key=b"k" * 32, base_url="https://portal.example.nl"),
    )
    try:
        _refused_wizard(kit)
        with kit.backend.begin(readonly=True) as uow:
            assert () == uow.applications.list().items
    finally:
        kit.close()


@pytest.mark.req("PLAT-2", "ACC-8")
def test_a_failure_before_the_approval_commits_leaves_no_account_grant_or_event(
    kit: Examkit, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The account, the grant, the decision and their events are kept together or not at all."""
    found = apply(kit)

    def fail(*_: object, **__: object) -> None:
        raise InvalidState

    # The last step before the commit: composing the authority's confirmation.
    monkeypatch.setattr("examkit.applications._service.registration_confirmation_message", fail)
    with pytest.raises(InvalidState):
        kit.applications.approve("op", found)
    with kit.backend.begin(readonly=True) as uow:
        with pytest.raises(NotFound):
            uow.accounts.get_by_login_name(LoginName("22AB.K.Beheerder"))
        with pytest.raises(NotFound):
            uow.institutions.get(Brin("22AB"))
        assert not uow.authorizations.list(role="ce_portal.administrator").items
        events = uow.audit.list(limit=1000).items
    assert [
        ("applications.submitted", "success"),
        ("applications.approved", "failure"),
    ] == [
        (event.action, event.outcome)
        for event in events
        if event.action.startswith(("applications.", "roles.administrator.", "org."))
    ]
    assert ApplicationStatus.SUBMITTED == kit.applications.get("op", found).status
    assert not mailer(kit).outbox
    monkeypatch.undo()
    assert ApplicationStatus.APPROVED == kit.applications.approve("op", found).status


@pytest.mark.req("ACC-6", "NOTE-1")
def test_a_rejection_mails_its_reason_to_the_administrator_and_the_authority(
    kit: Examkit,
) -> None:
    found = apply(kit)
    mailer(kit).clear()
    kit.applications.reject("op", found, reason="Niet ondertekend door het bestuur.", lang="en")
    sent = mailer(kit).last("applications.rejected")
    assert ("k.beheerder@helpdeskschool.nl", "g.jansen@helpdeskschool.nl") == sent.to
    assert ("en", True) == (sent.lang, "Niet ondertekend door het bestuur." in sent.body)
    assert sent.body.startswith("Dear Klaas Beheerder and G. Jansen,")
    assert "rejected" in sent.subject
    again = apply(kit)
    kit.applications.reject("op", again, reason="Inlognaam bestaat al.")
    assert "afgewezen" in mailer(kit).last("applications.rejected").subject


@pytest.mark.req("ACC-6", "NOTE-1")
def test_a_refused_rejection_mails_nothing(kit: Examkit) -> None:
    found = apply(kit)
    mailer(kit).clear()
    with pytest.raises(InvalidInput):
        kit.applications.reject("op", found, reason=" ")
    with pytest.raises(NotPermitted):
        kit.applications.reject("nobody", found, reason="Nee.")
    assert [] == list(mailer(kit).outbox)


@pytest.mark.req("ACC-1", "ACC-5")
def test_the_receipt_fetches_the_submitted_application_for_a_day(kit: Examkit) -> None:
    wizard = kit.applications.wizard("ce_portal")
    for entry in (SCHOOL, ADMIN, AUTHORITY):
        wizard.enter(entry)
        wizard.next()
    receipt = kit.applications.submit_with_receipt(wizard)
    assert receipt.token not in repr(receipt)
    assert receipt.application == kit.applications.by_receipt(receipt.token)
    assert [receipt.application.id] == [
        entry.application.id for entry in kit.applications.queue("op")
    ]
    for made_up in ("", receipt.application.id, receipt.token[:-1] + "x"):
        with pytest.raises(NotFound) as caught:
            kit.applications.by_receipt(made_up)
        assert "applications.receipt.unknown" == caught.value.code
    clock(kit).advance(hours=24)
    with pytest.raises(NotFound):
        kit.applications.by_receipt(receipt.token)
