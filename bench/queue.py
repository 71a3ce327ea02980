"""Case queue, search and save timings on a big store.

Prints, on a demo database of N cases (default 1,000,000; built once and kept under /tmp):

- opening the queue and each filter (page of 200 + count), and the real widget;
- every kind of search, median and p99 (target: median ≤ 30 ms each);
- the save's tail: 300 saves in a row, one after another (target: p99 ≤ 10 ms), and what they
  leave to the search index: its segments, the searches before any merging, and the idle-time
  merge steps that tidy it again (each step's time, how many);
- the search index's size per case.

    .venv/bin/python bench/queue.py [--cases 1000000] [--db PATH] [--runs 21] [--saves 300]
"""

from __future__ import annotations

import argparse
import dataclasses
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
from desktop_app.store import search_index  # noqa: E402
from desktop_app.store.connection import close_database  # noqa: E402

TODAY = date(2026, 11, 24)
PAGE = 200
# The saves use these names in turn, so a rare two-character name (美丽) exists to be found.
SAVED_NAMES = ("测试女士", "王美丽", "欧阳先生", "李秀英", "张美丽")


def timings(action: Callable[[], object], runs: int) -> list[float]:
    action()  # first run warms SQLite's page cache, as a desk PC that has been on all day
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return times


def median_p99(times: list[float]) -> tuple[float, float]:
    return statistics.median(times), statistics.quantiles(times, n=100, method="inclusive")[98]


def ensure_database(path: Path, cases: int) -> None:
    if path.exists():
        return
    print(f"building a {cases:,}-case demo database at {path} (once; takes minutes)…", flush=True)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "main.py", "demo-data", "--db", str(path), "--cases", str(cases)],
        cwd=ROOT, check=True,
    )
    print(f"demo-data --cases {cases}: {time.perf_counter() - started:,.0f} s")


def open_queue(desk: Desk, query: QueueQuery) -> None:
    desk.cases.queue_page(query, TODAY, 0, PAGE)
    desk.cases.queue_count(query, TODAY)


def a_draft(now: datetime, name: str) -> RegistrationDraft:
    return RegistrationDraft(
        received_at=now, channel=rules.Channel.AT_DESK, customer_name=name,
        customer_phone="13812345678", subject=rules.Subject.PRODUCT, product_barcode="",
        product_name="纯牛奶", department_name="", supplier_name="", staff_name="",
        receipt_no="A123456", purchase_date="", amount_paid="12.50", account="基准测试",
        demand=rules.Demand.REFUND, category=rules.Category.PRODUCT_QUALITY,
        kind=rules.Kind.COMPLAINT, is_major=False, promised_reply_date="",
    )


def filter_queries() -> dict[str, QueueQuery]:
    return {
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
        "search + filter: 美丽, open cases": QueueQuery(search="美丽", open_only=True),
        "search + filter: 先生, open cases": QueueQuery(search="先生", open_only=True),
        "search + filter: 用了两天, major only": QueueQuery(search="用了两天", major_only=True),
        "search + filter: 56, October": QueueQuery(
            search="56", received_from=date(2026, 10, 1), received_until=date(2026, 10, 31)
        ),
        "search + filter: 王女士, mine (clerk 5)": QueueQuery(search="王女士", clerk_id=5),
        "search + sort: 牛奶 by status": QueueQuery(search="牛奶", sort="status"),
    }


def search_texts(desk: Desk, cases: int) -> dict[str, str]:
    """One text of every kind; phone and receipt tails are cut from cases in the middle."""
    middle = [desk.cases.case(case_id) for case_id in range(cases // 2, cases // 2 + 10)]
    phone = middle[0].customer_phone
    receipt = next(case.receipt_no for case in middle if case.receipt_no)
    return {
        "name, 2 chars, rare (美丽)": "美丽",
        "name, 2 chars, 1 in 5 cases (先生)": "先生",
        "name, 3 chars (王女士)": "王女士",
        f"phone tail, 4 digits ({phone[-4:]})": phone[-4:],
        f"phone, whole ({phone})": phone,
        f"receipt tail, 4 digits ({receipt[-4:]})": receipt[-4:],
        f"receipt tail, 6 digits ({receipt[-6:]})": receipt[-6:],
        f"receipt, whole ({receipt})": receipt,
        "product word, 2 chars (牛奶)": "牛奶",
        "product word, 3 chars (纯牛奶)": "纯牛奶",
        "product, 5 chars (250ml)": "250ml",
        "case number (TS-202610-0007)": "TS-202610-0007",
        "case number, part (202610-00)": "202610-00",
        "statement, 2 chars (变质)": "变质",
        "statement, 4 chars (用了两天)": "用了两天",
        "no match, 2 chars (美女)": "美女",
        "no match, 6 chars (不存在的顾客)": "不存在的顾客",
        "two digits (56)": "56",
        "one character: surname (王)": "王",
        **{
            f"2 chars followed by {count} different chars ({pair})": pair
            for pair, count in FREE_TEXT_PAIRS
        },
    }


# Free text makes a pair of characters followed by many different ones (a two-character
# search reads one index term per following character); the demo's statements are too few.
FREE_TEXT_PAIRS = (("过期", 30), ("味道", 300), ("外观", 1000))
FREE_TEXT_REPEATS = 5


def add_free_text_cases(desk: Desk) -> None:
    """Once per database: FREE_TEXT_REPEATS cases for each pair and following character."""
    if desk.cases.queue_count(QueueQuery(search=FREE_TEXT_PAIRS[-1][0]), TODAY):
        return
    from desktop_app.domain.roles import Role

    clerk = next(a for a in desk.accounts.list_accounts() if a.role is Role.CLERK)
    now = datetime.now().replace(microsecond=0)
    for pair, count in FREE_TEXT_PAIRS:
        for _ in range(FREE_TEXT_REPEATS):
            for offset in range(count):
                draft = a_draft(now, "测试女士")
                account = f"今天{pair}{chr(0x4E00 + offset)}有问题"
                desk.cases.register(clerk, dataclasses.replace(draft, account=account))
    while desk.cases.tidy_search_index():
        pass


def measure_searches(desk: Desk, texts: dict[str, str], runs: int) -> dict[str, list[float]]:
    return {
        label: timings(lambda text=text: open_queue(desk, QueueQuery(search=text)), runs)
        for label, text in texts.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--saves", type=int, default=300)
    args = parser.parse_args()
    path = args.db or Path(f"/tmp/complaint-desk-bench/queue-{args.cases}.sqlite3")
    path.parent.mkdir(parents=True, exist_ok=True)
    ensure_database(path, args.cases)

    opened = open_desk_database(path, datetime.now(), daily_backup=False)
    desk = build_desk(opened.db, path)
    count = desk.cases.queue_count(QueueQuery(), TODAY)
    print(f"database: {path} ({path.stat().st_size / 2**20:,.0f} MiB, queue count capped: {count})")
    cases = _case_total(desk)
    size = search_index.size_bytes()
    if size is not None:
        print(f"search index: {size / 2**20:,.1f} MiB, {size / cases:,.1f} bytes per case, "
              f"{search_index.segment_count()} segment(s)")

    print(f"\n{'queue and filters':<44} {'median':>8} {'p99':>8}")
    worst = 0.0
    for label, query in filter_queries().items():
        median, p99 = median_p99(timings(lambda query=query: open_queue(desk, query), args.runs))
        worst = max(worst, median)
        print(f"{label:<44} {median:6.1f} ms {p99:6.1f} ms")
    print(f"{'worst filter (median)':<44} {worst:6.1f} ms   (target ≤ 100 ms)")

    _widget(desk, args.runs)
    add_free_text_cases(desk)
    texts = search_texts(desk, cases)
    _saves(desk, args.saves)
    unmerged = measure_searches(desk, texts, args.runs)
    _merge_until_tidy(desk)
    merged = measure_searches(desk, texts, args.runs)

    print(f"\n{'search (page of 200 + count)':<44} {'median':>8} {'p99':>8}"
          f"   {'right after the saves':>21}   matches")
    for label, times in merged.items():
        median, p99 = median_p99(times)
        before, before_p99 = median_p99(unmerged[label])
        matches = desk.cases.queue_count(QueueQuery(search=texts[label]), TODAY)
        shown = f"{matches:,}" if matches < 10_000 else "≥ 10,000"
        print(f"{label:<44} {median:6.1f} ms {p99:6.1f} ms   {before:6.1f} ms {before_p99:6.1f} ms"
              f"   {shown}")
    worst_search = max(median_p99(times)[0] for times in merged.values())
    worst_before = max(median_p99(times)[0] for times in unmerged.values())
    print(f"{'worst search (median)':<44} {worst_search:6.1f} ms{'':12}{worst_before:6.1f} ms"
          f"{'':10}(target ≤ 30 ms)")

    started = time.perf_counter()
    close_database()
    closing = (time.perf_counter() - started) * 1000
    print(f"\n{'close (bounded merge + statistics)':<44} {closing:6.1f} ms")


def _case_total(desk: Desk) -> int:
    from desktop_app.store.connection import database

    return int(database.execute_sql('SELECT count(*) FROM "case"').fetchone()[0])


def _widget(desk: Desk, runs: int) -> None:
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from desktop_app.domain.accounts import Account
    from desktop_app.domain.roles import Role
    from desktop_app.ui.case_queue_page import CaseQueuePage

    app = QApplication.instance() or QApplication([])
    # The offscreen platform says this for every top-level window; it is not our warning.
    qInstallMessageHandler(
        lambda _kind, _context, text: None if "propagateSizeHints" in text else print(text)
    )
    actor = Account(id=5, username="jiedai1", display_name="刘洋", role=Role.CLERK, active=True)

    def build_widget() -> None:
        page = CaseQueuePage(desk, actor)
        page.show()
        app.processEvents()
        page.close()
        page.deleteLater()

    median, _ = median_p99(timings(build_widget, runs))
    print(f"{'queue page widget built and shown':<44} {median:6.1f} ms")


def _saves(desk: Desk, saves: int) -> None:
    from desktop_app.domain.roles import Role

    clerk = next(a for a in desk.accounts.list_accounts() if a.role is Role.CLERK)
    before = search_index.segment_count()
    times = []
    for number in range(saves):
        draft = a_draft(datetime.now().replace(microsecond=0), SAVED_NAMES[number % 5])
        started = time.perf_counter()
        desk.cases.register(clerk, draft)
        times.append((time.perf_counter() - started) * 1000)
    median, p99 = median_p99(times)
    print(f"\n{saves} saves in a row (synchronous=FULL, fsync each; no merging in between)")
    print(f"{'save one case: median':<44} {median:6.1f} ms   (target ≤ 20 ms)")
    print(f"{'save one case: p99':<44} {p99:6.1f} ms   (target ≤ 10 ms)")
    print(f"{'save one case: max':<44} {max(times):6.1f} ms")
    print(f"{'search index segments before → after':<44} {before} → "
          f"{search_index.segment_count()}")


def _merge_until_tidy(desk: Desk) -> None:
    """The idle timer's steps (ui.search_upkeep), one after another until none is due."""
    steps: list[float] = []
    more = True
    while more:
        started = time.perf_counter()
        more = desk.cases.tidy_search_index()
        steps.append((time.perf_counter() - started) * 1000)
    print(f"{'idle merge steps until tidy':<44} {len(steps)} steps, max {max(steps):.1f} ms, "
          f"total {sum(steps):,.0f} ms → {search_index.segment_count()} segment(s)")
    # The largest merge an idle step can be part of: the whole index rewritten into one
    # segment (what happens, rarely, when enough small merges reach the largest segment).
    from desktop_app.store.connection import database

    whole: list[float] = []
    more = True
    while more:
        started = time.perf_counter()
        with database.atomic():
            more = search_index.merge_step(everything=True)
        whole.append((time.perf_counter() - started) * 1000)
    print(f"{'whole index merged into one, in idle steps':<44} {len(whole)} steps, "
          f"median {statistics.median(whole):.1f} ms, max {max(whole):.1f} ms, "
          f"total {sum(whole) / 1000:,.1f} s")


if __name__ == "__main__":
    main()
