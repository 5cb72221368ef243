"""Keyed digests of tokens and codes, constant-time comparison, and authenticator codes.

Nothing secret is stored: a token or code is kept only as its HMAC-SHA-256
under the portal's token key, bound to its purpose and to what it belongs
to (a code to its transaction and generation), so a digest of one purpose
never matches another. The digests are made by the kit's one
:class:`~examkit._digests.Digester`, which the invitations of
:mod:`examkit.roles` use too.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from typing import Final

import pyotp

from examkit._digests import Digester

__all__ = [
    "TOTP_DIGITS",
    "TOTP_INTERVAL",
    "Digester",
    "lockout_key",
    "matching_step",
    "totp",
]

_MAX_KEY_LENGTH: Final = 64
TOTP_INTERVAL: Final = 30
"""Seconds per authenticator time step (RFC 6238's default)."""
TOTP_DIGITS: Final = 6
"""Digits of an authenticator code."""


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
