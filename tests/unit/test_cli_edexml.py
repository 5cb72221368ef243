"""``examkit edexml inspect FILE [--lenient] [--xsd PATH]`` and the demo's EDEXML part."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from examkit.cli import main
from examkit.identifiers import SchoolYear
from examkit.testing import demo_edexml

pytestmark = pytest.mark.req("EDX-1")

GOOD = b"""<?xml version="1.0" encoding="UTF-8"?>
<EDEX xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<school><schooljaar>2026-2027</schooljaar><brincode>22AB</brincode>
<dependancecode>01</dependancecode><xsdversie>2.1</xsdversie></school>
<groepen>
<groep key="G4"><naam>4A</naam><jaargroep>4</jaargroep></groep>
<samengestelde_groep key="PLUS"><naam>Plus</naam></samengestelde_groep>
</groepen>
<leerlingen>
<leerling key="1"><roepnaam>Sem</roepnaam><groep key="G4"/></leerling>
</leerlingen>
<leerkrachten><leerkracht key="T"><roepnaam>Anna</roepnaam></leerkracht></leerkrachten>
</EDEX>
"""


def inspect_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data: bytes, *options: str
) -> tuple[int, Any, str]:
    """Write *data* to a file and run ``edexml inspect`` on it; return code, JSON, stderr."""
    path = tmp_path / "leerlingen.xml"
    path.write_bytes(data)
    code = main(["edexml", "inspect", str(path), *options])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out else None), err


def test_a_valid_file_prints_the_verdict_and_exits_0(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The JSON holds the verdict, version, school, counts and problems; absent values are null."""
    code, printed, _ = inspect_file(capsys, tmp_path, GOOD, "--lang", "en")
    assert 0 == code
    assert {
        "valid": True,
        "version": "2.1",
        "school": {
            "brin": "22AB",
            "location": "22AB01",
            "schoolkey": None,
            "instellingsnummer": None,
            "school_year": "2026-2027",
        },
        "counts": {"groups": 1, "combination_groups": 1, "pupils": 1, "teachers": 1},
        "problems": [
            {
                "severity": "warning",
                "line": 10,
                "element": "/EDEX/leerlingen/leerling[1]",
                "code": "edexml.pupil.year_group_derived",
                "message": "Pupil '1' has no jaargroep; examkit takes jaargroep 4 from group 'G4'.",
            }
        ],
    } == printed


def test_an_invalid_file_exits_1_with_every_problem(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Errors make the verdict negative: exit 1, each problem with its line and Dutch text."""
    data = GOOD.replace(b"2026-2027", b"2026-2028").replace(
        b'<groep key="G4"/>', b'<groep key="G5"/>'
    )
    code, printed, _ = inspect_file(capsys, tmp_path, data)
    assert (1, False) == (code, printed["valid"])
    assert [
        ("error", 3, "edexml.school_year.not_consecutive"),
        ("error", 10, "edexml.reference.group"),
        ("warning", 10, "edexml.pupil.year_group_missing"),
    ] == [(p["severity"], p["line"], p["code"]) for p in printed["problems"]]
    assert "verwijst naar groep 'G5'" in printed["problems"][1]["message"]


def test_xml_that_is_not_well_formed_exits_1_with_its_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A file that is not XML is a negative verdict (exit 1) naming the line, not unusable."""
    code, printed, _ = inspect_file(
        capsys, tmp_path, GOOD.replace(b"</leerlingen>", b"</leerling>")
    )
    assert (1, [(11, "edexml.xml.malformed")]) == (
        code,
        [(p["line"], p["code"]) for p in printed["problems"] if p["severity"] == "error"],
    )


def test_an_unreadable_or_refused_file_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A missing file or one refused as unsafe: exit 2, the reason on stderr, nothing on stdout."""
    code = main(["edexml", "inspect", str(tmp_path / "missing.xml")])
    out, err = capsys.readouterr()
    assert (2, "", True) == (code, out, "kan niet worden gelezen" in err)
    unsafe = b'<!DOCTYPE EDEX [<!ENTITY x "y">]>' + GOOD.split(b"?>", 1)[1]
    code, printed, err = inspect_file(capsys, tmp_path, unsafe, "--lang", "en")
    assert (2, None, True) == (code, printed, "(limit doctype)" in err)


def test_lenient_and_an_extra_schema(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """--lenient leaves vendor additions out; --xsd adds a schema; an unusable one exits 2."""
    vendor = GOOD.replace(
        b'<groep key="G4"/></leerling>',
        b'<groep key="G4"/><toevoegingen><blok xsi:type="X"><code>x</code></blok>'
        b"</toevoegingen></leerling>",
    )
    assert 1 == inspect_file(capsys, tmp_path, vendor)[0]
    code, printed, _ = inspect_file(capsys, tmp_path, vendor, "--lenient")
    assert (0, True) == (
        code,
        "edexml.lenient.stripped" in [problem["code"] for problem in printed["problems"]],
    )
    schema = tmp_path / "extra.xsd"
    schema.write_text(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="EDEX">'
        '<xs:complexType><xs:sequence><xs:element name="school" type="xs:anyType"/>'
        "</xs:sequence></xs:complexType></xs:element></xs:schema>",
        encoding="utf-8",
    )
    code, printed, _ = inspect_file(capsys, tmp_path, GOOD, "--xsd", str(schema))
    assert (1, "edexml.extra_schema.invalid") == (code, printed["problems"][0]["code"])
    code, printed, _ = inspect_file(capsys, tmp_path, GOOD, "--xsd", str(tmp_path / "nope.xsd"))
    assert (2, None) == (code, printed)


def test_the_demo_inspects_a_school_file_and_a_broken_copy(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``demo`` writes both files, calls the first valid and prints the second's problems."""
    assert 0 == main(["--lang", "en", "demo", "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert "edexml-voorbeeld.xml: valid, version 2.1, 2 groups, 4 pupils, 2 teachers." in out
    assert "edexml-kapot.xml: not valid" in out
    assert "error, line 4, /EDEX/school/schooljaar:" in out
    assert (tmp_path / "edexml-kapot.xml").is_file()


def test_the_demo_file_is_valid_for_any_school_year() -> None:
    """The demo's generated file names the year it is given."""
    data = demo_edexml(SchoolYear("2030-2031"))
    assert b"<schooljaar>2030-2031</schooljaar>" in data
