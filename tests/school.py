"""The school the service and portal tests share: 22AB, its first operator, an administrator.

Not a test module (no ``test_`` prefix): the set-up several tests make the
same way, here once.
"""

from __future__ import annotations

from typing import Final

from examkit import Examkit
from examkit.accounts import Account, LoginName
from examkit.identifiers import Brin, LocationCode
from examkit.passwords import PRESETS, change_password
from examkit.testing import cheap_hasher
from examkit.testing.conformance import make_institution

L00: Final = LocationCode("22AB00")
"""The school's main location."""
ADMIN: Final = "admin"
"""The administrator's account id."""
ADMIN_LOGIN: Final = "22AB.K.Beheerder"
"""The administrator's login name."""
ADMIN_PASSWORD: Final = "Kastanje-Zonnebloem-31"
"""The administrator's own password, where the test gives it one."""


def add_school(kit: Examkit, *, with_password: bool = False) -> str:
    """Register 22AB, make its first operator and Karin Beheerder, Facet administrator at 22AB00.

    With *with_password* the administrator has :data:`ADMIN_PASSWORD` of her own
    (set as of the kit's clock). Returns the operator's account id.
    """
    kit.institutions.register(make_institution("22AB"))
    operator = kit.grants.create_first_operator(
        login_name="examkit.servicedesk", first_name="S", last_name="Desk", email="d@x.nl"
    ).id
    account = Account(
        id=ADMIN,
        login_name=LoginName(ADMIN_LOGIN),
        first_name="Karin",
        last_name="Beheerder",
        email="admin@school.nl",
        institutions=frozenset({Brin("22AB")}),
    )
    if with_password:
        account = change_password(
            account,
            ADMIN_PASSWORD,
            policy=PRESETS["facet"],
            hasher=cheap_hasher("set"),
            now=kit.clock.now(),
        )
    with kit.backend.begin() as uow:
        uow.accounts.add(account)
        uow.commit()
    kit.grants.grant_administrator(operator, ADMIN, at=[L00])
    return operator
