"""An account's, a sign-in's and a trusted browser's stored JSON, written out.

Every sign-in reads an account, writes and reads a sign-in transaction and
writes a trusted browser; ``benchmarks/signin.py`` misses its target with
the converter's generated codecs for these three (their per-field dispatch
costs about a tenth of a sign-in). These produce and read exactly what
:func:`examkit.converter.unstructure` and :func:`examkit.converter.structure`
do (a property test holds them equal); stored data of another shape (extra
or missing keys, written by hand or by an older examkit) goes through the
converter, with its checks and its errors.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

from examkit.accounts import Account, AccountStatus, LoginName, PasswordRecord
from examkit.auth import SecondFactor, SignInTransaction, Step, TrustedBrowser
from examkit.backends.sql._written import read_written
from examkit.identifiers import Brin, Instellingsnummer
from examkit.org import InstitutionCode

_STATUSES: Final = {status.value: status for status in AccountStatus}
_STEPS: Final = {step.value: step for step in Step}
_FACTORS: Final = {factor.value: factor for factor in SecondFactor}
_ACCOUNT_KEYS: Final = frozenset(
    {
        "id",
        "login_name",
        "first_name",
        "last_name",
        "email",
        "phone",
        "status",
        "password",
        "password_history",
        "institutions",
        "lang",
        "federation_only",
    }
)
_PASSWORD_KEYS: Final = frozenset({"hash", "set_at", "must_change"})
_SIGN_IN_KEYS: Final = frozenset(
    {
        "id",
        "account_id",
        "step",
        "application",
        "ip",
        "started_at",
        "expires_at",
        "factor",
        "code_generation",
        "code_expires_at",
        "password_expires_at",
    }
)
_BROWSER_KEYS: Final = frozenset({"id", "account_id", "ip", "trusted_at", "expires_at"})


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _moment(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _institution(value: str) -> InstitutionCode:
    """Return the institution code *value* names, as the converter reads it (BRIN first)."""
    try:
        return Brin.parse(value)
    except ValueError:
        return Instellingsnummer.parse(value)


def account_data(account: Account) -> dict[str, Any]:
    """Return *account* without its version, as the converter unstructures it."""
    password = account.password
    return {
        "id": account.id,
        "login_name": str(account.login_name),
        "first_name": account.first_name,
        "last_name": account.last_name,
        "email": account.email,
        "phone": account.phone,
        "status": account.status.value,
        "password": None
        if password is None
        else {
            "hash": password.hash,
            "set_at": password.set_at.isoformat(),
            "must_change": password.must_change,
        },
        "password_history": list(account.password_history),
        "institutions": sorted(str(code) for code in account.institutions),
        "lang": account.lang,
        "federation_only": account.federation_only,
    }


def account_from_data(data: dict[str, Any], version: int) -> Account:
    """Return the account stored as *data* at *version*."""
    return read_written(Account, _ACCOUNT_KEYS, _account, data, version)


def _account(data: dict[str, Any], version: int) -> Account:
    password = data["password"]
    if password is not None and password.keys() != _PASSWORD_KEYS:
        raise KeyError
    return Account(
        id=data["id"],
        login_name=LoginName(data["login_name"]),
        first_name=data["first_name"],
        last_name=data["last_name"],
        email=data["email"],
        phone=data["phone"],
        status=_STATUSES[data["status"]],
        password=None
        if password is None
        else PasswordRecord(
            hash=password["hash"],
            set_at=datetime.fromisoformat(password["set_at"]),
            must_change=password["must_change"],
        ),
        password_history=tuple(data["password_history"]),
        institutions=frozenset(map(_institution, data["institutions"])),
        lang=data["lang"],
        federation_only=data["federation_only"],
        version=version,
    )


def sign_in_data(transaction: SignInTransaction) -> dict[str, Any]:
    """Return *transaction* without its version, as the converter unstructures it."""
    return {
        "id": transaction.id,
        "account_id": transaction.account_id,
        "step": transaction.step.value,
        "application": transaction.application,
        "ip": transaction.ip,
        "started_at": transaction.started_at.isoformat(),
        "expires_at": transaction.expires_at.isoformat(),
        "factor": transaction.factor.value,
        "code_generation": transaction.code_generation,
        "code_expires_at": _time(transaction.code_expires_at),
        "password_expires_at": _time(transaction.password_expires_at),
    }


def sign_in_from_data(data: dict[str, Any], version: int) -> SignInTransaction:
    """Return the sign-in transaction stored as *data* at *version*."""
    return read_written(SignInTransaction, _SIGN_IN_KEYS, _sign_in, data, version)


def _sign_in(data: dict[str, Any], version: int) -> SignInTransaction:
    return SignInTransaction(
        id=data["id"],
        account_id=data["account_id"],
        step=_STEPS[data["step"]],
        application=data["application"],
        ip=data["ip"],
        started_at=datetime.fromisoformat(data["started_at"]),
        expires_at=datetime.fromisoformat(data["expires_at"]),
        factor=_FACTORS[data["factor"]],
        code_generation=data["code_generation"],
        code_expires_at=_moment(data["code_expires_at"]),
        password_expires_at=_moment(data["password_expires_at"]),
        version=version,
    )


def trusted_browser_data(browser: TrustedBrowser) -> dict[str, Any]:
    """Return *browser* without its version, as the converter unstructures it."""
    return {
        "id": browser.id,
        "account_id": browser.account_id,
        "ip": browser.ip,
        "trusted_at": browser.trusted_at.isoformat(),
        "expires_at": browser.expires_at.isoformat(),
    }


def trusted_browser_from_data(data: dict[str, Any], version: int) -> TrustedBrowser:
    """Return the trusted browser stored as *data* at *version*."""
    return read_written(TrustedBrowser, _BROWSER_KEYS, _trusted_browser, data, version)


def _trusted_browser(data: dict[str, Any], version: int) -> TrustedBrowser:
    return TrustedBrowser(
        id=data["id"],
        account_id=data["account_id"],
        ip=data["ip"],
        trusted_at=datetime.fromisoformat(data["trusted_at"]),
        expires_at=datetime.fromisoformat(data["expires_at"]),
        version=version,
    )
