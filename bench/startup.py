"""Start-up in two phases beside a bare PySide6 window, medians of paired runs.

Each round spawns the bare window (bench/bare_window.py: a QMainWindow with a table and three
fields) and then the app (``main.py --bench-login``) on the same database, so both see the same
machine state. From the app it reads:

  login dialog   process spawned -> login dialog on screen (the page check of a small file,
                 the lock and the Chinese font included)              target <= 1.3x bare
  loader         dialog on screen -> peewee, services and pages loaded, database opened; this
                 runs while the dialog waits for the password (a person types for seconds)
  main window    password checked (scrypt done) -> main window on screen  target <= 100 ms

    .venv/bin/python bench/startup.py [--runs 9] [--cases 20000] [--compiled]

``--compiled`` gives both processes a fresh bytecode cache (PYTHONPYCACHEPREFIX) warmed by one
run, as a user's installed copy has; without it the environment is used as it is, and when it
sets PYTHONDONTWRITEBYTECODE every start recompiles the app's own modules.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOGIN = "dianzhang:demo1234"


@dataclass
class AppRun:
    login_dialog: float
    loader: float
    main_window: float
    steps: dict[str, float]


def spawn(command: list[str], env: dict[str, str]) -> tuple[float, dict[str, float], str]:
    """Run ``command``; return its spawn time and the wall-clock marks it printed."""
    started = time.time()
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{command} failed:\n{result.stdout}\n{result.stderr}")
    marks: dict[str, float] = {}
    for line in result.stdout.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0].endswith("-at"):
            marks[parts[0]] = float(parts[1])
        elif parts and parts[0] == "loader-step":
            marks[f"step:{parts[1]}"] = float(parts[2]) / 1000
    return started, marks, result.stdout


def bare_run(env: dict[str, str]) -> float:
    started, marks, _ = spawn([sys.executable, "bench/bare_window.py"], env)
    return marks["main-window-shown-at"] - started


def app_run(db: Path, env: dict[str, str]) -> AppRun:
    command = [sys.executable, "main.py", "--bench-login", LOGIN, "--db", str(db)]
    started, marks, _ = spawn(command, env)
    return AppRun(
        login_dialog=marks["login-dialog-shown-at"] - started,
        loader=marks["loader-done-at"] - marks["login-dialog-shown-at"],
        main_window=marks["main-window-shown-at"] - marks["password-checked-at"],
        steps={key[5:]: value for key, value in marks.items() if key.startswith("step:")},
    )


def prepare(folder: Path, cases: int, env: dict[str, str]) -> Path:
    path = folder / f"desk-{cases}.sqlite3"
    subprocess.run(
        [sys.executable, "main.py", "demo-data", "--db", str(path), "--cases", str(cases)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        env=env,
    )
    return path


def ms(seconds: float) -> str:
    return f"{seconds * 1000:6.0f} ms"


def measure(db: Path, runs: int, env: dict[str, str]) -> None:
    bare_run(env)  # warm the OS file cache (and the bytecode cache, with --compiled)
    app_run(db, env)
    bares: list[float] = []
    apps: list[AppRun] = []
    for _ in range(runs):
        bares.append(bare_run(env))
        apps.append(app_run(db, env))
    bare = statistics.median(bares)
    login = statistics.median(run.login_dialog for run in apps)
    paired = statistics.median(run.login_dialog / b for run, b in zip(apps, bares, strict=True))
    loader = statistics.median(run.loader for run in apps)
    main_window = statistics.median(run.main_window for run in apps)
    size = db.stat().st_size / 2**20
    print(f"\n{db.name} ({size:.0f} MiB), median of {runs} paired runs")
    print(f"  bare PySide6 window with a table       {ms(bare)}")
    print(
        f"  app: login dialog on screen            {ms(login)}  "
        f"({login / bare:.2f}x bare; median of paired ratios {paired:.2f}x; target 1.30x)"
    )
    print(f"  app: loader while the dialog waits     {ms(loader)}")
    for name in apps[0].steps:
        step = statistics.median(run.steps[name] for run in apps)
        print(f"       {name:<32} {ms(step)}")
    print(f"  app: password checked -> main window   {ms(main_window)}  (target 100 ms)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--compiled", action="store_true", help="fresh bytecode cache for both")
    args = parser.parse_args()
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    with tempfile.TemporaryDirectory() as folder:
        if args.compiled:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(Path(folder) / "pycache")
            mode = "bytecode cached (fresh PYTHONPYCACHEPREFIX, warmed by one run)"
        elif env.get("PYTHONDONTWRITEBYTECODE"):
            mode = "PYTHONDONTWRITEBYTECODE set: the app's modules are recompiled at every start"
        else:
            mode = "environment as it is (bytecode written and reused)"
        print(f"mode: {mode}; platform {env['QT_QPA_PLATFORM']}")
        databases = [prepare(Path(folder), 0, env)]
        if args.cases:
            print(f"preparing a {args.cases:,}-case demo database ...", flush=True)
            databases.append(prepare(Path(folder), args.cases, env))
        for db in databases:
            measure(db, args.runs, env)


if __name__ == "__main__":
    main()
