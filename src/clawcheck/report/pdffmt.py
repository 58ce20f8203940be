"""report.pdf: the checklist to print and sign, A4, with reportlab.

Chinese renders with reportlab's built-in CID font STSong-Light (Adobe-GB1): no font file
is shipped or embedded, every PDF viewer supplies the glyphs. The document is built with
`invariant=1`, so the same checklist gives the same bytes (a signature over it can be
checked by re-rendering). Long cells are cut (the full text is in report.html and
checklist.json): a table row taller than a page cannot be laid out at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from io import BytesIO
from itertools import groupby
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from clawcheck.core.checklist import ChecklistItem
from clawcheck.report._registry import renderer
from clawcheck.report.i18n import Texts
from clawcheck.report.view import ReportView, measured_text, truncate

__all__ = ["FONT", "render_pdf"]

FONT = "STSong-Light"  # CJK runs
LATIN = "Helvetica"  # everything WinAnsi can encode: proper Latin metrics in every viewer
MARGIN = 15 * mm
CELL_LIMIT = 320  # characters of one table cell
STATUS_COLOURS = {
    "pass": colors.HexColor("#2e7d32"),
    "fail": colors.HexColor("#c62828"),
    "waived": colors.HexColor("#ef6c00"),
    "not_run": colors.HexColor("#757575"),
}
VERDICT_COLOURS = {
    "accepted": colors.HexColor("#2e7d32"),
    "rejected": colors.HexColor("#c62828"),
    "incomplete": colors.HexColor("#ef6c00"),
}
GRID = colors.HexColor("#bdbdbd")
SHADE = colors.HexColor("#eeeeee")
# reportlab's paragraph parser is XML: characters XML 1.0 cannot carry are replaced.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Characters our own words use that STSong-Light's Unicode map (UniGB-UCS2-H) lacks.
_GB_SUBSTITUTES = str.maketrans({"⚠": "!", "·": "・", "•": "・"})


def _font() -> str:
    # Registered on first use, not at import: importing clawcheck.report does no work.
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def _gb(text: str) -> str:
    """Text for the CJK font alone (footer, watermark)."""
    return _ILLEGAL_XML.sub("?", text).translate(_GB_SUBSTITUTES)


def _latin(char: str) -> bool:
    try:
        char.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def _x(text: str, limit: int = CELL_LIMIT) -> str:
    """Text as paragraph markup: cut, escaped, line breaks kept, non-Latin runs in the CJK font."""
    runs: list[str] = []
    for is_latin, chars in groupby(_ILLEGAL_XML.sub("?", truncate(text, limit)), key=_latin):
        run = "".join(chars)
        runs.append(escape(run) if is_latin else f'<font face="{FONT}">{escape(_gb(run))}</font>')
    return "".join(runs).replace("\n", "<br/>")


class _Styles:
    def __init__(self, font: str) -> None:
        # `font` for the base: paragraphs switch to the CJK font run by run (`_x`).
        # wordWrap CJK breaks anywhere: Chinese has no spaces, and ids and URLs are long words.
        base = ParagraphStyle("base", fontName=font, fontSize=9, leading=12, wordWrap="CJK")
        self.body = base
        self.small = ParagraphStyle("small", parent=base, fontSize=8, leading=10.5)
        self.title = ParagraphStyle("title", parent=base, fontSize=20, leading=28, alignment=1, spaceAfter=6)
        self.h2 = ParagraphStyle("h2", parent=base, fontSize=13, leading=18, spaceBefore=10, spaceAfter=4)
        self.banner = ParagraphStyle(
            "banner", parent=base, fontSize=10, leading=14, textColor=colors.HexColor("#e65100"),
            backColor=colors.HexColor("#fff3e0"), borderColor=colors.HexColor("#ef6c00"), borderWidth=1,
            borderPadding=6, spaceBefore=4, spaceAfter=10,
        )  # fmt: skip
        self.head = ParagraphStyle("head", parent=base, textColor=colors.white)
        self.stage = ParagraphStyle("stage", parent=base, fontSize=10, leading=13)

    def verdict(self, verdict: str) -> ParagraphStyle:
        return ParagraphStyle(
            "verdict", parent=self.body, fontSize=18, leading=24, alignment=1, textColor=colors.white,
            backColor=VERDICT_COLOURS.get(verdict, colors.grey), borderPadding=8, spaceBefore=8,
            spaceAfter=14,
        )  # fmt: skip


def _footer(t: Texts, run_id: str, pages: int | None) -> Callable[[Canvas, Any], None]:
    """Every page's footer: the title and run id, and "page N of M"."""

    def draw(canvas: Canvas, doc: Any) -> None:
        width, _ = A4
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(colors.HexColor("#757575"))
        canvas.drawString(MARGIN, 9 * mm, _gb(truncate(f"{t('title.plain')} · {run_id}", 90)))
        page = canvas.getPageNumber()
        canvas.drawRightString(width - MARGIN, 9 * mm, _gb(t("page", page=page, pages=pages or page)))
        canvas.restoreState()

    return draw


def _watermark(t: Texts) -> Callable[[Canvas, Any], None]:
    """The demo-key stamp, drawn after the page's content so no table background can hide it."""

    def draw(canvas: Canvas, doc: Any) -> None:
        width, height = A4
        canvas.saveState()
        canvas.setFont(FONT, 40)
        canvas.setFillColor(colors.HexColor("#ef6c00"))
        canvas.setFillAlpha(0.15)
        canvas.translate(width / 2, height / 2)
        canvas.rotate(35)
        canvas.drawCentredString(0, 0, _gb(t("demo_watermark")))
        canvas.restoreState()

    return draw


def _nothing(canvas: Canvas, doc: Any) -> None:
    return None


def _meta_table(view: ReportView, s: _Styles) -> Table:
    rows = [[Paragraph(_x(label), s.body), Paragraph(_x(value), s.body)] for label, value in view.metadata()]
    table = Table(rows, colWidths=[32 * mm, None])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                ("BACKGROUND", (0, 0), (0, -1), SHADE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _counts_table(view: ReportView, s: _Styles) -> Table:
    t, counts = view.t, view.counts()
    statuses = ("pass", "fail", "waived", "not_run")
    head = [Paragraph(_x(t.status(x)), s.body) for x in statuses] + [Paragraph(_x(t("total")), s.body)]
    values = [Paragraph(str(counts[x]), s.body) for x in statuses] + [
        Paragraph(str(sum(counts.values())), s.body)
    ]
    table = Table([head, values], colWidths=[36 * mm] * 5)
    style: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
    ]
    style += [("TEXTCOLOR", (i, 1), (i, 1), STATUS_COLOURS[x]) for i, x in enumerate(statuses)]
    table.setStyle(TableStyle(style))
    return table


def _item_cells(view: ReportView, item: ChecklistItem, s: _Styles) -> list[Flowable]:
    t = view.t
    ident = _x(item.id, 200) + ("" if item.required else f"<br/>({_x(t('optional'))})")
    what = f"{_x(item.title(view.lang))}<br/><font color='#616161'>{_x(item.requirement(view.lang))}</font>"
    detail = []
    if item.measured:
        detail.append(f"<font color='#424242'>{_x(measured_text(item), 200)}</font>")
    if item.message:
        detail.append(_x(item.message))
    if item.waiver is not None:
        detail.append(f"<font color='#e65100'>{_x(view.waiver_text(item))}</font>")
    status = f"<font color='white'>{_x(view.status_word(item))}</font>"
    return [
        Paragraph(status, s.small),
        Paragraph(ident, s.small),
        Paragraph(what, s.small),
        Paragraph("<br/>".join(detail) or "—", s.small),
    ]


def _checklist_table(view: ReportView, s: _Styles) -> Table:
    t = view.t
    head = [Paragraph(_x(t(k)), s.head) for k in ("status", "id", "item_requirement", "measured_message")]
    rows: list[list[Flowable | str]] = [list(head)]
    style: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#37474f")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    for stage, items in view.stages:
        row = len(rows)
        rows.append([Paragraph(f"{_x(t.stage(stage))}  ({_x(stage)})", s.stage), "", "", ""])
        style += [("SPAN", (0, row), (-1, row)), ("BACKGROUND", (0, row), (-1, row), SHADE)]
        for item in items:
            row = len(rows)
            rows.append(list(_item_cells(view, item, s)))
            style.append(("BACKGROUND", (0, row), (0, row), STATUS_COLOURS[str(item.status)]))
    width = A4[0] - 2 * MARGIN
    table = Table(rows, colWidths=[17 * mm, 48 * mm, 58 * mm, width - 123 * mm], repeatRows=1)
    table.setStyle(TableStyle(style))
    return table


def _waivers(view: ReportView, s: _Styles) -> list[Flowable]:
    t = view.t
    flow: list[Flowable] = [Paragraph(_x(t("waivers")), s.h2)]
    if not view.waived:
        return [*flow, Paragraph(_x(t("no_waivers")), s.body)]
    keys = ("id", "waiver.reason", "waiver.signer", "waiver.outcome")
    rows: list[list[Flowable | str]] = [[Paragraph(_x(t(k)), s.head) for k in keys]]
    for item in view.waived:
        if item.waiver is None:  # view.waived holds only waived items; this narrows the type
            continue
        signer = f"{item.waiver.signer} ({t.role(item.waiver.role)})"
        rows.append(
            [
                Paragraph(_x(item.id, 200), s.small),
                Paragraph(_x(item.waiver.reason), s.small),
                Paragraph(_x(signer), s.small),
                Paragraph(_x(t.status(str(item.outcome or "fail"))), s.small),
            ]
        )
    table = Table(rows, colWidths=[48 * mm, 70 * mm, 40 * mm, None], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#37474f")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return [*flow, table]


def _signatures(view: ReportView, s: _Styles) -> Flowable:
    t = view.t
    line = "_" * 28
    rows: list[list[Flowable | str]] = [
        [Paragraph(_x(t("sign.seller")) + f" ({_x(t.role('seller'))})", s.stage),
         Paragraph(_x(t("sign.platform")) + f" ({_x(t.role('platform'))})", s.stage)],
    ]  # fmt: skip
    for key in ("sign.company", "sign.name", "sign.signature", "sign.date"):
        cell = Paragraph(f"{_x(t(key))}: {line}", s.body)
        rows.append([cell, Paragraph(f"{_x(t(key))}: {line}", s.body)])
    table = Table(rows, colWidths=[(A4[0] - 2 * MARGIN) / 2] * 2)
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (0, -1), 0.8, GRID),
                ("BOX", (1, 0), (1, -1), 0.8, GRID),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("TOPPADDING", (0, 1), (-1, -1), 14),
                ("BOTTOMPADDING", (0, 1), (-1, -1), 4),
            ]
        )
    )
    return KeepTogether(
        [
            Paragraph(_x(t("signatures")), s.h2),
            Paragraph(_x(t("sign.statement")), s.body),
            Spacer(1, 4),
            table,
        ]
    )


def _story(view: ReportView, s: _Styles) -> list[Flowable]:
    """The document's flowables; built anew for each pass (a build consumes them)."""
    c, t = view.checklist, view.t
    story: list[Flowable] = [Paragraph(_x(t("title")), s.title)]
    if c.demo_key:
        story.append(Paragraph(_x(t("demo_key")), s.banner))
    story.append(_meta_table(view, s))
    story.append(Paragraph(_x(view.verdict_word()), s.verdict(c.verdict)))
    if c.verdict == "incomplete":
        story.append(Paragraph(_x(t("verdict.incomplete_note")), s.body))
    if view.unmet:
        ids = ", ".join(i.id for i in view.unmet)
        story.append(Paragraph(f"<font color='#c62828'>{_x(t('unmet'))}: {_x(ids, 1500)}</font>", s.body))
    story += [Paragraph(_x(t("summary")), s.h2), _counts_table(view, s)]
    story += [Paragraph(_x(t("checklist")), s.h2), _checklist_table(view, s)]
    story += _waivers(view, s)
    story += [Spacer(1, 6), Paragraph(_x(t("see_html")), s.small), _signatures(view, s)]
    return story


@renderer("pdf", "report.pdf")
def render_pdf(view: ReportView) -> bytes:
    c, t = view.checklist, view.t
    _font()
    s = _Styles(LATIN)
    # Two passes: "page N of M" needs M, which only a first layout knows (the footer sits
    # outside the frame, so its text cannot change the layout).
    pages: int | None = None
    for _ in range(2):
        buffer = BytesIO()
        doc = BaseDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN + 4 * mm,
            title=t("title.plain"),
            author="clawcheck",
            subject=c.run_id,
            creator="clawcheck",
            invariant=1,
            lang=view.lang,
        )
        frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
        page = PageTemplate(
            id="page",
            frames=[frame],
            onPage=_footer(t, c.run_id, pages),
            onPageEnd=_watermark(t) if c.demo_key else _nothing,
            pagesize=A4,
        )
        doc.addPageTemplates([page])
        doc.build(_story(view, s))
        pages = doc.page
    return buffer.getvalue()
