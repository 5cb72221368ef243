"""The architecture page lists the packages in the layers the import contract enforces."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def contract_layers() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (layers,) = [
        contract["layers"]
        for contract in config["tool"]["importlinter"]["contracts"]
        if contract["type"] == "layers"
    ]
    return [str(layer) for layer in layers]


def documented_layers() -> list[str]:
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = page.split("## The packages in layers", 1)[1]
    block = section.split("```text\n", 1)[1].split("```", 1)[0]
    return [re.split(r"\s{2,}", line.strip())[0] for line in block.splitlines() if line.strip()]


@pytest.mark.req("PLAT-2")
def test_the_architecture_page_lists_the_contracts_layers_in_order() -> None:
    assert documented_layers() == contract_layers()
    assert len(contract_layers()) > 10
