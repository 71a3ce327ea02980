"""Early warning and complaint analysis on a big store: prints figures.

On a register of N cases (default 1,000,000 over the year before 2026-11-24; built once with
its own fast generator and kept under /tmp: the cases' rows only, no register entries, which
neither the rules nor the analysis read):

- the warning check alone (``services.warnings.check_new_case``) for a product case, a service
  case naming a staff member, and a food-safety case: when no warning is open (every rule
  counts its window) and when each subject already has an open warning (the case joins it);
  median and worst of many runs, each in a transaction rolled back. Target ≤ 5 ms.
- a whole registration through ``CaseService.register`` (fsync included), median and p99.
- the analysis for each period (本月, 上月, 近 3 个月, 近 12 个月): the service's queries and
  figures, and the page's redraw with pyqtgraph (offscreen). Target ≤ 300 ms to draw.
- importing pyqtgraph (and numpy), paid once when the page is first opened.

    .venv/bin/python bench/warnings.py [--cases 1000000] [--db PATH] [--runs 30]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desktop_app.domain import cases as rules  # noqa: E402
from desktop_app.domain import complaint_analysis as figures  # noqa: E402
from desktop_app.domain.case_numbers import format_case_number  # noqa: E402
from desktop_app.domain.registration import RegistrationDraft  # noqa: E402
from desktop_app.domain.warning_rules import (  # noqa: E402
    THRESHOLD_FIELDS,
    Threshold,
    WarningSettings,
)
from desktop_app.services import case_tally, catalogue_records  # noqa: E402
from desktop_app.services import warnings as warning_service  # noqa: E402
from desktop_app.services.database import open_desk_database  # noqa: E402
from desktop_app.services.desk import Desk, build_desk  # noqa: E402
from desktop_app.services.unit_of_work import UnitOfWork  # noqa: E402
from desktop_app.store import search_index  # noqa: E402
from desktop_app.store.connection import close_database, database  # noqa: E402

NOW = datetime(2026, 11, 24, 9, 0)
DEPARTMENTS = 12
SUPPLIERS = 60
PRODUCTS = 3000
STAFF = [f"员工{n:02d}" for n in range(40)]
CATEGORY_WEIGHTS = (30, 8, 14, 20, 8, 6, 14)
CHUNK = 50_000


# --- a big register, fast -------------------------------------------------------------------


def build(path: Path, cases: int) -> None:
    print(f"building {cases:,} cases at {path} (once)…", flush=True)
    started = time.perf_counter()
    opened = open_desk_database(path, NOW, daily_backup=False)
    opened.db.execute_sql("PRAGMA synchronous = OFF")
    desk = build_desk(opened.db, path, lambda: NOW)
    boss = desk.accounts.create_first_store_manager("基准店", "boss", "王店长", "secret1",
                                                    "secret1")
    with UnitOfWork(desk.db) as uow:
        departments = catalogue_records.add_departments(
            [f"部门{n:02d}" for n in range(DEPARTMENTS)], None, NOW)
        suppliers = catalogue_records.add_suppliers(
            [f"供应商{n:03d}" for n in range(SUPPLIERS)], None, NOW)
        department_ids, supplier_ids = list(departments.values()), list(suppliers.values())
        catalogue_records.add_products([
            (f"69{n:011d}", f"商品{n:04d} 500g", department_ids[n % DEPARTMENTS],
             supplier_ids[n % SUPPLIERS], 990) for n in range(PRODUCTS)
        ], None, NOW)
        uow.commit()
    rng = random.Random(1)
    products = [(f"69{n:011d}", f"商品{n:04d} 500g", n + 1, department_ids[n % DEPARTMENTS],
                 supplier_ids[n % SUPPLIERS]) for n in range(PRODUCTS)]
    first_day = NOW - timedelta(days=365)
    moments = sorted(rng.randrange(365 * 86400) for _ in range(cases))
    sequences: dict[str, int] = {}
    with search_index.suspended_indexing():
        for chunk_start in range(0, cases, CHUNK):
            rows = [
                _row(rng, chunk_start + i + 1, first_day + timedelta(seconds=second),
                     products, department_ids, boss.id, sequences)
                for i, second in enumerate(moments[chunk_start:chunk_start + CHUNK])
            ]
            with database.atomic():
                columns = list(rows[0])
                database.cursor().executemany(
                    f'INSERT INTO "case" ({", ".join(columns)}) '
                    f"VALUES ({', '.join('?' * len(columns))})",
                    [tuple(row[c] for c in columns) for row in rows])
            print(f"\r{chunk_start + len(rows):,}", end="", flush=True)
    with database.atomic():
        for month, last in sequences.items():
            database.execute_sql("INSERT OR REPLACE INTO case_counter VALUES (?, ?)",
                                 (month, last))
        # Rows written past the services: the analysis tally is recounted from them.
        case_tally.rebuild()
    database.execute_sql("ANALYZE")
    close_database()
    print(f"\nbuilt in {time.perf_counter() - started:,.0f} s "
          f"({path.stat().st_size / 2**30:.1f} GiB)")


def _row(rng: random.Random, case_id: int, received: datetime, products: list[Any],
         departments: list[int], clerk: int, sequences: dict[str, int]) -> dict[str, Any]:
    category = rng.choices(list(rules.Category), CATEGORY_WEIGHTS)[0]
    product = category in (rules.Category.PRODUCT_QUALITY, rules.Category.FOOD_SAFETY,
                           rules.Category.PRICE_BILLING, rules.Category.WEIGHTS_MEASURES)
    barcode, name, product_id, department, supplier = rng.choice(products)
    staff = rng.choice(STAFF) if category is rules.Category.SERVICE_ATTITUDE else ""
    month = f"{received:%Y%m}"
    sequences[month] = sequences.get(month, 0) + 1
    status, first_response, closed, workflow = _progress(rng, received)
    at = received.isoformat(sep=" ")
    return {
        "id": case_id, "case_no": format_case_number(received.year, received.month,
                                                     sequences[month]),
        "received_at": at, "channel": "at_desk", "clerk_id": clerk,
        "customer_name": "顾客", "customer_phone": f"13{rng.randrange(10**9):09d}",
        "subject": "product" if product else "service",
        "product_id": product_id if product else None,
        "product_barcode": barcode if product else "", "product_name": name if product else "",
        "department_id": department if product else rng.choice(departments),
        "supplier_id": supplier if product else None, "staff_name": staff,
        "receipt_no": "", "account": "基准数据", "demand": "refund",
        "category": category.value, "kind": "complaint", "is_major": 0, "status": status,
        "needs_confirmation": 0, "workflow": workflow, "first_response_at": first_response,
        "closed_at": closed, "updated_at": at, "personal_salt": "",
    }


def _progress(rng: random.Random, received: datetime) -> tuple[str, Any, Any, str]:
    if rng.random() < 0.03:
        return "voided", None, (received + timedelta(minutes=5)).isoformat(sep=" "), "{}"
    if (NOW - received).days < 10 and rng.random() < 0.5:
        return "in_progress", None, None, "{}"
    answered = received + timedelta(minutes=rng.randrange(5, 3000))
    closed = answered + timedelta(minutes=rng.randrange(60, 8000))
    if rng.random() < 0.08:
        return "not_upheld", answered.isoformat(sep=" "), answered.isoformat(sep=" "), "{}"
    score = rng.choices([5, 4, 3, 2, 1], (45, 30, 13, 8, 4))[0]
    workflow = f'{{"follow_up":{{"reached":true,"satisfaction":{score}}}}}'
    return "closed", answered.isoformat(sep=" "), closed.isoformat(sep=" "), workflow


# --- timing ------------------------------------------------------------------------------------


def timed(action: Callable[[], object], runs: int) -> list[float]:
    action()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return times


def line(label: str, times: list[float]) -> str:
    return (f"{label:<58} median {statistics.median(times):6.2f} ms   "
            f"worst {max(times):6.2f} ms")


def a_draft(kind: str, n: int) -> RegistrationDraft:
    product = kind != "staff"
    return RegistrationDraft(
        received_at=NOW, channel=rules.Channel.AT_DESK, customer_name="测试女士",
        customer_phone=f"139{n:08d}",
        subject=rules.Subject.PRODUCT if product else rules.Subject.SERVICE,
        product_barcode=f"69{7:011d}" if product else "", product_name="",
        department_name="" if product else "部门03", supplier_name="",
        staff_name="" if product else "员工07", receipt_no="", purchase_date="",
        amount_paid="", account="基准", demand=rules.Demand.REFUND,
        category={"product": rules.Category.PRODUCT_QUALITY, "staff":
                  rules.Category.SERVICE_ATTITUDE, "food": rules.Category.FOOD_SAFETY}[kind],
        kind=rules.Kind.COMPLAINT, is_major=False, promised_reply_date="",
    )


def bench_rules(desk: Desk, runs: int) -> None:
    boss = desk.accounts.authenticate("boss", "secret1")
    kinds = ("product", "staff", "food")
    print("\nthe warning check alone, in the save's transaction (rolled back):")
    # Thresholds out of reach: every rule counts its window and nothing is raised.
    desk.warnings.update_settings(boss, WarningSettings(**{
        name: Threshold(99, getattr(WarningSettings(), name).days)
        for name in THRESHOLD_FIELDS}))  # type: ignore[arg-type]
    counting = {kind: unchecked(desk, boss, kind, n) for n, kind in enumerate(kinds)}
    for kind, case_id in counting.items():
        print(line(f"  {kind} case: every rule counts, none reached",
                   timed(check_only(desk, case_id), runs)))
    desk.warnings.update_settings(boss, WarningSettings())
    for kind, case_id in counting.items():
        raising = check_only(desk, case_id, close_first=True)
        print(line(f"  {kind} case: raises its warnings (≤ 50 cases each)",
                   timed(raising, max(3, runs // 3))))
    for kind in kinds:  # the warnings of these subjects are open from here on
        desk.cases.register(boss, a_draft(kind, 50))
    for n, kind in enumerate(kinds):
        joining = unchecked(desk, boss, kind, 60 + n)
        print(line(f"  {kind} case: joins the open warnings of its subjects",
                   timed(check_only(desk, joining), runs)))
    saves = []
    for n in range(runs):
        started = time.perf_counter()
        desk.cases.register(boss, a_draft(kinds[n % 3], 1000 + n))
        saves.append((time.perf_counter() - started) * 1000)
    print(f"{'a whole registration (fsync, rules, register entries)':<58} "
          f"median {statistics.median(saves):6.2f} ms   "
          f"p99 {statistics.quantiles(saves, n=100, method='inclusive')[98]:6.2f} ms")


def unchecked(desk: Desk, actor: Any, kind: str, n: int) -> int:
    """A case saved without its check, so the check can be timed on its own."""
    real = warning_service.check_new_case
    warning_service.check_new_case = lambda *_: []  # type: ignore[assignment]
    try:
        return desk.cases.register(actor, a_draft(kind, n)).case_id
    finally:
        warning_service.check_new_case = real  # type: ignore[assignment]


def check_only(desk: Desk, case_id: int, close_first: bool = False) -> Callable[[], object]:
    """The rules for one stored case, in a transaction that is rolled back."""
    values = _row_of(case_id)

    def run() -> None:
        with UnitOfWork(desk.db):
            if close_first:
                database.execute_sql("UPDATE warning SET status = 'closed', closed_at = ? "
                                     "WHERE status <> 'closed'", ("2026-11-01 00:00:00",))
            warning_service.check_new_case(case_id, values, None, NOW)

    return run


def _row_of(case_id: int) -> dict[str, Any]:
    cursor = database.execute_sql('SELECT * FROM "case" WHERE id = ?', (case_id,))
    return dict(zip([d[0] for d in cursor.description], cursor.fetchone(), strict=True))


def bench_analysis(desk: Desk, runs: int) -> None:
    started = time.perf_counter()
    import pyqtgraph  # noqa: F401

    print(f"\nimporting pyqtgraph and numpy (once, when the page first opens): "
          f"{(time.perf_counter() - started) * 1000:.0f} ms")
    from desktop_app.ui.analysis_page import AnalysisPage
    from desktop_app.ui.qt_app import create_application

    app = create_application([])
    boss = desk.accounts.authenticate("boss", "secret1")
    page = AnalysisPage(desk, boss)
    page.resize(1200, 700)
    page.show()
    app.processEvents()
    print("the analysis (queries + figures) and the page's redraw (+ paint):")
    for index, (label, back, months) in enumerate(figures.PRESETS):
        period = figures.preset(NOW.date(), back, months)
        def figures_only(period: figures.Period = period) -> None:
            desk.analysis.forget()
            desk.analysis.analysis(period)

        queries = timed(figures_only, runs)
        page.period.setCurrentIndex(index)

        def draw(fresh: bool = True) -> None:
            if fresh:
                desk.analysis.forget()
            page.refresh()
            page.grab()

        drawn = timed(draw, max(3, runs // 3))
        kept = timed(lambda: draw(fresh=False), max(3, runs // 3))
        print(line(f"  {label}: figures", queries))
        print(line(f"  {label}: page redrawn and painted", drawn))
        print(line(f"  {label}: again, register unchanged (figures kept)", kept))
    del app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    path = args.db or Path(f"/tmp/bench-warnings-{args.cases}.sqlite3")
    if not path.exists():
        build(path, args.cases)
    opened = open_desk_database(path, NOW, daily_backup=False)
    desk = build_desk(opened.db, path, lambda: NOW)
    count = database.execute_sql('SELECT count(*) FROM "case"').fetchone()[0]
    print(f"{count:,} cases, {os.cpu_count()} cores")
    try:
        bench_rules(desk, args.runs)
        bench_analysis(desk, args.runs)
    finally:
        close_database()


if __name__ == "__main__":
    main()
