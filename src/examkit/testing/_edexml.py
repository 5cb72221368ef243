"""Write small EDEXML 2.1 files from examkit values, for tests, demos and benchmarks."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final
from xml.sax.saxutils import escape, quoteattr

from examkit.edexml import CombinationGroup, Group, PersonName, Pupil, Teacher
from examkit.identifiers import Brin, Instellingsnummer, SchoolYear


def _name(name: PersonName) -> list[str]:
    parts = [
        ("achternaam", name.last_name),
        ("voorvoegsel", name.prefix),
        ("voornamen", name.first_names),
        ("voorletters-1", name.initials),
        ("roepnaam", name.called_name),
    ]
    return [f"<{tag}>{escape(value)}</{tag}>" for tag, value in parts if value]


def _pupil(pupil: Pupil) -> str:
    parts = [f"<leerling key={quoteattr(pupil.key)}>", *_name(pupil.name)]
    if pupil.birth_date is not None:
        parts.append(f"<geboortedatum>{pupil.birth_date.isoformat()}</geboortedatum>")
    if pupil.gender is not None:
        parts.append(f"<geslacht>{pupil.gender.value}</geslacht>")
    if pupil.year_group is not None:
        parts.append(f"<jaargroep>{escape(pupil.year_group)}</jaargroep>")
    if pupil.group is not None:
        parts.append(f"<groep key={quoteattr(pupil.group)}/>")
    if pupil.combination_groups:
        parts.append("<samengestelde_groepen>")
        parts.extend(
            f"<samengestelde_groep key={quoteattr(key)}/>" for key in pupil.combination_groups
        )
        parts.append("</samengestelde_groepen>")
    parts.append("</leerling>")
    return "".join(parts)


def _teacher(teacher: Teacher) -> str:
    parts = [f"<leerkracht key={quoteattr(teacher.key)}>", *_name(teacher.name)]
    if teacher.groups:
        parts.append("<groepen>")
        for link in teacher.groups:
            tag = "samengestelde_groep" if link.combination else "groep"
            parts.append(f"<{tag} key={quoteattr(link.key)}/>")
        parts.append("</groepen>")
    parts.append("</leerkracht>")
    return "".join(parts)


def edexml_document(
    *,
    school_year: SchoolYear,
    brin: Brin | None,
    dependancecode: str | None = "00",
    schoolkey: str | None = None,
    instellingsnummer: Instellingsnummer | None = None,
    groups: Iterable[Group] = (),
    combination_groups: Iterable[CombinationGroup] = (),
    pupils: Iterable[Pupil] = (),
    teachers: Iterable[Teacher] = (),
) -> bytes:
    """Return an EDEXML 2.1 file with these values (what :func:`examkit.edexml.parse` reads back).

    Writes only the fields examkit keeps: enough for tests, demos and
    benchmarks of the import, not an exporter of a school administration.

    >>> from examkit.edexml import parse
    >>> data = edexml_document(school_year=SchoolYear("2026-2027"), brin=Brin("22AB"),
    ...                        groups=[Group("g1", "1A", "1")],
    ...                        pupils=[Pupil("7", PersonName(called_name="Sem"), group="g1")])
    >>> roster = parse(data)
    >>> roster.groups, roster.pupils[0].year_group
    ((Group(key='g1', name='1A', year_group='1'),), '1')

    A valid file has at least one pupil; without one the file written is
    refused by the parser, as a real one would be. With *instellingsnummer*
    (and no *brin*) it is a Flemish school's file.
    """
    school = [f"<schooljaar>{school_year}</schooljaar>"]
    if brin is not None:
        school.append(f"<brincode>{brin}</brincode>")
        if dependancecode is not None:
            school.append(f"<dependancecode>{escape(dependancecode)}</dependancecode>")
    if instellingsnummer is not None:
        school.append(f"<instellingsnummer>{instellingsnummer}</instellingsnummer>")
    if schoolkey is not None:
        school.append(f"<schoolkey>{escape(schoolkey)}</schoolkey>")
    school.append("<xsdversie>2.1</xsdversie>")
    group_xml = [
        f"<groep key={quoteattr(g.key)}><naam>{escape(g.name)}</naam>"
        f"<jaargroep>{escape(g.year_group)}</jaargroep></groep>"
        for g in groups
    ] + [
        f"<samengestelde_groep key={quoteattr(c.key)}><naam>{escape(c.name)}</naam>"
        "</samengestelde_groep>"
        for c in combination_groups
    ]
    body = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<EDEX>',
        f"<school>{''.join(school)}</school>",
        f"<groepen>{''.join(group_xml)}</groepen>" if group_xml else "",
        f"<leerlingen>{''.join(_pupil(p) for p in pupils)}</leerlingen>",
    ]
    teacher_xml = "".join(_teacher(t) for t in teachers)
    if teacher_xml:
        body.append(f"<leerkrachten>{teacher_xml}</leerkrachten>")
    body.append("</EDEX>\n")
    return "\n".join(part for part in body if part).encode()


def demo_edexml(year: SchoolYear) -> bytes:
    """Return the demo school's EDEXML 2.1 export for *year*: sites, groups, pupils, teachers.

    The school of ``examkit demo`` and of the reference portal's demo: location
    22AB00, two groups and a combination group, four pupils, two teachers.
    """
    pupils = [
        ("L001", "Vries", "de", "Sem", "2018-03-14", "1", "4", "G4A", ("PLUS",)),
        ("L002", "Bakker", None, "Noor", "2018-11-02", "2", "4", "G4A", ()),
        ("L003", "Hof", "van 't", "Jesse", "2017-06-21", "1", "5", "G5B", ("PLUS",)),
        ("L004", "Yılmaz", None, "Elif", "2017-09-30", "2", "5", "G5B", ()),
    ]
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<EDEX xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
        "  <school>",
        f"    <schooljaar>{year}</schooljaar>",
        "    <brincode>22AB</brincode>",
        "    <dependancecode>00</dependancecode>",
        "    <schoolkey>heteiland</schoolkey>",
        "    <xsdversie>2.1</xsdversie>",
        "  </school>",
        "  <vestigingen>",
        '    <vestiging key="TZ"><naam>Het Eiland, Tzummarum</naam></vestiging>',
        "  </vestigingen>",
        "  <groepen>",
        '    <groep key="G4A"><naam>4A</naam><jaargroep>4</jaargroep></groep>',
        '    <groep key="G5B"><naam>5B</naam><jaargroep>5</jaargroep></groep>',
        '    <samengestelde_groep key="PLUS"><naam>Plusklas</naam></samengestelde_groep>',
        "  </groepen>",
        "  <leerlingen>",
    ]
    for key, last, prefix, called, born, gender, year_group, group, combined in pupils:
        lines.append(f'    <leerling key="{key}">')
        lines.append(f"      <achternaam>{last}</achternaam>")
        if prefix:
            lines.append(f"      <voorvoegsel>{prefix}</voorvoegsel>")
        lines += [
            f"      <roepnaam>{called}</roepnaam>",
            f"      <geboortedatum>{born}</geboortedatum>",
            f"      <geslacht>{gender}</geslacht>",
            f"      <jaargroep>{year_group}</jaargroep>",
            f'      <groep key="{group}"/>',
        ]
        if combined:
            lines.append("      <samengestelde_groepen>")
            lines += [f'        <samengestelde_groep key="{item}"/>' for item in combined]
            lines.append("      </samengestelde_groepen>")
        lines += ['      <vestiging key="TZ"/>', "    </leerling>"]
    lines += [
        "  </leerlingen>",
        "  <leerkrachten>",
        '    <leerkracht key="T01">',
        "      <achternaam>Jansen</achternaam><roepnaam>Anna</roepnaam>",
        "      <emailadres>a.jansen@heteiland.nl</emailadres>",
        '      <groepen><groep key="G4A"><rol>LRK</rol></groep></groepen>',
        "    </leerkracht>",
        '    <leerkracht key="T02">',
        "      <achternaam>Dijk</achternaam><voorvoegsel>van</voorvoegsel>",
        "      <roepnaam>Bram</roepnaam>",
        "      <emailadres>b.vandijk@heteiland.nl</emailadres>",
        "      <rol>IB</rol>",
        '      <groepen><groep key="G5B"/><samengestelde_groep key="PLUS"/></groepen>',
        "    </leerkracht>",
        "  </leerkrachten>",
        "</EDEX>",
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


FLEMISH_DEMO_SCHOOL: Final = Instellingsnummer("45678")
"""The made-up Flemish school of :func:`flemish_demo_edexml`."""


def flemish_demo_edexml(year: SchoolYear, school: Instellingsnummer = FLEMISH_DEMO_SCHOOL) -> bytes:
    """Return a made-up Flemish school's EDEXML 2.0 export for *year* (the Flemish variant).

    For demos and tests of the Flemish desk: *school*'s *instellingsnummer*
    and no BRIN, three classes and a combination group, six pupils and two
    teachers. The pupils have a *rijksregisternummer* (which examkit never
    keeps), each ending in the check digits ``00``, which no real number
    has; every name is invented.

    >>> from examkit.edexml import parse
    >>> roster = parse(flemish_demo_edexml(SchoolYear("2026-2027")))
    >>> str(roster.school.instellingsnummer), [p.name.full_name for p in roster.pupils][:2]
    ('45678', ['Lotte Peeters', 'Arne Janssens'])
    """
    pupils = [
        ("LL-01", "Peeters", "Lotte", "2015-03-15", "2", "8", "L6A", "15031500200"),
        ("LL-02", "Janssens", "Arne", "2015-11-22", "1", "8", "L6A", "15112200300"),
        ("LL-03", "Van den Broeck", "Noor", "2015-01-01", "2", "8", "L6B", "15010100100"),
        ("LL-04", "Maes", "Wout", "2015-02-28", "1", "8", "L6B", "15022800400"),
        ("LL-05", "Claes", "Fien", "2017-06-30", "2", "6", "L4A", "17063000500"),
        ("LL-06", "Wouters", "Jef", "2017-09-09", "1", "6", "L4A", "17090900600"),
    ]
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<EDEX>",
        "  <school>",
        f"    <schooljaar>{year}</schooljaar>",
        f"    <instellingsnummer>{school}</instellingsnummer>",
        "    <schoolkey>de-linde</schoolkey>",
        "    <xsdversie>2.0</xsdversie>",
        "  </school>",
        "  <groepen>",
        '    <groep key="L6A"><naam>6A</naam><jaargroep>8</jaargroep></groep>',
        '    <groep key="L6B"><naam>6B</naam><jaargroep>8</jaargroep></groep>',
        '    <groep key="L4A"><naam>4A</naam><jaargroep>6</jaargroep></groep>',
        '    <samengestelde_groep key="LEES"><naam>Leesgroep</naam></samengestelde_groep>',
        "  </groepen>",
        "  <leerlingen>",
    ]
    for key, last, called, born, gender, year_group, group, number in pupils:
        lines += [
            f'    <leerling key="{key}">',
            f"      <achternaam>{last}</achternaam><roepnaam>{called}</roepnaam>",
            f"      <geboortedatum>{born}</geboortedatum><geslacht>{gender}</geslacht>",
            f'      <jaargroep>{year_group}</jaargroep><groep key="{group}"/>',
        ]
        if key in {"LL-02", "LL-03"}:
            lines.append('      <samengestelde_groepen><samengestelde_groep key="LEES"/>'
                         "</samengestelde_groepen>")  # fmt: skip
        lines += [
            f"      <rijksregisternummer>{number}</rijksregisternummer>",
            "      <postnummerbe>9000</postnummerbe>",
            "    </leerling>",
        ]
    lines += [
        "  </leerlingen>",
        "  <leerkrachten>",
        '    <leerkracht key="LK-01">',
        "      <achternaam>Goossens</achternaam><roepnaam>Hilde</roepnaam>",
        "      <emailadres>hilde.goossens@example.org</emailadres>",
        '      <groepen><groep key="L6A"><rol>LRK</rol></groep>'
        '<samengestelde_groep key="LEES"/></groepen>',
        "    </leerkracht>",
        '    <leerkracht key="LK-02">',
        "      <achternaam>Mertens</achternaam><roepnaam>Sara</roepnaam>",
        "      <rol>DIR</rol>",
        "    </leerkracht>",
        "  </leerkrachten>",
        "</EDEX>",
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")
