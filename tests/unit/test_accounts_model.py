# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Accounts: login names and the account value."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from examkit.accounts import Account, AccountStatus, LoginName, PasswordRecord
from examkit.errors import InvalidInput
from examkit.identifiers import Brin, Instellingsnummer


@pytest.mark.req("ACC-2")
@pytest.mark.parametrize(
    "text",
    ["22AB.K.Beheerder", "abcdefgh", "a" * 20, "12345678", "........", "Jan.de.Vries.2026"],
)
def test_valid_login_names(text: str) -> None:
    """A login name is 8 to 20 letters, digits and dots."""
    assert text == str(LoginName(text))


@pytest.mark.req("ACC-2")
@pytest.mark.parametrize(
    "text",
    [
        "abcdefg",
        "a" * 21,
        "22AB K.Beheerder",
        "k_beheerder",
        "k-beheerder",
        "k@school.nl",
        "beheerdér",
        "",
    ],
)
def test_invalid_login_names(text: str) -> None:
    """Too short, too long, or any character but a letter, digit or dot is refused."""
    with pytest.raises(InvalidInput) as info:
        LoginName(text)
    assert ("accounts.login_name.invalid", "login_name") == (info.value.code, info.value.field)


@pytest.mark.req("ACC-2")
def test_login_name_loses_surrounding_spaces() -> None:
    """Spaces around a login name are not part of it."""
    assert "abcdefgh" == LoginName("  abcdefgh ").value


@pytest.mark.req("ACC-2")
def test_login_names_compare_without_case_but_keep_it() -> None:
    """Login names differing only in case are the same login name, printed as written."""
    written = LoginName("22AB.K.Beheerder")
    lower = LoginName("22ab.k.beheerder")
    assert written == lower
    assert hash(written) == hash(lower)
    assert 1 == len({written, lower})
    assert ("22AB.K.Beheerder", "22ab.k.beheerder") == (str(written), written.folded)


@pytest.mark.req("ACC-2")
def test_login_names_order_without_case() -> None:
    """Login names sort case-insensitively."""
    names = [LoginName("Bbbbbbbb"), LoginName("aaaaaaaa"), LoginName("Cccccccc")]
    assert ["aaaaaaaa", "Bbbbbbbb", "Cccccccc"] == [str(name) for name in sorted(names)]


def test_login_name_is_not_equal_to_text() -> None:
    """A login name is not its text."""
    assert LoginName("abcdefgh") != "abcdefgh"


def account(**changes: object) -> Account:
    """Return an account, with *changes*."""
    values: dict[str, object] = {
        "id": "acc-1",
        "login_name": LoginName("22AB.K.Beheerder"),
        "first_name": "Klaas",
        "last_name": "Beheerder",
        "email": "k.beheerder@school.nl",
    }
    values.update(changes)
    return Account(**values)  # type: ignore[arg-type]


def test_account_defaults() -> None:
    """A new account is active, has no password and no institutions."""
    new = account()
    assert (AccountStatus.ACTIVE, True, None, frozenset(), "Klaas Beheerder") == (
        new.status,
        new.is_active,
        new.password,
        new.institutions,
        new.full_name,
    )


@pytest.mark.req("AUTH-11")
def test_account_is_linked_to_several_institutions() -> None:
    """One account can be linked to Dutch and Flemish institutions."""
    linked = account(institutions=[Brin("22AB"), Instellingsnummer("012345"), Brin("22ab")])
    assert frozenset({Brin("22AB"), Instellingsnummer("012345")}) == linked.institutions


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"id": "has space"}, ("accounts.id.invalid", "id")),
        ({"first_name": ""}, ("input.required", "first_name")),
        ({"email": "nope"}, ("input.email.invalid", "email")),
    ],
)
def test_account_fields_are_validated(
    changes: dict[str, object], expected: tuple[str, str]
) -> None:
    """An account refuses an unusable id, name or e-mail address, naming the field."""
    with pytest.raises(InvalidInput) as info:
        account(**changes)
    assert expected == (info.value.code, info.value.field)


def test_password_record_refuses_a_naive_time() -> None:
    """The time a password was set must carry a time zone."""
    with pytest.raises(InvalidInput) as info:
        PasswordRecord(hash="$argon2id$...", set_at=datetime(2026, 9, 1, 8))  # noqa: DTZ001
    assert ("input.time.naive", "set_at") == (info.value.code, info.value.field)


def test_password_record_keeps_times_in_utc() -> None:
    """An aware time is converted to UTC."""
    amsterdam = timezone(timedelta(hours=2))
    record = PasswordRecord(hash="x", set_at=datetime(2026, 9, 1, 10, tzinfo=amsterdam))
    assert datetime(2026, 9, 1, 8, tzinfo=UTC) == record.set_at
    assert UTC == record.set_at.tzinfo


@pytest.mark.req("PLAT-2", "NOTE-1")
def test_an_account_speaks_dutch_unless_it_chose_english() -> None:
    assert account().lang == "nl"
    assert account(lang="en").lang == "en"
    with pytest.raises(InvalidInput) as refused:
        account(lang="fr")
    assert refused.value.code == "input.lang.unknown"
    assert refused.value.field == "lang"
    assert "fr" in refused.value.message("en")
