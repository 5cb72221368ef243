"""What each stored field holds, for the processing register (PRIV-1).

Every field of every record a :class:`~examkit.storage.RecordType` declares
carries one of these: :class:`Personal` (with its purpose, legal basis,
retention term and audience) or :class:`NotPersonal` (with why not). There is
no default: :mod:`examkit.privacy` builds the processing register from these
declarations and its test fails on a field without one.

>>> Personal(
...     purpose="sign in and address the account holder",
...     basis="public_task",
...     retention="account",
...     audience=("self", "administrator"),
... ).basis
'public_task'
>>> NotPersonal("the record's version, for optimistic locking").why
"the record's version, for optimistic locking"
"""

from __future__ import annotations

from typing import Final, Literal, TypeAlias

import attrs

LegalBasis: TypeAlias = Literal[
    "public_task",
    "legal_obligation",
    "contract",
    "consent",
    "legitimate_interests",
]
"""The GDPR's lawful grounds (art. 6(1)) a field is processed under: ``public_task`` (e),
``legal_obligation`` (c), ``contract`` (b), ``consent`` (a), ``legitimate_interests`` (f)."""

Audience: TypeAlias = Literal[
    "self",
    "administrator",
    "operator",
    "planner",
    "proctor",
    "corrector",
    "offline_server",
    "system",
]
"""Who may see a personal field: the person themself, a school's administrator, the
service desk's operator, the location's planner, the group's proctor, its correctors,
the offline server that runs the group, or only the system (never shown)."""


def _text(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{attribute.name} must be a text that says something")


def _audience(_: object, __: attrs.Attribute[tuple[Audience, ...]], value: object) -> None:
    if not isinstance(value, tuple) or not value:
        raise ValueError("audience must name at least one reader")


@attrs.frozen
class Personal:
    """A field that holds personal data (GDPR art. 4(1)), and why it is kept."""

    purpose: str = attrs.field(validator=_text)
    """Why examkit keeps it (one line, English)."""
    basis: LegalBasis
    """The lawful ground it is processed under."""
    retention: str = attrs.field(validator=_text)
    """The name of its retention term (``examkit.privacy.RETENTION_TERMS``)."""
    audience: tuple[Audience, ...] = attrs.field(validator=_audience)
    """Who may see it."""


@attrs.frozen
class NotPersonal:
    """A field that holds no personal data, and why not."""

    why: str = attrs.field(validator=_text)
    """What it holds instead (one line, English)."""


FieldUse: TypeAlias = Personal | NotPersonal
"""What one stored field holds: :class:`Personal` or :class:`NotPersonal`."""

VERSION_FIELD: Final = NotPersonal("the record's stored version, for optimistic locking")
"""The classification of every record's ``version`` field."""
