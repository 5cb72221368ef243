# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Compliance reports: where each preset deviates from NIST SP 800-63B-4 and OWASP ASVS 5.0.

The expected deviations are written out here from the standards' texts
(NIST 3.1.1.2; ASVS V6.2 and 6.4.1), not read from examkit's tables.
"""

from __future__ import annotations

import attrs
import pytest

from examkit.errors import InvalidInput
from examkit.passwords import PRESETS, STANDARDS, Rule, compliance_report

FACET = PRESETS["facet"]

FACET_VERSUS = {
    "nist": [
        "passwords.min_length",  # 8 < 15 for a password that is the only factor
        "passwords.letters",  # composition rules: SHALL NOT
        "passwords.non_letters",
        "passwords.whitespace",  # the space SHOULD be accepted
        "passwords.repeats",
        "passwords.common",  # blocklist: SHALL
        "passwords.context",
        "lifetime.chosen",  # periodic change: SHALL NOT
    ],
    "asvs-l1": [
        "passwords.letters",  # 6.2.5
        "passwords.non_letters",
        "passwords.whitespace",
        "passwords.repeats",
        "passwords.common",  # 6.2.4
        "lifetime.initial",  # 6.4.1: 365 days is no short period
    ],
    "asvs-l2": [
        "passwords.letters",
        "passwords.non_letters",
        "passwords.whitespace",
        "passwords.repeats",
        "passwords.common",
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
    """ASVS wants 3000 listed passwords that meet the policy: few common ones are 15 long."""
    long_only = attrs.evolve(PRESETS["asvs-l1"], min_length=15)
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
