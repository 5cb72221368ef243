"""Candidates sitting the test: sign in with the access code, save responses, hand in."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

import attrs

from examkit.errors import (
    ConcurrentModification,
    InvalidInput,
    InvalidState,
    LimitReached,
    NotFound,
    NotPermitted,
)
from examkit.scheduling._attempts import (
    Attempt,
    AttemptEvent,
    CandidateSession,
    ResponseReceipt,
    SavedResponse,
    attempt_id,
    deadline_of,
)
from examkit.scheduling._codes import candidate_key, normalise_access_code, same_key
from examkit.scheduling._common import move_attempt, text_of
from examkit.scheduling._held import refuse_if_group_held, refuse_if_held
from examkit.scheduling._lifecycle import AttemptState, GroupState
from examkit.scheduling._model import (
    TestSessionGroup,
    is_login_name,
)
from examkit.scheduling._pages import (
    MAX_EPOCH,
    SittingPage,
    SittingRules,
    page_of,
    seconds_until,
)
from examkit.storage import check_sequence, json_value, storable_key
from examkit.usecase import Ports, UseCase

if TYPE_CHECKING:
    from examkit.records import UnitOfWork

CANDIDATE_SIGN_IN: Final = "sessions.sign_in"
"""The attempt counter's purpose for a candidate's wrong sign-ins (keyed by login name).

A login name that cannot be one (not 4-20 of A-Z and 0-9 once upper-cased)
is counted under its digest (:func:`~examkit.storage.storable_key`)."""


@attrs.frozen
class CandidateSignInLimits:
    """How many wrong sign-ins one candidate may make in a window.

    Wrong codes count per login name only: guessing under one name never
    locks out another candidate or the group (a school room shares one
    address, and classmates know each other's login names).

    Implements AUTH-12 and SCH-6.
    """

    per_candidate: int = 5
    """Wrong access codes per login name in the window."""
    window: timedelta = timedelta(minutes=15)
    """The sliding window."""


class Sitting:
    """Candidates sitting the test (``kit.sitting``): the exam day's hot path.

    A candidate is no account: they sign in with their login name and the
    group's access code, and the key their sign-in gives binds their saves
    and hand-in to them. The candidates of a group held by an offline server
    sit there (SCH-7): centrally each of these use cases refuses them with
    ``offline.group.held`` (:func:`~examkit.scheduling.refuse_if_held`).

    Args:
        ports: The wired ports; the candidates' keys are keyed digests under
            its ``token_key``, so keys hold across processes.
        limits: The sign-in limits.
        rules: The exam day's numbers: grace, lost connection, heartbeat.

    Implements SCH-4, SCH-6, SCH-7 and AUTH-12.
    """

    def __init__(
        self,
        ports: Ports,
        limits: CandidateSignInLimits | None = None,
        rules: SittingRules | None = None,
    ) -> None:
        self._ports = ports
        self._limits = limits if limits is not None else CandidateSignInLimits()
        self._rules = rules if rules is not None else SittingRules()
        self._items: dict[str, frozenset[str]] = {}
        self._exams: dict[str, str] = {}
        self._offline: dict[str, bool] = {}
        self._known: dict[tuple[str, str], tuple[str, str, str]] = {}

    def _items_of_group(self, uow: UnitOfWork, group_id: str) -> frozenset[str]:
        """Return the item ids of group *group_id*'s test, read in *uow* the first time.

        Kept once read, a bounded number of them: a group's test never
        changes once planned, nor does a stored test (the exam day's saves
        then need no read besides their own write).

        Raises:
            NotFound: there is no such group.
        """
        exam = self._exams.get(group_id)
        if exam is None:
            group = uow.session_groups.get(group_id)
            exam = group.exam
            if len(self._exams) >= 4096:
                self._exams.clear()
                self._offline.clear()
            self._exams[group_id] = exam
            self._offline[group_id] = group.offline_server is not None
        items = self._items.get(exam)
        if items is None:
            items = frozenset(slot.id for slot in uow.exams.get(exam).items)
            if len(self._items) < 1024:
                self._items[exam] = items
        return items

    def attempt(self, group_id: str, candidate: str) -> Attempt:
        """Return *candidate*'s attempt in group *group_id*, with the responses saved so far.

        Raises:
            NotFound: there is none.

        Implements SCH-4.
        """
        with self._ports.backend.begin(readonly=True) as uow:
            return uow.test_attempts.get(attempt_id(group_id, candidate))

    def sign_in(self, login_name: str, access_code: str) -> CandidateSession:
        """Sign a candidate in with login name + access code, and start (or re-enter) the test.

        The code is only valid while the candidate's group is released.
        A candidate whose test is running signs in again (another computer,
        a browser closed by mistake) when the proctor allowed it or when
        their connection is lost. Wrong codes are counted per login name (never per group: one
        candidate cannot lock out the others) with the atomic attempt
        counter; past the limit every code, right or wrong, gets the same
        refusal until the window passes. A login name that cannot be one
        is refused like a wrong code, counted under its digest. Every
        refusal is audited.

        Returns:
            The attempt and the key that binds the candidate's saves and
            hand-in to this sign-in (:class:`CandidateSession`).

        Raises:
            InvalidInput: the login name or access code is not text.
            NotPermitted: the login name and code do not match a released group (one message).
            LimitReached: too many wrong codes for this login name.
            InvalidState: the group is blocked, or the attempt is paused, over, or
                running with its page still in contact (the proctor did not allow
                re-entry and the connection is not lost:
                :attr:`SittingRules.connection_lost_after`).

        Implements AUTH-12 and SCH-6.
        """
        login = storable_key(text_of(login_name, "login_name").strip().upper())
        code = normalise_access_code(text_of(access_code, "access_code"))
        limits = self._limits
        subject = f"candidate:{login}"
        with UseCase(self._ports, "sessions.sign_in", subject) as unit:
            uow, now = unit.uow, unit.now
            wrong = uow.counters.peek(CANDIDATE_SIGN_IN, login, now=now, limit=limits.per_candidate)
            if wrong.reached:
                raise LimitReached("sessions.sign_in.limit")
            match = _find_group(uow, login, code)
            if match is None:
                # the wrong code counts even though the sign-in is refused: kept on its own
                uow.counters.record(
                    CANDIDATE_SIGN_IN,
                    login,
                    now=now,
                    window=limits.window,
                    limit=limits.per_candidate,
                )
                unit.commit()
                unit.refuse(NotPermitted("sessions.sign_in.invalid"))  # audited as denied
            group, attempt = match
            refuse_if_held(group)
            stored = uow.test_attempts.update(_enter(group, attempt, now, self._rules))
            if wrong.count:
                uow.counters.reset(CANDIDATE_SIGN_IN, login)
            unit.commit()
        key = self._attempt(stored.group, stored.candidate)[0]
        return CandidateSession(attempt=stored, key=key)

    def _attempt(self, group: str, person: str) -> tuple[str, str, str]:
        """Return the key *person*'s sign-in in *group* gives, the attempt's id and audit subject.

        Kept per instance, a bounded number: the same for every save of an
        attempt (the key's HMAC was a tenth of a save).
        """
        known = self._known.get((group, person))
        if known is None:
            found = attempt_id(group, person)
            known = (
                candidate_key(self._ports.token_key, group, person),
                found,
                f"attempt:{storable_key(found)}",
            )
            if len(self._known) >= 65536:
                self._known.clear()
            self._known[group, person] = known
        return known

    def _checked(self, group: str, person: str, key: str, known: tuple[str, str, str]) -> str:
        """Return the attempt's id if *key* is the key its candidate's sign-in gave.

        Raises:
            NotPermitted: it is not (under the token key, nor under a retired one).
        """
        expected, found, _ = known
        if not same_key(key, expected) and not any(
            same_key(key, candidate_key(retired, group, person))
            for retired in self._ports.retired_token_keys.values()
        ):
            raise NotPermitted("sessions.candidate.key")
        return found

    def save_response(
        self, group_id: str, candidate: str, item: str, value: Any, *, sequence: int, key: str
    ) -> ResponseReceipt:
        """Save a candidate's response to *item*, as given, under the client's *sequence*.

        Only with the *key* the candidate's sign-in gave
        (:attr:`CandidateSession.key`). Idempotent: a save whose sequence
        number is not above the last one accepted (a resend, or an older save
        arriving late) changes nothing (the receipt says it was not stored,
        and whether a newer page saved after it: ``superseded``). A page
        numbers its saves with its epoch and counter
        (:func:`~examkit.scheduling.page_sequence`), so a reloaded page or a
        second tab never overwrites a newer answer. The last save per item
        counts; a save is a contact too (:attr:`Attempt.last_contact`).
        Nothing is accepted after submission or after the deadline plus the
        grace (:attr:`SittingRules.grace`): such a late save is refused and
        counted (:attr:`Attempt.late_saves`, the only thing the refusal
        stores). A save is one step in storage
        (:meth:`AttemptRepository.record_response`), so two devices saving at
        once never overwrite each other's items. The item is checked against
        the group's test (kept once read: it never changes).

        *value* is checked before storage (:func:`~examkit.storage.json_value`:
        JSON data, finite numbers within ±2^53-1, valid Unicode without NUL,
        nested at most 32 deep) and *sequence* too (1 to 2^31-1,
        :func:`~examkit.storage.check_sequence`), so every backend stores and
        returns the same, or refuses the same.

        Raises:
            NotFound: there is no such attempt.
            NotPermitted: *key* is not the one this candidate's sign-in gave.
            InvalidInput: *item* is not an item of the test, or *sequence* or *value*
                cannot be stored (``storage.value.*``).
            InvalidState: the attempt is not in progress, or its deadline (plus
                the grace) has passed.

        Implements SCH-4 and SCH-7.
        """
        group, person = text_of(group_id, "group_id"), text_of(candidate, "candidate")
        given = text_of(key, "key")
        known = self._attempt(group, person)
        with UseCase(self._ports, "sessions.response", known[2]) as unit:
            found = self._checked(group, person, given, known)
            check_sequence(sequence)
            response = SavedResponse(value=json_value(value), sequence=sequence, saved_at=unit.now)
            text_of(item, "item")
            uow = unit.uow
            try:
                items = self._items_of_group(uow, group)
            except NotFound:
                raise NotFound(kind="attempt", key=found) from None
            if item not in items:
                raise InvalidInput("sessions.response.item", field="item", item=item)
            if self._offline.get(group, True):
                # only an offline group can be held: an online group's saves read nothing more
                refuse_if_group_held(uow, group)
            # the deadline is checked against now less the grace: saves count that long after it
            grace = self._rules.grace
            recorded = uow.test_attempts.record_response(
                found, item, response, now=unit.now - grace, then_commit=True
            )
            if recorded is not None:
                unit.commit()
                return ResponseReceipt(
                    attempt=found,
                    item=item,
                    sequence=sequence,
                    stored=True,
                    last_sequence=sequence,
                    deadline=recorded.deadline,
                )
            attempt = uow.test_attempts.get(found)
            if sequence <= attempt.last_sequence:
                return ResponseReceipt(
                    attempt=found,
                    item=item,
                    sequence=sequence,
                    stored=False,
                    last_sequence=attempt.last_sequence,
                    deadline=attempt.deadline,
                    superseded=page_of(attempt.last_sequence)[0] > page_of(sequence)[0],
                )
            late = attempt.state.is_final or (
                attempt.deadline is not None and unit.now >= attempt.deadline + grace
            )
            if late:
                # the refusal keeps only the count
                uow.test_attempts.update(attrs.evolve(attempt, late_saves=attempt.late_saves + 1))
                unit.commit()
                if attempt.state.is_final:
                    unit.refuse(
                        InvalidState("sessions.response.not_in_progress", state=attempt.state.value)
                    )
                unit.refuse(InvalidState("sessions.response.deadline"))
            if attempt.state is not AttemptState.IN_PROGRESS:
                raise InvalidState("sessions.response.not_in_progress", state=attempt.state.value)
            raise ConcurrentModification(kind="attempt", key=found)  # changed between two reads

    def open_page(self, group_id: str, candidate: str, *, key: str) -> SittingPage:
        """Open a page of the candidate's test: reserve its epoch, return every answer so far.

        Each page load (a reload, a second tab, a new computer) gets an epoch
        higher than every earlier one of the attempt, stored (so it holds
        across a restart of the server); the page numbers its saves with it
        (:func:`~examkit.scheduling.page_sequence`), so the newest page's
        saves win. A page load is a contact (:attr:`Attempt.last_contact`).
        Only with the *key* the candidate's sign-in gave.

        Raises:
            NotFound: there is no such attempt.
            NotPermitted: *key* is not the one this candidate's sign-in gave.
            InvalidState: the attempt is not in progress or paused
                (``sessions.page.not_open``: over, never started, or its deadline
                plus the grace has passed: no save would be taken), or it has
                had :data:`~examkit.scheduling.MAX_EPOCH` pages (``sessions.page.epochs``).

        Implements SCH-4 and SCH-7.
        """
        group, person = text_of(group_id, "group_id"), text_of(candidate, "candidate")
        given = text_of(key, "key")
        known = self._attempt(group, person)
        with UseCase(self._ports, "sessions.page.open", known[2]) as unit:
            found = self._checked(group, person, given, known)
            attempt = unit.uow.test_attempts.get(found)
            _refuse_if_held(unit.uow, attempt)
            now = unit.now
            if attempt.state not in {AttemptState.IN_PROGRESS, AttemptState.PAUSED}:
                raise InvalidState("sessions.page.not_open", state=attempt.state.value)
            if attempt.deadline is not None and now >= attempt.deadline + self._rules.grace:
                raise InvalidState("sessions.page.not_open", state=AttemptState.TIMED_OUT.value)
            epoch = max(attempt.page_epoch, page_of(attempt.last_sequence)[0]) + 1
            if epoch > MAX_EPOCH:
                raise InvalidState("sessions.page.epochs", maximum=MAX_EPOCH)
            stored = unit.uow.test_attempts.update(
                attrs.evolve(attempt, page_epoch=epoch, last_contact=now)
            )
            unit.commit()
        return SittingPage(
            attempt=stored, epoch=epoch, seconds_left=seconds_until(stored.deadline, now)
        )

    def contact(self, group_id: str, candidate: str, *, key: str) -> Attempt:
        """Record the page's heartbeat: the candidate is still there; return the attempt.

        Stored at most every :attr:`SittingRules.contact_every` (the attempt
        is only read in between), so a page may beat often. The attempt
        tells the page its state and deadline (a proctor's pause, extra
        time, the end). Only with the *key* the candidate's sign-in gave.

        Raises:
            NotFound: there is no such attempt.
            NotPermitted: *key* is not the one this candidate's sign-in gave.

        Implements SCH-4.
        """
        group, person = text_of(group_id, "group_id"), text_of(candidate, "candidate")
        given = text_of(key, "key")
        known = self._attempt(group, person)
        with UseCase(self._ports, "sessions.contact", known[2]) as unit:
            found = self._checked(group, person, given, known)
            attempt = unit.uow.test_attempts.get(found)
            _refuse_if_held(unit.uow, attempt)
            now = unit.now
            last = attempt.last_contact
            if attempt.state.is_final or (
                last is not None and now - last < self._rules.contact_every
            ):
                return attempt
            stored = unit.uow.test_attempts.update(attrs.evolve(attempt, last_contact=now))
            unit.commit()
        return stored

    def submit(self, group_id: str, candidate: str, *, key: str) -> Attempt:
        """Hand in the candidate's test (*inleveren*); nothing is accepted after it.

        Only with the *key* the candidate's sign-in gave (:attr:`CandidateSession.key`).

        Raises:
            NotPermitted: *key* is not the one this candidate's sign-in gave.
            TransitionNotAllowed: the attempt is not in progress.

        Implements SCH-4.
        """
        group, person = text_of(group_id, "group_id"), text_of(candidate, "candidate")
        given = text_of(key, "key")
        known = self._attempt(group, person)
        with UseCase(self._ports, "sessions.attempt.submit", known[2]) as unit:
            found = self._checked(group, person, given, known)
            now = unit.now
            attempt = unit.uow.test_attempts.get(found)
            _refuse_if_held(unit.uow, attempt)
            timed_out = (
                attempt.state is AttemptState.IN_PROGRESS
                and attempt.deadline is not None
                and now >= attempt.deadline
            )
            event = "time_out" if timed_out else "submit"
            stored = unit.uow.test_attempts.update(move_attempt(attempt, event, now))
            unit.commit()
        return stored


def _refuse_if_held(uow: UnitOfWork, attempt: Attempt) -> None:
    """Refuse while an offline server holds *attempt*'s group (only an offline one can be)."""
    if attempt.offline_server is not None:
        refuse_if_group_held(uow, attempt.group)


def _find_group(uow: UnitOfWork, login: str, code: str) -> tuple[TestSessionGroup, Attempt] | None:
    """Return the released (or blocked) group whose live code is *code*, with *login*'s attempt."""
    if not is_login_name(login):
        return None  # no candidate has it: the backend is not asked
    try:
        candidate = uow.candidates.get_by_login_name(login)
    except NotFound:
        return None
    for attempt in uow.test_attempts.list_for_candidate(candidate.id):
        group = uow.session_groups.get(attempt.group)
        if group.state not in {GroupState.RELEASED, GroupState.BLOCKED}:
            continue
        if group.access_code is not None and normalise_access_code(group.access_code) == code:
            return group, attempt
    return None


def _enter(
    group: TestSessionGroup, attempt: Attempt, now: datetime, rules: SittingRules
) -> Attempt:
    """Return *attempt* started (or re-entered) now, or refuse why the candidate cannot enter.

    A running attempt is re-entered when the proctor allowed it, or when its
    connection is lost (logged as such).
    """
    if group.state is GroupState.BLOCKED:
        raise InvalidState("sessions.sign_in.blocked")
    if attempt.state is AttemptState.REGISTERED:
        return move_attempt(
            attempt,
            "start",
            now,
            started_at=now,
            last_contact=now,
            deadline=deadline_of(now, group.duration, attempt.extra_time, group.ends_at),
        )
    lost = rules.connection_lost_since(attempt, now) is not None
    if attempt.state is AttemptState.IN_PROGRESS and (attempt.reentry_allowed or lost):
        reason = "" if attempt.reentry_allowed else "connection_lost"
        return attrs.evolve(
            attempt,
            reentry_allowed=False,
            last_contact=now,
            log=(*attempt.log, AttemptEvent("sign_in", now, reason=reason)),
        )
    if attempt.state is AttemptState.IN_PROGRESS:
        raise InvalidState("sessions.sign_in.running")
    if attempt.state is AttemptState.PAUSED:
        raise InvalidState("sessions.sign_in.paused")
    raise InvalidState("sessions.sign_in.finished")
