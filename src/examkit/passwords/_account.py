"""Setting, issuing and checking an account's password: pure functions returning a new account.

They take the policy, the hasher and (where it matters) the secret source
and ``now``; they return a new :class:`~examkit.accounts.Account` and
store nothing. The sign-in use cases store what they return.
"""

from __future__ import annotations

from datetime import datetime

import attrs

from examkit._fields import require_aware_utc
from examkit.accounts import Account, PasswordRecord
from examkit.errors import ConfigurationError
from examkit.passwords._policy import PasswordContext, PasswordPolicy
from examkit.ports import PasswordHasher, SecretSource

_GENERATED_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789!#%+-=?@"
_GENERATED_LENGTH = 16
_GENERATE_TRIES = 64


def history_of(account: Account) -> tuple[str, ...]:
    """Return the hashes of the account's current password, then the previous ones, newest first."""
    current = (account.password.hash,) if account.password is not None else ()
    return (*current, *account.password_history)


def _with_password(account: Account, policy: PasswordPolicy, record: PasswordRecord) -> Account:
    previous = history_of(account)
    depth = policy.history_depth
    kept = previous if depth is None else previous[:depth]
    return attrs.evolve(account, password=record, password_history=kept)


def change_password(
    account: Account,
    password: str,
    *,
    policy: PasswordPolicy,
    hasher: PasswordHasher,
    now: datetime,
) -> Account:
    """Return *account* with *password* as its new, chosen password, set at *now*.

    The password is judged against every rule of *policy* first, with the
    account's login name, names and e-mail address as context and its
    current and previous passwords as history. The old hash moves into the
    history (kept to :attr:`~examkit.passwords.PasswordPolicy.history_depth`
    previous passwords; all of them when that is ``None``).

    Raises:
        ExamkitErrorGroup: the password breaks one or more rules (nothing is
            hashed when it is longer than the policy's maximum).

    Implements AUTH-1 and AUTH-7.
    """
    normalised = policy.validate(
        password,
        context=PasswordContext.of(account),
        history=history_of(account),
        hasher=hasher,
    )
    record = PasswordRecord(hash=hasher.hash(normalised), set_at=require_aware_utc(now, "now"))
    return _with_password(account, policy, record)


def generate_password(
    policy: PasswordPolicy,
    secrets: SecretSource,
    *,
    context: PasswordContext | None = None,
    length: int | None = None,
) -> str:
    """Return a random password from *secrets* that meets *policy* (history aside).

    Drawn from letters, digits and a few symbols without look-alikes (no
    ``0/O``, ``1/l/I``); *length* is 16, or the policy's minimum when that
    is more, and at most its maximum.

    Raises:
        ConfigurationError: no draw met the policy (its rules cannot be met
            with this alphabet and length).
    """
    size = length if length is not None else max(_GENERATED_LENGTH, policy.min_length)
    size = min(size, policy.max_length)
    for _ in range(_GENERATE_TRIES):
        candidate = secrets.choose(_GENERATED_ALPHABET, size)
        if policy.check(candidate, context=context).valid:
            return candidate
    raise ConfigurationError("passwords.generate.failed", policy=policy.name)


def issue_initial_password(
    account: Account,
    *,
    policy: PasswordPolicy,
    hasher: PasswordHasher,
    secrets: SecretSource,
    now: datetime,
) -> tuple[Account, str]:
    """Return *account* with a new random initial password, and that password (to e-mail).

    The initial password meets the policy, is valid for the policy's
    initial lifetime (365 days in the seed) and must be changed at the
    first sign-in (:attr:`~examkit.accounts.PasswordRecord.must_change`).

    Implements AUTH-2.
    """
    password = generate_password(policy, secrets, context=PasswordContext.of(account))
    record = PasswordRecord(
        hash=hasher.hash(policy.normalise(password)),
        set_at=require_aware_utc(now, "now"),
        must_change=True,
    )
    return _with_password(account, policy, record), password


@attrs.frozen
class PasswordMatch:
    """The outcome of checking a typed password against an account's stored one."""

    matches: bool
    """Whether the password is the account's current one."""
    account: Account
    """The account; with its hash redone in the current scheme when :attr:`upgraded`."""
    upgraded: bool = False
    """Whether the stored hash was replaced (older parameters or an imported scheme)."""


def verify_password(
    account: Account, password: str, *, policy: PasswordPolicy, hasher: PasswordHasher
) -> PasswordMatch:
    """Check *password* against *account*'s current one; rehash it when the hash is outdated.

    A password longer than the policy's maximum never matches and costs no
    hash. When it matches and :meth:`~examkit.ports.PasswordHasher.needs_update`
    says the stored hash was made with another scheme (bcrypt, PBKDF2 from
    an imported system) or older parameters, the returned account carries a
    new hash of the same password, with the same dates (upgrade on login).
    Whether the password has expired is for
    :class:`~examkit.passwords.PasswordLifetime` to say.
    """
    record = account.password
    if record is None or not isinstance(password, str) or len(password) > policy.max_length:
        return PasswordMatch(matches=False, account=account)
    normalised = policy.normalise(password)
    if not hasher.verify(normalised, record.hash):
        return PasswordMatch(matches=False, account=account)
    if not hasher.needs_update(record.hash):
        return PasswordMatch(matches=True, account=account)
    upgraded = attrs.evolve(record, hash=hasher.hash(normalised))
    return PasswordMatch(
        matches=True, account=attrs.evolve(account, password=upgraded), upgraded=True
    )
