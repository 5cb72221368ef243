"""The matrix as plain data (JSON) and as Markdown tables, for the CLI and the docs."""

from __future__ import annotations

from typing import Any

from examkit.permissions._matrix import MATRIX, PermissionMatrix


def matrix_json(matrix: PermissionMatrix | None = None) -> list[dict[str, Any]]:
    """Return the matrix as a list of roles with their actions and the roles they may grant.

    >>> planner = next(r for r in matrix_json() if r["role"] == "facet.planner")
    >>> planner["label_nl"], planner["system"], planner["actions"][2]["label_nl"]
    ('Afnameplanner', 'facet', 'Plannen afnames')

    Implements ROLE-5.
    """
    matrix = matrix if matrix is not None else MATRIX
    return [
        {
            "role": role.code,
            "label_nl": role.label_nl,
            "label_en": role.label_en,
            "system": role.application,
            "actions": [
                {
                    "action": code,
                    "label_nl": matrix.actions[code].label_nl,
                    "label_en": matrix.actions[code].label_en,
                }
                for code in role.actions
            ],
            "may_grant": list(role.may_grant),
        }
        for role in matrix.roles.values()
    ]


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def matrix_markdown(matrix: PermissionMatrix | None = None) -> str:
    """Return the matrix as Markdown: per application, its actions against its roles.

    Implements ROLE-5.
    """
    matrix = matrix if matrix is not None else MATRIX
    lines: list[str] = ["# Permission matrix", ""]
    for app in matrix.systems.values():
        roles = matrix.roles_of(app.code)
        actions = [a for a in matrix.actions.values() if a.application == app.code]
        lines += [f"## {app.label_nl} (`{app.code}`)", ""]
        lines.append(
            "| Handeling | Action | "
            + " | ".join(f"{_cell(role.label_nl)}" for role in roles)
            + " |"
        )
        lines.append("| --- | --- | " + " | ".join(":---:" for _ in roles) + " |")
        for action in actions:
            marks = ["✓" if action.code in role.actions else "" for role in roles]
            lines.append(
                f"| {_cell(action.label_nl)} | `{action.code}` | " + " | ".join(marks) + " |"
            )
        lines.append("")
        for role in roles:
            granters = ", ".join(f"`{g.code}`" for g in matrix.granted_by(role.code))
            grants = ", ".join(f"`{code}`" for code in role.may_grant) or "-"
            lines.append(
                f"- `{role.code}` ({role.label_en}): granted by {granters}; may grant {grants}."
            )
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
