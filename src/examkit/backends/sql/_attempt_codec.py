"""An attempt's stored JSON, written out: the sign-in's and closing's busiest conversion.

Produces and reads exactly what :func:`examkit.converter.unstructure` and
:func:`examkit.converter.structure` do for :class:`~examkit.scheduling.Attempt`
(a property test holds the two equal), without cattrs' per-field dispatch:
an attempt is read and written for every candidate's sign-in and again when
its group closes.

An offline upload (``benchmarks/offline_sync.py``) writes each attempt
again and again with a few more answers, and once more with its fields at
the close: :func:`attempt_text` writes the stored text at once, each
response's part made once per response (:class:`_ResponseTexts`), and says
when reading that text gives back an equal attempt, so that the backend
keeps the attempt written for the next read instead of decoding it.
"""

from __future__ import annotations

import json
import threading
import weakref
from datetime import datetime
from json.encoder import encode_basestring  # what the encoder writes a text with
from typing import Any, Final

from examkit.converter import structure, unstructure
from examkit.scheduling import Attempt, AttemptEvent, AttemptState, SavedResponse

_STATES = {state.value: state for state in AttemptState}
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)
_PLAIN_JSON = (str, int, float, bool, type(None))


def is_plain_json(value: Any) -> bool:
    """Whether *value* is JSON data already (what the converter would return unchanged)."""
    kind = type(value)
    if kind in _PLAIN_JSON:
        return True
    if kind is dict:
        return all(type(k) is str and is_plain_json(v) for k, v in value.items())
    if kind is list:
        return all(is_plain_json(v) for v in value)
    return False


def _json_value(value: Any) -> Any:
    return value if is_plain_json(value) else unstructure(value)


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def response_data(response: SavedResponse) -> dict[str, Any]:
    """Return a saved response as the converter unstructures it."""
    return {
        "saved_at": response.saved_at.isoformat(),
        "sequence": response.sequence,
        "value": _json_value(response.value),
    }


def response_text(response: SavedResponse, saved_at: str) -> str:
    """Return a saved response as the JSON text the SQL backend stores (the save's busiest step).

    The same text as encoding :func:`response_data` (keys sorted, compact,
    not ASCII-escaped: a property test holds them equal), written out
    around the value; *saved_at* is ``response.saved_at.isoformat()``, made
    once by the caller, which stores it as the last contact too.
    """
    sequence = response.sequence
    if type(sequence) is not int:  # what the converter would write for it (a bool: true)
        return _ENCODER.encode(response_data(response))
    value = _ENCODER.encode(_json_value(response.value))
    # an ISO 8601 moment holds digits, "-", ":", "+", "." and "T": nothing JSON escapes
    return f'{{"saved_at":"{saved_at}","sequence":{sequence},"value":{value}}}'


class _Text(weakref.ref):  # type: ignore[type-arg]
    """A weak reference to a saved response, with its stored text (one object per response)."""

    __slots__ = ("key", "plain", "text")

    key: int
    text: str
    plain: bool


class _ResponseTexts:
    """Each live saved response's stored JSON text, made once (by the response's identity).

    An entry goes when its response goes (a weak reference's callback), so
    nothing is kept that nothing else keeps; a saved response is frozen and
    its JSON value is never changed (as the reused attempts assume). Also
    says whether reading the text gives the response back (its value plain
    JSON, its number a whole number).
    """

    __slots__ = ("_lock", "_texts")

    def __init__(self) -> None:
        self._texts: dict[int, _Text] = {}
        self._lock = threading.RLock()  # a callback may come in, by a collection, while held

    def of(self, response: SavedResponse) -> tuple[str, bool]:
        """Return *response*'s stored text and whether it reads back as itself."""
        key = id(response)
        found = self._texts.get(key)
        if found is not None and found() is response:
            return found.text, found.plain
        kept = _Text(response, self._forget)
        kept.key = key
        sequence, value = response.sequence, response.value
        kept.plain = type(sequence) is int and is_plain_json(value)
        if kept.plain:  # response_text's text, its value known to be plain JSON
            saved_at = response.saved_at.isoformat()
            value_text = _ENCODER.encode(value)
            kept.text = f'{{"saved_at":"{saved_at}","sequence":{sequence},"value":{value_text}}}'
        else:
            kept.text = response_text(response, response.saved_at.isoformat())
        with self._lock:
            self._texts[key] = kept
        return kept.text, kept.plain

    def _forget(self, gone: _Text) -> None:
        with self._lock:
            if self._texts.get(gone.key) is gone:
                del self._texts[gone.key]


_RESPONSE_TEXTS: Final = _ResponseTexts()

_BEFORE_RESPONSES: Final = (
    "candidate",
    "deadline",
    "end_reason",
    "ended_at",
    "exam",
    "extra_time_minutes",
    "group",
    "last_contact",
    "last_sequence",
    "late_saves",
    "log",
    "login_name",
    "offline_server",
    "page_epoch",
    "reentry_allowed",
)
"""The keys of :func:`attempt_data` sorted before ``responses`` (the rest come after it)."""


def attempt_text(attempt: Attempt) -> tuple[str, bool]:
    """Return *attempt*'s stored JSON text and whether reading it gives back an equal attempt.

    The text of encoding :func:`attempt_data` (keys sorted, compact, not
    ASCII-escaped: a property test holds them equal), written out: each
    response's part made once (:class:`_ResponseTexts`), the other fields
    encoded around the responses. Reading it gives an attempt equal in
    every value when its fields are of their exact types (not a subclass),
    its items text and its responses' values plain JSON (its times are in
    UTC, its log and responses of their own types: the attempt's converters).
    """
    data = attempt_data(attempt, with_responses=False)
    if not all(type(item) is str for item in attempt.responses):
        return _ENCODER.encode(attempt_data(attempt)), False
    exact = _exact(attempt)
    parts = []
    texts = _RESPONSE_TEXTS
    responses = attempt.responses
    for item in sorted(responses):
        text, plain = texts.of(responses[item])
        exact = exact and plain
        parts.append(f"{encode_basestring(item)}:{text}")
    head = _ENCODER.encode({name: data[name] for name in _BEFORE_RESPONSES})
    tail = _ENCODER.encode({"started_at": data["started_at"], "state": data["state"]})
    return f'{head[:-1]},"responses":{{{",".join(parts)}}},{tail[1:]}', exact


_EXACT: Final = (
    ("group", str),
    ("candidate", str),
    ("exam", str),
    ("login_name", str),
    ("extra_time_minutes", int),
    ("end_reason", str),
    ("reentry_allowed", bool),
    ("last_sequence", int),
    ("late_saves", int),
    ("page_epoch", int),
)


def _exact(attempt: Attempt) -> bool:
    """Whether *attempt*'s fields but its responses are of their exact types."""
    if not all(type(getattr(attempt, name)) is kind for name, kind in _EXACT):
        return False
    if attempt.offline_server is not None and type(attempt.offline_server) is not str:
        return False
    return type(attempt.state) is AttemptState and all(
        type(e.event) is str and type(e.reason) is str and (e.actor is None or type(e.actor) is str)
        for e in attempt.log
    )


def attempt_data(attempt: Attempt, *, with_responses: bool = True) -> dict[str, Any]:
    """Return *attempt* without its version, as the converter unstructures it.

    Without its responses when not *with_responses*.
    """
    data: dict[str, Any] = {
        "candidate": attempt.candidate,
        "deadline": _time(attempt.deadline),
        "end_reason": attempt.end_reason,
        "ended_at": _time(attempt.ended_at),
        "exam": attempt.exam,
        "extra_time_minutes": attempt.extra_time_minutes,
        "group": attempt.group,
        "last_contact": _time(attempt.last_contact),
        "last_sequence": attempt.last_sequence,
        "late_saves": attempt.late_saves,
        "log": [
            {"actor": e.actor, "at": e.at.isoformat(), "event": e.event, "reason": e.reason}
            for e in attempt.log
        ],
        "login_name": attempt.login_name,
        "offline_server": attempt.offline_server,
        "page_epoch": attempt.page_epoch,
        "reentry_allowed": attempt.reentry_allowed,
        "started_at": _time(attempt.started_at),
        "state": attempt.state.value,
    }
    if with_responses:
        data["responses"] = {item: response_data(r) for item, r in attempt.responses.items()}
    return data


def _moment(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def attempt_from_data(data: dict[str, Any], version: int) -> Attempt:
    """Return the attempt stored as *data* at *version*.

    Stored data of another shape than :func:`attempt_data` writes (written
    by hand, or by an older examkit) goes through the converter, with its
    checks. The fields added later (late saves, last contact, page epoch)
    take their defaults when absent.
    """
    try:
        return Attempt(
            group=data["group"],
            candidate=data["candidate"],
            exam=data["exam"],
            login_name=data["login_name"],
            extra_time_minutes=data["extra_time_minutes"],
            state=_STATES[data["state"]],
            started_at=_moment(data["started_at"]),
            deadline=_moment(data["deadline"]),
            ended_at=_moment(data["ended_at"]),
            end_reason=data["end_reason"],
            reentry_allowed=data["reentry_allowed"],
            offline_server=data["offline_server"],
            last_sequence=data["last_sequence"],
            responses={
                item: SavedResponse(
                    value=r["value"],
                    sequence=r["sequence"],
                    saved_at=datetime.fromisoformat(r["saved_at"]),
                )
                for item, r in data["responses"].items()
            },
            log=[
                AttemptEvent(
                    event=e["event"],
                    at=datetime.fromisoformat(e["at"]),
                    actor=e["actor"],
                    reason=e["reason"],
                )
                for e in data["log"]
            ],
            late_saves=data.get("late_saves", 0),
            last_contact=_moment(data.get("last_contact")),
            page_epoch=data.get("page_epoch", 0),
            version=version,
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        return structure({**data, "version": version}, Attempt)
