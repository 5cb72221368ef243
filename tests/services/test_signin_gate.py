"""The default sign-in gate: the stored grants decide (ROLE-2, ROLE-3, AUTH-9)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from examkit import Examkit, Settings
from examkit.backends.memory import MemoryBackend
from examkit.identifiers import LocationCode
from examkit.permissions import Authorization, Grant
from examkit.roles import RoleGate
from examkit.testing import RecordingMailer, cheap_hasher
from examkit.testing.conformance import make_account

AT = datetime(2026, 9, 1, 8, tzinfo=UTC)


def kit_with(*grants: tuple[str, str]) -> tuple[Examkit, str]:
    """Return a kit with one account holding *grants* (role, account suffix) at 22AB00."""
    kit = Examkit(
        backend=MemoryBackend(),
        mailer=RecordingMailer(),
        settings=Settings(token_key=b"k" * 32, base_url="https://portal.example.nl"),
        hasher=cheap_hasher(),
    )
    account = make_account()
    with kit.backend.begin() as uow:
        uow.accounts.add(account)
        if grants:
            uow.authorizations.add(
                Authorization(
                    account=account.id,
                    grants=tuple(
                        Grant.of(role, [LocationCode("22AB00")], granted_at=AT)
                        for role, _ in grants
                    ),
                )
            )
        uow.commit()
    return kit, account.id


@pytest.mark.req("ROLE-2")
def test_the_default_gate_is_the_stored_grants() -> None:
    """Without a gate given, the kit asks the roles: no grant, no entry."""
    kit, account_id = kit_with()
    assert isinstance(kit.sign_in_gate, RoleGate)
    with kit.backend.begin(readonly=True) as uow:
        account = uow.accounts.get(account_id)
    assert not kit.sign_in_gate.may_sign_in(account, "facet")
    assert not kit.sign_in_gate.may_sign_in(account, "afnamemonitor")


@pytest.mark.req("ROLE-2", "AUTH-9")
def test_a_planner_enters_facet_but_not_the_monitor() -> None:
    """An active facet role admits to facet; only proctors reach the proctor monitor."""
    kit, account_id = kit_with(("facet.planner", "p"))
    with kit.backend.begin(readonly=True) as uow:
        account = uow.accounts.get(account_id)
    assert kit.sign_in_gate.may_sign_in(account, "facet")
    assert not kit.sign_in_gate.may_sign_in(account, "afnamemonitor")
    assert not kit.sign_in_gate.may_sign_in(account, "cito_lvs")


@pytest.mark.req("ROLE-2", "AUTH-9")
def test_a_proctor_enters_the_monitor() -> None:
    """The proctor may show the monitor's groups, so the monitor admits them."""
    kit, account_id = kit_with(("facet.proctor", "a"))
    with kit.backend.begin(readonly=True) as uow:
        account = uow.accounts.get(account_id)
    assert kit.sign_in_gate.may_sign_in(account, "afnamemonitor")
    assert kit.sign_in_gate.may_sign_in(account, "facet")


@pytest.mark.req("ROLE-1", "ROLE-2", "ACC-6")
def test_the_service_desk_enters_every_application_s_portal_but_not_the_monitor() -> None:
    """The operator handles applications in whichever portal it runs: facet's, cito_lvs's."""
    kit, _ = kit_with()
    desk = kit.grants.create_first_operator(
        login_name="examkit.servicedesk", first_name="S", last_name="Desk", email="d@x.nl"
    )
    assert kit.sign_in_gate.may_sign_in(desk, "facet")
    assert kit.sign_in_gate.may_sign_in(desk, "cito_lvs")
    assert kit.sign_in_gate.may_sign_in(desk, "examkit")
    assert not kit.sign_in_gate.may_sign_in(desk, "afnamemonitor")
