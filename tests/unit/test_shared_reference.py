"""A clone without ../shared passes: the tests that read it skip, examkit never reads it.

The workspace keeps reference files (official schemas, samples, the manuals) in
``../shared`` beside the checkout; a public clone has none. These tests run
pytest and Python in fresh processes, as a new user's machine would.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.req("PLAT-1")

ROOT = Path(__file__).resolve().parents[2]
READERS = [
    "tests/known_answers/test_edexml_official_xsd.py",
    "tests/known_answers/test_qti_official_xsd.py",
]


def run_pytest(tmp_path: Path, **environment: str) -> subprocess.CompletedProcess[str]:
    """Run the tests that read ../shared with EXAMKIT_SHARED pointing at an absent folder."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("EXAMKIT_")}
    env.update(environment, EXAMKIT_SHARED=str(tmp_path / "no-shared-here"))
    env.pop("PYTEST_XDIST_WORKER", None)
    return subprocess.run(  # noqa: S603 - our own interpreter and tests
        [sys.executable, "-m", "pytest", "-p", "no:xdist", "-q", "-rs", *READERS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_without_shared_the_tests_that_read_it_skip_with_one_notice(tmp_path: Path) -> None:
    """As on a public clone, in CI too (where EXAMKIT_REQUIRE_SHARED is not set)."""
    result = run_pytest(tmp_path, EXAMKIT_CI="1")
    assert 0 == result.returncode, result.stdout + result.stderr
    missing = str(tmp_path / "no-shared-here")
    skipped = [line for line in result.stdout.splitlines() if line.startswith("SKIPPED")]
    assert skipped
    reasons = {line.split(": ", 1)[1] for line in skipped}
    assert 1 == len(reasons)  # one notice, naming the missing path
    assert missing in reasons.pop()
    assert " failed" not in result.stdout
    assert " error" not in result.stdout


def test_ci_that_requires_shared_fails_without_it(tmp_path: Path) -> None:
    result = run_pytest(tmp_path, EXAMKIT_CI="1", EXAMKIT_REQUIRE_SHARED="1")
    assert 1 == result.returncode, result.stdout + result.stderr
    assert "EXAMKIT_REQUIRE_SHARED=1 and the reference files are not at" in result.stdout


# Every module of examkit is imported, and each public command-line entry run, with an
# audit hook that records every file and folder opened or listed.
HOOK = textwrap.dedent(
    """
    import importlib, os, pkgutil, sys
    shared = os.path.realpath(sys.argv[1])
    touched = []
    def hook(event, args):
        if event in {"open", "os.listdir", "os.scandir", "os.stat", "glob.glob"} and args:
            path = args[0]
            if isinstance(path, (str, bytes, os.PathLike)) and not isinstance(path, int):
                text = os.fsdecode(path)
                if os.path.realpath(text).startswith(shared):
                    touched.append((event, text))
    sys.addaudithook(hook)
    """
)
WATCH = HOOK + textwrap.dedent(
    """
    import examkit
    for info in pkgutil.walk_packages(examkit.__path__, "examkit."):
        if ".migrations." in info.name or info.name.endswith(".__main__"):
            continue
        try:
            importlib.import_module(info.name)
        except ImportError as missing:
            # an extra that is not installed: sql (SQLAlchemy, alembic), oidc (Authlib, httpx)
            if not isinstance(missing, ModuleNotFoundError) or (
                missing.name or "examkit"
            ).startswith("examkit"):
                raise
    from examkit.cli import main
    for argv in (["id", "check", "22AB"], ["roles", "matrix"], ["password", "policy"]):
        try:
            main(argv)
        except SystemExit:
            pass
    print(repr(touched))
    """
)


def test_no_module_of_examkit_reads_shared(tmp_path: Path) -> None:
    shared = ROOT.parent / "shared"
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", WATCH, str(shared)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert 0 == result.returncode, result.stderr
    assert "[]" == result.stdout.strip().splitlines()[-1]


def test_the_watch_sees_a_read_of_shared(tmp_path: Path) -> None:
    """The audit hook above would notice: a script that lists the folder is caught."""
    shared = tmp_path / "shared"
    shared.mkdir()
    script = HOOK + "os.listdir(shared)\nopen(os.path.join(shared, 'f'), 'w')\nprint(touched)\n"
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script, str(shared)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert 0 == result.returncode, result.stderr
    assert "[('os.listdir', " in result.stdout
    assert "('open', " in result.stdout
