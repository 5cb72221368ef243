"""Keyed digests of tokens and codes, constant-time comparison, and authenticator codes.

Nothing secret is stored: a token or code is kept only as its HMAC-SHA-256
under the portal's token key, bound to its purpose and to what it belongs
to (a code to its transaction and generation), so a digest of one purpose
never matches another.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime
from typing import Final

import pyotp

_SEPARATOR: Final = b"\x1f"
_MAX_KEY_LENGTH: Final = 64
TOTP_INTERVAL: Final = 30
"""Seconds per authenticator time step (RFC 6238's default)."""
TOTP_DIGITS: Final = 6
"""Digits of an authenticator code."""


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


def lockout_key(login_name: object) -> str:
    """Return the key a login name is counted under: case and surrounding space folded.

    The same key whether or not the account exists. A name too long to be
    one (or not text at all) is keyed by its digest, so the key stays short.

    >>> lockout_key("  22AB.K.Beheerder ") == lockout_key("22ab.k.beheerder")
    True
    """
    text = login_name if isinstance(login_name, str) else repr(login_name)
    folded = text.strip().casefold()
    if len(folded) <= _MAX_KEY_LENGTH:
        return folded
    return "#" + hashlib.sha256(folded.encode("utf-8", "surrogatepass")).hexdigest()


def totp(secret: str) -> pyotp.TOTP:
    """Return the RFC 6238 generator of *secret* (6 digits, 30 seconds, SHA-1 as apps expect)."""
    return pyotp.TOTP(secret, digits=TOTP_DIGITS, interval=TOTP_INTERVAL)


def matching_step(secret: str, code: str, now: datetime, *, after: int) -> int | None:
    """Return the time step whose code *code* is, near *now* and later than *after*.

    The step before and after *now*'s are accepted too (clock drift of the
    phone). Each candidate is compared in constant time; a step not later
    than *after* (already used) never matches, so a code works once.

    >>> from datetime import UTC
    >>> secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    >>> now = datetime(2026, 9, 1, 8, tzinfo=UTC)
    >>> step = matching_step(secret, totp(secret).at(now), now, after=-1)
    >>> step == totp(secret).timecode(now)
    True
    >>> matching_step(secret, totp(secret).at(now), now, after=step) is None
    True
    """
    generator = totp(secret)
    current = generator.timecode(now)
    found: int | None = None
    for offset in (-1, 0, 1):
        step = current + offset
        expected = generator.generate_otp(step)
        if hmac.compare_digest(expected.encode(), code.encode()) and step > after:
            found = step
    return found
