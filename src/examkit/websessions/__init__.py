"""Signed-in browser sessions (*websessies*): examkit's own record, an opaque id in the cookie.

A portal that embeds examkit keeps nothing but a random session id in its
cookie; :class:`WebSessions` (``kit.web_sessions``) starts a session when
the sign-in ends signed in, resolves the id on every request
(:meth:`~WebSessions.user` also reads the account and its grants), renews it
at a change of privileges, ends it at sign-out, ends all of an account's
sessions at once and purges the ended ones. Only a keyed digest of the id
is stored (:class:`WebSession`). A session lapses after an idle timeout
and an absolute one (:class:`WebSessionSettings`, OWASP ASVS 3.3). A
session opens the whole portal or, started after the proctor monitor's
sign-in without a code, only the monitor (:class:`SessionScope`).

The use cases that change an account's privileges end its sessions in
their own transaction with :func:`revoke_web_sessions`: deactivation, a
password change or reset (through :mod:`examkit.auth`) and a role
revocation (:mod:`examkit.roles`).

:class:`FormTokens` (``kit.form_tokens``) makes a form's second submission
harmless: one token per form shown, spent by its first submission.
:class:`RequestLimits` (``kit.request_limits``) limits how often one client
may post an anonymous form (:class:`RequestLimit`), counted in storage so the
limit holds across a portal's processes.

>>> WebSessionSettings().absolute_timeout
datetime.timedelta(seconds=43200)

Implements WEB-2.
"""

from examkit.websessions._forms import FORM, FORM_LIFETIME, FormTokens
from examkit.websessions._limits import REQUEST_LIMIT, RequestLimit, RequestLimits
from examkit.websessions._model import (
    DEFAULT_ABSOLUTE_TIMEOUT,
    DEFAULT_IDLE_TIMEOUT,
    DEFAULT_MONITOR_ABSOLUTE_TIMEOUT,
    DEFAULT_MONITOR_IDLE_TIMEOUT,
    LAST_SEEN_STEP,
    SessionScope,
    WebSession,
    WebSessionSettings,
)
from examkit.websessions._records import WEB_SESSIONS, WebSessionRecords, WebSessionRepository
from examkit.websessions._revoke import revoke_web_sessions
from examkit.websessions._service import PURPOSE, TOKEN_BYTES, SessionUser, WebSessions

__all__ = [
    "DEFAULT_ABSOLUTE_TIMEOUT",
    "DEFAULT_IDLE_TIMEOUT",
    "DEFAULT_MONITOR_ABSOLUTE_TIMEOUT",
    "DEFAULT_MONITOR_IDLE_TIMEOUT",
    "FORM",
    "FORM_LIFETIME",
    "LAST_SEEN_STEP",
    "PURPOSE",
    "REQUEST_LIMIT",
    "TOKEN_BYTES",
    "WEB_SESSIONS",
    "FormTokens",
    "RequestLimit",
    "RequestLimits",
    "SessionScope",
    "SessionUser",
    "WebSession",
    "WebSessionRecords",
    "WebSessionRepository",
    "WebSessionSettings",
    "WebSessions",
    "revoke_web_sessions",
]
