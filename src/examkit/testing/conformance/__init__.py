"""The backend conformance suite: prove that a backend keeps examkit's storage promises.

Every backend, ours and a third party's, runs the same suite. Subclass
:class:`BackendConformance` in a test module and override the one
``backend`` fixture to return a fresh, empty backend::

    import pytest
    from examkit.testing.conformance import BackendConformance

    class TestMyBackend(BackendConformance):
        @pytest.fixture
        def backend(self):
            return MyBackend()

A backend that cannot do something declares it in its
:class:`~examkit.storage.Capabilities` and the tests that need it are
skipped. The contracts can also be taken one by one
(:class:`UnitOfWorkContract`, :class:`InstitutionRepositoryContract`,
:class:`GetManyContract`,
:class:`AuthorizationRepositoryContract`, :class:`FederationContract`, ...).
Needs the ``testing`` extra (pytest, hypothesis).
"""

from examkit.testing.conformance._applications import (
    ApplicationRepositoryContract,
    make_application,
)
from examkit.testing.conformance._audit import AuditPseudonymContract, AuditStoreContract
from examkit.testing.conformance._auth import (
    AuthenticatorRepositoryContract,
    EmailChangeRepositoryContract,
    SentReminderRepositoryContract,
    SignInTransactionRepositoryContract,
    TrustedBrowserRepositoryContract,
    check_versioned_repository,
    make_browser,
    make_reminder,
    make_transaction,
)
from examkit.testing.conformance._correction import (
    CorrectionRepositoriesContract,
    make_correction,
    make_sheet,
)
from examkit.testing.conformance._declared import check_declared_record
from examkit.testing.conformance._federation import (
    FederationContract,
    check_pending_taken_once,
    check_replay_store_one_wins,
    make_link,
    make_pending,
)
from examkit.testing.conformance._imports import (
    ImportRepositoryContract,
    make_class_list,
    make_pupil,
)
from examkit.testing.conformance._limits import (
    AttemptCounterContract,
    check_concurrent_recording_loses_nothing,
)
from examkit.testing.conformance._machine import BackendStateMachine, StateMachineContract
from examkit.testing.conformance._many import GetManyContract
from examkit.testing.conformance._repositories import (
    AccountRepositoryContract,
    InstitutionRepositoryContract,
)
from examkit.testing.conformance._roles import AuthorizationRepositoryContract
from examkit.testing.conformance._sessions import SessionRepositoriesContract
from examkit.testing.conformance._support import (
    NOW,
    BackendFixtures,
    make_account,
    make_flemish_institution,
    make_grant,
    make_institution,
    run_concurrently,
)
from examkit.testing.conformance._tokens import (
    TokenStoreContract,
    check_concurrent_consumers_one_wins,
)
from examkit.testing.conformance._units import UnitOfWorkContract
from examkit.testing.conformance._values import EDGE_VALUES, StoredValuesContract
from examkit.testing.conformance._websessions import WebSessionRepositoryContract, make_web_session

__all__ = [
    "EDGE_VALUES",
    "NOW",
    "AccountRepositoryContract",
    "ApplicationRepositoryContract",
    "AttemptCounterContract",
    "AuditPseudonymContract",
    "AuditStoreContract",
    "AuthenticatorRepositoryContract",
    "AuthorizationRepositoryContract",
    "BackendConformance",
    "BackendFixtures",
    "BackendStateMachine",
    "CorrectionRepositoriesContract",
    "EmailChangeRepositoryContract",
    "FederationContract",
    "GetManyContract",
    "ImportRepositoryContract",
    "InstitutionRepositoryContract",
    "SentReminderRepositoryContract",
    "SessionRepositoriesContract",
    "SignInTransactionRepositoryContract",
    "StateMachineContract",
    "StoredValuesContract",
    "TokenStoreContract",
    "TrustedBrowserRepositoryContract",
    "UnitOfWorkContract",
    "WebSessionRepositoryContract",
    "check_concurrent_consumers_one_wins",
    "check_concurrent_recording_loses_nothing",
    "check_declared_record",
    "check_pending_taken_once",
    "check_replay_store_one_wins",
    "check_versioned_repository",
    "make_account",
    "make_application",
    "make_browser",
    "make_class_list",
    "make_correction",
    "make_flemish_institution",
    "make_grant",
    "make_institution",
    "make_link",
    "make_pending",
    "make_pupil",
    "make_reminder",
    "make_sheet",
    "make_transaction",
    "make_web_session",
    "run_concurrently",
]


class BackendConformance(
    UnitOfWorkContract,
    InstitutionRepositoryContract,
    GetManyContract,
    AccountRepositoryContract,
    AuthorizationRepositoryContract,
    SessionRepositoriesContract,
    ImportRepositoryContract,
    ApplicationRepositoryContract,
    CorrectionRepositoriesContract,
    AttemptCounterContract,
    TokenStoreContract,
    AuditStoreContract,
    AuditPseudonymContract,
    SignInTransactionRepositoryContract,
    TrustedBrowserRepositoryContract,
    SentReminderRepositoryContract,
    EmailChangeRepositoryContract,
    AuthenticatorRepositoryContract,
    StateMachineContract,
    StoredValuesContract,
    WebSessionRepositoryContract,
    FederationContract,
):
    """Every contract of the storage port at once: subclass it and override ``backend``."""
