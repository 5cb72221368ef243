"""Account applications (*aanvraag schoolaccount*): the wizard, its checks, processing.

A school applies for an administrator account through four steps (school,
administrator, competent authority, review); the result is an
:class:`AccountApplication`, a frozen value with a documented, versioned
JSON form (:func:`application_to_json`, :func:`application_from_json`).
The operator handles it within the portal's service time in working days
(:func:`add_working_days`, skipping weekends and the holidays of the
Algemene termijnenwet).

>>> application = example_application()
>>> application.school.name, str(application.brin), application.status.value
('Helpdeskschool', '22AB', 'submitted')

Implements ACC-1 to ACC-4, ACC-6 to ACC-8.
"""

from examkit.applications._example import example_application
from examkit.applications._json import (
    JSON_FORMAT,
    JSON_VERSION,
    application_from_json,
    application_to_json,
)
from examkit.applications._model import (
    AccountApplication,
    AdministratorDetails,
    ApplicationStatus,
    AuthorityDetails,
    Decision,
    SchoolDetails,
    SecondaryLocation,
)
from examkit.applications._phone import normalise_phone
from examkit.applications._working_days import (
    ACT_HOLIDAYS,
    AMSTERDAM,
    act_holidays,
    add_working_days,
    is_working_day,
)

__all__ = [
    "ACT_HOLIDAYS",
    "AMSTERDAM",
    "JSON_FORMAT",
    "JSON_VERSION",
    "AccountApplication",
    "AdministratorDetails",
    "ApplicationStatus",
    "AuthorityDetails",
    "Decision",
    "SchoolDetails",
    "SecondaryLocation",
    "act_holidays",
    "add_working_days",
    "application_from_json",
    "application_to_json",
    "example_application",
    "is_working_day",
    "normalise_phone",
]
