# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Hashing: argon2id known answer, imported bcrypt and PBKDF2 hashes, upgrade, bounded work.

Legacy hashes are made here with the ``bcrypt`` library and :mod:`hashlib`
directly, as another system would have made them, not through examkit or
passlib.
"""

from __future__ import annotations

import base64
import hashlib
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import argon2
import bcrypt
import pytest
from argon2.low_level import Type, hash_secret
from hypothesis import given, settings
from hypothesis import strategies as st

from examkit.accounts import Account, LoginName, PasswordRecord
from examkit.errors import ConfigurationError, InvalidInput
from examkit.passwords import (
    PRESETS,
    RFC9106_SECOND,
    Argon2Hasher,
    Argon2Parameters,
    LegacyScheme,
    verify_password,
)
from examkit.ports import PasswordHasher
from examkit.testing import (
    CHEAP_ARGON2,
    CHEAP_LEGACY,
    CountingHasher,
    SequenceSecretSource,
    cheap_hasher,
)

FACET = PRESETS["facet"]
SET_AT = datetime(2026, 9, 1, 8, tzinfo=UTC)
SALT = bytes.fromhex("ac46096febfe8784c29e0a339abeb7ad")


class FixedSalt:
    """A secret source that always draws the same bytes (a known-answer test needs that)."""

    def token_bytes(self, size: int) -> bytes:
        return SALT[:size]

    def token_urlsafe(self, size: int) -> str:
        raise NotImplementedError

    def digits(self, count: int) -> str:
        raise NotImplementedError

    def choose(self, alphabet: str, count: int) -> str:
        raise NotImplementedError


def account_with(hashed: str) -> Account:
    """Return an account whose current password hash is *hashed*."""
    return Account(
        id="acc-1",
        login_name=LoginName("22AB.K.Beheerder"),
        first_name="Karin",
        last_name="Jansen",
        email="k.jansen@school.nl",
        password=PasswordRecord(hash=hashed, set_at=SET_AT),
    )


def ab64(raw: bytes) -> str:
    """passlib's "adapted base64" of the modular crypt format: '.' for '+', no padding."""
    return base64.b64encode(raw).decode().rstrip("=").replace("+", ".")


def test_the_hasher_fits_the_port() -> None:
    """Argon2Hasher and the counting wrapper are PasswordHashers."""
    assert isinstance(cheap_hasher(), PasswordHasher)
    assert isinstance(CountingHasher(cheap_hasher()), PasswordHasher)


@pytest.mark.req("AUTH-1")
def test_known_answer_on_production_parameters() -> None:
    """argon2id, 64 MiB, t=3, p=4 of a fixed password and salt is the known hash."""
    expected = (
        "$argon2id$v=19$m=65536,t=3,p=4$rEYJb+v+h4TCngozmr63rQ"
        "$5VvVnUicGGP7fNzVjLcek+2cgrfrU9U4D6JI7NC/KFU"
    )
    hasher = Argon2Hasher(FixedSalt(), RFC9106_SECOND)
    assert (65536, 3, 4, 16, 32) == (
        RFC9106_SECOND.memory_kib,
        RFC9106_SECOND.time_cost,
        RFC9106_SECOND.parallelism,
        RFC9106_SECOND.salt_bytes,
        RFC9106_SECOND.hash_bytes,
    )
    hashed = hasher.hash("correct horse battery staple")
    assert expected == hashed
    # The same answer from argon2-cffi's own low-level API.
    assert expected == hash_secret(
        b"correct horse battery staple",
        SALT,
        time_cost=3,
        memory_cost=65536,
        parallelism=4,
        hash_len=32,
        type=Type.ID,
    ).decode("ascii")
    assert hasher.verify("correct horse battery staple", hashed)
    assert not hasher.needs_update(hashed)


def test_cheap_hashes_are_argon2id_with_a_fresh_salt_each() -> None:
    """Tests hash with 8 KiB and t=1; every hash draws its own salt."""
    hasher = cheap_hasher()
    first, second = hasher.hash("Zomer2026!"), hasher.hash("Zomer2026!")
    assert first.startswith("$argon2id$v=19$m=8,t=1,p=1$")
    assert first != second
    assert hasher.verify("Zomer2026!", first)
    assert hasher.verify("Zomer2026!", second)
    assert not hasher.verify("Zomer2026?", first)


def test_the_same_seed_gives_the_same_hash() -> None:
    """Salts come from the secret source: a deterministic source, deterministic hashes."""
    assert cheap_hasher("s").hash("Zomer2026!") == cheap_hasher("s").hash("Zomer2026!")


# -- imported and older hashes: verify, flag, upgrade on login -------------------------------


def legacy_hashes(password: str) -> Iterator[tuple[str, str]]:
    """Yield (name, hash) of *password* as other systems and older settings made them."""
    yield "bcrypt", bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=4)).decode()
    salt = b"pepper-not-salt!"
    derived = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 1000)
    yield "pbkdf2_sha256", f"$pbkdf2-sha256$1000${ab64(salt)}${ab64(derived)}"
    older = argon2.PasswordHasher(time_cost=2, memory_cost=16, parallelism=1, salt_len=16)
    yield "argon2id, older parameters", older.hash(password)
    argon2i = argon2.PasswordHasher(
        time_cost=1, memory_cost=8, parallelism=1, type=argon2.Type.I, salt_len=16
    )
    yield "argon2i", argon2i.hash(password)


@pytest.mark.req("AUTH-1")
@pytest.mark.parametrize(
    ("name", "hashed"),
    list(legacy_hashes("Wachtwoord-2019")),
    ids=lambda value: value if not value.startswith("$") else "",
)
def test_imported_and_older_hashes_verify_and_are_flagged(name: str, hashed: str) -> None:
    """bcrypt, PBKDF2-SHA256 and argon2 with other parameters verify and need rehashing."""
    hasher = cheap_hasher(legacy=CHEAP_LEGACY)
    assert (True, False, True) == (
        hasher.verify("Wachtwoord-2019", hashed),
        hasher.verify("Wachtwoord-2020", hashed),
        hasher.needs_update(hashed),
    )


@pytest.mark.req("AUTH-1")
@pytest.mark.parametrize(
    ("name", "hashed"),
    list(legacy_hashes("Wachtwoord-2019")),
    ids=lambda value: value if not value.startswith("$") else "",
)
def test_a_sign_in_upgrades_an_outdated_hash(name: str, hashed: str) -> None:
    """verify_password rehashes an outdated hash with the current parameters, dates kept."""
    hasher = cheap_hasher(legacy=CHEAP_LEGACY)
    match = verify_password(account_with(hashed), "Wachtwoord-2019", policy=FACET, hasher=hasher)
    assert (True, True) == (match.matches, match.upgraded)
    record = match.account.password
    assert record is not None
    assert record.hash.startswith("$argon2id$v=19$m=8,t=1,p=1$")
    assert (SET_AT, False) == (record.set_at, record.must_change)
    assert hasher.verify("Wachtwoord-2019", record.hash)
    assert not hasher.needs_update(record.hash)


def test_a_current_hash_is_left_alone() -> None:
    """A hash in the current scheme and parameters is not redone."""
    hasher = CountingHasher(cheap_hasher())
    current = account_with(hasher.hash("Zomer2026!"))
    match = verify_password(current, "Zomer2026!", policy=FACET, hasher=hasher)
    assert (True, False, current) == (match.matches, match.upgraded, match.account)
    assert 1 == hasher.calls["hash"]


def test_a_wrong_password_does_not_match() -> None:
    """A wrong password does not match and changes nothing."""
    hasher = cheap_hasher(legacy=CHEAP_LEGACY)
    account = account_with(bcrypt.hashpw(b"Wachtwoord-2019", bcrypt.gensalt(4)).decode())
    match = verify_password(account, "Wachtwoord-2018", policy=FACET, hasher=hasher)
    assert (False, False, account) == (match.matches, match.upgraded, match.account)


def test_a_long_password_against_bcrypt_is_read_as_bcrypt_read_it() -> None:
    """bcrypt used the first 72 bytes; an imported hash of a longer password still verifies."""
    password = "Een lange zin als wachtwoord, langer dan tweeënzeventig bytes: zo gaat dat!"
    assert len(password.encode()) > 72
    hashed = bcrypt.hashpw(password.encode()[:72], bcrypt.gensalt(4)).decode()
    assert cheap_hasher(legacy=CHEAP_LEGACY).verify(password, hashed)


def test_an_unknown_hash_is_invalid_input() -> None:
    """A stored hash in no known scheme is refused, not silently false."""
    hasher = cheap_hasher()
    for hashed in ("plain-text", "$argon2id$v=19$m=8,t=1,p=1$broken"):
        with pytest.raises(InvalidInput) as info:
            hasher.verify("x", hashed)
        assert "passwords.hash.unknown" == info.value.code
    with pytest.raises(InvalidInput):
        hasher.needs_update("plain-text")


# -- bounded work --------------------------------------------------------------------------


@pytest.mark.req("AUTH-1")
def test_a_password_of_one_megabyte_is_refused_without_any_hash() -> None:
    """1 MB: the length problem alone, and the hasher is never called (not even history)."""
    hasher = CountingHasher(cheap_hasher())
    account = account_with(cheap_hasher().hash("Zomer2026!"))
    huge = "a1!" * 350_000
    verdict = FACET.check(huge, history=[account.password.hash], hasher=hasher)  # type: ignore[union-attr]
    assert ("passwords.max_length",) == verdict.codes
    match = verify_password(account, huge, policy=FACET, hasher=hasher)
    assert (False, 0) == (match.matches, hasher.total)


def test_at_most_max_concurrent_hashes_run_at_once() -> None:
    """With max_concurrent=2, six threads hashing at once never run more than two hashes."""
    hasher = Argon2Hasher(SequenceSecretSource("bound"), CHEAP_ARGON2, max_concurrent=2)
    running = 0
    most = 0
    lock = threading.Lock()

    class SlowHandler:
        """Stands in for passlib's argon2 handler: takes a while, counts who is inside."""

        @classmethod
        def using(cls, **_: object) -> type[SlowHandler]:
            return cls

        @staticmethod
        def hash(password: str) -> str:
            nonlocal running, most
            with lock:
                running += 1
                most = max(most, running)
            time.sleep(0.02)
            with lock:
                running -= 1
            return "$argon2id$stub"

    hasher._argon2 = SlowHandler
    threads = [threading.Thread(target=hasher.hash, args=("x",)) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert 2 == most


@pytest.mark.parametrize(
    "values",
    [
        {"memory_kib": 7, "time_cost": 1, "parallelism": 1},
        {"memory_kib": 8, "time_cost": 0, "parallelism": 1},
        {"memory_kib": 8, "time_cost": 1, "parallelism": 2},
        {"memory_kib": 8, "time_cost": 1, "parallelism": 1, "salt_bytes": 4},
    ],
)
def test_unusable_argon2_parameters_are_refused(values: dict[str, int]) -> None:
    """Parameters below argon2's limits are a configuration error."""
    with pytest.raises(ConfigurationError) as info:
        Argon2Parameters(**values)
    assert "passwords.argon2.invalid" == info.value.code


def test_max_concurrent_must_be_positive() -> None:
    """A hasher that may never hash is a configuration error."""
    with pytest.raises(ConfigurationError):
        Argon2Hasher(SequenceSecretSource(), CHEAP_ARGON2, max_concurrent=0)


# -- imported hashes cost the same work as any other (issue 19, point 6) ---------------------


def work_units(hashed: str) -> tuple[str, int]:
    """Read the scheme and the work of one verification from *hashed* itself."""
    if hashed.startswith("$2b$"):
        return "bcrypt", 2 ** int(hashed.split("$")[2])
    if hashed.startswith("$pbkdf2-sha256$"):
        return "pbkdf2_sha256", int(hashed.split("$")[2])
    return hashed.split("$")[3], 1


def plan_work(hasher: Argon2Hasher, hashed: str | None) -> dict[str, int]:
    """The work of verifying every hash of *hasher*'s plan for *hashed*."""
    total: dict[str, int] = {}
    for planned in hasher.work_plan(hashed):
        scheme, work = work_units(planned)
        total[scheme] = total.get(scheme, 0) + work
    return total


@pytest.mark.req("AUTH-5")
@given(bcrypt_cost=st.integers(4, 7), pbkdf2_rounds=st.integers(1000, 3000))
@settings(max_examples=15, deadline=None)
def test_every_hash_at_or_below_its_declared_cost_plans_the_same_work(
    bcrypt_cost: int, pbkdf2_rounds: int
) -> None:
    """Current, none, and imported hashes at any cost up to the declared: the same work."""
    hasher = cheap_hasher(legacy=(LegacyScheme("bcrypt", 7), LegacyScheme("pbkdf2_sha256", 3000)))
    salt = b"pepper-not-salt!"
    derived = hashlib.pbkdf2_hmac("sha256", b"x", salt, pbkdf2_rounds)
    stored = [
        None,
        hasher.hash("Zomer2026!"),
        bcrypt.hashpw(b"x", bcrypt.gensalt(rounds=bcrypt_cost)).decode(),
        f"$pbkdf2-sha256${pbkdf2_rounds}${ab64(salt)}${ab64(derived)}",
    ]
    current = hasher.hash("x").split("$")[3]
    expected = {current: 1, "bcrypt": 2**7, "pbkdf2_sha256": 3000}
    assert [expected] * len(stored) == [plan_work(hasher, hashed) for hashed in stored]


def test_the_stored_hash_comes_first_and_decoys_match_no_password() -> None:
    """The plan starts with the stored hash; its decoys match neither it nor an empty one."""
    hasher = cheap_hasher(legacy=CHEAP_LEGACY)
    stored = bcrypt.hashpw(b"Zomer2026!", bcrypt.gensalt(rounds=4)).decode()
    plan = hasher.work_plan(stored)
    assert stored == plan[0]
    assert not any(hasher.verify("Zomer2026!", decoy) for decoy in plan[1:])
    assert not any(hasher.verify("", decoy) for decoy in hasher.work_plan(None))
    assert (hasher.hash("a"),) != hasher.work_plan(None)


def test_without_declared_schemes_a_plan_is_one_hash() -> None:
    """The production default declares no imported scheme: one verification per check."""
    hasher = cheap_hasher()
    hashed = hasher.hash("Zomer2026!")
    assert ((hashed,), 1) == (hasher.work_plan(hashed), len(hasher.work_plan(None)))


def test_an_undeclared_scheme_is_an_unknown_hash() -> None:
    """A bcrypt hash where no bcrypt is declared is refused, not silently verified."""
    hashed = bcrypt.hashpw(b"Zomer2026!", bcrypt.gensalt(rounds=4)).decode()
    for call in (cheap_hasher().verify, lambda _, h: cheap_hasher().work_plan(h)):
        with pytest.raises(InvalidInput) as info:
            call("Zomer2026!", hashed)
        assert "passwords.hash.unknown" == info.value.code


@pytest.mark.parametrize(
    "declared",
    [
        (LegacyScheme, ("bcrypt", 3)),
        (LegacyScheme, ("bcrypt", 32)),
        (LegacyScheme, ("pbkdf2_sha256", 999)),
        (LegacyScheme, ("md5_crypt", 1000)),
    ],
    ids=["bcrypt 3", "bcrypt 32", "pbkdf2 999", "md5"],
)
def test_a_scheme_outside_its_range_is_a_configuration_error(
    declared: tuple[type[LegacyScheme], tuple[str, int]],
) -> None:
    """bcrypt 4-31, PBKDF2-SHA256 1,000-10,000,000 rounds, nothing else."""
    kind, arguments = declared
    with pytest.raises(ConfigurationError) as info:
        kind(*arguments)  # type: ignore[arg-type]
    assert "passwords.legacy.invalid" == info.value.code


def test_a_scheme_declared_twice_is_a_configuration_error() -> None:
    """One cost per scheme: the highest."""
    with pytest.raises(ConfigurationError) as info:
        cheap_hasher(legacy=(LegacyScheme("bcrypt", 4), LegacyScheme("bcrypt", 5)))
    assert "passwords.legacy.invalid" == info.value.code
