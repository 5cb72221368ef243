"""Printed documents (PDF): the account application form, slips, reports and lists.

Each function takes a data value and returns the bytes of an A4 PDF in
Dutch, as the source systems print them. Every document embeds the font
shipped with examkit (DejaVu Sans, which covers Dutch and French accented
letters; its licence is ``examkit/documents/fonts/LICENSE-DejaVu.txt``),
has selectable and searchable text, a title and the language ``nl`` in its
metadata, and "Pagina x van y" on every page. The output is deterministic:
the same data gives the same bytes in any process at any time (reportlab's
invariant mode, a fixed creation date and a document id derived from the
data).

>>> pdf = results_report_pdf(ResultsReport(
...     candidate="Noëlle Çelik", test="Natuurkunde",
...     items=[ItemResult("v1", "B", 2, 2)], total=2, maximum=2))
>>> pdf[:5], pdf == results_report_pdf(ResultsReport(
...     candidate="Noëlle Çelik", test="Natuurkunde",
...     items=[ItemResult("v1", "B", 2, 2)], total=2, maximum=2))
(b'%PDF-', True)

Implements DOC-1 to DOC-5.
"""

from examkit.documents._application import SEND_TO, SendTo, account_application_pdf
from examkit.documents._participation import PARTICIPATION_TITLE, participation_list_pdf
from examkit.documents._pdf import FONT, FONT_BOLD, FONT_FILES, LANGUAGE, register_fonts
from examkit.documents._person_export import PERSON_EXPORT_TITLE, person_export_pdf
from examkit.documents._results import (
    RESULTS_TITLE,
    ItemResult,
    ResultsReport,
    ReviewPeriod,
    results_report_of,
    results_report_pdf,
)
from examkit.documents._session_report import (
    ATTEMPT_STATE_NL,
    GROUP_STATE_NL,
    REPORT_TITLE,
    session_report_pdf,
)
from examkit.documents._slips import SLIPS_TITLE, access_slips_pdf

__all__ = [
    "ATTEMPT_STATE_NL",
    "FONT",
    "FONT_BOLD",
    "FONT_FILES",
    "GROUP_STATE_NL",
    "LANGUAGE",
    "PARTICIPATION_TITLE",
    "PERSON_EXPORT_TITLE",
    "REPORT_TITLE",
    "RESULTS_TITLE",
    "SEND_TO",
    "SLIPS_TITLE",
    "ItemResult",
    "ResultsReport",
    "ReviewPeriod",
    "SendTo",
    "access_slips_pdf",
    "account_application_pdf",
    "participation_list_pdf",
    "person_export_pdf",
    "register_fonts",
    "results_report_of",
    "results_report_pdf",
    "session_report_pdf",
]
