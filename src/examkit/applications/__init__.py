"""Account applications (*aanvraag schoolaccount*): the wizard, its checks, processing.

A school applies for an administrator account through four steps (school,
administrator, competent authority, review: :class:`ApplicationWizard`),
each checked on its own; the result is an :class:`AccountApplication`, a
frozen value with a documented, versioned JSON form
(:func:`application_to_json`, :func:`application_from_json`). The operator
handles it within the portal's service time in working days
(:func:`add_working_days`, skipping weekends and the holidays of the
Algemene termijnenwet) and approves it, which creates or keeps the
administrator's account and grants the administrator role, or rejects it
with a reason, which the school is e-mailed (:class:`ApplicationService`,
``kit.applications``). An applicant without an account fetches what they
submitted (its PDF form) with the :class:`Receipt` of
:meth:`ApplicationService.submit_with_receipt`.

>>> application = example_application()
>>> application.school.name, str(application.brin), application.status.value
('Helpdeskschool', '22AB', 'submitted')

Implements ACC-1 to ACC-4, ACC-6 to ACC-8.
"""

from examkit.applications._example import example_application
from examkit.applications._institution import institution_of
from examkit.applications._json import (
    JSON_FORMAT,
    JSON_VERSION,
    application_from_json,
    application_to_json,
)
from examkit.applications._mail import (
    account_kept_message,
    registration_confirmation_message,
    rejection_message,
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
from examkit.applications._records import (
    APPLICATIONS,
    ApplicationRecords,
)
from examkit.applications._repository import ApplicationRepository
from examkit.applications._rules import (
    DUTCH_BELGIAN_PROVIDERS,
    SERVICE_DAYS,
    ApplicationSettings,
    MailDomainRule,
    check_institution_addresses,
    email_domain,
)
from examkit.applications._service import (
    HANDLE,
    RECEIPT,
    RECEIPT_LIFETIME,
    ApplicationService,
    QueueEntry,
    Receipt,
)
from examkit.applications._wizard import (
    ADMINISTRATOR_ROLES,
    AdministratorEntry,
    ApplicationWizard,
    AuthorityEntry,
    LocationEntry,
    ReviewSection,
    SchoolEntry,
    WizardStep,
    check_administrator,
    check_authority,
    check_school,
)
from examkit.applications._working_days import (
    ACT_HOLIDAYS,
    AMSTERDAM,
    act_holidays,
    add_working_days,
    is_working_day,
)

__all__ = [
    "ACT_HOLIDAYS",
    "ADMINISTRATOR_ROLES",
    "AMSTERDAM",
    "APPLICATIONS",
    "DUTCH_BELGIAN_PROVIDERS",
    "HANDLE",
    "JSON_FORMAT",
    "JSON_VERSION",
    "RECEIPT",
    "RECEIPT_LIFETIME",
    "SERVICE_DAYS",
    "AccountApplication",
    "AdministratorDetails",
    "AdministratorEntry",
    "ApplicationRecords",
    "ApplicationRepository",
    "ApplicationService",
    "ApplicationSettings",
    "ApplicationStatus",
    "ApplicationWizard",
    "AuthorityDetails",
    "AuthorityEntry",
    "Decision",
    "LocationEntry",
    "MailDomainRule",
    "QueueEntry",
    "Receipt",
    "ReviewSection",
    "SchoolDetails",
    "SchoolEntry",
    "SecondaryLocation",
    "WizardStep",
    "account_kept_message",
    "act_holidays",
    "add_working_days",
    "application_from_json",
    "application_to_json",
    "check_administrator",
    "check_authority",
    "check_institution_addresses",
    "check_school",
    "email_domain",
    "example_application",
    "institution_of",
    "is_working_day",
    "normalise_phone",
    "registration_confirmation_message",
    "rejection_message",
]
