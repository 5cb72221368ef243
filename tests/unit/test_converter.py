# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The one converter: examkit values to plain JSON data and back."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import cattrs
import pytest

from examkit.accounts import Account, AccountStatus, LoginName, PasswordRecord
from examkit.converter import converter, make_converter, structure, unstructure
from examkit.errors import ExamkitErrorGroup, InvalidInput
from examkit.identifiers import (
    BelgianPostcode,
    Brin,
    Instellingsnummer,
    LocationCode,
    OnderwijslocatieCode,
    Postcode,
    SchoolYear,
)
from examkit.org import Address, CompetentAuthority, Institution, Location

DUTCH = Institution(
    code=Brin("22AB"),
    name="Het Eiland",
    address=Address("Dorpsstraat", "1", Postcode("8835BA"), "Tzummarum"),
    competent_authority=CompetentAuthority(
        name="J.A. de Vries", function="voorzitter college van bestuur", email="bestuur@eiland.nl"
    ),
    onderwijslocatiecode=OnderwijslocatieCode("123X456"),
    secondary_locations=(
        Location(
            code=LocationCode("22AB01"),
            name="Locatie Sexbierum",
            address=Address("Schoolstraat", "12a", Postcode("8855AB"), "Sexbierum"),
        ),
    ),
)

FLEMISH = Institution(
    code=Instellingsnummer("012345"),
    name="Sint-Jozefscollege",
    address=Address("Kerkstraat", "5", BelgianPostcode("9000"), "Gent"),
)

ACCOUNT = Account(
    id="acc-1",
    login_name=LoginName("22AB.K.Beheerder"),
    first_name="Klaas",
    last_name="Beheerder",
    email="k.beheerder@eiland.nl",
    phone="0612345678",
    status=AccountStatus.DEACTIVATED,
    password=PasswordRecord(
        hash="$argon2id$v=19$abc", set_at=datetime(2026, 9, 1, 8, tzinfo=UTC), must_change=True
    ),
    # attrs' converter=tuple leaves mypy an unsolved type variable in Account.__init__.
    password_history=("$argon2id$old",),
    institutions=frozenset({Brin("22AB"), Instellingsnummer("012345")}),
    version=3,
)


def json_round_trip(value: object) -> Any:
    """Return *value* unstructured, through JSON text and back to plain data."""
    return json.loads(json.dumps(unstructure(value)))


@pytest.mark.req("ORG-1", "ORG-3", "ORG-5")
def test_dutch_institution_unstructures_to_plain_data() -> None:
    """Identifiers become their normalised text; tuples become lists."""
    assert {
        "code": "22AB",
        "name": "Het Eiland",
        "address": {
            "street": "Dorpsstraat",
            "house_number": "1",
            "postcode": "8835 BA",
            "town": "Tzummarum",
        },
        "competent_authority": {
            "name": "J.A. de Vries",
            "function": "voorzitter college van bestuur",
            "email": "bestuur@eiland.nl",
        },
        "onderwijslocatiecode": "123X456",
        "secondary_locations": [
            {
                "code": "22AB01",
                "name": "Locatie Sexbierum",
                "address": {
                    "street": "Schoolstraat",
                    "house_number": "12a",
                    "postcode": "8855 AB",
                    "town": "Sexbierum",
                },
                "onderwijslocatiecode": None,
            }
        ],
        "version": 0,
    } == unstructure(DUTCH)


@pytest.mark.req("ORG-1", "ORG-2", "ORG-3")
@pytest.mark.parametrize("institution", [DUTCH, FLEMISH], ids=["dutch", "flemish"])
def test_institution_round_trip(institution: Institution) -> None:
    """An institution survives unstructure -> JSON -> structure unchanged."""
    back = structure(json_round_trip(institution), Institution)
    assert institution == back
    assert (type(institution.code), type(institution.address.postcode)) == (
        type(back.code),
        type(back.address.postcode),
    )


@pytest.mark.req("AUTH-11")
def test_account_round_trip() -> None:
    """An account survives unstructure -> JSON -> structure, version included."""
    data = json_round_trip(ACCOUNT)
    back = structure(data, Account)
    assert ACCOUNT == back
    assert (3, "2026-09-01T08:00:00+00:00", "deactivated") == (
        back.version,
        data["password"]["set_at"],
        data["status"],
    )
    assert ["012345", "22AB"] == sorted(data["institutions"])


def test_identifiers_structure_from_any_spelling() -> None:
    """Structuring parses text, so messy spellings are normalised."""
    assert (LocationCode("22AB01"), SchoolYear("2025-2026")) == (
        structure("22ab 01", LocationCode),
        structure("2025 / 2026", SchoolYear),
    )


def test_aware_times_are_written_in_utc() -> None:
    """An aware datetime is written as ISO 8601 in UTC."""
    amsterdam = timezone(timedelta(hours=2))
    assert "2026-09-01T08:00:00+00:00" == unstructure(datetime(2026, 9, 1, 10, tzinfo=amsterdam))
    assert datetime(2026, 9, 1, 8, tzinfo=UTC) == structure("2026-09-01T10:00:00+02:00", datetime)


def test_naive_time_is_refused_when_written() -> None:
    """A naive datetime is never written: examkit only works with aware times."""
    with pytest.raises(InvalidInput) as info:
        unstructure(datetime(2026, 9, 1, 8))  # noqa: DTZ001
    assert "input.time.naive" == info.value.code


def test_naive_time_is_refused_when_read() -> None:
    """Data with a time lacking its zone is refused."""
    data = json_round_trip(ACCOUNT)
    data["password"]["set_at"] = "2026-09-01T08:00:00"
    with pytest.raises(InvalidInput) as info:
        structure(data, Account)
    assert "input.time.naive" == info.value.code


def test_unreadable_time_is_invalid_input() -> None:
    """Text that is no time is refused with its own code."""
    with pytest.raises(InvalidInput) as info:
        structure("yesterday", datetime)
    assert "input.time.invalid" == info.value.code


def test_dates_and_decimals_are_text() -> None:
    """Dates are ISO text and decimals their exact text, both ways."""
    assert ("2026-09-01", "7.5") == (unstructure(date(2026, 9, 1)), unstructure(Decimal("7.5")))
    assert (date(2026, 9, 1), Decimal("7.5")) == (
        structure("2026-09-01", date),
        structure("7.5", Decimal),
    )


def invalid_structures() -> list[tuple[str, object]]:
    """Return data of the wrong shape for an institution, with a test id."""
    good = unstructure(DUTCH)
    return [
        ("text", "22AB"),
        ("number", 5),
        ("none", None),
        ("list", [good]),
        ("empty", {}),
        ("extra-key", good | {"colour": "red"}),
        ("bad-brin", good | {"code": "2AB"}),
        ("number-brin", good | {"code": 22}),
        ("bad-postcode", good | {"address": good["address"] | {"postcode": "0835 BA"}}),
        ("address-text", good | {"address": "Dorpsstraat 1"}),
        ("locations-number", good | {"secondary_locations": 3}),
        (
            "other-brin-location",
            good | {"secondary_locations": [good["secondary_locations"][0] | {"code": "33CD01"}]},
        ),
    ]


@pytest.mark.parametrize(
    "data",
    [data for _, data in invalid_structures()],
    ids=[name for name, _ in invalid_structures()],
)
def test_bad_data_raises_invalid_input_not_a_cattrs_error(data: object) -> None:
    """Whatever is wrong with the data, the caller gets InvalidInput, never a cattrs error."""
    with pytest.raises(InvalidInput) as info:
        structure(data, Institution)
    assert cattrs.BaseValidationError not in type(info.value).__mro__
    problems = info.value.problems if isinstance(info.value, ExamkitErrorGroup) else (info.value,)
    assert all(isinstance(problem, InvalidInput) for problem in problems)


def test_bad_identifier_keeps_its_own_error() -> None:
    """A malformed identifier inside the data is reported with the identifier's code."""
    with pytest.raises(InvalidInput) as info:
        structure(unstructure(DUTCH) | {"code": "2AB"}, Institution)
    assert "org.brin.invalid" == info.value.code


def test_missing_fields_are_all_reported() -> None:
    """Every missing field is a problem of one group."""
    with pytest.raises(ExamkitErrorGroup) as info:
        structure({"code": "22AB"}, Institution)
    assert 2 == len(info.value.problems)


def test_make_converter_builds_an_equivalent_converter() -> None:
    """A portal's own converter behaves like the shared one."""
    own = make_converter()
    assert own is not converter
    assert converter.unstructure(DUTCH) == own.unstructure(DUTCH)


def test_pupils_round_trip_through_the_hand_written_hooks() -> None:
    """A pupil and a tuple of pupils come back equal; the hooks agree with cattrs' shape."""
    from examkit.edexml import Gender, PersonName, Pupil

    pupil = Pupil(
        "1",
        PersonName("Hof", prefix="van 't", initials="G", called_name="Gradje"),
        eckid="https://id.school/1",
        birth_date=date(2013, 2, 3),
        gender=Gender.MALE,
        year_group="4",
        year_group_derived=True,
        group="g4",
        combination_groups=("c1", "c2"),
        site="VH",
    )
    data = unstructure(pupil)
    assert list(data) == sorted(data)
    assert pupil == structure(data, Pupil)
    assert (pupil, pupil) == structure([data, data], tuple[Pupil, ...])
    assert {"birth_date": "2013-02-03", "gender": "1"} == {
        key: data[key] for key in ("birth_date", "gender")
    }


def test_a_pupil_with_an_unknown_field_is_refused() -> None:
    """Extra keys are refused for pupils as for every other value."""
    from examkit.edexml import Pupil

    with pytest.raises(InvalidInput):
        structure({"key": "1", "name": {}, "bsn": "123456782"}, Pupil)


_SETS_IN_A_PROCESS = """
import json
from datetime import timedelta
from examkit.converter import unstructure
from examkit.scheduling import Exam, ItemSlot
exam = Exam(code="NE-GL-2026", title="Nederlands", subject="Nederlands",
            duration=timedelta(minutes=60), items=[ItemSlot("q1", 1)])
words = frozenset({"kastanje", "eik", "beuk", "linde", "esdoorn", "wilg", "berk", "els"})
print(json.dumps([unstructure(exam)["modes"], unstructure(words)]))
"""


@pytest.mark.req("SCH-8", "PLAT-2")
def test_a_set_is_unstructured_in_the_same_order_in_every_process() -> None:
    """A set's own order follows the process's string hashing; its stored data must not.

    A down entry's body written by central and the offline server's copy of it
    are compared, and digested, in different processes.
    """
    import json
    import os
    import subprocess
    import sys

    printed = set()
    for seed in ("1", "4", "17", "1234"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", _SETS_IN_A_PROCESS],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        printed.add(done.stdout)
    assert 1 == len(printed), printed
    modes, words = json.loads(printed.pop())
    assert ["offline", "online"] == modes
    assert ["berk", "beuk", "eik", "els", "esdoorn", "kastanje", "linde", "wilg"] == words
