"""Keyed digests of tokens and codes under the portal's token key, shared by every package.

Nothing secret is stored: a token or code is kept only as its HMAC-SHA-256
under :attr:`Settings.token_key <examkit.Settings.token_key>`, bound to its
purpose (and to what it belongs to), so a digest of one purpose never
matches another. The sign-in (:mod:`examkit.auth`) and the invitations of
:mod:`examkit.roles` both make theirs here.

Keys rotate by id: new digests are made under the current key, and a token
presented later is looked up under the current key and then under each
retired one (:meth:`Digester.digests`), so tokens and links issued before a
rotation keep working while their retired key stays configured. An
authenticator's seed records the id of the key it was derived under.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable, Iterable, Mapping
from typing import Final, TypeVar

from examkit.errors import NotFound

T = TypeVar("T")

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

    def __init__(
        self, key: bytes, *, key_id: str = "", retired: Mapping[str, bytes] | None = None
    ) -> None:
        self.key_id = key_id
        """The current key's id (what an authenticator enrolled now records)."""
        self._bases = {
            key_id: hmac.new(key, digestmod=hashlib.sha256),
            **{
                old_id: hmac.new(old, digestmod=hashlib.sha256)
                for old_id, old in (retired or {}).items()
            },
        }
        self._base = self._bases[key_id]
        self._order = tuple(self._bases.values())

    def digest(self, purpose: str, *parts: str) -> str:
        """Return the hex digest of *parts* for *purpose* under the current key (to store)."""
        return _hex(self._base, purpose, parts)

    def digests(self, purpose: str, *parts: str) -> tuple[str, ...]:
        """Return the digests of *parts* under the current key, then each retired one (to look up).

        >>> old = Digester(b"o" * 32, key_id="2025")
        >>> new = Digester(b"n" * 32, key_id="2026", retired={"2025": b"o" * 32})
        >>> stored = old.digest("auth.reset", "token")
        >>> stored in new.digests("auth.reset", "token")
        True
        >>> stored == new.digest("auth.reset", "token")
        False
        """
        return tuple(_hex(base, purpose, parts) for base in self._order)

    def matches(self, stored: str, purpose: str, *parts: str) -> bool:
        """Return whether *stored* is the digest of *parts* under any configured key."""
        return any(self.same(stored, made) for made in self.digests(purpose, *parts))

    @staticmethod
    def same(left: str, right: str) -> bool:
        """Return whether two digests are equal, in constant time."""
        return hmac.compare_digest(left.encode(), right.encode())

    def authenticator_secret(self, account_id: str, nonce: str, key_id: str | None = None) -> str:
        """Return the base32 seed of an account's authenticator, derived, never stored.

        Derived under the key *key_id* (the current one when ``None``).

        Raises:
            KeyError: the key *key_id* is no longer configured.
        """
        mac = (self._base if key_id is None else self._bases[key_id]).copy()
        mac.update(b"auth.authenticator")
        for part in (account_id, nonce):
            mac.update(_SEPARATOR)
            mac.update(part.encode())
        return base64.b32encode(mac.digest()[:20]).decode()

    def __repr__(self) -> str:
        return "Digester(<key hidden>)"


def _hex(base: hmac.HMAC, purpose: str, parts: tuple[str, ...]) -> str:
    mac = base.copy()
    mac.update(purpose.encode())
    for part in parts:
        mac.update(_SEPARATOR)
        mac.update(part.encode("utf-8", "surrogatepass"))
    return mac.hexdigest()


def first_found(digests: Iterable[str], find: Callable[[str], T]) -> T:
    """Return what *find* returns for the first of *digests* it finds (current key first).

    Raises:
        NotFound: none of them is found (the last lookup's error).
    """
    missing: NotFound | None = None
    for digest in digests:
        try:
            return find(digest)
        except NotFound as error:
            missing = error
    raise missing if missing is not None else NotFound()
