"""User accounts: login names, contact details, status, password state, institutions."""

from examkit.accounts._model import Account, AccountStatus, LoginName, PasswordRecord
from examkit.accounts._repository import AccountRepository

__all__ = ["Account", "AccountRepository", "AccountStatus", "LoginName", "PasswordRecord"]
