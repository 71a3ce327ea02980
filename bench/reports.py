"""Time to print each month-end report for a month of N return lines (default 10,000), beside
the floor: a bare reportlab table of the same rows in the same font, fed to reportlab in
500-row chunks (reportlab's own remedy for long tables). Target: within 1.3x.

Runs are paired (report, then its bare table, with the same warm caches) and the median of
``--runs`` pairs is printed.

    .venv/bin/python bench/reports.py [--lines 10000] [--runs 3] [--profile returns]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desktop_app.domain import cases as rules  # noqa: E402
from desktop_app.domain.complaint_stats import CaseFacts, MonthCount, complaint_stats  # noqa: E402
from desktop_app.domain.refunds import ChargeBack  # noqa: E402
from desktop_app.domain.report_figures import Month, ReturnLine, refund_figures  # noqa: E402
from desktop_app.domain.report_package import MonthFigures  # noqa: E402
from desktop_app.reports import monthly_pdf  # noqa: E402
from desktop_app.reports.kinds import REPORT_KINDS, kind  # noqa: E402
from desktop_app.reports.monthly_xlsx import write_workbook  # noqa: E402
from desktop_app.reports.pdf_fonts import cjk_font  # noqa: E402
from desktop_app.reports.table_report import TableReport, table_lines, write_bare_table  # noqa: E402

MONTH = Month(2026, 10)
PRINTED = datetime(2026, 11, 1, 8, 0)
CHUNK = 500
TARGET = 1.3
PRODUCTS = [
    "伊利纯牛奶 250ml×24", "海天生抽", "美的电饭煲", "红富士苹果", "心相印抽纸", "安踏运动鞋"
]
SUPPLIERS = ["伊利乳业", "海天味业", "美的电器", "鲜丰农产品有限公司", "恒安集团", "安踏体育"]
TABLE_BUILDERS: dict[str, Callable[[MonthFigures, datetime], TableReport]] = {
    "returns": monthly_pdf.returns_report,
    "special": monthly_pdf.special_report,
    "quality": monthly_pdf.quality_report,
}


def synthetic_lines(count: int, seed: int = 1) -> list[ReturnLine]:
    """``count`` item lines; refunds of one to three items, a few of every flag the reports
    print (head office, voided case, service compensation, waived charge-back)."""
    rng = random.Random(seed)
    lines: list[ReturnLine] = []
    refund_id = 0
    while len(lines) < count:
        refund_id += 1
        approved = MONTH.start + timedelta(seconds=rng.randrange(31 * 86400 - 1))
        special = rng.random() < 0.1
        quality = rng.random() < 0.4
        kind_label = rng.choice(["退货", "换货", "赔偿"])
        charge = rng.choice(list(ChargeBack)[1:]) if quality else ChargeBack.NOT_APPLICABLE
        head_office = "周国平 集团营运签〔2026〕001号 2026-10-12" if rng.random() < 0.01 else ""
        for _ in range(min(rng.randint(1, 3), count - len(lines))):
            product = rng.randrange(len(PRODUCTS))
            lines.append(ReturnLine(
                refund_id=refund_id, approved_at=approved,
                case_no=f"TS-202610-{refund_id:04d}",
                receipt_no=f"20261015{rng.randrange(10**6):06d}",
                product_name=PRODUCTS[product], barcode=f"69{rng.randrange(10**11):011d}",
                quantity=rng.randint(1, 3), amount=Decimal(rng.randrange(100, 300000)) / 100,
                kind=kind_label, category=rng.choice(["商品质量", "食品安全", "价格/收银", "计量"]),
                department=rng.choice(["生鲜部", "食品部", "日化部", "家电部"]),
                level=rng.choice(["前台经理/助理", "主管副店长", "店长"]),
                approver=rng.choice(["张丽", "李秀英", "王建国"]),
                clerk=rng.choice(["刘洋", "赵敏"]),
                is_special=special, special_reason="超过退换货期限" if special else "—",
                special_detail="顾客为老会员,店长特批" if special else "", is_quality=quality,
                supplier=SUPPLIERS[product] if quality else "", defect="包装破损,内有异物",
                confirmation="李班长 10-12 10:03", charge_back=charge,
                charge_back_note="供应商已换货补偿" if charge is ChargeBack.WAIVED else "",
                head_office=head_office, case_voided=rng.random() < 0.005,
                is_compensation=kind_label == "赔偿", responsible=rng.choice(["刘洋", "赵敏", ""]),
                category_is_quality=rng.random() < 0.3,
            ))
    return lines


def synthetic_cases(count: int, seed: int = 2) -> list[CaseFacts]:
    rng = random.Random(seed)
    cases = []
    for index in range(count):
        received = MONTH.previous.start + timedelta(seconds=rng.randrange(61 * 86400))
        status = rng.choice(list(rules.CaseStatus))
        closed = received + timedelta(hours=rng.randrange(1, 400))
        cases.append(CaseFacts(
            case_no=f"TS-{index:06d}", received_at=received, kind=rng.choice(list(rules.Kind)),
            category=rng.choice(list(rules.Category)), department=rng.choice(["生鲜部", "食品部"]),
            channel=rng.choice(list(rules.Channel)), is_major=rng.random() < 0.05, status=status,
            promised_reply_date=(received + timedelta(days=3)).date() if rng.random() < 0.3
            else None,
            first_response_at=received + timedelta(hours=rng.randrange(1, 100)),
            closed_at=closed if not rules.is_open(status) else None,
            follow_up_reached=rng.random() < 0.9, satisfaction=rng.randint(1, 5),
        ))
    return cases


def month_figures(lines: list[ReturnLine]) -> MonthFigures:
    cases = synthetic_cases(2000)
    counts = [MonthCount(MONTH.shifted(-offset).key, rules.Kind.COMPLAINT, False, 150 + offset)
              for offset in range(12)]
    return MonthFigures(
        month=MONTH, store_name="惠民生活超市(演示门店)", refunds=refund_figures(MONTH, lines),
        stats=complaint_stats(MONTH, cases, counts, datetime(2026, 11, 1)),
        chain_head="123456:0123456789abcdef",
    )


def seconds(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def bare_rows(report: TableReport) -> list[list[str]]:
    """The rows of the report's table as plain text: what the bare baseline lays out."""
    lines = table_lines(report.title, report.columns, report.rows, report.bold_rows,
                        report.sections, report.total_rows)
    return [[column.title for column in report.columns], *[list(texts) for texts, _ in lines]]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", choices=list(TABLE_BUILDERS), help="profile one report")
    args = parser.parse_args()
    cjk_font()  # registering the font is a one-off, not part of any report
    lines = synthetic_lines(args.lines)
    data = month_figures(lines)
    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(kind(args.profile).write_pdf, data, io.BytesIO(), PRINTED, None)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
        return
    print(f"{args.lines:,} item lines ({data.returns.total.refunds:,} refunds) in {MONTH.label}; "
          f"median of {args.runs} paired runs; bare = reportlab Table, same font, "
          f"{CHUNK}-row chunks")
    for key, builder in TABLE_BUILDERS.items():
        rows = bare_rows(builder(data, PRINTED))
        app_times, bare_times = [], []
        for _ in range(args.runs):
            app_times.append(seconds(
                lambda key=key: kind(key).write_pdf(data, io.BytesIO(), PRINTED, None)))
            bare_times.append(seconds(
                lambda rows=rows: write_bare_table(rows, io.BytesIO(), chunk=CHUNK)))
        app, bare = statistics.median(app_times), statistics.median(bare_times)
        verdict = "ok" if app / bare <= TARGET else "OVER"
        print(f"{key:<8} {len(rows) - 1:>6} rows  app {app:6.2f} s   bare {bare:6.2f} s   "
              f"ratio {app / bare:4.2f}x  (target ≤ {TARGET}x) {verdict}")
    for entry in REPORT_KINDS:
        if entry.key not in TABLE_BUILDERS:
            took = statistics.median(
                seconds(lambda entry=entry: entry.write_pdf(data, io.BytesIO(), PRINTED, None))
                for _ in range(args.runs))
            print(f"{entry.key:<8} {entry.title}  {took:6.2f} s")
    workbook = seconds(lambda: write_workbook(data, Path("/tmp/bench-reports.xlsx"), PRINTED))
    print(f"xlsx     workbook of every report  {workbook:6.2f} s")


if __name__ == "__main__":
    main()
