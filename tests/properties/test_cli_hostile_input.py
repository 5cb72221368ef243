# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""No command prints a traceback for hostile input files (issue 19 point 13).

Every command that reads a file (or standard input) is given the same hostile
input: binary garbage, JSON and XML nested beyond any reader's depth, numbers
with thousands of digits, lone surrogates and NULs, and the documented example
application with one value replaced by such a thing; and paths that cannot be
read at all. Each must end with its own verdict or an error with exit 2 and
the message on standard error: never an exception, never the net's
``cli.failed``.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

from examkit.cli import EXIT_UNUSABLE, main

pytestmark = pytest.mark.req("DOC-1", "EDX-1", "AUTH-1")

DOCS = Path(__file__).parents[2] / "docs" / "_examples"
EXAMPLE: dict[str, Any] = json.loads((DOCS / "account-application.json").read_text("utf-8"))


def nested(depth: int, opener: str) -> str:
    closer = {"[": "]", '{"a":': "}", "<a>": "</a>"}[opener]
    return opener * depth + ("1" if opener != "<a>" else "") + closer * depth


HOSTILE_VALUES = st.one_of(
    st.integers(4_000, 12_000).map(lambda digits: "9" * digits),
    st.sampled_from(["1e999999", "-1e400", "NaN", "Infinity", "-0", "1" + "0" * 400 + ".5"]),
    st.sampled_from(['"\\ud800"', '"\\udfff x"', '"a\\u0000b"', '"\\u202e\\u0007"']),
    st.integers(1, 3_000).map(lambda depth: nested(depth, "[")),
    st.integers(1, 20).map(lambda length: json.dumps("x" * 10_000 * length)),
    st.sampled_from(["null", "true", "[]", "{}", '""', "0"]),
)


def _paths(data: dict[str, Any], prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for key, value in data.items():
        found.append((*prefix, key))
        if isinstance(value, dict):
            found.extend(_paths(value, (*prefix, key)))
    return found


FIELDS = _paths(EXAMPLE)


def with_value(path: tuple[str, ...], literal: str) -> bytes:
    """Return the example application as JSON with the value at *path* replaced by *literal*."""
    marker = "@@HOSTILE@@"
    data = json.loads(json.dumps(EXAMPLE))
    place = data
    for key in path[:-1]:
        place = place[key]
    place[path[-1]] = marker
    return json.dumps(data).replace(f'"{marker}"', literal).encode("utf-8")


CONTENTS = st.one_of(
    st.binary(max_size=4_000),
    st.builds(
        lambda depth, opener: nested(depth, opener).encode(),
        st.integers(1, 300_000),
        st.sampled_from(["[", '{"a":', "<a>"]),
    ),
    HOSTILE_VALUES.map(str.encode),
    st.builds(with_value, st.sampled_from(FIELDS), HOSTILE_VALUES),
    st.text(max_size=2_000).map(lambda text: text.encode("utf-8", "surrogatepass")),
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile")


def run(argv: list[str], stdin: bytes = b"") -> tuple[int, str, str]:
    """Run ``examkit --lang en ARGV`` in this process; return exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with (
        mock.patch.object(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin))),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        code = main(["--lang", "en", *argv])
    return code, out.getvalue(), err.getvalue()


def commands(file: Path, folder: Path) -> list[tuple[list[str], set[int]]]:
    """Every command reading *file*, with the exit codes each may give."""
    return [
        (["forms", "account-application", str(file), "-o", str(folder / "out.pdf")], {0, 2}),
        (["edexml", "inspect", str(file)], {0, 1, 2}),
        (["edexml", "inspect", "--lenient", str(file)], {0, 1, 2}),
        (["edexml", "inspect", str(DOCS / "leerlingen.xml"), "--xsd", str(file)], {0, 1, 2}),
    ]


def assert_answered(argv: list[str], allowed: set[int], stdin: bytes = b"") -> None:
    code, out, err = run(argv, stdin)
    assert code in allowed, (argv, code, err)
    assert "Traceback" not in err + out
    assert "The command failed" not in err, err  # the net caught what a command missed
    if code == EXIT_UNUSABLE:
        assert ("", True) == (out, err.startswith("examkit: ")), (argv, out, err)


@given(content=CONTENTS)
def test_point13_no_command_prints_a_traceback_for_a_hostile_file(
    folder: Path, content: bytes
) -> None:
    """Hostile file contents get a verdict or exit 2 with a message from every command."""
    file = folder / "input"
    file.write_bytes(content)
    for argv, allowed in commands(file, folder):
        assert_answered(argv, allowed)
    assert_answered(["password", "check"], {0, 1, 2}, stdin=content[:20_000])


@pytest.mark.parametrize(
    "name",
    ["missing", "a-folder", "a-file/below", "x" * 300],
    ids=["missing", "folder", "below-a-file", "name-too-long"],
)
def test_point13_no_command_prints_a_traceback_for_an_unreadable_path(
    tmp_path: Path, name: str
) -> None:
    """A path that cannot be read gets exit 2 and a message from every command."""
    (tmp_path / "a-folder").mkdir()
    (tmp_path / "a-file").write_bytes(b"{}")
    for argv, _ in commands(tmp_path / name, tmp_path):
        assert_answered(argv, {EXIT_UNUSABLE})
