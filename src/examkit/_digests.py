"""Keyed digests of tokens and codes under the portal's token key, shared by every package.

Nothing secret is stored: a token or code is kept only as its HMAC-SHA-256
under :attr:`Settings.token_key <examkit.Settings.token_key>`, bound to its
purpose (and to what it belongs to), so a digest of one purpose never
matches another. The sign-in (:mod:`examkit.auth`) and the invitations of
:mod:`examkit.roles` both make theirs here.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Final

_SEPARATOR: Final = b"\x1f"


class Digester:
    """Makes keyed digests (HMAC-SHA-256) of tokens and codes under one key.

    >>> digester = Digester(b"k" * 32)
    >>> one = digester.digest("auth.otp", "transaction", "123456")
    >>> len(one), one == digester.digest("auth.reset", "transaction", "123456")
    (64, False)
    >>> digester.same(one, digester.digest("auth.otp", "transaction", "123456"))
    True
    """

    def __init__(self, key: bytes) -> None:
        self._key = key
        self._base = hmac.new(key, digestmod=hashlib.sha256)

    def digest(self, purpose: str, *parts: str) -> str:
        """Return the hex digest of *parts* for *purpose*."""
        mac = self._base.copy()
        mac.update(purpose.encode())
        for part in parts:
            mac.update(_SEPARATOR)
            mac.update(part.encode("utf-8", "surrogatepass"))
        return mac.hexdigest()

    @staticmethod
    def same(left: str, right: str) -> bool:
        """Return whether two digests are equal, in constant time."""
        return hmac.compare_digest(left.encode(), right.encode())

    def authenticator_secret(self, account_id: str, nonce: str) -> str:
        """Return the base32 seed of an account's authenticator, derived, never stored."""
        mac = self._base.copy()
        mac.update(b"auth.authenticator")
        for part in (account_id, nonce):
            mac.update(_SEPARATOR)
            mac.update(part.encode())
        return base64.b32encode(mac.digest()[:20]).decode()

    def __repr__(self) -> str:
        return "Digester(<key hidden>)"
