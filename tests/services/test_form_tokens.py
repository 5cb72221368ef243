# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""One-time form tokens (issue 22, point 3; WEB-2): a form's second submission changes nothing.

On the doubles and the production wiring (memory, an SQLite file).
"""

from __future__ import annotations

import pytest

from examkit import Examkit, Settings
from examkit.errors import InvalidInput, InvalidState
from examkit.testing import ManualClock, RecordingMailer, SequenceSecretSource, Wiring
from examkit.websessions import FORM


@pytest.fixture
def kit(wiring: Wiring) -> Examkit:
    return Examkit(
        backend=wiring.backend,
        mailer=RecordingMailer(),
        settings=Settings(token_key=b"k" * 32, base_url="https://portal.example.nl"),
        clock=ManualClock.at("2026-09-01T08:00:00+00:00"),
        secrets=SequenceSecretSource("forms"),
        audit=wiring.log,
    )


def refused(kit: Examkit, form: str, token: str) -> str:
    with pytest.raises(InvalidState) as caught:
        kit.form_tokens.take(form, token)
    return caught.value.code


@pytest.mark.req("WEB-2")
def test_a_token_works_once_for_its_own_form_within_two_hours(kit: Examkit) -> None:
    clock = kit.clock
    assert isinstance(clock, ManualClock)
    first, second, late = (kit.form_tokens.issue("sign-in") for _ in range(3))
    assert len({first, second, late}) == 3
    kit.form_tokens.take("sign-in", first)
    assert "websessions.form.used" == refused(kit, "sign-in", first)
    assert "websessions.form.used" == refused(kit, "sign-out", second)  # another form's
    kit.form_tokens.take("sign-in", second)
    clock.advance(hours=2)
    assert "websessions.form.used" == refused(kit, "sign-in", late)
    assert "websessions.form.used" == refused(kit, "sign-in", "made-up")


@pytest.mark.req("WEB-2")
def test_only_a_keyed_digest_is_stored(kit: Examkit) -> None:
    token = kit.form_tokens.issue("sign-in")
    with kit.backend.begin(readonly=True) as uow:
        stored = uow.tokens.peek(
            FORM, kit.ports.digester.digest(FORM, "sign-in", token), now=kit.clock.now()
        )
    assert token not in repr(stored)
    assert "sign-in" == stored.subject


@pytest.mark.req("WEB-2")
@pytest.mark.parametrize("form", ["", "x" * 65])
def test_an_unusable_form_name_is_refused(kit: Examkit, form: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        kit.form_tokens.issue(form)
    assert ("websessions.form.name", "form") == (caught.value.code, caught.value.field)


@pytest.mark.req("WEB-2")
def test_a_pages_several_forms_get_their_tokens_in_one_write(kit: Examkit) -> None:
    """issue_many: one token per form named, each good once for its own form only."""
    tokens = kit.form_tokens.issue_many(["monitor-pause", "monitor-resume", "monitor-pause"])
    assert ["monitor-pause", "monitor-resume"] == sorted(tokens)
    assert tokens["monitor-pause"] != tokens["monitor-resume"]
    assert "websessions.form.used" == refused(kit, "monitor-resume", tokens["monitor-pause"])
    kit.form_tokens.take("monitor-pause", tokens["monitor-pause"])
    assert "websessions.form.used" == refused(kit, "monitor-pause", tokens["monitor-pause"])
    kit.form_tokens.take("monitor-resume", tokens["monitor-resume"])
    assert {} == kit.form_tokens.issue_many([])


@pytest.mark.req("WEB-2")
def test_one_unusable_form_name_among_several_stores_no_token(kit: Examkit) -> None:
    with pytest.raises(InvalidInput) as caught:
        kit.form_tokens.issue_many(["monitor-pause", "x" * 65])
    assert "websessions.form.name" == caught.value.code
    kit.form_tokens.issue("monitor-resume")
    with kit.backend.begin() as uow:  # revoke counts what is stored, then rolls back
        assert 0 == uow.tokens.revoke(FORM, "monitor-pause")
        assert 1 == uow.tokens.revoke(FORM, "monitor-resume")
