# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""``examkit roles matrix``: the matrix as JSON and as Markdown."""

from __future__ import annotations

import json

import pytest

from examkit.cli import EXIT_OK, EXIT_UNUSABLE, main


@pytest.mark.req("ROLE-5")
def test_roles_matrix_prints_every_role_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    """Each role has its code, labels, system, actions with the seed's words, and may_grant."""
    assert EXIT_OK == main(["roles", "matrix"])
    roles = json.loads(capsys.readouterr().out)
    by_code = {role["role"]: role for role in roles}
    assert 18 == len(roles)
    admin = by_code["facet.administrator"]
    assert {"role", "label_nl", "label_en", "system", "actions", "may_grant"} == set(admin)
    assert "facet" == admin["system"]
    assert {
        "action": "facet.users.add",
        "label_nl": "Opvoeren nieuwe gebruiker(s)",
        "label_en": "Add new users",
    } in admin["actions"]
    assert "facet.corrector" in admin["may_grant"]
    proctor = by_code["facet.proctor"]
    assert "Vrijgeven afnamegroep" in [action["label_nl"] for action in proctor["actions"]]
    assert [] == proctor["may_grant"]
    assert {"action", "label_nl", "label_en"} == set(proctor["actions"][0])


@pytest.mark.req("ROLE-5")
def test_roles_matrix_prints_markdown_tables(capsys: pytest.CaptureFixture[str]) -> None:
    """One table per application: the actions against the roles."""
    assert EXIT_OK == main(["roles", "matrix", "--format", "markdown"])
    out = capsys.readouterr().out
    assert out.startswith("# Permission matrix\n")
    assert "## Cito Volgsysteem VO (`cito_lvs`)" in out
    assert "| Vrijgeven afnamegroep | `facet.monitor.release` |" in out
    assert "- `facet.planner` (Planner): granted by `facet.administrator`" in out


def test_an_unknown_format_is_unusable(capsys: pytest.CaptureFixture[str]) -> None:
    """Exit 2 with the message on standard error."""
    assert EXIT_UNUSABLE == main(["roles", "matrix", "--format", "csv"])
    assert "" == capsys.readouterr().out
