"""An attempt's stored JSON, written out: the sign-in's and closing's busiest conversion.

Produces and reads exactly what :func:`examkit.converter.unstructure` and
:func:`examkit.converter.structure` do for :class:`~examkit.scheduling.Attempt`
(a property test holds the two equal), without cattrs' per-field dispatch:
an attempt is read and written for every candidate's sign-in and again when
its group closes.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

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


def attempt_data(attempt: Attempt) -> dict[str, Any]:
    """Return *attempt* without its version, as the converter unstructures it."""
    return {
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
        "responses": {item: response_data(r) for item, r in attempt.responses.items()},
        "started_at": _time(attempt.started_at),
        "state": attempt.state.value,
    }


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
