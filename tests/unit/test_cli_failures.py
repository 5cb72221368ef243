# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Issue 19 point 13: every command-line failure is an error with exit 2 and no traceback.

Unreadable files, deeply nested JSON and an unwritable ``-o`` exit 2 with the
message on standard error; ``-o`` naming an input is refused before anything
is written; ``--lang`` may follow any command word, as the CLI page says.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from examkit.cli import EXIT_OK, EXIT_UNUSABLE, build_parser, main

EXAMPLE = Path(__file__).parents[2] / "docs" / "_examples" / "account-application.json"
XML = Path(__file__).parents[2] / "docs" / "_examples" / "leerlingen.xml"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def form(capsys: pytest.CaptureFixture[str], source: Path, output: Path) -> tuple[int, str, str]:
    """Run ``forms account-application SOURCE -o OUTPUT`` in English."""
    return run(
        capsys, "--lang", "en", "forms", "account-application", str(source), "-o", str(output)
    )


def deep_json(depth: int) -> str:
    return "[" * depth + "]" * depth


# --- unreadable files -------------------------------------------------------------------------


@pytest.mark.req("DOC-1")
@pytest.mark.parametrize(
    "name",
    ["missing.json", "a-folder", "file.json/below-a-file.json", "x" * 300 + ".json"],
    ids=["missing", "folder", "below-a-file", "name-too-long"],
)
def test_point13_an_unreadable_application_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str
) -> None:
    """A file that cannot be read (missing, a folder, ...) exits 2 naming it; no PDF."""
    (tmp_path / "a-folder").mkdir()
    (tmp_path / "file.json").write_text("{}", encoding="utf-8")
    out_pdf = tmp_path / "out.pdf"
    code, out, err = form(capsys, tmp_path / name, out_pdf)
    assert (EXIT_UNUSABLE, "") == (code, out)
    assert err.startswith("examkit: The file ")
    assert "cannot be read" in err
    assert not out_pdf.exists()


@pytest.mark.req("DOC-1")
def test_point13_a_file_without_permission_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file the user may not read exits 2 with the system's reason (root reads anything,
    so the refusal is the operating system's answer, given here directly)."""
    source = tmp_path / "secret.json"
    source.write_text("{}", encoding="utf-8")

    def refuse(self: Path, *args: object, **kwargs: object) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", refuse)
    code, out, err = form(capsys, source, tmp_path / "out.pdf")
    assert (EXIT_UNUSABLE, "") == (code, out)
    assert f"examkit: The file {source} cannot be read: Permission denied\n" == err


@pytest.mark.req("EDX-1")
def test_point13_an_unreadable_edexml_file_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``edexml inspect`` of a folder exits 2 with the reason, no verdict on stdout."""
    code, out, err = run(capsys, "--lang", "en", "edexml", "inspect", str(tmp_path))
    assert (EXIT_UNUSABLE, "") == (code, out)
    assert err.startswith("examkit: ")


# --- deeply nested JSON and huge numbers ------------------------------------------------------


@pytest.mark.req("DOC-1")
@pytest.mark.parametrize("depth", [10_000, 1_000_000])
def test_point13_deeply_nested_json_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, depth: int
) -> None:
    """JSON nested deeper than can be read exits 2 with ``cli.json.too_deep``."""
    source = tmp_path / "deep.json"
    source.write_text(deep_json(depth), encoding="utf-8")
    code, out, err = form(capsys, source, tmp_path / "out.pdf")
    assert (EXIT_UNUSABLE, "", "examkit: The file is nested too deeply to be read.\n") == (
        code,
        out,
        err,
    )


@pytest.mark.req("DOC-1")
def test_point13_nesting_the_reader_accepts_is_still_judged(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Nesting JSON can read (800 levels) in a field gets the application's own answer."""
    source = tmp_path / "nested.json"
    source.write_text('{"school": ' + deep_json(800) + "}", encoding="utf-8")
    code, out, err = form(capsys, source, tmp_path / "out.pdf")
    assert (EXIT_UNUSABLE, "") == (code, out)
    assert "school" in err


@pytest.mark.req("DOC-1")
def test_point13_a_number_too_long_to_read_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """An integer beyond Python's digit limit exits 2 saying so, not with int()'s error."""
    source = tmp_path / "huge.json"
    source.write_text('{"format_version": ' + "9" * 10_000 + "}", encoding="utf-8")
    code, out, err = form(capsys, source, tmp_path / "out.pdf")
    limit = sys.get_int_max_str_digits()
    assert (
        EXIT_UNUSABLE,
        "",
        f"examkit: The file holds a number of more than {limit} digits.\n",
    ) == (code, out, err)


# --- an unwritable -o -------------------------------------------------------------------------


@pytest.mark.req("DOC-1")
@pytest.mark.parametrize(
    "name", ["no-such-folder/out.pdf", "a-folder"], ids=["missing-folder", "folder"]
)
def test_point13_an_unwritable_output_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str
) -> None:
    """An output that cannot be written exits 2 naming it; nothing is left behind."""
    (tmp_path / "a-folder").mkdir()
    before = sorted(tmp_path.rglob("*"))
    code, out, err = form(capsys, EXAMPLE, tmp_path / name)
    assert (EXIT_UNUSABLE, "") == (code, out)
    assert f"examkit: The file {tmp_path / name} cannot be written: " in err
    assert before == sorted(tmp_path.rglob("*"))


@pytest.mark.req("DOC-1")
def test_point13_a_failed_write_leaves_no_half_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A disk that fills up while writing leaves neither a part of the PDF nor an old file."""
    out_pdf = tmp_path / "out.pdf"
    out_pdf.write_bytes(b"the previous form")
    real_replace = os.replace

    def full_disk(source: str, target: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    code, out, err = form(capsys, EXAMPLE, out_pdf)
    monkeypatch.setattr(os, "replace", real_replace)
    assert (EXIT_UNUSABLE, "") == (code, out)
    assert "No space left on device" in err
    assert [out_pdf] == list(tmp_path.iterdir())
    assert b"the previous form" == out_pdf.read_bytes()


@pytest.mark.req("DOC-1")
def test_point13_the_output_gets_the_usual_permissions(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The PDF, written through a temporary file, is readable as any new file would be."""
    out_pdf = tmp_path / "out.pdf"
    code, _, _ = form(capsys, EXAMPLE, out_pdf)
    mask = os.umask(0)
    os.umask(mask)
    assert (EXIT_OK, 0o666 & ~mask) == (code, out_pdf.stat().st_mode & 0o777)


# --- -o equal to an input ---------------------------------------------------------------------


@pytest.mark.req("DOC-1")
@pytest.mark.parametrize("spelling", ["same", "dotted", "symlink", "hardlink"])
def test_point13_an_output_that_is_the_input_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, spelling: str
) -> None:
    """``-o`` naming the input, however spelt, exits 2 and leaves the input as it was."""
    source = tmp_path / "application.json"
    source.write_bytes(EXAMPLE.read_bytes())
    output = {
        "same": source,
        "dotted": tmp_path / "." / ".." / tmp_path.name / "application.json",
        "symlink": tmp_path / "link.json",
        "hardlink": tmp_path / "hard.json",
    }[spelling]
    if spelling == "symlink":
        output.symlink_to(source)
    if spelling == "hardlink":
        os.link(source, output)
    code, out, err = form(capsys, source, output)
    assert (EXIT_UNUSABLE, "") == (code, out)
    assert (
        f"examkit: --output: The output file {output} is also an input file; choose another "
        "file, so that the input is kept.\n"
    ) == err
    assert EXAMPLE.read_bytes() == source.read_bytes()


# --- --lang after the command -----------------------------------------------------------------

# Every command with the least it needs; --lang is tried before each of its words.
COMMANDS = [
    (["id", "check"], ["22AB"]),
    (["password", "check"], []),
    (["password", "policy"], []),
    (["roles", "matrix"], []),
    (["edexml", "inspect"], ["file.xml"]),
    (["grade"], ["--max", "10", "--nterm", "1"]),
    (["forms", "account-application"], ["in.json", "-o", "out.pdf"]),
    (["demo"], []),
]
PLACES = [(words, rest, place) for words, rest in COMMANDS for place in range(len(words) + 1)]


@pytest.mark.req("DOC-1")
@pytest.mark.parametrize(
    ("words", "rest", "place"),
    PLACES,
    ids=[f"{'-'.join(words)}@{place}" for words, _, place in PLACES],
)
def test_point13_lang_may_follow_every_command_word(
    words: list[str], rest: list[str], place: int
) -> None:
    """``--lang en`` is taken before, between and after the command words."""
    argv = [*words[:place], "--lang", "en", *words[place:], *rest]
    args: argparse.Namespace = build_parser().parse_args(argv)
    assert "en" == args.lang


@pytest.mark.req("DOC-1")
def test_point13_forms_lang_en_account_application_speaks_english(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The issue's own command: ``forms --lang en account-application`` works, in English."""
    code, out, err = run(
        capsys,
        "forms",
        "--lang",
        "en",
        "account-application",
        str(tmp_path / "missing.json"),
        "-o",
        str(tmp_path / "out.pdf"),
    )
    assert (EXIT_UNUSABLE, "") == (code, out)
    assert "cannot be read" in err


@pytest.mark.req("DOC-1")
def test_point13_the_default_language_stays_dutch(capsys: pytest.CaptureFixture[str]) -> None:
    """Without ``--lang`` the messages are Dutch; the last ``--lang`` given wins."""
    assert "nl" == build_parser().parse_args(["id", "check", "x"]).lang
    assert (
        "nl" == build_parser().parse_args(["--lang", "en", "id", "check", "--lang", "nl", "x"]).lang
    )


# --- the net under every command --------------------------------------------------------------


@pytest.mark.req("SCO-5")
@pytest.mark.parametrize(
    ("failure", "expected"),
    [
        (RuntimeError("boom"), "examkit: The command failed (RuntimeError): boom\n"),
        (
            FileNotFoundError(2, "No such file or directory", "gone.txt"),
            "examkit: The file gone.txt cannot be used: No such file or directory\n",
        ),
        (RecursionError(), "examkit: The input is nested too deeply to be processed.\n"),
        (MemoryError(), "examkit: The input is too large to be processed (out of memory).\n"),
    ],
    ids=["bug", "file", "recursion", "memory"],
)
def test_point13_any_failure_of_a_command_exits_2_without_a_traceback(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    failure: BaseException,
    expected: str,
) -> None:
    """A failure no command foresaw still ends as a message and exit 2 (the common entry)."""
    from examkit.cli import _grade

    def fail(args: argparse.Namespace) -> int:
        raise failure

    monkeypatch.setattr(_grade, "grade_command", fail)
    code, out, err = run(capsys, "--lang", "en", "grade", "--max", "10", "--nterm", "1")
    assert (EXIT_UNUSABLE, "", expected) == (code, out, err)


@pytest.mark.req("DOC-1")
def test_point13_a_real_process_prints_no_traceback(tmp_path: Path) -> None:
    """``python -m examkit`` on nested JSON, an input as output and a folder: exit 2, no trace."""
    deep = tmp_path / "deep.json"
    deep.write_text(deep_json(100_000), encoding="utf-8")
    for argv in (
        ["forms", "account-application", str(deep), "-o", str(tmp_path / "out.pdf")],
        ["forms", "account-application", str(EXAMPLE), "-o", str(tmp_path)],
        ["forms", "account-application", str(EXAMPLE), "-o", str(tmp_path / "no" / "a.pdf")],
        ["forms", "account-application", str(deep), "-o", str(deep)],
        ["edexml", "inspect", str(XML), "--xsd", str(tmp_path)],
    ):
        done = subprocess.run(  # noqa: S603 - this test's own arguments
            [sys.executable, "-m", "examkit", *argv],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert (EXIT_UNUSABLE, "") == (done.returncode, done.stdout), argv
        assert done.stderr.startswith("examkit: "), done.stderr
        assert "Traceback" not in done.stderr


@pytest.mark.req("DOC-1")
def test_point13_a_lone_surrogate_in_a_name_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``"\\ud800"`` is JSON but no text: refused on reading, not a crash while printing."""
    text = EXAMPLE.read_text(encoding="utf-8").replace('"Helpdeskschool"', '"\\ud800"')
    source = tmp_path / "surrogate.json"
    source.write_text(text, encoding="utf-8")
    code, out, err = form(capsys, source, tmp_path / "out.pdf")
    assert (
        EXIT_UNUSABLE,
        "",
        "examkit: The file holds a text that is not Unicode (a lone surrogate, character 0).\n",
    ) == (code, out, err)


@pytest.mark.req("DOC-1")
@pytest.mark.parametrize("literal", ["NaN", "-Infinity", "1e999"])
def test_point13_a_number_that_is_not_finite_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, literal: str
) -> None:
    """``NaN``, ``Infinity`` and numbers beyond a float are refused on reading."""
    source = tmp_path / "number.json"
    source.write_text('{"format_version": ' + literal + "}", encoding="utf-8")
    code, out, err = form(capsys, source, tmp_path / "out.pdf")
    assert (
        EXIT_UNUSABLE,
        "",
        f"examkit: The file holds a number that is not finite: {literal}.\n",
    ) == (code, out, err)


@pytest.mark.req("SCO-5")
@pytest.mark.parametrize(
    ("interruption", "expected"),
    [(KeyboardInterrupt(), (130, "examkit: interrupted\n")), (BrokenPipeError(), (2, ""))],
    ids=["ctrl-c", "closed-pipe"],
)
def test_point13_an_interruption_ends_quietly(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    interruption: BaseException,
    expected: tuple[int, str],
) -> None:
    """Ctrl-C exits 130 and a reader that went away (``| head``) exits 2, neither with a trace."""
    from examkit.cli import _grade

    def interrupted(args: argparse.Namespace) -> int:
        raise interruption

    monkeypatch.setattr(_grade, "grade_command", interrupted)
    code, out, err = run(capsys, "grade", "--max", "10", "--nterm", "1")
    assert (*expected, "") == (code, err, out)


def every_parser() -> list[tuple[str, argparse.ArgumentParser]]:
    """Return every command's parsers, configured, with the words that reach them."""
    import importlib

    from examkit.cli import _COMMANDS
    from examkit.cli._common import Parser

    found: list[tuple[str, argparse.ArgumentParser]] = []
    pending: list[tuple[str, argparse.ArgumentParser]] = []
    for command in _COMMANDS:
        top = Parser(prog=f"examkit {command.name}")
        importlib.import_module(command.module).configure(top)
        pending.append((command.name, top))
    while pending:
        words, parser = pending.pop()
        found.append((words, parser))
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                pending.extend((f"{words} {word}", sub) for word, sub in action.choices.items())
    return found


@pytest.mark.req("DOC-1")
def test_point13_every_file_argument_is_declared_so_its_checks_apply() -> None:
    """Each argument that names a file is declared an input or an output, so a command added
    later gets the same refusals (an output that is an input, an output in no folder)."""
    from examkit.cli._common import declared_paths

    undeclared = [
        f"{words} {action.dest}"
        for words, parser in every_parser()
        for action in parser._actions
        if action.type is Path and action.dest not in declared_paths(parser)
    ]
    assert [] == undeclared
    assert len(every_parser()) >= 10


@pytest.mark.req("DOC-1")
def test_point13_demo_out_that_is_a_file_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``demo --out`` naming a file, not a folder, exits 2 before the demo starts."""
    taken = tmp_path / "taken"
    taken.write_bytes(b"")
    code, out, err = run(capsys, "--lang", "en", "demo", "--out", str(taken))
    assert (EXIT_UNUSABLE, "") == (code, out)
    assert f"examkit: The file {taken} cannot be written: Not a directory\n" == err


@pytest.mark.req("DOC-1")
def test_point13_an_endless_or_oversized_file_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``/dev/zero`` and a file over 16 MiB are refused after reading 16 MiB, not all of it."""
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (16 * 2**20 + 1))
    for source in (Path("/dev/zero"), big):
        code, out, err = form(capsys, source, tmp_path / "out.pdf")
        assert (EXIT_UNUSABLE, "", f"examkit: The file {source} is larger than 16 MiB.\n") == (
            code,
            out,
            err,
        )
