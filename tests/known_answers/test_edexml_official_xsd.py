"""examkit's verdicts agree with the official EDEXML schemas (1.0.3, 2.0, 2.1).

This test reads ``../shared/edexml`` (the official schemas and every
sample, see SOURCES.md there) at run time; ``EXAMKIT_SHARED`` points at
another ``shared`` folder, and where it is absent the test skips (see
tests/conftest.py). On every sample
and on mutated copies of each, examkit's verdict must equal libxml2's
against the official schema of the version examkit chose, apart from the
one deliberate difference: examkit accepts any school year ``YYYY-YYYY+1``
where each schema lists the years up to its publication. A copy whose
school year examkit accepts is therefore compared with its year replaced by
one the schemas list.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from examkit.edexml import Counts, Limits, Version, inspect, parse
from examkit.edexml._read import _read
from examkit.edexml._xsd import compiled_schema
from examkit.identifiers import SchoolYear

pytestmark = [pytest.mark.req("EDX-1"), pytest.mark.shared("edexml")]

SHARED = Path(os.environ.get("EXAMKIT_SHARED") or Path(__file__).resolve().parents[3] / "shared")
REFERENCE = SHARED / "edexml"
SCHEMA_FOLDERS = {
    Version.V1_03: "EDEXML-1.0.3",
    Version.V2_0: "EDEXML-2.0",
    Version.V2_1: "EDEXML-2.1",
}
LISTED_YEAR = b"2014-2015"  # in every version's list
SAMPLES = sorted(REFERENCE.rglob("*.xml")) if REFERENCE.is_dir() else []
SAFE = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


@cache
def official(version: Version) -> etree.XMLSchema:
    """Return the official schema of *version*, compiled."""
    path = REFERENCE / "Oefenweb__cakephp-edexml" / "File" / SCHEMA_FOLDERS[version]
    return etree.XMLSchema(etree.parse(str(path / "EDEXML.structuur.xsd"), SAFE))


def official_verdict(data: bytes, version: Version) -> tuple[bool, list[int]]:
    """Return libxml2's verdict on *data* against the official *version* and its error lines."""
    try:
        tree = etree.fromstring(data, SAFE).getroottree()
    except etree.XMLSyntaxError as error:
        return False, [error.lineno or 0]
    schema = official(version)
    valid = schema.validate(tree)
    return valid, [entry.line for entry in schema.error_log]  # type: ignore[attr-defined]


def year_neutral(data: bytes) -> bytes:
    """Replace a school year examkit accepts by one the official schemas list."""
    match = re.search(rb"<schooljaar>([^<]*)</schooljaar>", data)
    if match is None:
        return data
    if not re.fullmatch(rb"[0-9]{4}-[0-9]{4}", match[1]):
        return data
    try:
        SchoolYear(match[1].decode())
    except ValueError:
        return data
    return data[: match.start(1)] + LISTED_YEAR + data[match.end(1) :]


def sub(pattern: bytes, replacement: bytes, count: int = 1) -> Callable[[bytes], bytes]:
    """Return a mutation replacing the first *count* matches of *pattern*."""
    return lambda data: re.sub(pattern, replacement, data, count=count, flags=re.S)


def value(element: str, text: bytes) -> Callable[[bytes], bytes]:
    """Return a mutation giving the first *element* the value *text*."""
    tag = element.encode()
    return sub(rb"<%s>[^<]*</%s>" % (tag, tag), b"<%s>%s</%s>" % (tag, text, tag))


MUTATIONS: dict[str, Callable[[bytes], bytes]] = {
    "missing required element (naam)": sub(rb"<naam>[^<]*</naam>", b""),
    "missing school year": sub(rb"<schooljaar>[^<]*</schooljaar>", b""),
    "wrong order": sub(
        rb"(<geboortedatum>[^<]*</geboortedatum>)(\s*)(<geslacht>[^<]*</geslacht>)", rb"\3\2\1"
    ),
    "bad year group": value("jaargroep", b"99"),
    "bad gender": value("geslacht", b"5"),
    "over-long name": value("naam", b"x" * 65),
    "key of 65": sub(rb'<leerling key="[^"]*"', b'<leerling key="' + b"k" * 65 + b'"'),
    "key of 257": sub(rb'<leerling key="[^"]*"', b'<leerling key="' + b"k" * 257 + b'"'),
    "surname of 71": value("achternaam", b"a" * 71),
    "duplicate pupil key": sub(rb'(<leerling key=")[^"]*(")', rb"\1DUP\2", 2),
    "duplicate group key": sub(rb'(<groep key=")[^"]*(">)', rb"\1GDUP\2", 2),
    "duplicate eckid": sub(rb'(<leerling key="[^"]*")', rb'\1 eckid="E1"', 2),
    "dangling group": sub(
        rb'(<leerling [^>]*>(?:(?!</leerling>).)*?<groep key=")[^"]*"', rb'\1NOPE"'
    ),
    "dangling site": sub(rb'<vestiging key="[^"]*"/>', b'<vestiging key="NOPE"/>'),
    "dangling combination group": sub(
        rb'<samengestelde_groep key="[^"]*"/>', b'<samengestelde_groep key="NOPE"/>'
    ),
    "bad date": value("geboortedatum", b"2014-02-30"),
    "bad date and time": value("mutatiedatum", b"2014-02-03 10:00:00"),
    "unknown element": lambda data: data.replace(b"</school>", b"<foo/></school>", 1),
    "unknown attribute": sub(rb"<leerling key=", b'<leerling foo="1" key='),
    "missing key": sub(rb'<leerling key="[^"]*"', b"<leerling"),
    "text among elements": sub(rb"(<leerling [^>]*>)", rb"\1hello"),
    "text in a reference": sub(rb'<groep key="([^"]*)"/>', rb'<groep key="\1">x</groep>'),
    "lower-case BRIN": sub(rb"<brincode>[^<]*</brincode>", b"<brincode>99zz</brincode>"),
    "not well-formed": lambda data: data.replace(b"</leerlingen>", b"</leerlingenx>", 1),
    "empty given name": sub(rb"<roepnaam>[^<]*</roepnaam>", b"<roepnaam/>"),
    "xsi:nil": sub(rb"<geslacht>", b'<geslacht xsi:nil="true">'),
    "block without type": sub(rb'<blok xsi:type="[^"]*"', b"<blok"),
    "role TAL": sub(rb"<rol>[^<]*</rol>", b"<rol>TAL</rol>"),
    "role before e-mail": sub(rb"(<emailadres>[^<]*</emailadres>)", rb"<rol>LRK</rol>\1"),
    "school year 2026-2027": value("schooljaar", b"2026-2027"),
    "school year 2026-2028": value("schooljaar", b"2026-2028"),
    "no xsdversie": sub(rb"<xsdversie>[^<]*</xsdversie>", b""),
}  # fmt: skip


def cases() -> list[tuple[str, bytes]]:
    """Return every sample, and every mutation of it that changes it."""
    found = []
    for path in SAMPLES:
        data = path.read_bytes()
        name = str(path.relative_to(REFERENCE))
        found.append((name, data))
        for label, mutate in MUTATIONS.items():
            mutated = mutate(data)
            if mutated != data:
                found.append((f"{name} / {label}", mutated))
    return found


CASES = cases()


def test_every_sample_and_mutation_class_is_covered() -> None:
    """The reference holds the 13 samples, and every mutation applies to some of them."""
    assert 13 <= len(SAMPLES)
    applied = {name.split(" / ", 1)[1] for name, _ in CASES if " / " in name}
    assert set(MUTATIONS) == applied


@pytest.mark.parametrize(("name", "data"), CASES, ids=[name for name, _ in CASES])
def test_examkit_agrees_with_the_official_schema(name: str, data: bytes) -> None:
    """Same verdict as the official schema of the version examkit chose; same first error line.

    Both of examkit's paths (libxml2 against examkit's schema, and its own
    validator) give the same verdict.
    """
    fast = _read(data, lenient=False, schema=None, limits=Limits(), keep=False)
    full = _read(data, lenient=False, schema=None, limits=Limits(), keep=False, full_report=True)
    ours = [problem.line for problem in full.problems if problem.is_error]
    assert [p.line for p in fast.problems if p.is_error] == ours
    valid, lines = official_verdict(year_neutral(data), full.version or Version.V2_1)
    assert (valid, full.version) == (not ours, fast.version), name
    if lines:
        assert lines[0] in ours, name


@pytest.mark.req("EDX-1", "EDX-6")
@pytest.mark.parametrize("path", SAMPLES, ids=[path.name for path in SAMPLES])
def test_every_sample_is_read_with_the_right_counts(path: Path) -> None:
    """Each sample's groups, combination groups, pupils, teachers and sites, counted by XPath."""
    tree = etree.parse(str(path), SAFE)

    def count(xpath: str) -> int:
        return int(tree.xpath(f"count({xpath})"))  # type: ignore[arg-type]

    expected = Counts(
        groups=count("/EDEX/groepen/groep"),
        combination_groups=count("/EDEX/groepen/samengestelde_groep"),
        pupils=count("/EDEX/leerlingen/leerling"),
        teachers=count("/EDEX/leerkrachten/leerkracht"),
        sites=count("/EDEX/vestigingen/vestiging"),
    )
    assert expected.pupils > 0
    assert expected == inspect(path, lenient=True).counts
    if official_verdict(path.read_bytes(), Version.V2_1)[0]:
        assert expected == parse(path).counts


@pytest.mark.parametrize("path", SAMPLES, ids=[path.name for path in SAMPLES])
def test_examkits_own_schema_agrees_with_the_official_one(path: Path) -> None:
    """On every sample and version, examkit's XSD and the official one give the same verdict."""
    tree = etree.parse(str(path), SAFE)
    for version in Version:
        assert official(version).validate(tree) == compiled_schema(version).validate(tree)


VALUES = [
    "2014-02-28", "2016-02-29", "2014-02-29", "1900-02-29", "2000-02-29", "2014-2-3",
    " 2014-02-03", "0000-01-01", "-0001-01-01", "20140-01-01", "02014-01-01",
    "2014-01-01Z", "2014-01-01+14:00", "2014-01-01+14:01", "2014-01-01-00:60",
    "9223372036854775807-01-01", "9223372036854775808-01-01", "-0004-02-29", "-0100-02-29",
]  # fmt: skip
TIMES = [
    "2014-09-07T24:00:00", "2014-09-07T24:00:00.0", "2014-09-07T24:00:00.5",
    "2014-09-07T23:59:60", "2014-09-07T08:47:34.5", "2014-09-07T08:47:34.",
    "2014-09-07T8:47:34", "2014-09-07 08:47:34", "-0001-02-29T00:00:00", "2014-09-07T08:47:34z",
]  # fmt: skip


@pytest.mark.parametrize(
    ("element", "text"),
    [("geboortedatum", text) for text in VALUES] + [("mutatiedatum", text) for text in TIMES],
)
def test_dates_and_times_are_judged_as_libxml2_judges_them(element: str, text: str) -> None:
    """examkit's own date checks agree with libxml2 on the edge cases, value by value."""
    data = (
        b'<EDEX xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><school>'
        b"<schooljaar>2014-2015</schooljaar><brincode>99ZZ</brincode></school><leerlingen>"
        + f'<leerling key="1"><roepnaam>A</roepnaam><{element}>{text}</{element}>'.encode()
        + b"</leerling>"
        + b"</leerlingen></EDEX>"
    )
    full = _read(data, lenient=False, schema=None, limits=Limits(), keep=False, full_report=True)
    ours = not any(problem.is_error for problem in full.problems)
    assert official_verdict(data, Version.V2_1)[0] == ours
