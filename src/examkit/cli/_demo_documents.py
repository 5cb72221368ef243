"""The demo's documents chapter: the application form, slips, report, list and results."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from examkit.applications import (
    AccountApplication,
)
from examkit.cli._demo_scoring import DEMO_TEST, NTERM
from examkit.cli._demo_sessions import DEMO_EXAM, DemoSession
from examkit.documents import (
    ItemResult,
    ResultsReport,
    ReviewPeriod,
    access_slips_pdf,
    account_application_pdf,
    participation_list_pdf,
    results_report_pdf,
    session_report_pdf,
)
from examkit.scoring import OpenItem, response_from_data, results, score_candidate


def run_documents_chapter(
    out: Path, session: DemoSession, application: AccountApplication, say: Callable[..., None]
) -> list[Path]:
    """Write the five documents (DOC-1 to DOC-5) into *out*; return their paths.

    The application is the one the applications chapter submitted and had approved.
    """
    documents = {
        "aanvraag-schoolaccount.pdf": account_application_pdf(application),
        "inlogbriefjes.pdf": access_slips_pdf(session.slips, test=DEMO_EXAM.title),
        "proces-verbaal.pdf": session_report_pdf(session.report, test=DEMO_EXAM.title),
        "deelnamelijst.pdf": participation_list_pdf(session.registration),
        "resultaten-inzage.pdf": results_report_pdf(demo_results_report(session)),
    }
    written = []
    for name, data in documents.items():
        path = out / name
        path.write_bytes(data)
        say("demo.written", path=str(path))
        written.append(path)
    return written


def _response_text(data: Any) -> str:
    if isinstance(data, dict):
        return ", ".join(_response_text(value) for value in data.values())
    if isinstance(data, list):
        return ", ".join(str(value) for value in data)
    return "" if data is None else str(data)


def demo_results_report(session: DemoSession) -> ResultsReport:
    """Return the first answering candidate's results: automatic items scored, open one waiting."""
    attempt = next(a for a in session.attempts if a.responses)
    responses = {
        item.id: response_from_data(item, attempt.responses[item.id].value)
        for item in DEMO_TEST.items
        if item.automatic and item.id in attempt.responses
    }
    scored = score_candidate(DEMO_TEST, attempt.login_name, responses)
    (result,) = results(DEMO_TEST, [scored], NTERM)
    names = {line.login_name: line.name for line in session.report.attendance}
    closed = session.report.ended_at or session.report.planned_end
    return ResultsReport(
        candidate=names.get(attempt.login_name, attempt.login_name),
        login_name=attempt.login_name,
        test=DEMO_EXAM.title,
        items=[
            ItemResult(
                identifier=item.id,
                response=_response_text(attempt.responses[item.id].value)
                if item.id in attempt.responses
                else "",
                score=scored.item_scores.get(item.id, 0),
                maximum=item.max_score,
                comment="Open vraag: wacht op de corrector." if isinstance(item, OpenItem) else "",
            )
            for item in DEMO_TEST.items
        ],
        total=result.total,
        maximum=DEMO_TEST.maximum,
        grade=result.grade,
        review=ReviewPeriod(opens=closed + timedelta(days=7), closes=closed + timedelta(days=9)),
    )
