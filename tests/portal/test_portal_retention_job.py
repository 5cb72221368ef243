"""The portal runs the retention jobs in its lifespan (PRIV-4).

A web session that lapsed long ago is stored in the portal's SQLite file; with
``purge_every`` short, the app's lifespan runs
``kit.privacy_retention.purge`` and the session is gone, the run audited.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import anyio
import pytest
from tests.portal.conftest import ORIGIN, TOKEN_KEY

from examkit import Examkit, Settings
from examkit.backends.sql import SQLBackend
from examkit.testing import ManualClock, RecordingMailer, SequenceSecretSource, cheap_hasher
from examkit.testing.conformance import NOW, make_web_session
from portal import PortalConfig, create_app

pytestmark = pytest.mark.anyio


def _purged_runs(backend: SQLBackend) -> int:
    with backend.begin(readonly=True) as uow:
        events = uow.audit.list(subject="retention:run", limit=50).items
    return sum(1 for event in events if event.action == "privacy.retention.purged")


@pytest.mark.req("PRIV-4", "WEB-1")
async def test_the_portal_runs_the_retention_jobs_while_it_runs(tmp_path: Path) -> None:
    backend = SQLBackend(f"sqlite:///{tmp_path / 'portal.db'}")
    kit = Examkit(
        backend=backend,
        mailer=RecordingMailer(),
        settings=Settings(token_key=TOKEN_KEY, base_url=ORIGIN),
        clock=ManualClock(NOW + timedelta(days=90)),
        secrets=SequenceSecretSource("retention"),
        hasher=cheap_hasher("retention"),
    )
    lapsed = make_web_session(after=-30, idle_minutes=30)
    with backend.begin() as uow:
        uow.web_sessions.add(lapsed)
        uow.commit()
    config = PortalConfig(
        base_url=ORIGIN, token_key=TOKEN_KEY, database="unused", mail_every=0, purge_every=0.05
    )
    app = create_app(kit, config)
    async with app.router.lifespan_context(app):
        with anyio.fail_after(5):
            while not _purged_runs(backend):
                await anyio.sleep(0.02)
    with backend.begin(readonly=True) as uow:
        assert {} == dict(uow.web_sessions.get_many([lapsed.id]))
    backend.close()


@pytest.mark.req("PRIV-4", "WEB-1")
async def test_with_an_interval_of_zero_the_portal_runs_no_retention_job(tmp_path: Path) -> None:
    backend = SQLBackend(f"sqlite:///{tmp_path / 'portal.db'}")
    kit = Examkit(
        backend=backend,
        mailer=RecordingMailer(),
        settings=Settings(token_key=TOKEN_KEY, base_url=ORIGIN),
        clock=ManualClock(NOW + timedelta(days=90)),
        secrets=SequenceSecretSource("retention"),
        hasher=cheap_hasher("retention"),
    )
    config = PortalConfig(
        base_url=ORIGIN, token_key=TOKEN_KEY, database="unused", mail_every=0, purge_every=0
    )
    app = create_app(kit, config)
    async with app.router.lifespan_context(app):
        await anyio.sleep(0.2)
    assert 0 == _purged_runs(backend)
    backend.close()


def test_the_purge_interval_is_daily_unless_set() -> None:
    config = PortalConfig.from_environment({"EXAMKIT_PORTAL_TOKEN_KEY": "ab" * 32})
    assert 86400.0 == config.purge_every
