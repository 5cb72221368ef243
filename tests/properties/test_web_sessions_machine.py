# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""A hypothesis state machine: sessions started, used and ended while the clock moves.

The model is written from the rules, not from the settings' code: a session
is usable while it has not been ended, its stored last use is less than
the idle timeout ago and its sign-in less than the absolute timeout ago;
the stored last use moves only when a use comes a minute or more after it.
Short timeouts (10 minutes idle, 1 hour absolute) let the clock's moves
reach both.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import attrs
import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, invariant, rule

from examkit import Examkit, Settings
from examkit.accounts import Account, LoginName
from examkit.backends.memory import MemoryBackend
from examkit.errors import NotPermitted
from examkit.testing import ManualClock, RecordingMailer, SequenceSecretSource, cheap_hasher
from examkit.websessions import WebSessionSettings

IDLE = timedelta(minutes=10)
ABSOLUTE = timedelta(hours=1)
STEP = timedelta(minutes=1)


@attrs.define
class Model:
    """What the model knows of one session."""

    token: str
    signed_in: datetime
    last_seen: datetime
    ended: bool = False
    purged: bool = False

    def usable(self, now: datetime) -> bool:
        return not self.ended and now - self.last_seen < IDLE and now - self.signed_in < ABSOLUTE


class WebSessionMachine(RuleBasedStateMachine):
    """Sessions of one account; the clock moves by seconds to hours."""

    sessions = Bundle("sessions")

    @initialize()
    def set_up(self) -> None:
        self.clock = ManualClock.at("2026-09-01T08:00:00+00:00")
        self.kit = Examkit(
            backend=MemoryBackend(),
            mailer=RecordingMailer(),
            settings=Settings(
                token_key=b"k" * 32,
                base_url="https://portal.example.nl",
                web_sessions=WebSessionSettings(idle_timeout=IDLE, absolute_timeout=ABSOLUTE),
            ),
            clock=self.clock,
            secrets=SequenceSecretSource("machine"),
            hasher=cheap_hasher("machine"),
        )
        with self.kit.backend.begin() as uow:
            uow.accounts.add(
                Account(
                    id="a-1",
                    login_name=LoginName("22AB.K.Jansen"),
                    first_name="Jan",
                    last_name="Jansen",
                    email="jan@school.nl",
                )
            )
            uow.commit()
        self.models: list[Model] = []

    @rule(target=sessions)
    def start(self) -> Model:
        token, _ = self.kit.web_sessions.start("a-1")
        now = self.clock.now()
        model = Model(token, now, now)
        self.models.append(model)
        return model

    @rule(seconds=st.integers(min_value=1, max_value=2 * 3600))
    def wait(self, seconds: int) -> None:
        self.clock.advance(seconds=seconds)

    @rule(seconds=st.sampled_from([59, 60, 61, 9 * 60 + 59, 10 * 60, 10 * 60 + 1]))
    def wait_near_an_edge(self, seconds: int) -> None:
        self.clock.advance(seconds=seconds)

    @rule(model=sessions)
    def use(self, model: Model) -> None:
        now = self.clock.now()
        if not model.usable(now):
            with pytest.raises(NotPermitted):
                self.kit.web_sessions.resolve(model.token)
            return
        session = self.kit.web_sessions.resolve(model.token)
        if now - model.last_seen >= STEP:
            model.last_seen = now
        assert model.last_seen == session.last_seen_at

    @rule(model=sessions)
    def sign_out(self, model: Model) -> None:
        ended = self.kit.web_sessions.end(model.token)
        assert model.usable(self.clock.now()) == ended
        model.ended = True

    @rule()
    def purge(self) -> None:
        now = self.clock.now()
        ended = [m for m in self.models if not m.usable(now) and not m.purged]
        for model in ended:
            model.purged = True
        assert len(ended) == self.kit.web_sessions.purge_ended()

    @invariant()
    def stored_sessions_agree_with_the_model(self) -> None:
        if not hasattr(self, "models"):
            return
        now = self.clock.now()
        with self.kit.backend.begin(readonly=True) as uow:
            stored = uow.web_sessions.list_for_account("a-1")
        live = sorted(s.last_seen_at for s in stored if s.is_live(now))
        assert sorted(m.last_seen for m in self.models if m.usable(now)) == live
        assert len([m for m in self.models if not m.purged]) == len(stored)


TestWebSessionMachine = WebSessionMachine.TestCase
TestWebSessionMachine.settings = settings(max_examples=40, stateful_step_count=30, deadline=None)
pytestmark = pytest.mark.req("WEB-2")
