# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The retention terms: the names every privacy helper codes against, their periods, sources."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from examkit.errors import ConfigurationError
from examkit.privacy import (
    RETENTION_JOBS,
    RETENTION_TERMS,
    PrivacySettings,
    RetentionPeriod,
    RetentionTerm,
    period_text,
    removal_of,
    retention_period,
    retention_term,
)

# The names fixed by issue 27's brief, written out here independently of the table.
NAMES = (
    "account",
    "sign_in",
    "pupil",
    "pending_import",
    "exam_work",
    "results",
    "audit",
    "mail",
    "offline_sync",
    "application",
    "federation",
    "flemish",
    "organisation",
    # added by the register for the storage server's idempotency records (http_commits)
    "idempotency",
)


@pytest.mark.req("PRIV-1")
def test_the_terms_are_the_agreed_names_once_each() -> None:
    """Every agreed name has a term, no term has another name, none twice."""
    assert sorted(NAMES) == sorted(term.name for term in RETENTION_TERMS)


@pytest.mark.req("PRIV-1")
@pytest.mark.parametrize("term", RETENTION_TERMS, ids=lambda term: term.name)
def test_every_term_says_what_starts_it_and_where_its_period_comes_from(
    term: RetentionTerm,
) -> None:
    """A source is a law's article or an honest examkit default; a quote is never empty."""
    found = retention_term(term.name)
    assert found.starts.strip()
    assert found.starts_nl.strip()
    assert found.source.startswith("examkit default") or "art." in found.source
    assert found.quote is None or found.quote.strip()
    assert RetentionPeriod() != found.period


@pytest.mark.req("PRIV-1")
def test_exam_work_is_kept_six_months_after_the_result_the_exam_decree_says() -> None:
    """Examenbesluit VO art. 57: at least six months after the result is set."""
    term = retention_term("exam_work")
    assert "art. 57, paragraphs 1 and 2 (Bewaren examenwerk)" in term.source
    set_at = datetime(2026, 6, 12, tzinfo=UTC)
    assert datetime(2026, 12, 12, tzinfo=UTC) == term.period.after(set_at)


@pytest.mark.req("PRIV-1")
def test_a_portal_sets_its_own_period_for_a_term() -> None:
    """The portal's period wins for its term; the others keep their defaults."""
    settings = PrivacySettings(retention={"audit": RetentionPeriod(years=5)})
    assert RetentionPeriod(years=5) == retention_period(settings, "audit")
    assert RetentionPeriod(months=6) == retention_period(settings, "exam_work")


@pytest.mark.req("PRIV-1")
def test_a_period_for_a_term_that_does_not_exist_is_a_clear_configuration_error() -> None:
    """A misspelt term in the portal's settings is refused, not silently ignored."""
    settings = PrivacySettings(retention={"exam_wrok": RetentionPeriod(years=1)})
    with pytest.raises(ConfigurationError) as raised:
        retention_period(settings, "exam_work")
    assert "privacy.register.unknown_term" == raised.value.code
    assert "privacy.retention" == raised.value.field
    assert "exam_wrok" in raised.value.message("nl")


@pytest.mark.req("PRIV-1")
def test_an_unknown_term_name_in_the_code_is_a_programming_error() -> None:
    """Code that asks for a term that does not exist fails loudly."""
    with pytest.raises(KeyError, match="examwork"):
        retention_period(PrivacySettings(), "examwork")


@pytest.mark.req("PRIV-1")
def test_a_period_in_words() -> None:
    """Periods read naturally in English and Dutch."""
    assert "2 years" == period_text(RetentionPeriod(years=2))
    assert "1 jaar 1 maand 1 dag" == period_text(RetentionPeriod(years=1, months=1, days=1), "nl")


@pytest.mark.req("PRIV-1")
def test_the_privacy_command_group_lists_its_subcommands(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``examkit privacy`` dispatches its subcommands from its table, ``register`` first."""
    from examkit.cli import EXIT_OK, main
    from examkit.cli._privacy import SUBCOMMANDS

    assert "register" == SUBCOMMANDS[0].name
    assert EXIT_OK == main(["privacy", "--help"])
    assert "register" in capsys.readouterr().out


# The terms no retention job applies, by hand (issue 27): what they cover goes otherwise.
NOT_BY_A_JOB = {
    "account": "by hand: ",
    "organisation": "by hand: ",
    "idempotency": "the storage server: ",
}


@pytest.mark.req("PRIV-4")
@pytest.mark.parametrize("term", RETENTION_TERMS, ids=lambda term: term.name)
def test_every_term_has_a_job_or_says_who_removes_what_it_covers_not_both(
    term: RetentionTerm,
) -> None:
    """A term is applied by a retention job, or its removal says how its data goes."""
    jobs = [job for job in RETENTION_JOBS if job.term == term.name]
    assert bool(jobs) != (term.removal is not None)
    if term.name in NOT_BY_A_JOB:
        assert term.removal is not None
        assert term.removal.startswith(NOT_BY_A_JOB[term.name])
        assert removal_of(term.name) == term.removal
    else:
        assert jobs
        assert removal_of(term.name).startswith("retention job (examkit privacy purge): ")
        assert all(job.what in removal_of(term.name) for job in jobs)


@pytest.mark.req("PRIV-4")
def test_the_removal_by_hand_names_the_calls_that_remove() -> None:
    """The statements name the kit's calls, so an operator can act on them."""
    account = retention_term("account").removal
    assert account is not None
    assert "kit.users.remove_user" in account
    assert "kit.privacy_erasure.erase" in account
    organisation = retention_term("organisation").removal
    assert organisation is not None
    assert "kit.institutions.set_competent_authority" in organisation
    assert "StorageServer.purge_keys" in (retention_term("idempotency").removal or "")
