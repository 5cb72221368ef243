# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Compliance reports: where each preset deviates from NIST SP 800-63B-4 and OWASP ASVS 5.0.

The expected deviations are written out here from the standards' texts
(NIST 3.1.1.2; ASVS V6.2 and 6.4.1), not read from examkit's tables.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

import attrs
import pytest

from examkit.accounts import PasswordRecord
from examkit.errors import InvalidInput
from examkit.passwords import (
    PRESETS,
    STANDARDS,
    PasswordContext,
    PasswordLifetime,
    PasswordPolicy,
    PasswordStatus,
    Rule,
    compliance_report,
)

FACET = PRESETS["facet"]

FACET_VERSUS = {
    "nist": [
        "passwords.min_length",  # 8 < 15 for a password that is the only factor
        "passwords.letters",  # composition rules: SHALL NOT
        "passwords.non_letters",
        "passwords.whitespace",  # the space SHOULD be accepted
        "passwords.repeats",
        "passwords.common",  # blocklist: SHALL
        "passwords.patterns",  # expected passwords (repeats, sequences...): SHALL
        "passwords.context",
        "lifetime.chosen",  # periodic change: SHALL NOT
    ],
    "asvs-l1": [
        "passwords.letters",  # 6.2.5
        "passwords.non_letters",
        "passwords.whitespace",
        "passwords.repeats",
        "passwords.common",  # 6.2.4
        "passwords.patterns",  # 6.2.4: the top passwords are largely patterns
        "lifetime.initial",  # 6.4.1: 365 days is no short period
    ],
    "asvs-l2": [
        "passwords.letters",
        "passwords.non_letters",
        "passwords.whitespace",
        "passwords.repeats",
        "passwords.common",
        "passwords.patterns",
        "passwords.context",  # 6.2.11
        "lifetime.chosen",  # 6.2.10
        "lifetime.initial",
        "normalisation",  # 6.2.8: NFKC changes what was typed
    ],
}


@pytest.mark.req("AUTH-1", "AUTH-7")
@pytest.mark.parametrize("standard", sorted(FACET_VERSUS))
def test_the_facet_preset_deviates_where_the_standard_says(standard: str) -> None:
    """Composition rules and periodic expiry conflict with NIST, and so on: all listed."""
    report = FACET.compliance_report(standard)
    assert FACET_VERSUS[standard] == [deviation.subject for deviation in report.deviations]
    assert not report.complies


def test_every_reason_names_its_standard_in_both_languages() -> None:
    """Each deviation's reason cites the standard, in Dutch and in English."""
    for key, cited in (("nist", "NIST SP 800-63B-4"), ("asvs-l2", "OWASP ASVS 5.0")):
        for deviation in FACET.compliance_report(key).deviations:
            assert cited in deviation.message("nl")
            assert cited in deviation.message("en")


def test_reasons_carry_the_numbers() -> None:
    """The length and expiry reasons say this policy's numbers and the standard's."""
    report = FACET.compliance_report("nist")
    messages = {deviation.subject: deviation.message("en") for deviation in report.deviations}
    assert "at least 15 characters (this policy: 8)" in messages["passwords.min_length"]
    assert "after 365 days" in messages["lifetime.chosen"]


@pytest.mark.parametrize("name", ["nist", "asvs-l1", "asvs-l2"])
def test_each_standards_preset_complies_with_its_own_standard(name: str) -> None:
    """The nist preset meets NIST; the ASVS presets meet their level."""
    assert () == PRESETS[name].compliance_report(name).deviations


def test_switching_the_blocklist_on_removes_that_deviation() -> None:
    """facet with the blocklist on no longer deviates from ASVS 6.2.4."""
    report = FACET.with_rules(Rule("passwords.common")).compliance_report("asvs-l1")
    assert "passwords.common" not in [deviation.subject for deviation in report.deviations]


def test_a_blocklist_too_small_for_the_policy_is_a_deviation() -> None:
    """ASVS wants 3000 listed passwords that meet the policy: few common ones are 20 long."""
    long_only = attrs.evolve(PRESETS["asvs-l1"], min_length=20)
    [deviation] = long_only.compliance_report("asvs-l1").deviations
    assert ("passwords.common", "passwords.compliance.asvs.blocklist_size") == (
        deviation.subject,
        deviation.reason,
    )
    assert deviation.params["count"] < 3000


def test_the_standards_are_three() -> None:
    """NIST SP 800-63B-4 and OWASP ASVS 5.0 levels 1 and 2."""
    assert {
        "nist": "NIST SP 800-63B-4",
        "asvs-l1": "OWASP ASVS 5.0, level 1",
        "asvs-l2": "OWASP ASVS 5.0, level 2",
    } == {key: standard.title for key, standard in STANDARDS.items()}


def test_an_unknown_standard_is_invalid_input() -> None:
    """Asking for a report against an unknown standard names the choices."""
    with pytest.raises(InvalidInput) as info:
        compliance_report(FACET, "iso-27001")
    assert "passwords.standard.unknown" == info.value.code


# -- clause by clause: a report may only claim what the policy does ----------------------
#
# Each clause below is written out from the standard's text, with a probe that tries the
# policy the way a user would. For every policy and standard, a clause the report does not
# list as a deviation (by its subject) must hold when probed: so no report can claim
# compliance with a clause the policy does not meet.

_WHEN = datetime(2026, 9, 1, 8, tzinfo=UTC)
_FIXTURE = Path(__file__).parents[1] / "known_answers/passwords/zxcvbn-ts-top-passwords.txt"


@cache
def _common() -> tuple[str, ...]:
    # zxcvbn-ts's most common passwords, most common first: another package than the
    # shipped list's (see tests/known_answers/passwords/README.md).
    return tuple(_FIXTURE.read_text(encoding="utf-8").splitlines())


def _refuses(policy: PasswordPolicy, password: str, **context: str) -> bool:
    return not policy.check(password, context=PasswordContext(**context)).valid


def _min_length(required: int) -> Callable[[PasswordPolicy], bool]:
    def probe(policy: PasswordPolicy) -> bool:
        short = "Kq7#vX2!mP9@wL4$zR8&"[: required - 1]
        return _refuses(policy, short)

    return probe


def _accepts_64(policy: PasswordPolicy) -> bool:
    password = "Zeeuwse-mosselen_met-friet_op-17-juli,in-Vlissingen_aan-zee!k7#Q"
    return 64 == len(password) and policy.check(password).valid


def _any_composition(policy: PasswordPolicy) -> bool:
    # Letters only, digits only, with spaces, with repeated letters: all must be usable.
    candidates = [
        "vlinderstruikgewas",
        "83920174652038917465",
        "een boom vol groene appels",
        "koffiieeee met melk graag",
    ]
    return all(policy.check(password).valid for password in candidates)


def _top_3000(policy: PasswordPolicy) -> bool:
    # The fixture holds the top 3,000 of 6+, 8+ and 15+ characters (tests/known_answers/).
    top = [entry for entry in _common() if len(entry) >= policy.min_length][:3000]
    return all(_refuses(policy, entry) for entry in top)


def _breached(policy: PasswordPolicy) -> bool:
    # Every breached password of 15+ characters among zxcvbn-ts's common ones (41).
    breached = [entry for entry in _common() if len(entry) >= 15]
    return 41 == len(breached) and all(_refuses(policy, password) for password in breached)


def _expected(policy: PasswordPolicy) -> bool:
    samples = ["aaaaaaaaaaaaaaaa", "1q2w3e4r5t6y7u8i9o0p", "123456789123456789", "0123456789"]
    return all(_refuses(policy, password) for password in samples)


def _context(policy: PasswordPolicy) -> bool:
    password = "mijn naam is beheerder van de school"
    return _refuses(policy, password, login_name="22AB.Beheerder")


def _no_expiry(policy: PasswordPolicy) -> bool:
    record = PasswordRecord(hash="$argon2id$...", set_at=_WHEN)
    later = _WHEN + timedelta(days=3650)
    return policy.lifetime.status(record, later) is PasswordStatus.VALID


def _initial_short(policy: PasswordPolicy) -> bool:
    record = PasswordRecord(hash="$argon2id$...", set_at=_WHEN, must_change=True)
    return policy.lifetime.is_expired(record, _WHEN + timedelta(days=7, seconds=1))


def _nist_normalised(policy: PasswordPolicy) -> bool:
    # NFKC or NFKD: full-width letters are the same password as their plain form.
    return policy.normalise("ｐａｓｓｗｏｒｄ") == policy.normalise("password")


def _as_typed(policy: PasswordPolicy) -> bool:
    # ASVS 6.2.8: no compatibility mapping; full-width digits stay what was typed.
    return policy.normalise("Ｋ１２３") != "K123"


Clause = tuple[str, tuple[str, ...], Callable[[PasswordPolicy], bool]]

CLAUSES: dict[str, list[Clause]] = {
    "nist": [
        ("3.1.1.2 at least 15 characters", ("passwords.min_length",), _min_length(15)),
        ("3.1.1.2 at least 64 characters allowed", ("passwords.max_length",), _accepts_64),
        (
            "3.1.1.2 no composition rules, all printing characters and the space",
            (
                "passwords.letters",
                "passwords.non_letters",
                "passwords.whitespace",
                "passwords.repeats",
            ),
            _any_composition,
        ),
        ("3.1.1.2 blocklist of compromised passwords", ("passwords.common",), _breached),
        ("3.1.1.2 blocklist of expected passwords", ("passwords.patterns",), _expected),
        ("3.1.1.2 context-specific words", ("passwords.context",), _context),
        ("3.1.1.2 no periodic change", ("lifetime.chosen",), _no_expiry),
        ("3.1.1.2 NFKC or NFKD", ("normalisation",), _nist_normalised),
    ],
    "asvs-l1": [
        ("6.2.1 at least 8 characters", ("passwords.min_length",), _min_length(8)),
        (
            "6.2.5 any composition",
            (
                "passwords.letters",
                "passwords.non_letters",
                "passwords.whitespace",
                "passwords.repeats",
            ),
            _any_composition,
        ),
        ("6.2.4 the top 3000 passwords", ("passwords.common", "passwords.patterns"), _top_3000),
        ("6.4.1 initial passwords expire soon", ("lifetime.initial",), _initial_short),
    ],
}
CLAUSES["asvs-l2"] = [
    *CLAUSES["asvs-l1"],
    ("6.2.9 at least 64 characters allowed", ("passwords.max_length",), _accepts_64),
    ("6.2.11 context-specific words", ("passwords.context",), _context),
    ("6.2.10 no periodic change", ("lifetime.chosen",), _no_expiry),
    ("6.2.8 verified as typed", ("normalisation",), _as_typed),
]


def _variants() -> dict[str, PasswordPolicy]:
    """The presets, and each standards preset with one rule removed or one setting weakened."""
    found = dict(PRESETS)
    for name in ("nist", "asvs-l1", "asvs-l2"):
        policy = PRESETS[name]
        for rule in policy.rules:
            found[f"{name}-{rule.code}"] = policy.without_rules(rule.code)
        found[f"{name}-short"] = attrs.evolve(policy, min_length=6)
        found[f"{name}-expiring"] = attrs.evolve(policy, lifetime=PasswordLifetime())
        found[f"{name}-nfkc"] = attrs.evolve(policy, normalisation="NFKC")
        found[f"{name}-nfc"] = attrs.evolve(policy, normalisation="NFC")
        found[f"{name}-max-32"] = attrs.evolve(policy, max_length=32)
        found[f"{name}-repeats"] = policy.with_rules(Rule("passwords.repeats", {"maximum": 2}))
    return found


VARIANTS = _variants()


@pytest.mark.req("AUTH-1", "AUTH-2", "AUTH-7")
@pytest.mark.parametrize("standard", sorted(CLAUSES))
@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_issue19_point4_a_report_claims_only_what_the_policy_does(name: str, standard: str) -> None:
    """Every clause the report does not list as a deviation holds when the policy is probed."""
    policy = VARIANTS[name]
    listed = {deviation.subject for deviation in policy.compliance_report(standard).deviations}
    claimed = [clause for clause in CLAUSES[standard] if not listed & set(clause[1])]
    broken = [title for title, _, probe in claimed if not probe(policy)]
    assert [] == broken


@pytest.mark.req("AUTH-1")
@pytest.mark.parametrize("name", ["nist", "asvs-l1", "asvs-l2"])
def test_every_clause_holds_for_its_own_preset(name: str) -> None:
    """The standards presets meet every clause of their own standard, probed."""
    policy = PRESETS[name]
    assert [] == [title for title, _, probe in CLAUSES[name] if not probe(policy)]


@pytest.mark.req("AUTH-1")
@pytest.mark.parametrize("name", ["nist", "asvs-l1", "asvs-l2"])
def test_removing_the_pattern_rule_is_reported(name: str) -> None:
    """Without passwords.patterns, the report says so against every standard."""
    weakened = PRESETS[name].without_rules("passwords.patterns")
    for standard in ("nist", "asvs-l1", "asvs-l2"):
        subjects = [d.subject for d in weakened.compliance_report(standard).deviations]
        assert "passwords.patterns" in subjects
