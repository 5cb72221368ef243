"""Conformance: random sequences of operations against a reference model."""

from __future__ import annotations

from typing import Any

import attrs
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from examkit.accounts import Account, LoginName
from examkit.errors import AlreadyExists, ConcurrentModification, ExamkitError, NotFound
from examkit.identifiers import Brin
from examkit.org import Institution
from examkit.records import Backend, UnitOfWork
from examkit.testing.conformance._support import (
    BackendFixtures,
    make_account,
    make_institution,
)

BRINS = ("11AA", "22AB", "33CD")
ACCOUNT_IDS = ("a1", "a2", "a3")
LOGIN_NAMES = ("22AB.Eerste", "22AB.Tweede", "22ab.EERSTE", "33CD.Derde")


def _wipe(backend: Backend) -> None:
    with backend.begin() as uow:
        while institutions := uow.institutions.list(limit=1000).items:
            for institution in institutions:
                uow.institutions.remove(institution.code)
        while accounts := uow.accounts.list(limit=1000).items:
            for account in accounts:
                uow.accounts.remove(account.id)
        uow.commit()


class BackendStateMachine(RuleBasedStateMachine):
    """Random add / get / update / remove / commit / rollback against a reference model.

    The model is two dicts (committed and pending) of what each aggregate
    should hold; every step compares the backend's answer with the model's,
    including which error is raised.
    """

    backend: Backend

    def __init__(self) -> None:
        super().__init__()
        _wipe(self.backend)
        self.committed_institutions: dict[str, Institution] = {}
        self.committed_accounts: dict[str, Account] = {}
        self.pending_institutions: dict[str, Institution] = {}
        self.pending_accounts: dict[str, Account] = {}
        self.uow: UnitOfWork | None = None

    # -- units of work -------------------------------------------------
    @precondition(lambda self: self.uow is None)
    @rule()
    def begin(self) -> None:
        """Open a writing unit."""
        self.uow = self.backend.begin()
        self.pending_institutions = dict(self.committed_institutions)
        self.pending_accounts = dict(self.committed_accounts)

    @precondition(lambda self: self.uow is not None)
    @rule()
    def commit(self) -> None:
        """Commit: the pending model becomes the committed one."""
        assert self.uow is not None
        self.uow.commit()
        self.uow = None
        self.committed_institutions = dict(self.pending_institutions)
        self.committed_accounts = dict(self.pending_accounts)

    @precondition(lambda self: self.uow is not None)
    @rule()
    def rollback(self) -> None:
        """Roll back: the pending model is dropped."""
        assert self.uow is not None
        self.uow.rollback()
        self.uow = None

    # -- institutions --------------------------------------------------
    @precondition(lambda self: self.uow is not None)
    @rule(brin=st.sampled_from(BRINS), secondary=st.integers(0, 2))
    def add_institution(self, brin: str, secondary: int) -> None:
        """Add an institution; a taken code must be refused."""
        assert self.uow is not None
        item = make_institution(brin, secondary=secondary)
        if brin in self.pending_institutions:
            try:
                self.uow.institutions.add(item)
            except AlreadyExists:
                return
            raise AssertionError("a duplicate institution was accepted")
        stored = self.uow.institutions.add(item)
        assert stored.version == 1
        self.pending_institutions[brin] = stored

    @precondition(lambda self: self.uow is not None)
    @rule(brin=st.sampled_from(BRINS), name=st.sampled_from(["Noord", "Zuid"]), stale=st.booleans())
    def rename_institution(self, brin: str, name: str, stale: bool) -> None:
        """Update an institution, sometimes from a stale version."""
        assert self.uow is not None
        current = self.pending_institutions.get(brin)
        if current is None:
            try:
                self.uow.institutions.update(make_institution(brin))
            except NotFound:
                return
            raise AssertionError("an update of a missing institution was accepted")
        version = current.version - 1 if stale else current.version
        changed = attrs.evolve(current, name=name, version=version)
        if stale:
            try:
                self.uow.institutions.update(changed)
            except ConcurrentModification:
                return
            raise AssertionError("a stale update was accepted")
        stored = self.uow.institutions.update(changed)
        assert stored.version == current.version + 1
        self.pending_institutions[brin] = stored

    @precondition(lambda self: self.uow is not None)
    @rule(brin=st.sampled_from(BRINS))
    def remove_institution(self, brin: str) -> None:
        """Remove an institution; a missing one must be refused."""
        assert self.uow is not None
        if brin not in self.pending_institutions:
            try:
                self.uow.institutions.remove(Brin(brin))
            except NotFound:
                return
            raise AssertionError("removing a missing institution was accepted")
        self.uow.institutions.remove(Brin(brin))
        del self.pending_institutions[brin]

    # -- accounts ------------------------------------------------------
    @precondition(lambda self: self.uow is not None)
    @rule(account_id=st.sampled_from(ACCOUNT_IDS), login=st.sampled_from(LOGIN_NAMES))
    def add_account(self, account_id: str, login: str) -> None:
        """Add an account; a taken id or login name (case ignored) must be refused."""
        assert self.uow is not None
        taken = account_id in self.pending_accounts or any(
            a.login_name == LoginName(login) for a in self.pending_accounts.values()
        )
        item = make_account(account_id, login)
        if taken:
            try:
                self.uow.accounts.add(item)
            except AlreadyExists:
                return
            raise AssertionError("a duplicate account was accepted")
        self.pending_accounts[account_id] = self.uow.accounts.add(item)

    @precondition(lambda self: self.uow is not None)
    @rule(account_id=st.sampled_from(ACCOUNT_IDS), login=st.sampled_from(LOGIN_NAMES))
    def rename_account(self, account_id: str, login: str) -> None:
        """Change an account's login name; a name taken by another must be refused."""
        assert self.uow is not None
        current = self.pending_accounts.get(account_id)
        if current is None:
            return
        wanted = LoginName(login)
        taken = any(
            a.login_name == wanted for key, a in self.pending_accounts.items() if key != account_id
        )
        changed = attrs.evolve(current, login_name=wanted)
        if taken:
            try:
                self.uow.accounts.update(changed)
            except AlreadyExists:
                return
            raise AssertionError("a taken login name was accepted")
        self.pending_accounts[account_id] = self.uow.accounts.update(changed)

    @precondition(lambda self: self.uow is not None)
    @rule(account_id=st.sampled_from(ACCOUNT_IDS))
    def remove_account(self, account_id: str) -> None:
        """Remove an account."""
        assert self.uow is not None
        if account_id not in self.pending_accounts:
            try:
                self.uow.accounts.remove(account_id)
            except NotFound:
                return
            raise AssertionError("removing a missing account was accepted")
        self.uow.accounts.remove(account_id)
        del self.pending_accounts[account_id]

    # -- checks --------------------------------------------------------
    @invariant()
    def the_open_unit_matches_the_pending_model(self) -> None:
        """The open unit reads exactly the pending model."""
        if self.uow is None:
            return
        _assert_matches(self.uow, self.pending_institutions, self.pending_accounts)

    @invariant()
    def a_reader_sees_the_committed_model(self) -> None:
        """A new reading unit reads exactly the committed model."""
        with self.backend.begin(readonly=True) as reader:
            _assert_matches(reader, self.committed_institutions, self.committed_accounts)

    def teardown(self) -> None:
        """Close any open unit."""
        if self.uow is not None:
            self.uow.rollback()


def _assert_matches(
    uow: UnitOfWork, institutions: dict[str, Institution], accounts: dict[str, Account]
) -> None:
    listed = uow.institutions.list(limit=1000).items
    assert [str(i.code) for i in listed] == sorted(institutions)
    for item in listed:
        expected = institutions[str(item.code)]
        assert (item, item.version) == (expected, expected.version)
        for location in item.locations:
            assert uow.institutions.get_by_location(location.code).code == item.code
    for brin in BRINS:
        if brin not in institutions:
            try:
                uow.institutions.get(Brin(brin))
            except NotFound:
                continue
            raise AssertionError(f"{brin} should not exist")
    listed_accounts = uow.accounts.list(limit=1000).items
    assert sorted(a.id for a in listed_accounts) == sorted(accounts)
    for account in listed_accounts:
        expected_account = accounts[account.id]
        assert (account, account.version) == (expected_account, expected_account.version)
        assert uow.accounts.get_by_login_name(account.login_name).id == account.id


class StateMachineContract(BackendFixtures):
    """The backend agrees with a reference model over random operation sequences."""

    state_machine_settings: Any = settings(
        max_examples=25, stateful_step_count=30, deadline=None, database=None
    )
    """Hypothesis settings for the run; a subclass may raise the counts."""

    def test_random_operations_match_a_reference_model(self, backend: Backend) -> None:
        """Random add/get/update/remove/commit/rollback sequences never diverge from the model."""
        machine = type("BoundBackendStateMachine", (BackendStateMachine,), {"backend": backend})
        try:
            run_state_machine_as_test(machine, settings=self.state_machine_settings)
        except ExamkitError as error:  # pragma: no cover - reported with context
            raise AssertionError(f"the backend raised unexpectedly: {error!r}") from error
