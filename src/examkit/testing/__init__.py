"""The public test kit: deterministic fakes of every port, and a ready-made kit.

Importing this package needs nothing beyond examkit itself. Its submodules
need the ``testing`` extra: :mod:`examkit.testing.strategies` (hypothesis
strategies), :mod:`examkit.testing.conformance` (the backend conformance
suite) and :mod:`examkit.testing.pytest_plugin` (the ``req`` marker).

>>> kit = make_kit()
>>> kit.clock.now().isoformat()
'2026-09-01T08:00:00+00:00'
"""

from __future__ import annotations

from examkit._kit import Examkit, Settings
from examkit.backends.memory import MemoryBackend
from examkit.storage import Backend
from examkit.testing._fakes import (
    ManualClock,
    MemoryAuditLog,
    RecordingMailer,
    SequenceSecretSource,
    fake_check_password,
    fake_hash_password,
    fake_initial_password,
)

__all__ = [
    "TEST_TOKEN_KEY",
    "ManualClock",
    "MemoryAuditLog",
    "RecordingMailer",
    "SequenceSecretSource",
    "fake_check_password",
    "fake_hash_password",
    "fake_initial_password",
    "make_kit",
]

TEST_TOKEN_KEY = b"examkit-test-token-key-not-secret!"
"""A fixed token key for tests and the demo; never use it in production."""


def make_kit(
    *,
    backend: Backend | None = None,
    now: str = "2026-09-01T08:00:00+00:00",
    seed: str = "examkit",
) -> Examkit:
    """Return an :class:`~examkit.Examkit` with deterministic fakes for every port.

    Its clock is a :class:`ManualClock` at *now*, its randomness a
    :class:`SequenceSecretSource` with *seed*, its mailer a
    :class:`RecordingMailer`, its backend *backend* (a new
    :class:`~examkit.backends.memory.MemoryBackend` by default), and its
    password parts the test doubles :func:`fake_initial_password`,
    :func:`fake_hash_password` and :func:`fake_check_password`.
    """
    return Examkit(
        backend=backend if backend is not None else MemoryBackend(),
        mailer=RecordingMailer(),
        settings=Settings(token_key=TEST_TOKEN_KEY),
        clock=ManualClock.at(now),
        secrets=SequenceSecretSource(seed),
        new_initial_password=fake_initial_password,
        hash_password=fake_hash_password,
        check_password=fake_check_password,
    )
