"""One person's data as one document: the export format, version 1 (PRIV-2).

The document is JSON::

    {"format": "examkit-person-export", "version": 1,
     "person": {"kind": "pupil", "id": "P0042", "location": "01AB00", "label": "..."},
     "exported_at": "2026-09-01T08:00:00+00:00",
     "records": {"<record name>": [<record>, ...], ...},
     "withheld": {"<record name>": ["<field>", ...], ...},
     "not_listed": {"<record name>": "<why>", ...}}

Each record is as stored (:func:`examkit.converter.unstructure`), in the
listing order of its kind, except that a secret (a password hash, a token or
session id, a key's digest, a sealed e-mail) is never given: its value is
``{"withheld": true}`` (``null`` where there is none), and ``withheld`` lists
the fields so treated. ``records`` holds only the kinds that refer to the
person; ``audit_events`` holds the audit trail's events about or by them.

>>> from datetime import datetime, timezone
>>> from examkit.privacy import PersonRef
>>> document = export_document(PersonRef.account("a-1"),
...     datetime(2026, 9, 1, tzinfo=timezone.utc), {})
>>> document["format"], document["version"], document["records"]
('examkit-person-export', 1, {})
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Final

import attrs

from examkit.converter import unstructure
from examkit.documents import person_export_pdf
from examkit.privacy._locate import PERSON_LINKS, NotListed
from examkit.privacy._person import PersonRef
from examkit.records import RECORDS
from examkit.storage import Personal, RecordType

FORMAT: Final = "examkit-person-export"
"""The export's ``format``."""

VERSION: Final = 1
"""The export's ``version``: raised whenever a reader would read the document otherwise."""

WITHHELD: Final[Mapping[str, tuple[str, ...]]] = {
    "accounts": ("password", "password_history"),
    "session_groups": ("access_code",),
    "signins": ("id",),
    "trusted_browsers": ("id",),
    "authenticators": ("nonce",),
    "outbox": ("sealed",),
    "web_sessions": ("id",),
    "offline_credentials": ("secret_digest",),
    "sync_queue": ("body",),
}
"""The secrets of each record kind, by record name: listed as present, never given.

A password's hash and history, a group's access code, the ids that a browser
holds as a bearer secret (sign-ins, trusted browsers, signed-in sessions), an
authenticator's key material, a sealed e-mail (its body may hold a code), an
offline server's credential digest, and a sync entry's body (a copy of the
record it names, which may be an account with its password hash)."""

_SECRET: Final = {"withheld": True}


def secret_fields(record: RecordType[Any, Any]) -> tuple[str, ...]:
    """Return the fields of *record* an export withholds, sorted.

    Those :data:`WITHHELD` names, and those the processing register says
    only the system sees (:class:`~examkit.storage.Personal` with the
    audience ``("system",)``).

    >>> from examkit.records import RECORDS
    from examkit.storage import Personal, RecordType
    >>> secret_fields(next(r for r in RECORDS if r.name == "accounts"))
    ('password', 'password_history')
    """
    seen_by_system = {
        field
        for field, use in record.privacy.items()
        if isinstance(use, Personal) and use.audience == ("system",)
    }
    return tuple(sorted({*WITHHELD.get(record.name, ()), *seen_by_system}))


def _withhold(data: dict[str, Any], secret: tuple[str, ...]) -> dict[str, Any]:
    for field in secret:
        if field in data:
            data[field] = None if data[field] in (None, [], "") else dict(_SECRET)
    return data


_BY_NAME: Final = {record.name: record for record in RECORDS}


def export_document(
    person: PersonRef, exported_at: datetime, found: Mapping[str, Sequence[Any]]
) -> dict[str, Any]:
    """Return the export document of *person* from the records *found* (by record name).

    *found* is what :func:`~examkit.privacy.find_person` returns; the
    document's ``records`` keep its order of record kinds and of records.
    """
    records: dict[str, list[Any]] = {}
    withheld: dict[str, list[str]] = {}
    for name, items in found.items():
        secret = secret_fields(_BY_NAME[name])
        if secret:
            withheld[name] = list(secret)
        records[name] = [_withhold(_plain(unstructure(item)), secret) for item in items]
    return {
        "format": FORMAT,
        "version": VERSION,
        "person": {
            "kind": person.kind,
            "id": person.id,
            "location": person.location,
            "label": person.label,
        },
        "exported_at": exported_at.isoformat(),
        "records": records,
        "withheld": withheld,
        "not_listed": {
            name: links.why for name, links in PERSON_LINKS.items() if isinstance(links, NotListed)
        },
    }


def _plain(value: Any) -> Any:
    """Return *value* as JSON gives it back (tuples as lists, keys as text)."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


@attrs.frozen
class PersonExport:
    """Everything stored about one person, as one document (PRIV-2).

    The document is what :meth:`json` writes (:mod:`examkit.privacy`'s
    export format, version :data:`VERSION`); :meth:`pdf` prints it.
    """

    person: PersonRef
    """Whose data."""
    exported_at: datetime
    """When it was exported (the kit's clock)."""
    document: Mapping[str, Any]
    """The document: ``format``, ``version``, ``person``, ``exported_at``, ``records``,
    ``withheld`` and ``not_listed``."""

    @property
    def records(self) -> Mapping[str, Sequence[Mapping[str, Any]]]:
        """The records that refer to the person, by record name (secrets withheld)."""
        found: Mapping[str, Sequence[Mapping[str, Any]]] = self.document["records"]
        return found

    def json(self) -> str:
        """Return the document as JSON text (UTF-8, keys in a fixed order, indented)."""
        return json.dumps(self.document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"

    def pdf(self) -> bytes:
        """Return the document printed: an A4 PDF in Dutch, a section per record kind."""
        return person_export_pdf(self.document)
