"""Refused sign-ins over imported hashes, current ones and unknown names: the time must not tell.

Every side calls ``kit.staff_sign_in.submit_credentials`` with a wrong password, on
the memory backend, with the production hasher (argon2id at RFC 9106's
second recommended parameters: 64 MiB, t=3, p=4) declaring the imported
schemes bcrypt (cost 10) and PBKDF2-SHA256 (29,000 rounds, passlib's
default), and the facet policy; the lockout is set high so that every
attempt reaches the password check.

The sides: an account with an argon2 hash at the current parameters (the
baseline), accounts with bcrypt and PBKDF2 hashes at the declared cost and
below it (bcrypt 8, PBKDF2 10,000 rounds: one system's hashes differ by
age), a deactivated account and an unknown login name. They run
interleaved, round by round, in a rotating order.

``ratio`` is the slowest side's best time over the fastest side's best:
1 when the time tells nothing. Before issue 19 a legacy account answered in
0.4-7 ms against about 164 ms (ratio 25-400); then, checked against a
dummy argon2 hash first, it cost the argon2 verification plus its own
(ratio about 1.6). Now every check verifies the hasher's work plan: one
argon2 hash and one per declared scheme at its declared cost, each the
account's own or a decoy, with decoys making up a cheaper hash. The target,
1.1, leaves room for noise on a shared machine. The tests count the work
through the hashing port instead (``tests/services/test_signin_issue19.py``);
this benchmark reports the times.

Run as ``python benchmarks/signin_legacy.py [--quick | --smoke]``; the last line printed is
one JSON object with ``ratio``, ``target`` and ``met``.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script

import attrs
from benchmarks._harness import Figure, by_mode, parse_mode, report
from passlib.hash import bcrypt, pbkdf2_sha256

from examkit.accounts import AccountStatus
from examkit.auth import SignInRules
from examkit.errors import NotPermitted
from examkit.passwords import RFC9106_SECOND, Argon2Hasher, LegacyScheme
from examkit.testing import SequenceSecretSource, SignInHarness

TARGET = 1.1
PASSWORD = SignInHarness.PASSWORD
WRONG = "Verkeerd-2026!"


def refuse(harness: SignInHarness, login: str) -> str:
    """Sign in with a wrong password; return the refusal's code."""
    try:
        harness.staff_sign_in.submit_credentials(login, WRONG, ip=SignInHarness.IP)
    except NotPermitted as refused:
        return refused.code
    raise AssertionError(f"{login} was let in with a wrong password")


def main() -> None:
    """Time the refusals and print the verdict."""
    mode = parse_mode(__doc__)
    repeats = by_mode(mode, smoke=1, quick=10, full=30)
    hasher = Argon2Hasher(
        SequenceSecretSource("benchmark"),
        RFC9106_SECOND,
        legacy=(LegacyScheme("bcrypt", 10), LegacyScheme("pbkdf2_sha256", 29_000)),
    )
    harness = SignInHarness(rules=SignInRules(max_failures=1_000_000), hasher=hasher)
    harness.add_account()
    harness.add_account("acc-2", "22AB.Oud.Account", status=AccountStatus.DEACTIVATED)
    legacy = {
        "bcrypt_10": bcrypt.using(rounds=10).hash(PASSWORD),
        "bcrypt_8": bcrypt.using(rounds=8).hash(PASSWORD),
        "pbkdf2_29000": pbkdf2_sha256.using(rounds=29_000).hash(PASSWORD),
        "pbkdf2_10000": pbkdf2_sha256.using(rounds=10_000).hash(PASSWORD),
    }
    sides = {
        "argon2": SignInHarness.LOGIN_NAME,
        "unknown": "22AB.Onbekend",
        "deactivated": "22AB.Oud.Account",
    }
    for number, (name, hashed) in enumerate(legacy.items(), start=3):
        account, _ = harness.add_account(f"acc-{number}", f"22AB.Import.{number}")
        assert account.password is not None
        with harness.kit.backend.begin() as uow:
            uow.accounts.update(
                attrs.evolve(account, password=attrs.evolve(account.password, hash=hashed))
            )
            uow.commit()
        sides[name] = f"22AB.Import.{number}"
    names = list(sides)
    samples: dict[str, list[float]] = {name: [] for name in names}
    for name in names:  # warm-up: every decoy is made once, untimed
        assert refuse(harness, sides[name]) == "auth.credentials.invalid"
    for round_ in range(repeats):
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            started = time.perf_counter()
            code = refuse(harness, sides[name])
            samples[name].append(time.perf_counter() - started)
            assert code == "auth.credentials.invalid"
    best = {name: min(times) for name, times in samples.items()}
    for name in names:
        print(
            f"{name:>13}: best {best[name] * 1e3:7.1f} ms, median "
            f"{statistics.median(samples[name]) * 1e3:7.1f} ms"
        )
    figures: dict[str, Figure] = {f"{name}_ms": round(best[name] * 1e3, 2) for name in names}
    report("signin_legacy", figures, ratio=max(best.values()) / min(best.values()), target=TARGET)


if __name__ == "__main__":
    main()
