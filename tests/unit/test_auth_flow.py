# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The sign-in flow table against the seed, the table's own checks, the rules and the digests."""

from __future__ import annotations

from datetime import timedelta

import pytest

from examkit.auth import (
    FLOW,
    MAX_RESET_LIFETIME,
    Action,
    Facts,
    Flow,
    Guard,
    SignInRules,
    Step,
    Transition,
    lockout_key,
)
from examkit.auth._secrets import Digester
from examkit.errors import ConfigurationError, InvalidState
from examkit.passwords import PasswordStatus

# Seed 004, chapter 4.1, spelled out by hand from the manual, not from FLOW:
#
#   "1e keer inloggen": gebruikersnaam + wachtwoord uit de e-mail -> "U moet het ontvangen
#   wachtwoord wijzigen in een door uzelf gekozen wachtwoord" -> "Als u bovenstaande
#   succesvol hebt gedaan, ontvangt u per e-mail een eenmalig te gebruiken wachtwoord. U
#   voert deze in."
#   "Regulier inloggen": gebruikersnaam + eigen wachtwoord -> eenmalig wachtwoord per e-mail
#   -> "Versturen" -> "U bent nu ingelogd".
#   "Als u binnen 24 uur vanaf dezelfde browser en hetzelfde IP-adres inlogt ... hoeft u het
#   eenmalig wachtwoord niet in te voeren."
#   "Nieuwe aanvragen": a new one-time password, at the same step.
#   "Wachtwoord verlopen ... U moet direct een nieuw wachtwoord instellen. U moet het 'oude'
#   wachtwoord bij het opnieuw instellen nog wel eenmaal invoeren." A new password revokes
#   the trusted browser, so the code follows.
SEED_FLOW = {
    ("credentials", "submit_credentials", "change_password"),
    ("credentials", "submit_credentials", "change_expired_password"),
    ("credentials", "submit_credentials", "second_factor"),
    ("credentials", "submit_credentials", "signed_in"),
    ("change_password", "change_password", "second_factor"),
    ("change_expired_password", "change_expired_password", "second_factor"),
    ("second_factor", "submit_code", "signed_in"),
    ("second_factor", "request_new_code", "second_factor"),
}


@pytest.mark.req("AUTH-2", "AUTH-3", "AUTH-4", "AUTH-7")
def test_the_flow_table_is_the_seed_s_flow() -> None:
    """Every edge of FLOW is one of the manual's, and every one of the manual's is in FLOW."""
    assert SEED_FLOW == {(s.value, t.event, t.target.value) for t in FLOW.rows for s in t.sources}


@pytest.mark.req("AUTH-2", "AUTH-3", "AUTH-4", "AUTH-7")
@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (Facts(password=PasswordStatus.MUST_CHANGE), Step.CHANGE_PASSWORD),
        (Facts(password=PasswordStatus.MUST_CHANGE, trusted_browser=True), Step.CHANGE_PASSWORD),
        (Facts(password=PasswordStatus.EXPIRED), Step.CHANGE_EXPIRED_PASSWORD),
        (
            Facts(password=PasswordStatus.EXPIRED, trusted_browser=True),
            Step.CHANGE_EXPIRED_PASSWORD,
        ),
        (Facts(password=PasswordStatus.VALID, trusted_browser=True), Step.SIGNED_IN),
        (Facts(password=PasswordStatus.EXPIRING, trusted_browser=True), Step.SIGNED_IN),
        (Facts(password=PasswordStatus.VALID), Step.SECOND_FACTOR),
        (Facts(password=PasswordStatus.EXPIRING), Step.SECOND_FACTOR),
    ],
)
def test_where_a_right_password_leads(facts: Facts, expected: Step) -> None:
    """A password to replace comes first; then a trusted browser; otherwise the code."""
    assert expected == FLOW.next(Step.CREDENTIALS, Action.SUBMIT_CREDENTIALS, facts)


def test_only_the_table_s_actions_are_allowed_at_each_step() -> None:
    """Each step allows exactly its actions; the signed-in step none."""
    assert {
        Step.CREDENTIALS: (Action.SUBMIT_CREDENTIALS,),
        Step.CHANGE_PASSWORD: (Action.CHANGE_PASSWORD,),
        Step.CHANGE_EXPIRED_PASSWORD: (Action.CHANGE_EXPIRED_PASSWORD,),
        Step.SECOND_FACTOR: (Action.SUBMIT_CODE, Action.REQUEST_NEW_CODE),
        Step.SIGNED_IN: (),
    } == {step: FLOW.actions(step) for step in Step}
    for step in Step:
        for action in Action:
            if action not in FLOW.actions(step):
                with pytest.raises(InvalidState):
                    FLOW.next(step, action, Facts())


def test_the_layers_follow_the_longest_way_from_the_start() -> None:
    """The docs draw the steps in these columns, every edge pointing right."""
    assert (
        (Step.CREDENTIALS,),
        (Step.CHANGE_PASSWORD, Step.CHANGE_EXPIRED_PASSWORD),
        (Step.SECOND_FACTOR,),
        (Step.SIGNED_IN,),
    ) == FLOW.layers()


def _flow(*transitions: Transition) -> Flow:
    return Flow(transitions, start=Step.CREDENTIALS, end=Step.SIGNED_IN)


EVERYTHING = list(FLOW.rows)


@pytest.mark.parametrize(
    ("transitions", "reason"),
    [
        (EVERYTHING[1:3] + EVERYTHING[4:], "does not end unconditionally"),
        (
            [*EVERYTHING, Transition("submit_code", {Step.SIGNED_IN}, target=Step.CREDENTIALS)],
            "exactly the final states have no way out",
        ),
        ([t for t in EVERYTHING if t.event != Action.REQUEST_NEW_CODE.value], "unused actions"),
        (
            [t for t in EVERYTHING if t.target is not Step.CHANGE_PASSWORD],
            "'change_password' cannot be reached",
        ),
        (
            [t for t in EVERYTHING if Step.CHANGE_PASSWORD not in t.sources]
            + [Transition("change_password", {Step.CHANGE_PASSWORD}, target=Step.CHANGE_PASSWORD)],
            "'change_password' cannot reach 'signed_in'",
        ),
        (
            [*EVERYTHING, Transition("hack", {Step.CREDENTIALS}, target=Step.SECOND_FACTOR)],
            "unknown action 'hack'",
        ),
        (
            [*EVERYTHING[:1], EVERYTHING[0], *EVERYTHING[1:]],
            "has a guard twice",
        ),
    ],
)
def test_an_inconsistent_table_is_refused_when_it_is_made(
    transitions: list[Transition], reason: str
) -> None:
    """Made with a hole, a way out of the end, a dead step or a repeated guard: refused."""
    with pytest.raises(ConfigurationError) as refused:
        _flow(*transitions)
    assert "auth.flow.invalid" == refused.value.code
    assert reason in str(refused.value.params["reason"])


def test_a_guard_judges_the_facts() -> None:
    """The guards read the password's status and the trusted browser; no guard always holds."""
    assert FLOW.move("submit_credentials", Step.CREDENTIALS).guard is None
    assert Guard.TRUSTED_BROWSER.holds(Facts(trusted_browser=True))
    assert not Guard.INITIAL_PASSWORD.holds(Facts(password=PasswordStatus.EXPIRED))


@pytest.mark.req("AUTH-3", "AUTH-6", "AUTH-8")
def test_the_rules_default_to_the_seed_s_numbers() -> None:
    """3 failures, 15 minutes blocked, codes of 6 digits valid 15 minutes, browsers 24 hours."""
    rules = SignInRules()
    assert (3, timedelta(minutes=15), 6, timedelta(minutes=15), timedelta(hours=24)) == (
        rules.max_failures,
        rules.block,
        rules.code_digits,
        rules.code_lifetime,
        rules.trusted_browser_lifetime,
    )
    assert timedelta(hours=24) == MAX_RESET_LIFETIME


@pytest.mark.parametrize(
    "changes",
    [
        {"max_failures": 0},
        {"block": timedelta(0)},
        {"code_lifetime": timedelta(seconds=-1)},
        {"reset_lifetime": timedelta(hours=24, seconds=1)},
        {"timezone": "Mars/Olympus_Mons"},
        {"application": " "},
        {"max_failures": True},
    ],
)
def test_unusable_rules_are_refused(changes: dict[str, object]) -> None:
    """Non-positive numbers, a reset link valid over a day, unknown zones, empty names."""
    with pytest.raises(ConfigurationError) as refused:
        SignInRules(**changes)  # type: ignore[arg-type]
    assert "auth.rules.invalid" == refused.value.code


def test_a_reset_link_may_be_valid_a_whole_day() -> None:
    """24 hours is the maximum, and allowed."""
    assert timedelta(hours=24) == SignInRules(reset_lifetime=timedelta(hours=24)).reset_lifetime


@pytest.mark.req("AUTH-6")
@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("22AB.K.Beheerder", "22ab.k.beheerder"),
        ("  22ab.K.BEHEERDER\t", "22ab.k.beheerder"),
        ("STRASSE", "strasse"),
        ("Straße", "strasse"),
    ],
)
def test_the_lockout_key_folds_case_and_surrounding_space(typed: str, key: str) -> None:
    """Case (Unicode case-folding) and surrounding white space do not matter."""
    assert key == lockout_key(typed)


def test_an_overlong_name_is_keyed_by_its_digest() -> None:
    """A key stays short whatever is typed; distinct inputs stay distinct."""
    one, two = lockout_key("a" * 1000), lockout_key("a" * 999 + "b")
    assert one.startswith("#")
    assert 65 == len(one)
    assert one != two


def test_digests_depend_on_the_key_the_purpose_and_every_part() -> None:
    """A digest of one purpose or key never matches another; parts cannot run together."""
    one, other = Digester(b"k" * 32), Digester(b"l" * 32)
    base = one.digest("auth.otp", "t1", "1", "123456")
    assert base != other.digest("auth.otp", "t1", "1", "123456")
    assert base != one.digest("auth.reset", "t1", "1", "123456")
    assert base != one.digest("auth.otp", "t11", "", "123456")
    assert base == one.digest("auth.otp", "t1", "1", "123456")
    assert Digester.same(base, base)
    assert not Digester.same(base, base[:-1] + ("0" if base[-1] != "0" else "1"))
