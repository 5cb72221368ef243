"""User accounts: login names, contact details, status, password state, institutions."""

from examkit.accounts._model import Account, AccountStatus, LoginName, PasswordRecord
from examkit.accounts._records import (
    ACCOUNTS,
    AccountRecords,
    normal_email,
)
from examkit.accounts._repository import AccountRepository

__all__ = [
    "ACCOUNTS",
    "Account",
    "AccountRecords",
    "AccountRepository",
    "AccountStatus",
    "LoginName",
    "PasswordRecord",
    "normal_email",
]
