"""Standards as data, and the compliance report: where a policy deviates from a standard, and why.

A deviation comes from one of two places, both data: a rule of the policy
whose kind conflicts with the standard (:attr:`RuleKind.conflicts
<examkit.passwords.RuleKind.conflicts>`), or a setting of the policy
measured against the standard's numbers here (lengths, blocklist, context
words, expiry, initial lifetime, normalisation). The report is visible: the
CLI prints it and the documentation lists it for every preset.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import timedelta
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, Literal

import attrs

from examkit.errors import InvalidInput
from examkit.messages import CATALOGUE, DEFAULT_LANG, Lang, text
from examkit.passwords._rules import (
    ASVS_L1,
    ASVS_L2,
    COMMON,
    CONTEXT,
    MAX_LENGTH,
    MIN_LENGTH,
    NIST,
    PATTERNS,
)

if TYPE_CHECKING:
    from examkit.passwords._policy import PasswordPolicy

LIFETIME_CHOSEN: Final = "lifetime.chosen"
"""Subject of a deviation about the chosen password's lifetime (periodic expiry)."""
LIFETIME_INITIAL: Final = "lifetime.initial"
"""Subject of a deviation about the initial password's lifetime."""
NORMALISATION: Final = "normalisation"
"""Subject of a deviation about the Unicode normalisation form."""


def _forms(value: Iterable[str | None]) -> frozenset[str | None]:
    return frozenset(value)


@attrs.frozen
class Standard:
    """A password standard, as the numbers and demands examkit measures a policy against."""

    key: str
    """The key in :data:`STANDARDS` (``nist``)."""
    title: str
    """The standard's name (``NIST SP 800-63B-4``)."""
    family: Literal["nist", "asvs"]
    """Which family of reasons (``passwords.compliance.<family>.*``) explains a deviation."""
    min_length: int
    """The least minimum length it allows."""
    max_length_at_least: int | None = None
    """The longest password a policy must at least allow, if it says."""
    blocklist: bool = False
    """Whether new passwords must be checked against common and breached passwords."""
    blocklist_at_least: int | None = None
    """How many blocklist entries that meet the policy it demands, if it says."""
    patterns: bool = False
    """Whether patterned passwords (repeats, sequences, keyboard walks, dates) must be refused."""
    context: bool = False
    """Whether context words (login name, names, e-mail) must be refused."""
    expiry_allowed: bool = True
    """Whether chosen passwords may expire periodically."""
    initial_at_most: timedelta | None = None
    """How long an initial password may stay valid at most, if it says."""
    normalisations: frozenset[str | None] = attrs.field(factory=frozenset, converter=_forms)
    """The normalisation forms it accepts (``None`` is no normalisation); empty: any."""

    def reason(self, topic: str) -> str:
        """Return the catalogue code of the reason for a deviation about *topic*."""
        return f"passwords.compliance.{self.family}.{topic}"


def _standards(*standards: Standard) -> Mapping[str, Standard]:
    topics: dict[str, Callable[[Standard], bool]] = {
        "min_length": lambda s: True,
        "max_length": lambda s: s.max_length_at_least is not None,
        "blocklist": lambda s: s.blocklist,
        "blocklist_size": lambda s: s.blocklist_at_least is not None,
        "patterns": lambda s: s.patterns,
        "context": lambda s: s.context,
        "expiry": lambda s: not s.expiry_allowed,
        "initial_lifetime": lambda s: s.initial_at_most is not None,
        "normalisation": lambda s: bool(s.normalisations),
    }
    for standard in standards:
        for topic, used in topics.items():
            if used(standard) and standard.reason(topic) not in CATALOGUE:
                raise AssertionError(f"{standard.key}: {standard.reason(topic)} is not catalogued")
    return MappingProxyType({standard.key: standard for standard in standards})


STANDARDS: Final[Mapping[str, Standard]] = _standards(
    Standard(
        key=NIST,
        title="NIST SP 800-63B-4",
        family="nist",
        min_length=15,
        max_length_at_least=64,
        blocklist=True,
        patterns=True,
        context=True,
        expiry_allowed=False,
        normalisations=("NFKC", "NFKD"),
    ),
    Standard(
        key=ASVS_L1,
        title="OWASP ASVS 5.0, level 1",
        family="asvs",
        min_length=8,
        blocklist=True,
        blocklist_at_least=3000,
        patterns=True,
        initial_at_most=timedelta(days=7),
    ),
    Standard(
        key=ASVS_L2,
        title="OWASP ASVS 5.0, level 2",
        family="asvs",
        min_length=8,
        max_length_at_least=64,
        blocklist=True,
        blocklist_at_least=3000,
        patterns=True,
        context=True,
        expiry_allowed=False,
        initial_at_most=timedelta(days=7),
        normalisations=(None, "NFC", "NFD"),
    ),
)
"""The standards a policy is measured against, by key (read-only).

``nist``: NIST SP 800-63B-4, section 3.1.1.2 (password verifiers).
``asvs-l1`` and ``asvs-l2``: OWASP ASVS 5.0, chapter V6 (authentication),
the requirements of that level. Checked at import: every reason is in the
catalogue. ASVS asks that an initial password "expire after a short period
of time" (6.4.1) without a number; examkit reads that as at most 7 days.
"""


def standard(key: str) -> Standard:
    """Return the standard *key* (``nist``, ``asvs-l1``, ``asvs-l2``).

    Raises:
        InvalidInput: there is no such standard.
    """
    found = STANDARDS.get(key)
    if found is None:
        raise InvalidInput(
            "passwords.standard.unknown", field="standard", value=key, choices=", ".join(STANDARDS)
        )
    return found


def _params(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(value))


@attrs.frozen
class Deviation:
    """One way a policy deviates from a standard: what, and why (with the clause)."""

    subject: str
    """The rule code (``passwords.letters``) or setting (``lifetime.chosen``) that deviates."""
    reason: str
    """The catalogue code of the reason (``passwords.compliance.nist.composition``)."""
    params: Mapping[str, Any] = attrs.field(factory=dict, converter=_params, eq=False)
    """The values the reason's text names."""

    def message(self, lang: Lang = DEFAULT_LANG) -> str:
        """Return why this deviates, naming the standard's clause."""
        return text(self.reason, lang, **self.params)


@attrs.frozen
class ComplianceReport:
    """Where a policy deviates from a standard: every deviation, and why."""

    policy: str
    """The name of the policy."""
    standard: Standard
    """The standard measured against."""
    deviations: tuple[Deviation, ...]
    """Every deviation, rules first in the policy's order, then the settings."""

    @property
    def complies(self) -> bool:
        """Whether the policy deviates from the standard nowhere."""
        return not self.deviations


def compliance_report(policy: PasswordPolicy, against: str | Standard) -> ComplianceReport:
    """Return where *policy* deviates from the standard *against*, and why."""
    measure = standard(against) if isinstance(against, str) else against
    found: list[Deviation] = []
    if policy.min_length < measure.min_length:
        found.append(
            Deviation(
                MIN_LENGTH,
                measure.reason("min_length"),
                {"required": measure.min_length, "minimum": policy.min_length},
            )
        )
    limit = measure.max_length_at_least
    if limit is not None and policy.max_length < limit:
        found.append(
            Deviation(
                MAX_LENGTH,
                measure.reason("max_length"),
                {"required": limit, "maximum": policy.max_length},
            )
        )
    found.extend(
        Deviation(rule.code, rule.conflicts[measure.key], rule.params)
        for rule in policy.rules
        if measure.key in rule.conflicts
    )
    found.extend(_blocklist(policy, measure))
    if measure.patterns and not policy.has(PATTERNS):
        found.append(Deviation(PATTERNS, measure.reason("patterns")))
    if measure.context and not policy.has(CONTEXT):
        found.append(Deviation(CONTEXT, measure.reason("context")))
    chosen = policy.lifetime.chosen
    if not measure.expiry_allowed and chosen is not None:
        found.append(Deviation(LIFETIME_CHOSEN, measure.reason("expiry"), {"days": chosen.days}))
    initial, most = policy.lifetime.initial, measure.initial_at_most
    if most is not None and initial > most:
        found.append(
            Deviation(
                LIFETIME_INITIAL,
                measure.reason("initial_lifetime"),
                {"days": initial.days, "required": most.days},
            )
        )
    if measure.normalisations and policy.normalisation not in measure.normalisations:
        found.append(
            Deviation(
                NORMALISATION,
                measure.reason("normalisation"),
                {"form": policy.normalisation or "-"},
            )
        )
    return ComplianceReport(policy=policy.name, standard=measure, deviations=tuple(found))


def _blocklist(policy: PasswordPolicy, measure: Standard) -> list[Deviation]:
    from examkit.passwords._policy import common_passwords

    required = measure.blocklist_at_least
    if measure.blocklist and not policy.has(COMMON):
        return [Deviation(COMMON, measure.reason("blocklist"), {"required": required or 0})]
    if required is not None and policy.has(COMMON):
        count = sum(1 for entry in common_passwords() if len(entry) >= policy.min_length)
        if count < required:
            params = {"required": required, "count": count, "minimum": policy.min_length}
            return [Deviation(COMMON, measure.reason("blocklist_size"), params)]
    return []
