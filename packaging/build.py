#!/usr/bin/env python3
"""Build the one-folder bundle, and optionally start it once to prove it works.

    .venv/bin/python packaging/build.py            build into packaging/dist/ComplaintDesk
    .venv/bin/python packaging/build.py --smoke    build, then run the bundle's --smoke-test
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SPEC = HERE / "complaint_desk.spec"
NAME = "ComplaintDesk"


def build(dist: Path = HERE / "dist", work: Path = HERE / "build") -> Path:
    """Run PyInstaller on the spec; return the bundle folder."""
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", str(dist), "--workpath", str(work), str(SPEC)],
        cwd=ROOT, check=True,
    )
    return dist / NAME


def executable(bundle: Path) -> Path:
    return bundle / (f"{NAME}.exe" if os.name == "nt" else NAME)


def smoke_test(bundle: Path, db_path: Path) -> str:
    """Start the bundle offscreen on a fresh database: schema created, window shown, clean exit."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [str(executable(bundle)), "--smoke-test", "--db", str(db_path)],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )
    if result.returncode != 0 or "smoke-test ok:" not in result.stdout:
        raise RuntimeError(f"bundle smoke test failed ({result.returncode}):\n"
                           f"{result.stdout}\n{result.stderr}")
    return result.stdout.strip()


def schema_version(db_path: Path) -> int:
    with sqlite3.connect(db_path) as connection:
        return int(connection.execute("PRAGMA user_version").fetchone()[0])


def folder_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--smoke", action="store_true", help="run the built bundle once")
    args = parser.parse_args()
    started = time.perf_counter()
    bundle = build()
    print(f"built {bundle} in {time.perf_counter() - started:.0f} s, "
          f"{folder_size(bundle) / 2**20:.0f} MiB")
    if args.smoke:
        with tempfile.TemporaryDirectory() as folder:
            db_path = Path(folder) / "smoke.sqlite3"
            print(smoke_test(bundle, db_path))
            print(f"schema version {schema_version(db_path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
