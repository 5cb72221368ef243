# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""Signed-in browser sessions (WEB-2): every rule, on the doubles and the production wiring.

The timeouts are spelled out here (30 minutes idle, 12 hours absolute, the
last use written at most once a minute), not read from the settings' code.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import attrs
import pytest

from examkit import Examkit, Settings
from examkit.accounts import Account, AccountStatus, LoginName
from examkit.converter import unstructure
from examkit.errors import ConfigurationError, InvalidState, NotFound, NotPermitted
from examkit.testing import (
    ManualClock,
    RecordingMailer,
    SequenceSecretSource,
    Wiring,
    cheap_hasher,
)
from examkit.websessions import WebSession, WebSessions, WebSessionSettings

pytestmark = pytest.mark.req("WEB-2")

IDLE = timedelta(minutes=30)
ABSOLUTE = timedelta(hours=12)
INVALID = "websessions.session.invalid"


@pytest.fixture
def kit(wiring: Wiring) -> Examkit:
    kit = Examkit(
        backend=wiring.backend,
        mailer=RecordingMailer(),
        settings=Settings(token_key=b"k" * 32, base_url="https://portal.example.nl"),
        clock=ManualClock.at("2026-09-01T08:00:00+00:00"),
        secrets=SequenceSecretSource("web"),
        audit=wiring.log,
        hasher=cheap_hasher("web"),
    )
    with kit.backend.begin() as uow:
        for account_id, status in (("a-1", AccountStatus.ACTIVE), ("a-2", AccountStatus.ACTIVE)):
            uow.accounts.add(
                Account(
                    id=account_id,
                    login_name=LoginName(f"22AB.K.{account_id.replace('-', '')}"),
                    first_name="Kim",
                    last_name="Jansen",
                    email=f"{account_id}@school.nl",
                    status=status,
                )
            )
        uow.commit()
    return kit


def clock(kit: Examkit) -> ManualClock:
    assert isinstance(kit.clock, ManualClock)
    return kit.clock


def stored(kit: Examkit, account: str = "a-1") -> tuple[WebSession, ...]:
    with kit.backend.begin(readonly=True) as uow:
        return uow.web_sessions.list_for_account(account)


def refused_as_invalid(kit: Examkit, token: Any) -> None:
    with pytest.raises(NotPermitted) as refused:
        kit.web_sessions.resolve(token)
    assert INVALID == refused.value.code
    assert "This session is no longer valid; please sign in again." == refused.value.message("en")


def test_the_kit_offers_the_use_cases_with_the_settings_timeouts(kit: Examkit) -> None:
    assert isinstance(kit.web_sessions, WebSessions)
    assert (IDLE, ABSOLUTE) == (
        kit.web_sessions.settings.idle_timeout,
        kit.web_sessions.settings.absolute_timeout,
    )
    assert kit.settings.web_sessions is kit.web_sessions.settings


def test_a_session_id_is_fresh_random_and_stored_only_as_its_digest(
    kit: Examkit, wiring: Wiring
) -> None:
    token, session = kit.web_sessions.start("a-1")
    other, _ = kit.web_sessions.start("a-1")
    assert token != other
    assert len(token) >= 22  # 128 bits in URL-safe base64 is at least 22 characters
    assert session.id != token
    assert len(session.id) == 64
    (first, _) = stored(kit)
    assert token not in json.dumps(unstructure(first))
    assert all(token not in json.dumps(attrs.asdict(e), default=str) for e in wiring.audit.events)
    assert "a-1" == kit.web_sessions.resolve(token).account_id
    now = clock(kit).now()
    assert (now, now, now + ABSOLUTE, None) == (
        first.created_at,
        first.last_seen_at,
        first.expires_at,
        first.revoked_at,
    )


def test_an_unknown_or_malformed_id_gets_the_one_refusal(kit: Examkit) -> None:
    kit.web_sessions.start("a-1")
    for token in ("x" * 43, "", "é" * 43, "x" * 5000, None, 42):
        refused_as_invalid(kit, token)


def test_an_unused_session_lapses_after_the_idle_timeout(kit: Examkit) -> None:
    token, _ = kit.web_sessions.start("a-1")
    clock(kit).advance(IDLE - timedelta(seconds=1))
    kit.web_sessions.resolve(token)  # used: the idle time counts from here
    clock(kit).advance(IDLE - timedelta(seconds=1))
    kit.web_sessions.resolve(token)
    clock(kit).advance(IDLE)
    refused_as_invalid(kit, token)


def test_a_session_used_all_the_time_lapses_at_its_absolute_expiry(kit: Examkit) -> None:
    token, _ = kit.web_sessions.start("a-1")
    for _ in range(int(ABSOLUTE / timedelta(minutes=20)) - 1):
        clock(kit).advance(minutes=20)
        kit.web_sessions.resolve(token)
    clock(kit).advance(minutes=19, seconds=59)
    kit.web_sessions.resolve(token)
    clock(kit).advance(seconds=1)
    refused_as_invalid(kit, token)


def test_the_last_use_is_written_at_most_once_a_minute(kit: Examkit) -> None:
    token, _ = kit.web_sessions.start("a-1")
    (before,) = stored(kit)
    clock(kit).advance(seconds=59)
    kit.web_sessions.resolve(token)
    (unchanged,) = stored(kit)
    assert (before.version, before.last_seen_at) == (unchanged.version, unchanged.last_seen_at)
    clock(kit).advance(seconds=1)
    seen = kit.web_sessions.resolve(token)
    (written,) = stored(kit)
    assert clock(kit).now() == written.last_seen_at == seen.last_seen_at
    assert before.version + 1 == written.version


def test_renewal_gives_a_new_id_for_the_same_sign_in_and_ends_the_old(
    kit: Examkit, wiring: Wiring
) -> None:
    token, first = kit.web_sessions.start("a-1")
    for _ in range(6):  # two hours of use
        clock(kit).advance(minutes=20)
        kit.web_sessions.resolve(token)
    renewed = kit.web_sessions.renew(token)
    assert renewed != token
    refused_as_invalid(kit, token)
    session = kit.web_sessions.resolve(renewed)
    assert (first.created_at, first.expires_at) == (session.created_at, session.expires_at)
    assert clock(kit).now() == session.last_seen_at
    with pytest.raises(NotPermitted):
        kit.web_sessions.renew(token)
    assert "websessions.session.renewed" in wiring.audit.actions()


def test_sign_out_ends_the_session_and_a_stale_cookie_ends_nothing(
    kit: Examkit, wiring: Wiring
) -> None:
    token, _ = kit.web_sessions.start("a-1")
    other, _ = kit.web_sessions.start("a-1")
    assert kit.web_sessions.end(token)
    refused_as_invalid(kit, token)
    assert "a-1" == kit.web_sessions.resolve(other).account_id
    assert not kit.web_sessions.end(token)
    assert not kit.web_sessions.end("nonsense")
    assert 1 == wiring.audit.actions().count("websessions.session.ended")
    assert [clock(kit).now(), None] == sorted(
        (s.revoked_at for s in stored(kit)), key=lambda at: at is None
    )


def test_revoke_all_ends_every_live_session_of_the_account_only(
    kit: Examkit, wiring: Wiring
) -> None:
    tokens = [kit.web_sessions.start("a-1")[0] for _ in range(3)]
    kit.web_sessions.end(tokens[0])
    elsewhere, _ = kit.web_sessions.start("a-2")
    assert 2 == kit.web_sessions.revoke_all("a-1")
    for token in tokens:
        refused_as_invalid(kit, token)
    assert "a-2" == kit.web_sessions.resolve(elsewhere).account_id
    assert 0 == kit.web_sessions.revoke_all("a-1")
    events = [e for e in wiring.audit.events if e.action == "websessions.session.revoked_all"]
    assert ["2", "0"] == [e.details["count"] for e in events]


def test_housekeeping_purges_the_ended_sessions_only(kit: Examkit, wiring: Wiring) -> None:
    ended, _ = kit.web_sessions.start("a-1")
    kit.web_sessions.end(ended)
    idle, _ = kit.web_sessions.start("a-1")
    clock(kit).advance(IDLE - timedelta(minutes=5))
    live, _ = kit.web_sessions.start("a-1")
    clock(kit).advance(minutes=5)
    assert 2 == kit.web_sessions.purge_ended()
    assert [live] == [t for t in (ended, idle, live) if stored_token_live(kit, t)]
    assert 1 == len(stored(kit))
    assert "websessions.session.purged" in wiring.audit.actions()


def stored_token_live(kit: Examkit, token: str) -> bool:
    try:
        kit.web_sessions.resolve(token)
    except NotPermitted:
        return False
    return True


def test_no_session_starts_for_an_inactive_or_unknown_account(kit: Examkit) -> None:
    with kit.backend.begin() as uow:
        account = uow.accounts.get("a-2")
        uow.accounts.update(attrs.evolve(account, status=AccountStatus.DEACTIVATED))
        uow.commit()
    with pytest.raises(NotPermitted) as refused:
        kit.web_sessions.start("a-2")
    assert "websessions.account.inactive" == refused.value.code
    with pytest.raises(NotFound):
        kit.web_sessions.start("nobody")
    assert () == stored(kit, "a-2")


def test_a_change_of_grants_asks_for_a_renewal(kit: Examkit) -> None:
    token, _ = kit.web_sessions.start("a-1")
    with kit.backend.begin() as uow:  # a grant given elsewhere: the grants' version moves
        from examkit.permissions import Authorization

        uow.authorizations.add(Authorization(account="a-1"))
        uow.commit()
    with pytest.raises(InvalidState) as refused:
        kit.web_sessions.resolve(token)
    assert "websessions.session.renew_required" == refused.value.code
    renewed = kit.web_sessions.renew(token)
    assert "a-1" == kit.web_sessions.resolve(renewed).account_id
    refused_as_invalid(kit, token)


def test_a_session_outlives_a_rotation_of_the_token_key(kit: Examkit, wiring: Wiring) -> None:
    token, _ = kit.web_sessions.start("a-1")
    rotated = Examkit(
        backend=wiring.backend,
        mailer=RecordingMailer(),
        settings=Settings(
            token_key=b"n" * 32,
            token_key_id="2",
            retired_token_keys={"1": b"k" * 32},
            base_url="https://portal.example.nl",
        ),
        clock=kit.clock,
        audit=wiring.log,
        hasher=cheap_hasher("web"),
    )
    assert "a-1" == rotated.web_sessions.resolve(token).account_id


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ({"idle_timeout": timedelta(0)}, "websessions.setting.invalid"),
        ({"absolute_timeout": timedelta(minutes=-1)}, "websessions.setting.invalid"),
        ({"idle_timeout": 1800}, "websessions.setting.invalid"),
        ({"idle_timeout": timedelta(minutes=1)}, "websessions.setting.idle_too_short"),
        ({"idle_timeout": timedelta(hours=13)}, "websessions.setting.idle_exceeds_absolute"),
        ({"absolute_timeout": timedelta(minutes=10)}, "websessions.setting.idle_exceeds_absolute"),
    ],
)
def test_settings_refuse_unusable_timeouts(given: dict[str, Any], code: str) -> None:
    with pytest.raises(ConfigurationError) as refused:
        WebSessionSettings(**given)
    assert code == refused.value.code
    assert refused.value.message("nl") != refused.value.message("en")


def test_settings_of_the_kit_set_the_timeouts(wiring: Wiring) -> None:
    settings = Settings(
        token_key=b"k" * 32,
        base_url="https://portal.example.nl",
        web_sessions=WebSessionSettings(
            idle_timeout=timedelta(minutes=10), absolute_timeout=timedelta(hours=1)
        ),
    )
    kit = Examkit(
        backend=wiring.backend,
        mailer=RecordingMailer(),
        settings=settings,
        clock=ManualClock.at("2026-09-01T08:00:00+00:00"),
        secrets=SequenceSecretSource("web"),
        audit=wiring.log,
        hasher=cheap_hasher("web"),
    )
    with kit.backend.begin() as uow:
        uow.accounts.add(
            Account(
                id="a-9",
                login_name=LoginName("22AB.K.Negen"),
                first_name="Kim",
                last_name="Negen",
                email="negen@school.nl",
            )
        )
        uow.commit()
    token, session = kit.web_sessions.start("a-9")
    assert timedelta(minutes=10) == session.idle_timeout
    clock(kit).advance(minutes=10)
    refused_as_invalid(kit, token)


def test_the_session_s_user_comes_with_the_account_as_stored_and_its_grants(
    kit: Examkit,
) -> None:
    token, _ = kit.web_sessions.start("a-1")
    user = kit.web_sessions.user(token)
    assert ("a-1", "a-1", "a-1@school.nl") == (
        user.session.account_id,
        user.actor.account,
        user.account.email,
    )
    assert () == user.actor.roles()
    assert not user.actor.may("facet.users.add")


def test_the_session_s_user_is_refused_once_the_account_is_inactive_however_it_became_so(
    kit: Examkit,
) -> None:
    token, _ = kit.web_sessions.start("a-1")
    with kit.backend.begin() as uow:  # written directly, past the use cases that end sessions
        account = uow.accounts.get("a-1")
        uow.accounts.update(attrs.evolve(account, status=AccountStatus.DEACTIVATED))
        uow.commit()
    with pytest.raises(NotPermitted) as refused:
        kit.web_sessions.user(token)
    assert INVALID == refused.value.code


def test_the_session_s_user_asks_for_a_renewal_and_writes_the_last_use_as_resolve_does(
    kit: Examkit,
) -> None:
    token, started = kit.web_sessions.start("a-1")
    clock(kit).advance(minutes=5)
    assert (
        started.last_seen_at + timedelta(minutes=5)
        == kit.web_sessions.user(token).session.last_seen_at
    )
    with kit.backend.begin() as uow:
        from examkit.permissions import Authorization

        uow.authorizations.add(Authorization(account="a-1"))
        uow.commit()
    with pytest.raises(InvalidState) as refused:
        kit.web_sessions.user(token)
    assert "websessions.session.renew_required" == refused.value.code
