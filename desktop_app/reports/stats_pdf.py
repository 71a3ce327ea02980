"""《顾客投诉月度统计表》: every figure beside last month's in one table, a bar chart of the
categories (this month and last) and the 12-month trend. Portrait A4, black and grey only."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend, LineSwatch
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer

from desktop_app.domain.complaint_stats import (
    ComplaintStats,
    FigureRow,
    comparison_rows,
    format_figure,
)
from desktop_app.domain.report_package import MonthFigures
from desktop_app.reports.kinds import Progress, kind
from desktop_app.reports.pdf_fonts import cjk_font
from desktop_app.reports.pdf_layout import (
    Target,
    build_pdf,
    content_width,
    monthly_opening,
    signature_lines,
)
from desktop_app.reports.table_report import SIGNATURES, Column, Section, paged_table, table_lines
from desktop_app.reports.text_block import TextBlock

COLUMNS = (
    Column("项目", 80), Column("本月", 30, right=True), Column("上月", 30, right=True),
    Column("增减", 30, right=True),
)
CHART_HEIGHT = 62 * mm
THIS_MONTH = colors.HexColor("#4d4d4d")
LAST_MONTH = colors.HexColor("#c8c8c8")
DEFINITIONS = (
    "口径:本月受理 = 本月登记的投诉、意见、建议,作废的登记一律不计。"
    "首次答复 = 月末前(本月未结束时为截至打印时)将处理结果或不成立的理由告知顾客;"
    "按期答复率 = 有承诺答复日期的案件中,在该日期当天或之前答复的比例"
    "(过期仍未答复的计为逾期,未到期的不计)。结案 = 本月结案或答复不成立的案件,用时从登记算起。"
    "回访率 = 本月结案的成立案件中回访到顾客的比例,满意度为回访到的顾客所给。未结案件 = 月末"
    "(本月未结束时为截至打印时)仍在处理的案件,按已开天数分段。",
)


def figure_sections(stats: ComplaintStats) -> list[Section]:
    """The comparison rows grouped under their section headings, as printed."""
    sections: dict[str, list[list[str]]] = {}
    for row in comparison_rows(stats):
        sections.setdefault(row.section, []).append(_cells(row))
    return [Section(heading=name, rows=rows) for name, rows in sections.items()]


def _cells(row: FigureRow) -> list[str]:
    return [row.label, format_figure(row.current, row.unit),
            format_figure(row.previous, row.unit), format_figure(row.change, row.unit, True)]


def write_stats(
    data: MonthFigures, target: Target, printed_at: datetime, progress: Progress | None = None
) -> None:
    title = kind("stats").title
    width = content_width(False)
    stats = data.stats
    lines = table_lines(title, COLUMNS, (), set(), figure_sections(stats), ())
    story = monthly_opening(title, [], data.store_name, data.month.label, data.cutoff_note,
                            printed_at, width)
    story += [
        TextBlock(f"本月与上月({stats.previous.month.label})对照。", 8.5),
        Spacer(1, 2 * mm),
        paged_table(COLUMNS, lines, width, False),
        Spacer(1, 4 * mm),
        CondPageBreak(CHART_HEIGHT + 12 * mm),
        _chart_heading("投诉类别:本月与上月"),
        category_chart(stats, width),
        Spacer(1, 4 * mm),
        CondPageBreak(CHART_HEIGHT + 12 * mm),
        _chart_heading("近 12 个月受理趋势(不含作废)"),
        trend_chart(stats, width),
        Spacer(1, 3 * mm),
        # The signatures go with the definitions above them, never alone on a page.
        KeepTogether([*[TextBlock(text, 8) for text in DEFINITIONS], Spacer(1, 6 * mm),
                      signature_lines(SIGNATURES, width)]),
    ]
    build_pdf(target, story, title=title, wide=False,
              footer_left=f"{data.store_name}  {title}  {data.month.label}",
              footer_note=data.chain_label)
    if progress is not None:
        progress(1, 1)


def _chart_heading(text: str) -> Flowable:
    return TextBlock(text, 9.5, bold=True)


def _drawing(width: float) -> Drawing:
    drawing = Drawing(width, CHART_HEIGHT)
    # The renderer starts every drawing in Helvetica, which the PDF would then name without
    # embedding it; starting in the CJK font keeps the file to the one embedded font.
    drawing.initialFontName = cjk_font()
    return drawing


def _font_labels(*label_sets: object) -> None:
    for labels in label_sets:
        labels.fontName = cjk_font()  # type: ignore[attr-defined]
        labels.fontSize = 7  # type: ignore[attr-defined]


def category_chart(stats: ComplaintStats, width: float) -> Drawing:
    """Grouped bars: each category's cases this month (dark) and last month (light)."""
    labels = [count.label for count in stats.current.by_category]
    previous = {count.label: count.cases for count in stats.previous.by_category}
    drawing = _drawing(width)
    chart = VerticalBarChart()
    chart.x, chart.y = 30, 28
    chart.width, chart.height = width - 150, CHART_HEIGHT - 40
    chart.data = [
        [count.cases for count in stats.current.by_category],
        [previous.get(label, 0) for label in labels],
    ]
    chart.categoryAxis.categoryNames = labels
    _scale(chart, chart.data)
    chart.bars[0].fillColor = THIS_MONTH
    chart.bars[1].fillColor = LAST_MONTH
    chart.bars.strokeColor = colors.black
    chart.bars.strokeWidth = 0.4
    chart.barLabelFormat = "%d"
    chart.barLabels.nudge = 6
    _font_labels(chart.categoryAxis.labels, chart.valueAxis.labels, chart.barLabels)
    drawing.add(chart)
    drawing.add(_legend(width - 105, CHART_HEIGHT - 20, [
        (THIS_MONTH, f"本月 {stats.current.month.label}"),
        (LAST_MONTH, f"上月 {stats.previous.month.label}"),
    ]))
    return drawing


def trend_chart(stats: ComplaintStats, width: float) -> Drawing:
    """Three lines over the twelve months: all cases, complaints (投诉), major complaints."""
    points = stats.trend
    drawing = _drawing(width)
    chart = HorizontalLineChart()
    chart.x, chart.y = 30, 22
    chart.width, chart.height = width - 150, CHART_HEIGHT - 34
    chart.data = [
        [point.received for point in points],
        [point.complaints for point in points],
        [point.major for point in points],
    ]
    chart.categoryAxis.categoryNames = [point.month.short_label for point in points]
    _scale(chart, chart.data)
    styles = ((1.6, None), (1.0, (4, 2)), (1.0, (1, 2)))
    for index, (line_width, dashes) in enumerate(styles):
        chart.lines[index].strokeColor = colors.black
        chart.lines[index].strokeWidth = line_width
        if dashes is not None:
            chart.lines[index].strokeDashArray = dashes
    # Only the top line carries its figures: three rows of numbers would overlap.
    chart.lineLabelArray = [[str(value) for value in chart.data[0]],
                            [""] * len(points), [""] * len(points)]
    chart.lineLabelFormat = "values"
    chart.lineLabels.dy = 5
    _font_labels(chart.categoryAxis.labels, chart.valueAxis.labels, chart.lineLabels)
    drawing.add(chart)
    drawing.add(_legend(width - 105, CHART_HEIGHT - 20, [
        (colors.black, "受理合计"), (colors.black, "其中投诉"), (colors.black, "重大投诉"),
    ], lines=styles))
    if not any(point.received for point in points):
        drawing.add(String(chart.x + chart.width / 2, chart.y + chart.height / 2,
                           "近 12 个月没有受理记录", fontName=cjk_font(), fontSize=9,
                           textAnchor="middle"))
    return drawing


def _scale(chart: VerticalBarChart | HorizontalLineChart, data: Sequence[Sequence[int]]) -> None:
    """Whole-number steps from zero, a little headroom for the value labels."""
    top = max((value for series in data for value in series), default=0)
    step = max(1, _nice_step(top))
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = (top // step + 1) * step
    chart.valueAxis.valueStep = step


def _nice_step(top: int) -> int:
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000):
        if top / step <= 6:
            return step
    return max(1, top // 5)


def _legend(
    x: float, y: float, items: Sequence[tuple[colors.Color, str]],
    lines: Sequence[tuple[float, tuple[int, int] | None]] = (),
) -> Legend:
    legend = Legend()
    legend.x, legend.y = x, y
    legend.fontName = cjk_font()
    legend.fontSize = 8
    legend.alignment = "right"
    legend.columnMaximum = len(items)
    legend.colorNamePairs = list(items)
    legend.strokeColor = colors.black
    legend.strokeWidth = 0.4
    if lines:
        swatches = []
        for (color, name), (line_width, dashes) in zip(items, lines, strict=True):
            swatch = LineSwatch()
            swatch.strokeColor = color
            swatch.strokeWidth = line_width
            swatch.strokeDashArray = dashes
            swatches.append((swatch, name))
        legend.colorNamePairs = swatches
    return legend
