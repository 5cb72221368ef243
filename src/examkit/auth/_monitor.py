"""The proctor monitor's sign-in: the same name and password, no code (AUTH-9)."""

from __future__ import annotations

from examkit.auth._common import (
    DAY,
    SIGN_IN,
    AuthCommon,
    account_subject,
    client_ip,
    deny_application,
    store_upgrade,
)
from examkit.auth._gate import SignInGate
from examkit.auth._model import MonitorSignIn
from examkit.auth._rules import SignInRules
from examkit.errors import NotPermitted
from examkit.messages import DEFAULT_LANG, Lang, text
from examkit.usecase import Ports, UseCase

_MONITOR: str = "auth.monitor.sign_in"


class SignInMonitor:
    """Signing in to the proctor monitor (*afnamemonitor*), and its expiry warning.

    Reached through :attr:`examkit.Examkit.sign_in_monitor`.

    Args:
        ports: The kit's wired ports.
        gate: Decides who may sign in to which environment.
        rules: The sign-in's numbers (the seed's by default).

    Implements AUTH-9.
    """

    def __init__(self, ports: Ports, gate: SignInGate, rules: SignInRules | None = None) -> None:
        self._common = AuthCommon(ports, rules)
        self.ports = ports
        """The wired ports."""
        self.rules: SignInRules = self._common.rules
        """The sign-in's numbers."""
        self._gate = gate

    def monitor_sign_in(
        self, login_name: str, password: str, *, ip: str, application: str | None = None
    ) -> MonitorSignIn:
        """Sign in to the proctor monitor: the same name and password, no code (AUTH-9).

        The same lockout as the main sign-in. The e-mailed initial password
        is refused (choose your own in the main environment first), and so
        is an expired one until it is changed there; with fewer than 5 days
        left the result says to warn.

        Raises:
            NotPermitted: ``auth.credentials.invalid``, ``auth.monitor.initial_password``,
                ``auth.monitor.expired`` or ``auth.application.denied``.
            LimitReached: ``auth.sign_in.blocked``.

        Implements AUTH-9.
        """
        address = client_ip(ip)
        environment = application if application is not None else self.rules.monitor_application
        checked = self._common.check_password(
            login_name, password, ip=address, application=environment, action="auth.monitor"
        )
        account = checked.account
        record = account.password
        assert record is not None  # noqa: S101 - a right password was checked
        admitted = self._gate.may_sign_in(account, environment)
        lifetime = self.ports.password_policy.lifetime
        refusal: str | None = None
        with UseCase(self.ports, _MONITOR, account_subject(account.id), actor=account.id) as unit:
            now = unit.now
            unit.uow.counters.reset(SIGN_IN, checked.key)
            if checked.upgraded:
                store_upgrade(unit.uow, account)
            if record.must_change:
                refusal = "auth.monitor.initial_password"
            elif lifetime.is_expired(record, now):
                refusal = "auth.monitor.expired"
            expires = lifetime.expires_at(record)
            left = None if expires is None else expires - now
            warning = left is not None and left < self.rules.monitor_warning
            if admitted and refusal is None:
                unit.audit(
                    details={
                        "ip": address,
                        "application": environment,
                        "warning": "yes" if warning else "no",
                    }
                )
            unit.commit()
            # Refused after the commit: the right password lifted the count all the same.
            if not admitted:
                deny_application(unit, environment, address)
            if refusal is not None:
                unit.refuse(
                    NotPermitted(refusal),
                    outcome="denied",
                    details={"ip": address, "reason": refusal},
                )
        return MonitorSignIn(
            account_id=account.id,
            password_expires_at=expires,
            days_left=None if left is None else left // DAY,
            warning=warning,
        )

    def monitor_warning(self, result: MonitorSignIn, lang: Lang = DEFAULT_LANG) -> str | None:
        """Return the warning to show for *result* in *lang*, or ``None`` when there is none.

        Implements AUTH-9.
        """
        if not result.warning or result.password_expires_at is None:
            return None
        return text(
            "auth.monitor.warning",
            lang,
            days=result.days_left,
            time=self._common.when(result.password_expires_at),
        )
