"""One sync of an offline server, in a process of its own (the SIGKILL test runs it).

Run as ``python -c "from tests.offline.proof.sync_process import main; main()" ARGS``
with ARGS: the offline store's SQLite path, the server's id, the central
sync endpoint's URL, the credential, the offline clock's time (ISO) and a
crash point (or ``-``): at that point the process kills itself with
SIGKILL, mid-sync, as a power cut would. Otherwise it prints the sync's
report as one line of JSON and exits 0.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from datetime import datetime

from examkit import Settings
from examkit.offline import OfflineStation
from examkit.testing import ManualClock, RecordingMailer, SequenceSecretSource

OFFLINE_SETTINGS = Settings(token_key=b"o" * 32, base_url="https://fao.school.example.nl")
"""The offline server's kit's settings (here, so this process imports little else)."""


def main(argv: list[str] | None = None) -> None:
    """Open the station, sync once (killed at the crash point, if one is given)."""
    path, server, central_url, credential, now, point = (argv or sys.argv[1:])[:6]

    def crash(reached: str) -> None:
        if reached == point:
            os.kill(os.getpid(), signal.SIGKILL)

    station = OfflineStation.open(
        path,
        server=server,
        central_url=central_url,
        credential=credential,
        settings=OFFLINE_SETTINGS,
        mailer=RecordingMailer(),
        clock=ManualClock(datetime.fromisoformat(now)),
        secrets=SequenceSecretSource("fao-process"),
        crash=crash,
        retries=0,
        timeout=30.0,
    )
    try:
        report = station.sync_once()
    finally:
        station.close()
    print(json.dumps({"complete": report.complete, "error": report.error}))
