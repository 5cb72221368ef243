# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The federated sign-in through the composition root (AUTH-13), on every wiring.

A teacher of school 22AB reaches the pupil-monitoring reports through Entree
(seed 001): linked by accepting the administrator's invitation through the
federation, or with a link token after a local sign-in; found afterwards by
the link, or by the ECK iD through another issuer. Each attack is refused
with its own code, links nothing and is audited without the assertion's
personal data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import attrs
import pytest

from examkit import Examkit, Settings
from examkit.accounts import AccountStatus
from examkit.auth import SignInProgress, Step
from examkit.errors import ExamkitError, InvalidState, NotFound, NotPermitted
from examkit.federation import (
    AFFILIATION,
    ECK_ID,
    GIVEN_NAME,
    HOME_ORGANIZATION,
    HOME_ORGANIZATION_ID,
    MAIL,
    SURNAME,
    UID,
    FederatedLink,
    LinkPolicy,
    LinkProposal,
    LinkRule,
    SignInRequest,
    subject_key,
)
from examkit.identifiers import LocationCode
from examkit.passwords import change_password
from examkit.permissions import Access
from examkit.testing import (
    ManualClock,
    RecordingMailer,
    SequenceSecretSource,
    StaticIdentityProvider,
    Wiring,
    cheap_hasher,
    store_actor,
)

pytestmark = pytest.mark.req("AUTH-13")

L00 = LocationCode("22AB00")
IP = "192.0.2.10"
APP = "cito_lvs"
PSEUDONYM = "pseudo-4f1c9e77"
ECK = "https://ketenid.nl/201703/0a1b2c3d4e5f"
PASSWORD = "Zelfgekozen!1"


def teacher_attributes(**changes: Sequence[str]) -> dict[str, Sequence[str]]:
    """Entree's attributes of the teacher, as seed 001's school releases them."""
    attributes: dict[str, Sequence[str]] = {
        UID: [PSEUDONYM],
        GIVEN_NAME: ["Kim"],
        SURNAME: ["Teacher"],
        AFFILIATION: ["employee"],
        HOME_ORGANIZATION_ID: ["22AB"],
        HOME_ORGANIZATION: ["Het Testcollege"],
        ECK_ID: [ECK],
        MAIL: ["teacher@school.nl"],
    }
    attributes.update(changes)
    return attributes


@attrs.define
class World:
    """A kit with an administrator and a teacher of 22AB, and two Entree providers."""

    kit: Examkit
    wiring: Wiring
    entree: StaticIdentityProvider
    saml: StaticIdentityProvider

    @property
    def clock(self) -> ManualClock:
        assert isinstance(self.kit.clock, ManualClock)
        return self.kit.clock

    def begin(self, provider: StaticIdentityProvider | None = None) -> SignInRequest:
        return self.kit.federated_sign_in.begin((provider or self.entree).name, ip=IP)

    def sign_in(
        self,
        provider: StaticIdentityProvider | None = None,
        *,
        subject: str = PSEUDONYM,
        attributes: Mapping[str, Sequence[str]] | None = None,
        replay_key: str | None = None,
        **options: str,
    ) -> SignInProgress | LinkProposal:
        chosen = provider or self.entree
        request = self.begin(chosen)
        answer = chosen.respond(
            request,
            subject=subject,
            attributes=teacher_attributes() if attributes is None else attributes,
            replay_key=replay_key,
        )
        return self.kit.federated_sign_in.finish(
            chosen.name, request.state, answer, ip=IP, application=APP, **options
        )

    def invitation(self) -> str:
        self.kit.invitations.send_invitation("admin", "teacher", application=APP, at=L00)
        assert isinstance(self.kit.mailer, RecordingMailer)
        found = re.search(r"token=(\S+)", self.kit.mailer.last("roles.invitation").body)
        assert found is not None
        return found.group(1)

    def links(self) -> tuple[FederatedLink, ...]:
        with self.kit.backend.begin(readonly=True) as uow:
            return uow.federated_links.list_for_account("teacher")

    def give_password(self) -> None:
        kit = self.kit
        with kit.backend.begin() as uow:
            account = uow.accounts.get("teacher")
            uow.accounts.update(
                change_password(
                    account,
                    PASSWORD,
                    policy=kit.password_policy,
                    hasher=kit.hasher,
                    now=kit.clock.now(),
                )
            )
            uow.commit()

    def events(self) -> list[tuple[str, str, dict[str, str]]]:
        return [
            (event.action, event.outcome, dict(event.details)) for event in self.wiring.audit.events
        ]


def make_world(wiring: Wiring, policy: LinkPolicy | None = None) -> World:
    """The kit with an administrator and a teacher of 22AB, and two Entree providers."""
    entree = StaticIdentityProvider("entree", issuer="https://entree.example.nl/oidc")
    saml = StaticIdentityProvider("entree-saml", issuer="https://entree.example.nl/saml")
    kit = Examkit(
        backend=wiring.backend,
        mailer=RecordingMailer(),
        settings=Settings(token_key=b"k" * 32, base_url="https://portal.example.nl"),
        clock=ManualClock.at("2026-09-01T08:00:00+00:00"),
        secrets=SequenceSecretSource("federation"),
        audit=wiring.log,
        hasher=cheap_hasher("federation"),
        identity_providers=(entree, saml),
        link_policy=policy,
    )
    store_actor(kit.backend, "admin", [("cito_lvs.administrator", [L00])])
    store_actor(
        kit.backend,
        "teacher",
        [("cito_lvs.quality_officer", [L00])],
        access=[Access(APP, L00.brin)],
    )
    return World(kit, wiring, entree, saml)


@pytest.fixture
def world(wiring: Wiring) -> World:
    return make_world(wiring)


def signed_in(outcome: SignInProgress | LinkProposal) -> SignInProgress:
    assert isinstance(outcome, SignInProgress)
    assert Step.SIGNED_IN is outcome.step
    return outcome


def refused(world: World, expected: type[ExamkitError], code: str, **options: object) -> None:
    """The sign-in is refused with *code*; the teacher's links and account stay as they were."""
    with world.kit.backend.begin(readonly=True) as uow:
        before = uow.accounts.get("teacher")
    links = world.links()
    with pytest.raises(expected) as caught:
        world.sign_in(**options)  # type: ignore[arg-type]
    assert code == caught.value.code
    assert links == world.links()
    with world.kit.backend.begin(readonly=True) as uow:
        assert before.version == uow.accounts.get("teacher").version
    last = world.events()[-1]
    assert ("auth.sign_in", code) == (last[0], last[2]["reason"])
    assert last[1] in {"denied", "failure"}


# -- the ways in ---------------------------------------------------------------------------


def test_an_invited_teacher_links_entree_by_accepting_the_invitation_then_signs_in(
    world: World,
) -> None:
    """Seed 001: the activation e-mail's link, then Entree; later Entree alone, no code."""
    token = world.invitation()
    first = signed_in(world.sign_in(invitation=token))
    assert "teacher" == first.account_id
    assert {("subject", "invitation"), ("eck_id", "invitation")} == {
        (link.kind.value, link.method.value) for link in world.links()
    }
    assert subject_key(world.entree.issuer, PSEUDONYM) in {link.id for link in world.links()}
    with pytest.raises(NotFound):  # the invitation is spent
        world.kit.invitations.accept_invitation(token)
    again = signed_in(world.sign_in())
    assert "teacher" == again.account_id
    assert isinstance(world.kit.mailer, RecordingMailer)
    assert not [
        m for m in world.kit.mailer.outbox if m.kind.startswith("auth.")
    ]  # the e-mailed code is skipped
    session, _ = world.kit.web_sessions.start(again.account_id)
    assert "teacher" == world.kit.web_sessions.resolve(session).account_id
    actions = [action for action, _, _ in world.events()]
    assert {"federation.linked", "roles.invitation.accepted", "auth.sign_in"} <= set(actions)


def test_a_teacher_with_a_password_links_entree_with_a_single_use_link_token(
    world: World,
) -> None:
    """Signed in locally, the teacher asks for a link token; it works once."""
    world.give_password()
    issued = world.kit.federated_accounts.issue_link_token("teacher", ip=IP)
    assert "teacher" == signed_in(world.sign_in(link_token=issued.token)).account_id
    assert ["link_token", "link_token"] == [link.method.value for link in world.links()]
    with pytest.raises(NotFound) as caught:
        world.sign_in(subject="someone-else", link_token=issued.token)
    assert "federation.link_token.unknown" == caught.value.code


def test_a_link_token_needs_a_local_password(world: World) -> None:
    """An account without a password is linked by an invitation, not a link token."""
    with pytest.raises(InvalidState) as caught:
        world.kit.federated_accounts.issue_link_token("teacher", ip=IP)
    assert "federation.link_token.no_password" == caught.value.code


def test_the_eck_id_finds_the_account_through_another_issuer(world: World) -> None:
    """Linked through OIDC, the teacher signs in through SAML (another pseudonym) by the ECK iD."""
    signed_in(world.sign_in(invitation=world.invitation()))
    through_saml = signed_in(world.sign_in(world.saml, subject="saml-nameid-77"))
    assert "teacher" == through_saml.account_id
    issuers = sorted(link.issuer for link in world.links() if link.kind.value == "subject")
    assert [world.entree.issuer, world.saml.issuer] == issuers


def test_without_a_link_no_account_is_found_and_none_is_created(world: World) -> None:
    """The e-mail address matches the teacher, but the e-mail rule is off by default."""
    with world.kit.backend.begin(readonly=True) as uow:
        count = len(uow.accounts.list().items)
    refused(world, NotFound, "federation.account.unknown")
    with world.kit.backend.begin(readonly=True) as uow:
        assert count == len(uow.accounts.list().items)


def test_an_email_match_is_proposed_and_linked_only_when_confirmed(wiring: Wiring) -> None:
    """With the e-mail rule on: a proposal first, nothing linked; the confirmation links."""
    world = make_world(wiring, LinkPolicy(rules=(LinkRule.LINK, LinkRule.ECK_ID, LinkRule.EMAIL)))
    kit = world.kit
    proposal = world.sign_in()
    assert isinstance(proposal, LinkProposal)
    assert ("teacher", "t…@school.nl") == (proposal.account_id, proposal.masked_email)
    assert () == world.links()
    progress = kit.federated_sign_in.confirm_email_match(proposal.token, ip=IP, application=APP)
    assert "teacher" == signed_in(progress).account_id
    assert ["email", "email"] == [link.method.value for link in world.links()]
    with pytest.raises(NotFound) as caught:
        kit.federated_sign_in.confirm_email_match(proposal.token, ip=IP, application=APP)
    assert "federation.proposal.unknown" == caught.value.code
    assert "teacher" == signed_in(world.sign_in()).account_id  # by the link now


# -- the attacks: each its own code, nothing linked -----------------------------------------


def test_a_replayed_assertion_is_refused(world: World) -> None:
    """The same message under a fresh request: the replay store has seen its key."""
    token = world.invitation()
    signed_in(world.sign_in(invitation=token, replay_key="saml:_a1b2c3"))
    refused(world, NotPermitted, "federation.replayed", replay_key="saml:_a1b2c3")


def test_a_replay_refused_before_linking_links_nothing(world: World) -> None:
    """A message refused once (no link) stays spent: its replay links nothing either."""
    refused(world, NotFound, "federation.account.unknown", replay_key="oidc:jti-1")
    token = world.invitation()
    refused(world, NotPermitted, "federation.replayed", replay_key="oidc:jti-1", invitation=token)
    assert "teacher" == signed_in(world.sign_in(invitation=token)).account_id


def test_a_wrong_home_brin_is_refused_and_the_invitation_stays_usable(world: World) -> None:
    """Another school's BRIN (4 or 6 characters): refused; the invitation still works."""
    token = world.invitation()
    for brin in ("33CD", "33CD00", "22AB99X"):
        refused(
            world,
            NotPermitted,
            "federation.home_organisation.mismatch",
            attributes=teacher_attributes(**{HOME_ORGANIZATION_ID: [brin]}),
            invitation=token,
        )
    refused(
        world,
        NotPermitted,
        "federation.home_organisation.mismatch",
        attributes={k: v for k, v in teacher_attributes().items() if k != HOME_ORGANIZATION_ID},
        invitation=token,
    )
    located = teacher_attributes(**{HOME_ORGANIZATION_ID: ["22AB00"]})
    assert "teacher" == signed_in(world.sign_in(attributes=located, invitation=token)).account_id


def test_a_student_affiliation_for_a_teachers_role_is_refused(world: World) -> None:
    """A pupil's Entree account cannot take the teacher's account, even with the invitation."""
    token = world.invitation()
    refused(
        world,
        NotPermitted,
        "federation.affiliation.not_allowed",
        attributes=teacher_attributes(**{AFFILIATION: ["student"]}),
        invitation=token,
    )
    world.sign_in(invitation=token)
    refused(
        world,
        NotPermitted,
        "federation.affiliation.not_allowed",
        attributes=teacher_attributes(**{AFFILIATION: ["student", "affiliate"]}),
    )


def test_a_deactivated_account_cannot_sign_in_through_the_federation(world: World) -> None:
    """Deactivation applies as for a local account."""
    signed_in(world.sign_in(invitation=world.invitation()))
    with world.kit.backend.begin() as uow:  # the pupil-monitoring system removes; Facet deactivates
        account = uow.accounts.get("teacher")
        uow.accounts.update(attrs.evolve(account, status=AccountStatus.DEACTIVATED))
        uow.commit()
    refused(world, NotPermitted, "federation.account.inactive")


def test_the_state_works_once_in_time_and_for_its_own_provider(world: World) -> None:
    """Unknown, used, lapsed or another provider's state: the same refusal."""
    kit = world.kit
    signed_in(world.sign_in(invitation=world.invitation()))
    request = world.begin()
    answer = world.entree.respond(request, subject=PSEUDONYM, attributes=teacher_attributes())
    for provider, state in (("entree", "no-such-state"), ("entree-saml", request.state)):
        with pytest.raises(NotFound) as caught:
            kit.federated_sign_in.finish(provider, state, answer, ip=IP, application=APP)
        assert "federation.request.unknown" == caught.value.code
    with pytest.raises(NotFound):  # the other provider's attempt spent it
        kit.federated_sign_in.finish("entree", request.state, answer, ip=IP, application=APP)
    late = world.begin()
    answer = world.entree.respond(late, subject=PSEUDONYM, attributes=teacher_attributes())
    world.clock.advance(minutes=6)
    with pytest.raises(NotFound) as caught:
        kit.federated_sign_in.finish("entree", late.state, answer, ip=IP, application=APP)
    assert "federation.request.unknown" == caught.value.code
    with pytest.raises(NotFound) as caught:
        kit.federated_sign_in.begin("nobody", ip=IP)
    assert "federation.provider.unknown" == caught.value.code


def test_an_answer_the_adapter_refuses_is_audited_with_its_code(world: World) -> None:
    """An answer to another request: the adapter's own refusal, audited."""
    kit = world.kit
    first, second = world.begin(), world.begin()
    answer = world.entree.respond(first, subject=PSEUDONYM, attributes=teacher_attributes())
    with pytest.raises(ExamkitError) as caught:
        kit.federated_sign_in.finish("entree", second.state, answer, ip=IP, application=APP)
    assert "federation.response.invalid" == caught.value.code
    assert ("auth.sign_in", "failure") == world.events()[-1][:2]


def test_an_identity_linked_to_another_account_is_not_relinked(world: World) -> None:
    """Another account's invitation cannot take over a linked identity."""
    signed_in(world.sign_in(invitation=world.invitation()))
    store_actor(
        world.kit.backend,
        "colleague",
        [("cito_lvs.quality_officer", [L00])],
        access=[Access(APP, L00.brin)],
    )
    world.kit.invitations.send_invitation("admin", "colleague", application=APP, at=L00)
    assert isinstance(world.kit.mailer, RecordingMailer)
    found = re.search(r"token=(\S+)", world.kit.mailer.last("roles.invitation").body)
    assert found is not None
    with pytest.raises(InvalidState) as caught:
        world.sign_in(invitation=found.group(1))
    assert "federation.link.taken" == caught.value.code


def test_the_audit_trail_holds_no_personal_data_of_the_assertion(world: World) -> None:
    """Issuer, provider and the subject's digest; never a name, e-mail, ECK iD or pseudonym."""
    token = world.invitation()
    with pytest.raises(NotPermitted):
        world.sign_in(attributes=teacher_attributes(**{AFFILIATION: ["student"]}), invitation=token)
    signed_in(world.sign_in(invitation=token))
    signed_in(world.sign_in())
    personal = {PSEUDONYM, ECK, "Kim", "Teacher", "teacher@school.nl", "Het Testcollege"}
    federated = [
        details
        for action, _, details in world.events()
        if action.startswith("federation.") or details.get("factor") == "federation"
    ]
    assert len(federated) >= 4
    for details in federated:
        for value in details.values():
            assert not any(item in value for item in personal), details
    sign_in = next(d for a, o, d in world.events() if a == "auth.sign_in" and o == "success")
    assert subject_key(world.entree.issuer, PSEUDONYM) == sign_in["link"]
    assert world.entree.issuer == sign_in["issuer"]


# -- federation-only accounts --------------------------------------------------------------


def test_a_federation_only_account_has_no_password_to_sign_in_with_or_reset(
    world: World,
) -> None:
    """Set by its administrator: the password goes, reset and new passwords are refused."""
    kit = world.kit
    world.give_password()
    signed_in(world.sign_in(invitation=world.invitation()))
    with pytest.raises(NotPermitted):  # the teacher may not do it
        kit.federated_accounts.set_federation_only("teacher", "teacher", application=APP)
    stored = kit.federated_accounts.set_federation_only("admin", "teacher", application=APP)
    assert stored.federation_only
    assert stored.password is None
    login = str(stored.login_name)
    with pytest.raises(NotPermitted) as caught:
        kit.staff_sign_in.submit_credentials(login, PASSWORD, ip=IP, application=APP)
    assert "auth.credentials.invalid" == caught.value.code
    assert isinstance(kit.mailer, RecordingMailer)
    kit.password_reset.request_reset(login, ip=IP)
    assert not [m for m in kit.mailer.outbox if m.kind.startswith("auth.reset")]
    with pytest.raises(InvalidState) as no_password:
        kit.federated_accounts.issue_link_token("teacher", ip=IP)
    assert "federation.link_token.no_password" == no_password.value.code
    assert "teacher" == signed_in(world.sign_in()).account_id
    world.clock.advance(days=400)
    assert [] == [r for r in kit.sign_in_housekeeping.due_reminders() if r.account_id == "teacher"]


def test_an_invitation_cannot_give_a_federation_only_account_a_password(world: World) -> None:
    """Accepting with a password is refused; nothing is consumed: Entree still accepts it."""
    kit = world.kit
    kit.federated_accounts.set_federation_only("admin", "teacher", application=APP)
    token = world.invitation()
    with pytest.raises(InvalidState) as caught:
        kit.invitations.accept_invitation(token, password=PASSWORD)
    assert "federation.account.federation_only" == caught.value.code
    assert "teacher" == signed_in(world.sign_in(invitation=token)).account_id


def test_an_administrator_lists_and_removes_a_teachers_links(world: World) -> None:
    """The links show digests and issuers; removing one signs the teacher out everywhere."""
    kit = world.kit
    first = signed_in(world.sign_in(invitation=world.invitation()))
    session, _ = kit.web_sessions.start(first.account_id)
    links = kit.federated_accounts.links("admin", "teacher", application=APP)
    assert links == kit.federated_accounts.links("teacher", "teacher", application=APP)
    subject = next(link for link in links if link.kind.value == "subject")
    kit.federated_accounts.unlink("admin", "teacher", subject.id, application=APP)
    with pytest.raises(NotPermitted):
        kit.web_sessions.resolve(session)
    with pytest.raises(NotFound) as caught:
        kit.federated_accounts.unlink("admin", "teacher", subject.id, application=APP)
    assert "federation.link.unknown" == caught.value.code
    # The ECK iD's link remains: the teacher is still found by it.
    assert "teacher" == signed_in(world.sign_in()).account_id


def test_no_new_password_is_sent_to_a_federation_only_account(world: World) -> None:
    """In the exam system, which sends passwords: refused, nothing mailed."""
    kit = world.kit
    store_actor(kit.backend, "fadmin", [("facet.administrator", [L00])])
    store_actor(kit.backend, "proctor", [("facet.proctor", [L00])])
    kit.federated_accounts.set_federation_only("fadmin", "proctor", application="facet")
    assert isinstance(kit.mailer, RecordingMailer)
    sent = len(kit.mailer.outbox)
    with pytest.raises(InvalidState) as caught:
        kit.users.send_new_password("fadmin", "proctor", application="facet")
    assert "federation.account.federation_only" == caught.value.code
    assert sent == len(kit.mailer.outbox)
    back = kit.federated_accounts.set_federation_only(
        "fadmin", "proctor", application="facet", federation_only=False
    )
    assert not back.federation_only
    kit.users.send_new_password("fadmin", "proctor", application="facet")
    assert sent + 1 == len(kit.mailer.outbox)


def test_the_daily_job_purges_requests_that_lapsed_unanswered(world: World) -> None:
    """A request nobody came back for is gone after its expiry; a live one stays."""
    kit = world.kit
    lapsed = world.begin()
    world.clock.advance(minutes=4)
    live = world.begin()
    world.clock.advance(minutes=2)
    kit.sign_in_housekeeping.purge_expired()
    with kit.backend.begin(readonly=True) as uow:
        assert 0 == uow.pending_federated_sign_ins.purge_expired(kit.clock.now())
    answer = world.entree.respond(lapsed, subject=PSEUDONYM, attributes=teacher_attributes())
    with pytest.raises(NotFound):
        kit.federated_sign_in.finish("entree", lapsed.state, answer, ip=IP, application=APP)
    token = world.invitation()
    answer = world.entree.respond(live, subject=PSEUDONYM, attributes=teacher_attributes())
    progress = kit.federated_sign_in.finish(
        "entree", live.state, answer, ip=IP, application=APP, invitation=token
    )
    assert "teacher" == signed_in(progress).account_id


def test_a_reset_link_mailed_before_the_account_became_federation_only_stops_working(
    world: World,
) -> None:
    """Making the account federation-only revokes its reset links; the reset refuses anyway."""
    kit = world.kit
    world.give_password()
    with kit.backend.begin(readonly=True) as uow:
        login = str(uow.accounts.get("teacher").login_name)
    kit.password_reset.request_reset(login, ip=IP)
    assert isinstance(kit.mailer, RecordingMailer)
    found = re.search(r"token=(\S+)", kit.mailer.last("auth.reset").body)
    assert found is not None
    kit.federated_accounts.set_federation_only("admin", "teacher", application=APP)
    with pytest.raises(NotFound) as caught:
        kit.password_reset.reset_password(found.group(1), "Nieuwgekozen!2", ip=IP)
    assert "auth.reset.unusable" == caught.value.code
    with kit.backend.begin(readonly=True) as uow:
        assert uow.accounts.get("teacher").password is None
