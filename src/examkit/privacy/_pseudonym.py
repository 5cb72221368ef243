"""An erased person's pseudonym: a keyed hash of who they were (PRIV-3).

The audit trail keeps its events after an erasure; where they named the
person they name :func:`pseudonym_of` instead: ``pseudonym:<key id>:<hex>``,
the HMAC-SHA256 of the person's label under the portal's pseudonym key
(:attr:`PrivacySettings.pseudonym_key <examkit.privacy.PrivacySettings.pseudonym_key>`),
a key of its own, apart from the token key. The same person always maps to
the same pseudonym under one key; without the key nobody can tell whom it
stands for, nor test a guess.

>>> from examkit.privacy import PersonRef
>>> settings = PrivacySettings(pseudonym_key=b"p" * 32, pseudonym_key_id="2026")
>>> name = pseudonym_of(PersonRef.account("a-17"), settings)
>>> name.startswith("pseudonym:2026:"), len(name.rsplit(":", 1)[1])
(True, 64)
>>> name == pseudonym_of(PersonRef.account("a-17"), settings)
True
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Final

from examkit.errors import ConfigurationError
from examkit.privacy._person import PersonRef
from examkit.privacy._settings import PrivacySettings

PREFIX: Final = "pseudonym"
"""What every pseudonym starts with (then its key id and the hash)."""


def pseudonym_of(person: PersonRef, settings: PrivacySettings) -> str:
    """Return *person*'s pseudonym under *settings*' pseudonym key.

    Raises:
        ConfigurationError: ``privacy.erasure.no_key``: no pseudonym key is set
            (field ``privacy.pseudonym_key``).
    """
    key = settings.pseudonym_key
    if key is None:
        raise ConfigurationError("privacy.erasure.no_key", field="privacy.pseudonym_key")
    digest = hmac.new(key, person.label.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"{PREFIX}:{settings.pseudonym_key_id}:{digest}"
