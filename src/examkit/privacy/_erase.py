"""Erasing one person's data, everywhere, in one unit of work (PRIV-3).

:meth:`PrivacyErasure.erase` removes everything about one person that is not
under retention: every record :func:`~examkit.privacy.find_person` finds is
deleted, stripped of the person or kept, as :data:`ERASURE_RULES` says; the
account's tokens are revoked and its counted tries forgotten; the audit
trail keeps its events but names the person only by their pseudonym
(:func:`~examkit.privacy.pseudonym_of`,
:meth:`~examkit.audit.AuditStore.pseudonymise`); every offline server that
was sent an erased candidate or account is sent the erasure through the
sync (its records, its trail, its up entries or sign-ins:
:class:`~examkit.offline.CandidateErasure`,
:class:`~examkit.offline.AccountErasure`). What stays under a retention
term (a candidate's exam work for six months after the result is set) is
named in the :class:`ErasureReport`, with its term and the day it ends. A
second erasure changes nothing and says so (:attr:`ErasureReport.changed`).

Who may: a school's administrator (``facet``, ``cito_lvs`` or ``ce_portal``
``.privacy.erase``) for the pupils and candidates of the locations they
administer; the operator (``examkit.privacy.erase``) for an account, which
may belong to several institutions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, Final

import attrs

from examkit.errors import NotPermitted
from examkit.offline import (
    AccountErasure,
    CandidateErasure,
    account_names,
    candidate_names,
    forget_sign_ins,
    queue_erasure,
    servers_sent,
)
from examkit.permissions import Place
from examkit.privacy._access import place_of
from examkit.privacy._erase_rules import ERASURE_RULES, Erasing, ErasureRule, rule_for
from examkit.privacy._locate import find_person
from examkit.privacy._person import PersonRef
from examkit.privacy._pseudonym import pseudonym_of
from examkit.privacy._retention import retention_period, retention_term
from examkit.privacy._settings import PrivacySettings
from examkit.records import RECORDS, RecordsUnit
from examkit.scheduling import AttemptState
from examkit.storage import AUDIT, RecordType
from examkit.usecase import Ports, UseCase

ERASE_PERSON: Final = (
    "facet.privacy.erase",
    "cito_lvs.privacy.erase",
    "ce_portal.privacy.erase",
    "vlaamse_toetsen.privacy.erase",
)
"""The actions that allow erasing a pupil or candidate, at the person's location (a Flemish
school's pupil: at the school, the test coordinator's)."""

ERASE_ACCOUNT: Final = "examkit.privacy.erase"
"""The action that allows erasing an account (the operator's)."""

PERSONAL_DETAILS: Final = ("ip",)
"""Audit details that identify the person where they acted (the address they came from)."""

PUPIL_RECORDS: Final = tuple(
    rule.record for rule in ERASURE_RULES if rule.kind == "pupil" and rule.record != "candidates"
)
"""The records a pupil is found in as a pupil; the candidates made from them are erased as
candidates."""

_BY_NAME: Final[Mapping[str, RecordType[Any, Any]]] = {record.name: record for record in RECORDS}


@attrs.frozen
class Kept:
    """Records of the person that stay, and why."""

    record: str
    """The record kind."""
    count: int
    """How many."""
    term: str
    """The retention term they are kept under (``examkit.privacy.RETENTION_TERMS``)."""
    until: datetime | None
    """When the term ends for them; ``None``: it has not started yet (the result is not
    set) or runs as long as the record is kept."""
    why: str
    """What they are (English)."""

    @property
    def source(self) -> str:
        """The legal reason: where the term's period comes from (a regulation's article)."""
        return retention_term(self.term).source


@attrs.frozen
class ErasureReport:
    """What an erasure did, and what stays and until when."""

    person: PersonRef
    """Who was erased."""
    pseudonym: str
    """What the audit trail names them by now."""
    erased: Mapping[str, int]
    """Records removed, by record kind."""
    stripped: Mapping[str, int]
    """Shared records the person was taken out of, by record kind."""
    audit_events: int
    """Audit events pseudonymised."""
    tokens: int
    """Single-use tokens revoked."""
    offline: int
    """Entries queued for the offline servers that were sent the person."""
    kept: tuple[Kept, ...]
    """What stays, by record kind."""

    @property
    def changed(self) -> bool:
        """Whether the erasure changed anything (a second erasure changes nothing)."""
        return bool(
            self.erased or self.stripped or self.audit_events or self.tokens or self.offline
        )


@attrs.frozen
class _Term:
    """A retention term as it runs for the person now: until when, and whether it still runs."""

    until: datetime | None
    runs: bool


class PrivacyErasure:
    """Erasing one person's data on request (PRIV-3): ``kit.privacy_erasure``.

    Args:
        ports: The wired ports.
        settings: The portal's privacy settings (the pseudonym key, retention periods).
    """

    def __init__(self, ports: Ports, settings: PrivacySettings) -> None:
        self._ports = ports
        self._settings = settings

    def erase(self, actor: str, person: PersonRef) -> ErasureReport:
        """Erase everything about *person* that is not under retention, in one unit of work.

        Raises:
            ConfigurationError: ``privacy.erasure.no_key``: no pseudonym key is set.
            NotPermitted: *actor* may not erase this person (``permission.denied``).

        Implements PRIV-3.
        """
        pseudonym = pseudonym_of(person, self._settings)
        with UseCase(self._ports, "privacy.person.erased", pseudonym, actor=actor) as unit:
            uow = unit.uow
            assert isinstance(uow, RecordsUnit)  # noqa: S101 - every backend's unit is one
            found = find_person(uow, person)
            stored = self._check(unit, person, found)
            work = _Work(uow, self._settings, unit.now, pseudonym)
            events = 0
            if stored:
                if person.kind == "pupil":
                    work.pupil(person, found)
                else:
                    work.person(person, found)
                names = work.names | {person.label}
                events = uow.audit.pseudonymise(names, pseudonym, details=PERSONAL_DETAILS)
            report = work.report(person, pseudonym, events)
            unit.audit(
                details={
                    "kind": person.kind,
                    "changed": "yes" if report.changed else "no",
                    "erased": str(sum(report.erased.values())),
                    "kept": ",".join(sorted({k.record for k in report.kept})),
                }
            )
            unit.commit()
        return report

    def _check(self, unit: UseCase, person: PersonRef, found: Mapping[str, Any]) -> bool:
        """Refuse unless the actor may; return whether anything is stored about the person.

        A candidate of whom nothing is stored has no location to check: any
        school administrator then learns only that, and nothing is changed
        (not even the trail, which the first erasure pseudonymised).
        """
        actor = unit.actor
        if person.kind == "account":
            if not actor.may(ERASE_ACCOUNT):
                raise NotPermitted("permission.denied")
            return True
        place = _place(person, found)
        if not any(actor.may(action, place) for action in ERASE_PERSON):
            raise NotPermitted("permission.denied")
        return place is not None


def _place(person: PersonRef, found: Mapping[str, Sequence[Any]]) -> Place | None:
    """Return the person's location or Flemish school (``None``: no candidate stored).

    Raises:
        NotPermitted: a pupil named with neither a location nor a Flemish school.
    """
    if person.location is not None:
        place = place_of(person.location)
        if place is None:
            raise NotPermitted("permission.denied")
        return place
    candidates = [c for c in found.get("candidates", ()) if c.id == person.id]
    return candidates[0].location if candidates else None


class _Work:
    """One erasure's work inside its unit: what it removed, stripped and kept."""

    def __init__(
        self, uow: RecordsUnit, settings: PrivacySettings, now: datetime, pseudonym: str
    ) -> None:
        self._uow = uow
        self._tx = uow.transaction
        self._settings = settings
        self._now = now
        self._pseudonym = pseudonym
        self.names: set[str] = set()
        self.erased: dict[str, int] = {}
        self.stripped: dict[str, int] = {}
        self.kept: dict[tuple[str, str, datetime | None], tuple[int, str]] = {}
        self.tokens = 0
        self.offline = 0

    # -- who ----------------------------------------------------------------------------

    def _erasing(self, person: PersonRef, found: Mapping[str, Sequence[Any]]) -> Erasing:
        ids, logins, emails = {person.id}, set(), set()
        if person.kind == "account":
            account = self._uow.accounts.get_many([person.id]).get(person.id)
            if account is not None:
                logins.add(str(account.login_name))
                if account.email:
                    emails.add(str(account.email))
            change = self._uow.email_changes.get_many([person.id]).get(person.id)
            if change is not None:
                emails.add(str(change.new_email))
            self.names |= account_names(person.id, logins, emails)
        elif person.kind == "candidate":
            candidate = self._uow.candidates.get_many([person.id]).get(person.id)
            if candidate is not None:
                logins.add(candidate.login_name)
            groups = {attempt.group for attempt in found.get("test_attempts", ())}
            groups |= {group.id for group in found.get("session_groups", ())}
            self.names |= candidate_names(person.id, logins, groups)
        self.names |= ids | logins | emails | {person.label}
        return Erasing(frozenset(ids), frozenset(logins), frozenset(emails))

    # -- a pupil: their imported records, then each candidate made from them -------------

    def pupil(self, person: PersonRef, found: Mapping[str, Sequence[Any]]) -> None:
        """Erase a pupil: their records, then each candidate made from them as a candidate."""
        self.names.add(person.label)
        who = Erasing(frozenset({person.id}))
        for name in PUPIL_RECORDS:
            if found.get(name):
                self._apply(rule_for("pupil", name), _BY_NAME[name], found[name], who, {})
        for candidate in found.get("candidates", ()):
            if candidate.pupil_key == person.id and str(candidate.location) == person.location:
                ref = PersonRef.candidate(candidate.id)
                self.person(ref, find_person(self._uow, ref))

    # -- an account or a candidate -------------------------------------------------------

    def person(self, person: PersonRef, found: Mapping[str, Sequence[Any]]) -> None:
        """Erase an account or a candidate from every record found."""
        who = self._erasing(person, found)
        terms = self._terms(person, found) if person.kind == "candidate" else {}
        changed: list[tuple[str, str, Any]] = []
        for name, items in found.items():
            if name == AUDIT.name:
                continue
            record = _BY_NAME[name]
            changed.extend(self._apply(rule_for(person.kind, name), record, items, who, terms))
        if person.kind == "account":
            self._revoke_tokens(person, found, who)
        self._offline(person, changed, terms)

    def _offline(
        self, person: PersonRef, changed: list[tuple[str, str, Any]], terms: Mapping[str, _Term]
    ) -> None:
        """Queue the erasure for every offline server that was sent the candidate or account."""
        erasure: CandidateErasure | AccountErasure
        if person.kind == "account":
            erasure = AccountErasure(person.id, self._pseudonym, details=PERSONAL_DETAILS)
            servers = servers_sent(self._uow, person.id, "accounts")
        else:
            work = terms.get("exam_work")
            erasure = CandidateErasure(
                person.id,
                self._pseudonym,
                work_kept=work is not None and work.runs,
                details=PERSONAL_DETAILS,
            )
            servers = servers_sent(self._uow, person.id)
        for server in servers:
            self.offline += queue_erasure(self._uow, server, changed, self._now, erasure=erasure)

    def _apply(
        self,
        rule: ErasureRule,
        record: RecordType[Any, Any],
        items: Iterable[Any],
        who: Erasing,
        terms: Mapping[str, _Term],
    ) -> list[tuple[str, str, Any]]:
        items = list(items)
        term = terms.get(rule.term) if rule.term is not None else None
        if rule.action == "keep" or (term is not None and term.runs):
            until = term.until if term is not None else None
            self._keep(record.name, len(items), rule.term or "account", until, rule.why)
            return []
        changed: list[tuple[str, str, Any]] = []
        for item in items:
            key = record.key_text(item)
            after = None if rule.action == "delete" or rule.strip is None else rule.strip(item, who)
            if after is None:
                self._tx.delete(record, key, version=None)
                self.erased[record.name] = self.erased.get(record.name, 0) + 1
                changed.append((record.name, key, None))
            elif after != item:
                stored = attrs.evolve(after, version=item.version + 1)
                self._tx.replace(record, stored, version=item.version)
                self.stripped[record.name] = self.stripped.get(record.name, 0) + 1
                changed.append((record.name, key, stored))
            else:
                self._keep(record.name, 1, rule.term or "account", None, rule.why)
        return changed

    def _keep(self, record: str, count: int, term: str, until: datetime | None, why: str) -> None:
        before, _ = self.kept.get((record, term, until), (0, why))
        self.kept[record, term, until] = (before + count, why)

    def _revoke_tokens(
        self, person: PersonRef, found: Mapping[str, Sequence[Any]], who: Erasing
    ) -> None:
        """Revoke the account's tokens and forget its counted tries, as an offline server does."""
        signins = [signin.id for signin in found.get("signins", ())]
        names = [*who.login_names, *who.emails]
        self.tokens += forget_sign_ins(self._uow, person.id, signins, names)

    # -- retention --------------------------------------------------------------------------

    def _terms(self, person: PersonRef, found: Mapping[str, Sequence[Any]]) -> dict[str, _Term]:
        """The candidate's exam work and results terms: from when the result was set."""
        worked = any(
            a.state is not AttemptState.REGISTERED or a.responses
            for a in found.get("test_attempts", ())
        ) or bool(found.get("correction_sheets"))
        published = any(
            person.id in {row.candidate for row in group.published}
            or person.id in {review.candidate for review in group.reviews}
            for group in found.get("correction_groups", ())
        )
        set_at = self._result_set(found)
        terms: dict[str, _Term] = {}
        for name, applies in (("exam_work", worked), ("results", published or worked)):
            if not applies:
                terms[name] = _Term(None, runs=False)
                continue
            until = None if set_at is None else retention_period(self._settings, name).after(set_at)
            terms[name] = _Term(until, runs=until is None or self._now < until)
        return terms

    def _result_set(self, found: Mapping[str, Sequence[Any]]) -> datetime | None:
        """When the last of the candidate's groups had its result set (``None``: not yet)."""
        moments: list[datetime] = []
        for group in found.get("session_groups", ()):
            correction = self._uow.correction_groups.get_many([group.id]).get(group.id)
            if correction is not None:
                moment = correction.closed_at
            elif not group.needs_correction:
                moment = group.report.ended_at
            else:
                moment = None
            if moment is None:
                return None
            moments.append(moment)
        return max(moments) if moments else None

    # -- the answer -------------------------------------------------------------------------

    def report(self, person: PersonRef, pseudonym: str, events: int) -> ErasureReport:
        """Return what this erasure did and what stays."""
        kept = tuple(
            Kept(record, count, term, until, why)
            for (record, term, until), (count, why) in sorted(
                self.kept.items(), key=lambda entry: (entry[0][0], entry[0][1])
            )
        )
        return ErasureReport(
            person=person,
            pseudonym=pseudonym,
            erased=dict(sorted(self.erased.items())),
            stripped=dict(sorted(self.stripped.items())),
            audit_events=events,
            tokens=self.tokens,
            offline=self.offline,
            kept=kept,
        )
