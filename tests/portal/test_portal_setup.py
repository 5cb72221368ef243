# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The portal's first run: ``python -m portal setup`` makes the desk's first account (issue 22)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from examkit.accounts import LoginName
from examkit.backends.sql import SQLBackend
from portal.__main__ import main


@pytest.mark.req("WEB-1", "ROLE-1")
def test_setup_makes_the_first_operator_and_says_how_it_signs_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'portal.db'}"
    monkeypatch.setenv("EXAMKIT_PORTAL_TOKEN_KEY", "ab" * 32)
    monkeypatch.setenv("EXAMKIT_PORTAL_DATABASE", url)
    monkeypatch.setenv("EXAMKIT_PORTAL_BASE_URL", "https://portal.school.nl")
    monkeypatch.delenv("EXAMKIT_PORTAL_SMTP_HOST", raising=False)
    args = [
        "setup",
        "--login-name",
        "examkit.servicedesk",
        "--first-name",
        "Sam",
        "--last-name",
        "Desk",
        "--email",
        "desk@school.nl",
    ]
    assert 0 == main(args)
    out = capsys.readouterr().out
    assert "examkit.servicedesk" in out
    assert "https://portal.school.nl/sign-in" in out
    assert re.search(r"Wachtwoord: \S+", out)  # the terminal mailer printed the e-mail
    backend = SQLBackend(url)
    with backend.begin(readonly=True) as uow:
        operator = uow.accounts.get_by_login_name(LoginName("examkit.servicedesk"))
        assert uow.authorizations.get(operator.id).active("examkit.operator")
    backend.close()
    assert 2 == main(args)
    assert "operator" in capsys.readouterr().err.lower()


def test_a_missing_token_key_is_a_clear_error_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("EXAMKIT_PORTAL_TOKEN_KEY", raising=False)
    assert 2 == main(
        ["setup", "--login-name", "a", "--first-name", "b", "--last-name", "c", "--email", "d@e.nl"]
    )
    err = capsys.readouterr().err
    assert err.startswith("portal: ")
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("variable", "value", "said"),
    [
        ("EXAMKIT_PORTAL_SMTP_PORT", "smtp", "'smtp' is not a mail server port number."),
        ("EXAMKIT_PORTAL_SMTP_SECURITY", "ssl3", "'ssl3' is not a mail connection security"),
    ],
)
def test_an_unusable_mail_server_setting_is_a_clear_error_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    variable: str,
    value: str,
    said: str,
) -> None:
    monkeypatch.setenv("EXAMKIT_PORTAL_TOKEN_KEY", "ab" * 32)
    monkeypatch.setenv("EXAMKIT_PORTAL_SMTP_HOST", "smtp.school.nl")
    monkeypatch.setenv(variable, value)
    assert 2 == main(
        ["setup", "--login-name", "a", "--first-name", "b", "--last-name", "c", "--email", "d@e.nl"]
    )
    err = capsys.readouterr().err
    assert err.startswith(f"portal: {said}")
    assert "Traceback" not in err
