"""Which personal fields a person may have corrected, and by which use case (PRIV-2).

:data:`CORRECTABLE` is the table: for each kind of person the fields that
can be corrected here, each with the use case that owns it (and audits the
change). A pupil's data come from the school's pupil administration
(EDEXML) and are corrected there; so are a candidate's made from a pupil.

>>> sorted(CORRECTABLE["account"])
['email', 'first_name', 'last_name', 'phone']
>>> CORRECTABLE["pupil"]
{}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from examkit.privacy._person import PersonKind

_USERS: Final = "kit.users.edit_user (an administrator), kit.profile.update_profile (oneself)"
_CANDIDATES: Final = "kit.candidates.correct_name (a candidate not made from a pupil)"

CORRECTABLE: Final[Mapping[PersonKind, Mapping[str, str]]] = {
    "account": {
        "first_name": _USERS,
        "last_name": _USERS,
        "email": "kit.users.edit_user (an administrator); oneself on the profile page, with "
        "the password and a confirmation mailed to the new address",
        "phone": _USERS,
    },
    "candidate": {
        "first_name": _CANDIDATES,
        "last_name": _CANDIDATES,
    },
    "pupil": {},
}
"""The fields that can be corrected, per kind of person, with the use case that owns each."""
