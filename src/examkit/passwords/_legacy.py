"""Hashes imported from other systems, and the work that makes every password check cost the same.

A deployment that imports accounts with their hashes (bcrypt, PBKDF2-SHA256)
declares each scheme with the highest cost among the imported hashes. Every
password check then does the same work, whatever the account: one
verification at the current argon2id parameters and one per declared scheme
at its declared cost, each against the stored hash where it is of that kind
and against a decoy hash otherwise. A stored hash cheaper than its scheme's
declared cost is made up with decoys of the difference (bcrypt doubles its
work per cost step; PBKDF2's work is its iteration count), so an imported
account answers in the same time as any other, known or not (issue 19).
"""

from __future__ import annotations

from typing import Final, Literal

import attrs

from examkit.errors import ConfigurationError

LegacyName = Literal["bcrypt", "pbkdf2_sha256"]
"""The passlib names of the schemes examkit verifies besides argon2id."""

_ROUNDS: Final[dict[str, tuple[int, int]]] = {
    "bcrypt": (4, 31),
    "pbkdf2_sha256": (1000, 10_000_000),
}


def _check_rounds(instance: LegacyScheme, _: attrs.Attribute[int], value: int) -> None:
    limits = _ROUNDS.get(instance.name)
    if limits is None:
        raise ConfigurationError("passwords.legacy.invalid", field="name", value=instance.name)
    low, high = limits
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ConfigurationError("passwords.legacy.invalid", field="rounds", value=str(value))


@attrs.frozen
class LegacyScheme:
    """A scheme of imported hashes, with the highest cost among them.

    *rounds* is bcrypt's cost (the base-2 logarithm of its work, 4 to 31) or
    PBKDF2-SHA256's iteration count (1,000 to 10,000,000).

    >>> LegacyScheme("bcrypt", 12)
    LegacyScheme(name='bcrypt', rounds=12)

    Raises:
        ConfigurationError: an unknown scheme, or rounds outside its range
            (``passwords.legacy.invalid``).
    """

    name: LegacyName
    """The passlib name: ``bcrypt`` or ``pbkdf2_sha256``."""
    rounds: int = attrs.field(validator=_check_rounds)
    """The highest cost among the imported hashes of this scheme."""

    def make_up(self, rounds: int) -> tuple[int, ...]:
        """Return the costs of the decoys that make a hash of *rounds* cost :attr:`rounds`.

        bcrypt's work is ``2 ** rounds``: the difference is one decoy at each
        cost from *rounds* up to the declared one. PBKDF2's work is its
        iteration count: one decoy of the difference. A hash at or above the
        declared cost needs none.

        >>> LegacyScheme("bcrypt", 6).make_up(4)
        (4, 5)
        >>> LegacyScheme("pbkdf2_sha256", 29000).make_up(10000)
        (19000,)
        >>> LegacyScheme("pbkdf2_sha256", 29000).make_up(29000)
        ()
        """
        if rounds >= self.rounds:
            return ()
        if self.name == "bcrypt":
            return tuple(range(rounds, self.rounds))
        return (self.rounds - rounds,)


BCRYPT_ALPHABET: Final = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
"""bcrypt's base-64 alphabet, for decoy salts."""

_BCRYPT_LAST = ".Oeu"  # the last of 22 salt characters carries 2 bits: these four are canonical


def bcrypt_salt(random: bytes) -> str:
    """Return a canonical 22-character bcrypt salt made from 22 *random* bytes."""
    head = "".join(BCRYPT_ALPHABET[byte % 64] for byte in random[:21])
    return head + _BCRYPT_LAST[random[21] % 4]
