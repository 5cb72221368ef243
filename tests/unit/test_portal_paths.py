# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The portal's pages that examkit's e-mails link to (PortalPaths): defaults, tokens, refusals."""

from __future__ import annotations

import pytest

from examkit.errors import ConfigurationError
from examkit.ports import PortalPaths

BASE = "https://portaal.school.nl/"


@pytest.mark.req("NOTE-1")
def test_the_default_paths_are_the_dutch_systems_and_a_token_follows_as_a_query() -> None:
    paths = PortalPaths()
    assert (
        "https://portaal.school.nl/inloggen",
        "https://portaal.school.nl/wachtwoord-herstellen?token=abc",
        "https://portaal.school.nl/e-mailadres-bevestigen?token=abc",
        "https://portaal.school.nl/uitnodiging?token=abc",
    ) == (
        paths.link(BASE, paths.sign_in),
        paths.link(BASE, paths.reset, "abc"),
        paths.link(BASE, paths.email_confirm, "abc"),
        paths.link(BASE, paths.invitation, "abc"),
    )


@pytest.mark.req("NOTE-1")
def test_a_path_may_place_the_token_itself() -> None:
    paths = PortalPaths(invitation="/invitations/{token}/accept")
    assert "https://portaal.school.nl/invitations/abc/accept" == paths.link(
        BASE, paths.invitation, "abc"
    )


@pytest.mark.req("NOTE-1")
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("reset", "wachtwoord"),
        ("reset", "//evil.example/x"),
        ("invitation", "/a/{token}/{token}"),
        ("sign_in", "/sign-in/{token}"),
        ("email_confirm", ""),
    ],
)
def test_an_unusable_path_is_a_clear_configuration_error(field: str, value: str) -> None:
    with pytest.raises(ConfigurationError) as refused:
        PortalPaths(**{field: value})
    assert ("config.path.invalid", field) == (refused.value.code, refused.value.field)
    assert "is not a usable path of a portal page" in refused.value.message("en")
