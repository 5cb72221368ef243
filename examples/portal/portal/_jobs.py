"""The portal's background jobs: the outbox's sender and the retention jobs.

Both run while the app does, in worker threads, started with it and stopped
with it: :func:`~portal._outbox.deliver_every` every
:attr:`~portal.PortalConfig.mail_every` seconds and :func:`purge_every`
every :attr:`~portal.PortalConfig.purge_every` seconds (daily by default).
With several processes (PostgreSQL), one process is enough for either (the
retention jobs are safe to run concurrently, but twice is work for nothing).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Final

import anyio
from starlette.applications import Starlette

from examkit import Examkit
from examkit.errors import ExamkitError
from portal._config import PortalConfig
from portal._outbox import deliver_every

LOG: Final = logging.getLogger("portal.retention")


async def purge_every(kit: Examkit, seconds: float) -> None:
    """Run the retention jobs every *seconds*, for ever (until cancelled); log what went.

    Implements PRIV-4.
    """
    while True:
        await anyio.sleep(seconds)
        try:
            report = await anyio.to_thread.run_sync(kit.privacy_retention.purge)
        except ExamkitError as error:
            LOG.warning("retention: %s", error.code)
            continue
        except Exception:  # a job that must outlive a bad day (the database away)
            LOG.exception("retention: the jobs failed; trying again in %s s", seconds)
            continue
        LOG.info("retention: %s", report.summary())


def background_jobs(
    kit: Examkit, config: PortalConfig
) -> Callable[[Starlette], AbstractAsyncContextManager[None]]:
    """Return the app's lifespan: the jobs whose interval is above 0 run while the app does."""
    jobs = [
        (job, seconds)
        for job, seconds in ((deliver_every, config.mail_every), (purge_every, config.purge_every))
        if seconds > 0
    ]

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if not jobs:
            yield
            return
        async with anyio.create_task_group() as tasks:
            for job, seconds in jobs:
                tasks.start_soon(job, kit, seconds)
            yield
            tasks.cancel_scope.cancel()

    return lifespan
