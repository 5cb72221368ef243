"""Production randomness: the only module in examkit that uses :mod:`secrets`.

>>> len(SystemSecretSource().digits(6))
6
"""

from __future__ import annotations

import secrets

__all__ = ["SystemSecretSource"]


class SystemSecretSource:
    """A :class:`examkit.ports.SecretSource` backed by the operating system's CSPRNG."""

    def token_bytes(self, size: int) -> bytes:
        """Return *size* random bytes."""
        return secrets.token_bytes(size)

    def token_urlsafe(self, size: int) -> str:
        """Return a URL-safe text token carrying *size* random bytes."""
        return secrets.token_urlsafe(size)

    def digits(self, count: int) -> str:
        """Return *count* random decimal digits (uniform: one draw below ``10 ** count``)."""
        if count <= 0:
            return ""
        return str(secrets.randbelow(10**count)).zfill(count)

    def choose(self, alphabet: str, count: int) -> str:
        """Return *count* characters drawn uniformly from *alphabet*."""
        if not alphabet:
            raise ValueError("alphabet must not be empty")
        return "".join(secrets.choice(alphabet) for _ in range(count))

    def __repr__(self) -> str:
        return "SystemSecretSource()"
