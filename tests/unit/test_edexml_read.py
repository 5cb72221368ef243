"""Reading EDEXML files: the model, the mutation classes with their lines and codes, versions."""

from __future__ import annotations

import pickle
from datetime import date
from pathlib import Path

import pytest

from examkit.edexml import (
    CombinationGroup,
    EdexmlProblem,
    Gender,
    Group,
    Limits,
    PersonName,
    Pupil,
    School,
    Site,
    Teacher,
    TeacherGroup,
    Version,
    inspect,
    parse,
)
from examkit.edexml._read import _read
from examkit.errors import ExamkitErrorGroup, InvalidInput
from examkit.identifiers import Brin, Instellingsnummer, LocationCode, SchoolYear
from examkit.messages import CATALOGUE

pytestmark = pytest.mark.req("EDX-1")

# A small EDEXML 2.1 file, one element per line, so every line number below is plain to see.
LINES = [
    '<?xml version="1.0" encoding="UTF-8"?>',  # 1
    '<EDEX xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',  # 2
    "  <school>",  # 3
    "    <schooljaar>2026-2027</schooljaar>",  # 4
    "    <brincode>22AB</brincode>",  # 5
    "    <dependancecode>01</dependancecode>",  # 6
    "    <schoolkey>sk-1</schoolkey>",  # 7
    "    <xsdversie>2.1</xsdversie>",  # 8
    "  </school>",  # 9
    "  <vestigingen>",  # 10
    '    <vestiging key="TZ">',  # 11
    "      <naam>Tzummarum</naam>",  # 12
    "    </vestiging>",  # 13
    "  </vestigingen>",  # 14
    "  <groepen>",  # 15
    '    <groep key="G4">',  # 16
    "      <naam>4A</naam>",  # 17
    "      <jaargroep>4</jaargroep>",  # 18
    "    </groep>",  # 19
    '    <samengestelde_groep key="PLUS">',  # 20
    "      <naam>Plusklas</naam>",  # 21
    "    </samengestelde_groep>",  # 22
    "  </groepen>",  # 23
    "  <leerlingen>",  # 24
    '    <leerling key="L1" eckid="https://id.school/LL_1">',  # 25
    "      <achternaam>Hof</achternaam>",  # 26
    "      <voorvoegsel>van 't</voorvoegsel>",  # 27
    "      <voornamen>Gerard Jan</voornamen>",  # 28
    "      <voorletters-1>GJ</voorletters-1>",  # 29
    "      <roepnaam>Gradje</roepnaam>",  # 30
    "      <geboortedatum>2018-06-21</geboortedatum>",  # 31
    "      <geslacht>1</geslacht>",  # 32
    "      <jaargroep>4</jaargroep>",  # 33
    '      <groep key="G4"/>',  # 34
    "      <samengestelde_groepen>",  # 35
    '        <samengestelde_groep key="PLUS"/>',  # 36
    "      </samengestelde_groepen>",  # 37
    '      <vestiging key="TZ"/>',  # 38
    "      <bsn>123456782</bsn>",  # 39
    "    </leerling>",  # 40
    '    <leerling key="L2">',  # 41
    "      <roepnaam>Noor</roepnaam>",  # 42
    "      <jaargroep>4</jaargroep>",  # 43
    '      <groep key="G4"/>',  # 44
    "    </leerling>",  # 45
    "  </leerlingen>",  # 46
    "  <leerkrachten>",  # 47
    '    <leerkracht key="T1">',  # 48
    "      <achternaam>Jansen</achternaam>",  # 49
    "      <roepnaam>Anna</roepnaam>",  # 50
    "      <emailadres>A.Jansen@School.NL</emailadres>",  # 51
    "      <rol>DIR</rol>",  # 52
    "      <groepen>",  # 53
    '        <groep key="G4">',  # 54
    "          <rol>LRK</rol>",  # 55
    "        </groep>",  # 56
    '        <samengestelde_groep key="PLUS"/>',  # 57
    "      </groepen>",  # 58
    "    </leerkracht>",  # 59
    "  </leerkrachten>",  # 60
    "</EDEX>",  # 61
]


def document(changes: dict[int, str | None] | None = None) -> bytes:
    """Return the file above with line *n* replaced (or emptied, for ``None``: lines stay put)."""
    changes = changes or {}
    lines = [changes.get(number, line) or "" for number, line in enumerate(LINES, 1)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def errors(data: bytes, **options: object) -> list[tuple[int | None, str]]:
    """Return the (line, code) of every error found in *data*."""
    return [(problem.line, problem.code) for problem in inspect(data, **options).errors]  # type: ignore[arg-type]


def test_the_sample_document_is_read_into_the_model() -> None:
    """Every field examkit keeps comes out of the file as a value."""
    roster = parse(document())
    assert Version.V2_1 == roster.version
    assert (
        School(
            school_year=SchoolYear("2026-2027"),
            brin=Brin("22AB"),
            location=LocationCode("22AB01"),
            schoolkey="sk-1",
        )
        == roster.school
    )
    assert (Site("TZ", "Tzummarum"),) == roster.sites
    assert (Group("G4", "4A", "4"),) == roster.groups
    assert (CombinationGroup("PLUS", "Plusklas"),) == roster.combination_groups
    assert (
        Pupil(
            key="L1",
            name=PersonName("Hof", "van 't", "Gerard Jan", "GJ", "Gradje"),
            eckid="https://id.school/LL_1",
            birth_date=date(2018, 6, 21),
            gender=Gender.MALE,
            year_group="4",
            group="G4",
            combination_groups=("PLUS",),
            site="TZ",
        ),
        Pupil(key="L2", name=PersonName(called_name="Noor"), year_group="4", group="G4"),
    ) == roster.pupils
    assert (
        Teacher(
            key="T1",
            name=PersonName("Jansen", called_name="Anna"),
            email="A.Jansen@school.nl",
            roles=("DIR",),
            groups=(
                TeacherGroup("G4", roles=("LRK",)),
                TeacherGroup("PLUS", combination=True),
            ),
        ),
    ) == roster.teachers
    assert () == roster.warnings
    assert "Gradje van 't Hof" == roster.pupils[0].name.full_name


@pytest.mark.req("EDX-6")
def test_no_national_number_or_other_unneeded_data_is_kept() -> None:
    """The BSN and everything examkit does not need never reach the model."""
    data = document(
        {
            38: '      <vestiging key="TZ"/>\n      <etniciteit>1</etniciteit>\n'
            "      <land>MA</land>\n      <land_vader>MA</land_vader>",
            39: "      <bsn>123456782</bsn>\n      <gewicht_nieuw>0,3</gewicht_nieuw>\n"
            "      <gewicht>0.90</gewicht>\n      <postcodenl>8835BA</postcodenl>\n"
            "      <instroomdatum>2022-08-22</instroomdatum>",
        }
    )
    roster = parse(data)  # the extra fields above are valid EDEXML 2.1
    kept = repr(roster)
    for secret in ("123456782", "ZW", "0,3", "0.90", "8835BA", "2022-08-22", "etniciteit"):
        assert secret not in kept


@pytest.mark.parametrize(
    ("label", "changes", "expected"),
    [
        ("missing required element", {17: None}, [(18, "edexml.element.unexpected")]),
        (
            "missing element at the end",
            {42: None, 43: None, 44: None},
            [(41, "edexml.element.missing")],
        ),
        (
            "wrong order",
            {31: "<geslacht>1</geslacht>", 32: "<geboortedatum>2018-06-21</geboortedatum>"},
            [(32, "edexml.element.unexpected")],
        ),
        (
            "bad enumeration value",
            {33: "<jaargroep>9</jaargroep>"},
            [(33, "edexml.value.not_allowed")],
        ),
        (
            "bad integer enumeration",
            {32: "<geslacht>3</geslacht>"},
            [(32, "edexml.value.not_allowed")],
        ),
        ("over-long value", {17: f"<naam>{'x' * 65}</naam>"}, [(17, "edexml.value.too_long")]),
        ("over-long key", {41: f'<leerling key="{"k" * 257}">'}, [(41, "edexml.value.too_long")]),
        ("empty value", {42: "<roepnaam></roepnaam>"}, [(42, "edexml.value.empty")]),
        ("bad pattern", {5: "<brincode>22ab</brincode>"}, [(5, "edexml.value.brincode")]),
        (
            "bad date",
            {31: "<geboortedatum>2018-02-30</geboortedatum>"},
            [(31, "edexml.value.date")],
        ),
        ("duplicate key", {41: '<leerling key="L1">'}, [(41, "edexml.key.duplicate")]),
        (
            "duplicate key across groups and combination groups",
            {
                20: '<samengestelde_groep key="G4">',
                36: '<samengestelde_groep key="G4"/>',
                57: '<samengestelde_groep key="G4"/>',
            },
            [(20, "edexml.key.duplicate")],
        ),
        (
            "duplicate eckid",
            {41: '<leerling key="L2" eckid="https://id.school/LL_1">'},
            [(41, "edexml.eckid.duplicate")],
        ),
        ("dangling group reference", {44: '<groep key="G5"/>'}, [(44, "edexml.reference.group")]),
        (
            "dangling teacher group reference",
            {54: '<groep key="G9">'},
            [(54, "edexml.reference.group")],
        ),
        (
            "dangling combination group reference",
            {36: '<samengestelde_groep key="MIN"/>'},
            [(36, "edexml.reference.combination_group")],
        ),
        ("dangling site reference", {38: '<vestiging key="XX"/>'}, [(38, "edexml.reference.site")]),
        (
            "school year 2026-2028",
            {4: "<schooljaar>2026-2028</schooljaar>"},
            [(4, "edexml.school_year.not_consecutive")],
        ),
        (
            "school year not written as digits",
            {4: "<schooljaar>2026/2027</schooljaar>"},
            [(4, "edexml.value.school_year")],
        ),
        (
            "unknown attribute",
            {41: '<leerling key="L2" nr="2">'},
            [(41, "edexml.attribute.unknown")],
        ),
        ("missing key", {41: "<leerling>"}, [(41, "edexml.attribute.missing")]),
        (
            "text among elements",
            {42: "      hello<roepnaam>Noor</roepnaam>"},
            [(41, "edexml.element.text")],
        ),
        (
            "text in a reference",
            {44: '<groep key="G4">x</groep>'},
            [(44, "edexml.element.not_empty")],
        ),
        (
            "element in a value",
            {42: "<roepnaam>No<b/>or</roepnaam>"},
            [(42, "edexml.element.simple")],
        ),
        ("not EDEXML at all", {2: "<EDEXML>", 61: "</EDEXML>"}, [(2, "edexml.element.root")]),
        ("not well-formed", {45: "</leerlingx>"}, [(45, "edexml.xml.malformed")]),
        ("xsi:nil", {32: '<geslacht xsi:nil="true">1</geslacht>'}, [(32, "edexml.nil")]),
        (
            "unknown xsi:type",
            {32: '<geslacht xsi:type="MijnType">1</geslacht>'},
            [(32, "edexml.type.unknown")],
        ),
    ],
)
def test_each_kind_of_mistake_is_reported_with_its_line_and_code(
    label: str, changes: dict[int, str | None], expected: list[tuple[int, str]]
) -> None:
    """Every mutation class gives its own code at the line of the element at fault."""
    assert expected == errors(document(changes)), label


@pytest.mark.parametrize(
    "changes",
    [
        {4: "    <schooljaar>2026-2027</schooljaar>"},
        {4: "    <schooljaar>2099-2100</schooljaar>"},
        {4: "    <schooljaar>1995-1996</schooljaar>"},
    ],
)
def test_any_school_year_of_consecutive_years_is_valid(changes: dict[int, str | None]) -> None:
    """Unlike the official schemas' expired lists, every YYYY-YYYY+1 is accepted."""
    assert [] == errors(document(changes))


def test_every_problem_is_found_at_once() -> None:
    """Several mistakes in one file are all reported, in the order of the file."""
    data = document(
        {
            4: "    <schooljaar>2026-2028</schooljaar>",
            33: "      <jaargroep>9</jaargroep>",
            44: '      <groep key="G5"/>',
            52: "      <rol>BAAS</rol>",
        }
    )
    assert [
        (4, "edexml.school_year.not_consecutive"),
        (33, "edexml.value.not_allowed"),
        (44, "edexml.reference.group"),
        (52, "edexml.value.not_allowed"),
    ] == errors(data)


def test_problems_name_their_element_and_read_in_both_languages() -> None:
    """A problem has a severity, an element path and a message in Dutch and English."""
    problem = inspect(document({44: '      <groep key="G5"/>'})).problems[0]
    assert ("error", 44, "/EDEX/leerlingen/leerling[2]/groep") == (
        problem.severity,
        problem.line,
        problem.element,
    )
    assert "<groep> refers to group 'G5', but that group is not in the file." == problem.message(
        "en"
    )
    assert "<groep> verwijst naar groep 'G5'" in problem.message("nl")


def test_parse_raises_a_group_with_every_problem() -> None:
    """parse() refuses an invalid file with all its problems, and changes nothing."""
    with pytest.raises(ExamkitErrorGroup) as raised:
        parse(document({33: "      <jaargroep>9</jaargroep>", 44: '      <groep key="G5"/>'}))
    assert [(33, "edexml.value.not_allowed"), (44, "edexml.reference.group")] == [
        (problem.line, problem.code) for problem in raised.value.problems
    ]
    assert raised.value.message("en").startswith("The EDEXML file has 2 error(s)")
    assert all(isinstance(problem, EdexmlProblem) for problem in raised.value.problems)


@pytest.mark.req("PLAT-1")
@pytest.mark.parametrize("function", [parse, inspect])
@pytest.mark.parametrize(
    ("changes", "line"),
    [
        ({33: "      <jaargroep>9</jaargroep>", 45: "    </leerling>\n  </x>"}, 46),
        ({26: "      <achternaam>H&f</achternaam>"}, 26),
        ({4: "    <schooljaar>2026-2027</schooljaar", 33: "      <jaargroep>9</jaargroep>"}, 5),
        ({59: "    </leerkracht>\n<b>", 33: "      <jaargroep>9</jaargroep>"}, 61),
    ],
)
def test_a_file_that_is_not_well_formed_reports_that_alone_with_its_line(
    function: object, changes: dict[int, str | None], line: int
) -> None:
    """Whatever else is wrong before it, a file that is not well-formed XML gets one error.

    What libxml2 reports before the point it stops depends on its version
    (lxml 6.0 and 6.2 differ), so examkit reports only the well-formedness
    error, with its line, and no version, school or counts; the message's
    detail is libxml2's text and is not compared.
    """
    data = document(changes)
    if function is parse:
        with pytest.raises(ExamkitErrorGroup) as raised:
            parse(data)
        problems = raised.value.problems
        assert raised.value.message("en").startswith("The EDEXML file has 1 error(s) and 0 ")
    else:
        verdict = inspect(data)
        problems = verdict.problems
        assert (False, None, 0) == (verdict.valid, verdict.version, verdict.counts.pupils)
    assert [(line, "edexml.xml.malformed", "error")] == [
        (problem.line, problem.code, problem.severity)  # type: ignore[attr-defined]
        for problem in problems
    ]


def test_problems_survive_pickling_and_relocation() -> None:
    """An EdexmlProblem keeps its severity when copied, moved or pickled."""
    problem = inspect(document({44: '      <groep key="G5"/>'})).problems[0]
    copied = pickle.loads(pickle.dumps(problem))  # noqa: S301 - our own object
    moved = problem.with_location(line=3)
    assert (copied.severity, copied.code, copied.line, copied.element) == (
        problem.severity,
        problem.code,
        problem.line,
        problem.element,
    )
    assert ("error", 3) == (moved.severity, moved.line)
    assert "severity='error'" in repr(problem)
    with pytest.raises(ValueError, match="severity"):
        EdexmlProblem("edexml.problem", severity="fatal")  # type: ignore[arg-type]


# -- Warnings -------------------------------------------------------------------------------


def warnings(data: bytes, **options: object) -> list[tuple[int | None, str]]:
    """Return the (line, code) of every warning found in *data*."""
    return [(problem.line, problem.code) for problem in inspect(data, **options).warnings]  # type: ignore[arg-type]


def test_a_pupil_without_year_group_takes_its_groups() -> None:
    """A 2.x pupil without jaargroep gets the group's, with a warning; without group, none."""
    data = document({33: None, 43: None, 44: None})
    assert [
        (25, "edexml.pupil.year_group_derived"),
        (41, "edexml.pupil.year_group_missing"),
    ] == warnings(data)
    roster = parse(data)
    assert [("4", True), (None, False)] == [
        (pupil.year_group, pupil.year_group_derived) for pupil in roster.pupils
    ]


def test_in_1_03_deriving_the_year_group_is_the_standard_way() -> None:
    """EDEXML 1.03 gives a pupil a group or a year group: deriving it is not worth a warning."""
    data = b"""<EDEX>
<school><schooljaar>2012-2013</schooljaar><brincode>99XX</brincode><xsdversie>1.03</xsdversie>
</school>
<groepen><groep key="g"><naam>3</naam><jaargroep>3</jaargroep></groep></groepen>
<leerlingen><leerling key="1"><roepnaam>A</roepnaam><groep key="g"/></leerling></leerlingen>
</EDEX>"""
    roster = parse(data)
    assert (Version.V1_03, "3", ()) == (
        roster.version,
        roster.pupils[0].year_group,
        roster.warnings,
    )


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({41: '    <leerling key=" L2">'}, [(41, "edexml.key.spaces")]),
        ({41: '    <leerling key="#2">'}, [(41, "edexml.key.dummy")]),
        ({7: "    <schoolkey>#</schoolkey>"}, [(7, "edexml.key.dummy")]),
        ({5: "    <brincode>٢٢AB</brincode>"}, [(5, "edexml.identifier.brin")]),
        ({6: "    <dependancecode>٠١</dependancecode>"}, [(6, "edexml.identifier.location")]),
        ({51: "      <emailadres>anna at school</emailadres>"}, [(51, "edexml.identifier.email")]),
        (
            {43: "      <jaargroep>5</jaargroep>"},
            [(16, "edexml.group.combination")],
        ),
    ],
)
def test_what_the_schema_misses_is_a_warning(
    changes: dict[int, str | None], expected: list[tuple[int, str]]
) -> None:
    """Suspect keys, identifiers examkit refuses and combination classes warn; the file is valid."""
    data = document(changes)
    assert ([], expected) == (errors(data), warnings(data))


def test_flemish_schools_are_identified_by_instellingsnummer() -> None:
    """A Flemish file names an instellingsnummer instead of a BRIN."""
    data = document({5: "    <instellingsnummer>12345</instellingsnummer>", 6: None})
    school = parse(data).school
    assert (Instellingsnummer("12345"), None, None) == (
        school.instellingsnummer,
        school.brin,
        school.location,
    )
    arabic = document({5: "    <instellingsnummer>١٢٣٤٥</instellingsnummer>", 6: None})
    assert [(5, "edexml.identifier.instellingsnummer")] == warnings(arabic)


# -- Lenient mode and extra schemas ----------------------------------------------------------

TOEVOEGING = (
    '      <toevoegingen><blok xsi:type="VolgsysteemVOType"><code>VO</code>'
    "<toetsen/></blok></toevoegingen>"
)


def test_vendor_additions_are_errors_unless_lenient() -> None:
    """Unknown toevoegingen make a file invalid; lenient mode leaves them out with a warning."""
    data = document({44: '      <groep key="G4"/>\n' + TOEVOEGING})
    assert [(45, "edexml.type.unknown")] == errors(data)
    assert ([], [(45, "edexml.lenient.stripped")]) == (
        errors(data, lenient=True),
        warnings(data, lenient=True),
    )


def test_lenient_mode_takes_additions_in_the_wrong_place_too() -> None:
    """Additions after mutatiedatum (a supplier's habit) are left out as well."""
    late = '<groep key="G4"/>\n<mutatiedatum>2026-09-01T08:00:00</mutatiedatum>\n'
    data = document({44: late + TOEVOEGING})
    assert [(46, "edexml.element.unexpected_end")] == errors(data)
    assert [(46, "edexml.lenient.stripped")] == warnings(data, lenient=True)


def test_lenient_mode_ignores_unknown_types() -> None:
    """An unknown xsi:type is ignored in lenient mode and the element checked as declared."""
    data = document({42: '      <roepnaam xsi:type="Bijnaam">Noor</roepnaam>'})
    assert [(42, "edexml.type.unknown")] == errors(data)
    assert [(42, "edexml.lenient.type_ignored")] == warnings(data, lenient=True)


# A supplier's own rule on top of the standard: every pupil has an eckid.
EXTRA_SCHEMA = b"""<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:element name="EDEX"><xs:complexType><xs:sequence>
    <xs:element name="school" type="xs:anyType"/>
    <xs:element name="vestigingen" type="xs:anyType" minOccurs="0"/>
    <xs:element name="groepen" type="xs:anyType" minOccurs="0"/>
    <xs:element name="leerlingen"><xs:complexType><xs:sequence>
      <xs:element name="leerling" maxOccurs="unbounded"><xs:complexType>
        <xs:sequence><xs:any processContents="skip" maxOccurs="unbounded"/></xs:sequence>
        <xs:attribute name="key" type="xs:string" use="required"/>
        <xs:attribute name="eckid" type="xs:string" use="required"/>
      </xs:complexType></xs:element>
    </xs:sequence></xs:complexType></xs:element>
    <xs:element name="leerkrachten" type="xs:anyType" minOccurs="0"/>
  </xs:sequence><xs:anyAttribute processContents="skip"/></xs:complexType></xs:element>
</xs:schema>"""


def test_a_users_schema_is_checked_as_well() -> None:
    """Problems against a supplier's schema are errors with their line; a good file passes."""
    assert [(41, "edexml.extra_schema.invalid")] == errors(document(), schema=EXTRA_SCHEMA)
    every_eckid = document({41: '    <leerling key="L2" eckid="e-2">'})
    assert [] == errors(every_eckid, schema=EXTRA_SCHEMA)


def test_a_users_schema_from_a_path(tmp_path: Path) -> None:
    """The extra schema may be a path; an unusable one is refused before the file is read."""
    path = tmp_path / "extra.xsd"
    path.write_bytes(EXTRA_SCHEMA)
    assert not inspect(document(), schema=path).valid
    with pytest.raises(InvalidInput) as raised:
        inspect(document(), schema=b"<xs:schema")
    assert "edexml.extra_schema.unusable" == raised.value.code
    with pytest.raises(InvalidInput):
        inspect(document(), schema=tmp_path / "missing.xsd")


# -- Versions --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "version", "expected"),
    [
        ({}, Version.V2_1, []),
        ({8: "    <xsdversie>2.0</xsdversie>"}, Version.V2_1, [(8, "edexml.version.mismatch")]),
        ({8: "    <xsdversie>1.03</xsdversie>"}, Version.V2_1, [(8, "edexml.version.mismatch")]),
        ({8: "    <xsdversie>3.0</xsdversie>"}, Version.V2_1, [(8, "edexml.version.unknown")]),
        ({8: None}, Version.V2_1, []),
        (
            {8: "    <xsdversie>2.0</xsdversie>", 25: '    <leerling key="L1">'},
            Version.V2_0,
            [],
        ),
        ({8: None, 25: '    <leerling key="L1">'}, Version.V2_0, []),
    ],
)
def test_the_version_comes_from_the_content(
    changes: dict[int, str | None], version: Version, expected: list[tuple[int, str]]
) -> None:
    """eckid makes a file 2.1 whatever xsdversie says; a mismatch is a warning, not an error."""
    verdict = inspect(document(changes))
    assert (True, version, expected) == (
        verdict.valid,
        verdict.version,
        [(problem.line, problem.code) for problem in verdict.warnings],
    )


def test_a_file_without_xsdversie_is_the_earliest_version_it_fits() -> None:
    """Undeclared, a file that 1.03 accepts is 1.03."""
    data = b"""<EDEX><school><schooljaar>2026-2027</schooljaar></school>
<leerlingen><leerling key="1"><roepnaam>A</roepnaam><jaargroep>4</jaargroep></leerling>
</leerlingen></EDEX>"""
    assert Version.V1_03 == inspect(data).version


def test_an_invalid_file_is_reported_as_the_version_it_breaks_least() -> None:
    """A 2.0 file with one mistake is checked as 2.0, not as 1.03 (which it breaks everywhere)."""
    data = document({8: None, 25: '    <leerling key="L1">', 33: "      <jaargroep>9</jaargroep>"})
    verdict = inspect(data)
    assert (Version.V2_0, [(33, "edexml.value.not_allowed")]) == (
        verdict.version,
        [(problem.line, problem.code) for problem in verdict.errors],
    )


# -- Encodings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoded", "label"),
    [
        (lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"), "UTF-8 with a BOM"),
        (lambda text: text.replace("UTF-8", "UTF-16").encode("utf-16"), "UTF-16 with a BOM"),
        (lambda text: text.replace("UTF-8", "UTF-16").encode("utf-16-be"), "UTF-16 big-endian"),
        (lambda text: text.replace("UTF-8", "ISO-8859-1").encode("latin-1"), "ISO-8859-1"),
    ],
)
def test_the_files_own_encoding_is_honoured(encoded: object, label: str) -> None:
    """A BOM and the encoding the XML declaration names decide how names are read."""
    text = document({42: "      <roepnaam>Noë</roepnaam>"}).decode("utf-8")
    if label == "UTF-16 big-endian":
        text = text.replace("UTF-16", "UTF-16BE")
    data = encoded(text)  # type: ignore[operator]
    roster = parse(data)
    assert "Noë" == roster.pupils[1].name.called_name, label


def test_text_is_refused_as_a_source() -> None:
    """A str is neither bytes nor a path: examkit never guesses how a file was decoded."""
    with pytest.raises(InvalidInput) as raised:
        inspect(document().decode("utf-8"))  # type: ignore[arg-type]
    assert "edexml.source.not_bytes" == raised.value.code


def test_a_path_is_read_and_an_unreadable_one_reported(tmp_path: Path) -> None:
    """A path to a file works; a missing path or a folder is unusable input."""
    path = tmp_path / "leerlingen.xml"
    path.write_bytes(document())
    assert parse(path).school.schoolkey == "sk-1"
    for wrong in (tmp_path / "missing.xml", tmp_path):
        with pytest.raises(InvalidInput) as raised:
            inspect(wrong)
        assert "edexml.source.unreadable" == raised.value.code


# -- The two paths agree ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {33: "<jaargroep>9</jaargroep>"},
        {4: "<schooljaar>2026-2028</schooljaar>"},
        {41: '<leerling key="L1">'},
        {44: '<groep key="G5"/>'},
        {42: '<roepnaam xsi:type="EDEXString32Type">Noor</roepnaam>'},
        {42: '<roepnaam xsi:type="EDEXKeyType">Noor</roepnaam>'},
        {44: '<groep key="G4" xsi:type="LeerkrachtGroepReferentieType"><rol>LRK</rol></groep>'},
        {25: '<leerling key="L1" xsi:type="LeerlingType">'},
        {25: '<leerling key="L1" xsi:type="LeerkrachtType">'},
        {
            31: '<geboortedatum xmlns:xs="http://www.w3.org/2001/XMLSchema" '
            'xsi:type="xs:date">2018-06-21</geboortedatum>'
        },
        {32: "<geslacht> +1 </geslacht>"},
        {31: "<geboortedatum> 2018-06-21</geboortedatum>"},
        {44: '<groep key="G4"> </groep>'},
        {44: '<groep key="G4"><!-- note --></groep>'},
    ],
)
def test_the_fast_path_and_the_full_report_agree(changes: dict[int, str | None]) -> None:
    """libxml2 against examkit's schema and examkit's own validator give the same verdict."""
    data = document(changes)
    fast = _read(data, lenient=False, schema=None, limits=Limits(), keep=False)
    full = _read(data, lenient=False, schema=None, limits=Limits(), keep=False, full_report=True)
    assert [(p.line, p.code) for p in full.problems] == [(p.line, p.code) for p in fast.problems]


def test_lines_beyond_65535_are_exact() -> None:
    """libxml2 keeps element lines in 16 bits; examkit still reports the right line."""
    pupil = (
        '    <leerling key="P{n}">\n      <roepnaam>Kind</roepnaam>\n'
        '      <jaargroep>4</jaargroep>\n      <groep key="G4"/>\n    </leerling>'
    )
    body = "\n".join(pupil.replace("{n}", str(n)) for n in range(14_000))
    last = '    <leerling key="L1">\n      <roepnaam>Noor</roepnaam>'
    data = document({41: body + "\n" + last, 42: None})
    expected = len(body.splitlines()) + 41
    assert expected > 65_535
    assert [(expected, "edexml.key.duplicate")] == errors(data)


def test_every_code_in_the_tables_is_in_the_catalogue() -> None:
    """The codes the tables name (patterns, references, refusals) all have messages."""
    from examkit.edexml._constraints import REFERENCE_CODES
    from examkit.edexml._grammar import GRAMMARS
    from examkit.edexml._source import _REFUSAL_CODES

    codes = {
        simple.pattern_code
        for grammar in GRAMMARS.values()
        for simple in grammar.simple_types.values()
        if simple.pattern_code
    }
    codes |= set(REFERENCE_CODES.values()) | set(_REFUSAL_CODES.values())
    assert set() == codes - set(CATALOGUE)


@pytest.mark.req("PLAT-1")
@pytest.mark.parametrize(
    ("data", "line"),
    [
        (b"", 1),
        (b'<?xml version="1.0"?>', 1),
        (b"<!-- only a comment -->", 1),
        (document()[:-30], 59),
        (document().replace(b"Noor", b"No&or"), 42),
        (document().replace(b"Noor", b"No\x01or"), 42),
        (document() + b"<EDEX/>", 62),
    ],
)
def test_a_file_that_is_not_well_formed_xml_is_invalid_with_its_line(
    data: bytes, line: int
) -> None:
    """Cut short, a bare ampersand, a control character, no element, two roots: one error."""
    verdict = inspect(data)
    assert (False, [(line, "edexml.xml.malformed")]) == (
        verdict.valid,
        [(problem.line, problem.code) for problem in verdict.errors],
    )
