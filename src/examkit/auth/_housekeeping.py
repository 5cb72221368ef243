"""The sign-in's daily job: password-expiry reminders and purging what lapsed (AUTH-7)."""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from examkit.accounts import Account
from examkit.auth._common import DAY, AuthCommon, account_subject
from examkit.auth._model import Reminder, SentReminder, reminder_id
from examkit.auth._rules import SignInRules
from examkit.errors import AlreadyExists, NotFound
from examkit.messages import Lang
from examkit.notifications import compose, language
from examkit.usecase import Ports, UseCase

if TYPE_CHECKING:
    from examkit.records import UnitOfWork

_PAGE = 500


def purge_lapsed(uow: UnitOfWork, moment: datetime) -> int:
    """Remove the sign-ins, trusted browsers, counters and tokens lapsed at *moment*.

    In *uow*, one statement each; return how many. The daily job's purge
    (:meth:`SignInHousekeeping.purge_expired`) and the retention jobs (PRIV-4,
    with *moment* their term before now) both run it.
    """
    return (
        uow.signins.purge_expired(moment)
        + uow.trusted_browsers.purge_expired(moment)
        + uow.counters.purge_expired(moment)
        + uow.tokens.purge_expired(moment)
    )


class SignInHousekeeping:
    """The sign-in's daily job for a portal's scheduler: expiry reminders, purging.

    Reached through :attr:`examkit.Examkit.sign_in_housekeeping`.

    Args:
        ports: The kit's wired ports.
        rules: The sign-in's numbers (the seed's by default).

    Implements AUTH-7 and the reminder e-mail of NOTE-1.
    """

    def __init__(self, ports: Ports, rules: SignInRules | None = None) -> None:
        self._common = AuthCommon(ports, rules)
        self.ports = ports
        """The wired ports."""
        self.rules: SignInRules = self._common.rules
        """The sign-in's numbers."""

    def due_reminders(
        self, now: datetime | None = None, *, lang: Lang | None = None
    ) -> tuple[Reminder, ...]:
        """Send the password-expiry reminders due at *now* and not sent yet; return them (AUTH-7).

        For a portal's scheduler, daily. Each reminder (14 and 7 days before
        a chosen password expires) is claimed in storage before it is
        mailed, so it goes out once however often the job runs, even
        concurrently; a job that runs late still sends it. When the job
        is so late that the 7-day reminder is due as well, only that one is
        mailed and the 14-day one is recorded as overtaken
        (:attr:`Reminder.mailed` false). The mail goes out after the claim is
        committed; a reminder whose mail fails is given back and tried again
        at the next run. Each is written in its account's language unless
        *lang* is given.

        Implements AUTH-7.
        """
        moment = now if now is not None else self.ports.clock.now()
        lifetime = self.ports.password_policy.lifetime
        lifetimes = [valid for valid in (lifetime.initial, lifetime.chosen) if valid is not None]
        if not lifetime.reminders or not lifetimes:
            return ()
        # No password set after this moment can be due for a reminder yet: only the
        # accounts before it are read, through the index on when the password was set.
        cutoff = moment - min(lifetimes) + max(lifetime.reminders)
        done: list[Reminder] = []
        after: str | None = None
        while True:
            with self.ports.backend.begin(readonly=True) as uow:
                page = uow.accounts.list_password_set_before(cutoff, after=after, limit=_PAGE)
            for account in page.items:
                record = account.password
                if record is None or not account.is_active:
                    continue
                due = lifetime.due_reminder(record, moment)
                expires = lifetime.expires_at(record)
                if due is None or expires is None:
                    continue
                done.extend(self._remind(account, due, expires, moment, lang))
            if page.next_after is None:
                return tuple(done)
            after = page.next_after

    def purge_expired(self, now: datetime | None = None) -> int:
        """Remove lapsed transactions, trusted browsers, counters and tokens; return how many.

        Also the federated sign-in requests that lapsed unanswered (AUTH-13); the
        federation's replay keys, link tokens and proposals are tokens.
        """
        with UseCase(self.ports, "auth.purge", "sign-in:lapsed") as unit:
            moment = now if now is not None else unit.now
            lapsed = purge_lapsed(unit.uow, moment)
            removed = lapsed + unit.uow.pending_federated_sign_ins.purge_expired(moment)
            unit.commit()
        return removed

    def _remind(
        self,
        account: Account,
        due: timedelta,
        expires: datetime,
        now: datetime,
        lang: Lang | None,
    ) -> list[Reminder]:
        """Claim the reminder *due* (and any earlier one it overtakes); mail it once."""
        record = account.password
        assert record is not None  # noqa: S101 - only accounts with a password are reminded
        earlier = [r for r in self.ports.password_policy.lifetime.reminders if r > due]
        days = due // DAY
        message = compose(
            "auth.reminder",
            account.email,
            language(account.lang, lang),
            name=account.first_name,
            login_name=str(account.login_name),
            days=days,
            time=self._common.when(expires),
            link=self._common.link(self.ports.paths.sign_in),
        )
        subject = account_subject(account.id)
        claimed: list[str] = []
        done: list[Reminder] = []
        with UseCase(self.ports, "auth.reminder.claim", subject) as unit:
            for index, claim_days in enumerate((days, *(r // DAY for r in earlier))):
                mailed = index == 0  # the reminder due; the others are overtaken
                key = reminder_id(account.id, record.set_at, claim_days)
                try:
                    unit.uow.sent_reminders.add(
                        SentReminder(
                            id=key,
                            account_id=account.id,
                            password_set_at=record.set_at,
                            days=claim_days,
                            sent_at=now,
                            mailed=mailed,
                        )
                    )
                except AlreadyExists:
                    if mailed:
                        return []
                    continue
                claimed.append(key)
                if not mailed:
                    done.append(Reminder(account.id, claim_days, expires, mailed=False))
            unit.commit()
        # Mailed after the claim is committed (an SMTP server is never waited for inside a
        # writing unit); a failed mail gives the claims back for the next run.
        try:
            self.ports.mailer.send(message)
        except Exception:
            with UseCase(self.ports, "auth.reminder.claim", subject) as unit:
                for key in claimed:
                    with contextlib.suppress(NotFound):
                        unit.uow.sent_reminders.remove(key)
                unit.commit()
            raise
        done.append(Reminder(account.id, days, expires, mailed=True))
        self._common.note("auth.reminder.sent", account=account.id, days=str(days))
        return done
