# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""An account's password: history, initial password, change, and what each costs in hashes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import attrs
import pytest

from examkit.accounts import Account, LoginName
from examkit.errors import ExamkitErrorGroup
from examkit.passwords import (
    PRESETS,
    PasswordPolicy,
    PasswordStatus,
    change_password,
    generate_password,
    history_of,
    issue_initial_password,
    verify_password,
)
from examkit.testing import CountingHasher, SequenceSecretSource, cheap_hasher

FACET = PRESETS["facet"]
START = datetime(2026, 9, 1, 8, tzinfo=UTC)
# Six passwords that each meet the facet rules, used in this order.
USED = ["Eerste-01", "Tweede-02", "Derde-03", "Vierde-04", "Vijfde-05", "Zesde-06"]


def new_account() -> Account:
    """Return an account without a password."""
    return Account(
        id="acc-1",
        login_name=LoginName("22AB.K.Beheerder"),
        first_name="Karin",
        last_name="Jansen",
        email="k.jansen@school.nl",
    )


def account_after(passwords: list[str], policy: PasswordPolicy = FACET) -> Account:
    """Return an account that was given *passwords* in turn, a day apart."""
    hasher = cheap_hasher()
    account = new_account()
    for day, password in enumerate(passwords):
        account = change_password(
            account, password, policy=policy, hasher=hasher, now=START + timedelta(days=day)
        )
    return account


@pytest.mark.req("AUTH-1")
def test_the_history_keeps_every_previous_hash_newest_first() -> None:
    """After six passwords: the current one, and five previous ones, newest first."""
    account = account_after(USED)
    hasher = cheap_hasher()
    assert 6 == len(history_of(account))
    assert [True] * 6 == [
        hasher.verify(password, hashed)
        for password, hashed in zip(reversed(USED), history_of(account), strict=True)
    ]


@pytest.mark.req("AUTH-1")
@pytest.mark.parametrize("password", USED)
def test_the_current_and_every_previous_password_are_refused(password: str) -> None:
    """With the seed's facet preset (no cap), none of the six may be used again."""
    account = account_after(USED)
    with pytest.raises(ExamkitErrorGroup) as info:
        change_password(account, password, policy=FACET, hasher=cheap_hasher(), now=START)
    assert ["passwords.history"] == [problem.code for problem in info.value.problems]


@pytest.mark.req("AUTH-1")
def test_with_a_cap_the_password_just_past_it_is_accepted() -> None:
    """Remembering 3 previous passwords: the current and 3 before it are refused, the 4th not."""
    account = account_after(USED)
    capped = attrs.evolve(FACET, history_depth=3)
    hasher = cheap_hasher()
    history = history_of(account)
    refused = ["Zesde-06", "Vijfde-05", "Vierde-04", "Derde-03"]
    for password in refused:
        verdict = capped.check(password, history=history, hasher=hasher)
        assert ("passwords.history",) == verdict.codes, password
    assert capped.check("Tweede-02", history=history, hasher=hasher).valid
    changed = change_password(account, "Tweede-02", policy=capped, hasher=hasher, now=START)
    assert hasher.verify("Tweede-02", changed.password.hash)  # type: ignore[union-attr]


@pytest.mark.req("AUTH-1")
def test_a_capped_policy_stores_only_the_remembered_hashes() -> None:
    """With a cap of 2, an account keeps 2 previous hashes (each costs a hash per change)."""
    capped = attrs.evolve(FACET, history_depth=2)
    account = account_after(USED, policy=capped)
    assert 2 == len(account.password_history)


@pytest.mark.req("AUTH-1")
def test_a_change_costs_one_hash_per_remembered_password_and_one_to_store() -> None:
    """Changing after six passwords: six verifications and one new hash."""
    account = account_after(USED)
    hasher = CountingHasher(cheap_hasher())
    change_password(account, "Zevende-07", policy=FACET, hasher=hasher, now=START)
    assert {"verify": 6, "hash": 1} == dict(hasher.calls)


@pytest.mark.req("AUTH-1")
def test_a_refused_change_names_every_rule_and_changes_nothing() -> None:
    """History and composition problems come together; the account stays as it was."""
    account = account_after(USED[:2])
    with pytest.raises(ExamkitErrorGroup) as info:
        change_password(account, "Tweede-02 ", policy=FACET, hasher=cheap_hasher(), now=START)
    assert ["passwords.whitespace"] == [problem.code for problem in info.value.problems]
    with pytest.raises(ExamkitErrorGroup) as info:
        change_password(account, "Tweede-02", policy=FACET, hasher=cheap_hasher(), now=START)
    assert ["passwords.history"] == [problem.code for problem in info.value.problems]


def test_the_context_rule_uses_the_accounts_own_details() -> None:
    """The nist preset refuses a password holding the account's last name."""
    with pytest.raises(ExamkitErrorGroup) as info:
        change_password(
            new_account(),
            "jansen in de zomer van 2026",
            policy=PRESETS["nist"],
            hasher=cheap_hasher(),
            now=START,
        )
    assert ["passwords.context"] == [problem.code for problem in info.value.problems]


@pytest.mark.req("AUTH-2")
def test_an_initial_password_is_random_valid_and_must_be_changed() -> None:
    """The initial password meets the policy, verifies, and must be changed at first sign-in."""
    hasher = cheap_hasher()
    account, password = issue_initial_password(
        new_account(), policy=FACET, hasher=hasher, secrets=SequenceSecretSource("i"), now=START
    )
    record = account.password
    assert record is not None
    assert (START, True) == (record.set_at, record.must_change)
    assert FACET.check(password).valid
    assert 16 == len(password)
    assert verify_password(account, password, policy=FACET, hasher=hasher).matches
    assert PasswordStatus.MUST_CHANGE == FACET.lifetime.status(record, START)
    assert START + timedelta(days=365) == FACET.lifetime.expires_at(record)
    again = issue_initial_password(
        new_account(), policy=FACET, hasher=hasher, secrets=SequenceSecretSource("i"), now=START
    )[1]
    other = issue_initial_password(
        new_account(), policy=FACET, hasher=hasher, secrets=SequenceSecretSource("j"), now=START
    )[1]
    assert (password, True) == (again, password != other)


@pytest.mark.req("AUTH-2")
def test_changing_the_initial_password_makes_a_chosen_one() -> None:
    """After the change the password no longer must change, and lasts 365 days from then."""
    hasher = cheap_hasher()
    account, initial = issue_initial_password(
        new_account(), policy=FACET, hasher=hasher, secrets=SequenceSecretSource(), now=START
    )
    later = START + timedelta(days=3)
    changed = change_password(account, "Gekozen-2026", policy=FACET, hasher=hasher, now=later)
    record = changed.password
    assert record is not None
    assert (later, False) == (record.set_at, record.must_change)
    assert later + timedelta(days=365) == FACET.lifetime.expires_at(record)
    with pytest.raises(ExamkitErrorGroup):  # the initial one is history now
        change_password(changed, initial, policy=FACET, hasher=hasher, now=later)


def test_generated_passwords_meet_the_longer_minimum_of_nist() -> None:
    """For nist (15 characters) a generated password is 16 long and accepted."""
    password = generate_password(PRESETS["nist"], SequenceSecretSource("n"))
    assert (16, True) == (len(password), PRESETS["nist"].check(password).valid)


def test_verify_without_a_password_does_not_match() -> None:
    """An account that has no password yet matches nothing."""
    match = verify_password(new_account(), "Zomer2026!", policy=FACET, hasher=cheap_hasher())
    assert not match.matches


def test_a_policy_no_draw_can_meet_is_a_configuration_error() -> None:
    """Twenty letters in at most sixteen characters cannot be drawn."""
    from examkit.errors import ConfigurationError
    from examkit.passwords import Rule

    impossible = PasswordPolicy(
        name="impossible",
        min_length=8,
        max_length=16,
        rules=[Rule("passwords.letters", {"minimum": 20})],
    )
    with pytest.raises(ConfigurationError) as info:
        generate_password(impossible, SequenceSecretSource())
    assert "passwords.generate.failed" == info.value.code
