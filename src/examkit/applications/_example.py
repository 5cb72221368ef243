"""The example application of seed 000 (Helpdeskschool, Groningen), for docs, tests and demo."""

from __future__ import annotations

from datetime import UTC, datetime

from examkit.accounts import LoginName
from examkit.applications._model import (
    AccountApplication,
    AdministratorDetails,
    AuthorityDetails,
    SchoolDetails,
    SecondaryLocation,
)
from examkit.identifiers import LocationCode, Postcode
from examkit.org import Address


def example_application() -> AccountApplication:
    """Return seed 000's example: Helpdeskschool (22AB00) with one secondary location.

    >>> example_application().administrator.login_name
    LoginName(value='22AB.K.Beheerder')

    Implements ACC-1.
    """
    return AccountApplication(
        id="app-22AB00-1",
        system="ce_portal",
        school=SchoolDetails(
            code=LocationCode("22AB00"),
            onderwijslocatiecode=None,
            name="Helpdeskschool",
            address=Address("Waterlaan", "2", Postcode("8835BA"), "Groningen"),
            secondary_locations=(SecondaryLocation(LocationCode("22AB01")),),
        ),
        administrator=AdministratorDetails(
            first_name="Klaas",
            last_name="Beheerder",
            phone="0612345678",
            email="k.beheerder@helpdeskschool.nl",
            login_name=LoginName("22AB.K.Beheerder"),
        ),
        competent_authority=AuthorityDetails(
            initials="G.",
            last_name="Jansen",
            function="Directeur",
            email="g.jansen@helpdeskschool.nl",
        ),
        submitted_at=datetime(2022, 11, 1, 9, 0, tzinfo=UTC),
    )
