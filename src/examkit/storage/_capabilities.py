"""What a backend supports, so the conformance suite skips what it cannot do."""

from __future__ import annotations

import attrs


@attrs.frozen
class Capabilities:
    """What a backend supports, so the conformance suite skips what it cannot do."""

    threads: bool = True
    """Units of work may be used from several threads at once."""
    snapshot_reads: bool = True
    """A reading unit sees the state as it was when it began."""
