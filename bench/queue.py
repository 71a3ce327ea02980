"""Case queue and save timings on a big store.

Prints, on a demo database of N cases (default 1,000,000; built once and kept under /tmp):
the time to open the queue (first page + count, and the real widget), to apply filters, to run
searches (targets: ≤ 100 ms each), and to save one case with fsync (target: ≤ 20 ms).

    .venv/bin/python bench/queue.py [--cases 1000000] [--db PATH] [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desktop_app.domain import cases as rules  # noqa: E402
from desktop_app.domain.registration import RegistrationDraft  # noqa: E402
from desktop_app.services.cases import QueueQuery  # noqa: E402
from desktop_app.services.database import open_desk_database  # noqa: E402
from desktop_app.services.desk import Desk, build_desk  # noqa: E402
from desktop_app.store.connection import close_database  # noqa: E402

TODAY = date(2026, 11, 24)
PAGE = 200


def ms(action: Callable[[], object], runs: int) -> float:
    action()  # first run warms SQLite's page cache, as a desk PC that has been on all day
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def ensure_database(path: Path, cases: int) -> None:
    if path.exists():
        return
    print(f"building a {cases:,}-case demo database at {path} (once; takes minutes)…", flush=True)
    subprocess.run(
        [sys.executable, "main.py", "demo-data", "--db", str(path), "--cases", str(cases)],
        cwd=ROOT, check=True,
    )


def open_queue(desk: Desk, query: QueueQuery) -> None:
    desk.cases.queue_page(query, TODAY, 0, PAGE)
    desk.cases.queue_count(query, TODAY)


def a_draft(now: datetime) -> RegistrationDraft:
    return RegistrationDraft(
        received_at=now, channel=rules.Channel.AT_DESK, customer_name="测试女士",
        customer_phone="13812345678", subject=rules.Subject.PRODUCT, product_barcode="",
        product_name="纯牛奶", department_name="", supplier_name="", staff_name="",
        receipt_no="A123456", purchase_date="", amount_paid="12.50", account="基准测试",
        demand=rules.Demand.REFUND, category=rules.Category.PRODUCT_QUALITY,
        kind=rules.Kind.COMPLAINT, is_major=False, promised_reply_date="",
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    path = args.db or Path(f"/tmp/complaint-desk-bench/queue-{args.cases}.sqlite3")
    path.parent.mkdir(parents=True, exist_ok=True)
    ensure_database(path, args.cases)

    opened = open_desk_database(path, datetime.now(), daily_backup=False)
    desk = build_desk(opened.db, path)
    count = desk.cases.queue_count(QueueQuery(), TODAY)
    print(f"database: {path} ({path.stat().st_size / 2**20:,.0f} MiB, queue count capped: {count})")
    queries = {
        "open queue (newest first, page + count)": QueueQuery(),
        "filter: open cases": QueueQuery(open_only=True),
        "filter: 商品质量": QueueQuery(category=rules.Category.PRODUCT_QUALITY),
        "filter: department + open": QueueQuery(department_id=2, open_only=True),
        "filter: date range (October)": QueueQuery(
            received_from=date(2026, 10, 1), received_until=date(2026, 10, 31)
        ),
        "filter: major only": QueueQuery(major_only=True),
        "filter: overdue only": QueueQuery(overdue_only=True),
        "filter: mine (clerk 5)": QueueQuery(clerk_id=5),
        "sort: by status": QueueQuery(sort="status"),
        "search: customer name 2 chars (王女)": QueueQuery(search="王女"),
        "search: name 3 chars (王女士)": QueueQuery(search="王女士"),
        "search: phone fragment (1381234)": QueueQuery(search="1381234"),
        "search: case number (TS-202610-0007)": QueueQuery(search="TS-202610-0007"),
        "search: product (纯牛奶)": QueueQuery(search="纯牛奶"),
        "search: receipt prefix (2026101501)": QueueQuery(search="2026101501"),
        "search: nothing matches (不存在的顾客)": QueueQuery(search="不存在的顾客"),
    }
    worst = 0.0
    for label, query in queries.items():
        figure = ms(lambda query=query: open_queue(desk, query), args.runs)
        worst = max(worst, figure)
        print(f"{label:<42} {figure:8.1f} ms")
    print(f"{'worst query':<42} {worst:8.1f} ms   (target ≤ 100 ms)")

    from PySide6.QtWidgets import QApplication

    from desktop_app.domain.accounts import Account
    from desktop_app.domain.roles import Role
    from desktop_app.ui.case_queue_page import CaseQueuePage

    app = QApplication.instance() or QApplication([])
    actor = Account(id=5, username="jiedai1", display_name="刘洋", role=Role.CLERK, active=True)

    def build_widget() -> None:
        page = CaseQueuePage(desk, actor)
        page.show()
        app.processEvents()
        page.close()
        page.deleteLater()

    print(f"{'queue page widget built and shown':<42} {ms(build_widget, args.runs):8.1f} ms")

    clerk = next(a for a in desk.accounts.list_accounts() if a.role is Role.CLERK)

    def save() -> None:
        desk.cases.register(clerk, a_draft(datetime.now().replace(microsecond=0)))

    print(f"{'save one case (synchronous=FULL, fsync)':<42} {ms(save, max(args.runs, 20)):8.1f} ms"
          "   (target ≤ 20 ms)")
    close_database()


if __name__ == "__main__":
    main()
