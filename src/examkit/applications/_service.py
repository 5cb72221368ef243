"""Use cases of account applications: submit, the operator's queue, approve, reject (ACC-6..8)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Final, Literal

import attrs

from examkit._digests import first_found
from examkit.accounts import Account
from examkit.applications._institution import register_school
from examkit.applications._mail import (
    account_kept_message,
    registration_confirmation_message,
    rejection_message,
)
from examkit.applications._model import AccountApplication, ApplicationStatus, Decision
from examkit.applications._rules import ApplicationSettings
from examkit.applications._wizard import ADMINISTRATOR_ROLES, ApplicationWizard
from examkit.applications._working_days import AMSTERDAM, add_working_days
from examkit.errors import AlreadyExists, InvalidInput, InvalidState, NotFound, NotPermitted
from examkit.messages import Lang
from examkit.notifications import language
from examkit.permissions import MATRIX
from examkit.roles import Grants, initial_credentials
from examkit.storage import StoredToken
from examkit.usecase import Ports, UseCase

if TYPE_CHECKING:
    from examkit.records import UnitOfWork

__all__ = ["HANDLE", "RECEIPT", "RECEIPT_LIFETIME", "ApplicationService", "QueueEntry", "Receipt"]

HANDLE = "examkit.applications.handle"
"""The action of handling applications (the operator's, seed 000 §2)."""
RECEIPT: Final = "applications.receipt"
"""The purpose a receipt's digest is stored under."""
RECEIPT_LIFETIME: Final = timedelta(days=1)
"""How long the applicant can fetch their submitted application (its form) with the receipt."""
_RECEIPT_BYTES: Final = 32


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


@attrs.frozen
class Receipt:
    """A submitted application and the applicant's receipt: their only way to fetch it back.

    Implements ACC-5.
    """

    application: AccountApplication
    """The application as stored."""
    token: str = attrs.field(repr=False)
    """An unguessable token (only its keyed digest is stored), valid :data:`RECEIPT_LIFETIME`:
    :meth:`ApplicationService.by_receipt` returns the application for it."""


class ApplicationService:
    """Take applications in, and let the operator handle them (``kit.applications``).

    The school's side (:meth:`wizard`, :meth:`submit`) needs no account;
    the operator's side (:meth:`queue`, :meth:`get`, :meth:`approve`,
    :meth:`reject`) takes the acting account's id first and needs the action
    :data:`HANDLE` everywhere, read inside the use case's own transaction.
    Every change is audited in the transaction that makes it.

    Args:
        ports: The wired ports (the password policy and hasher of the
            initial password, the portal's address for the sign-in link).
        settings: The portal's application settings (mail rule, service days).

    Implements ACC-1, ACC-6, ACC-7, ACC-8 and NOTE-1.
    """

    def __init__(self, ports: Ports, settings: ApplicationSettings) -> None:
        self._ports = ports
        self._settings = settings
        self._grants = Grants(ports)

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
        return self._submit(wizard, receipt=None)[0]

    def submit_with_receipt(self, wizard: ApplicationWizard) -> Receipt:
        """Submit like :meth:`submit`, and return a receipt with which the applicant fetches it.

        A portal's applicant has no account: the receipt (an unguessable
        token, stored as a keyed digest in the same transaction as the
        application) is what lets the page after the submission offer the
        application's PDF form (:meth:`by_receipt`), to that applicant only,
        for :data:`RECEIPT_LIFETIME`.

        Raises:
            InvalidState: the wizard is not at its review step.

        Implements ACC-1 and ACC-5.
        """
        token = self._ports.secrets.token_urlsafe(_RECEIPT_BYTES)
        stored, _ = self._submit(wizard, receipt=token)
        return Receipt(stored, token)

    def _submit(
        self, wizard: ApplicationWizard, *, receipt: str | None
    ) -> tuple[AccountApplication, str | None]:
        ports = self._ports
        with UseCase(ports, "applications.submitted", "application:*") as unit:
            application = wizard.confirm(id=ports.secrets.token_urlsafe(12), submitted_at=unit.now)
            stored = unit.uow.applications.add(application)
            if receipt is not None:
                unit.uow.tokens.put(
                    StoredToken(
                        purpose=RECEIPT,
                        digest=ports.digester.digest(RECEIPT, receipt),
                        subject=stored.id,
                        expires_at=unit.now + RECEIPT_LIFETIME,
                    )
                )
            unit.audit(
                subject=_subject(stored.id),
                details={"brin": str(stored.brin), "system": stored.system},
            )
            unit.commit()
        return stored, receipt

    def by_receipt(self, receipt: str) -> AccountApplication:
        """Return the application a receipt of :meth:`submit_with_receipt` is for.

        Raises:
            NotFound: ``applications.receipt.unknown``: no such receipt, or it expired.

        Implements ACC-5.
        """
        ports = self._ports
        now = ports.clock.now()
        with ports.backend.begin(readonly=True) as uow:
            try:
                found = first_found(
                    ports.digester.digests(RECEIPT, str(receipt)[:200]),
                    lambda digest: uow.tokens.peek(RECEIPT, digest, now=now),
                )
            except NotFound:
                raise NotFound("applications.receipt.unknown", field="receipt") from None
            return uow.applications.get(found.subject)

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
        waiting: list[AccountApplication] = []
        with UseCase(
            self._ports, "applications.queue.read", "application:*", actor=actor, readonly=True
        ) as unit:
            _require_handler(unit)
            today = unit.now.astimezone(AMSTERDAM).date()
            after: str | None = None
            while True:
                page = unit.uow.applications.list(
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
        with UseCase(
            self._ports, "applications.read", _subject(application), actor=actor, readonly=True
        ) as unit:
            _require_handler(unit)
            return unit.uow.applications.get(application)

    def reject(
        self,
        actor: str,
        application: str,
        *,
        reason: str,
        lang: Literal["nl", "en"] | None = None,
    ) -> AccountApplication:
        """Reject a waiting application with a *reason* (the school is told it).

        The administrator applied for and the competent authority get the
        reason by e-mail (:func:`~examkit.applications.rejection_message`), in
        *lang*, else in the kit's ``Settings.lang``, once the decision is
        committed.

        Raises:
            NotPermitted: *actor* may not handle applications.
            InvalidInput: no reason is given.
            InvalidState: the application was decided already.
            NotFound: there is no such application.

        Implements ACC-6.
        """
        with UseCase(
            self._ports, "applications.rejected", _subject(application), actor=actor
        ) as unit:
            _require_handler(unit)
            if not reason.strip():
                raise InvalidInput("applications.reason.required", field="reason")
            found = _waiting(unit.uow, application)
            decision = Decision(unit.now, actor, reason)
            stored = unit.uow.applications.update(
                attrs.evolve(found, status=ApplicationStatus.REJECTED, decision=decision)
            )
            unit.send(
                rejection_message(
                    found,
                    system=MATRIX.systems[found.system],
                    reason=decision.reason,
                    lang=lang or self._ports.lang,
                )
            )
            unit.audit()
            unit.commit()
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
        the school's locations
        (:meth:`Grants.grant_administrator_in <examkit.roles.Grants.grant_administrator_in>`,
        audited ``roles.administrator.granted``: ACC-8), and the competent
        authority gets a confirmation of the registration. The school is
        registered as an institution with the locations applied for
        (:func:`~examkit.applications.institution_of`, audited
        ``org.institution.registered``); a school registered already keeps
        its details and gains only the locations it lacks.

        The account, the grant, the decision and their audit events are stored
        in one transaction, and the e-mails are sent once it is committed: a
        failure leaves nothing half-done, and approving again starts afresh.

        The administrator's e-mail is written in *lang*, else in their
        account's language (a new account's is *lang*, Dutch by default); the
        authority's confirmation, to someone without an account here, in
        *lang*, else in the kit's ``Settings.lang``.

        Raises:
            NotPermitted: *actor* may not handle applications.
            InvalidState: the application was decided already.
            AlreadyExists: the login name belongs to another person.
            NotFound: there is no such application.

        Implements ACC-6, ACC-7, ACC-8 and NOTE-1.
        """
        with UseCase(
            self._ports, "applications.approved", _subject(application), actor=actor
        ) as unit:
            _require_handler(unit)
            found = _waiting(unit.uow, application)
            system = MATRIX.systems[found.system]
            register_school(unit, found)
            account, kept = self._administrator_account(unit, found, lang)
            self._grants.grant_administrator_in(
                unit,
                account.id,
                at=found.school.location_codes,
                role=ADMINISTRATOR_ROLES[found.system],
            )
            current = unit.uow.accounts.get(account.id)
            if current.password is None:
                renewed, message = initial_credentials(unit, current, system, lang)
                unit.uow.accounts.update(renewed)
                unit.send(message)
            else:
                unit.send(account_kept_message(found, account=current, system=system, lang=lang))
            decision = Decision(unit.now, actor, "", account.id)
            stored = unit.uow.applications.update(
                attrs.evolve(found, status=ApplicationStatus.APPROVED, decision=decision)
            )
            unit.send(
                registration_confirmation_message(
                    found, system=system, lang=lang or self._ports.lang
                )
            )
            unit.audit(details={"account": account.id, "account_kept": "yes" if kept else "no"})
            unit.commit()
        return stored

    # -- helpers ----------------------------------------------------------------

    def _administrator_account(
        self, unit: UseCase, application: AccountApplication, lang: Lang | None
    ) -> tuple[Account, bool]:
        """Return the administrator's account (made now, or kept) and whether it was kept."""
        admin = application.administrator
        try:
            existing = unit.uow.accounts.get_by_login_name(admin.login_name)
        except NotFound:
            existing = None
        if existing is not None:
            same_person = existing.email == admin.email or application.brin in existing.institutions
            if not same_person:
                raise AlreadyExists(
                    "applications.login_name.taken",
                    field="login_name",
                    login_name=str(admin.login_name),
                )
            return existing, existing.password is not None
        account = unit.uow.accounts.add(
            Account(
                id=self._ports.secrets.token_urlsafe(12),
                login_name=admin.login_name,
                first_name=admin.first_name,
                last_name=admin.last_name,
                email=admin.email,
                phone=admin.phone,
                institutions=frozenset({application.brin}),
                lang=language(None, lang),
            )
        )
        return account, False


def _subject(application: str) -> str:
    return f"application:{application}"


def _require_handler(unit: UseCase) -> None:
    """Refuse unless the unit's actor may handle applications everywhere (the operator)."""
    if not unit.actor.everywhere(HANDLE):
        raise NotPermitted("permission.denied")


def _waiting(uow: UnitOfWork, application: str) -> AccountApplication:
    found = uow.applications.get(application)
    if found.status is not ApplicationStatus.SUBMITTED:
        raise InvalidState("applications.not_submitted", id=found.id, status=found.status.value)
    return found
