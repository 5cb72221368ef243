"""Conventions every ``examkit`` command follows: exit codes, JSON output, errors."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any, Final, TextIO

from examkit.converter import unstructure
from examkit.errors import ExamkitError, ExamkitErrorGroup, problem_dict
from examkit.messages import DEFAULT_LANG, Lang, parse_lang

EXIT_OK: Final = 0
"""Done, or a positive verdict."""
EXIT_NEGATIVE: Final = 1
"""A negative verdict from a command whose job is to judge its input."""
EXIT_UNUSABLE: Final = 2
"""Unusable input or arguments (the message is on stderr)."""

Handler = Callable[[argparse.Namespace], int]


def add_lang_option(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    """Add ``--lang nl|en`` to *parser* (the default, ``nl``, only on the top parser)."""
    parser.add_argument(
        "--lang",
        type=parse_lang,
        default=DEFAULT_LANG if top else argparse.SUPPRESS,
        metavar="nl|en",
        help="language of messages (default: nl)",
    )


def lang_of(args: argparse.Namespace) -> Lang:
    """Return the language the command was asked to speak."""
    lang: Lang = getattr(args, "lang", DEFAULT_LANG)
    return lang


def print_json(data: Any, stream: TextIO | None = None) -> None:
    """Print *data* (unstructured by the one converter) as one JSON object."""
    out = stream if stream is not None else sys.stdout
    out.write(json.dumps(unstructure(data), ensure_ascii=False, indent=2) + "\n")


def problems_of(error: ExamkitError, lang: Lang) -> list[dict[str, object]]:
    """Return the ``problems`` list of a verdict for *error* (every problem of a group)."""
    if isinstance(error, ExamkitErrorGroup):
        return [problem_dict(problem, lang) for problem in error.problems]
    return [problem_dict(error, lang)]


def fail_unusable(error: ExamkitError, lang: Lang) -> int:
    """Print *error* on stderr and return :data:`EXIT_UNUSABLE`."""
    sys.stderr.write(f"examkit: {error.located(lang)}\n")
    if isinstance(error, ExamkitErrorGroup):
        for problem in error.problems:
            sys.stderr.write(f"  - {problem.located(lang)}\n")
    return EXIT_UNUSABLE
