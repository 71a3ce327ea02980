"""The register at 1,000,000 cases, beside bare baselines, in one run (issue 18):

- ``main.py demo-data --cases N`` on a fresh file: its time, beside a raw ``executemany`` of the
  same case rows into a bare table (one transaction, no indexes but the three of the baseline);
- bytes per case of every table and index (SQLite's ``dbstat``), grouped: the case rows, their
  indexes, the search index, the register (entries and their index), receipts; beside the bare
  baseline: the same case rows with three indexes (case number, received, status + received);
- ``main.py verify`` (the full check) beside hashing the same stored bytes once;
- the check since the last clean one after N new saves (``--saves``, default 500): in the
  app's process (the daily check) and as ``main.py verify --since-last``.

    .venv/bin/python bench/register.py [--cases 1000000] [--db PATH] [--saves 500] [--reuse]

``--reuse`` keeps a file built before (no demo-data time then). Figures are wall-clock seconds;
CPU seconds (all processes) are printed beside them, since other work on the machine moves the
wall-clock figures (the load average is printed too).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from datetime import datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
# The project instead of bench/ first on the path: bench/queue.py would shadow the standard
# library's queue (which worker processes need).
sys.path[0] = str(ROOT)

from desktop_app.domain import cases as rules  # noqa: E402
from desktop_app.domain.registration import RegistrationDraft  # noqa: E402

# The bare baseline: the case row as the app stores it, with the three indexes any queue of
# cases needs (the "same case row with 3 indexes").
BASELINE_INDEXES = (
    'CREATE INDEX bare_received ON "case"(received_at)',
    'CREATE INDEX bare_status_received ON "case"(status, received_at)',
)
TARGETS = {"size": 3.0, "verify": 15.0, "demo": 60.0}


def load() -> str:
    return " / ".join(f"{value:.1f}" for value in os.getloadavg())


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(command: list[str]) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds of the process and its workers, standard output)."""
    cpu_before = children_cpu()
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return wall, children_cpu() - cpu_before, result.stdout


def build(path: Path, cases: int) -> tuple[float, float]:
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)
    wall, cpu, _ = run([sys.executable, "main.py", "demo-data", "--db", str(path),
                        "--cases", str(cases)])
    return wall, cpu


def case_count(db: sqlite3.Connection) -> int:
    return int(db.execute('SELECT COUNT(*) FROM "case"').fetchone()[0])


def sizes(db: sqlite3.Connection, schema: str = "main") -> dict[str, tuple[int, int]]:
    """name -> (bytes in pages, unused bytes) of every table and index."""
    return {
        str(name): (int(size), int(unused))
        for name, size, unused in db.execute(
            "SELECT name, SUM(pgsize), SUM(unused) FROM dbstat(?) GROUP BY name", (schema,)
        )
    }


def group_of(name: str, index_tables: dict[str, str]) -> str:
    table = index_tables.get(name, name)
    if name.startswith("case_search"):
        return "search index (FTS5)"
    if table == "case":
        return "case rows" if name == "case" else "case indexes"
    if table == "register_entry":
        return "register entries" if name == table else "register index"
    if table == "receipt":
        return "receipts (row + unique key)"
    return "everything else"


def print_sizes(db: sqlite3.Connection, cases: int) -> float:
    index_tables = {
        str(name): str(table)
        for name, table in db.execute("SELECT name, tbl_name FROM sqlite_master")
    }
    grouped: dict[str, int] = defaultdict(int)
    print(f"\n{'table / index':<34} {'bytes/case':>10} {'unused':>7}")
    found = sizes(db)
    for name, (size, unused) in sorted(found.items(), key=lambda item: -item[1][0]):
        grouped[group_of(name, index_tables)] += size
        if size / cases >= 1:
            print(f"{name:<34} {size / cases:10.1f} {unused / size:7.1%}")
    case_indexes = sum(
        1 for name, table in index_tables.items() if table == "case" and name in found
        and name != "case"
    )
    print(f"\n{'group':<34} {'bytes/case':>10}")
    for group, size in sorted(grouped.items(), key=lambda item: -item[1]):
        label = f"{group} ({case_indexes})" if group == "case indexes" else group
        print(f"{label:<34} {size / cases:10.1f}")
    total = sum(size for size, _ in found.values()) / cases
    print(f"{'whole file':<34} {total:10.1f}")
    return total


def baseline(db_path: Path, bare_path: Path) -> tuple[float, float, int]:
    """(bytes/case of the bare table, seconds of its raw executemany, rows)."""
    for leftover in (bare_path, Path(f"{bare_path}-wal"), Path(f"{bare_path}-shm")):
        leftover.unlink(missing_ok=True)
    source = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    ddl = source.execute("SELECT sql FROM sqlite_master WHERE name = 'case'").fetchone()[0]
    bare = sqlite3.connect(bare_path, isolation_level=None)
    bare.execute("PRAGMA journal_mode = WAL")
    bare.execute("PRAGMA synchronous = OFF")
    # The same columns and constraints (case number UNIQUE: the first index), no references.
    bare.execute(re.sub(r"REFERENCES [^,\n]*", "", ddl))
    for statement in BASELINE_INDEXES:
        bare.execute(statement)
    columns = [row[1] for row in source.execute('PRAGMA table_info("case")')]
    marks = ", ".join("?" * len(columns))
    insert = f'INSERT INTO "case" VALUES ({marks})'
    seconds = 0.0
    last = 0
    bare.execute("BEGIN")
    while True:
        rows = source.execute('SELECT * FROM "case" WHERE id > ? ORDER BY id LIMIT 50000',
                              (last,)).fetchall()
        if not rows:
            break
        started = time.perf_counter()
        bare.executemany(insert, rows)
        seconds += time.perf_counter() - started
        last = rows[-1][0]
    started = time.perf_counter()
    bare.execute("COMMIT")
    seconds += time.perf_counter() - started
    count = case_count(bare)
    total = sum(size for size, _ in sizes(bare).values())
    source.close()
    bare.close()
    return total / count, seconds, count


def hash_once(db_path: Path) -> float:
    """Reading and hashing every stored entry once: the floor of any full check."""
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    started = time.perf_counter()
    digest = hashlib.sha256()
    for (payload,) in db.execute("SELECT CAST(payload AS BLOB) FROM register_entry"):
        digest.update(payload)
    seconds = time.perf_counter() - started
    db.close()
    return seconds


class DurableCommits:
    """The floor of a save: one small row committed durably through peewee (WAL,
    synchronous=FULL, the app's pragmas) into a file of its own beside the register. The
    bench takes one right after each save, so both are timed in the same moments of the disk
    (taken apart, 300 of them in a row, the floor ranged 0.15–0.26 ms from run to run), and
    before it every other time, so neither pays for the other's write-back."""

    def __init__(self, folder: Path) -> None:
        from peewee import SqliteDatabase

        from desktop_app.store.connection import DURABLE_PRAGMAS

        path = folder / "durable-commit.sqlite3"
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
        self._db = SqliteDatabase(str(path), pragmas=DURABLE_PRAGMAS)
        self._db.connect()
        self._db.execute_sql("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT)")
        self._number = 0

    def commit_one(self) -> float:
        """Milliseconds of one row inserted and committed."""
        self._number += 1
        started = time.perf_counter()
        with self._db.atomic(lock_type="IMMEDIATE"):
            self._db.execute_sql("INSERT INTO t (a, b) VALUES (?, ?)", ("测试", str(self._number)))
        return (time.perf_counter() - started) * 1000

    def close(self) -> None:
        self._db.close()


SAVE_TIMES: list[float] = []
FLOOR_TIMES: list[float] = []


def saves_then_check(
    db_path: Path, saves: int, check: bool = True
) -> tuple[float, int, float, float]:
    """(seconds of the check since the last in the app's process, entries it checked,
    wall and CPU seconds of ``main.py verify --since-last``) after ``saves`` new cases (each
    save's milliseconds go to ``SAVE_TIMES``, the floor's taken right after to
    ``FLOOR_TIMES``). Without ``check``, the saves alone (zeros returned)."""
    from desktop_app.domain.roles import Role
    from desktop_app.services.database import open_desk_database
    from desktop_app.services.desk import build_desk
    from desktop_app.store.connection import close_database

    opened = open_desk_database(db_path, datetime.now(), daily_backup=False)
    floor = DurableCommits(db_path.parent)
    try:
        desk = build_desk(opened.db, db_path)
        clerk = next(a for a in desk.accounts.list_accounts() if a.role is Role.CLERK)
        now = datetime.now().replace(microsecond=0)
        for number in range(saves):
            draft = RegistrationDraft(
                received_at=now, channel=rules.Channel.AT_DESK, customer_name=f"测试{number}",
                customer_phone="13812345678", subject=rules.Subject.PRODUCT,
                product_barcode="", product_name="纯牛奶", department_name="",
                supplier_name="", staff_name="", receipt_no=f"B{number:06d}",
                purchase_date="", amount_paid="12.50", account="基准测试",
                demand=rules.Demand.REFUND, category=rules.Category.PRODUCT_QUALITY,
                kind=rules.Kind.COMPLAINT, is_major=False, promised_reply_date="",
            )
            if number % 2:  # the floor first every other time: neither waits on the other
                FLOOR_TIMES.append(floor.commit_one())
            started = time.perf_counter()
            desk.cases.register(clerk, draft)
            SAVE_TIMES.append((time.perf_counter() - started) * 1000)
            if not number % 2:
                FLOOR_TIMES.append(floor.commit_one())
        if not check:
            return 0.0, 0, 0.0, 0.0
        started = time.perf_counter()
        report = desk.register.verify_since_last()
        in_app = time.perf_counter() - started
        assert report.ok and report.since is not None, report.message
        checked = report.entries
        # Move the mark back, so the command line checks the same saves again.
        desk.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        floor.close()
        close_database()
    return in_app, checked, *_since_last_again(db_path, checked)


def _since_last_again(db_path: Path, checked: int) -> tuple[float, float]:
    from desktop_app.domain.register import Head
    from desktop_app.services import anchors

    mark = anchors.read_checked_mark(db_path)
    assert mark is not None
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    seq = mark.seq - checked
    (stored,) = db.execute("SELECT entry_hash FROM register_entry WHERE seq = ?",
                           (seq,)).fetchone()
    db.close()
    anchors.record_checked_mark(db_path, Head(seq, stored), datetime.now())
    wall, cpu, out = run([sys.executable, "main.py", "verify", "--since-last", "--db",
                          str(db_path)])
    assert "以来" in out, out
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--saves", type=int, default=500)
    parser.add_argument("--reuse", action="store_true", help="keep a file built before")
    parser.add_argument("--saves-only", action="store_true",
                        help="only the saves (and their floor) on the register --db")
    args = parser.parse_args()
    if args.saves_only:
        if args.db is None:
            parser.error("--saves-only needs --db REGISTER")
        saves_then_check(args.db, args.saves, check=False)
        print_saves()
        return
    path = args.db or Path(f"/tmp/complaint-desk-bench/register-{args.cases}.sqlite3")
    path.parent.mkdir(parents=True, exist_ok=True)
    print(f"{args.cases:,} cases at {path}; load average {load()}; {os.cpu_count()} processors")

    demo: tuple[float, float] | None = None
    if not (args.reuse and path.exists()):
        print("demo-data …", flush=True)
        demo = build(path, args.cases)
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    cases = case_count(db)
    total = print_sizes(db, cases)
    db.close()
    bare_size, bare_seconds, bare_rows = baseline(path, path.with_name("bare-baseline.sqlite3"))
    print(f"{'bare baseline (case row + 3 indexes)':<34} {bare_size:10.1f}")

    print("\nfull verify …", flush=True)
    hashed = hash_once(path)
    verify_wall, verify_cpu, out = run([sys.executable, "main.py", "verify", "--db", str(path)])
    assert "登记簿完整" in out, out
    print(f"\nsaves ({args.saves}) and the check since the last …", flush=True)
    in_app, checked, since_wall, since_cpu = saves_then_check(path, args.saves)

    print(f"\nload average now {load()}")
    print(f"\n{'figure':<52} {'app':>12} {'baseline':>12} {'ratio':>7} {'target':>9}")
    print(f"{'register size, bytes/case':<52} {total:12.0f} {bare_size:12.0f} "
          f"{total / bare_size:6.2f}× {'≤ 3×':>9}")
    if demo is not None:
        print(f"{'demo-data ' + format(cases, ',') + ' cases, s (CPU s)':<52} "
              f"{demo[0]:6.1f} ({demo[1]:4.0f}) {bare_seconds:12.1f} "
              f"{demo[0] / bare_seconds:6.1f}× {'≤ 60 s':>9}")
    else:
        print(f"{'raw executemany of the case rows, s':<52} {'':>12} {bare_seconds:12.1f}")
    print(f"{'full verify, s (CPU s, all processes)':<52} {verify_wall:6.1f} ({verify_cpu:4.0f}) "
          f"{hashed:12.1f} {verify_wall / hashed:6.1f}× {'≤ 15 s':>9}")
    print(f"{f'check since the last, {checked} new entries, in the app, s':<52} "
          f"{in_app:12.3f} {'':>12} {'':>7} {'< 1 s':>9}")
    print(f"{'same, main.py verify --since-last (process start), s':<52} "
          f"{since_wall:6.2f} ({since_cpu:4.1f})")
    print_saves()
    print(f"(baseline rows: {bare_rows:,}; hashing baseline: every stored payload read and "
          "hashed once; save baseline: a one-row peewee durable commit right after each save)")


def print_saves() -> None:
    median, p99 = statistics.median(SAVE_TIMES), statistics.quantiles(SAVE_TIMES, n=100)[98]
    floor = statistics.median(FLOOR_TIMES)
    print(f"{f'save one case + entry, fsync: median / p99 of {len(SAVE_TIMES)}, ms':<52} "
          f"{median:5.2f} / {p99:4.1f} {floor:12.3f} {median / floor:6.1f}× {'≤ 5×':>9}")


if __name__ == "__main__":
    main()
