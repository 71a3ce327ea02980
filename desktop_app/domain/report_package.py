"""The month-end package for the store manager (主管店长) and head office: every report's figures
computed once, and the one-page 汇总 that goes in front of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from desktop_app.domain.accounts import AccountChange
from desktop_app.domain.complaint_stats import (
    MEDIAN_REPLY,
    NOT_UPHELD,
    ON_TIME_SHARE,
    PERCENT,
    ComplaintStats,
    format_figure,
)
from desktop_app.domain.money import format_yuan
from desktop_app.domain.refund_policy import ABOVE_STORE_MANAGER
from desktop_app.domain.report_figures import (
    Month,
    QualityReport,
    RefundFigures,
    ReturnsReport,
    SpecialReport,
    Totals,
)


# The words every printed report and statement heads its page with.
def store_line(store_name: str) -> str:
    return f"门店:{store_name}"


def printed_line(printed_on: date | str) -> str:
    shown = printed_on if isinstance(printed_on, str) else f"{printed_on:%Y-%m-%d}"
    return f"打印日期:{shown}"


def month_line(month_label: str) -> str:
    return f"报表月份:{month_label}"


def chain_line(chain_head: str) -> str:
    return f"登记簿校验码:{chain_head}"


def waived_heading(waived: Decimal) -> str:
    """Above the waived lines of a notice or statement, which its totals leave out."""
    return f"已免除(不计入合计,共 {format_yuan(waived)})"


@dataclass(frozen=True)
class WarningSummary:
    """The month's early warnings: how many were raised and closed in it, and each one still
    open at the month's end (or now, for a month not yet over) as (warning, where it stands)."""

    raised: int
    closed: int
    still_open: tuple[tuple[str, str], ...]


WARNINGS_HEADING = "预警"


@dataclass(frozen=True)
class MonthFigures:
    """Everything the month's reports print."""

    month: Month
    store_name: str
    refunds: RefundFigures
    stats: ComplaintStats
    chain_head: str  # "N:HEX16": register.Head.code
    cutoff: datetime | None = None  # set while the month is not over: 数据截至
    # Separated duties are audited monthly: every account change of the month, from the register.
    account_changes: tuple[AccountChange, ...] = ()
    warnings: WarningSummary | None = None

    @property
    def returns(self) -> ReturnsReport:
        return self.refunds.returns

    @property
    def special(self) -> SpecialReport:
        return self.refunds.special

    @property
    def quality(self) -> QualityReport:
        return self.refunds.quality

    @property
    def cutoff_note(self) -> str:
        """「本月未结束,数据截至 …」 on a month not yet over; empty once it is."""
        if self.cutoff is None:
            return ""
        return f"本月未结束,数据截至 {self.cutoff:%Y-%m-%d %H:%M}"

    @property
    def chain_label(self) -> str:
        return chain_line(self.chain_head)


def counted(total: Totals) -> str:
    """``3 笔 / 5 件 / ¥120.50``: refunds, items, amount."""
    return f"{total.refunds} 笔 / {total.items} 件 / {format_yuan(total.amount)}"


@dataclass(frozen=True)
class SummaryLine:
    """One line of the 汇总: which report, what figure, its value as printed."""

    report: str
    label: str
    value: str


def summary_lines(data: MonthFigures, titles: dict[str, str]) -> list[SummaryLine]:
    """The headline figures of every report of the package, in the order they follow.
    ``titles`` maps each report kind (returns, special, quality, stats) to its title."""
    returns, special, quality = data.returns, data.special, data.quality
    charge = quality.charge_back
    meaning = data.refunds.meaning
    stats = data.stats.current
    reply, closing = stats.response, stats.closing
    lines = [
        SummaryLine(titles["returns"], "本月退换货合计", counted(returns.total)),
        *[SummaryLine(titles["returns"], f"其中{item.key}",
                      f"{item.refunds} 笔 / {item.items} 件 / {format_yuan(item.amount)}")
          for item in returns.by_kind],
        SummaryLine(titles["returns"], f"集团签批({ABOVE_STORE_MANAGER})",
                    counted(returns.head_office)),
        SummaryLine(titles["returns"], "已作废案件的退款(已付出,照计)", counted(returns.voided)),
        SummaryLine(titles["special"], "特殊情况退换货合计", counted(special.total)),
        SummaryLine(titles["quality"], "商品质量退换货合计(质量退货标记)",
                    counted(quality.total)),
        SummaryLine(titles["quality"], "供应商应扣(已扣 + 待扣)", format_yuan(charge.chargeable)),
        SummaryLine(titles["quality"], "其中已扣 / 待扣",
                    f"{format_yuan(charge.charged)} / {format_yuan(charge.pending)}"),
        SummaryLine(titles["quality"], "已免除(不计入应扣)",
                    f"{format_yuan(charge.waived)}({len(charge.waivers)} 笔)"),
        *([SummaryLine(titles["quality"], "少扣(店长改少的应扣,不计入应扣)",
                       f"{format_yuan(charge.cut)}({len(charge.cuts)} 笔)")]
          if charge.cut else []),
        SummaryLine(titles["quality"], "对照:案件类别为“商品质量”的退换货",
                    counted(meaning.category)),
        SummaryLine(titles["stats"], "本月受理投诉、意见、建议(不含作废)", f"{stats.received} 件"),
        SummaryLine(titles["stats"], "其中投诉 / 意见 / 建议",
                    " / ".join(f"{count.cases}" for count in stats.by_kind) + " 件"),
        SummaryLine(titles["stats"], "重大投诉", f"{stats.major} 件"),
        SummaryLine(titles["stats"], NOT_UPHELD, f"{stats.not_upheld} 件"),
        SummaryLine(titles["stats"], MEDIAN_REPLY,
                    format_figure(reply.median_hours, "小时")),
        SummaryLine(titles["stats"], ON_TIME_SHARE,
                    f"{format_figure(reply.on_time_share, PERCENT)}"
                    f"({reply.on_time}/{reply.on_time + reply.late})"),
        SummaryLine(titles["stats"], "本月结案 / 结案用时(中位数)",
                    f"{closing.closed} 件 / {format_figure(closing.median_days, '天')}"),
        SummaryLine(titles["stats"], "回访率 / 满意率",
                    f"{format_figure(closing.follow_up_share, PERCENT)} / "
                    f"{format_figure(closing.satisfied_share, PERCENT)}"),
        SummaryLine(titles["stats"], "未结案件(月末;本月未结束时为截至打印时)",
                    f"{stats.open_cases} 件"),
        *account_change_lines(data.account_changes),
    ]
    if data.warnings is not None:
        lines += warning_lines(data.warnings)
    return lines


ACCOUNT_CHANGES_TITLE = "账户变动(新建、角色、密码重置、停用、解锁)"


def account_change_lines(changes: tuple[AccountChange, ...]) -> list[SummaryLine]:
    if not changes:
        return [SummaryLine(ACCOUNT_CHANGES_TITLE, "本月账户变动", "无")]
    return [
        SummaryLine(ACCOUNT_CHANGES_TITLE, "本月账户变动", f"{len(changes)} 项"),
        *[SummaryLine(ACCOUNT_CHANGES_TITLE, change.sentence, "") for change in changes],
    ]


def warning_lines(summary: WarningSummary) -> list[SummaryLine]:
    """本月提出 / 关闭, and every warning still open at the month's end, one line each."""
    heading = WARNINGS_HEADING
    return [
        SummaryLine(heading, "本月提出 / 本月关闭", f"{summary.raised} / {summary.closed} 条"),
        SummaryLine(heading, "月末未关闭(本月未结束时为截至打印时)",
                    f"{len(summary.still_open)} 条"),
        *[SummaryLine(heading, label, state) for label, state in summary.still_open],
    ]
