"""Password hashing: argon2id through passlib's ``CryptContext``, with upgrade of older hashes.

The hasher draws every salt from the injected
:class:`~examkit.ports.SecretSource`, so it uses no randomness of its own
(and a deterministic source gives deterministic hashes: known-answer
tests). At most ``max_concurrent`` hashes run at once, since each takes
:attr:`Argon2Parameters.memory_kib` of memory.
"""

from __future__ import annotations

import threading
from typing import Any, Final

import attrs
from passlib.context import CryptContext

from examkit.errors import ConfigurationError, InvalidInput
from examkit.passwords._legacy import LegacyScheme, bcrypt_salt
from examkit.ports import SecretSource

_BCRYPT_MAX_BYTES = 72


def _at_least(minimum: int) -> Any:
    def check(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            raise ConfigurationError("passwords.argon2.invalid", field=attribute.name)

    return check


@attrs.frozen
class Argon2Parameters:
    """The cost of an argon2id hash.

    >>> RFC9106_SECOND
    Argon2Parameters(memory_kib=65536, time_cost=3, parallelism=4, salt_bytes=16, hash_bytes=32)

    Raises:
        ConfigurationError: a value is below argon2's limits (memory at least
            8 KiB per lane).
    """

    memory_kib: int = attrs.field(validator=_at_least(8))
    """Memory per hash, in KiB (``m``)."""
    time_cost: int = attrs.field(validator=_at_least(1))
    """Passes over the memory (``t``)."""
    parallelism: int = attrs.field(validator=_at_least(1))
    """Lanes (``p``)."""
    salt_bytes: int = attrs.field(default=16, validator=_at_least(8))
    """Length of the random salt, in bytes (128 bits)."""
    hash_bytes: int = attrs.field(default=32, validator=_at_least(16))
    """Length of the tag, in bytes (256 bits)."""

    def __attrs_post_init__(self) -> None:
        if self.memory_kib < 8 * self.parallelism:
            raise ConfigurationError("passwords.argon2.invalid", field="memory_kib")


RFC9106_SECOND: Final = Argon2Parameters(memory_kib=64 * 1024, time_cost=3, parallelism=4)
"""RFC 9106's second recommended option: argon2id, 64 MiB, t=3, p=4, 128-bit salt, 256-bit tag.

The production default.
"""


class Argon2Hasher:
    """A :class:`~examkit.ports.PasswordHasher`: argon2id, verifying imported hashes evenly.

    Built on a passlib (``libpass``) ``CryptContext`` whose default scheme is
    argon2id with *parameters*. Hashes imported from other systems verify
    when their scheme is declared in *legacy* (:class:`LegacyScheme`, with
    the highest cost among them); :meth:`needs_update` flags them, as it
    flags argon2 hashes made with other parameters, so a sign-in can rehash
    them (upgrade on login). :meth:`work_plan` gives the hashes a password
    check verifies so that every account, imported or not, known or not,
    costs the same work.

    >>> from examkit.testing import SequenceSecretSource
    >>> cheap = Argon2Parameters(memory_kib=8, time_cost=1, parallelism=1)
    >>> hasher = Argon2Hasher(SequenceSecretSource("doc"), cheap)
    >>> hashed = hasher.hash("Zomer2026!")
    >>> hashed.startswith("$argon2id$v=19$m=8,t=1,p=1$")
    True
    >>> hasher.verify("Zomer2026!", hashed), hasher.needs_update(hashed)
    (True, False)
    >>> len(hasher.work_plan(hashed)), len(hasher.work_plan(None))
    (1, 1)

    Args:
        secrets: Where the salts come from.
        parameters: The argon2id cost (:data:`RFC9106_SECOND` by default).
        max_concurrent: How many hashes may run at once (memory is
            ``max_concurrent * parameters.memory_kib``).
        legacy: The schemes of imported hashes still verified, each with
            the highest cost among them (none by default: every check then
            pays each declared scheme's work, so declare only what was
            imported).
    """

    def __init__(
        self,
        secrets: SecretSource,
        parameters: Argon2Parameters = RFC9106_SECOND,
        *,
        max_concurrent: int = 4,
        legacy: tuple[LegacyScheme, ...] = (),
    ) -> None:
        if max_concurrent < 1:
            raise ConfigurationError("passwords.hasher.max_concurrent", field="max_concurrent")
        names = [scheme.name for scheme in legacy]
        if len(set(names)) != len(names):
            raise ConfigurationError("passwords.legacy.invalid", field="legacy")
        self.parameters = parameters
        """The argon2id cost of new hashes."""
        self.max_concurrent = max_concurrent
        """How many hashes may run at once."""
        self.legacy = tuple(legacy)
        """The declared schemes of imported hashes, with their costs."""
        self._secrets = secrets
        self._context = CryptContext(
            schemes=["argon2", *names],
            default="argon2",
            deprecated=names,
            argon2__type="ID",
            argon2__memory_cost=parameters.memory_kib,
            argon2__rounds=parameters.time_cost,
            argon2__parallelism=parameters.parallelism,
            argon2__salt_size=parameters.salt_bytes,
            argon2__digest_size=parameters.hash_bytes,
        )
        self._argon2 = self._context.handler("argon2")
        self._slots = threading.BoundedSemaphore(max_concurrent)
        self._decoys: dict[tuple[str, int], str] = {}
        self._decoys_lock = threading.Lock()

    def hash(self, password: str) -> str:
        """Return a new argon2id hash of *password*, salted from the secret source."""
        salt = self._secrets.token_bytes(self.parameters.salt_bytes)
        handler = self._argon2.using(salt=salt)
        with self._slots:
            return str(handler.hash(password))

    def verify(self, password: str, hashed: str) -> bool:
        """Return whether *password* matches *hashed* (argon2, or a legacy scheme).

        Raises:
            InvalidInput: *hashed* is in no scheme this hasher knows, or malformed.
        """
        scheme = self._scheme(hashed)
        secret: str | bytes = password
        if scheme == "bcrypt":
            # bcrypt reads at most 72 bytes; the system that made the hash cut there too.
            secret = password.encode("utf-8")[:_BCRYPT_MAX_BYTES]
        try:
            with self._slots:
                return bool(self._context.verify(secret, hashed))
        except ValueError as error:
            raise InvalidInput("passwords.hash.unknown", field="password") from error

    def needs_update(self, hashed: str) -> bool:
        """Return whether *hashed* should be replaced: another scheme, or other parameters.

        Raises:
            InvalidInput: *hashed* is in no scheme this hasher knows.
        """
        self._scheme(hashed)
        try:
            return bool(self._context.needs_update(hashed))
        except ValueError as error:
            raise InvalidInput("passwords.hash.unknown", field="password") from error

    def work_plan(self, hashed: str | None) -> tuple[str, ...]:
        """Return the hashes to verify a password against so that every check costs the same.

        *hashed* (the stored hash; ``None`` for no account or no password)
        comes first, then decoys: one at the current argon2id parameters
        unless *hashed* is such a hash, one per declared legacy scheme at
        its declared cost unless *hashed* is of that scheme, and, for a
        legacy hash cheaper than its scheme's declared cost, decoys of that
        scheme making up the difference. Decoys are made on first use and
        kept. An argon2 hash at other parameters is verified besides the
        current-cost decoy: it costs more, never less.

        Raises:
            InvalidInput: *hashed* is in no scheme this hasher knows.
        """
        plan: list[str] = []
        scheme = None
        rounds = 0
        if hashed is not None:
            scheme = self._scheme(hashed)
            plan.append(hashed)
            if scheme != "argon2":
                rounds = int(self._context.handler(scheme).from_string(hashed).rounds)
        if scheme != "argon2" or self.needs_update(hashed or ""):
            plan.append(self._decoy("argon2", 0))
        for declared in self.legacy:
            if declared.name != scheme:
                plan.append(self._decoy(declared.name, declared.rounds))
            else:
                plan.extend(self._decoy(scheme, cost) for cost in declared.make_up(rounds))
        return tuple(plan)

    def _decoy(self, scheme: str, rounds: int) -> str:
        """Return a hash of a password nobody knows, in *scheme* at *rounds* (made once)."""
        key = (scheme, rounds)
        with self._decoys_lock:
            decoy = self._decoys.get(key)
            if decoy is None:
                secret = self._secrets.token_urlsafe(18)
                if scheme == "argon2":
                    decoy = self.hash(secret)
                elif scheme == "bcrypt":
                    salt = bcrypt_salt(self._secrets.token_bytes(22))
                    handler = self._context.handler(scheme).using(rounds=rounds, salt=salt)
                    decoy = str(handler.hash(secret))
                else:
                    salt_bytes = self._secrets.token_bytes(16)
                    handler = self._context.handler(scheme).using(rounds=rounds, salt=salt_bytes)
                    decoy = str(handler.hash(secret))
                self._decoys[key] = decoy
        return decoy

    def _scheme(self, hashed: str) -> str:
        scheme = self._context.identify(hashed, required=False)
        if scheme is None:
            raise InvalidInput("passwords.hash.unknown", field="password")
        return str(scheme)

    def __repr__(self) -> str:
        legacy = f", legacy={self.legacy!r}" if self.legacy else ""
        return f"Argon2Hasher({self.parameters!r}, max_concurrent={self.max_concurrent}{legacy})"
