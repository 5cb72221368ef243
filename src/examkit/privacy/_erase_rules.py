"""What erasing one person does to each kind of record that refers to them (PRIV-3).

:data:`ERASURE_RULES` holds one :class:`ErasureRule` for every record kind
:data:`~examkit.privacy.PERSON_LINKS` can find for each kind of person:

- ``delete``: the record is the person's own; it goes;
- ``strip``: the record is shared; the person is taken out of it and the rest
  stays (a session group keeps its other candidates). A record with nothing
  left of the person's but a reference by id as the staff member who acted
  stays as it is;
- ``keep``: the record stays: it refers to the person only by id, as the
  staff member who acted, or it is kept under its own term.

A ``delete`` or ``strip`` rule with a :attr:`ErasureRule.term` holds back
while that retention term runs for the person (a candidate's exam work for
six months after the result is set): the record then stays, and the
erasure's report names it with its term and the date it ends.

>>> rule = rule_for("candidate", "test_attempts")
>>> rule.action, rule.term
('delete', 'exam_work')
>>> rule_for("account", "session_groups").action
'keep'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final, Literal, TypeAlias

import attrs

from examkit.offline import entry_digest
from examkit.privacy._person import PersonKind

Action: TypeAlias = Literal["delete", "strip", "keep"]
"""What an erasure does to a record that refers to the person."""


@attrs.frozen
class Erasing:
    """The person being erased, as the records hold them."""

    ids: frozenset[str]
    """Their ids (an account's or a candidate's id; a pupil's key)."""
    login_names: frozenset[str] = frozenset()
    """Their login names."""
    emails: frozenset[str] = frozenset()
    """Their e-mail addresses."""


Strip: TypeAlias = Callable[[Any, Erasing], Any]
"""Return the record without the person (``None``: it was theirs alone; it goes)."""


@attrs.frozen
class ErasureRule:
    """What erasing one kind of person does to one kind of record."""

    kind: PersonKind
    """The kind of person erased."""
    record: str
    """The record kind (its name)."""
    action: Action
    """What happens to a record that refers to the person."""
    why: str
    """Why (one line, English): shown in the docs and in a report of what stays."""
    term: str | None = None
    """``delete``/``strip``: the retention term that holds it back while it runs;
    ``keep``: the term it is kept under."""
    strip: Strip | None = None
    """For ``strip``: how the person is taken out."""


def _own_sync(entry: Any, who: Erasing) -> Any:
    """A down entry carrying the person's record becomes its removal; others stay."""
    if entry.body is None:
        return entry
    return attrs.evolve(
        entry, body=None, digest=entry_digest(entry.kind, entry.key, entry.revision, None)
    )


def _own_authorization(item: Any, who: Erasing) -> Any:
    return None if item.account in who.ids else item


def _without_teacher(item: Any, who: Erasing) -> Any:
    teachers = [t for t in item.teachers if t.email not in who.emails]
    return attrs.evolve(item, teachers=teachers)


def _without_candidate(group: Any, who: Erasing) -> Any:
    report = group.report
    incidents = [i for i in report.incidents if i.candidate not in who.ids]
    return attrs.evolve(
        group,
        candidates=[c for c in group.candidates if c not in who.ids],
        report=attrs.evolve(report, incidents=incidents),
    )


def _without_results(group: Any, who: Erasing) -> Any:
    return attrs.evolve(
        group,
        reviews=[r for r in group.reviews if r.candidate not in who.ids],
        published=[row for row in group.published if row.candidate not in who.ids],
    )


_ACTED = "refers to the account only by id, as the staff member who acted"
_SYNC = "an offline server's sync bookkeeping: ids and digests only"


def _account_rules() -> tuple[ErasureRule, ...]:
    own = "the account holder's own"
    rules = [
        ErasureRule("account", "accounts", "delete", "the account itself"),
        ErasureRule(
            "account",
            "authorizations",
            "strip",
            "their own grants go; others' grants they granted keep their id",
            term="account",
            strip=_own_authorization,
        ),
        *(
            ErasureRule("account", name, "delete", f"{own} {what}")
            for name, what in (
                ("signins", "sign-in transactions"),
                ("trusted_browsers", "trusted browsers"),
                ("sent_reminders", "expiry reminders sent"),
                ("email_changes", "pending e-mail change"),
                ("authenticators", "authenticator app"),
                ("web_sessions", "signed-in web sessions"),
                ("federated_links", "links to federated identities"),
                ("outbox", "e-mails waiting to be sent or kept as sent"),
            )
        ),
        ErasureRule(
            "account",
            "pending_imports",
            "delete",
            "an import preview they made or that names them: an hour-long preview, uploaded again",
        ),
        ErasureRule(
            "account",
            "class_lists",
            "strip",
            "the teacher is taken off the imported class lists",
            strip=_without_teacher,
        ),
        ErasureRule(
            "account",
            "applications",
            "keep",
            "the school's account application, kept a year after its decision",
            term="application",
        ),
        ErasureRule(
            "account",
            "sync_queue",
            "strip",
            "a down entry carrying the account becomes its removal on the offline server",
            strip=_own_sync,
        ),
        *(
            ErasureRule("account", name, "keep", _ACTED, term=term)
            for name, term in (
                ("session_groups", "exam_work"),
                ("test_attempts", "exam_work"),
                ("correction_groups", "results"),
                ("correction_sheets", "exam_work"),
                ("flemish_registrations", "flemish"),
                ("offline_credentials", "account"),
            )
        ),
        *(
            ErasureRule("account", name, "keep", _SYNC, term="offline_sync")
            for name in ("sync_applied_keys", "sync_conflicts")
        ),
    ]
    return tuple(rules)


def _candidate_rules() -> tuple[ErasureRule, ...]:
    work = "exam_work"
    return (
        ErasureRule(
            "candidate",
            "candidates",
            "delete",
            "the candidate (names, login name): needed to inspect the exam work while it is kept",
            term=work,
        ),
        ErasureRule(
            "candidate",
            "session_groups",
            "strip",
            "taken out of the group and its incidents; the group keeps its other candidates",
            term=work,
            strip=_without_candidate,
        ),
        ErasureRule("candidate", "test_attempts", "delete", "the answers given", term=work),
        ErasureRule(
            "candidate", "correction_sheets", "delete", "the scores given to the answers", term=work
        ),
        ErasureRule(
            "candidate",
            "correction_groups",
            "strip",
            "the published result and the review granted",
            term="results",
            strip=_without_results,
        ),
        ErasureRule(
            "candidate",
            "sync_queue",
            "strip",
            "an entry carrying the candidate or their answers becomes a removal",
            term=work,
            strip=_own_sync,
        ),
        *(
            ErasureRule("candidate", name, "keep", _SYNC, term="offline_sync")
            for name in ("sync_inbox", "sync_applied_keys", "sync_conflicts")
        ),
    )


def _pupil_rules() -> tuple[ErasureRule, ...]:
    return (
        ErasureRule("pupil", "pupils", "delete", "the imported pupil, every school year"),
        ErasureRule(
            "pupil",
            "pending_imports",
            "delete",
            "an import preview naming the pupil: an hour-long preview, uploaded again",
        ),
        ErasureRule(
            "pupil",
            "candidates",
            "delete",
            "each candidate made from the pupil is erased as a candidate, by the candidate's rules",
        ),
        ErasureRule(
            "pupil",
            "flemish_registrations",
            "keep",
            "the Flemish tests' registration of the school year",
            term="flemish",
        ),
    )


ERASURE_RULES: Final[tuple[ErasureRule, ...]] = (
    *_account_rules(),
    *_candidate_rules(),
    *_pupil_rules(),
)
"""What an erasure does, by kind of person and record kind. The audit trail is not here:
its events are pseudonymised, never deleted (:meth:`~examkit.audit.AuditStore.pseudonymise`)."""

_BY_KEY: Final[Mapping[tuple[str, str], ErasureRule]] = {
    (rule.kind, rule.record): rule for rule in ERASURE_RULES
}


def rule_for(kind: PersonKind, record: str) -> ErasureRule:
    """Return the rule for erasing a person of *kind* from records of *record*.

    Raises:
        KeyError: there is none (a record kind the table does not cover: a programming error).
    """
    try:
        return _BY_KEY[kind, record]
    except KeyError:
        raise KeyError(f"no erasure rule for a {kind} in {record!r}") from None
