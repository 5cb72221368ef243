"""The machinery every document shares: the shipped font, A4 pages, page numbers, determinism.

Every document is built by :func:`build_pdf` from platypus flowables. The
output depends on the data only: reportlab's invariant mode, a creation date
fixed here (reportlab's own invariant date, 1 January 2000, also when
``SOURCE_DATE_EPOCH`` is set) and a document id (the trailer's ``/ID``)
that is a digest of the data value (:func:`data_digest`), so the same data
gives the same bytes in any process at any time.
"""

from __future__ import annotations

import enum
import hashlib
import io
import json
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from functools import partial
from importlib import resources
from typing import Any, Final
from zoneinfo import ZoneInfo

import attrs
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import TimeStamp
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle
from reportlab.platypus.flowables import Spacer

FONT: Final = "ExamkitSans"
"""The name under which the shipped regular font (DejaVu Sans) is registered."""
FONT_BOLD: Final = "ExamkitSans-Bold"
"""The name under which the shipped bold font (DejaVu Sans Bold) is registered."""
FONT_FILES: Final = {FONT: "DejaVuSans.ttf", FONT_BOLD: "DejaVuSans-Bold.ttf"}
"""The shipped TrueType files (``examkit/documents/fonts``), by registered name."""
LANGUAGE: Final = "nl"
"""The documents' language, written into each PDF's catalogue (``/Lang``)."""
AMSTERDAM: Final = ZoneInfo("Europe/Amsterdam")
"""The time zone the documents show times in."""
MONTHS_NL: Final = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
"""Dutch month names, January first."""

MARGIN: Final = 18 * mm
WIDTH: Final = A4[0] - 2 * MARGIN - 12  # the frame pads 6 points on each side
GRID: Final = colors.Color(0.55, 0.55, 0.55)
SHADE: Final = colors.Color(0.92, 0.92, 0.92)


def register_fonts() -> None:
    """Register the shipped fonts with reportlab (once; later calls do nothing).

    >>> register_fonts()
    >>> from reportlab.pdfbase import pdfmetrics
    >>> pdfmetrics.getFont(FONT).face.name
    b'DejaVuSans'
    """
    registered = pdfmetrics.getRegisteredFontNames()
    folder = resources.files("examkit.documents") / "fonts"
    for name, file in FONT_FILES.items():
        if name not in registered:
            with resources.as_file(folder / file) as path:
                pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
    )


def canonical(value: Any) -> Any:
    """Return *value* as plain JSON data in a fixed order (attrs classes by field, sets sorted).

    Fields declared with ``eq=False`` (a stored version) are left out: they
    do not change what a document shows.

    >>> canonical(frozenset({"b", "a"}))
    ['a', 'b']
    """
    result: Any
    if attrs.has(type(value)):
        result = {"@": type(value).__name__}
        for field in attrs.fields(type(value)):
            if field.eq:
                result[field.name] = canonical(getattr(value, field.name))
    elif isinstance(value, enum.Enum):
        result = canonical(value.value)
    elif isinstance(value, (set, frozenset)):
        result = sorted((canonical(item) for item in value), key=json.dumps)
    elif isinstance(value, (list, tuple)):
        result = [canonical(item) for item in value]
    elif isinstance(value, dict):
        result = {str(key): canonical(item) for key, item in sorted(value.items(), key=str)}
    elif value is None or isinstance(value, (str, int, float, bool)):
        result = value
    else:
        result = str(value)
    return result


def data_digest(kind: str, value: Any) -> bytes:
    """Return the 16-byte document id of a *kind* of document showing *value*.

    >>> data_digest("x", [1, 2]) == data_digest("x", (1, 2))
    True
    >>> data_digest("x", 1) == data_digest("y", 1)
    False
    """
    text = json.dumps([kind, canonical(value)], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).digest()[:16]


def _fixed_timestamp() -> TimeStamp:
    """Return reportlab's invariant timestamp (2000-01-01 00:00 UTC), whatever the environment."""
    stamp = TimeStamp.__new__(TimeStamp)
    stamp.t = 946684800.0
    stamp.lt = (2000, 1, 1, 0, 0, 0, 5, 1, 0)
    stamp.YMDhms = (2000, 1, 1, 0, 0, 0)
    stamp.dhh = 0
    stamp.dmm = 0
    stamp.tzname = "UTC"
    return stamp


class _NumberedCanvas(Canvas):
    """A canvas that writes "Pagina x van y" on every page and a data-derived document id."""

    def __init__(self, *args: Any, document_id: bytes, footer: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []
        self._document_id = document_id
        self._footer = footer
        self._internals()._doc._timeStamp = _fixed_timestamp()

    def _internals(self) -> Any:
        """Return this canvas untyped: the stubs leave out the attributes used here."""
        return self

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._internals()._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._draw_footer(total)
            super().showPage()
        identifier = pdfdoc.PDFText(self._document_id, enc="raw").format(pdfdoc.DummyDoc())
        self._internals()._doc._ID = b"\n[" + identifier + identifier + b"]\n"
        super().save()

    def _draw_footer(self, total: int) -> None:
        self.saveState()
        self.setFont(FONT, 8)
        self.setFillColor(colors.Color(0.3, 0.3, 0.3))
        if self._footer:
            self.drawString(MARGIN, 10 * mm, self._footer)
        self.drawRightString(A4[0] - MARGIN, 10 * mm, f"Pagina {self.getPageNumber()} van {total}")
        self.restoreState()


def build_pdf(
    flowables: Sequence[Flowable],
    *,
    title: str,
    subject: str,
    document_id: bytes,
    footer: str = "",
) -> bytes:
    """Return the A4 PDF of *flowables* with *title*, language ``nl`` and *document_id*.

    Args:
        flowables: the content, in order.
        title: the document's title (metadata and window title).
        subject: the document's subject (metadata).
        document_id: the 16-byte id, from :func:`data_digest` of the data shown.
        footer: a text at the bottom left of every page (the page number is at the right).

    Returns:
        The PDF's bytes.
    """
    register_fonts()
    buffer = io.BytesIO()
    template = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=20 * mm,
        title=title,
        subject=subject,
        author="examkit",
        creator="examkit",
        lang=LANGUAGE,
        invariant=1,
        displayDocTitle=1,
        initialFontName=FONT,
    )
    maker: Callable[..., Canvas] = partial(_NumberedCanvas, document_id=document_id, footer=footer)
    template.build(list(flowables), canvasmaker=maker)
    return buffer.getvalue()


# -- styles and small building blocks ---------------------------------------------

BODY: Final = ParagraphStyle("examkit-body", fontName=FONT, fontSize=9.5, leading=12.5)
SMALL: Final = ParagraphStyle("examkit-small", parent=BODY, fontSize=8, leading=10)
LABEL: Final = ParagraphStyle("examkit-label", parent=BODY, fontName=FONT_BOLD)
TITLE: Final = ParagraphStyle(
    "examkit-title", parent=BODY, fontName=FONT_BOLD, fontSize=16, leading=20, spaceAfter=6
)
HEADING: Final = ParagraphStyle(
    "examkit-heading",
    parent=BODY,
    fontName=FONT_BOLD,
    fontSize=11.5,
    leading=15,
    spaceBefore=10,
    spaceAfter=4,
)
CENTRED: Final = ParagraphStyle("examkit-centred", parent=BODY, alignment=TA_CENTER)


def escape(text: str) -> str:
    """Return *text* with the characters reportlab's paragraph markup reserves escaped.

    >>> escape("a < b & c")
    'a &lt; b &amp; c'
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def para(text: str, style: ParagraphStyle = BODY) -> Paragraph:
    """Return a paragraph of plain *text* (escaped; line breaks kept)."""
    register_fonts()
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def space(height_mm: float) -> Spacer:
    """Return vertical space of *height_mm* millimetres."""
    return Spacer(1, height_mm * mm)


def _ruled(data: list[list[Any]], widths: list[float], shaded: str, **options: Any) -> Table:
    """Return a table with a grid, top-aligned cells and a shaded first column or row."""
    table = Table(data, colWidths=widths, **options)
    corner = (0, -1) if shaded == "column" else (-1, 0)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                ("BACKGROUND", (0, 0), corner, SHADE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _cell(value: object, style: ParagraphStyle) -> Flowable:
    return value if isinstance(value, Flowable) else para(str(value), style)


def field_table(
    rows: Sequence[tuple[str, object]],
    label_width: float = 62 * mm,
    *,
    heights: Sequence[float | None] | None = None,
) -> Table:
    """Return a two-column table of labels (shaded) and values, as forms print them.

    A value may be text or a flowable (a table inside the cell); *heights*
    gives rows a fixed height (``None``: as high as the content).
    """
    data = [[para(label, LABEL), _cell(value, BODY)] for label, value in rows]
    return _ruled(
        data,
        [label_width, WIDTH - label_width],
        "column",
        rowHeights=list(heights) if heights is not None else None,
    )


def grid_table(
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths: Sequence[float],
    *,
    style: ParagraphStyle = BODY,
    header_style: ParagraphStyle | None = None,
    row_height: float | None = None,
) -> Table:
    """Return a table with a shaded header row that repeats on every page.

    The header is bold in the size of *style* unless *header_style* says
    otherwise; *row_height* fixes the height of the rows below it (an empty
    row to fill in by hand).
    """
    label = header_style or (LABEL if style is BODY else _small_label())
    data: list[list[Any]] = [[para(text, label) for text in header]]
    data += [[_cell(cell, style) for cell in row] for row in rows]
    return _ruled(
        data,
        list(widths),
        "row",
        repeatRows=1,
        rowHeights=[None] + [row_height] * len(rows),
    )


def _small_label() -> ParagraphStyle:
    return ParagraphStyle("examkit-small-label", parent=SMALL, fontName=FONT_BOLD)


def dutch_date(value: date) -> str:
    """Return *value* written out in Dutch.

    >>> dutch_date(date(2026, 5, 12))
    '12 mei 2026'
    """
    return f"{value.day} {MONTHS_NL[value.month - 1]} {value.year}"


def dutch_datetime(value: datetime) -> str:
    """Return *value* in Amsterdam time, written out in Dutch.

    >>> from datetime import timezone
    >>> dutch_datetime(datetime(2026, 5, 12, 7, 30, tzinfo=timezone.utc))
    '12 mei 2026, 09:30'
    """
    local = value.astimezone(AMSTERDAM)
    return f"{dutch_date(local.date())}, {local:%H:%M}"


def dutch_time(value: datetime) -> str:
    """Return the clock time of *value* in Amsterdam (``09:30``)."""
    return f"{value.astimezone(AMSTERDAM):%H:%M}"


def dutch_number(value: Decimal | int) -> str:
    """Return *value* with a decimal comma, as Dutch documents write numbers.

    >>> dutch_number(Decimal("6.5")), dutch_number(12)
    ('6,5', '12')
    """
    return str(value).replace(".", ",")


def yes_no(value: bool) -> str:
    """Return ``ja`` or ``nee``."""
    return "ja" if value else "nee"
