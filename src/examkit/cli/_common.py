"""Conventions every ``examkit`` command follows: exit codes, options, files, JSON, errors.

Every command is built on what this module gives, so none can break the
conventions on its own: each parser takes ``--lang`` (:class:`Parser`);
each command's module is imported only when the command is chosen
(:func:`top_parser`); files are read with :func:`read_input` or
:func:`read_json` and written with :func:`write_output`, declared with
:func:`add_input` and :func:`add_output` so an output that is an input is
refused before the command runs; and :func:`run` turns every failure into
a message on standard error and :data:`EXIT_UNUSABLE`, never a traceback.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import json
import math
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Final, NamedTuple, TextIO, cast

from examkit.errors import ExamkitError, ExamkitErrorGroup, InvalidInput, problem_dict
from examkit.messages import DEFAULT_LANG, Lang, parse_lang

EXIT_OK: Final = 0
"""Done, or a positive verdict."""
EXIT_NEGATIVE: Final = 1
"""A negative verdict from a command whose job is to judge its input."""
EXIT_UNUSABLE: Final = 2
"""Unusable input or arguments (the message is on stderr)."""
EXIT_INTERRUPTED: Final = 130
"""Interrupted from the keyboard (Ctrl-C)."""

JSON_LIMIT: Final = 16 * 2**20
"""The largest JSON file a command reads, in bytes (16 MiB; an application is a few KiB)."""

Handler = Callable[[argparse.Namespace], int]

_INPUTS = "_examkit_inputs"
_OUTPUTS = "_examkit_outputs"
_FOLDERS = "_examkit_output_folders"
_NAMES = "_examkit_output_names"


class Command(NamedTuple):
    """A command word of ``examkit``: the module that defines it and its one-line help."""

    name: str
    """The word that chooses the command (``id``)."""
    module: str
    """The module with ``configure(parser)``, imported when the command is chosen."""
    help: str
    """The line ``examkit --help`` shows for it."""


class Parser(argparse.ArgumentParser):
    """An argument parser that takes ``--lang nl|en``, as does every parser below it.

    The top parser supplies the default (``nl``); below it the option only
    overrides, so ``--lang`` may come before or after any command word.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_argument(
            "--lang",
            type=parse_lang,
            default=argparse.SUPPRESS,
            metavar="nl|en",
            help="language of messages (default: nl)",
        )


class _Commands(argparse._SubParsersAction):  # type: ignore[type-arg]
    """Command words whose parsers are configured (their modules imported) when chosen."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pending: dict[str, str] = {}

    def add_command(self, command: Command) -> None:
        """Add *command*, to be configured when it is chosen."""
        self.add_parser(command.name, help=command.help)
        self._pending[command.name] = command.module

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        name = values[0] if isinstance(values, list) and values else None
        module = self._pending.pop(name, None) if isinstance(name, str) else None
        if module is not None:
            importlib.import_module(module).configure(self._name_parser_map[str(name)])
        super().__call__(parser, namespace, values, option_string)


def top_parser(*, prog: str, description: str, version: str, commands: Sequence[Command]) -> Parser:
    """Return the top parser: ``--version``, ``--lang`` (default ``nl``) and *commands*."""
    parser = Parser(prog=prog, description=description)
    parser.set_defaults(lang=DEFAULT_LANG)
    parser.add_argument("--version", action="version", version=version)
    add_commands(parser, dest="command", commands=commands)
    return parser


def add_commands(
    parser: argparse.ArgumentParser, *, dest: str, commands: Sequence[Command]
) -> None:
    """Add *commands* below *parser*, each configured (its module imported) when chosen.

    The chosen word is stored in *dest*; a command group (``examkit privacy``)
    dispatches its subcommands from a table this way, as ``examkit`` does its commands.
    """
    words = cast(
        "_Commands",
        parser.add_subparsers(dest=dest, required=True, metavar="COMMAND", action=_Commands),
    )
    for command in commands:
        words.add_command(command)


def lang_of(args: argparse.Namespace) -> Lang:
    """Return the language the command was asked to speak."""
    lang: Lang = getattr(args, "lang", DEFAULT_LANG)
    return lang


def add_input(parser: argparse.ArgumentParser, *names: str, **kwargs: Any) -> None:
    """Add an argument naming a file the command reads (a :class:`~pathlib.Path`)."""
    action = parser.add_argument(*names, type=Path, **kwargs)
    parser.set_defaults(**{_INPUTS: (*(parser.get_default(_INPUTS) or ()), action.dest)})


def add_output(
    parser: argparse.ArgumentParser, *names: str, folder: bool = False, **kwargs: Any
) -> None:
    """Add an argument naming a file the command writes; it may not be one of its inputs.

    With *folder*, the argument names a folder the command writes into (made
    when missing); it may not be a file.
    """
    action = parser.add_argument(*names, type=Path, **kwargs)
    kind = _FOLDERS if folder else _OUTPUTS
    name = action.option_strings[-1] if action.option_strings else action.dest
    parser.set_defaults(
        **{
            kind: (*(parser.get_default(kind) or ()), action.dest),
            _NAMES: {**(parser.get_default(_NAMES) or {}), action.dest: name},
        }
    )


def declared_paths(parser: argparse.ArgumentParser) -> frozenset[str]:
    """Return the destinations of *parser*'s arguments declared as inputs or outputs."""
    return frozenset(
        dest for kind in (_INPUTS, _OUTPUTS, _FOLDERS) for dest in parser.get_default(kind) or ()
    )


def _same_file(first: Path, second: Path) -> bool:
    if first.resolve() == second.resolve():
        return True
    try:
        return first.samefile(second)
    except OSError:
        return False


def check_paths(args: argparse.Namespace) -> None:
    """Refuse, before the command runs, an output file it could not or should not write.

    Raises:
        InvalidInput: ``cli.output.is_input`` for an output that is also an input
            (it would be overwritten), naming the output's option (``--output``);
            ``cli.file.unwritable`` for an output that is a folder or lies in a
            folder that does not exist, and for an output folder that is a file.
    """
    for dest in getattr(args, _FOLDERS, ()):
        folder: Path | None = getattr(args, dest)
        if folder is not None and folder.exists() and not folder.is_dir():
            raise InvalidInput(
                "cli.file.unwritable", path=str(folder), reason=os.strerror(errno.ENOTDIR)
            )
    inputs = [getattr(args, dest) for dest in getattr(args, _INPUTS, ())]
    for dest in getattr(args, _OUTPUTS, ()):
        output: Path | None = getattr(args, dest)
        if output is None:
            continue
        for given in inputs:
            if given is not None and _same_file(output, given):
                field = getattr(args, _NAMES, {}).get(dest, dest)
                raise InvalidInput("cli.output.is_input", field=field, path=str(output))
        if output.is_dir():
            reason = os.strerror(errno.EISDIR)
        elif not output.parent.is_dir():
            reason = os.strerror(errno.ENOENT)
        else:
            continue
        raise InvalidInput("cli.file.unwritable", path=str(output), reason=reason)


def _reason(error: OSError) -> str:
    return error.strerror or type(error).__name__


def read_input(path: Path, limit: int) -> bytes:
    """Return the bytes of the file *path*, at most *limit* of them.

    Raises:
        InvalidInput: ``cli.file.unreadable`` (missing, a folder, no permission);
            ``cli.file.too_large`` (more than *limit* bytes, or endless like
            ``/dev/zero``).
    """
    try:
        with path.open("rb") as stream:
            data = stream.read(limit + 1)
    except OSError as error:
        raise InvalidInput("cli.file.unreadable", path=str(path), reason=_reason(error)) from None
    if len(data) > limit:
        raise InvalidInput("cli.file.too_large", path=str(path), limit=limit // 2**20)
    return data


def read_json(path: Path) -> Any:
    """Return the JSON value in the UTF-8 file *path*.

    Raises:
        InvalidInput: the file cannot be read (``cli.file.unreadable``), is not
            UTF-8 (``cli.input.not_utf8``), is no JSON (``cli.json.invalid``, with
            its line), is larger than :data:`JSON_LIMIT` (``cli.file.too_large``),
            nests too deeply (``cli.json.too_deep``), holds a number
            too long to read (``cli.json.number_too_long``) or one that is not
            finite (``NaN``, ``Infinity``, ``1e999``: ``cli.json.not_finite``), or a
            text that is no Unicode (a lone surrogate: ``cli.json.not_unicode``).
    """
    raw = read_input(path, JSON_LIMIT)
    try:
        value = json.loads(raw.decode("utf-8"), parse_float=_finite, parse_constant=_no_constant)
    except UnicodeDecodeError as error:
        raise InvalidInput("cli.input.not_utf8", position=error.start) from None
    except json.JSONDecodeError as error:
        raise InvalidInput(
            "cli.json.invalid", line=error.lineno, column=error.colno, reason=error.msg
        ) from None
    except RecursionError:
        raise InvalidInput("cli.json.too_deep") from None
    except InvalidInput:  # a number that is not finite
        raise
    except ValueError:  # int() refuses a literal beyond sys.get_int_max_str_digits()
        raise InvalidInput("cli.json.number_too_long", limit=sys.get_int_max_str_digits()) from None
    _require_unicode(value)
    return value


def _finite(literal: str) -> float:
    number = float(literal)
    if not math.isfinite(number):
        raise InvalidInput("cli.json.not_finite", value=literal[:40])
    return number


def _no_constant(literal: str) -> float:
    raise InvalidInput("cli.json.not_finite", value=literal)


def _require_unicode(value: Any) -> None:
    """Refuse a text with a lone surrogate (JSON may escape one, but it is no Unicode text)."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            texts: Iterable[str] = (item,)
        elif isinstance(item, dict):
            texts = item.keys()
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
            continue
        else:
            continue
        for text in texts:
            try:
                text.encode("utf-8")
            except UnicodeEncodeError as error:
                raise InvalidInput("cli.json.not_unicode", position=error.start) from None


def write_output(path: Path, data: bytes, *, private: bool = False) -> None:
    """Write *data* to *path* whole or not at all (a temporary file, then renamed).

    A *private* file (a key) is readable by its owner only, from the start.

    Raises:
        InvalidInput: ``cli.file.unwritable`` (no such folder, no permission,
            a folder of that name, a full disk); nothing is left behind.
    """
    folder = path.parent
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            # as open() would have made it, or the owner's only (mkstemp's own mode)
            os.chmod(temporary, 0o600 if private else 0o666 & ~_umask())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise InvalidInput("cli.file.unwritable", path=str(path), reason=_reason(error)) from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _plain(value: object) -> bool:
    """Return whether *value* is JSON as it is (no converter needed)."""
    kind = type(value)
    if kind in (str, int, float, bool) or value is None:
        return True
    if kind is dict:
        return all(type(key) is str and _plain(item) for key, item in value.items())  # type: ignore[attr-defined]
    if kind in (list, tuple):
        return all(_plain(item) for item in value)  # type: ignore[attr-defined]
    return False


def print_json(data: Any, stream: TextIO | None = None) -> None:
    """Print *data* (unstructured by the one converter) as one JSON object."""
    if not _plain(data):
        from examkit.converter import unstructure  # the converter loads every model

        data = unstructure(data)
    out = stream if stream is not None else sys.stdout
    out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


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


def as_examkit_error(error: Exception) -> ExamkitError:
    """Return the :class:`ExamkitError` the command line reports for *error*.

    A command reports its own failures as :class:`ExamkitError`; this is the
    net under them: a file that cannot be used (``cli.file.failed``), input
    nested beyond what Python can follow (``cli.input.too_deep``), memory
    that ran out (``cli.input.too_large``), and anything else
    (``cli.failed``, naming the kind of failure).
    """
    if isinstance(error, ExamkitError):
        return error
    if isinstance(error, OSError):
        path = error.filename if error.filename is not None else "-"
        return InvalidInput("cli.file.failed", path=str(path), reason=_reason(error))
    if isinstance(error, RecursionError):
        return InvalidInput("cli.input.too_deep")
    if isinstance(error, MemoryError):
        return InvalidInput("cli.input.too_large")
    return InvalidInput("cli.failed", kind=type(error).__name__, reason=str(error)[:500])


def _quiet_stdout() -> None:
    """Point standard output at nothing, after its reader went away (a closed pipe)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no file descriptor (captured in tests)
        return


def run(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> int:
    """Parse *argv* with *parser* and run the chosen command's handler.

    Returns the exit status: the handler's, the parser's for bad arguments,
    or :data:`EXIT_UNUSABLE` with the message on stderr for any failure.
    """
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code) if isinstance(exit_.code, int) else EXIT_UNUSABLE
    lang = lang_of(args)
    try:
        check_paths(args)
        handler: Handler = args.handler
        code = int(handler(args))
        sys.stdout.flush()
    except KeyboardInterrupt:
        sys.stderr.write("examkit: interrupted\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_UNUSABLE
    except Exception as error:  # the one place every failure is reported, without a traceback
        return fail_unusable(as_examkit_error(error), lang)
    return code
