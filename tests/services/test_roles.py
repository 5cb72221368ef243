# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Administration of users and roles through the composition root, on the memory backend.

Every escalation is refused with the same message, changes nothing and is
audited; each has a legitimate counterpart that succeeds.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import cast

import attrs
import pytest

from examkit import Examkit, Settings
from examkit._digests import Digester
from examkit.accounts import Account, AccountStatus, LoginName
from examkit.backends.memory import MemoryBackend
from examkit.errors import (
    AlreadyExists,
    InvalidInput,
    InvalidState,
    NotFound,
    NotPermitted,
)
from examkit.identifiers import Brin, Instellingsnummer, LocationCode
from examkit.messages import Lang
from examkit.org import InstitutionCode
from examkit.passwords import RFC9106_SECOND, Argon2Hasher
from examkit.permissions import Authorization, ClassRef, Subject, Target, may
from examkit.testing import (
    ManualClock,
    MemoryAuditLog,
    RecordingMailer,
    SequenceSecretSource,
    StoredAuditTrail,
    Wiring,
    cheap_hasher,
)
from examkit.testing.conformance import make_flemish_institution, make_institution

L00, L01, L02 = LocationCode("22AB00"), LocationCode("22AB01"), LocationCode("22AB02")
OTHER_SCHOOL = LocationCode("33CD00")
FLEMISH = Instellingsnummer("012345")
DENIED = "U heeft geen toestemming voor deze handeling."


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock.at("2026-09-01T08:00:00+00:00")


@pytest.fixture
def audit(wiring: Wiring) -> MemoryAuditLog | StoredAuditTrail:
    return wiring.audit


@pytest.fixture
def kit(clock: ManualClock, wiring: Wiring, audit: MemoryAuditLog | StoredAuditTrail) -> Examkit:
    kit = Examkit(
        backend=wiring.backend,
        mailer=RecordingMailer(),
        settings=Settings(token_key=b"k" * 32, base_url="https://portal.example/"),
        clock=clock,
        secrets=SequenceSecretSource("roles"),
        audit=wiring.log,
        hasher=cheap_hasher("roles"),
    )
    kit.institutions.register(make_institution("22AB", secondary=2))
    kit.institutions.register(make_institution("33CD"))
    kit.institutions.register(make_flemish_institution("012345"))
    with kit.backend.begin() as uow:
        for account_id, login, institutions in [
            ("op", "examkit.servicedesk", ()),
            ("admin", "22AB.K.Beheerder", (Brin("22AB"),)),
            ("admin01", "22AB.Beheerder01", (Brin("22AB"),)),
            ("other", "33CD.Beheerder", (Brin("33CD"),)),
            ("coord", "BE.Coordinator", (FLEMISH,)),
        ]:
            uow.accounts.add(
                Account(
                    id=account_id,
                    login_name=LoginName(login),
                    first_name="Kim",
                    last_name=account_id.title(),
                    email=f"{account_id}@school.nl",
                    institutions=frozenset(cast("tuple[InstitutionCode, ...]", institutions)),
                )
            )
        uow.commit()
    kit.grants.install_operator("op")
    kit.grants.grant_administrator("op", "admin", at=[L00, L01])
    kit.grants.grant_administrator("op", "admin", at=[L00, L01], role="cito_lvs.administrator")
    kit.grants.grant_administrator("op", "admin01", at=[L01])
    kit.grants.grant_administrator("op", "other", at=[OTHER_SCHOOL])
    kit.grants.grant_administrator(
        "op", "coord", at=[FLEMISH], role="vlaamse_toetsen.test_coordinator"
    )
    kit.mailer.clear()  # type: ignore[attr-defined]
    audit.clear()
    return kit


def mailer(kit: Examkit) -> RecordingMailer:
    assert isinstance(kit.mailer, RecordingMailer)
    return kit.mailer


def add_facet_user(kit: Examkit, login: str = "22AB.P.Planner", at: LocationCode = L00) -> str:
    return kit.users.add_user(
        "admin",
        application="facet",
        at=at,
        login_name=login,
        first_name="Piet",
        last_name="Planner",
        email="piet@school.nl",
    ).id


def snapshot(kit: Examkit) -> tuple[object, ...]:
    """Everything stored about accounts and grants, to prove a refusal changed nothing."""
    with kit.backend.begin(readonly=True) as uow:
        accounts = uow.accounts.list(limit=1000).items
        grants = uow.authorizations.list(limit=1000).items
    return (
        tuple((a, a.version) for a in accounts),
        tuple((g, g.version) for g in grants),
    )


def refused(
    kit: Examkit, audit: MemoryAuditLog | StoredAuditTrail, attempt: object
) -> NotPermitted:
    """Run *attempt*; assert it is refused, changes nothing and is audited as denied."""
    assert callable(attempt)
    before = snapshot(kit)
    sent = len(mailer(kit).outbox)
    with pytest.raises(NotPermitted) as raised:
        attempt()
    assert before == snapshot(kit)
    assert sent == len(mailer(kit).outbox)
    assert "denied" == audit.events[-1].outcome
    return raised.value


# -- the exam system's way: credentials by e-mail -----------------------------------


@pytest.mark.req("ROLE-2", "NOTE-1", "AUTH-2")
def test_a_new_exam_system_user_gets_login_name_and_initial_password(
    kit: Examkit, audit: MemoryAuditLog | StoredAuditTrail
) -> None:
    """The e-mail has the login name and a password that matches the stored hash."""
    account_id = add_facet_user(kit)
    message = mailer(kit).last("roles.credentials")
    assert ("piet@school.nl",) == message.to
    assert "Uw inloggegevens voor Facet" == message.subject
    assert "Gebruikersnaam: 22AB.P.Planner" in message.body
    password = re.search(r"Wachtwoord: (\S+)", message.body)
    assert password is not None
    with kit.backend.begin(readonly=True) as uow:
        stored = uow.accounts.get(account_id)
    assert stored.password is not None
    assert kit.hasher.verify(password.group(1), stored.password.hash)
    assert password.group(1) not in str(audit.events)
    assert "https://portal.example/inloggen" in message.body
    assert {Brin("22AB")} == stored.institutions


@pytest.mark.req("AUTH-2", "NOTE-1")
def test_the_initial_password_expires_after_365_days_and_must_be_changed(
    kit: Examkit, clock: ManualClock
) -> None:
    """Set now, to be changed at the first sign-in, valid through now + 365 days."""
    account_id = add_facet_user(kit)
    with kit.backend.begin(readonly=True) as uow:
        record = uow.accounts.get(account_id).password
    assert record is not None
    assert record.must_change
    assert clock.now() == record.set_at
    expires = (clock.now() + timedelta(days=365)).date().isoformat()
    assert "2027-09-01" == expires
    body = mailer(kit).last("roles.credentials").body
    assert f"geldig tot en met {expires}" in body
    assert "bij de eerste keer inloggen wijzigen" in body


@pytest.mark.req("AUTH-2", "ROLE-2")
def test_issue19_point5_the_administrator_sends_a_new_initial_password(
    kit: Examkit, audit: MemoryAuditLog, clock: ManualClock
) -> None:
    """After the first one lapsed (refused at sign-in), a new one is mailed and works."""
    account_id = add_facet_user(kit)
    kit.grants.grant_role("admin", account_id, "facet.planner", at=[L00])
    first = re.search(r"Wachtwoord: (\S+)", mailer(kit).last("roles.credentials").body)
    assert first is not None
    clock.advance(days=400)
    with pytest.raises(NotPermitted) as lapsed:
        kit.staff_sign_in.submit_credentials("22AB.P.Planner", first.group(1), ip="192.0.2.1")
    assert "auth.credentials.invalid" == lapsed.value.code
    renewed = kit.users.send_new_password("admin", account_id, application="facet")
    message = mailer(kit).last("roles.credentials")
    second = re.search(r"Wachtwoord: (\S+)", message.body)
    assert second is not None
    assert second.group(1) != first.group(1)
    expires = (clock.now() + timedelta(days=365)).date().isoformat()
    assert f"geldig tot en met {expires}" in message.body
    assert renewed.password is not None
    assert (True, clock.now()) == (renewed.password.must_change, renewed.password.set_at)
    assert "roles.password.sent" == audit.events[-1].action
    assert second.group(1) not in str(audit.events)
    progress = kit.staff_sign_in.submit_credentials(
        "22AB.P.Planner", second.group(1), ip="192.0.2.1"
    )
    assert "change_password" == progress.step.value
    with pytest.raises(NotPermitted):  # the old one stays refused
        kit.staff_sign_in.submit_credentials("22AB.P.Planner", first.group(1), ip="192.0.2.1")


@pytest.mark.req("AUTH-2", "ROLE-2")
def test_only_an_administrator_of_the_user_may_send_a_new_password(
    kit: Examkit, audit: MemoryAuditLog
) -> None:
    """Another school's administrator is refused; nothing changes, nothing is mailed."""
    account_id = add_facet_user(kit)
    mailer(kit).clear()
    error = refused(
        kit,
        audit,
        lambda: kit.users.send_new_password("other", account_id, application="facet"),
    )
    assert DENIED == error.message("nl")


@pytest.mark.req("AUTH-2")
def test_an_application_that_invites_sends_no_new_password(kit: Examkit) -> None:
    """The monitoring system invites its users: a new password is not its way."""
    account_id = add_facet_user(kit)
    with pytest.raises(InvalidInput) as wrong:
        kit.users.send_new_password("admin", account_id, application="cito_lvs")
    assert "roles.onboarding.not_credentials" == wrong.value.code


@pytest.mark.req("NOTE-1")
def test_the_credentials_e_mail_speaks_english_when_asked(kit: Examkit) -> None:
    """The same e-mail, from the same catalogue, in English."""
    kit.users.add_user(
        "admin",
        application="facet",
        at=L00,
        login_name="22AB.E.English",
        first_name="Emma",
        last_name="English",
        email="emma@school.nl",
        lang="en",
    )
    message = mailer(kit).last()
    assert "Your sign-in details for Facet, the computer exam system" == message.subject
    assert "Login name: 22AB.E.English" in message.body
    assert "en" == message.lang


@pytest.mark.req("PLAT-2", "NOTE-1", "AUTH-2", "ROLE-3")
@pytest.mark.parametrize(
    ("account_lang", "given", "expected"),
    [
        ("en", None, "en"),
        ("nl", None, "nl"),
        ("nl", "en", "en"),
        ("en", "nl", "nl"),
    ],
)
def test_new_passwords_and_invitations_follow_the_account_s_language(
    kit: Examkit, account_lang: Lang, given: Lang | None, expected: Lang
) -> None:
    """A user added with ``lang=`` prefers it; later e-mails follow it unless given ``lang=``.

    Each e-mail of the users' administration: the credentials on adding, a new
    password, an invitation. The expected words are the catalogue's, written out.
    """
    words = {
        "roles.credentials": {"nl": "Uw inloggegevens", "en": "Your sign-in details"},
        "roles.invitation": {"nl": "Uitnodiging", "en": "Invitation"},
    }
    given_lang: dict[str, Lang] = {} if given is None else {"lang": given}
    account_id = kit.users.add_user(
        "admin",
        application="facet",
        at=L00,
        login_name="22AB.T.Taal",
        first_name="Tess",
        last_name="Taal",
        email="tess@school.nl",
        lang=account_lang,
    ).id
    added = mailer(kit).last("roles.credentials")
    assert account_lang == added.lang
    assert words["roles.credentials"][account_lang] in added.subject
    kit.users.send_new_password("admin", account_id, application="facet", **given_lang)
    kit.invitations.send_invitation(
        "admin",
        account_id,
        application="cito_lvs",
        at=L00,
        **given_lang,
    )
    for kind in ("roles.credentials", "roles.invitation"):
        message = mailer(kit).last(kind)
        assert expected == message.lang, kind
        assert words[kind][expected] in message.subject, (kind, message.subject)


def test_the_composition_root_wires_the_exam_systems_password_parts(clock: ManualClock) -> None:
    """By default: the facet policy, and argon2id with RFC 9106's parameters."""
    kit = Examkit(
        backend=MemoryBackend(),
        mailer=RecordingMailer(),
        settings=Settings(token_key=b"k" * 32, base_url="https://portal.example.nl"),
        clock=clock,
        secrets=SequenceSecretSource(),
    )
    assert "facet" == kit.password_policy.name
    assert isinstance(kit.hasher, Argon2Hasher)
    assert RFC9106_SECOND == kit.hasher.parameters


# -- the monitoring system's way: an invitation with an activation link ---------------


def invite_teacher(kit: Examkit) -> tuple[str, str]:
    teacher = kit.users.add_user(
        "admin",
        application="cito_lvs",
        at=L00,
        login_name="22AB.T.Docent",
        first_name="Tom",
        last_name="Docent",
        email="tom@school.nl",
    )
    body = mailer(kit).last("roles.invitation").body
    found = re.search(r"/uitnodiging\?token=(\S+)", body)
    assert found is not None
    return teacher.id, found.group(1)


@pytest.mark.req("ROLE-3", "NOTE-1")
def test_an_invitation_carries_a_single_use_link_whose_token_is_not_stored(
    kit: Examkit,
) -> None:
    """The link works; only the kit's keyed digest of its token is kept; no password is set."""
    teacher, token = invite_teacher(kit)
    message = mailer(kit).last("roles.invitation")
    assert "Uitnodiging voor Cito Volgsysteem VO" == message.subject
    assert "Kim Admin nodigt u uit voor Cito Volgsysteem VO van School 22AB" in message.body
    assert "2026-09-15 08:00 UTC" in message.body
    with kit.backend.begin(readonly=True) as uow:
        assert uow.accounts.get(teacher).password is None
        with pytest.raises(NotFound):
            uow.tokens.peek("roles.invitation", token, now=kit.clock.now())
        digest = Digester(b"k" * 32).digest("roles.invitation", token)
        assert teacher == uow.tokens.peek("roles.invitation", digest, now=kit.clock.now()).subject
    accepted = kit.invitations.accept_invitation(token, password="Zelfgekozen!1")
    assert (teacher, "cito_lvs", "22AB") == (
        accepted.account,
        accepted.application,
        accepted.institution,
    )
    with kit.backend.begin(readonly=True) as uow:
        record = uow.accounts.get(teacher).password
    assert record is not None
    assert kit.hasher.verify("Zelfgekozen!1", record.hash)
    assert not record.must_change


@pytest.mark.req("ROLE-3")
def test_an_activation_link_used_twice_is_refused(kit: Examkit) -> None:
    """The second use finds nothing."""
    _, token = invite_teacher(kit)
    kit.invitations.accept_invitation(token)
    with pytest.raises(NotFound) as raised:
        kit.invitations.accept_invitation(token)
    assert "storage.token.unusable" == raised.value.code


@pytest.mark.req("ROLE-3")
def test_an_activation_link_used_late_is_refused(kit: Examkit, clock: ManualClock) -> None:
    """Fourteen days later the link is dead."""
    teacher, token = invite_teacher(kit)
    clock.advance(days=14)
    with pytest.raises(NotFound):
        kit.invitations.accept_invitation(token)
    with kit.backend.begin(readonly=True) as uow:
        assert uow.accounts.get(teacher).password is None


@pytest.mark.req("ROLE-3")
def test_a_password_failing_the_policy_consumes_nothing(kit: Examkit) -> None:
    """A refused password leaves the link usable."""
    _, token = invite_teacher(kit)
    with pytest.raises(InvalidInput):
        kit.invitations.accept_invitation(token, password="kort")
    assert (
        "cito_lvs" == kit.invitations.accept_invitation(token, password="Langgenoeg!2").application
    )


@pytest.mark.req("ROLE-3")
def test_a_new_invitation_replaces_the_old_link(kit: Examkit) -> None:
    """Re-inviting kills the earlier link; an administrator may invite themselves."""
    teacher, old = invite_teacher(kit)
    kit.invitations.send_invitation("admin", teacher, application="cito_lvs", at=L00)
    new = re.search(r"/uitnodiging\?token=(\S+)", mailer(kit).last("roles.invitation").body)
    assert new is not None
    with pytest.raises(NotFound):
        kit.invitations.accept_invitation(old)
    assert teacher == kit.invitations.accept_invitation(new.group(1)).account
    kit.invitations.send_invitation("admin", "admin", application="cito_lvs", at=L00)
    assert ("admin@school.nl",) == mailer(kit).last("roles.invitation").to


def test_the_exam_system_does_not_invite(kit: Examkit) -> None:
    """An invitation in an application that e-mails credentials is invalid input."""
    account = add_facet_user(kit)
    with pytest.raises(InvalidInput):
        kit.invitations.send_invitation("admin", account, application="facet", at=L00)


# -- granting, scoped -------------------------------------------------------------


@pytest.mark.req("ROLE-2", "ROLE-1")
def test_the_administrator_grants_at_its_own_locations(kit: Examkit) -> None:
    """Roles granted at 22AB00 and 22AB01 apply there and nowhere else."""
    planner = add_facet_user(kit)
    kit.grants.grant_role("admin", planner, "facet.planner", at=[L00, L01])
    kit.grants.grant_role("admin", planner, "facet.corrector", at=[L01])
    actor = kit.permissions.actor(planner)
    assert may(actor, "facet.sessions.plan", L00)
    assert may(actor, "facet.sessions.plan", L01)
    assert not may(actor, "facet.sessions.plan", L02)
    assert may(actor, "facet.correction.overview", L01)
    assert not may(actor, "facet.correction.overview", L00)
    assert may(actor, "facet.profile.edit")
    assert not may(actor, "facet.users.add")


@pytest.mark.req("ROLE-2", "ACC-8")
def test_a_non_administrator_granting_roles_is_refused(
    kit: Examkit, audit: MemoryAuditLog | StoredAuditTrail
) -> None:
    """A planner may not grant, not even the role it holds itself."""
    planner = add_facet_user(kit)
    proctor = add_facet_user(kit, "22AB.A.Leider")
    kit.grants.grant_role("admin", planner, "facet.planner", at=[L00])
    error = refused(
        kit, audit, lambda: kit.grants.grant_role(planner, proctor, "facet.proctor", at=[L00])
    )
    assert DENIED == error.message("nl")
    assert ("roles.role.granted", planner) == (audit.events[-1].action, audit.events[-1].actor)


@pytest.mark.req("ROLE-2")
def test_an_administrator_granting_at_a_location_it_does_not_hold_is_refused(
    kit: Examkit, audit: MemoryAuditLog | StoredAuditTrail
) -> None:
    """admin01 administers 22AB01 only: 22AB00 is refused, 22AB01 succeeds."""
    user = add_facet_user(kit)
    refused(kit, audit, lambda: kit.grants.grant_role("admin01", user, "facet.proctor", at=[L00]))
    refused(
        kit,
        audit,
        lambda: kit.grants.grant_role("admin01", user, "facet.proctor", at=[L00, L01]),
    )
    kit.grants.grant_role("admin01", user, "facet.proctor", at=[L01])
    assert may(kit.permissions.actor(user), "facet.monitor.release", L01)


@pytest.mark.req("ROLE-2", "ACC-8")
def test_an_administrator_granting_the_administrator_role_is_refused(
    kit: Examkit, audit: MemoryAuditLog | StoredAuditTrail
) -> None:
    """Only the operator grants it, and only through grant_administrator."""
    user = add_facet_user(kit)
    error = refused(
        kit,
        audit,
        lambda: kit.grants.grant_role("admin", user, "facet.administrator", at=[L00]),
    )
    assert "roles.grant.by_application" == error.code
    refused(kit, audit, lambda: kit.grants.grant_role("op", user, "facet.administrator", at=[L00]))
    refused(
        kit,
        audit,
        lambda: kit.grants.grant_administrator("admin", user, at=[L00]),
    )
    kit.grants.grant_administrator("op", user, at=[L00])
    assert may(kit.permissions.actor(user), "facet.users.add", L00)


@pytest.mark.req("ROLE-2")
def test_granting_to_a_user_of_another_school_is_refused_and_reveals_nothing(
    kit: Examkit, audit: MemoryAuditLog | StoredAuditTrail
) -> None:
    """Another school's user, and a user who does not exist, get the same answer."""
    stranger = kit.users.add_user(
        "other",
        application="facet",
        at=OTHER_SCHOOL,
        login_name="33CD.Vreemde",
        first_name="V",
        last_name="Vreemde",
        email="v@other.nl",
    ).id
    first = refused(
        kit, audit, lambda: kit.grants.grant_role("admin", stranger, "facet.proctor", at=[L00])
    )
    second = refused(
        kit, audit, lambda: kit.grants.grant_role("admin", "ghost", "facet.proctor", at=[L00])
    )
    assert (first.code, first.message("en"), dict(first.params)) == (
        second.code,
        second.message("en"),
        dict(second.params),
    )


@pytest.mark.req("ROLE-3")
def test_a_subject_teacher_reads_only_its_own_subject_in_its_own_classes(kit: Examkit) -> None:
    """Dutch in 1HA: allowed; maths in 1HA, Dutch in 2HA, the class overview: refused."""
    teacher, _ = invite_teacher(kit)
    kit.grants.grant_role(
        "admin",
        teacher,
        "cito_lvs.subject_teacher",
        at=[ClassRef(L00, "1HA")],
        subject=Subject.DUTCH,
    )
    kit.users.set_access("admin", teacher, application="cito_lvs", institution=Brin("22AB"))
    actor = kit.permissions.actor(teacher)
    own = Target(location=L00, class_key="1HA", subject=Subject.DUTCH)
    assert may(actor, "cito_lvs.reports.view", own)
    for other in (
        Target(location=L00, class_key="1HA", subject=Subject.MATHS),
        Target(location=L00, class_key="2HA", subject=Subject.DUTCH),
        Target(location=L00, class_key="1HA"),
        Target(location=L00),
    ):
        assert not may(actor, "cito_lvs.reports.view", other)
    assert not may(actor, "cito_lvs.class_overview.view", L00)
    with pytest.raises(NotPermitted):
        kit.permissions.require(teacher, "cito_lvs.reports.view", Target(location=L01))


@pytest.mark.req("ROLE-3")
def test_without_access_to_the_application_a_role_allows_nothing(
    kit: Examkit, audit: MemoryAuditLog | StoredAuditTrail
) -> None:
    """A counsellor without 'Toegang tot applicatie' is refused; with it, allowed; off, refused."""
    teacher, _ = invite_teacher(kit)
    kit.grants.grant_role("admin", teacher, "cito_lvs.pupil_counsellor", at=[ClassRef(L00, "1HA")])
    report = ClassRef(L00, "1HA")
    actor = kit.permissions.actor(teacher)
    assert not may(actor, "cito_lvs.reports.view", report)
    with pytest.raises(NotPermitted):
        kit.permissions.require(teacher, "cito_lvs.reports.view", report)
    assert ("cito_lvs.reports.view", "denied", "target:22AB00/1HA") == (
        audit.events[-1].action,
        audit.events[-1].outcome,
        audit.events[-1].subject,
    )
    kit.users.set_access("admin", teacher, application="cito_lvs", institution=Brin("22AB"))
    assert may(kit.permissions.actor(teacher), "cito_lvs.reports.view", report)
    kit.users.set_access(
        "admin", teacher, application="cito_lvs", institution=Brin("22AB"), allowed=False
    )
    assert not may(kit.permissions.actor(teacher), "cito_lvs.reports.view", report)


def test_facet_has_no_access_switch(kit: Examkit) -> None:
    """Access to the exam system follows from the roles."""
    user = add_facet_user(kit)
    with pytest.raises(InvalidInput):
        kit.users.set_access("admin", user, application="facet", institution=Brin("22AB"))


@pytest.mark.req("ROLE-2")
def test_a_deactivated_user_may_nothing_until_reactivated(
    kit: Examkit, audit: MemoryAuditLog | StoredAuditTrail
) -> None:
    """Deactivation refuses every action; reactivation restores them."""
    planner = add_facet_user(kit)
    kit.grants.grant_role("admin", planner, "facet.planner", at=[L00])
    deactivated = kit.users.deactivate("admin", planner, application="facet")
    assert AccountStatus.DEACTIVATED is deactivated.status
    actor = kit.permissions.actor(planner)
    assert not may(actor, "facet.sessions.plan", L00)
    assert not may(actor, "facet.profile.edit")
    proctor = add_facet_user(kit, "22AB.A.Leider")
    refused(kit, audit, lambda: kit.grants.grant_role(planner, proctor, "facet.proctor", at=[L00]))
    kit.users.reactivate("admin", planner, application="facet")
    assert may(kit.permissions.actor(planner), "facet.sessions.plan", L00)


@pytest.mark.req("ROLE-2")
def test_a_deactivated_administrator_grants_nothing(
    kit: Examkit, audit: MemoryAuditLog | StoredAuditTrail
) -> None:
    """An administrator's grants stop with its account."""
    user = add_facet_user(kit)
    with kit.backend.begin() as uow:
        admin = uow.accounts.get("admin01")
        uow.accounts.update(attrs.evolve(admin, status=AccountStatus.DEACTIVATED))
        uow.commit()
    refused(kit, audit, lambda: kit.grants.grant_role("admin01", user, "facet.proctor", at=[L01]))


@pytest.mark.req("ROLE-2")
def test_administrators_act_only_on_users_wholly_within_their_administration(
    kit: Examkit, audit: MemoryAuditLog | StoredAuditTrail
) -> None:
    """admin01 (22AB01 only) may not touch a user also working at 22AB00, nor a peer."""
    user = add_facet_user(kit)
    kit.grants.grant_role("admin", user, "facet.planner", at=[L00, L01])
    for attempt in (
        lambda: kit.users.deactivate("admin01", user, application="facet"),
        lambda: kit.users.edit_user("admin01", user, application="facet", email="x@school.nl"),
        lambda: kit.users.deactivate("admin", "admin01", application="facet"),
        lambda: kit.users.edit_user("admin", "admin", application="facet", first_name="Me"),
        lambda: kit.users.deactivate("admin", "op", application="facet"),
    ):
        refused(kit, audit, attempt)
    edited = kit.users.edit_user("admin", user, application="facet", email="nieuw@school.nl")
    assert "nieuw@school.nl" == edited.email


@pytest.mark.req("ROLE-2", "ROLE-3")
def test_revoking_part_of_a_grant_keeps_the_rest_and_the_record(kit: Examkit) -> None:
    """Revoked at 22AB00, the planner still plans at 22AB01; the revoked grant stays on file."""
    planner = add_facet_user(kit)
    kit.grants.grant_role("admin", planner, "facet.planner", at=[L00, L01])
    authz = kit.grants.revoke_role("admin", planner, "facet.planner", at=[L00])
    actor = kit.permissions.actor(planner)
    assert not may(actor, "facet.sessions.plan", L00)
    assert may(actor, "facet.sessions.plan", L01)
    assert [("facet.planner", False), ("facet.planner", True)] == [
        (g.role, g.is_active) for g in authz.grants
    ]
    assert "admin" == authz.grants[0].revoked_by
    kit.grants.revoke_role("admin", planner, "facet.planner", institution=Brin("22AB"))
    assert not may(kit.permissions.actor(planner), "facet.sessions.plan")
    with pytest.raises(NotFound):
        kit.grants.revoke_role("admin", planner, "facet.planner", at=[L01])


@pytest.mark.req("ROLE-2")
def test_revoking_where_the_revoker_does_not_administer_is_refused(
    kit: Examkit, audit: MemoryAuditLog | StoredAuditTrail
) -> None:
    """admin01 may not revoke a role at 22AB00."""
    planner = add_facet_user(kit)
    kit.grants.grant_role("admin", planner, "facet.planner", at=[L00, L01])
    refused(
        kit, audit, lambda: kit.grants.revoke_role("admin01", planner, "facet.planner", at=[L00])
    )
    refused(
        kit,
        audit,
        lambda: kit.grants.revoke_role(
            "admin01", planner, "facet.planner", institution=Brin("22AB")
        ),
    )
    kit.grants.revoke_role("admin01", planner, "facet.planner", at=[L01])


@pytest.mark.req("ROLE-3")
def test_a_user_who_left_is_removed_with_their_grants_but_not_their_audit_trail(
    kit: Examkit, audit: MemoryAuditLog | StoredAuditTrail
) -> None:
    """The account and its grants go; what was done stays in the trail."""
    teacher, _ = invite_teacher(kit)
    kit.grants.grant_role("admin", teacher, "cito_lvs.pupil_counsellor", at=[ClassRef(L00, "1A")])
    kit.users.remove_user("admin", teacher, application="cito_lvs", institution=Brin("22AB"))
    with kit.backend.begin(readonly=True) as uow:
        with pytest.raises(NotFound):
            uow.accounts.get(teacher)
        with pytest.raises(NotFound):
            uow.authorizations.get(teacher)
    trail = [e.action for e in audit.events if e.subject == f"account:{teacher}"]
    assert ["roles.user.added", "roles.role.granted", "roles.user.removed"] == trail
    assert Authorization(account=teacher) == kit.permissions.authorization(teacher)


@pytest.mark.req("AUTH-11", "ROLE-2")
def test_one_account_works_for_two_institutions_after_the_operator_links_it(
    kit: Examkit, audit: MemoryAuditLog | StoredAuditTrail
) -> None:
    """Linking is the operator's act; then the second school's administrator grants there."""
    user = add_facet_user(kit)
    refused(
        kit, audit, lambda: kit.grants.grant_role("other", user, "facet.proctor", at=[OTHER_SCHOOL])
    )
    refused(kit, audit, lambda: kit.grants.link_institution("admin", user, Brin("33CD")))
    linked = kit.grants.link_institution("op", user, Brin("33CD"))
    assert {Brin("22AB"), Brin("33CD")} == linked.institutions
    kit.grants.grant_role("admin", user, "facet.planner", at=[L00])
    kit.grants.grant_role("other", user, "facet.proctor", at=[OTHER_SCHOOL])
    actor = kit.permissions.actor(user)
    assert may(actor, "facet.sessions.plan", L00)
    assert not may(actor, "facet.sessions.plan", OTHER_SCHOOL)
    assert may(actor, "facet.monitor.release", OTHER_SCHOOL)
    refused(kit, audit, lambda: kit.users.deactivate("other", user, application="facet"))


@pytest.mark.req("ROLE-6")
def test_the_flemish_coordinator_appoints_test_assistants_at_its_school(kit: Examkit) -> None:
    """A test assistant is granted for the whole school, invited by e-mail."""
    assistant = kit.users.add_user(
        "coord",
        application="vlaamse_toetsen",
        at=FLEMISH,
        login_name="BE.Assistent",
        first_name="An",
        last_name="Assistent",
        email="an@school.be",
    ).id
    assert "roles.invitation" == mailer(kit).last().kind
    kit.grants.grant_role("coord", assistant, "vlaamse_toetsen.test_assistant", at=[FLEMISH])
    actor = kit.permissions.actor(assistant)
    assert may(actor, "vlaamse_toetsen.logbook.fill_in", FLEMISH)
    assert not may(actor, "vlaamse_toetsen.logbook.fill_in", Instellingsnummer("999999"))
    assert not may(actor, "vlaamse_toetsen.registration.validate", FLEMISH)


@pytest.mark.req("ROLE-4")
def test_the_cspe_account_administrator_adds_examiners(kit: Examkit) -> None:
    """'Deze kan ... examinatoren toevoegen'; the examiner prepares and marks."""
    kit.grants.grant_administrator("op", "admin", at=[L00], role="cspe.account_administrator")
    examiner = kit.users.add_user(
        "admin",
        application="cspe",
        at=L00,
        login_name="22AB.Examinator",
        first_name="E",
        last_name="Xaminator",
        email="e@school.nl",
    ).id
    kit.grants.grant_role("admin", examiner, "cspe.examiner", at=[L00])
    actor = kit.permissions.actor(examiner)
    assert may(actor, "cspe.assignments.mark", L00)
    assert not may(actor, "cspe.examiners.add", L00)


def test_the_first_operator_is_installed_once(kit: Examkit) -> None:
    """A second installation is refused; further operators are granted by one."""
    with pytest.raises(InvalidState):
        kit.grants.install_operator("admin")
    kit.grants.grant_role("op", "admin01", "examkit.operator")
    assert may(kit.permissions.actor("admin01"), "examkit.accounts.link_institution", Brin("99ZZ"))


def test_a_taken_login_name_is_refused(kit: Examkit) -> None:
    """Login names stay unique."""
    add_facet_user(kit)
    with pytest.raises(AlreadyExists):
        add_facet_user(kit, "22ab.p.planner")


def test_granting_twice_changes_nothing(kit: Examkit) -> None:
    """A grant already held is not stored again."""
    user = add_facet_user(kit)
    first = kit.grants.grant_role("admin", user, "facet.planner", at=[L00, L01])
    again = kit.grants.grant_role("admin", user, "facet.planner", at=[L01])
    assert (first, first.version) == (again, again.version)
