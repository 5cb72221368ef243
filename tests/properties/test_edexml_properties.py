"""Properties of reading EDEXML: valid documents round-trip; mutations give specific problems.

The documents are generated here from the standard's rules as this file
spells them out (not from examkit's tables): which elements each version
has, in which order, with which values.
"""

from __future__ import annotations

import string
from datetime import date
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from examkit.edexml import (
    CombinationGroup,
    EdexmlRefused,
    Gender,
    Group,
    Limits,
    PersonName,
    Pupil,
    Roster,
    School,
    Site,
    Teacher,
    TeacherGroup,
    Version,
    inspect,
    parse,
)
from examkit.edexml._read import _read
from examkit.edexml._scan import scan_attributes
from examkit.edexml._source import Refusal, Source
from examkit.identifiers import Brin, LocationCode, SchoolYear
from examkit.messages import CATALOGUE

pytestmark = pytest.mark.req("EDX-1")

# The year groups and roles each version allows, as its schema lists them.
YEAR_GROUPS = {
    "1.03": ["0", "1", "2", "3", "4", "5", "6", "7", "8", "11", "12", "13", "S", "H"],
    "2.0": ["B", "D", "0", "1", "2", "3", "4", "5", "6", "7", "8", "11", "12", "13", "14",
            "15", "16", "S", "V", "C", "N", "H"],
}  # fmt: skip
YEAR_GROUPS["2.1"] = YEAR_GROUPS["2.0"]
ROLES = {"2.0": ["ADJ", "DIR", "IB", "LRK", "OWA", "RT", "STA", "VAK"]}
ROLES["2.1"] = [*ROLES["2.0"], "TAL"]
GENERIC_CODES = {"edexml.problem", "edexml.invalid", "input.invalid", "edexml.refused"}

KEY = st.text(string.ascii_letters + string.digits + "_-.", min_size=1, max_size=12)
TEXT = st.text(string.ascii_letters + "àéëïóöüçÀÉ '-&<>\"", min_size=1, max_size=30).filter(
    lambda text: text.strip(" ") == text
)
SHORT = st.text(string.ascii_uppercase, min_size=1, max_size=6)
PREFIX = st.sampled_from(["van", "de", "van der", "van 't", "ter", "d'"])
BIRTH = st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31))


@attrs.frozen
class Generated:
    """A generated EDEXML file and the roster examkit should read from it."""

    data: bytes
    roster: Roster


def _name_xml(name: PersonName, version: str) -> list[str]:
    if name.last_name is None:
        return [f"<roepnaam>{escape(name.called_name or '')}</roepnaam>"]
    parts = [f"<achternaam>{escape(name.last_name)}</achternaam>"]
    if name.prefix:
        parts.append(f"<voorvoegsel>{escape(name.prefix)}</voorvoegsel>")
    if name.first_names and version != "1.03":
        parts.append(f"<voornamen>{escape(name.first_names)}</voornamen>")
    if name.initials:
        parts.append(f"<voorletters-1>{escape(name.initials)}</voorletters-1>")
    if name.called_name:
        parts.append(f"<roepnaam>{escape(name.called_name)}</roepnaam>")
    return parts


@st.composite
def names(draw: st.DrawFn, version: str) -> PersonName:
    """Draw a name: a surname with optional parts, or a given name only."""
    if draw(st.booleans()):
        return PersonName(called_name=draw(TEXT))
    return PersonName(
        last_name=draw(TEXT),
        prefix=draw(st.none() | PREFIX),
        first_names=None if version == "1.03" else draw(st.none() | TEXT),
        initials=draw(st.none() | SHORT),
        called_name=draw(st.none() | TEXT),
    )


class _Draft:
    """A document being drawn: its version, its lines, and keys not used yet."""

    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw
        self.version = draw(st.sampled_from(["1.03", "2.0", "2.1"]))
        self.v2 = self.version != "1.03"
        self.keys = iter(draw(st.lists(KEY, min_size=40, max_size=40, unique=True)))
        self.lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<EDEX>"]

    def school(self) -> School:
        draw, lines = self.draw, self.lines
        first = draw(st.integers(1990, 2090))
        brin = draw(st.from_regex(r"[0-9]{2}[A-Z]{2}", fullmatch=True))
        dependance = draw(st.none() | st.from_regex(r"[0-9]{2}", fullmatch=True))
        schoolkey = draw(st.none() | KEY)
        lines += ["<school>", f"<schooljaar>{first}-{first + 1}</schooljaar>"]
        lines.append(f"<brincode>{brin}</brincode>")
        if dependance:
            lines.append(f"<dependancecode>{dependance}</dependancecode>")
        if schoolkey:
            lines.append(f"<schoolkey>{escape(schoolkey)}</schoolkey>")
        lines += [f"<xsdversie>{self.version}</xsdversie>", "</school>"]
        return School(
            school_year=SchoolYear(f"{first}-{first + 1}"),
            brin=Brin(brin),
            location=LocationCode(f"{brin}{dependance or '00'}"),
            schoolkey=schoolkey,
        )

    def sites(self) -> list[Site]:
        count = self.draw(st.integers(0, 2)) if self.v2 else 0
        sites = [Site(next(self.keys), self.draw(TEXT)) for _ in range(count)]
        if sites:
            self.lines.append("<vestigingen>")
            self.lines += [
                f"<vestiging key={quoteattr(site.key)}><naam>{escape(site.name)}</naam></vestiging>"
                for site in sites
            ]
            self.lines.append("</vestigingen>")
        return sites

    def groups(self) -> tuple[list[Group], list[CombinationGroup]]:
        draw = self.draw
        groups = [
            Group(next(self.keys), draw(TEXT), draw(st.sampled_from(YEAR_GROUPS[self.version])))
            for _ in range(draw(st.integers(0, 3)))
        ]
        count = draw(st.integers(0, 2)) if self.v2 else 0
        combined = [CombinationGroup(next(self.keys), draw(TEXT)) for _ in range(count)]
        if groups or combined:
            self.lines.append("<groepen>")
            self.lines += [
                f"<groep key={quoteattr(group.key)}><naam>{escape(group.name)}</naam>"
                f"<jaargroep>{group.year_group}</jaargroep></groep>"
                for group in groups
            ]
            self.lines += [
                f"<samengestelde_groep key={quoteattr(item.key)}>"
                f"<naam>{escape(item.name)}</naam></samengestelde_groep>"
                for item in combined
            ]
            self.lines.append("</groepen>")
        return groups, combined

    def subset(self, items: list[Any]) -> list[Any]:
        return self.draw(st.lists(st.sampled_from(items), unique=True)) if items else []

    def one(self, items: list[Any]) -> Any:
        return self.draw(st.none() | st.sampled_from(items)) if items else None

    def pupil(
        self, number: int, groups: list[Group], combined: list[CombinationGroup], sites: list[Site]
    ) -> Pupil:
        draw, version = self.draw, self.version
        key = next(self.keys)
        eckid = (
            f"https://id.school/LL_{number}" if version == "2.1" and draw(st.booleans()) else None
        )
        name = draw(names(version))
        born = draw(st.none() | BIRTH)
        gender = draw(st.none() | st.sampled_from(list(Gender)))
        group = self.one(groups)
        year = draw(st.none() | st.sampled_from(YEAR_GROUPS[version]))
        if version == "1.03" and group is not None:
            year = None  # 1.03: a group or a year group, not both
        cgroups = self.subset(combined)
        site = self.one(sites)
        attributes = f"key={quoteattr(key)}" + (f" eckid={quoteattr(eckid)}" if eckid else "")
        lines = [f"<leerling {attributes}>", *_name_xml(name, version)]
        lines += [f"<geboortedatum>{born.isoformat()}</geboortedatum>"] if born else []
        lines += [f"<geslacht>{gender.value}</geslacht>"] if gender else []
        lines += [f"<jaargroep>{year}</jaargroep>"] if year else []
        lines += [f"<groep key={quoteattr(group.key)}/>"] if group else []
        if cgroups:
            lines += [
                "<samengestelde_groepen>",
                *(f"<samengestelde_groep key={quoteattr(c.key)}/>" for c in cgroups),
                "</samengestelde_groepen>",
            ]
        lines += [f"<vestiging key={quoteattr(site.key)}/>"] if site else []
        self.lines += [*lines, "</leerling>"]
        derived = year is None and group is not None and group.year_group != "C"
        return Pupil(
            key=key,
            name=name,
            eckid=eckid,
            birth_date=born,
            gender=gender,
            year_group=group.year_group if derived and group else year,
            year_group_derived=derived,
            group=group.key if group else None,
            combination_groups=tuple(c.key for c in cgroups),
            site=site.key if site else None,
        )

    def roles(self) -> tuple[str, ...]:
        if not self.v2:
            return ()
        return tuple(self.draw(st.lists(st.sampled_from(ROLES[self.version]), max_size=2)))

    def teacher(
        self, number: int, groups: list[Group], combined: list[CombinationGroup]
    ) -> Teacher:
        key = next(self.keys)
        name = self.draw(names(self.version))
        email = f"leraar{number}@school.nl" if self.v2 and self.draw(st.booleans()) else None
        roles = self.roles()
        links = tuple(TeacherGroup(group.key, roles=self.roles()) for group in self.subset(groups))
        links += tuple(TeacherGroup(item.key, combination=True) for item in self.subset(combined))
        lines = [f"<leerkracht key={quoteattr(key)}>", *_name_xml(name, self.version)]
        lines += [f"<emailadres>{email}</emailadres>"] if email else []
        lines += [f"<rol>{role}</rol>" for role in roles]
        if links:
            lines.append("<groepen>")
            for link in links:
                tag = "samengestelde_groep" if link.combination else "groep"
                inner = "".join(f"<rol>{role}</rol>" for role in link.roles)
                lines.append(f"<{tag} key={quoteattr(link.key)}>{inner}</{tag}>")
            lines.append("</groepen>")
        self.lines += [*lines, "</leerkracht>"]
        return Teacher(key, name, email=email, roles=roles, groups=links)


@st.composite
def documents(draw: st.DrawFn) -> Generated:
    """Draw a valid EDEXML document of any version, with the roster it holds."""
    draft = _Draft(draw)
    school = draft.school()
    sites = draft.sites()
    groups, combined = draft.groups()
    draft.lines.append("<leerlingen>")
    pupils = [
        draft.pupil(number, groups, combined, sites) for number in range(draw(st.integers(1, 5)))
    ]
    draft.lines.append("</leerlingen>")
    count = draw(st.integers(0, 2))
    if count:
        draft.lines.append("<leerkrachten>")
    teachers = [draft.teacher(number, groups, combined) for number in range(count)]
    if count:
        draft.lines.append("</leerkrachten>")
    draft.lines.append("</EDEX>")
    roster = Roster(
        version={"1.03": Version.V1_03, "2.0": Version.V2_0, "2.1": Version.V2_1}[draft.version],
        school=school,
        sites=tuple(sites),
        groups=tuple(groups),
        combination_groups=tuple(combined),
        pupils=tuple(pupils),
        teachers=tuple(teachers),
        declared_version=draft.version,
    )
    return Generated(("\n".join(draft.lines) + "\n").encode("utf-8"), roster)


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_generated_valid_documents_round_trip(document: Generated) -> None:
    """A valid document is accepted, and read into exactly the roster it was made from."""
    verdict = inspect(document.data)
    assert [] == [(p.line, p.code) for p in verdict.errors]
    assert document.roster == parse(document.data)


def _checked(data: bytes) -> None:
    """Inspect *data*: a verdict whose every error has a specific code and a line, or a refusal."""
    refused: EdexmlRefused | None = None
    try:
        verdict = inspect(data, limits=Limits(max_elements=100_000))
    except EdexmlRefused as refusal:
        refused = refusal
    if refused is not None:
        assert refused.code in CATALOGUE
        assert refused.code not in GENERIC_CODES
        return
    for problem in verdict.problems:
        assert problem.code in CATALOGUE
        assert problem.code not in GENERIC_CODES
        assert isinstance(problem.line, int)
        assert problem.line >= 1
        problem.message("nl")
        problem.message("en")
    if verdict.errors:
        assert not verdict.valid


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(document=documents(), data=st.data())
def test_random_byte_mutations_are_read_or_refused_specifically(
    document: Generated, data: st.DataObject
) -> None:
    """Bytes changed, dropped or added anywhere: every problem is specific and has a line."""
    mutated = bytearray(document.data)
    for _ in range(data.draw(st.integers(1, 4))):
        position = data.draw(st.integers(0, len(mutated) - 1))
        operation = data.draw(st.sampled_from(["replace", "delete", "insert"]))
        byte = data.draw(st.integers(0, 255))
        if operation == "replace":
            mutated[position] = byte
        elif operation == "delete":
            del mutated[position]
        else:
            mutated.insert(position, byte)
    _checked(bytes(mutated))


def _mutate_element(tree: etree._Element, data: st.DataObject) -> None:
    elements = list(tree.iter())[1:]
    if not elements:  # earlier mutations removed every element below the root
        return
    target = data.draw(st.sampled_from(elements))
    parent = target.getparent()
    assert parent is not None
    operation = data.draw(
        st.sampled_from(["delete", "duplicate", "move", "rename", "text", "attribute"])
    )
    if operation == "delete":
        parent.remove(target)
    elif operation == "duplicate":
        target.addnext(etree.fromstring(etree.tostring(target)))
    elif operation == "move":
        destination = data.draw(st.sampled_from([tree, *elements]))
        if destination is not target and target not in destination.iterancestors():
            destination.append(target)
    elif operation == "rename":
        target.tag = data.draw(
            st.sampled_from(["groep", "leerling", "naam", "jaargroep", "toevoegingen", "x"])
        )
    elif operation == "text":
        target.text = data.draw(st.sampled_from(["", " ", "x" * 300, "2026-2028", "99", "١٢"]))
    else:
        target.set(data.draw(st.sampled_from(["key", "eckid", "nr"])), data.draw(KEY))


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(document=documents(), data=st.data())
def test_random_element_mutations_give_specific_problems_on_both_paths(
    document: Generated, data: st.DataObject
) -> None:
    """Elements dropped, repeated, moved, renamed or refilled: specific problems, on both paths."""
    tree = etree.fromstring(document.data)
    for _ in range(data.draw(st.integers(1, 3))):
        _mutate_element(tree, data)
    mutated = etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
    _checked(mutated)
    options: dict[str, Any] = {"lenient": False, "schema": None, "limits": Limits(), "keep": False}
    outcomes = [_read(mutated, full_report=full, **options) for full in (False, True)]
    fast, full = ([(p.line, p.code) for p in o.problems if p.is_error] for o in outcomes)
    assert full == fast


# -- Hostile dimensions (issue 19): each refused exactly beyond its own limit ------------------

HOSTILE_HEAD = (
    "<EDEX><school><schooljaar>2026-2027</schooljaar><brincode>22AB</brincode></school>"
    '<leerlingen><leerling key="1"><roepnaam>A</roepnaam><jaargroep>4</jaargroep></leerling>'
)
HOSTILE_TAIL = "</leerlingen></EDEX>"


def _attributes(size: int) -> str:  # the key and size - 1 others on one pupil
    others = " ".join(f'a{number}="x"' for number in range(size - 1))
    return f'<leerling key="2" {others}/>'


def _nested(size: int) -> str:  # EDEX, leerlingen, leerling: 3 levels, then size - 3 more
    return '<leerling key="2">' + "<x>" * (size - 3) + "</x>" * (size - 3) + "</leerling>"


HOSTILE: dict[str, tuple[str, Any]] = {
    # limit: (its refusal code, a part making a file whose dimension is exactly `size`)
    "max_attributes": ("edexml.refused.attributes", _attributes),
    "max_attribute_length": (
        "edexml.refused.attribute_length",
        lambda size: f'<leerling key="{"k" * size}"/>',
    ),
    "max_text_length": (
        "edexml.refused.text_length",
        lambda size: f'<leerling key="2"><roepnaam>{"n" * size}</roepnaam></leerling>',
    ),
    "max_depth": ("edexml.refused.depth", _nested),
    "max_records": (  # the head has one pupil
        "edexml.refused.records",
        lambda size: "".join(f'<leerling key="r{n}"/>' for n in range(size - 1)),
    ),
    "max_record_elements": (  # a pupil holding size elements (unknown ones: the full report)
        "edexml.refused.record_elements",
        lambda size: '<leerling key="2">' + "<x/>" * size + "</leerling>",
    ),
    "max_elements": (  # the head has 8 elements; a pupil holding size - 9 more
        "edexml.refused.elements",
        lambda size: '<leerling key="2">' + "<x/>" * (size - 9) + "</leerling>",
    ),
}


@settings(max_examples=80, suppress_health_check=[HealthCheck.too_slow])
@given(
    limit=st.sampled_from(sorted(HOSTILE)),
    maximum=st.integers(min_value=12, max_value=80),
    over=st.integers(min_value=-3, max_value=3),
)
@pytest.mark.req("EDX-1", "EDX-6")
def test_hostile_dimensions_are_refused_exactly_beyond_their_own_limit(
    limit: str, maximum: int, over: int
) -> None:
    """A file is refused with the dimension's own code iff it crosses that limit."""
    code, part = HOSTILE[limit]
    size = maximum + over
    data = (HOSTILE_HEAD + part(size) + HOSTILE_TAIL).encode()
    limits = Limits(**{limit: maximum})
    if size <= maximum:
        inspect(data, limits=limits)  # read, valid or not, never refused
        return
    for read in (inspect, parse):
        with pytest.raises(EdexmlRefused) as raised:
            read(data, limits=limits)
        assert (code, limit, maximum) == (
            raised.value.code,
            raised.value.limit,
            raised.value.params["maximum"],
        )


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(errors=st.integers(min_value=0, max_value=120), cap=st.integers(min_value=1, max_value=60))
@pytest.mark.req("EDX-1")
def test_problems_are_listed_up_to_the_cap_and_the_rest_counted(errors: int, cap: int) -> None:
    """k wrong year groups, cap c: min(k, c) listed, and a note of k - c more when k > c."""
    pupils = "".join(
        f'<leerling key="e{n}"><roepnaam>A</roepnaam><jaargroep>99</jaargroep></leerling>'
        for n in range(errors)
    )
    verdict = inspect(
        (HOSTILE_HEAD + pupils + HOSTILE_TAIL).encode(), limits=Limits(max_problems=cap)
    )
    listed = [p for p in verdict.problems if p.code == "edexml.value.not_allowed"]
    notes = [p for p in verdict.problems if p.code == "edexml.problems.truncated"]
    assert min(errors, cap) == len(listed)
    assert (errors > cap) == bool(notes)
    if notes:
        assert (errors - cap, errors - cap, cap) == (
            notes[0].params["more"],
            notes[0].params["errors"],
            notes[0].params["maximum"],
        )
    assert verdict.valid == (errors == 0)


@st.composite
def tagged_files(draw: st.DrawFn) -> tuple[bytes, int, int | None]:
    """Return a file of tags with drawn attribute counts, the limit, and the line to refuse."""
    limit = draw(st.integers(min_value=1, max_value=12))
    space = st.sampled_from([" ", "\n", " \n ", "\t"])
    lines, parts, refused = 1, ["<EDEX>"], None
    for number in range(draw(st.integers(min_value=1, max_value=8))):
        count = draw(st.integers(min_value=0, max_value=2 * limit + 2))
        quote = draw(st.sampled_from(['"', "'"]))
        attributes = "".join(
            f"{draw(space)}{'xmlns:p' if n == 0 and count > 3 else f'a{n}'}={quote}"
            f"{draw(st.sampled_from(['', 'x', '> =', 'a b']))}{quote}"
            for n in range(count)
        )
        text = draw(st.sampled_from(["", "tekst", "x" * 200, "\n", "a = 'b' c = 'd' " * 20]))
        if refused is None and count > limit:
            refused = lines
        tag = f"<t{number}{attributes}{draw(space)}/>{text}"
        parts.append(tag)
        lines += tag.count("\n")
    parts.append("</EDEX>")
    return "".join(parts).encode(), limit, refused


@settings(max_examples=150)
@given(drawn=tagged_files(), chunk=st.integers(min_value=1, max_value=300))
@pytest.mark.req("EDX-1", "EDX-6")
def test_the_byte_scan_refuses_exactly_the_tags_with_too_many_attributes(
    drawn: tuple[bytes, int, int | None], chunk: int
) -> None:
    """Whatever the chunks, the scan refuses iff a start tag has too many, naming its line."""
    data, limit, line = drawn
    source = Source(data, Limits(max_attributes=limit))
    if line is None:
        scan_attributes(source, chunk_size=chunk)
        return
    with pytest.raises(Refusal) as raised:
        scan_attributes(source, chunk_size=chunk)
    assert ("max_attributes", limit, line) == (
        raised.value.limit,
        raised.value.maximum,
        raised.value.line,
    )
