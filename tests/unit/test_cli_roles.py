# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""``examkit roles matrix``: the matrix as JSON and as Markdown."""

from __future__ import annotations

import json
from pathlib import Path

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


@pytest.mark.req("ROLE-2", "ROLE-3", "ROLE-5")
def test_the_demo_shows_who_may_and_may_not(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """An administrator adds users, grants at two locations and to a class; may and may not."""
    assert EXIT_OK == main(["--lang", "en", "demo", "--out", str(tmp_path)])
    out = capsys.readouterr().out
    for line in (
        "becomes administrator of Facet at 22AB00, 22AB01",
        "Karin grants Piet the role facet.planner at 22AB00, 22AB01.",
        "Karin grants Tom the role cito_lvs.subject_teacher at 22AB00/1HA (Dutch).",
        "Piet may 'Plan sessions' at 22AB01: yes",
        "Anna may 'Release a session group' at 22AB00: no",
        "Tom may 'View reports' at 22AB00/1HA/maths: no",
        "Piet tries to grant Anna the role facet.planner: You are not permitted to do this.",
    ):
        assert line in out
    assert (
        (tmp_path / "permission-matrix.md")
        .read_text(encoding="utf-8")
        .startswith("# Permission matrix")
    )
