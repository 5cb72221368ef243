"""Use cases of account applications: submit, the operator's queue, approve, reject (ACC-6..8)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Literal

import attrs

from examkit.accounts import Account
from examkit.applications._mail import account_kept_message, registration_confirmation_message
from examkit.applications._model import AccountApplication, ApplicationStatus, Decision
from examkit.applications._rules import ApplicationSettings
from examkit.applications._wizard import ADMINISTRATOR_ROLES, ApplicationWizard
from examkit.applications._working_days import AMSTERDAM, add_working_days
from examkit.audit import AuditEvent, AuditOutcome, record_refusal
from examkit.errors import (
    AlreadyExists,
    ExamkitError,
    InvalidInput,
    InvalidState,
    NotFound,
    NotPermitted,
)
from examkit.messages import Lang
from examkit.passwords import PasswordPolicy, issue_initial_password
from examkit.ports import AuditLog, Clock, Mailer, Message, PasswordHasher, SecretSource
from examkit.roles import MATRIX, RoleService, credentials_message

if TYPE_CHECKING:
    from examkit.records import Backend, UnitOfWork

__all__ = ["HANDLE", "ApplicationService", "QueueEntry"]

HANDLE = "examkit.applications.handle"
"""The action of handling applications (the operator's, seed 000 §2)."""


@attrs.frozen
class QueueEntry:
    """One waiting application in the operator's queue, with its due date.

    Implements ACC-6.
    """

    application: AccountApplication
    """The application."""
    due: date
    """The last working day to handle it (Dutch days)."""
    overdue: bool
    """Whether today (Dutch time) is after :attr:`due`."""


class ApplicationService:
    """Take applications in, and let the operator handle them.

    Reached through :attr:`examkit.Examkit.applications`. The school's side
    (:meth:`wizard`, :meth:`submit`) needs no account; the operator's side
    (:meth:`queue`, :meth:`approve`, :meth:`reject`) needs the action
    :data:`HANDLE` everywhere. Every change is audited.

    Args:
        backend: Where applications and accounts are kept.
        clock: The time source.
        secrets: The randomness source (ids, initial passwords).
        mailer: Sends the e-mails of an approval.
        audit: The audit log.
        roles: Grants the administrator role (``grant_administrator``).
        settings: The portal's application settings (mail rule, service days).
        password_policy: The policy of the initial password.
        hasher: Hashes the initial password.
        base_url: The portal's address, for the sign-in link.
        lang: The default language of e-mails.

    Implements ACC-1, ACC-6, ACC-7, ACC-8 and NOTE-1.
    """

    def __init__(
        self,
        *,
        backend: Backend,
        clock: Clock,
        secrets: SecretSource,
        mailer: Mailer,
        audit: AuditLog,
        roles: RoleService,
        settings: ApplicationSettings,
        password_policy: PasswordPolicy,
        hasher: PasswordHasher,
        base_url: str,
        lang: Lang,
    ) -> None:
        self._backend = backend
        self._clock = clock
        self._secrets = secrets
        self._mailer = mailer
        self._audit = audit
        self._roles = roles
        self._settings = settings
        self._policy = password_policy
        self._hasher = hasher
        self._base_url = base_url.rstrip("/")
        self._lang = lang

    # -- the school's side ---------------------------------------------------

    def wizard(self, system: str) -> ApplicationWizard:
        """Return a new wizard for an application to *system*, with the portal's mail rule.

        Raises:
            InvalidInput: no administrator account can be applied for in *system*.
        """
        return ApplicationWizard(system, mail_rule=self._settings.mail_rule)

    def submit(self, wizard: ApplicationWizard) -> AccountApplication:
        """Confirm the wizard's application (*Verzenden*) and put it in the operator's queue.

        Raises:
            InvalidState: the wizard is not at its review step.
        """
        with self._audited(None, "applications.submitted", "application:*", {}) as extra:
            application = wizard.confirm(
                id=self._secrets.token_urlsafe(12), submitted_at=self._clock.now()
            )
            with self._backend.begin() as uow:
                stored = uow.applications.add(application)
                uow.commit()
            extra["subject"] = f"application:{stored.id}"
            extra["brin"] = str(stored.brin)
            extra["system"] = stored.system
        return stored

    def due_date(self, application: AccountApplication) -> date:
        """Return the last working day to handle *application* (its system's service days).

        Implements ACC-6.
        """
        days = self._settings.days_for(application.system)
        return add_working_days(application.submitted_on(), days)

    # -- the operator's side ---------------------------------------------------

    def queue(self, actor: str) -> tuple[QueueEntry, ...]:
        """Return the waiting applications, soonest due first (then oldest first).

        Raises:
            NotPermitted: *actor* may not handle applications.

        Implements ACC-6.
        """
        self._require(actor, "applications.queue.read", "application:*")
        today = self._clock.now().astimezone(AMSTERDAM).date()
        waiting: list[AccountApplication] = []
        with self._backend.begin(readonly=True) as uow:
            after: str | None = None
            while True:
                page = uow.applications.list(
                    status=ApplicationStatus.SUBMITTED, after=after, limit=500
                )
                waiting.extend(page.items)
                after = page.next_after
                if after is None:
                    break
        entries = [
            QueueEntry(item, due, today > due) for item in waiting for due in (self.due_date(item),)
        ]
        entries.sort(key=lambda entry: (entry.due, entry.application.submitted_at))
        return tuple(entries)

    def get(self, actor: str, application: str) -> AccountApplication:
        """Return one application.

        Raises:
            NotPermitted: *actor* may not handle applications.
            NotFound: there is no such application.
        """
        self._require(actor, "applications.read", f"application:{application}")
        with self._backend.begin(readonly=True) as uow:
            return uow.applications.get(application)

    def reject(self, actor: str, application: str, *, reason: str) -> AccountApplication:
        """Reject a waiting application with a *reason* (the school is told it).

        Raises:
            NotPermitted: *actor* may not handle applications.
            InvalidInput: no reason is given.
            InvalidState: the application was decided already.
            NotFound: there is no such application.

        Implements ACC-6.
        """
        subject = f"application:{application}"
        with self._audited(actor, "applications.rejected", subject, {}):
            self._check_handler(actor)
            if not reason.strip():
                raise InvalidInput("applications.reason.required", field="reason")
            with self._backend.begin() as uow:
                found = _waiting(uow, application)
                decision = Decision(self._clock.now(), actor, reason)
                stored = uow.applications.update(
                    attrs.evolve(found, status=ApplicationStatus.REJECTED, decision=decision)
                )
                uow.commit()
        return stored

    def approve(
        self, actor: str, application: str, *, lang: Literal["nl", "en"] | None = None
    ) -> AccountApplication:
        """Approve a waiting application: the account, the administrator role, the e-mails.

        A new administrator gets an account with an initial password, e-mailed
        the exam system's way (:func:`~examkit.roles.credentials_message`). An
        administrator whose account exists already (the same login name, at the
        same e-mail address or institution: an earlier school year) keeps it
        and is told so (ACC-7). Either way the administrator role is granted at
        the school's locations through
        :meth:`~examkit.roles.RoleService.grant_administrator` (ACC-8), and the
        competent authority gets a confirmation of the registration.

        The steps are stored in order (account, role, decision) and the
        e-mails sent last; approving again after a failure picks up where it
        stopped.

        Raises:
            NotPermitted: *actor* may not handle applications.
            InvalidState: the application was decided already.
            AlreadyExists: the login name belongs to another person.
            NotFound: there is no such application.

        Implements ACC-6, ACC-7, ACC-8 and NOTE-1.
        """
        subject = f"application:{application}"
        language = lang or self._lang
        with self._audited(actor, "applications.approved", subject, {}) as extra:
            self._check_handler(actor)
            with self._backend.begin(readonly=True) as uow:
                found = _waiting(uow, application)
            system = MATRIX.applications[found.system]
            account, kept = self._administrator_account(found)
            self._roles.grant_administrator(
                account.id,
                at=found.school.location_codes,
                approved_by=actor,
                role=ADMINISTRATOR_ROLES[found.system],
            )
            now = self._clock.now()
            messages: list[Message] = []
            with self._backend.begin() as uow:
                current = uow.accounts.get(account.id)
                if current.password is None:
                    current, password = issue_initial_password(
                        current,
                        policy=self._policy,
                        hasher=self._hasher,
                        secrets=self._secrets,
                        now=now,
                    )
                    uow.accounts.update(current)
                    messages.append(
                        credentials_message(
                            current,
                            application=system,
                            password=password,
                            expires=(now + self._policy.lifetime.initial).date(),
                            url=f"{self._base_url}/login",
                            lang=language,
                        )
                    )
                else:
                    messages.append(
                        account_kept_message(
                            found,
                            login_name=str(current.login_name),
                            system=system,
                            lang=language,
                        )
                    )
                decision = Decision(now, actor, "", account.id)
                stored = uow.applications.update(
                    attrs.evolve(
                        _waiting(uow, application),
                        status=ApplicationStatus.APPROVED,
                        decision=decision,
                    )
                )
                uow.commit()
            messages.append(registration_confirmation_message(found, system=system, lang=language))
            extra["account"] = account.id
            extra["account_kept"] = "yes" if kept else "no"
        for message in messages:
            self._mailer.send(message)
        return stored

    # -- helpers ----------------------------------------------------------------

    def _administrator_account(self, application: AccountApplication) -> tuple[Account, bool]:
        """Return the administrator's account (made now, or kept) and whether it was kept."""
        admin = application.administrator
        with self._backend.begin() as uow:
            try:
                existing = uow.accounts.get_by_login_name(admin.login_name)
            except NotFound:
                existing = None
            if existing is not None:
                same_person = (
                    existing.email == admin.email or application.brin in existing.institutions
                )
                if not same_person:
                    raise AlreadyExists(
                        "applications.login_name.taken",
                        field="login_name",
                        login_name=str(admin.login_name),
                    )
                return existing, existing.password is not None
            account = uow.accounts.add(
                Account(
                    id=self._secrets.token_urlsafe(12),
                    login_name=admin.login_name,
                    first_name=admin.first_name,
                    last_name=admin.last_name,
                    email=admin.email,
                    phone=admin.phone,
                    institutions=frozenset({application.brin}),
                )
            )
            uow.commit()
        return account, False

    def _check_handler(self, actor: str) -> None:
        try:
            me = self._roles.actor(actor)
        except NotFound:
            raise NotPermitted("permission.denied") from None
        if not me.everywhere(HANDLE):
            raise NotPermitted("permission.denied")

    def _require(self, actor: str, action: str, subject: str) -> None:
        with self._audited(actor, action, subject, {}, record_success=False):
            self._check_handler(actor)

    @contextmanager
    def _audited(
        self,
        actor: str | None,
        action: str,
        subject: str,
        details: Mapping[str, str],
        *,
        record_success: bool = True,
    ) -> Iterator[dict[str, str]]:
        extra: dict[str, str] = {}
        try:
            yield extra
        except ExamkitError as error:
            outcome: AuditOutcome = "denied" if isinstance(error, NotPermitted) else "failure"
            event = AuditEvent(
                at=self._clock.now(),
                actor=actor,
                action=action,
                subject=subject,
                outcome=outcome,
                details=details,
            )
            record_refusal(self._audit, error, event)
            raise
        if record_success:
            subject = extra.pop("subject", subject)
            self._record(actor, action, subject, "success", {**details, **extra})

    def _record(
        self,
        actor: str | None,
        action: str,
        subject: str,
        outcome: AuditOutcome,
        details: Mapping[str, str],
    ) -> None:
        self._audit.record(
            AuditEvent(
                at=self._clock.now(),
                actor=actor,
                action=action,
                subject=subject,
                outcome=outcome,
                details=details,
            )
        )


def _waiting(uow: UnitOfWork, application: str) -> AccountApplication:
    found = uow.applications.get(application)
    if found.status is not ApplicationStatus.SUBMITTED:
        raise InvalidState("applications.not_submitted", id=found.id, status=found.status.value)
    return found
