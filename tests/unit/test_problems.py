# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Examkit's errors over HTTP: the status table, the problem-details documents, the parts."""

from __future__ import annotations

import importlib
import json
import pkgutil
from collections.abc import Callable, Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

import examkit
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
from examkit.messages import CATALOGUE, Lang, placeholders
from examkit.problems import (
    DEFAULT_TYPE_BASE,
    HTTP_STATUS,
    INTERNAL_CODE,
    PROBLEM_MEDIA_TYPE,
    http_status,
    problem_details,
    problem_response_parts,
)
from examkit.scheduling import TransitionNotAllowed

# Written out here, not read from HTTP_STATUS: the status each error class must get,
# with one example of the class.
EXPECTED_STATUS: list[tuple[ExamkitError, int]] = [
    (ExamkitError("input.invalid"), 500),
    (InvalidInput("input.required", field="name"), 422),
    (ExamkitErrorGroup([InvalidInput("input.required")]), 422),
    (EdexmlProblem("edexml.problem", line=3), 422),
    (EdexmlRefused(), 422),
    (NotFound(kind="account", key="acc-9"), 404),
    (AlreadyExists(kind="account", key="acc-1"), 409),
    (NotPermitted("auth.credentials.invalid"), 403),
    (InvalidState(), 409),
    (TransitionNotAllowed(event="release", state="closed"), 409),
    (ItemMoveNotAllowed(event="agree", state="open", item="q1"), 409),
    (LimitReached(), 429),
    (ConcurrentModification(kind="account", key="acc-1"), 409),
    (ConfigurationError("config.token_key.too_short"), 500),
    (StorageError("storage.busy"), 503),
    (ServiceUnavailable("mail.unavailable", host="smtp.school.nl", reason="OSError"), 503),
]

# The members a document may have, as docs/errors.md lists them.
DOCUMENT_MEMBERS = {"type", "title", "status", "detail", "instance", "code", "field", "line"}
GROUP_ENTRY_MEMBERS = {"code", "detail", "field", "line"}


def every_examkit_module() -> None:
    """Import every module of examkit, so that every error class is declared."""
    for module in pkgutil.walk_packages(examkit.__path__, "examkit."):
        if module.name.endswith("__main__"):
            continue
        try:
            importlib.import_module(module.name)
        except ModuleNotFoundError as missing:  # an extra that is not installed (oidc)
            if (missing.name or "examkit").startswith("examkit"):
                raise


def subclasses(cls: type[ExamkitError]) -> Iterator[type[ExamkitError]]:
    """Yield every subclass of *cls*, at any depth."""
    for subclass in cls.__subclasses__():
        yield subclass
        yield from subclasses(subclass)


@pytest.mark.req("WEB-2")
@pytest.mark.parametrize(
    ("error", "status"), EXPECTED_STATUS, ids=[type(error).__name__ for error, _ in EXPECTED_STATUS]
)
def test_every_error_class_has_its_status(error: ExamkitError, status: int) -> None:
    assert status == http_status(error)
    assert status == problem_details(error)["status"]
    assert status == problem_response_parts(error, "en")[0]


@pytest.mark.req("WEB-2")
def test_every_examkit_error_class_has_a_row_of_its_own() -> None:
    """A new error class fails here until the table (and this test's list) says its status."""
    every_examkit_module()
    declared = {ExamkitError, *subclasses(ExamkitError)}
    declared = {cls for cls in declared if cls.__module__.startswith("examkit.")}
    assert set() == declared - set(HTTP_STATUS)
    assert set(HTTP_STATUS) == declared
    assert {type(error) for error, _ in EXPECTED_STATUS} == declared


@pytest.mark.req("WEB-2")
def test_a_subclass_without_a_row_takes_its_nearest_parents_status() -> None:
    class PortalLookupFailed(NotFound):
        pass

    class PortalGroup(ExamkitErrorGroup):
        pass

    assert 404 == http_status(PortalLookupFailed())
    assert 422 == http_status(PortalGroup([InvalidInput()]))


@pytest.mark.req("WEB-2")
def test_a_dutch_body() -> None:
    error = InvalidInput("org.brin.invalid", field="brin", value="2AB")
    assert {
        "type": "urn:examkit:error:org.brin.invalid",
        "title": "Ongeldige invoer",
        "status": 422,
        "detail": "'2AB' is geen BRIN-code: een BRIN-code bestaat uit 2 cijfers en 2 letters "
        "(22AB).",
        "code": "org.brin.invalid",
        "field": "brin",
    } == problem_details(error, "nl")
    assert problem_details(error) == problem_details(error, "nl")


@pytest.mark.req("WEB-2")
def test_an_english_body_with_instance_line_and_a_portals_type_base() -> None:
    error = InvalidInput("input.required", field="name", line=7)
    assert {
        "type": "https://portal.example/errors/input.required",
        "title": "Invalid input",
        "status": 422,
        "detail": "This field is required.",
        "instance": "/import/42",
        "code": "input.required",
        "field": "name",
        "line": 7,
    } == problem_details(
        error, "en", instance="/import/42", type_base="https://portal.example/errors/"
    )


@pytest.mark.req("WEB-2")
def test_the_titles_name_the_kind_in_both_languages() -> None:
    assert ("Niet gevonden", "Not found") == (
        problem_details(NotFound(kind="x", key="y"), "nl")["title"],
        problem_details(NotFound(kind="x", key="y"), "en")["title"],
    )
    assert "Too many attempts" == problem_details(LimitReached(), "en")["title"]
    assert "Niet toegestaan" == problem_details(NotPermitted(), "nl")["title"]
    assert (
        "Not possible in this state"
        == problem_details(TransitionNotAllowed(event="release", state="closed"), "en")["title"]
    )
    assert "Invalid input" == problem_details(EdexmlRefused(), "en")["title"]


@pytest.mark.req("WEB-2")
def test_a_group_lists_each_problem_with_its_location() -> None:
    group = ExamkitErrorGroup(
        [
            InvalidInput("input.required", field="name"),
            EdexmlProblem("input.too_long", line=12, maximum=40),
            ExamkitErrorGroup([InvalidInput("input.required", field="town", line=3)]),
        ]
    )
    document = problem_details(group, "en", instance="/applications")
    assert {
        "type": "urn:examkit:error:input.problems",
        "title": "Invalid input",
        "status": 422,
        "detail": "The input has 3 problem(s).",
        "instance": "/applications",
        "code": "input.problems",
        "errors": [
            {"code": "input.required", "detail": "This field is required.", "field": "name"},
            {
                "code": "input.too_long",
                "detail": "The input is too long: at most 40 characters.",
                "line": 12,
            },
            {
                "code": "input.required",
                "detail": "This field is required.",
                "field": "town",
                "line": 3,
            },
        ],
    } == document
    dutch = problem_details(group, "nl")
    assert "De invoer bevat 3 probleem/problemen." == dutch["detail"]
    assert ["Dit veld is verplicht."] * 2 == [
        entry["detail"]
        for entry in dutch["errors"]  # type: ignore[attr-defined]
        if entry["code"] == "input.required"
    ]


@pytest.mark.req("WEB-2")
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_an_exception_not_examkits_is_a_500_that_shows_none_of_its_text(lang: Lang) -> None:
    secret = "password=hunter2 at db.internal:5432"
    for error in (RuntimeError(secret), KeyError(secret), ExceptionGroup(secret, [OSError()])):
        status, headers, body = problem_response_parts(error, lang, "/x")
        assert 500 == status == http_status(error)
        assert PROBLEM_MEDIA_TYPE == headers["Content-Type"]
        assert secret.encode() not in body
        assert b"hunter2" not in body
        assert b"Error" not in body.replace(b"Internal error", b"")
        document = json.loads(body)
        assert {
            "type": f"urn:examkit:error:{INTERNAL_CODE}",
            "title": {"nl": "Interne fout", "en": "Internal error"}[lang],
            "status": 500,
            "detail": CATALOGUE[INTERNAL_CODE].in_lang(lang),
            "instance": "/x",
            "code": INTERNAL_CODE,
        } == document


@pytest.mark.req("WEB-2")
def test_nothing_but_the_message_shows_of_the_params() -> None:
    """A parameter the message does not show (a datetime, an account id) stays out."""
    error = NotPermitted("auth.credentials.invalid", account="acc-secret-7", until="2026-09-01")
    _, _, body = problem_response_parts(error, "en", "/sign-in")
    assert b"acc-secret-7" not in body
    assert b"2026-09-01" not in body
    assert b"Traceback" not in body


@pytest.mark.req("WEB-2")
@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize(
    ("error", "status"), EXPECTED_STATUS, ids=[type(error).__name__ for error, _ in EXPECTED_STATUS]
)
def test_the_parts_are_valid_json_with_exactly_the_documented_members(
    error: ExamkitError, status: int, lang: Lang
) -> None:
    code, headers, body = problem_response_parts(error, lang, "/here")
    assert status == code
    assert {"Content-Type": "application/problem+json", "Content-Language": lang} == headers
    document = json.loads(body.decode("utf-8"))
    assert document == problem_details(error, lang, instance="/here")
    expected = {"type", "title", "status", "detail", "instance", "code"}
    expected |= {"field"} if error.field is not None else set()
    expected |= {"line"} if error.line is not None else set()
    expected |= {"errors"} if isinstance(error, ExamkitErrorGroup) else set()
    assert expected == set(document)
    assert set(document) - {"errors"} <= DOCUMENT_MEMBERS
    for entry in document.get("errors", []):
        assert {"code", "detail"} <= set(entry) <= GROUP_ENTRY_MEMBERS
    assert document["type"].startswith(DEFAULT_TYPE_BASE)
    assert document["type"] == DEFAULT_TYPE_BASE + document["code"]
    assert document["detail"] == error.message(lang)


@pytest.mark.req("WEB-2")
def test_the_body_is_utf8_not_escaped() -> None:
    error = InvalidInput("input.text.character", character="é")
    _, _, body = problem_response_parts(error, "nl")
    assert "é".encode() in body
    assert b"\\u" not in body


CODES = sorted(CATALOGUE)


@pytest.mark.req("WEB-2")
@given(
    code=st.sampled_from(CODES),
    lang=st.sampled_from(["nl", "en"]),
    kind=st.sampled_from([InvalidInput, NotFound, NotPermitted, InvalidState, LimitReached]),
    value=st.text(min_size=1, max_size=20),
)
def test_every_catalogue_code_yields_its_catalogue_text_as_detail(
    code: str, lang: Lang, kind: type[ExamkitError], value: str
) -> None:
    template = CATALOGUE[code].in_lang(lang)
    params: dict[str, object] = dict.fromkeys(placeholders(template), value)
    make: Callable[..., ExamkitError] = kind  # the placeholders are keyword arguments
    document = json.loads(problem_response_parts(make(code, **params), lang)[2])
    assert template.format_map(params) == document["detail"]
    assert code == document["code"]
    assert f"urn:examkit:error:{code}" == document["type"]


@pytest.mark.req("WEB-2", "AUTH-6")
def test_a_limit_that_says_until_when_answers_with_retry_after() -> None:
    """The HTTP date of the limit's end (RFC 9110); none where the limit names no end."""
    from datetime import datetime, timedelta, timezone

    from examkit.problems import problem_response_parts

    amsterdam = timezone(timedelta(hours=2))
    until = datetime(2026, 9, 1, 10, 15, 30, tzinfo=amsterdam)
    blocked = LimitReached("auth.sign_in.blocked", attempts=3, time="01-09-2026 10:15", until=until)
    _, headers, body = problem_response_parts(blocked, "nl")
    assert "Tue, 01 Sep 2026 08:15:30 GMT" == headers["Retry-After"]
    assert b"until" not in body
    _, plain, _ = problem_response_parts(LimitReached("auth.code.too_many"), "nl")
    assert "Retry-After" not in plain
