"""The public test kit: deterministic fakes of every port, and a ready-made kit.

Importing this package needs nothing beyond examkit itself. Its submodules
need the ``testing`` extra: :mod:`examkit.testing.strategies` (hypothesis
strategies), :mod:`examkit.testing.conformance` (the backend conformance
suite) and :mod:`examkit.testing.pytest_plugin` (the ``req`` marker).

>>> kit = make_kit()
>>> kit.clock.now().isoformat()
'2026-09-01T08:00:00+00:00'
"""

from __future__ import annotations

from collections.abc import Iterable

from examkit._kit import Examkit, Settings
from examkit.audit import AuditLog
from examkit.auth import SignInGate, SignInRules
from examkit.backends.memory import MemoryBackend
from examkit.federation import IdentityProviderAdapter, LinkPolicy
from examkit.passwords import Argon2Hasher, Argon2Parameters, LegacyScheme, PasswordPolicy
from examkit.ports import PasswordHasher
from examkit.records import Backend
from examkit.testing._actors import store_actor
from examkit.testing._edexml import (
    FLEMISH_DEMO_SCHOOL,
    demo_edexml,
    edexml_document,
    flemish_demo_edexml,
)
from examkit.testing._fakes import (
    CountingHasher,
    ManualClock,
    MemoryAuditLog,
    RecordingMailer,
    SequenceSecretSource,
    StaticGate,
    StoredAuditTrail,
)
from examkit.testing._federation import StaticIdentityProvider
from examkit.testing._signin import SignInHarness
from examkit.testing._wiring import Wiring

__all__ = [
    "CHEAP_ARGON2",
    "CHEAP_LEGACY",
    "FLEMISH_DEMO_SCHOOL",
    "TEST_TOKEN_KEY",
    "CountingHasher",
    "ManualClock",
    "MemoryAuditLog",
    "RecordingMailer",
    "SequenceSecretSource",
    "SignInHarness",
    "StaticGate",
    "StaticIdentityProvider",
    "StoredAuditTrail",
    "Wiring",
    "cheap_hasher",
    "demo_edexml",
    "edexml_document",
    "flemish_demo_edexml",
    "make_kit",
    "store_actor",
]

TEST_TOKEN_KEY = b"examkit-test-token-key-not-secret!"
"""A fixed token key for tests and the demo; never use it in production."""


CHEAP_ARGON2 = Argon2Parameters(memory_kib=8, time_cost=1, parallelism=1)
"""Argon2id parameters for tests: 8 KiB, one pass, one lane. Never use them in production."""


CHEAP_LEGACY = (LegacyScheme("bcrypt", 4), LegacyScheme("pbkdf2_sha256", 1000))
"""Imported-hash schemes at their lowest costs, for tests: bcrypt 4, PBKDF2-SHA256 1,000 rounds."""


def cheap_hasher(
    seed: str = "examkit-hasher", *, legacy: tuple[LegacyScheme, ...] = ()
) -> Argon2Hasher:
    """Return the production hasher with :data:`CHEAP_ARGON2` and deterministic salts.

    Hashes take microseconds instead of a quarter second, and the same seed
    gives the same hashes. *legacy* declares imported-hash schemes, as in
    production (none by default; :data:`CHEAP_LEGACY` for the cheapest).
    """
    return Argon2Hasher(SequenceSecretSource(seed), CHEAP_ARGON2, legacy=legacy)


def make_kit(
    *,
    backend: Backend | None = None,
    now: str = "2026-09-01T08:00:00+00:00",
    seed: str = "examkit",
    hasher: PasswordHasher | None = None,
    gate: SignInGate | None = None,
    audit: AuditLog | None = None,
    rules: SignInRules | None = None,
    policy: PasswordPolicy | None = None,
    identity_providers: Iterable[IdentityProviderAdapter] = (),
    link_policy: LinkPolicy | None = None,
) -> Examkit:
    """Return an :class:`~examkit.Examkit` with deterministic fakes for every port.

    Its clock is a :class:`ManualClock` at *now*, its randomness a
    :class:`SequenceSecretSource` with *seed*, its mailer a
    :class:`RecordingMailer`, its backend *backend* (a new
    :class:`~examkit.backends.memory.MemoryBackend` by default), its hasher
    *hasher* (:func:`cheap_hasher` by default), its sign-in gate *gate* (a
    :class:`StaticGate` letting everyone in by default), its audit log
    *audit* (the backend's by default), its sign-in rules *rules* and its
    password policy *policy* (the ``facet`` preset by default), and the
    federation's *identity_providers* (:class:`StaticIdentityProvider` in
    tests) with the *link_policy* (the default one unless given).
    """
    return Examkit(
        backend=backend if backend is not None else MemoryBackend(),
        mailer=RecordingMailer(),
        settings=Settings(token_key=TEST_TOKEN_KEY, base_url="https://portal.example.nl"),
        clock=ManualClock.at(now),
        secrets=SequenceSecretSource(seed),
        audit=audit,
        hasher=hasher if hasher is not None else cheap_hasher(f"{seed}-hasher"),
        sign_in_gate=gate if gate is not None else StaticGate(),
        sign_in_rules=rules,
        password_policy=policy,
        identity_providers=identity_providers,
        link_policy=link_policy,
    )
