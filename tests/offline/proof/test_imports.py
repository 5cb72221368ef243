# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Each storage module imports first in a fresh interpreter (no circular import).

The offline package's central side and offline server sit above the records
(:mod:`examkit.records`) that import the package's values; imported eagerly,
they made ``import examkit.backends.sql`` as a program's first import fail.
The test suite never saw it: its conftest imports the kit first.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = [pytest.mark.req("SCH-8")]

FIRST_IMPORTS = ("examkit.records", "examkit.backends.memory", "examkit.backends.sql")


def test_the_storage_modules_import_first_in_a_fresh_interpreter() -> None:
    code = "; ".join(
        f"subprocess.run([sys.executable, '-c', 'import {name}'], check=True)"
        for name in FIRST_IMPORTS
    )
    found = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", f"import subprocess, sys; {code}"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (0, "") == (found.returncode, found.stderr[-2000:])
