"""A Flemish school's pupil is erased by the school's test coordinator (PRIV-3).

The people of :mod:`tests.privacy.export_people` are seeded; the Flemish
pupil is held by the school's registration (kept under the ``flemish``
term) and named in the audit trail (pseudonymised). A Dutch administrator
may not erase them; a second erasure changes nothing.
"""

from __future__ import annotations

import hashlib
import hmac

import pytest
from tests.privacy.export_people import FLEMISH_PUPIL, SCHOOL
from tests.privacy.test_export import seed

from examkit.backends.memory import MemoryBackend
from examkit.errors import NotPermitted
from examkit.privacy import PrivacySettings
from examkit.testing import ManualClock
from examkit.testing._actors import store_actor
from examkit.testing.sessions import START, make_session_kit

KEY = b"pseudonym-key-of-the-flemish-test"


def _pseudonym(label: str) -> str:
    """PRIV-3's pseudonym, computed here on its own: HMAC-SHA256 of the label, key id k9."""
    return "pseudonym:k9:" + hmac.new(KEY, label.encode(), hashlib.sha256).hexdigest()


@pytest.mark.req("PRIV-3")
def test_the_schools_test_coordinator_erases_a_flemish_pupil() -> None:
    kit = make_session_kit(
        ManualClock(START),
        backend=MemoryBackend(),
        privacy=PrivacySettings(pseudonym_key=KEY, pseudonym_key_id="k9"),
    )
    seed(kit.backend)
    store_actor(
        kit.backend,
        "coordinator",
        [("vlaamse_toetsen.test_coordinator", [SCHOOL])],
        institutions=(),
    )
    with pytest.raises(NotPermitted):  # a Dutch school's administrator: not at that school
        kit.privacy_erasure.erase("administrator", FLEMISH_PUPIL)
    report = kit.privacy_erasure.erase("coordinator", FLEMISH_PUPIL)
    assert report.changed
    assert ["flemish_registrations"] == [kept.record for kept in report.kept]
    assert "flemish" == report.kept[0].term
    with kit.backend.begin(readonly=True) as uow:
        subjects = {event.subject for event in uow.audit.list(limit=1000).items}
    assert FLEMISH_PUPIL.label not in subjects
    assert _pseudonym(FLEMISH_PUPIL.label) in subjects
    assert not kit.privacy_erasure.erase("coordinator", FLEMISH_PUPIL).changed
