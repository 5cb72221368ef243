"""The password rules as data: each kind of rule, its code, its parameters and its conflicts.

:data:`PASSWORD_RULES` is the one table of rule kinds. Each has a stable
code (its problem message and ``<code>.help`` text live in the message
catalogue), the names of its parameters, what it needs to be checked (the
text alone, the user's context, or the password history) and the standards
it conflicts with, each with the catalogue code of the reason. A policy
(:class:`~examkit.passwords.PasswordPolicy`) holds :class:`Rule` values:
a kind's code with its parameters.

The checks of the rules that need only the text are compiled per policy
into small predicates (:func:`text_test`); letters are counted once per
password, not once per rule.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any, Final, Literal

import attrs

from examkit.errors import ConfigurationError
from examkit.messages import CATALOGUE, DEFAULT_LANG, Lang, text
from examkit.passwords._patterns import is_patterned

RuleNeeds = Literal["length", "text", "context", "history"]
"""What checking a kind of rule needs: the raw length, the text, the user's context, history."""

NIST: Final = "nist"
"""The key of NIST SP 800-63B-4 in :data:`~examkit.passwords.STANDARDS`."""
ASVS_L1: Final = "asvs-l1"
"""The key of OWASP ASVS 5.0 level 1."""
ASVS_L2: Final = "asvs-l2"
"""The key of OWASP ASVS 5.0 level 2."""


def _read_only(value: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(value))


@attrs.frozen
class RuleKind:
    """One kind of password rule, as declared in :data:`PASSWORD_RULES`."""

    code: str
    """The stable code: the message of a password that breaks the rule."""
    params: tuple[str, ...]
    """The names of its whole-number parameters (``("minimum",)``)."""
    needs: RuleNeeds
    """What checking it needs besides the password."""
    conflicts: Mapping[str, str] = attrs.field(factory=dict, converter=_read_only)
    """Standard key -> catalogue code of the reason it conflicts with that standard."""

    @property
    def help_code(self) -> str:
        """The catalogue code of the rule's statement (``<code>.help``)."""
        return f"{self.code}.help"


def _composition(nist_reason: str = "passwords.compliance.nist.composition") -> dict[str, str]:
    return {
        NIST: nist_reason,
        ASVS_L1: "passwords.compliance.asvs.composition",
        ASVS_L2: "passwords.compliance.asvs.composition",
    }


_KINDS = (
    RuleKind("passwords.max_length", ("maximum",), "length"),
    RuleKind("passwords.min_length", ("minimum",), "text"),
    RuleKind("passwords.letters", ("minimum",), "text", _composition()),
    RuleKind("passwords.non_letters", ("minimum",), "text", _composition()),
    RuleKind("passwords.whitespace", (), "text", _composition("passwords.compliance.nist.space")),
    RuleKind("passwords.repeats", ("maximum",), "text", _composition()),
    RuleKind("passwords.common", (), "text"),
    RuleKind("passwords.patterns", (), "text"),
    RuleKind("passwords.context", ("minimum",), "context"),
    RuleKind("passwords.history", (), "history"),
)


def _check_table(kinds: Iterable[RuleKind]) -> Mapping[str, RuleKind]:
    table: dict[str, RuleKind] = {}
    for kind in kinds:
        if kind.code in table:
            raise AssertionError(f"password rule {kind.code} is declared twice")
        for code in (kind.code, kind.help_code, *kind.conflicts.values()):
            if code not in CATALOGUE:
                raise AssertionError(f"password rule {kind.code}: {code} is not in the catalogue")
        table[kind.code] = kind
    return MappingProxyType(table)


PASSWORD_RULES: Final[Mapping[str, RuleKind]] = _check_table(_KINDS)
"""Every kind of password rule, by code, in the order they are checked (read-only).

Checked at import: every code, help text and reason is in the catalogue.
"""

MAX_LENGTH: Final = "passwords.max_length"
"""Code of the maximum length (checked first, on the raw text: a guard against overload)."""
MIN_LENGTH: Final = "passwords.min_length"
"""Code of the minimum length."""
LETTERS: Final = "passwords.letters"
"""Code of "at least *minimum* letters" (Unicode letters: é and ĳ count)."""
NON_LETTERS: Final = "passwords.non_letters"
"""Code of "at least *minimum* characters that are not letters"."""
WHITESPACE: Final = "passwords.whitespace"
"""Code of "no white space" (space, tab, non-breaking space, ...)."""
REPEATS: Final = "passwords.repeats"
"""Code of "at most *maximum* identical characters in a row"."""
COMMON: Final = "passwords.common"
"""Code of "not on the list of common and breached passwords"."""
PATTERNS: Final = "passwords.patterns"
"""Code of "not made up of repeats, sequences, keyboard walks and dates" (``is_patterned``)."""
CONTEXT: Final = "passwords.context"
"""Code of "no login name, name or e-mail part of at least *minimum* characters"."""
HISTORY: Final = "passwords.history"
"""Code of "not the current or a previous password"."""


def _params(value: Mapping[str, int]) -> Mapping[str, int]:
    return MappingProxyType(dict(value))


def _check_rule(rule: Rule, _: attrs.Attribute[Any], code: str) -> None:
    kind = PASSWORD_RULES.get(code)
    if kind is None:
        raise ConfigurationError("passwords.policy.rule_unknown", field="rules", code=code)
    given = rule.params
    usable = set(given) == set(kind.params) and all(
        isinstance(value, int) and not isinstance(value, bool) and value >= 1
        for value in given.values()
    )
    if not usable:
        raise ConfigurationError(
            "passwords.policy.rule_params",
            field="rules",
            code=code,
            expected=", ".join(kind.params) or "-",
            actual=", ".join(f"{name}={value!r}" for name, value in given.items()) or "-",
        )


@attrs.frozen
class Rule:
    """A password rule in a policy: a kind's code with its parameters.

    >>> rule = Rule("passwords.min_length", {"minimum": 8})
    >>> rule.help("en")
    'it must have at least 8 characters'
    >>> rule.conflicts
    mappingproxy({})
    >>> sorted(Rule("passwords.letters", {"minimum": 1}).conflicts)
    ['asvs-l1', 'asvs-l2', 'nist']

    Raises:
        ConfigurationError: the code is not in :data:`PASSWORD_RULES`, or the
            parameters are not the kind's (each a whole number of at least 1).
    """

    code: str = attrs.field(validator=_check_rule)
    """The kind's code (``passwords.min_length``)."""
    params: Mapping[str, int] = attrs.field(
        factory=dict, converter=_params, eq=False, hash=False, repr=False
    )
    """The parameters the kind takes (``{"minimum": 8}``)."""
    _key: tuple[tuple[str, int], ...] = attrs.field(init=False, repr=False)

    @_key.default
    def _make_key(self) -> tuple[tuple[str, int], ...]:
        return tuple(sorted(self.params.items()))

    @property
    def kind(self) -> RuleKind:
        """The kind of rule, from :data:`PASSWORD_RULES`."""
        return PASSWORD_RULES[self.code]

    @property
    def conflicts(self) -> Mapping[str, str]:
        """Standard key -> catalogue code of the reason this rule conflicts with it."""
        return self.kind.conflicts

    def help(self, lang: Lang = DEFAULT_LANG) -> str:
        """Return the rule as stated to a user (``het moet bestaan uit minimaal 8 tekens``)."""
        return text(self.kind.help_code, lang, **self.params)

    def message(self, lang: Lang = DEFAULT_LANG) -> str:
        """Return the problem message of a password that breaks this rule."""
        return text(self.code, lang, **self.params)

    def __repr__(self) -> str:
        params = "".join(f", {name}={value}" for name, value in self.params.items())
        return f"Rule({self.code!r}{params})"


# -- checking the text ------------------------------------------------------------------

_WHITESPACE = re.compile(r"\s")  # matches exactly the characters for which str.isspace() holds
_CATEGORY = unicodedata.category


def count_letters(value: str) -> int:
    """Return how many characters of *value* are letters.

    A letter is a character of a Unicode letter category (``L*``: é, ĳ,
    ß, Ω, 字); a combining mark (``M*``) counts with the letter it
    belongs to, so a decomposed "é" is one letter and one mark, both
    letters, never a non-letter.

    >>> count_letters("Zoë-1ĳs")
    5
    """
    if value.isascii():
        return sum(map(str.isalpha, value))
    return sum(1 for char in value if char.isalpha() or _CATEGORY(char)[0] == "M")


TextTest = Callable[[str, int], bool]
"""A compiled check: ``test(normalised_text, letters)`` is true when the rule holds."""


def _blocked(folded_list: Callable[[], frozenset[str]]) -> TextTest:
    def holds(value: str, _: int) -> bool:
        return fold(value) not in folded_list()

    return holds


def _unpatterned(folded_list: Callable[[], frozenset[str]]) -> TextTest:
    def holds(value: str, _: int) -> bool:
        return not is_patterned(fold(value), lambda word: word in folded_list())

    return holds


def text_test(rule: Rule, common: Callable[[], frozenset[str]]) -> TextTest:
    """Return the compiled check of a rule that needs only the normalised text.

    *common* returns the blocklist (folded with :func:`fold`), and is called
    only when a password is checked against it.

    Raises:
        ValueError: the rule needs more than the text.
    """
    params = rule.params
    if rule.code == MIN_LENGTH:
        minimum = params["minimum"]
        return lambda value, _: len(value) >= minimum
    if rule.code == LETTERS:
        minimum = params["minimum"]
        return lambda _, letters: letters >= minimum
    if rule.code == NON_LETTERS:
        minimum = params["minimum"]
        return lambda value, letters: len(value) - letters >= minimum
    if rule.code == WHITESPACE:
        search = _WHITESPACE.search
        return lambda value, _: search(value) is None
    if rule.code == REPEATS:
        search = re.compile("(.)" + "\\1" * params["maximum"], re.DOTALL).search
        return lambda value, _: search(value) is None
    if rule.code in {COMMON, PATTERNS}:
        return (_blocked if rule.code == COMMON else _unpatterned)(common)
    raise ValueError(f"{rule.code} needs more than the text")


def counts_letters(rule: Rule) -> bool:
    """Return whether checking *rule* needs the number of letters."""
    return rule.code in {LETTERS, NON_LETTERS}


def fold(value: str) -> str:
    """Return *value* as compared with the blocklist and context words: NFKC, case-folded.

    >>> fold("ＰａｓｓＷｏｒｄ")
    'password'
    """
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", value).casefold())
