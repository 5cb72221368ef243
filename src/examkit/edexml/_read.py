"""Reading an EDEXML file: :func:`inspect` for the verdict, :func:`parse` for the roster."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import attrs
from lxml import etree

from examkit.edexml._builder import Builder
from examkit.edexml._findings import Finding, Findings
from examkit.edexml._lines import LIBXML2_LAST_EXACT_LINE, exact_lines
from examkit.edexml._model import Inspection, Roster
from examkit.edexml._passes import (
    extra_schema_findings,
    fast_pass,
    head,
    schema_accepts,
    slow_pass,
)
from examkit.edexml._problems import EdexmlProblem
from examkit.edexml._scan import scan_attributes
from examkit.edexml._source import DEFAULT_LIMITS, PARSER_OPTIONS, Limits, Refusal, Source, refuse
from examkit.edexml._validator import display_path
from examkit.edexml._values import shown
from examkit.edexml._version import Version, declared_version
from examkit.edexml._xsd import compiled_schema
from examkit.errors import ConfigurationError, ExamkitErrorGroup, InvalidInput

__all__ = ["Source", "inspect", "load_schema", "parse"]

SchemaSource = bytes | os.PathLike[str]


def load_schema(schema: SchemaSource) -> etree.XMLSchema:
    """Return the XML schema in *schema* (bytes, or a path whose includes are found beside it).

    Raises:
        InvalidInput: *schema* cannot be read or is no XML schema
            (``edexml.extra_schema.unusable``).
    """
    parser = etree.XMLParser(**PARSER_OPTIONS)
    name = "<bytes>" if isinstance(schema, bytes) else str(schema)
    try:
        if isinstance(schema, bytes):
            document = etree.fromstring(schema, parser).getroottree()
        else:
            document = etree.parse(str(Path(schema)), parser)
        return etree.XMLSchema(document)
    except (OSError, etree.XMLSyntaxError, etree.XMLSchemaParseError) as error:
        raise InvalidInput(
            "edexml.extra_schema.unusable", path=name, detail=shown(str(error))
        ) from None


@attrs.frozen
class _Outcome:
    version: Version | None
    builder: Builder
    problems: tuple[EdexmlProblem, ...]
    errors: int
    """Every error counted, listed or not."""
    warnings: int
    """Every warning counted, listed or not."""


def _choose(
    candidates: Sequence[Version], findings: Findings, skipped: Mapping[Version, int]
) -> Version:
    """Return the version the file breaks least (the earliest on a tie).

    A version's score is its errors plus the elements it could not check
    (an element it does not know hides the rest of its parent's content).
    """

    def score(version: Version) -> tuple[int, int]:
        return (findings.errors(version) + skipped.get(version, 0), version.rank)

    return min(candidates, key=score)


def _version_warnings(builder: Builder, version: Version | None) -> list[Finding]:
    text = builder.declared_version
    if text is None or version is None or builder.declared_where is None:
        return []
    declared = declared_version(text)
    if declared is None:
        code = "edexml.version.unknown"
    elif version > declared:
        code = "edexml.version.mismatch"
    else:
        return []
    return [
        Finding(
            "warning",
            code,
            {"declared": shown(text.strip()), "version": str(version)},
            builder.declared_where,
            builder.declared_line,
        )
    ]


def _problems(
    source: Source, findings: Findings, version: Version | None
) -> tuple[EdexmlProblem, ...]:
    """Return the findings kept for *version* as problems, in the file's order.

    On one line, errors come before warnings. When more were found than
    kept, the last problem says how many more (``edexml.problems.truncated``).
    """
    kept = findings.kept(version)
    unsure = {
        finding.where
        for finding in kept
        if finding.where and (finding.line is None or finding.line > LIBXML2_LAST_EXACT_LINE)
    }
    lines = exact_lines(source, unsure)
    ordered = sorted(
        enumerate(kept),
        key=lambda item: (_line(item[1], lines), item[1].severity != "error", item[0]),
    )
    problems = [
        EdexmlProblem(
            finding.code,
            severity=finding.severity,
            field=display_path(finding.where, version) if finding.where else None,
            line=lines.get(finding.where, finding.line),
            **finding.params,
        )
        for _, finding in ordered
    ]
    more = findings.total(version) - len(kept)
    if more:
        errors = findings.errors(version) - sum(
            1 for finding in kept if finding.severity == "error"
        )
        problems.append(
            EdexmlProblem(
                "edexml.problems.truncated",
                severity="error" if errors else "warning",
                more=more,
                errors=errors,
                maximum=findings.cap,
                limit="max_problems",
            )
        )
    return tuple(problems)


def _line(finding: Finding, lines: dict[tuple[tuple[str, int], ...], int]) -> int:
    line = lines.get(finding.where, finding.line)
    return line if line is not None else sys.maxsize


def _read(
    source: object,
    *,
    lenient: bool,
    schema: SchemaSource | None,
    limits: Limits,
    keep: bool,
    full_report: bool = False,
) -> _Outcome:
    if not isinstance(limits, Limits):
        raise ConfigurationError("config.invalid", field="limits", reason="limits must be Limits")
    extra = load_schema(schema) if schema is not None else None
    src = Source(source, limits)
    try:
        scan_attributes(src)
        started, declared_text = head(src)
        declared = declared_version(declared_text)
        findings = Findings(limits.max_problems)
        builder = Builder(
            keep=keep, lenient=lenient, findings=findings, max_records=limits.max_records
        )
        if started and not full_report and fast_pass(src, declared or Version.V2_1, builder):
            version: Version | None = declared
            if version is None:
                version = next(
                    (
                        lower
                        for lower in (Version.V1_03, Version.V2_0)
                        if schema_accepts(src, compiled_schema(lower))
                    ),
                    Version.V2_1,
                )
        else:
            findings = Findings(limits.max_problems)
            builder = Builder(
                keep=keep, lenient=lenient, findings=findings, max_records=limits.max_records
            )
            candidates = [v for v in Version if declared is None or v >= declared]
            seen, skipped, malformed = slow_pass(
                src, candidates, builder, findings, lenient=lenient
            )
            if malformed is not None:
                # Only the well-formedness error: what came before it depends on how far
                # libxml2 had read (which differs between its versions), so nothing else is told.
                only = Findings(limits.max_problems)
                only.append(malformed)
                empty = Builder(keep=False, lenient=lenient, findings=only)
                return _Outcome(None, empty, _problems(src, only, None), 1, 0)
            builder.finish()
            version = _choose(candidates, findings, skipped) if seen else None
        findings.extend(_version_warnings(builder, version))
        if extra is not None:
            findings.extend(extra_schema_findings(src, extra))
        problems = _problems(src, findings, version)
    except Refusal as refusal:
        raise refuse(refusal) from None
    errors = findings.errors(version)
    return _Outcome(version, builder, problems, errors, findings.total(version) - errors)


def inspect(
    source: bytes | os.PathLike[str],
    *,
    lenient: bool = False,
    schema: SchemaSource | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Inspection:
    """Check an EDEXML file and return the verdict, with every problem found.

    Reads the file in one streaming pass when it is valid (a second one when
    it is not, to report every problem with its line and element); keeps no
    pupils or teachers, only their counts. This is what ``examkit edexml
    inspect`` runs.

    >>> verdict = inspect(b'''<EDEX><school><schooljaar>2026-2027</schooljaar>
    ... <brincode>22AB</brincode></school><leerlingen>
    ... <leerling key="1"><roepnaam>Sem</roepnaam><jaargroep>4</jaargroep></leerling>
    ... </leerlingen></EDEX>''')
    >>> verdict.valid, str(verdict.version), str(verdict.school.location), verdict.counts.pupils
    (True, '1.03', '22AB00', 1)

    Args:
        source: The file's bytes, or its path. Never text: the file's own
            byte order mark and XML declaration say how it is encoded.
        lenient: Leave out vendor additions (``toevoegingen``) and ignore
            unknown ``xsi:type`` values, each reported as a warning.
        schema: An XML schema (bytes or a path) the file must also satisfy,
            for instance a supplier's extension of the standard.
        limits: The limits beyond which the file is refused unread.

    Returns:
        The verdict: valid or not, the version, the school, the counts and
        the problems in the file's order (the first ``limits.max_problems``,
        then a count of the rest). For a file that is not well-formed XML,
        only that error with its line, and no version, school or counts.

    Raises:
        EdexmlRefused: the file crosses a limit or has a document type declaration.
        InvalidInput: *source* is not bytes or a path, the path cannot be
            read, or *schema* is unusable.

    Implements EDX-1 and EDX-6.
    """
    outcome = _read(source, lenient=lenient, schema=schema, limits=limits, keep=False)
    builder = outcome.builder
    return Inspection(
        valid=not outcome.errors,
        version=outcome.version,
        school=builder.school,
        counts=builder.counts,
        problems=outcome.problems,
        declared_version=builder.declared_version,
    )


def parse(
    source: bytes | os.PathLike[str],
    *,
    lenient: bool = False,
    schema: SchemaSource | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Roster:
    """Read a valid EDEXML file into a :class:`~examkit.edexml.Roster`.

    Takes the same arguments as :func:`inspect`. Keeps only what examkit
    needs of each pupil and teacher (EDX-6); the roster's ``warnings`` hold
    the warnings.

    >>> roster = parse(b'''<EDEX><school><schooljaar>2026-2027</schooljaar>
    ... <brincode>22AB</brincode></school><leerlingen>
    ... <leerling key="1"><achternaam>Vries</achternaam><voorvoegsel>de</voorvoegsel>
    ... <roepnaam>Sem</roepnaam><jaargroep>4</jaargroep></leerling>
    ... </leerlingen></EDEX>''')
    >>> [pupil.name.full_name for pupil in roster.pupils]
    ['Sem de Vries']

    Raises:
        ExamkitErrorGroup: the file has errors; the group holds the
            problems (errors and warnings) as
            :class:`~examkit.edexml.EdexmlProblem` values, in the file's
            order, as :func:`inspect` lists them; its ``errors`` and
            ``warnings`` count every one, listed or not.
        EdexmlRefused: the file crosses a limit or has a document type declaration.
        InvalidInput: *source* is not bytes or a path, the path cannot be
            read, or *schema* is unusable.

    Implements EDX-1 and EDX-6.
    """
    outcome = _read(source, lenient=lenient, schema=schema, limits=limits, keep=True)
    problems = outcome.problems
    errors = outcome.errors
    builder = outcome.builder
    if errors or outcome.version is None:
        raise ExamkitErrorGroup(
            list(problems), "edexml.invalid", errors=errors, warnings=outcome.warnings
        )
    return Roster(
        version=outcome.version,
        school=builder.school,
        sites=tuple(builder.sites),
        groups=tuple(builder.groups),
        combination_groups=tuple(builder.combination_groups),
        pupils=tuple(builder.pupils),
        teachers=tuple(builder.teachers),
        declared_version=builder.declared_version,
        warnings=problems,
    )
