# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The command line starts quickly: a command imports only what it uses (issue 17 point 6)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import examkit

pytestmark = pytest.mark.req("PLAT-1")

# What `examkit id check` has no use for; each costs tens to hundreds of milliseconds.
HEAVY = ("numpy", "lxml", "sqlalchemy", "reportlab", "holidays", "cattrs")
# examkit modules that build tables at import: the permission matrix, the composition root.
BUILDERS = ("examkit.permissions._matrix", "examkit._kit", "examkit.converter")


def modules_after(code: str) -> set[str]:
    """Run *code* in a fresh interpreter; return the modules it had imported at the end."""
    script = f"{code}\nimport json, sys\nsys.stderr.write('\\n' + json.dumps(sorted(sys.modules)))"
    done = subprocess.run(  # noqa: S603 - runs this file's own code
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=120
    )
    assert "Traceback" not in done.stderr, done.stderr
    return set(json.loads(done.stderr.rsplit("\n", 1)[-1]))


def loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    """Return which of *names* (or their submodules) are among *modules*."""
    return sorted(n for n in names if any(m == n or m.startswith(n + ".") for m in modules))


@pytest.mark.parametrize("value", ["22AB", "22ab 01", "22A", ""])
def test_id_check_imports_no_heavy_library_and_builds_no_matrix(value: str) -> None:
    """``examkit id check`` loads neither numpy, lxml, SQLAlchemy, reportlab nor the matrix."""
    modules = modules_after(f"from examkit.cli import main\nmain(['id', 'check', {value!r}])")
    assert "examkit.identifiers" in modules  # the command did run
    assert [] == loaded(modules, HEAVY + BUILDERS)
    fragments = {m.rpartition(".")[2] for m in modules if m.startswith("examkit._catalogue.")}
    assert set() == fragments - {"core", "org", "cli"}  # the message tables of other areas


def test_the_help_imports_no_command() -> None:
    """``examkit --help`` lists every command without importing any of them."""
    modules = modules_after(
        "from examkit.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass"
    )
    assert [] == sorted(
        m for m in modules if m.startswith("examkit.cli._") and m != "examkit.cli._common"
    )
    assert [] == loaded(modules, HEAVY + BUILDERS)


def test_import_examkit_alone_imports_no_package() -> None:
    """``import examkit`` gives the version and defers the composition root until used."""
    modules = modules_after("import examkit\nexamkit.__version__")
    assert [] == loaded(modules, HEAVY + BUILDERS)
    own = {m for m in modules if m.startswith("examkit.")}
    assert set() == own - {"examkit._version", "examkit._lazy"}


def test_the_lazy_top_level_names_are_the_real_ones() -> None:
    """``examkit.Examkit`` and the others are the classes of their modules, listed by dir()."""
    from examkit._kit import Examkit, Settings
    from examkit.errors import ExamkitError

    assert (Examkit, Settings, ExamkitError) == (
        examkit.Examkit,
        examkit.Settings,
        examkit.ExamkitError,
    )
    assert set(examkit.__all__) <= set(dir(examkit))
    with pytest.raises(AttributeError, match="no attribute 'Nothing'"):
        getattr(examkit, "Nothing")  # noqa: B009 - the name is looked up on purpose
