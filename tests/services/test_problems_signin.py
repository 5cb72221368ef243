# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Over HTTP the sign-in tells no one whether an account exists: same status, same body."""

from __future__ import annotations

import pytest

from examkit.errors import ExamkitError
from examkit.problems import problem_response_parts
from examkit.testing import SignInHarness as Harness

LOGIN = Harness.LOGIN_NAME
UNKNOWN = "22AB.Onbekend"
IP = Harness.IP
WRONG = "Fout-2026!"


def response(harness: Harness, name: str) -> tuple[int, dict[str, str], bytes]:
    """Return the HTTP response parts of a refused sign-in of *name* with a wrong password."""
    with pytest.raises(ExamkitError) as refused:
        harness.staff_sign_in.submit_credentials(name, WRONG, ip=IP)
    return problem_response_parts(refused.value, "nl", "/aanmelden")


@pytest.mark.req("WEB-2")
def test_an_unknown_name_and_a_wrong_password_get_the_same_response(
    any_harness: Harness,
) -> None:
    """403 for both, never a 404; after three failures 429 for both, with the same body."""
    any_harness.add_account()
    for attempt in range(3):
        known, unknown = response(any_harness, LOGIN), response(any_harness, UNKNOWN)
        assert known == unknown, attempt
        assert 403 == known[0]
        assert b"auth.credentials.invalid" in known[2]
    known, unknown = response(any_harness, LOGIN), response(any_harness, UNKNOWN)
    assert known == unknown
    assert 429 == known[0]
    assert b"auth.sign_in.blocked" in known[2]
