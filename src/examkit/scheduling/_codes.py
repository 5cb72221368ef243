"""Access codes and login names: easy to read aloud and print, drawn from the SecretSource."""

from __future__ import annotations

import base64
import hmac
import math
from typing import Final

from examkit.ports import SecretSource

ALPHABET: Final = "ACDEFGHJKMNPQRTUVWXY34679"
"""Characters of access codes and login names: none that can be mistaken for another
(no 0/O, 1/I/L, 2/Z, 5/S, 8/B)."""

CODE_LENGTH: Final = 8
"""Characters in an access code: 25^8 (about 1.5·10^11) codes, 37 bits, against guessing."""

LOGIN_LENGTH: Final = 8
"""Characters in a candidate's login name."""


def new_access_code(secrets: SecretSource) -> str:
    """Draw an access code (*toegangscode*), printed in two groups of four (``ACDE-FG34``).

    >>> from examkit.testing import SequenceSecretSource
    >>> code = new_access_code(SequenceSecretSource())
    >>> len(code), code[4], set(code.replace("-", "")) <= set(ALPHABET)
    (9, '-', True)

    Implements SCH-6.
    """
    drawn = secrets.choose(ALPHABET, CODE_LENGTH)
    return f"{drawn[:4]}-{drawn[4:]}"


def normalise_access_code(text: str) -> str:
    """Return *text* as an access code is compared: upper case, no spaces or dashes.

    >>> normalise_access_code(" acde fg34 ")
    'ACDEFG34'
    """
    return "".join(ch for ch in text.upper() if ch not in " -\t")


def new_login_name(secrets: SecretSource) -> str:
    """Draw a candidate's login name (*inlognaam*), printed on their slip.

    Implements SCH-1 and AUTH-12.
    """
    return secrets.choose(ALPHABET, LOGIN_LENGTH)


def code_entropy_bits() -> float:
    """Return the entropy of an access code in bits.

    >>> round(code_entropy_bits(), 1)
    37.2
    """
    return CODE_LENGTH * math.log2(len(ALPHABET))


def candidate_key(token_key: bytes, group: str, candidate: str) -> str:
    """Return the key that binds saves and the hand-in to the candidate who signed in.

    A keyed digest (HMAC-SHA-256 under *token_key*) of the attempt: only a
    successful sign-in hands it out, and nothing else derives it.

    >>> key = candidate_key(b"k" * 32, "g-1", "c-1")
    >>> len(key), key == candidate_key(b"k" * 32, "g-1", "c-2")
    (43, False)

    Implements AUTH-12 and SCH-7.
    """
    message = "\x1f".join(("sessions.candidate", group, candidate))
    digest = hmac.digest(token_key, message.encode("utf-8", "surrogatepass"), "sha256")
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def same_key(given: str, expected: str) -> bool:
    """Return whether two candidate keys are equal, in constant time."""
    return hmac.compare_digest(given.encode("utf-8", "surrogatepass"), expected.encode())
