"""Signing in (*inloggen*): the flow, lockout, one-time passwords, trusted browsers, reset.

The sign-in of the exam system as seed 004 (chapter 4) describes it, as a
library a portal embeds. :data:`FLOW` is the flow as a declared, checked
transition table: login name and password, then replacing an initial or
expired password, then a second factor (a one-time password by e-mail, or
an authenticator app), unless a trusted browser applies, then signed in.
:class:`StaffSignIn` (``kit.staff_sign_in``) drives it: each step returns a
:class:`SignInProgress` naming the page to show next, with the sign-in
transaction's token; nothing is reachable out of order.

Around the flow: the lockout of a login name after 3 failures for 15
minutes (counted atomically before any password check, the same for
unknown names), the proctor monitor's sign-in (:class:`SignInMonitor`),
password reset by e-mail (:class:`PasswordReset`), the user's own account
(:class:`Profile`), expiry reminders and purging for a daily job
(:class:`SignInHousekeeping`). Each is a small use-case class made from the
kit's :class:`~examkit.usecase.Ports`. Its e-mails (the ``auth.`` kinds of
:data:`examkit.notifications.NOTIFICATIONS`) are composed by
:mod:`examkit.notifications`, in the account's language
(:attr:`~examkit.accounts.Account.lang`) unless the use case is given ``lang=``.
Secrets are stored only as keyed digests; an audit event never carries one.

>>> FLOW.next(Step.CREDENTIALS, Action.SUBMIT_CREDENTIALS, Facts(trusted_browser=True))
<Step.SIGNED_IN: 'signed_in'>
>>> SignInRules().max_failures
3

Implements AUTH-2 to AUTH-10 and the sign-in's e-mails of NOTE-1.
"""

from examkit.auth._common import client_ip
from examkit.auth._flow import FLOW, Facts, Flow, Guard, Transition
from examkit.auth._gate import SignInGate
from examkit.auth._housekeeping import SignInHousekeeping, purge_lapsed
from examkit.auth._model import (
    Action,
    Authenticator,
    AuthenticatorEnrolment,
    EmailChange,
    MonitorSignIn,
    ProfileUpdate,
    Reminder,
    SentReminder,
    SignInProgress,
    SignInTransaction,
    Step,
    TrustedBrowser,
    reminder_id,
)
from examkit.auth._monitor import SignInMonitor
from examkit.auth._profile import Profile
from examkit.auth._records import (
    AUTHENTICATORS,
    EMAIL_CHANGES,
    SENT_REMINDERS,
    SIGNINS,
    TRUSTED_BROWSERS,
    SentReminderRecords,
    SignInTransactionRecords,
    TrustedBrowserRecords,
)
from examkit.auth._repository import (
    AuthenticatorRepository,
    EmailChangeRepository,
    SentReminderRepository,
    SignInTransactionRepository,
    TrustedBrowserRepository,
)
from examkit.auth._reset import PasswordReset
from examkit.auth._rules import MAX_RESET_LIFETIME, SecondFactor, SignInRules
from examkit.auth._secrets import lockout_key
from examkit.auth._sign_out import revoke_sign_ins
from examkit.auth._staff_sign_in import StaffSignIn

__all__ = [
    "AUTHENTICATORS",
    "EMAIL_CHANGES",
    "FLOW",
    "MAX_RESET_LIFETIME",
    "SENT_REMINDERS",
    "SIGNINS",
    "TRUSTED_BROWSERS",
    "Action",
    "Authenticator",
    "AuthenticatorEnrolment",
    "AuthenticatorRepository",
    "EmailChange",
    "EmailChangeRepository",
    "Facts",
    "Flow",
    "Guard",
    "MonitorSignIn",
    "PasswordReset",
    "Profile",
    "ProfileUpdate",
    "Reminder",
    "SecondFactor",
    "SentReminder",
    "SentReminderRecords",
    "SentReminderRepository",
    "SignInGate",
    "SignInHousekeeping",
    "SignInMonitor",
    "SignInProgress",
    "SignInRules",
    "SignInTransaction",
    "SignInTransactionRecords",
    "SignInTransactionRepository",
    "StaffSignIn",
    "Step",
    "Transition",
    "TrustedBrowser",
    "TrustedBrowserRecords",
    "TrustedBrowserRepository",
    "client_ip",
    "lockout_key",
    "purge_lapsed",
    "reminder_id",
    "revoke_sign_ins",
]
