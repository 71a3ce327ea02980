"""Time to produce each monthly report for a month of N return lines (default 10,000), against
a bare reportlab table of the same rows with the same font. Target: within 2x.

    .venv/bin/python bench/reports.py [--lines 10000]
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import time
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desktop_app.domain.report_figures import (  # noqa: E402
    Month,
    MonthFigures,
    ReturnLine,
    quality_report,
    returns_report,
    special_report,
)
from desktop_app.reports.monthly_pdf import BUILDERS, write_report  # noqa: E402
from desktop_app.reports.monthly_xlsx import write_workbook  # noqa: E402
from desktop_app.reports.pdf_fonts import cjk_font  # noqa: E402
from desktop_app.reports.table_report import write_bare_table  # noqa: E402

MONTH = Month(2026, 10)
PRODUCTS = [
    "伊利纯牛奶 250ml×24", "海天生抽", "美的电饭煲", "红富士苹果", "心相印抽纸", "安踏运动鞋"
]
SUPPLIERS = ["伊利乳业", "海天味业", "美的电器", "鲜丰农产品有限公司", "恒安集团", "安踏体育"]


def synthetic_lines(count: int, seed: int = 1) -> list[ReturnLine]:
    rng = random.Random(seed)
    lines = []
    for index in range(count):
        product = rng.randrange(len(PRODUCTS))
        special = rng.random() < 0.1
        quality = rng.random() < 0.4
        lines.append(ReturnLine(
            approved_at=MONTH.start + timedelta(seconds=rng.randrange(31 * 86400 - 1)),
            case_no=f"TS-202610-{index + 1:05d}", receipt_no=f"20261015{rng.randrange(10**6):06d}",
            product_name=PRODUCTS[product], barcode=f"69{rng.randrange(10**11):011d}",
            quantity=rng.randint(1, 3), amount=Decimal(rng.randrange(100, 300000)) / 100,
            kind=rng.choice(["退货", "换货", "赔偿"]),
            category=rng.choice(["商品质量", "食品安全", "价格/收银", "计量"]),
            department=rng.choice(["生鲜部", "食品部", "日化部", "家电部"]),
            level=rng.choice(["前台经理/助理", "主管副店长", "店长"]),
            approver=rng.choice(["张丽", "李秀英", "王建国"]), clerk=rng.choice(["刘洋", "赵敏"]),
            is_special=special, special_reason="超过退换货期限" if special else "—",
            special_detail="顾客为老会员,店长特批" if special else "", is_quality=quality,
            supplier=SUPPLIERS[product] if quality else "", defect="包装破损,内有异物",
            confirmation="李班长 10-12 10:03", charge_back="待向供应商扣款",
        ))
    return lines


def seconds(action: object) -> float:
    started = time.perf_counter()
    action()  # type: ignore[operator]
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=10_000)
    args = parser.parse_args()
    cjk_font()  # registering the font is a one-off, not part of any report
    lines = synthetic_lines(args.lines)
    data = MonthFigures(
        month=MONTH, store_name="惠民生活超市(演示门店)", returns=returns_report(MONTH, lines),
        special=special_report(MONTH, lines), quality=quality_report(MONTH, lines),
    )
    printed = datetime(2026, 11, 1, 8, 0)
    print(f"{args.lines:,} return lines in {MONTH.label}")
    for kind in ("returns", "special", "quality"):
        report = BUILDERS[kind](data, "2026-11-01")
        rows = [[c.title for c in report.columns], *report.rows]
        bare = seconds(lambda rows=rows: write_bare_table(rows, io.BytesIO()))
        full = seconds(lambda kind=kind: write_report(kind, data, io.BytesIO(), printed))
        print(f"{kind:<8} {len(report.rows):>6} rows  report {full:6.2f} s   bare table "
              f"{bare:6.2f} s   ratio {full / bare:4.2f}x  (target ≤ 2x)")
    workbook = seconds(lambda: write_workbook(data, Path("/tmp/bench-reports.xlsx"), printed))
    print(f"xlsx workbook of all three tables {workbook:6.2f} s")


if __name__ == "__main__":
    main()
