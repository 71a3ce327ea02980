"""投诉分析 on a big demo register: prints each period's figures beside the 300 ms target.

The register is the demo's (``main.py demo-data``: one year of cases before 2026-11-24, the
bulk path with its register entries); built once at ``--db`` when the file is missing, which
takes several minutes for 1,000,000 cases. Then:

- the tally: how many entries it holds, and a check that it equals a recount of the case rows
  (what ``main.py verify`` adds, and about what the migration's rebuild costs);
- what a save pays to keep it: the tally step of a registration and of a change of status
  (in a transaction rolled back);
- for each period (本月, 上月, 近 3 个月, 近 12 个月): the analysis (queries + figures), and the
  page redrawn and painted with pyqtgraph (offscreen), each beside the target of 300 ms.

    .venv/bin/python bench/analysis.py [--cases 1000000] [--db PATH] [--runs 15] [--login U:P]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desktop_app.domain import complaint_analysis as figures  # noqa: E402
from desktop_app.services import case_tally  # noqa: E402
from desktop_app.services.database import open_desk_database  # noqa: E402
from desktop_app.services.desk import Desk, build_desk  # noqa: E402
from desktop_app.services.unit_of_work import UnitOfWork  # noqa: E402
from desktop_app.store import case_tally as tally_store  # noqa: E402
from desktop_app.store.connection import close_database, database  # noqa: E402

NOW = datetime(2026, 11, 24, 9, 0)  # the demo's "now": its cases fill the year before
TARGET_MS = 300.0


def timed(action: Callable[[], object], runs: int) -> list[float]:
    action()  # warm: first read of the pages from disk
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return times


def against_target(label: str, times: list[float]) -> str:
    median, worst = statistics.median(times), max(times)
    verdict = "met" if worst <= TARGET_MS else ("median met" if median <= TARGET_MS
                                                  else "NOT met")
    return (f"  {label:<34} median {median:7.1f} ms   worst {worst:7.1f} ms   "
            f"target ≤ {TARGET_MS:.0f} ms: {verdict}")


def bench_tally(desk: Desk) -> None:
    with UnitOfWork(desk.db):
        entries = len(tally_store.contents())
    started = time.perf_counter()
    with UnitOfWork(desk.db):
        finding = case_tally.disagreement()
    print(f"tally: {entries:,} entries; recount of every case and comparison "
          f"(main.py verify's part, ≈ the migration's rebuild): "
          f"{time.perf_counter() - started:.1f} s, "
          f"{'equal to the cases' if finding is None else finding}")
    with UnitOfWork(desk.db):
        newest = int(database.execute_sql('SELECT max(id) FROM "case"').fetchone()[0])
        added = timed(lambda: case_tally.added("case", [newest]), 50)
        moved = timed(lambda: _status_round_trip(newest), 50)
        # Leaving without commit: the unit of work rolls the tally's changes back.
    print(f"what a save pays: a registration's tally step median {statistics.median(added):.2f} "
          f"ms; a change of status (entries read before and after) "
          f"{statistics.median(moved) / 2:.2f} ms")


def _status_round_trip(case_id: int) -> None:
    """Two changes that touch the tally (voided and back), row updated in place."""
    for status in ("voided", "registered"):
        with case_tally.following("case", case_id, ["status"]):
            database.execute_sql('UPDATE "case" SET status = ? WHERE id = ?', (status, case_id))


def bench_periods(desk: Desk, runs: int, user: str, password: str) -> None:
    from desktop_app.ui.analysis_page import AnalysisPage
    from desktop_app.ui.qt_app import create_application

    app = create_application([])
    boss = desk.accounts.authenticate(user, password)
    page = AnalysisPage(desk, boss)
    page.resize(1200, 700)
    page.show()
    app.processEvents()
    print("投诉分析 per period (figures: the service's queries and figures; page: redrawn and "
          "painted, figures recomputed):")
    for index, (label, back, months) in enumerate(figures.PRESETS):
        period = figures.preset(NOW.date(), back, months)

        def figures_only(period: figures.Period = period) -> None:
            desk.analysis.forget()
            desk.analysis.analysis(period)

        queries = timed(figures_only, runs)
        page.period.setCurrentIndex(index)

        def draw() -> None:
            desk.analysis.forget()
            page.refresh()
            page.grab()

        drawn = timed(draw, runs)
        print(against_target(f"{label}: figures", queries))
        print(against_target(f"{label}: page", drawn))
    del app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--login", default="dianzhang:demo1234", help="a manager's USER:PASSWORD")
    args = parser.parse_args()
    path = args.db or Path(f"/tmp/bench-analysis-{args.cases}.sqlite3")
    if not path.exists():
        print(f"building a demo register of {args.cases:,} cases at {path} (once)…", flush=True)
        started = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "main.py"), "demo-data", "--db", str(path),
                        "--cases", str(args.cases)], check=True)
        print(f"built in {time.perf_counter() - started:,.0f} s")
    started = time.perf_counter()
    opened = open_desk_database(path, NOW, daily_backup=False)
    if opened.migrated_to:  # a register from before: its tally was just counted
        print(f"migrations {opened.migrated_to} applied in "
              f"{time.perf_counter() - started:.1f} s")
    desk = build_desk(opened.db, path, lambda: NOW)
    count = database.execute_sql('SELECT count(*) FROM "case"').fetchone()[0]
    print(f"{count:,} cases, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    try:
        bench_tally(desk)
        bench_periods(desk, args.runs, *args.login.split(":", 1))
    finally:
        close_database()


if __name__ == "__main__":
    main()
