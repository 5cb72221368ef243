"""What the central system and an offline server agree on: kinds, keys, digests, paths.

The protocol ``examkit-offline/1`` (the "Offline servers" page of the docs)
moves entries of two streams over HTTP, JSON both ways:

``POST /v1/up``
    The offline server sends the next entries of its ``up`` stream (in
    order, from the first the central system has not applied) with its
    clock and its backlog; the central system applies each entry together
    with the server's high-water mark and an inbox record, in the same
    transaction as its effect, and answers with its high-water mark, its
    clock and the conflicts found.
``POST /v1/down``
    The offline server says the highest down number it applied (and its
    clock); the central system answers with the next entries of the
    server's ``down:<server>`` stream and its clock.
``GET /v1/packages/<digest>``
    An exam package's content; a ``Range: bytes=<from>-`` header resumes
    an interrupted fetch. The server verifies the whole by its digest
    before it uses it.

Every request carries the server's credential (``Authorization: Bearer``)
and the ``Examkit-Protocol`` header. Entries are set on natural keys
(:data:`UP_KINDS`, :data:`DOWN_KINDS`) with a revision: applying an entry
whose revision is not above the applied one changes nothing, so a repeated,
reordered or duplicated delivery changes nothing the second time. No entry
increments anything.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from json.encoder import encode_basestring  # what the encoder writes a text with
from typing import Any, Final

PROTOCOL: Final = "examkit-offline/1"
"""The protocol's name and version, sent as the ``Examkit-Protocol`` header both ways."""

UP_PATH: Final = "/v1/up"
"""Where the offline server sends its up entries (``POST``)."""

DOWN_PATH: Final = "/v1/down"
"""Where the offline server fetches its down entries (``POST``)."""

PACKAGES_PATH: Final = "/v1/packages/"
"""Where exam packages are fetched (``GET``, followed by the digest)."""

UP_STREAM: Final = "up"
"""The offline server's outbox stream."""

MAX_BATCH: Final = 500
"""The most entries one request carries, either way."""

CHUNK_SIZE: Final = 256 * 1024
"""The bytes per stored package chunk."""

UP_KINDS: Final[Mapping[str, str]] = {
    "attempt": "<group>:<candidate>: an attempt's state, times, extra time, log and late "
    "saves (its responses travel as answers); revision: the attempt's version offline",
    "answer": "<group>:<candidate>:<item>: the last response to one item; revision: the "
    "save's sequence number",
    "group": "<group>: what happened to a group in the room (state, log, access code, "
    "session report); revision: the group's version offline",
}
"""The kinds of up entries (what the offline server owns), with their natural keys."""

DOWN_KINDS: Final[Mapping[str, str]] = {
    "institutions": "an institution (the group's location), by code",
    "accounts": "an account that acts in the room (the proctor), by id",
    "authorizations": "that account's grants, by account id",
    "exams": "a test definition, by code",
    "exam_packages": "an exam package's description (the content is fetched by digest)",
    "candidates": "a candidate of a group held by the server, by id",
    "session_groups": "a group handed to the server, by id",
    "test_attempts": "a planned attempt of such a group, by <group>:<candidate>",
    "erasure": "a candidate erased centrally (PRIV-3), by id: the pseudonym, whether the exam "
    "work stays; revision: 1 the work kept, 2 erased",
    "account_erasure": "an account erased centrally (PRIV-3), by id: the pseudonym; revision 1",
}
"""The kinds of down entries (central master data): the stored record's name; the body is
the record as :func:`examkit.converter.unstructure` gives it (``None``: removed), the
revision its central version. ``erasure`` and ``account_erasure`` set no record: they erase a
candidate or an account from what the offline server holds of them
(:class:`~examkit.offline.CandidateErasure`, :class:`~examkit.offline.AccountErasure`)."""

CRASH_POINTS: Final = (
    "offline.outbox.before_commit",
    "offline.up.after_reply",
    "offline.down.after_reply",
    "offline.down.before_commit",
    "offline.package.after_chunk",
    "central.up.before_commit",
    "central.up.after_commit",
    "central.down.after_read",
    "central.handover.before_commit",
)
"""The named points where a test crashes a peer (a ``CrashHook``): after each, the
state on disk must be one the next sync heals."""

CrashHook = Callable[[str], None]
"""Called at each crash point with its name; a test's hook raises there (production: none)."""


def canonical_json(value: object) -> bytes:
    """Return *value* as canonical JSON: sorted keys, no spaces, UTF-8.

    >>> canonical_json({"b": 1, "a": [True, None]})
    b'{"a":[true,null],"b":1}'
    """
    return _CANONICAL.encode(value).encode("utf-8")


_CANONICAL: Final = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
)
"""The canonical encoder, made once (every entry's digest uses it)."""


def entry_digest(kind: str, key: str, revision: int, body: Any) -> str:
    """Return the SHA-256 (hex) of an entry's canonical JSON: what it sets, not its number.

    >>> entry_digest("answer", "g-1:c-1:q1", 3, {"value": {"chosen": ["A"]}})[:12]
    '76144c67e3b4'

    Implements SCH-8.
    """
    if type(kind) is str and type(key) is str and type(revision) is int:
        # canonical_json of {"kind", "key", "revision", "body"}, written out in its key order
        text = (
            f'{{"body":{_CANONICAL.encode(body)},"key":{encode_basestring(key)},'
            f'"kind":{encode_basestring(kind)},"revision":{revision}}}'
        )
        return hashlib.sha256(text.encode("utf-8")).hexdigest()
    content = {"kind": kind, "key": key, "revision": revision, "body": body}
    return hashlib.sha256(canonical_json(content)).hexdigest()


def down_stream(server: str) -> str:
    """Return the name of *server*'s down stream.

    >>> down_stream("fao-1")
    'down:fao-1'
    """
    return f"down:{server}"
