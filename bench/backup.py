"""The daily backup of a large register, beside the window: its cost, and that nothing freezes.

    .venv/bin/python bench/backup.py [--cases 1000000] [--db PATH] [--keep]

The register is built the fast way: ``main.py demo-data`` writes ``--seed-cases`` cases through
the app's own code, then every row of the case, audit, refund and refund-item tables is copied
with shifted ids until ``--cases`` cases exist (the search index rebuilt once at the end). The
copies' audit chain does not verify; rows, indexes and pages are those of a real register, which
is what a backup reads. (``demo-data --cases 1000000`` itself took over 30 minutes for 250,000
cases at the time of writing, see issue 18.)

It prints:
  - the copy (SQLite backup API, own read-only connection, one snapshot) and the page check of
    the copy, each in seconds and MiB/s, and the page check of the live file (later days);
  - the event loop during the backup run by the app's IntegrityWatch: the largest gap between
    ticks of a 10 ms timer, beside the same without a backup (a frozen window shows as a gap of
    seconds);
  - saves (a durable commit into the register) made on the main thread while the backup runs,
    beside the same without it;
  - process start -> main window on this register when the day's backup is due and when it is
    already made, in pairs (the backup starts only once the window is on screen).
"""

from __future__ import annotations

import argparse
import itertools
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QTimer  # noqa: E402

from desktop_app.store import backup as backup_store  # noqa: E402
from desktop_app.store.db_file import page_check  # noqa: E402

# table -> (its id column, {column: table whose ids it refers to})
COPIED_TABLES: dict[str, tuple[str, dict[str, str]]] = {
    "case": ("id", {}),
    "audit_entry": ("seq", {"case_id": "case"}),
    "refund": ("id", {"case_id": "case"}),
    "refund_item": ("id", {"refund_id": "refund"}),
}


def build_register(path: Path, cases: int, seed_cases: int) -> None:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "main.py", "demo-data", "--db", str(path), "--cases", str(seed_cases)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    print(f"  demo-data {seed_cases:,} cases: {time.perf_counter() - started:.0f} s", flush=True)
    started = time.perf_counter()
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA synchronous = OFF")
    connection.execute("PRAGMA cache_size = -1000000")
    trigger = connection.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'case_search_insert'"
    ).fetchone()[0]
    connection.execute("DROP TRIGGER case_search_insert")
    spans = {
        table: connection.execute(f'SELECT max({key}) FROM "{table}"').fetchone()[0] or 0
        for table, (key, _) in COPIED_TABLES.items()
    }
    copies = cases // spans["case"]
    for copy in range(1, copies):
        connection.execute("BEGIN")
        for table, (key, refs) in COPIED_TABLES.items():
            columns = [row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')]
            values = []
            for column in columns:
                if column == key:
                    values.append(f"{column} + {copy * spans[table]}")
                elif column in refs:
                    values.append(f"{column} + {copy * spans[refs[column]]}")
                elif table == "case" and column == "case_no":
                    values.append(f"case_no || '-{copy}'")
                else:
                    values.append(column)
            names = ", ".join(columns)
            connection.execute(
                f'INSERT INTO "{table}" ({names}) SELECT {", ".join(values)} FROM "{table}" '
                f"WHERE {key} <= {spans[table]}"
            )
        connection.execute("COMMIT")
        print(f"\r  copies {copy + 1}/{copies}", end="", flush=True)
    connection.execute("INSERT INTO case_search(case_search) VALUES ('rebuild')")
    connection.execute(trigger)
    connection.execute("ANALYZE")
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    print(f"\n  rows copied and search index rebuilt: {time.perf_counter() - started:.0f} s")


def mib(path: Path) -> float:
    return path.stat().st_size / 2**20


def measure_copy_and_checks(path: Path) -> None:
    folder = path.parent / "backups"
    folder.mkdir(exist_ok=True)
    target = folder / "bench-copy.sqlite3"
    started = time.perf_counter()
    backup_store.copy_snapshot(path, target)
    copied = time.perf_counter() - started
    started = time.perf_counter()
    problems = page_check(target)
    checked = time.perf_counter() - started
    started = time.perf_counter()
    live_problems = page_check(path)
    live = time.perf_counter() - started
    size = mib(path)
    print(f"  copy (backup API, one snapshot)     {copied:7.1f} s  {size / copied:6.0f} MiB/s")
    print(f"  page check of the copy              {checked:7.1f} s  {size / checked:6.0f} MiB/s")
    print(f"  day's backup in all                 {copied + checked:7.1f} s")
    print(f"  page check of the live file         {live:7.1f} s  (later starts of the day)")
    assert problems == [] and live_problems == [], (problems, live_problems)
    target.unlink()


def event_loop_gaps(path: Path | None, saves_to: Path | None) -> tuple[float, float, list[float]]:
    """Largest gap between 10 ms ticks, and the commits made, while the watch runs (if any)."""
    app = QCoreApplication.instance()
    assert app is not None
    from desktop_app.ui.integrity_watch import IntegrityWatch

    ticks: list[float] = []
    commits: list[float] = []
    writer = sqlite3.connect(saves_to, isolation_level=None) if saves_to else None
    if writer is not None:
        writer.execute("PRAGMA journal_mode = wal")
        writer.execute("PRAGMA synchronous = FULL")
        writer.execute("CREATE TABLE IF NOT EXISTS bench_save (x TEXT)")

    def tick() -> None:
        ticks.append(time.perf_counter())
        if writer is not None and len(ticks) % 5 == 0:
            started = time.perf_counter()
            writer.execute("INSERT INTO bench_save VALUES ('a save while the backup runs')")
            commits.append(time.perf_counter() - started)

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(10)
    started = time.perf_counter()
    if path is not None:
        watch = IntegrityWatch(path, datetime.now(), backup=True, pages_checked=True)
        watch.finished.connect(app.quit)
        watch.start()
    else:
        QTimer.singleShot(5_000, app.quit)
    app.exec()
    elapsed = time.perf_counter() - started
    timer.stop()
    if writer is not None:
        writer.close()
    gaps = [later - earlier for earlier, later in itertools.pairwise(ticks)]
    return elapsed, max(gaps), commits


def window_after_start(path: Path) -> float:
    started = time.time()
    result = subprocess.run(
        [sys.executable, "main.py", "--bench-login", "dianzhang:demo1234", "--db", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    for line in result.stdout.splitlines():
        if line.startswith("main-window-shown-at"):
            return float(line.split()[1]) - started
    raise RuntimeError(result.stdout + result.stderr)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--seed-cases", type=int, default=20_000)
    parser.add_argument("--db", type=Path, help="use (or build once and keep) this register")
    args = parser.parse_args()
    app = QCoreApplication([])
    with tempfile.TemporaryDirectory() as folder:
        path = args.db or Path(folder) / "desk.sqlite3"
        if not path.exists():
            print(f"building a {args.cases:,}-case register ...", flush=True)
            build_register(path, args.cases, args.seed_cases)
        with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as connection:
            cases = connection.execute('SELECT count(*) FROM "case"').fetchone()[0]
        connection.close()
        for old in backup_store.list_backups(path):
            old.unlink()
        print(f"\nregister: {cases:,} cases, {mib(path):,.0f} MiB ({path})")
        measure_copy_and_checks(path)

        # The saves go into the register itself, as the app's do.
        idle_seconds, idle_gap, idle_commits = event_loop_gaps(None, path)
        busy_seconds, busy_gap, busy_commits = event_loop_gaps(path, path)
        made = backup_store.list_backups(path)
        print(f"  IntegrityWatch backup (copy + check, beside a running event loop): "
              f"{busy_seconds:.1f} s -> {made[-1].name if made else 'NOT MADE'}")
        print(f"  largest gap between 10 ms timer ticks: {busy_gap * 1000:.0f} ms during the "
              f"backup, {idle_gap * 1000:.0f} ms without it ({idle_seconds:.0f} s idle run)")
        print(
            f"  saves on the main thread during the backup: {len(busy_commits)}, median "
            f"{statistics.median(busy_commits) * 1000:.1f} ms, max {max(busy_commits) * 1000:.1f}"
            f" ms (without: median {statistics.median(idle_commits) * 1000:.1f} ms, "
            f"max {max(idle_commits) * 1000:.1f} ms)"
        )
        due: list[float] = []
        done: list[float] = []
        for _ in range(3):  # paired: the day's backup due, then already made
            for old in backup_store.list_backups(path):
                old.unlink()
            due.append(window_after_start(path))
            backup_store.make_backup(path, datetime.now())
            done.append(window_after_start(path))
        first, later = statistics.median(due), statistics.median(done)
        print(f"  process start -> main window (median of 3 pairs): day's backup due "
              f"{first * 1000:.0f} ms, already made {later * 1000:.0f} ms ({first / later:.2f}x)")
        for leftover in backup_store.list_backups(path):
            leftover.unlink()
    app.shutdown()


if __name__ == "__main__":
    main()
