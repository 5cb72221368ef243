"""The processing register, generated from the record declarations (PRIV-1).

Every field of every stored record declares what it holds
(:attr:`RecordType.privacy <examkit.storage.RecordType.privacy>`):
:class:`~examkit.storage.Personal` with its purpose, legal basis, retention
term and audience, or :class:`~examkit.storage.NotPersonal` with why not.
:func:`processing_register` turns those declarations into the register's
rows, after :func:`register_problems` has found none: a field without a
classification, a classification of a field the record does not have, a
retention term that does not exist.

>>> @attrs.frozen
... class Note:
...     id: str
...     author: str
...     version: int = 0
>>> NOTES = RecordType("notes", Note, kind="note", key=lambda note: note.id, privacy={
...     "id": NotPersonal("a generated id"),
...     "author": Personal("who wrote it", "public_task", "account", ("administrator",)),
...     "version": NotPersonal("the record's version"),
... })
>>> [(row.field, row.personal, row.period) for row in processing_register([NOTES])][1]
('author', True, RetentionPeriod(years=1, months=0, days=0))
>>> [problem.code for problem in register_problems([attrs.evolve(NOTES, privacy={})])]
['privacy.register.unclassified', 'privacy.register.unclassified', 'privacy.register.unclassified']
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, get_args

import attrs

from examkit.errors import ConfigurationError
from examkit.privacy._retention import RETENTION_TERMS, retention_period
from examkit.privacy._settings import PrivacySettings, RetentionPeriod
from examkit.records import RECORDS
from examkit.storage import Audience, LegalBasis, NotPersonal, Personal, RecordType


@attrs.frozen
class RegisterRow:
    """One stored field in the processing register."""

    record: str
    """The record's storage name (``accounts``)."""
    field: str
    """The field's name (``email``)."""
    personal: bool
    """Whether it holds personal data."""
    purpose: str
    """Why it is kept (personal), or what it holds instead (not personal)."""
    basis: LegalBasis | None = None
    """The lawful ground it is processed under; ``None`` when not personal."""
    retention: str | None = None
    """Its retention term's name; ``None`` when not personal."""
    period: RetentionPeriod | None = None
    """Its retention term's period (the portal's own where set); ``None`` when not personal."""
    audience: tuple[Audience, ...] = ()
    """Who may see it; empty when not personal."""


def _fields(record: RecordType[Any, Any]) -> tuple[str, ...]:
    return tuple(field.name for field in attrs.fields(record.cls))


def register_problems(records: Iterable[RecordType[Any, Any]]) -> tuple[ConfigurationError, ...]:
    """Return what keeps *records*' declarations from making a complete register.

    Each problem is a :class:`~examkit.errors.ConfigurationError` whose field
    is ``<record>.<field>``: ``privacy.register.unclassified`` (a field without
    a classification), ``privacy.register.not_a_field`` (a classification of a
    field the record does not have), ``privacy.register.unknown_retention``
    (a :class:`~examkit.storage.Personal` naming a term not in
    :data:`~examkit.privacy.RETENTION_TERMS`), ``privacy.register.unknown_basis``
    or ``privacy.register.unknown_reader`` (a legal basis or reader that is not one of
    :data:`~examkit.storage.LegalBasis` or :data:`~examkit.storage.Audience`).
    """
    terms = {term.name for term in RETENTION_TERMS}
    problems: list[ConfigurationError] = []
    for record in records:
        fields = _fields(record)
        for name in fields:
            if name not in record.privacy:
                problems.append(
                    ConfigurationError(
                        "privacy.register.unclassified",
                        field=f"{record.name}.{name}",
                        record=record.name,
                        name=name,
                    )
                )
        for name, use in record.privacy.items():
            if name not in fields:
                problems.append(
                    ConfigurationError(
                        "privacy.register.not_a_field",
                        field=f"{record.name}.{name}",
                        record=record.name,
                        name=name,
                    )
                )
            elif isinstance(use, Personal):
                problems.extend(_personal_problems(f"{record.name}.{name}", use, terms))
    return tuple(problems)


def _personal_problems(where: str, use: Personal, terms: set[str]) -> Iterator[ConfigurationError]:
    if use.retention not in terms:
        yield ConfigurationError(
            "privacy.register.unknown_retention", field=where, term=use.retention
        )
    if use.basis not in get_args(LegalBasis):
        yield ConfigurationError(
            "privacy.register.unknown_basis",
            field=where,
            basis=use.basis,
            known=", ".join(get_args(LegalBasis)),
        )
    for reader in use.audience:
        if reader not in get_args(Audience):
            yield ConfigurationError(
                "privacy.register.unknown_reader",
                field=where,
                reader=reader,
                known=", ".join(get_args(Audience)),
            )


def _rows(record: RecordType[Any, Any], settings: PrivacySettings) -> Iterator[RegisterRow]:
    for name in _fields(record):
        use = record.privacy[name]
        if isinstance(use, NotPersonal):
            yield RegisterRow(record.name, name, personal=False, purpose=use.why)
        else:
            yield RegisterRow(
                record.name,
                name,
                personal=True,
                purpose=use.purpose,
                basis=use.basis,
                retention=use.retention,
                period=retention_period(settings, use.retention),
                audience=use.audience,
            )


def processing_register(
    records: Iterable[RecordType[Any, Any]] = RECORDS,
    settings: PrivacySettings | None = None,
) -> tuple[RegisterRow, ...]:
    """Return the processing register of *records*: one row per field, in declaration order.

    Args:
        records: The records to describe: every record examkit stores by default
            (:data:`examkit.records.RECORDS`); a portal adds its own.
        settings: The portal's privacy settings, for its own retention periods.

    Raises:
        ConfigurationError: the first of :func:`register_problems`, or
            ``privacy.register.unknown_term`` when *settings* set a period for a term that
            does not exist.
    """
    chosen = tuple(records)
    problems = register_problems(chosen)
    if problems:
        raise problems[0]
    settings = settings if settings is not None else PrivacySettings()
    return tuple(row for record in chosen for row in _rows(record, settings))
