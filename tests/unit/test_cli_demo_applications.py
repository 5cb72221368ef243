# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The demo's account-application chapter: apply, approve, show the e-mails."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from examkit.accounts import Account, LoginName
from examkit.applications import ApplicationStatus, application_from_json
from examkit.cli._demo_applications import run_applications_chapter
from examkit.messages import Lang, text
from examkit.testing import make_kit


@pytest.mark.req("ACC-1", "ACC-6", "NOTE-1")
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_chapter_applies_approves_and_shows_both_e_mails(tmp_path: Path, lang: Lang) -> None:
    """A refused Gmail address, the review, the queue, the approval and both e-mails."""
    kit = make_kit()
    with kit.backend.begin() as uow:
        uow.accounts.add(
            Account(
                id="desk",
                login_name=LoginName("examkit.servicedesk"),
                first_name="Sam",
                last_name="Servicedesk",
                email="desk@examkit.nl",
            )
        )
        uow.commit()
    kit.grants.install_operator("desk")
    said: list[str] = []

    def say(code: str, /, **params: object) -> None:
        said.append(text(code, lang, **params))

    approved, form = run_applications_chapter(kit, "desk", tmp_path, say, lang)
    shown = "\n".join(said)
    assert ApplicationStatus.APPROVED == approved.status
    assert "gmail.com" in shown
    assert "30XY.K.Beheerder" in shown
    assert "k.beheerder@helpdeskschool.nl" in shown
    assert "g.jansen@helpdeskschool.nl" in shown
    stored = application_from_json(json.loads(form.read_text(encoding="utf-8")))
    assert approved.id == stored.id
    assert ApplicationStatus.SUBMITTED == stored.status
