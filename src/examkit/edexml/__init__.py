"""EDEXML: the school administration's export of pupils, classes and teachers.

Schools export their pupils, groups and teachers from their administration
system as an EDEXML file (versions 1.03, 2.0 and 2.1 of the Dutch
standard). :func:`inspect` checks a file and reports every problem with its
line and element; :func:`parse` reads a valid file into a :class:`Roster`
of examkit values, keeping only what examkit needs.

>>> data = b'''<?xml version="1.0" encoding="UTF-8"?>
... <EDEX>
...   <school><schooljaar>2026-2027</schooljaar><brincode>22AB</brincode>
...     <xsdversie>2.1</xsdversie></school>
...   <groepen><groep key="g4"><naam>4A</naam><jaargroep>4</jaargroep></groep></groepen>
...   <leerlingen>
...     <leerling key="1"><roepnaam>Sem</roepnaam><groep key="g4"/></leerling>
...   </leerlingen>
... </EDEX>'''
>>> roster = parse(data)
>>> str(roster.version), str(roster.school.school_year), roster.pupils[0].year_group
('2.1', '2026-2027', '4')
>>> print(roster.warnings[0].message("en"))
Pupil '1' has no jaargroep; examkit takes jaargroep 4 from group 'g4'.
>>> verdict = inspect(data.replace(b'"g4"/>', b'"g5"/>'))
>>> verdict.valid, [(p.line, p.code) for p in verdict.errors]
(False, [(7, 'edexml.reference.group')])

Implements EDX-1 and EDX-6.
"""

from examkit.edexml._grammar import COUNTRY_CODES, ROLE_CODES, YEAR_GROUPS
from examkit.edexml._model import (
    CombinationGroup,
    Counts,
    Gender,
    Group,
    Inspection,
    PersonName,
    Pupil,
    Roster,
    School,
    Site,
    Teacher,
    TeacherGroup,
)
from examkit.edexml._problems import SEVERITIES, EdexmlProblem, EdexmlRefused, Severity
from examkit.edexml._read import inspect, parse
from examkit.edexml._source import DEFAULT_LIMITS, Limits
from examkit.edexml._version import Version
from examkit.edexml._xsd import schema_text

__all__ = [
    "COUNTRY_CODES",
    "DEFAULT_LIMITS",
    "ROLE_CODES",
    "SEVERITIES",
    "YEAR_GROUPS",
    "CombinationGroup",
    "Counts",
    "EdexmlProblem",
    "EdexmlRefused",
    "Gender",
    "Group",
    "Inspection",
    "Limits",
    "PersonName",
    "Pupil",
    "Roster",
    "School",
    "Severity",
    "Site",
    "Teacher",
    "TeacherGroup",
    "Version",
    "inspect",
    "parse",
    "schema_text",
]
