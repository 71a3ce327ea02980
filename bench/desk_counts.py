"""The navigation's live counts (待审批, 逾期, 重大未确认) on a big store.

They are read every 15 seconds and after each save, so each must stay a few milliseconds.
Prints the median of several runs for a clerk and a store manager on a demo database of N cases
(default 1,000,000; the same file bench/queue.py builds and keeps under /tmp; no backup
or page check is made of it here).

    .venv/bin/python bench/desk_counts.py [--cases 1000000] [--db PATH] [--runs 9]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desktop_app.domain.accounts import Account  # noqa: E402
from desktop_app.domain.roles import Role  # noqa: E402
from desktop_app.services.database import open_desk_database  # noqa: E402
from desktop_app.services.desk_counts import DeskCountService  # noqa: E402
from desktop_app.store.connection import close_database  # noqa: E402

NOW = datetime(2026, 11, 24, 10, 0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    path = args.db or Path(f"/tmp/complaint-desk-bench/queue-{args.cases}.sqlite3")
    if not path.exists():
        print(f"building a {args.cases:,}-case demo database at {path} (once)…", flush=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "main.py", "demo-data", "--db", str(path), "--cases",
             str(args.cases)], cwd=ROOT, check=True,
        )
    opened = open_desk_database(path, NOW, daily_backup=False, check_pages=False)
    try:
        service = DeskCountService(opened.db, lambda: NOW)
        for role in (Role.CLERK, Role.STORE_MANAGER):
            actor = Account(id=1, username="bench", display_name="测速", role=role, active=True)
            service.counts(actor)  # a desk PC that has been on all day has the pages cached
            times = []
            for _ in range(args.runs):
                started = time.perf_counter()
                counts = service.counts(actor)
                times.append((time.perf_counter() - started) * 1000)
            print(
                f"{role.label:8} counts {statistics.median(times):6.2f} ms median, "
                f"{max(times):6.2f} ms worst  ({counts})"
            )
    finally:
        close_database()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
