"""Examkit's errors over HTTP: a status and an RFC 9457 problem-details document.

A portal on any web framework turns an error examkit raised into a response
with one call: :func:`problem_response_parts` gives the status, the headers
and the body, :func:`http_status` and :func:`problem_details` the parts.
Nothing here imports a web framework or reads anything but the error.

The status comes from one table, :data:`HTTP_STATUS`: the most specific
class of the error's method resolution order that has a row wins, so a
subclass without a row of its own takes its parent's status (examkit's tests
demand a row for every subclass examkit declares). An exception that is not
an :class:`~examkit.errors.ExamkitError` (a bug, a driver error that was not
translated) becomes a 500 whose body says only that something went wrong:
none of its text reaches the client.

The document (media type ``application/problem+json``) has the members
``type`` (``urn:examkit:error:`` and the error's code, or a base URL of the
portal's), ``title`` (the error's kind), ``status``, ``detail`` (the error's
own message), ``instance`` when the caller gives one, and the extension
members ``code``, ``field`` and ``line`` where the error has them; an
:class:`~examkit.errors.ExamkitErrorGroup` adds ``errors``, one entry per
problem with its ``code``, ``detail``, and ``field`` and ``line`` where known.
Nothing else of the error is shown: its parameters appear only as far as its
message shows them.

>>> from examkit.errors import InvalidInput
>>> error = InvalidInput("input.required", field="name")
>>> http_status(error)
422
>>> problem_details(error, "en")  # doctest: +NORMALIZE_WHITESPACE
{'type': 'urn:examkit:error:input.required', 'title': 'Invalid input', 'status': 422,
 'detail': 'This field is required.', 'code': 'input.required', 'field': 'name'}
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import format_datetime
from types import MappingProxyType
from typing import Final, TypeVar

from examkit.correction import ItemMoveNotAllowed
from examkit.edexml import EdexmlProblem, EdexmlRefused
from examkit.errors import (
    AlreadyExists,
    ConcurrentModification,
    ConfigurationError,
    ExamkitError,
    ExamkitErrorGroup,
    InvalidInput,
    InvalidState,
    LimitReached,
    NotFound,
    NotPermitted,
    ServiceUnavailable,
    StorageError,
)
from examkit.messages import DEFAULT_LANG, Lang, text
from examkit.scheduling import TransitionNotAllowed

__all__ = [
    "DEFAULT_TYPE_BASE",
    "HTTP_STATUS",
    "INTERNAL_CODE",
    "PROBLEM_MEDIA_TYPE",
    "TITLES",
    "http_status",
    "problem_details",
    "problem_response_parts",
]

PROBLEM_MEDIA_TYPE: Final = "application/problem+json"
"""The media type of a problem-details document (RFC 9457, section 3)."""

DEFAULT_TYPE_BASE: Final = "urn:examkit:error:"
"""The prefix of a problem's ``type``: the error's code is appended to it.

A URN names the problem type without promising a page to read. A portal that
publishes a page per code passes its own base, ``https://portal.example/errors/``.
"""

INTERNAL_CODE: Final = "problem.internal"
"""The code shown for an exception that is not examkit's: its own text is never shown."""

_INTERNAL_STATUS: Final = 500

_Value = TypeVar("_Value")

HTTP_STATUS: Final[Mapping[type[ExamkitError], int]] = MappingProxyType(
    {
        # Anything examkit did not classify is examkit's fault, not the client's.
        ExamkitError: 500,
        # The request arrived whole (the framework parsed it) and its content breaks a
        # rule: 422 Unprocessable Content (RFC 9110, 15.5.21). 400 is left to the
        # framework, for a request it cannot parse at all.
        InvalidInput: 422,
        ExamkitErrorGroup: 422,
        EdexmlProblem: 422,
        EdexmlRefused: 422,
        NotFound: 404,
        # The sign-in refuses an unknown name and a wrong password alike, with
        # NotPermitted("auth.credentials.invalid"): 403 for both, never a 404 that would
        # tell that an account exists. 401 would demand a WWW-Authenticate challenge
        # (RFC 9110, 15.5.2) that a sign-in form does not have.
        NotPermitted: 403,
        AlreadyExists: 409,
        InvalidState: 409,
        TransitionNotAllowed: 409,
        ItemMoveNotAllowed: 409,
        ConcurrentModification: 409,
        # A lockout counts a login name whether or not an account has it: 429 for both.
        LimitReached: 429,
        ConfigurationError: 500,
        # The backend was busy or failed and the unit was rolled back: try again later.
        StorageError: 503,
        # The mail server (an outside service) could not be reached: nothing lost, try later.
        ServiceUnavailable: 503,
    }
)
"""The HTTP status of each error class; the most specific class with a row wins."""

TITLES: Final[Mapping[type[ExamkitError], str]] = MappingProxyType(
    {
        ExamkitError: "problem.title.internal",
        InvalidInput: "problem.title.invalid_input",
        NotFound: "problem.title.not_found",
        AlreadyExists: "problem.title.already_exists",
        NotPermitted: "problem.title.not_permitted",
        InvalidState: "problem.title.invalid_state",
        LimitReached: "problem.title.limit_reached",
        ConcurrentModification: "problem.title.concurrent_modification",
        ConfigurationError: "problem.title.configuration",
        StorageError: "problem.title.storage",
        ServiceUnavailable: "problem.title.service",
    }
)
"""The catalogue code of the ``title`` of each kind of error (the classes of :mod:`examkit.errors`).

A subclass takes the title of its nearest class with a row: an EDEXML problem
is "Invalid input".
"""


def _nearest(table: Mapping[type[ExamkitError], _Value], error: ExamkitError) -> _Value:
    """Return the value of the most specific class of *error*'s MRO that *table* has."""
    for cls in type(error).__mro__:
        if cls in table:
            return table[cls]
    raise AssertionError("ExamkitError has a row in every table")  # pragma: no cover


def http_status(error: BaseException) -> int:
    """Return the HTTP status for *error*: its row of :data:`HTTP_STATUS`, 500 if not examkit's.

    >>> from examkit.errors import NotFound, NotPermitted
    >>> http_status(NotFound()), http_status(NotPermitted()), http_status(KeyError("x"))
    (404, 403, 500)
    """
    if isinstance(error, ExamkitError):
        return _nearest(HTTP_STATUS, error)
    return _INTERNAL_STATUS


def _where(error: ExamkitError) -> dict[str, object]:
    """Return the ``code`` of *error*, and its ``field`` and ``line`` where known."""
    members: dict[str, object] = {"code": error.code}
    if error.field is not None:
        members["field"] = error.field
    if error.line is not None:
        members["line"] = error.line
    return members


def problem_details(
    error: BaseException,
    lang: Lang = DEFAULT_LANG,
    *,
    instance: str | None = None,
    type_base: str = DEFAULT_TYPE_BASE,
) -> dict[str, object]:
    """Return *error* as an RFC 9457 problem-details document, a dict ready for JSON.

    Args:
        error: The error to describe. An exception that is not an
            :class:`~examkit.errors.ExamkitError` is described as an internal
            error (:data:`INTERNAL_CODE`, status 500), without its text.
        lang: The language of ``title`` and ``detail`` (Dutch by default).
        instance: A URI naming this occurrence (the request's path), if any.
        type_base: The prefix the code is appended to for ``type``.

    Returns:
        The members ``type``, ``title``, ``status``, ``detail``, ``instance``
        (when given), ``code``, ``field`` and ``line`` (when the error has
        them), and for an :class:`~examkit.errors.ExamkitErrorGroup` ``errors``
        (one ``code``, ``detail``, ``field``, ``line`` per problem).

    >>> from examkit.errors import ExamkitErrorGroup, InvalidInput
    >>> group = ExamkitErrorGroup([InvalidInput("input.required", field="name", line=2)])
    >>> problem_details(group, "nl", instance="/import")["errors"]
    [{'code': 'input.required', 'detail': 'Dit veld is verplicht.', 'field': 'name', 'line': 2}]
    """
    if not isinstance(error, ExamkitError):
        return {
            "type": f"{type_base}{INTERNAL_CODE}",
            "title": text("problem.title.internal", lang),
            "status": _INTERNAL_STATUS,
            "detail": text(INTERNAL_CODE, lang),
            **({} if instance is None else {"instance": instance}),
            "code": INTERNAL_CODE,
        }
    document: dict[str, object] = {
        "type": f"{type_base}{error.code}",
        "title": text(_nearest(TITLES, error), lang),
        "status": http_status(error),
        "detail": error.message(lang),
    }
    if instance is not None:
        document["instance"] = instance
    document.update(_where(error))
    if isinstance(error, ExamkitErrorGroup):
        document["errors"] = [
            {"code": problem.code, "detail": problem.message(lang), **_where(problem)}
            for problem in error.problems
        ]
    return document


def problem_response_parts(
    error: BaseException,
    lang: Lang = DEFAULT_LANG,
    instance: str | None = None,
    *,
    type_base: str = DEFAULT_TYPE_BASE,
) -> tuple[int, dict[str, str], bytes]:
    """Return the status, headers and body of the HTTP response that reports *error*.

    The headers are ``Content-Type: application/problem+json`` and
    ``Content-Language``, and for a limit that says until when (a blocked
    sign-in, a code asked too often) ``Retry-After`` as that moment's HTTP
    date (RFC 9110 §10.2.3: no clock is read); the body is the
    :func:`problem_details` document as JSON, encoded UTF-8. In Starlette,
    for example::

        status, headers, body = problem_response_parts(error, lang, str(request.url.path))
        return Response(body, status_code=status, headers=headers)

    >>> from examkit.errors import LimitReached
    >>> status, headers, body = problem_response_parts(LimitReached(), "en")
    >>> status, headers["Content-Type"], headers["Content-Language"]
    (429, 'application/problem+json', 'en')
    >>> body[:40]
    b'{"type":"urn:examkit:error:storage.limit'
    >>> from datetime import datetime, timezone
    >>> until = datetime(2026, 9, 1, 8, 15, tzinfo=timezone.utc)
    >>> problem_response_parts(LimitReached("auth.sign_in.blocked", attempts=3, time="",
    ...                                     until=until))[1]["Retry-After"]
    'Tue, 01 Sep 2026 08:15:00 GMT'
    """
    document = problem_details(error, lang, instance=instance, type_base=type_base)
    body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    headers = {"Content-Type": PROBLEM_MEDIA_TYPE, "Content-Language": lang}
    until = error.params.get("until") if isinstance(error, LimitReached) else None
    if isinstance(until, datetime) and until.tzinfo is not None:
        headers["Retry-After"] = format_datetime(until.astimezone(UTC), usegmt=True)
    return http_status(error), headers, body
