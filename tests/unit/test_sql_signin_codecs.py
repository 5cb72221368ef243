"""The SQL backend's written-out account, sign-in and browser JSON equals the converter's."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, TypeVar

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from examkit.accounts import Account, AccountStatus, LoginName, PasswordRecord
from examkit.auth import SecondFactor, SignInTransaction, Step, TrustedBrowser
from examkit.backends.sql._signin_codecs import (
    account_data,
    account_from_data,
    sign_in_data,
    sign_in_from_data,
    trusted_browser_data,
    trusted_browser_from_data,
)
from examkit.converter import structure, unstructure
from examkit.errors import ExamkitError
from examkit.identifiers import Brin, Instellingsnummer

T = TypeVar("T")

moments = st.datetimes(
    min_value=datetime(2020, 1, 1),  # noqa: DTZ001 - hypothesis takes naive bounds
    max_value=datetime(2035, 1, 1),  # noqa: DTZ001
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=2))]),
)
keys = st.text("abcdef0123456789", min_size=1, max_size=64)
letters = st.characters(categories=["L", "N", "P", "S", "Zs"], exclude_characters="\u2028\u2029")
names = st.text(letters, min_size=1, max_size=20)
institutions = st.sampled_from(
    [Brin("22AB"), Brin("07QZ"), Instellingsnummer("012345"), Brin("30RT")]
)
passwords = st.builds(
    PasswordRecord,
    hash=st.text(letters, min_size=1, max_size=40),
    set_at=moments,
    must_change=st.booleans(),
)


def built(make: Callable[..., T], **fields: Any) -> T:
    """Return *make(**fields)*, rejecting the draw where the model refuses the values."""
    try:
        return make(**fields)
    except (ExamkitError, ValueError, TypeError):
        assume(False)
        raise  # pragma: no cover - assume(False) does not return


@st.composite
def accounts(draw: st.DrawFn) -> Account:
    return built(
        Account,
        id=draw(st.sampled_from(["acc-1", "a9f3", "0001-x"])),
        login_name=LoginName(draw(st.sampled_from(["22AB.Docent1", "k.jansen", "Beheer01"]))),
        first_name=draw(names),
        last_name=draw(names),
        email=draw(st.sampled_from(["k@school.nl", "Jan.Smit@Example.ORG"])),
        phone=draw(st.none() | st.sampled_from(["+31 6 12345678", "0612345678"])),
        status=draw(st.sampled_from(AccountStatus)),
        password=draw(st.none() | passwords),
        password_history=tuple(
            draw(st.lists(st.text(letters, min_size=1, max_size=20), max_size=3))
        ),
        institutions=frozenset(draw(st.lists(institutions, max_size=3))),
        lang=draw(st.sampled_from(["nl", "en"])),
        version=draw(st.integers(1, 100)),
    )


sign_ins = st.builds(
    SignInTransaction,
    id=keys,
    account_id=keys,
    step=st.sampled_from(Step),
    application=names,
    ip=st.sampled_from(["192.0.2.10", "2001:db8::1"]),
    started_at=moments,
    expires_at=moments,
    factor=st.sampled_from(SecondFactor),
    code_generation=st.integers(0, 20),
    code_expires_at=st.none() | moments,
    password_expires_at=st.none() | moments,
    version=st.integers(1, 100),
)
browsers = st.builds(
    TrustedBrowser,
    id=keys,
    account_id=keys,
    ip=st.sampled_from(["192.0.2.10", "2001:db8::1"]),
    trusted_at=moments,
    expires_at=moments,
    version=st.integers(1, 100),
)


def converted(item: Any) -> dict[str, Any]:
    data = unstructure(item)
    data.pop("version")
    return data  # type: ignore[no-any-return]


def same_both_ways(
    item: Any,
    write: Callable[[Any], dict[str, Any]],
    read: Callable[[dict[str, Any], int], Any],
) -> None:
    data = write(item)
    assert converted(item) == data
    loaded = read(data, item.version)
    assert structure({**data, "version": item.version}, type(item)) == loaded
    assert loaded == item
    assert loaded.version == item.version


@pytest.mark.req("PLAT-2")
@given(account=accounts())
def test_an_account_is_written_and_read_as_the_converter_does(account: Account) -> None:
    same_both_ways(account, account_data, account_from_data)


@pytest.mark.req("PLAT-2")
@given(transaction=sign_ins)
def test_a_sign_in_is_written_and_read_as_the_converter_does(
    transaction: SignInTransaction,
) -> None:
    same_both_ways(transaction, sign_in_data, sign_in_from_data)


@pytest.mark.req("PLAT-2")
@given(browser=browsers)
def test_a_trusted_browser_is_written_and_read_as_the_converter_does(
    browser: TrustedBrowser,
) -> None:
    same_both_ways(browser, trusted_browser_data, trusted_browser_from_data)


@pytest.mark.req("PLAT-2")
def test_data_of_another_shape_is_read_by_the_converter_with_its_checks() -> None:
    account = Account(
        id="acc-1",
        login_name=LoginName("k.jansen"),
        first_name="Karin",
        last_name="Jansen",
        email="k@school.nl",
    )
    data = account_data(account)
    del data["password_history"]  # an older form: the converter's default applies
    assert account_from_data(data, 1) == account
    broken = {**account_data(account), "email": "not an address"}
    with pytest.raises(ExamkitError):  # the model's own check, through the converter
        account_from_data(broken, 1)
    transaction = SignInTransaction(
        id="ab",
        account_id="acc-1",
        step=Step.SECOND_FACTOR,
        application="facet",
        ip="192.0.2.10",
        started_at=datetime(2026, 9, 1, 8, tzinfo=UTC),
        expires_at=datetime(2026, 9, 1, 8, 15, tzinfo=UTC),
    )
    stored = {**sign_in_data(transaction), "step": "no such step"}
    with pytest.raises(Exception) as raised:  # noqa: PT011 - the converter's own error
        sign_in_from_data(stored, 1)
    assert "step" in repr(raised.value) or "no such step" in repr(raised.value)
