# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""A deployment's first operator: made by the library, signed in like every user (issue 22).

Run on the doubles and on the production wiring (the kit's own audit log) on
memory and on an SQLite file.
"""

from __future__ import annotations

import re

import pytest

from examkit import Examkit, Settings
from examkit.auth import Step
from examkit.errors import AlreadyExists, InvalidInput, InvalidState
from examkit.testing import ManualClock, RecordingMailer, SequenceSecretSource, Wiring, cheap_hasher
from examkit.testing.conformance import make_account

IP = "192.0.2.10"
NEW_PASSWORD = "Zonnebloem-Kastanje-84"


@pytest.fixture
def kit(wiring: Wiring) -> Examkit:
    return Examkit(
        backend=wiring.backend,
        mailer=RecordingMailer(),
        settings=Settings(token_key=b"k" * 32, base_url="https://portal.example/"),
        clock=ManualClock.at("2026-09-01T08:00:00+00:00"),
        secrets=SequenceSecretSource("first-operator"),
        audit=wiring.log,
        hasher=cheap_hasher("first-operator"),
    )


def mailer(kit: Examkit) -> RecordingMailer:
    assert isinstance(kit.mailer, RecordingMailer)
    return kit.mailer


def create(kit: Examkit, login_name: str = "examkit.servicedesk") -> str:
    return kit.grants.create_first_operator(
        login_name=login_name,
        first_name="Sanne",
        last_name="Servicedesk",
        email="servicedesk@portal.example",
    ).id


@pytest.mark.req("ROLE-1", "AUTH-2", "NOTE-1")
def test_the_first_operator_signs_in_with_the_mailed_password_and_a_code(kit: Examkit) -> None:
    """The mail holds login name and password; password, own password and code sign it in."""
    operator = create(kit)
    mail = mailer(kit).last("roles.credentials")
    assert ("servicedesk@portal.example",) == mail.to
    assert "nl" == mail.lang
    assert "examkit.servicedesk" in mail.body
    found = re.search(r"Wachtwoord: (\S+)", mail.body)
    assert found is not None
    progress = kit.staff_sign_in.submit_credentials(
        "examkit.servicedesk", found.group(1), ip=IP, application="examkit"
    )
    assert (Step.CHANGE_PASSWORD, operator) == (progress.step, progress.account_id)
    progress = kit.staff_sign_in.change_password(progress.transaction, NEW_PASSWORD, ip=IP)
    assert Step.SECOND_FACTOR is progress.step
    code = re.search(r"\b(\d{6})\b", mailer(kit).last("auth.otp").body)
    assert code is not None
    signed_in = kit.staff_sign_in.submit_code(progress.transaction, code.group(1), ip=IP)
    assert Step.SIGNED_IN is signed_in.step
    actor = kit.permissions.actor(operator)
    assert actor.may("examkit.applications.handle", None)


@pytest.mark.req("ROLE-1")
def test_there_is_one_first_operator(kit: Examkit, wiring: Wiring) -> None:
    """A second call is refused and changes nothing; its refusal is audited on its own."""
    first = create(kit)
    with kit.backend.begin(readonly=True) as uow:
        accounts = uow.accounts.list(limit=10).items
    with pytest.raises(InvalidState) as refused:
        create(kit, "examkit.tweede")
    assert "roles.operator.exists" == refused.value.code
    with kit.backend.begin(readonly=True) as uow:
        assert accounts == uow.accounts.list(limit=10).items
    assert [first] == [
        event.subject.removeprefix("account:")
        for event in wiring.audit.events
        if event.action == "roles.operator.created" and event.outcome == "success"
    ]
    last = wiring.audit.events[-1]
    assert ("roles.operator.created", "failure", "roles.operator.exists") == (
        last.action,
        last.outcome,
        last.details.get("reason"),
    )


@pytest.mark.req("ROLE-1", "NOTE-1")
def test_an_english_first_operator_prefers_english(kit: Examkit) -> None:
    """With ``lang="en"`` the account prefers English: its mails follow it."""
    operator = kit.grants.create_first_operator(
        login_name="examkit.servicedesk",
        first_name="Sam",
        last_name="Desk",
        email="desk@portal.example",
        lang="en",
    )
    assert "en" == operator.lang
    assert "Your sign-in details" in mailer(kit).last("roles.credentials").subject


@pytest.mark.req("ROLE-1")
@pytest.mark.parametrize(
    ("login_name", "email", "error", "field"),
    [
        ("x", "desk@portal.example", InvalidInput, "login_name"),
        ("examkit.servicedesk", "geen-adres", InvalidInput, "email"),
    ],
)
def test_unusable_details_are_refused_on_their_field_and_store_nothing(
    kit: Examkit, login_name: str, email: str, error: type[Exception], field: str
) -> None:
    """No account, no grant, no mail."""
    with pytest.raises(error) as refused:
        kit.grants.create_first_operator(
            login_name=login_name, first_name="Sam", last_name="Desk", email=email
        )
    assert field == getattr(refused.value, "field", None)
    with kit.backend.begin(readonly=True) as uow:
        assert () == tuple(uow.accounts.list(limit=10).items)
        assert () == tuple(uow.authorizations.list(limit=10).items)
    assert [] == list(mailer(kit).outbox)


@pytest.mark.req("ROLE-1")
def test_a_taken_login_name_is_refused(kit: Examkit) -> None:
    """An existing account's login name cannot become the operator's."""
    with kit.backend.begin() as uow:
        uow.accounts.add(make_account("acc-1", "examkit.servicedesk"))
        uow.commit()
    with pytest.raises(AlreadyExists):
        create(kit)
