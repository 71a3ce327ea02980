"""Median wall time from process start to the main window shown.

Compares the app (logged in, on an empty database and on a 100,000-case demo database) with a
bare PySide6 window that shows a table and a few fields. Target: within 1.3x of the bare window.

    .venv/bin/python bench/startup.py [--runs 7] [--cases 100000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}


def time_to_window(command: list[str]) -> float:
    started = time.time()
    result = subprocess.run(command, capture_output=True, text=True, env=ENV, cwd=ROOT, check=True)
    for line in result.stdout.splitlines():
        if line.startswith("main-window-shown-at"):
            return float(line.split()[1]) - started
    raise RuntimeError(f"no timing line in output:\n{result.stdout}\n{result.stderr}")


def median_of(command: list[str], runs: int) -> float:
    time_to_window(command)  # warm the OS file cache once
    return statistics.median(time_to_window(command) for _ in range(runs))


def prepare(folder: Path, cases: int) -> Path:
    path = folder / f"desk-{cases}.sqlite3"
    subprocess.run(
        [sys.executable, "main.py", "demo-data", "--db", str(path), "--cases", str(cases)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        env=ENV,
    )
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--cases", type=int, default=100_000)
    args = parser.parse_args()
    login = "dianzhang:demo1234"
    with tempfile.TemporaryDirectory() as folder:
        empty = prepare(Path(folder), 0)
        print(f"preparing a {args.cases:,}-case demo database ...", flush=True)
        started = time.perf_counter()
        large = prepare(Path(folder), args.cases)
        print(
            f"  built in {time.perf_counter() - started:.1f} s, "
            f"{large.stat().st_size / 2**20:.0f} MiB"
        )
        bare = median_of([sys.executable, "bench/bare_window.py"], args.runs)
        app = [sys.executable, "main.py", "--bench-login", login, "--db"]
        on_empty = median_of([*app, str(empty)], args.runs)
        on_large = median_of([*app, str(large)], args.runs)
    print(f"bare PySide6 window          {bare * 1000:7.0f} ms")
    print(f"app, empty database          {on_empty * 1000:7.0f} ms  ({on_empty / bare:.2f}x)")
    print(f"app, {args.cases:,}-case database {on_large * 1000:7.0f} ms  ({on_large / bare:.2f}x)")
    print("target: within 1.30x of the bare window")


if __name__ == "__main__":
    main()
