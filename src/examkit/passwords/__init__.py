"""Passwords (*wachtwoorden*): policies as data, compliance reports, hashing, history, lifetime.

A :class:`PasswordPolicy` is rules (:class:`Rule`, each a kind from the one
table :data:`PASSWORD_RULES` with a stable code, its message and help text
in the catalogue, and the standards it conflicts with), a minimum and a
maximum length, how many previous passwords are remembered, a Unicode
normalisation form and a :class:`PasswordLifetime`. :meth:`PasswordPolicy.check`
names every rule a password breaks at once. :data:`PRESETS` holds the exam
system's rules (``facet``) and policies after NIST SP 800-63B-4 and OWASP
ASVS 5.0; :meth:`PasswordPolicy.compliance_report` says where a policy
deviates from a standard in :data:`STANDARDS`, and why.

>>> facet = PRESETS["facet"]
>>> verdict = facet.check("aaab 12")
>>> verdict.codes
('passwords.min_length', 'passwords.whitespace', 'passwords.repeats')
>>> for problem in verdict.problems():
...     print(problem.message("nl"))
Het wachtwoord is te kort: het moet bestaan uit minimaal 8 tekens.
Het wachtwoord mag geen spaties bevatten, ook geen tab of harde spatie.
Het wachtwoord mag niet meer dan 2 dezelfde tekens achter elkaar bevatten.

Hashes come from an injected :class:`~examkit.ports.PasswordHasher`;
:class:`Argon2Hasher` is the production one (argon2id after RFC 9106, with
bcrypt and PBKDF2 hashes imported from other systems, each declared as a
:class:`LegacyScheme`, verified at the same work as any other and flagged
for rehashing). :func:`change_password`, :func:`issue_initial_password` and
:func:`verify_password` apply a policy and a hasher to an
:class:`~examkit.accounts.Account` and return the new account.

Implements AUTH-1, AUTH-2 and AUTH-7 (the password parts).
"""

from examkit.passwords._account import (
    PasswordMatch,
    change_password,
    generate_password,
    history_of,
    issue_initial_password,
    verify_password,
)
from examkit.passwords._compliance import (
    LIFETIME_CHOSEN,
    LIFETIME_INITIAL,
    NORMALISATION,
    STANDARDS,
    ComplianceReport,
    Deviation,
    Standard,
    compliance_report,
    standard,
)
from examkit.passwords._hashing import (
    RFC9106_SECOND,
    Argon2Hasher,
    Argon2Parameters,
)
from examkit.passwords._legacy import LegacyScheme
from examkit.passwords._lifetime import PasswordLifetime, PasswordStatus
from examkit.passwords._patterns import (
    DATE_ORDERS,
    KEYBOARDS,
    KEYPAD,
    PATTERN_MINIMUMS,
    REPEAT_UNIT,
    SEQUENCE_STEPS,
    is_patterned,
)
from examkit.passwords._policy import (
    PRESETS,
    NormalForm,
    PasswordContext,
    PasswordPolicy,
    Verdict,
    common_passwords,
    preset,
)
from examkit.passwords._rules import (
    ASVS_L1,
    ASVS_L2,
    COMMON,
    CONTEXT,
    HISTORY,
    LETTERS,
    MAX_LENGTH,
    MIN_LENGTH,
    NIST,
    NON_LETTERS,
    PASSWORD_RULES,
    PATTERNS,
    REPEATS,
    WHITESPACE,
    Rule,
    RuleKind,
    RuleNeeds,
    count_letters,
    fold,
)

__all__ = [
    "ASVS_L1",
    "ASVS_L2",
    "COMMON",
    "CONTEXT",
    "DATE_ORDERS",
    "HISTORY",
    "KEYBOARDS",
    "KEYPAD",
    "LETTERS",
    "LIFETIME_CHOSEN",
    "LIFETIME_INITIAL",
    "MAX_LENGTH",
    "MIN_LENGTH",
    "NIST",
    "NON_LETTERS",
    "NORMALISATION",
    "PASSWORD_RULES",
    "PATTERNS",
    "PATTERN_MINIMUMS",
    "PRESETS",
    "REPEATS",
    "REPEAT_UNIT",
    "RFC9106_SECOND",
    "SEQUENCE_STEPS",
    "STANDARDS",
    "WHITESPACE",
    "Argon2Hasher",
    "Argon2Parameters",
    "ComplianceReport",
    "Deviation",
    "LegacyScheme",
    "NormalForm",
    "PasswordContext",
    "PasswordLifetime",
    "PasswordMatch",
    "PasswordPolicy",
    "PasswordStatus",
    "Rule",
    "RuleKind",
    "RuleNeeds",
    "Standard",
    "Verdict",
    "change_password",
    "common_passwords",
    "compliance_report",
    "count_letters",
    "fold",
    "generate_password",
    "history_of",
    "is_patterned",
    "issue_initial_password",
    "preset",
    "standard",
    "verify_password",
]
