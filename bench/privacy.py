"""The day's erasure of customers' personal data on a large register, and scrubbing a backup.

    .venv/bin/python bench/privacy.py [--cases 100000] [--db PATH] [--keep]

A demo register (``main.py demo-data``) is given a retention period of 13 months and a clock
13 months and some days after its first complaints, so the oldest month or so of closed cases is
due. It prints:
  - the daily question (which cases are due) and how many there are;
  - erasing them: register entries, blanking the plain text, per case;
  - leaving no copy: the search index merged step by step (steps, the longest one, i.e. the
    longest a save at the desk can wait), the WAL cut to zero;
  - the one-time VACUUM of a file from before this version;
  - scrubbing one backup made before the erasure (the same erasures replayed, its index
    optimized);
  - that the register still verifies (and how long verify takes).
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desktop_app.domain import privacy as rules  # noqa: E402
from desktop_app.services import privacy as privacy_service  # noqa: E402
from desktop_app.services import register  # noqa: E402
from desktop_app.services.database import open_desk_database  # noqa: E402
from desktop_app.services.desk import Desk, build_desk  # noqa: E402
from desktop_app.services.unit_of_work import UnitOfWork  # noqa: E402
from desktop_app.store import backup, search_index  # noqa: E402
from desktop_app.store import privacy as privacy_store  # noqa: E402
from desktop_app.store.connection import close_database  # noqa: E402


def build(path: Path, cases: int) -> None:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "main.py", "demo-data", "--db", str(path), "--cases", str(cases)],
        cwd=ROOT, check=True, capture_output=True,
    )
    print(f"demo register of {cases:,} cases: {time.perf_counter() - started:.1f} s, "
          f"{path.stat().st_size / 2**20:.0f} MiB")


def first_received(path: Path) -> datetime:
    with sqlite3.connect(path) as connection:
        (first,) = connection.execute('SELECT MIN(received_at) FROM "case"').fetchone()
    return datetime.fromisoformat(str(first))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="privacy-bench-"))
    path = args.db or folder / "desk.sqlite3"
    if not path.exists():
        build(path, args.cases)
    now = first_received(path) + timedelta(days=13 * 31 + 20)
    made = backup.make_backup(path, now - timedelta(days=1))
    opened = open_desk_database(path, now, daily_backup=False)
    desk = build_desk(opened.db, path, lambda: now)
    try:
        run(desk, path, made, now)
    finally:
        close_database()
    if not args.keep and args.db is None:
        shutil.rmtree(folder)
    else:
        print(f"kept: {path}")


def run(desk: Desk, path: Path, made: Path, now: datetime) -> None:
    with UnitOfWork(desk.db) as uow:
        register.write_settings({rules.RETENTION_KEY: "13", rules.SHELF_LIFE_KEY: "0"},
                                None, now)
        uow.commit()
    started = time.perf_counter()
    due = desk.privacy.due()
    print(f"due: {len(due):,} cases, found in {(time.perf_counter() - started) * 1000:.1f} ms")

    # Erase without the clean-up first, to time each part on its own.
    forget = privacy_service.PrivacyService.forget_traces
    privacy_service.PrivacyService.forget_traces = lambda _self: True  # type: ignore[method-assign]
    started = time.perf_counter()
    result = desk.privacy.erase_due()
    took = time.perf_counter() - started
    privacy_service.PrivacyService.forget_traces = forget  # type: ignore[method-assign]
    per_case = took / max(len(result.erased), 1) * 1000
    print(f"erase {len(result.erased):,} cases: {took:.2f} s ({per_case:.2f} ms a case, "
          f"{privacy_service.BATCH} a transaction)")

    with UnitOfWork(desk.db):
        segments = search_index.segment_count()
    steps: list[float] = []
    more = True
    started = time.perf_counter()
    while more:
        step = time.perf_counter()
        with UnitOfWork(desk.db) as uow:
            more = search_index.merge_step(everything=True)
            uow.commit()
        steps.append(time.perf_counter() - step)
    print(f"search index merged from {segments} segments into one: "
          f"{time.perf_counter() - started:.2f} s in {len(steps)} steps, "
          f"longest step {max(steps) * 1000:.0f} ms")
    started = time.perf_counter()
    with UnitOfWork(desk.db):
        privacy_store.forget_index_samples()
    cut = privacy_store.checkpoint()
    print(f"WAL checkpoint (TRUNCATE): {(time.perf_counter() - started) * 1000:.0f} ms, "
          f"cut={cut}")

    size = path.stat().st_size / 2**20
    started = time.perf_counter()
    privacy_store.vacuum()
    privacy_store.checkpoint()
    print(f"one-time VACUUM of {size:.0f} MiB: {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    care = desk.privacy.care_for_backups()
    scrubbed = sum(count for _, count in care.scrubbed)
    print(f"backup of {made.stat().st_size / 2**20:.0f} MiB scrubbed ({scrubbed:,} cases, "
          f"index optimized, VACUUM when from before this version): "
          f"{time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    report = desk.register.verify()
    print(f"verify: ok={report.ok} in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
