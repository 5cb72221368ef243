"""The examkit documentation's own Sphinx extension.

Directives:

``examkit-message-catalogue``
    The message catalogue (:data:`examkit.messages.CATALOGUE`) as tables of
    code, Dutch and English, one section per first part of the code.
``examkit-permission-matrix``
    The permission matrix (:data:`examkit.permissions.MATRIX`): per application its
    actions against its roles, and every role with its scope, who grants it
    and what it may grant; the same data ``may`` decides with.
``examkit-error-defaults``
    Every error class of :mod:`examkit.errors` with the code it uses when it
    is raised without one.
``examkit-problem-statuses``
    Every row of :data:`examkit.problems.HTTP_STATUS`: the error class, its
    HTTP status and the ``title`` its problem details carry in Dutch and English.
``examkit-requirement-coverage``
    Every requirement ID of the requirements list with the tests tagged with
    it (``@pytest.mark.req("ID")``), found by reading the test files with
    :mod:`ast` (nothing is imported or run).
``examkit-command COMMAND LINE``
    The command line and what the ``examkit`` command prints for it, run in
    process at build time in an empty temporary folder (with ``:status:``,
    also its exit status; with ``:stdin: TEXT``, *TEXT* with its backslash
    escapes read as Python's is the command's standard input, shown as
    ``printf 'TEXT' |``; with ``:given: PATH``, a copy of that file there).
``examkit-password-policies``
    Every preset of :data:`examkit.passwords.PRESETS`: its settings, its
    rules (code, the rule in Dutch and English, the standards it conflicts
    with) and its compliance report against every standard.
``examkit-password-standards``
    The standards of :data:`examkit.passwords.STANDARDS` and the numbers a
    policy is measured against.
``examkit-if-importable MODULE``
    Its content only when *MODULE* can be imported, a note otherwise; for
    modules that need an extra (the SQL backend, the test kit's pytest and
    hypothesis parts) or are still being written.
``examkit-edexml-codes TABLE``
    EDEXML's year groups (``year_groups``) or teacher roles (``roles``) as
    a table, from the table examkit validates with.

Event handlers:

- each requirement line of the requirements page gets the label
  ``req-<id>`` (``req-org-1``) and its ID in bold;
- a reference to an examkit object by its private module path
  (``examkit.storage._paging.Page``, as type hints name it) resolves to the
  public name (``examkit.storage.Page``), and a bare class or function name
  (a hint imported only for type checking) to the one examkit class,
  function or constant of that name;
- a reference to one of examkit's type variables (``T``, ``K``) is shown as
  plain text: a type variable has no page of its own;
- a constant that a package re-exports from a private module (``KINDS``,
  ``DEFAULT_PAGE_SIZE``, ``InstitutionCode``) is documented with the
  docstring written beside it in that module, where autodoc does not look;
- the first line of an attribute's docstring is never read as Napoleon's
  inline ``type: description`` (examkit takes types from annotations), so
  ``(0: never stored)`` stays text;
- a protocol class is shown without the meaningless ``(*args, **kwargs)``
  signature, and no class lists ``object`` as its base;
- the generated pages are read again at every build, so they follow the tests
  and the catalogue without a clean build.
"""

from __future__ import annotations

import ast
import codecs
import contextlib
import importlib
import importlib.util
import io
import os
import re
import shlex
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, TypeVar, cast

from docutils import nodes  # type: ignore[import-untyped, unused-ignore]
from docutils.parsers.rst import directives  # type: ignore[import-untyped, unused-ignore]
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.domains.python import PythonDomain
from sphinx.domains.std import StandardDomain
from sphinx.environment import BuildEnvironment
from sphinx.errors import PycodeError
from sphinx.pycode import ModuleAnalyzer
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.typing import ExtensionMetadata

__all__ = [
    "REQUIREMENT_LINE",
    "Requirement",
    "TaggedTest",
    "find_tagged_tests",
    "read_requirements",
    "setup",
]

logger = logging.getLogger(__name__)

REQUIREMENT_LINE = re.compile(r"^\s*[-*]\s+\**`?([A-Z]{2,6}-[0-9]{1,3})\b")
"""A requirement line of the list: the same pattern the pytest plugin reads."""

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_GENERATED = "examkit_generated"


# -- Reading the requirements list and the tests -------------------------------------


@dataclass(frozen=True)
class Requirement:
    """One requirement of the list: its ID, its line and the heading it stands under."""

    id: str
    text: str
    heading: str

    @property
    def label(self) -> str:
        """The label of the requirement's line on the requirements page."""
        return requirement_label(self.id)


def requirement_label(requirement_id: str) -> str:
    """Return the label of *requirement_id* on the requirements page (``req-org-1``)."""
    return f"req-{requirement_id.lower()}"


def read_requirements(path: Path) -> list[Requirement]:
    """Return the requirements listed in the Markdown file at *path*, in order."""
    found: list[Requirement] = []
    heading = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        title = _HEADING.match(line)
        if title is not None and len(title.group(1)) >= 2:
            heading = title.group(2)
            continue
        listed = REQUIREMENT_LINE.match(line)
        if listed is not None:
            rest = line[listed.end() :].strip()
            found.append(Requirement(id=listed.group(1), text=rest, heading=heading))
    return found


@dataclass(frozen=True)
class TaggedTest:
    """A test (module, class or function) tagged with requirement IDs."""

    path: str
    """The file, relative to the project root, with ``/``."""
    name: str
    """``Class::method``, ``function`` or ``Class``; empty for a whole module."""
    line: int
    ids: tuple[str, ...]

    @property
    def node_id(self) -> str:
        """The test as pytest names it (``tests/unit/test_x.py::test_y``)."""
        return f"{self.path}::{self.name}" if self.name else self.path


def _is_req_mark(function: ast.expr) -> bool:
    """Return whether *function* is ``pytest.mark.req`` (or ``mark.req``)."""
    if not isinstance(function, ast.Attribute) or function.attr != "req":
        return False
    owner = function.value
    return (isinstance(owner, ast.Attribute) and owner.attr == "mark") or (
        isinstance(owner, ast.Name) and owner.id == "mark"
    )


def _req_ids(expression: ast.AST) -> tuple[str, ...]:
    """Return the IDs of every ``req`` mark anywhere in *expression*, in order."""
    ids: list[str] = []
    for node in ast.walk(expression):
        if isinstance(node, ast.Call) and _is_req_mark(node.func):
            ids.extend(
                argument.value
                for argument in node.args
                if isinstance(argument, ast.Constant) and isinstance(argument.value, str)
            )
    return tuple(dict.fromkeys(ids))


def _pytestmark_ids(body: Sequence[ast.stmt]) -> tuple[str, ...]:
    """Return the IDs of a ``pytestmark = ...`` assignment in *body*."""
    ids: list[str] = []
    for statement in body:
        if isinstance(statement, ast.Assign):
            targets = statement.targets
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            targets = [statement.target]
        else:
            continue
        named = any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in targets)
        if named and statement.value is not None:
            ids.extend(_req_ids(statement.value))
    return tuple(dict.fromkeys(ids))


def _decorator_ids(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> tuple[str, ...]:
    ids: list[str] = []
    for decorator in node.decorator_list:
        ids.extend(_req_ids(decorator))
    return tuple(dict.fromkeys(ids))


def _tagged_in(body: Sequence[ast.stmt], path: str, prefix: str) -> Iterator[TaggedTest]:
    for node in body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            ids = _decorator_ids(node)
            if ids:
                yield TaggedTest(path, prefix + node.name, node.lineno, ids)
        elif isinstance(node, ast.ClassDef):
            ids = tuple(dict.fromkeys(_decorator_ids(node) + _pytestmark_ids(node.body)))
            if ids:
                yield TaggedTest(path, prefix + node.name, node.lineno, ids)
            yield from _tagged_in(node.body, path, f"{prefix}{node.name}::")


def find_tagged_tests(roots: Iterable[Path], base: Path) -> list[TaggedTest]:
    """Return every test under *roots* tagged with a requirement, by file and line.

    Args:
        roots: Folders to search for ``*.py`` files (missing ones are skipped).
        base: The folder paths are shown relative to (the project root).
    """
    found: list[TaggedTest] = []
    for root in roots:
        if not root.is_dir():
            continue
        for file in sorted(root.rglob("*.py")):
            try:
                shown = file.resolve().relative_to(base.resolve()).as_posix()
            except ValueError:
                shown = file.as_posix()
            try:
                tree = ast.parse(file.read_text(encoding="utf-8"), filename=str(file))
            except SyntaxError as error:
                logger.warning("examkit: cannot read %s for requirement markers: %s", shown, error)
                continue
            module_ids = _pytestmark_ids(tree.body)
            if module_ids:
                found.append(TaggedTest(shown, "", 1, module_ids))
            found.extend(_tagged_in(tree.body, shown, ""))
    return found


# -- Building nodes ---------------------------------------------------------------


def _paragraph(*children: Any) -> Any:
    paragraph = nodes.paragraph()
    for child in children:
        paragraph += nodes.Text(child) if isinstance(child, str) else child
    return paragraph


def _table(headers: Sequence[str], widths: Sequence[int], rows: Iterable[Sequence[Any]]) -> Any:
    """Return a table; a cell is text or a node (or a list of nodes)."""
    table = nodes.table(classes=["examkit-generated"])
    group = nodes.tgroup(cols=len(headers))
    table += group
    for width in widths:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    group += head
    head += _row(headers)
    body = nodes.tbody()
    group += body
    for cells in rows:
        body += _row(cells)
    return table


def _row(cells: Sequence[Any]) -> Any:
    row = nodes.row()
    for cell in cells:
        entry = nodes.entry()
        if isinstance(cell, str):
            entry += _paragraph(cell)
        elif isinstance(cell, list):
            for child in cell:
                entry += child
        else:
            entry += cell
        row += entry
    return row


def _section(document: Any, title: str, slug: str, *title_nodes: Any) -> Any:
    section = nodes.section()
    section["ids"].append(nodes.make_id(slug))
    section["names"].append(nodes.fully_normalize_name(slug))
    heading = nodes.title("", "", *title_nodes) if title_nodes else nodes.title(title, title)
    section += heading
    document.note_implicit_target(section, section)
    return section


def _ref(target: str, text: str) -> Any:
    """Return a reference to the label *target*, shown as *text*."""
    reference = addnodes.pending_xref(
        "",
        refdomain="std",
        reftype="ref",
        reftarget=target,
        refexplicit=True,
        refwarn=True,
    )
    reference += nodes.inline(text, text)
    return reference


class _GeneratedDirective(SphinxDirective):
    """A directive whose output is computed: its page is read again at every build."""

    def mark_generated(self) -> None:
        self.env.metadata[self.env.docname][_GENERATED] = True


class MessageCatalogue(_GeneratedDirective):
    """``examkit-message-catalogue``: the catalogue, one section per area."""

    has_content = False

    def run(self) -> list[Any]:
        from examkit.messages import CATALOGUE

        self.mark_generated()
        areas: dict[str, list[str]] = {}
        for code in CATALOGUE:
            areas.setdefault(code.split(".", 1)[0], []).append(code)
        sections: list[Any] = []
        for area, codes in areas.items():
            section = _section(
                self.state.document,
                "",
                f"messages-{area}",
                nodes.literal(f"{area}.*", f"{area}.*"),
            )
            count = len(codes)
            section += _paragraph(f"{count} message{'s' if count != 1 else ''}.")
            rows = [
                [
                    _paragraph(nodes.literal(code, code)),
                    CATALOGUE[code].nl,
                    CATALOGUE[code].en,
                ]
                for code in codes
            ]
            section += _table(["Code", "Nederlands", "English"], [30, 35, 35], rows)
            sections.append(section)
        return sections


class PermissionMatrixTables(_GeneratedDirective):
    """``examkit-permission-matrix``: the matrix, one section per application."""

    has_content = False

    def run(self) -> list[Any]:
        from examkit.permissions import MATRIX

        self.mark_generated()
        sections: list[Any] = []
        for app in MATRIX.systems.values():
            roles = MATRIX.roles_of(app.code)
            section = _section(self.state.document, f"{app.label_nl}", f"matrix-{app.code}")
            switch = "; with 'Toegang tot applicatie'" if app.access_switch else ""
            section += _paragraph(
                nodes.literal(app.code, app.code),
                f": {app.label_en}. New users are told by {app.onboarding.value}{switch}.",
            )
            rows: list[list[Any]] = []
            for action in MATRIX.actions.values():
                if action.application != app.code:
                    continue
                marks = ["✓" if action.code in role.actions else "" for role in roles]
                rows.append(
                    [
                        _paragraph(action.label_nl),
                        _paragraph(nodes.literal(action.code, action.code)),
                        *marks,
                    ]
                )
            width = max(4, 50 // max(1, len(roles)))
            section += _table(
                ["Handeling", "Action", *(role.label_nl for role in roles)],
                [25, 25, *([width] * len(roles))],
                rows,
            )
            role_rows = [
                [
                    _paragraph(nodes.literal(role.code, role.code)),
                    f"{role.label_nl} ({role.label_en})",
                    role.scope.value,
                    ", ".join(g.code for g in MATRIX.granted_by(role.code))
                    + (" (after a signed application)" if role.by_application else ""),
                    ", ".join(role.may_grant) or "-",
                ]
                for role in roles
            ]
            section += _table(
                ["Role", "Name", "Scope", "Granted by", "May grant"],
                [20, 20, 12, 24, 24],
                role_rows,
            )
            sections.append(section)
        return sections


class ErrorDefaults(_GeneratedDirective):
    """``examkit-error-defaults``: each error class and its default code."""

    has_content = False

    def run(self) -> list[Any]:
        from examkit import errors

        self.mark_generated()
        rows: list[list[Any]] = []
        for name in errors.__all__:
            value = getattr(errors, name)
            if not (isinstance(value, type) and issubclass(value, errors.ExamkitError)):
                continue
            found = [
                base
                for base in value.__mro__[1:]
                if base.__module__ == "builtins" and base not in (Exception, BaseException, object)
            ]
            builtins = [
                base.__name__
                for base in found
                if not any(other is not base and issubclass(other, base) for other in found)
            ]
            reference = addnodes.pending_xref(
                "",
                refdomain="py",
                reftype="exc",
                reftarget=f"examkit.errors.{name}",
                refexplicit=False,
                refwarn=True,
            )
            reference += nodes.literal(name, name)
            rows.append(
                [
                    _paragraph(reference),
                    ", ".join(builtins) if builtins else "-",
                    _paragraph(nodes.literal(value.default_code, value.default_code)),
                ]
            )
        return [_table(["Error", "Also a", "Default code"], [35, 35, 30], rows)]


class ProblemStatuses(_GeneratedDirective):
    """``examkit-problem-statuses``: each error class with its HTTP status and title."""

    has_content = False

    def run(self) -> list[Any]:
        from http import HTTPStatus

        from examkit.messages import text
        from examkit.problems import HTTP_STATUS, TITLES

        self.mark_generated()
        rows: list[list[Any]] = []
        for cls, status in HTTP_STATUS.items():
            target = f"{cls.__module__.split('._', 1)[0]}.{cls.__name__}"
            reference = addnodes.pending_xref(
                "",
                refdomain="py",
                reftype="exc",
                reftarget=target,
                refexplicit=False,
                refwarn=True,
            )
            reference += nodes.literal(cls.__name__, cls.__name__)
            title = next(TITLES[kind] for kind in cls.__mro__ if kind in TITLES)
            rows.append(
                [
                    _paragraph(reference),
                    f"{status} {HTTPStatus(status).phrase}",
                    text(title, "nl"),
                    text(title, "en"),
                ]
            )
        return [_table(["Error", "Status", "Title (nl)", "Title (en)"], [32, 28, 20, 20], rows)]


class RequirementCoverage(_GeneratedDirective):
    """``examkit-requirement-coverage``: every requirement with its tests."""

    has_content = False

    def run(self) -> list[Any]:
        self.mark_generated()
        config = self.env.config
        source = Path(self.env.srcdir) / config.examkit_requirements_file
        project = Path(self.env.srcdir).parent
        roots = [(Path(self.env.srcdir) / root).resolve() for root in config.examkit_test_roots]
        self.env.note_dependency(str(source))
        requirements = read_requirements(source)
        tests = find_tagged_tests(roots, project)
        by_id: dict[str, list[TaggedTest]] = {}
        for test in tests:
            for requirement_id in test.ids:
                by_id.setdefault(requirement_id, []).append(test)
        listed = {requirement.id for requirement in requirements}
        proven = sum(1 for requirement in requirements if requirement.id in by_id)

        output: list[Any] = [
            _paragraph(
                f"{proven} of {len(requirements)} requirements have at least one test; "
                f"{len(tests)} tagged test{'s' if len(tests) != 1 else ''} in all."
            )
        ]
        headings: dict[str, list[Requirement]] = {}
        for requirement in requirements:
            headings.setdefault(requirement.heading, []).append(requirement)
        for heading, members in headings.items():
            area = members[0].id.split("-", 1)[0].lower()
            section = _section(self.state.document, heading or "Requirements", f"coverage-{area}")
            rows = [
                [
                    self._requirement_cell(requirement, len(by_id.get(requirement.id, []))),
                    self._tests_cell(by_id.get(requirement.id, [])),
                ]
                for requirement in members
            ]
            section += _table(["Requirement", "Tests"], [18, 82], rows)
            output.append(section)

        unknown = sorted(set(by_id) - listed)
        if unknown:
            section = _section(self.state.document, "Tags not on the list", "coverage-unknown")
            section += _paragraph(
                "These IDs are used by tests but are not on the requirements list "
                "(the pytest plugin refuses them):"
            )
            rows = [
                [requirement_id, self._tests_cell(by_id[requirement_id])]
                for requirement_id in unknown
            ]
            section += _table(["ID", "Tests"], [15, 85], rows)
            output.append(section)
        return output

    @staticmethod
    def _requirement_cell(requirement: Requirement, count: int) -> list[Any]:
        """Return the requirement's ID (a link to its line) and how many tests it has."""
        cell = [_paragraph(_ref(requirement.label, requirement.id))]
        if count:
            cell.append(_paragraph(f"{count} test{'s' if count != 1 else ''}"))
        return cell

    @staticmethod
    def _tests_cell(tests: Sequence[TaggedTest]) -> Any:
        """Return the tests as a list with one item per file."""
        if not tests:
            return _paragraph(nodes.emphasis("no test yet", "no test yet"))
        by_file: dict[str, list[TaggedTest]] = {}
        for test in tests:
            by_file.setdefault(test.path, []).append(test)
        items = nodes.bullet_list()
        for path, members in by_file.items():
            paragraph = _paragraph(nodes.literal(path, path), ": ")
            for index, test in enumerate(members):
                if index:
                    paragraph += nodes.Text(", ")
                shown = test.name or "every test of the module"
                paragraph += (
                    nodes.literal(shown, shown) if test.name else nodes.emphasis(shown, shown)
                )
            item = nodes.list_item()
            item += paragraph
            items += item
        return items


@contextlib.contextmanager
def _terminal_width(columns: int) -> Iterator[None]:
    """Make argparse wrap its help at *columns*, whatever the building terminal is."""
    saved = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = str(columns)
    try:
        yield
    finally:
        if saved is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = saved


@contextlib.contextmanager
def _temporary_root(folder: str) -> Iterator[None]:
    """Make :mod:`tempfile` create its folders under *folder* for a while."""
    saved = tempfile.tempdir
    tempfile.tempdir = folder
    try:
        yield
    finally:
        tempfile.tempdir = saved


@contextlib.contextmanager
def _standard_input(stream: io.TextIOWrapper) -> Iterator[None]:
    """Make *stream* the process's standard input for a while."""
    saved = sys.stdin
    sys.stdin = stream
    try:
        yield
    finally:
        sys.stdin = saved


def run_command(
    argv: Sequence[str], stdin: bytes = b"", given: Sequence[Path] = ()
) -> tuple[int, str, str]:
    """Run ``examkit`` with *argv* in a temporary folder; return status, stdout, stderr.

    *stdin* is what the command reads on its standard input. The folder is
    empty but for copies of the *given* files. Temporary
    folders the command makes are shown as ``/tmp/<prefix>XXXXXXXX``, so the
    output is the same at every build.
    """
    from examkit.cli import main

    out, err = io.StringIO(), io.StringIO()
    typed = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="examkit-docs-") as folder:
        work, scratch = Path(folder) / "work", Path(folder) / "tmp"
        work.mkdir()
        scratch.mkdir()
        for path in given:
            (work / path.name).write_bytes(path.read_bytes())
        with (
            contextlib.chdir(work),
            _temporary_root(str(scratch)),
            _terminal_width(80),
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
            _standard_input(typed),
        ):
            status = main(list(argv))
    random_part = re.compile(re.escape(str(scratch)) + r"/([\w.-]*?)[a-z0-9_]{8}(?![\w.-])")
    masked = r"/tmp/\1XXXXXXXX"  # noqa: S108 - text shown on the page; nothing is written there
    shown = [random_part.sub(masked, text) for text in (out.getvalue(), err.getvalue())]
    return status, shown[0], shown[1]


class CommandOutput(_GeneratedDirective):
    """``examkit-command``: a command line with the output the command gives for it.

    ``:given: PATH ...`` (paths from the documentation's folder) copies those
    files into the folder the command runs in, by their names.
    """

    required_arguments = 1
    final_argument_whitespace = True
    has_content = False
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "status": directives.flag,
        "stdin": directives.unchanged,
        "given": directives.unchanged_required,
    }

    def run(self) -> list[Any]:
        self.mark_generated()
        line = self.arguments[0]
        given = self.options.get("stdin")
        stdin = codecs.escape_decode(given.encode("utf-8"))[0] if given else b""
        argv = shlex.split(line)
        if not argv or argv[0] != "examkit":
            logger.warning(
                "examkit-command runs only the examkit command, not %r",
                line,
                location=self.get_location(),
            )
            return []
        files = [Path(self.env.srcdir) / name for name in self.options.get("given", "").split()]
        for path in files:
            self.env.note_dependency(str(path))
        try:
            status, out, err = run_command(argv[1:], stdin, files)
        except Exception as error:
            logger.warning(
                "examkit-command %r failed: %r", line, error, location=self.get_location()
            )
            return []
        shown = f"printf '{given}' | {line}" if given else line
        session = f"$ {shown}\n{out}{err}"
        if "status" in self.options:
            session += f"$ echo $?\n{status}\n"
        block = nodes.literal_block(session, session.rstrip("\n"))
        block["language"] = "console"
        return [block]


class EdexmlCodes(_GeneratedDirective):
    """``examkit-edexml-codes TABLE``: the year groups or the teacher roles of EDEXML.

    *TABLE* is ``year_groups`` (:data:`examkit.edexml.YEAR_GROUPS`) or
    ``roles`` (:data:`examkit.edexml.ROLE_CODES`): each code, the version
    that added it and its meaning, from the table examkit validates with.
    """

    required_arguments = 1
    has_content = False

    def run(self) -> list[Any]:
        from examkit.edexml import ROLE_CODES, YEAR_GROUPS

        self.mark_generated()
        tables = {"year_groups": YEAR_GROUPS, "roles": ROLE_CODES}
        table = tables.get(self.arguments[0])
        if table is None:
            logger.warning(
                "examkit-edexml-codes takes one of %s, not %r",
                ", ".join(tables),
                self.arguments[0],
                location=self.get_location(),
            )
            return []
        rows = [
            [_paragraph(nodes.literal(code, code)), str(version), meaning]
            for code, (version, meaning) in table.items()
        ]
        return [_table(["Code", "Since", "Meaning (Dutch)"], [15, 15, 70], rows)]


def _missing_dependency(error: BaseException) -> str | None:
    """Return the third-party module whose absence caused *error*, if that is the cause."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ModuleNotFoundError):
            name = seen.name or ""
            return None if not name or name.split(".")[0] == "examkit" else name
        seen = seen.__cause__ or seen.__context__
    return None


class IfImportable(SphinxDirective):
    """``examkit-if-importable MODULE``: the content only when *MODULE* imports.

    A module that does not exist yet gives a note. A module that exists but
    fails to import for want of a third-party package gives a note naming
    it; any other failure is a warning (so ``-W`` fails the build).
    """

    required_arguments = 1
    has_content = True
    final_argument_whitespace = False

    def run(self) -> list[Any]:
        name = self.arguments[0]
        try:
            spec = importlib.util.find_spec(name)
        except ImportError:
            spec = None
        if spec is None:
            return [
                self._note(
                    f"{name} is not part of examkit yet; its reference appears here once it is."
                )
            ]
        try:
            importlib.import_module(name)
        except Exception as error:
            missing = _missing_dependency(error)
            if missing is not None:
                return [
                    self._note(
                        f"{name} needs {missing}, which is not installed where these docs "
                        "were built (install its extra)."
                    )
                ]
            logger.warning(
                "examkit: cannot import %s: %s", name, error, location=self.get_location()
            )
            return [self._note(f"{name} cannot be imported: {error}")]
        return list(self.parse_content_to_nodes(allow_section_headings=True))

    @staticmethod
    def _note(message: str) -> Any:
        note = nodes.note()
        note += _paragraph(message)
        return note


def _days(value: Any) -> str:
    if value is None:
        return "never"
    days = value.total_seconds() / 86_400
    return f"{days:g} day{'s' if days != 1 else ''}"


def _code(value: str) -> Any:
    return _paragraph(nodes.literal(value, value))


class PasswordPolicies(_GeneratedDirective):
    """``examkit-password-policies``: every preset, its rules and its compliance reports."""

    has_content = False

    def run(self) -> list[Any]:
        from examkit.passwords import PRESETS, STANDARDS

        self.mark_generated()
        sections: list[Any] = []
        for name, policy in PRESETS.items():
            section = _section(
                self.state.document, "", f"password-policy-{name}", nodes.literal(name, name)
            )
            lifetime = policy.lifetime
            reminders = ", ".join(_days(reminder) for reminder in lifetime.reminders) or "none"
            depth = policy.history_depth
            remembered = (
                "all previous passwords" if depth is None else f"{depth} previous password(s)"
            )
            settings = [
                ["Length", f"{policy.min_length} to {policy.max_length} characters (code points)"],
                ["Normalisation", policy.normalisation or "none: the text as typed"],
                ["History", remembered if policy.has("passwords.history") else "not checked"],
                ["Initial password valid", _days(lifetime.initial)],
                ["Chosen password valid", _days(lifetime.chosen)],
                ["Reminders before expiry", reminders],
            ]
            section += _table(["Setting", "Value"], [30, 70], settings)
            rules = [
                [
                    _code(rule.code),
                    rule.help("nl"),
                    rule.help("en"),
                    ", ".join(sorted(rule.conflicts)) or "-",
                ]
                for rule in policy.all_rules
            ]
            section += _table(
                ["Code", "Regel (Nederlands)", "Rule (English)", "Conflicts with"],
                [22, 32, 32, 14],
                rules,
            )
            for key in STANDARDS:
                report = policy.compliance_report(key)
                title = f"{name} against {report.standard.title}"
                part = _section(self.state.document, title, f"password-compliance-{name}-{key}")
                if report.complies:
                    part += _paragraph(f"The {name} policy complies with {report.standard.title}.")
                else:
                    count = len(report.deviations)
                    part += _paragraph(
                        f"{count} deviation{'s' if count != 1 else ''} from "
                        f"{report.standard.title}:"
                    )
                    rows = [
                        [
                            _code(deviation.subject),
                            deviation.message("en"),
                            deviation.message("nl"),
                        ]
                        for deviation in report.deviations
                    ]
                    part += _table(["Subject", "Why", "Waarom"], [20, 40, 40], rows)
                section += part
            sections.append(section)
        return sections


class PasswordStandards(_GeneratedDirective):
    """``examkit-password-standards``: the standards and what a policy is measured against."""

    has_content = False

    def run(self) -> list[Any]:
        from examkit.passwords import STANDARDS

        self.mark_generated()

        def said(value: object) -> str:
            return "-" if value is None else str(value)

        rows = [
            [
                _code(key),
                standard.title,
                str(standard.min_length),
                said(standard.max_length_at_least),
                ("yes" if standard.blocklist else "no")
                + (f", {standard.blocklist_at_least}+" if standard.blocklist_at_least else ""),
                "yes" if standard.patterns else "no",
                "yes" if standard.context else "no",
                "allowed" if standard.expiry_allowed else "not allowed",
                _days(standard.initial_at_most) if standard.initial_at_most else "-",
                ", ".join(sorted(form or "none" for form in standard.normalisations)) or "any",
            ]
            for key, standard in STANDARDS.items()
        ]
        return [
            _table(
                [
                    "Key",
                    "Standard",
                    "Min. length",
                    "Max. length at least",
                    "Blocklist",
                    "Patterns",
                    "Context words",
                    "Periodic expiry",
                    "Initial password at most",
                    "Normalisation",
                ],
                [8, 14, 7, 8, 10, 8, 8, 11, 11, 15],
                rows,
            )
        ]


# -- Event handlers ---------------------------------------------------------------


def mark_requirements(app: Sphinx, doctree: Any) -> None:
    """Label each requirement line of the requirements page and set its ID in bold."""
    config = app.config
    docname = app.env.docname
    wanted = str(Path(config.examkit_requirements_file).with_suffix("").as_posix())
    if docname != wanted:
        return
    domain = cast("StandardDomain", app.env.get_domain("std"))
    for item in doctree.findall(nodes.list_item):
        if not item.children or not isinstance(item.children[0], nodes.paragraph):
            continue
        paragraph = item.children[0]
        found = REQUIREMENT_LINE.match("- " + paragraph.astext())
        if found is None:
            continue
        requirement_id = found.group(1)
        label = requirement_label(requirement_id)
        item["ids"].append(label)
        domain.note_hyperlink_target(label, docname, label, requirement_id)
        first = paragraph.children[0] if paragraph.children else None
        if isinstance(first, nodes.Text) and str(first).startswith(requirement_id):
            rest = str(first)[len(requirement_id) :]
            paragraph.replace(first, nodes.strong(requirement_id, requirement_id))
            paragraph.insert(1, nodes.Text(rest))


def _public_name(target: str) -> str:
    """Return *target* without its private module parts (``examkit.storage._paging.Page``)."""
    parts = target.split(".")
    kept = [
        part
        for index, part in enumerate(parts)
        if index == len(parts) - 1
        or not part.startswith("_")
        or (part.startswith("__") and part.endswith("__"))
    ]
    return ".".join(kept)


_BARE_REFTYPES = frozenset({"class", "exc", "obj", "data", "func"})
_BARE_OBJTYPES = frozenset({"class", "exception", "data", "function", "type"})


def resolve_examkit_names(
    app: Sphinx, env: BuildEnvironment, node: addnodes.pending_xref, contnode: Any
) -> Any:
    """Resolve an examkit name given by its private module path, or given bare."""
    if node.get("refdomain") != "py":
        return None
    target = str(node.get("reftarget", ""))
    domain = cast("PythonDomain", env.get_domain("py"))
    candidates: list[str] = []
    if target.startswith("examkit."):
        public = _public_name(target)
        if public != target:
            candidates.append(public)
    elif target and "." not in target and node.get("reftype") in _BARE_REFTYPES:
        matches = [
            name
            for name, entry in domain.objects.items()
            if name.startswith("examkit.")
            and name.endswith(f".{target}")
            and entry.objtype in _BARE_OBJTYPES
            and not entry.aliased
        ]
        if len(matches) == 1:
            candidates.append(matches[0])
    for candidate in candidates:
        found = domain.resolve_xref(
            env,
            str(node.get("refdoc", env.docname)),
            app.builder,
            str(node.get("reftype", "obj")),
            candidate,
            node,
            contnode,
        )
        if found is not None:
            return found
    return None


def _import_object(dotted: str) -> tuple[bool, object]:
    """Return whether *dotted* names an importable object, and the object."""
    parts = dotted.split(".")
    for split in range(len(parts) - 1, 0, -1):
        module = sys.modules.get(".".join(parts[:split]))
        if module is None:
            continue
        value: object = module
        for part in parts[split:]:
            if not hasattr(value, part):
                return False, None
            value = getattr(value, part)
        return True, value
    return False, None


def show_type_variables(
    app: Sphinx, env: BuildEnvironment, node: addnodes.pending_xref, contnode: Any
) -> Any:
    """Show a reference to one of examkit's type variables as plain text."""
    target = str(node.get("reftarget", ""))
    if node.get("refdomain") != "py" or not target.startswith("examkit."):
        return None
    found, value = _import_object(target)
    if found and isinstance(value, TypeVar):
        return contnode
    return None


# -- Docstrings of re-exported constants and of attributes ------------------------


def _defining_docstring(name: str, value: object) -> list[str] | None:
    """Return the docstring written beside the module-level *name* that holds *value*.

    Searches every loaded examkit module, so a constant re-exported by a
    package is found in the private module that defines it.
    """
    for module_name, module in sorted(sys.modules.items()):
        if not module_name.startswith("examkit") or module is None:
            continue
        if getattr(module, name, _MISSING) is not value:
            continue
        try:
            analyzer = ModuleAnalyzer.for_module(module_name)
            analyzer.analyze()
        except PycodeError:
            continue
        lines = analyzer.attr_docs.get(("", name))
        if lines:
            return list(lines)
    return None


_MISSING = object()


def adopt_reexported_docstrings(  # noqa: PLR0917 - Sphinx passes event arguments by position
    app: Sphinx, what: str, name: str, value: object, options: Any, lines: list[str]
) -> None:
    """Let autodoc see the docstrings of the constants a module re-exports.

    Autodoc documents a module-level constant only when the documented module's
    source has a docstring beside it. A package re-exports constants from its
    private modules, so before autodoc goes through the members of a module
    (this runs on the module's own docstring, just before), the docstrings
    written in the defining modules are added to the module's source analysis.
    """
    if what != "module" or not name.startswith("examkit"):
        return
    module = sys.modules.get(name)
    exported = getattr(module, "__all__", None)
    if module is None or not exported:
        return
    try:
        analyzer = ModuleAnalyzer.for_module(name)
        analyzer.analyze()
    except PycodeError:
        return
    for member in exported:
        if ("", member) in analyzer.attr_docs or not hasattr(module, member):
            continue
        value = getattr(module, member)
        if isinstance(value, type) or (callable(value) and not _is_type_alias(value)):
            continue
        found = _defining_docstring(member, value)
        if found:
            analyzer.attr_docs["", member] = found


def _is_type_alias(value: object) -> bool:
    return type(value).__module__ in {"types", "typing"}


_SPLITTING_COLON = re.compile(r"(?<!:):(?!:)\s")
_CODE_OR_ROLE = re.compile(r"``.+?``|:[a-zA-Z0-9_.-]+:`.+?`|`.+?`")


def protect_attribute_summary(  # noqa: PLR0917 - Sphinx passes event arguments by position
    app: Sphinx, what: str, name: str, value: object, options: Any, lines: list[str]
) -> None:
    """Stop Napoleon from reading an attribute docstring's first colon as a type.

    Napoleon treats the first line of an attribute docstring as ``type:
    description``; an empty comment before it makes that "type" empty.
    Runs before Napoleon.
    """
    if what not in {"attribute", "data", "property"}:
        return
    first = next((index for index, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return
    if _SPLITTING_COLON.search(_CODE_OR_ROLE.sub("", lines[first])):
        lines[first:first] = ["..", ""]


def drop_protocol_signature(  # noqa: PLR0917 - Sphinx passes event arguments by position
    app: Sphinx,
    what: str,
    name: str,
    value: object,
    options: Any,
    signature: str | None,
    return_annotation: str | None,
) -> tuple[str, str | None] | None:
    """Show a protocol class without the ``(*args, **kwargs)`` it inherits from Protocol."""
    if what == "class" and getattr(value, "_is_protocol", False):
        return "", return_annotation
    return None


def drop_object_base(app: Sphinx, name: str, value: object, options: Any, bases: list[Any]) -> None:
    """Leave ``object`` out of a class's listed bases."""
    bases[:] = [base for base in bases if base is not object]


def reread_generated(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Return the pages with generated content: they are read again at every build."""
    return [
        docname
        for docname, metadata in env.metadata.items()
        if metadata.get(_GENERATED) and docname not in removed
    ]


def setup(app: Sphinx) -> ExtensionMetadata:
    """Register the directives, the handlers and the configuration values."""
    app.add_config_value("examkit_requirements_file", "requirements.md", "env", str)
    app.add_config_value("examkit_test_roots", ["../tests"], "env", list)
    app.add_directive("examkit-message-catalogue", MessageCatalogue)
    app.add_directive("examkit-error-defaults", ErrorDefaults)
    app.add_directive("examkit-permission-matrix", PermissionMatrixTables)
    app.add_directive("examkit-problem-statuses", ProblemStatuses)
    app.add_directive("examkit-requirement-coverage", RequirementCoverage)
    app.add_directive("examkit-command", CommandOutput)
    app.add_directive("examkit-if-importable", IfImportable)
    app.add_directive("examkit-password-policies", PasswordPolicies)
    app.add_directive("examkit-password-standards", PasswordStandards)
    app.add_directive("examkit-edexml-codes", EdexmlCodes)
    app.connect("doctree-read", mark_requirements)
    app.connect("missing-reference", resolve_examkit_names)
    app.connect("missing-reference", show_type_variables)
    app.connect("autodoc-process-docstring", protect_attribute_summary, priority=400)
    app.connect("autodoc-process-docstring", adopt_reexported_docstrings)
    app.connect("autodoc-process-signature", drop_protocol_signature)
    app.connect("autodoc-process-bases", drop_object_base)
    app.connect("env-get-outdated", reread_generated)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
