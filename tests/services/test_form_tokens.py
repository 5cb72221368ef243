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
