"""Real EDEXML files (Oefenweb's MIT-licensed samples, see edexml/README.md) read as expected."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from examkit.edexml import (
    Counts,
    Gender,
    PersonName,
    Pupil,
    School,
    TeacherGroup,
    Version,
    inspect,
    parse,
)
from examkit.identifiers import Brin, Instellingsnummer, LocationCode, SchoolYear

pytestmark = pytest.mark.req("EDX-1", "EDX-6")

FILES = Path(__file__).parent / "edexml"


@pytest.mark.parametrize(
    ("name", "version", "school", "counts"),
    [
        (
            "oefenweb-1.0.3-sample.xml",
            Version.V1_03,
            School(SchoolYear("2012-2013"), Brin("99XX"), LocationCode("99XX99"), "99999"),
            Counts(groups=19, pupils=400, teachers=29),
        ),
        (
            "oefenweb-2.0-voorbeeld.xml",
            Version.V2_0,
            School(SchoolYear("2014-2015"), Brin("99ZZ"), LocationCode("99ZZ00"), "41323"),
            Counts(groups=5, combination_groups=3, pupils=3, teachers=3, sites=2),
        ),
        (
            "oefenweb-2.0-voorbeeld-vla.xml",
            Version.V2_0,
            School(
                SchoolYear("2014-2015"),
                schoolkey="41323",
                instellingsnummer=Instellingsnummer("1234"),
            ),
            Counts(groups=5, combination_groups=2, pupils=3, teachers=3),
        ),
        (
            "oefenweb-2.1-voorbeeld.xml",
            Version.V2_1,
            School(SchoolYear("2014-2015"), Brin("99ZZ"), LocationCode("99ZZ00"), "41323"),
            Counts(groups=5, combination_groups=3, pupils=3, teachers=3, sites=2),
        ),
    ],
)
def test_every_sample_parses_with_the_right_counts(
    name: str, version: Version, school: School, counts: Counts
) -> None:
    """Each sample is valid, of its version, for its school, with its numbers of everything."""
    verdict = inspect(FILES / name)
    roster = parse(FILES / name)
    assert (True, version, school, counts) == (
        verdict.valid,
        verdict.version,
        verdict.school,
        verdict.counts,
    )
    assert (version, school, counts) == (roster.version, roster.school, roster.counts)


def test_the_cito_export_keeps_name_prefixes_and_derives_year_groups() -> None:
    """The 1.03 export's pupils keep their voorvoegsel and get their group's year group."""
    roster = parse(FILES / "oefenweb-1.0.3-sample.xml")
    first = roster.pupils[1]
    assert (
        Pupil(
            key="1071",
            name=PersonName("Aar", "van der", called_name="Savannah"),
            birth_date=date(2009, 8, 11),
            gender=Gender.FEMALE,
            year_group="0",
            year_group_derived=True,
            group="192",
        )
        == first
    )
    assert "Savannah van der Aar" == first.name.full_name
    teacher = next(teacher for teacher in roster.teachers if teacher.key == "112")
    assert ("Willems-Götschenberg", (TeacherGroup("66"),)) == (
        teacher.name.last_name,
        teacher.groups,
    )
    assert () == roster.warnings


def test_the_2_1_example_keeps_eckids_combination_groups_and_roles() -> None:
    """2.1's eckid, a pupil's combination groups and a teacher's roles per group are kept."""
    roster = parse(FILES / "oefenweb-2.1-voorbeeld.xml")
    pupil = roster.pupils[0]
    assert (
        "00001",
        "https://id.school/LL_123467890abcdefghijklmnopqrstuvwxzABCDEFGHIJKLMNOPQRSTUVWXYZ!@#$%^_-",
        PersonName("ie", "imp", initials="W", called_name="Wimpie"),
        "GRP4B",
        ("sg1", "sg2"),
        "VH",
    ) == (
        pupil.key,
        pupil.eckid,
        pupil.name,
        pupil.group,
        pupil.combination_groups,
        pupil.site,
    )
    roles = {teacher.key: (teacher.roles, teacher.groups) for teacher in roster.teachers}
    assert (("TAL",), (TeacherGroup("GRP4A"),)) == roles["LK1"]
    assert TeacherGroup("GRP4A", roles=("STA", "OWA")) == roles["LK3"][1][0]
    assert ["sg3", "sg1", "sg2"] == [group.key for group in roster.combination_groups]


@pytest.mark.req("EDX-6")
def test_flemish_national_numbers_are_not_kept() -> None:
    """The Flemish example's rijksregisternummer and postnummer never reach the roster."""
    data = (FILES / "oefenweb-2.0-voorbeeld-vla.xml").read_bytes()
    assert b"13345678512" in data
    roster = parse(data)
    assert "13345678512" not in repr(roster)
    assert "6971" not in repr(roster)
