"""The notifications table: every e-mail composed in one place, in both languages."""

from __future__ import annotations

import re

import pytest

from examkit.messages import CATALOGUE, LANGUAGES
from examkit.notifications import NOTIFICATIONS, compose, language

_MAIL_SUBJECT = re.compile(r"^(?!demo\.)[a-z_]+\.mail\.[a-z_]+\.subject$")


def filled(kind: str) -> dict[str, object]:
    return {name: f"<{name}>" for name in NOTIFICATIONS[kind].params}


@pytest.mark.req("NOTE-1", "PLAT-2")
def test_every_mail_template_of_the_catalogue_is_a_notification() -> None:
    templates = {code for code in CATALOGUE if _MAIL_SUBJECT.match(code)}
    assert templates, "the catalogue has e-mail templates"
    assert templates == {mail.subject for mail in NOTIFICATIONS.values()}


@pytest.mark.req("NOTE-1", "PLAT-2")
@pytest.mark.parametrize("kind", sorted(NOTIFICATIONS))
def test_every_notification_composes_in_every_language(kind: str) -> None:
    params = filled(kind)
    texts = {}
    for lang in LANGUAGES:
        message = compose(kind, "k@school.nl", lang, **params)
        assert message.kind == kind
        assert message.lang == lang
        assert message.to == ("k@school.nl",)
        assert "{" not in message.subject + message.body
        texts[lang] = message.subject + message.body
    assert texts["nl"] != texts["en"]


@pytest.mark.req("NOTE-1", "PLAT-2")
def test_a_missing_parameter_is_a_programming_error() -> None:
    params = filled("auth.otp")
    del params["code"]
    with pytest.raises(KeyError, match="code"):
        compose("auth.otp", "k@school.nl", "nl", **params)


@pytest.mark.req("NOTE-1", "PLAT-2")
def test_the_use_cases_language_wins_over_the_accounts() -> None:
    assert language("en") == "en"
    assert language("nl") == "nl"
    assert language("en", "nl") == "nl"
    assert language("nl", "en") == "en"
    assert language(None) == "nl"
