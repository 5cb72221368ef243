"""Hypothesis settings for the property tests: no deadlines, modest example counts.

The profile is chosen by the environment: ``EXAMKIT_CI`` set (to anything but
empty or ``0``) selects ``ci``, otherwise ``examkit``. ``HYPOTHESIS_PROFILE``
names any registered profile explicitly.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("examkit", deadline=None, max_examples=100)
settings.register_profile(
    "ci",
    deadline=None,
    max_examples=200,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)


def _profile() -> str:
    explicit = os.environ.get("HYPOTHESIS_PROFILE", "")
    if explicit:
        return explicit
    return "ci" if os.environ.get("EXAMKIT_CI", "") not in {"", "0"} else "examkit"


settings.load_profile(_profile())
