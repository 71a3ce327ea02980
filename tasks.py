#!/usr/bin/env python3
"""Developer tasks that work on a fresh Debian machine with nothing but Python 3.11+.

    python3 tasks.py run [app arguments]   start the app (creates .venv, installs what is missing)
    python3 tasks.py test [pytest args]    ruff + mypy + import contracts + the whole pytest suite
                                           on SQLite, and beside it the store and services
                                           suites again on a throwaway PostgreSQL server

Both first install the Debian libraries Qt needs (as root, or through sudo) and the Python
packages from pyproject.toml into .venv.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
STAMP = VENV / ".installed"

# Qt's offscreen and xcb platforms, and poppler's pdffonts/pdftotext used by the PDF tests.
DEBIAN_PACKAGES = [
    "libgl1",
    "libegl1",
    "libxkbcommon0",
    "libfontconfig1",
    "libglib2.0-0",
    "libdbus-1-3",
    "libxkbcommon-x11-0",
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-image0",
    "libxcb-keysyms1",
    "libxcb-randr0",
    "libxcb-render-util0",
    "libxcb-shape0",
    "libxcb-xinerama0",
    "libxcb-xkb1",
    "poppler-utils",
    "binutils",
    # The server the store and services suites run on a second time (tests/postgres_server.py
    # starts a throwaway one in a temporary folder); pg_trgm comes with it.
    "postgresql",
]

# The tests that touch the database, run again with --engine=postgresql (the UI and the pure
# domain rules do not depend on the engine).
POSTGRES_SUITES = ["tests/integration", "tests/unit/services"]


def run(command: list[str], **kwargs: object) -> None:
    print("+", " ".join(str(part) for part in command), flush=True)
    subprocess.run(command, check=True, **kwargs)  # type: ignore[call-overload]


def missing_debian_packages() -> list[str]:
    if shutil.which("dpkg-query") is None:
        return []
    missing = []
    for package in DEBIAN_PACKAGES:
        status = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", package],
            capture_output=True,
            text=True,
            check=False,
        )
        if "install ok installed" not in status.stdout:
            missing.append(package)
    return missing


def install_debian_packages() -> None:
    missing = missing_debian_packages()
    if not missing:
        return
    prefix: list[str] = []
    if os.geteuid() != 0:
        if shutil.which("sudo") is None:
            sys.exit("缺少系统库,请以 root 安装:apt-get install " + " ".join(missing))
        prefix = ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run([*prefix, "apt-get", "update", "-qq"], env=env)
    run([*prefix, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], env=env)


def install_python_packages() -> None:
    if not PYTHON.exists():
        run([sys.executable, "-m", "venv", str(VENV)])
    pyproject = ROOT / "pyproject.toml"
    if STAMP.exists() and STAMP.stat().st_mtime >= pyproject.stat().st_mtime:
        return
    run([str(PYTHON), "-m", "pip", "install", "-q", "--upgrade", "pip"])
    run([str(PYTHON), "-m", "pip", "install", "-q", "-e", f"{ROOT}[test,package]"])
    STAMP.touch()


def prepare() -> None:
    install_debian_packages()
    install_python_packages()


def task_run(arguments: list[str]) -> int:
    prepare()
    return subprocess.call([str(PYTHON), str(ROOT / "main.py"), *arguments])


def task_test(arguments: list[str]) -> int:
    prepare()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    run([str(PYTHON), "-m", "ruff", "check", "."], cwd=ROOT)
    run([str(PYTHON), "-m", "mypy"], cwd=ROOT)
    run([str(VENV / ("Scripts" if os.name == "nt" else "bin") / "lint-imports")], cwd=ROOT)
    if arguments or os.name == "nt" or not postgres_available():
        return subprocess.call([str(PYTHON), "-m", "pytest", *arguments], cwd=ROOT, env=env)
    return test_both_engines(env)


def postgres_available() -> bool:
    """On Debian the package is installed above (or the run stops); elsewhere (no dpkg) the
    PostgreSQL pass runs when initdb is found, and is said to be left out when it is not."""
    sys.path.insert(0, str(ROOT / "tests"))
    import postgres_server

    if postgres_server.bin_dir() is not None:
        return True
    if shutil.which("dpkg-query") is not None:
        sys.exit("PostgreSQL 未安装(Debian 软件包 postgresql)")
    print("! PostgreSQL (initdb) not found: the store and services suites run on SQLite only")
    return False


def test_both_engines(env: dict[str, str]) -> int:
    """The whole suite on SQLite and, at the same time in a second process, the store and
    services suites on PostgreSQL (its output follows SQLite's); both must pass."""
    with throwaway_postgres() as (server, folder):
        log_path = folder / "pytest-postgresql.log"
        print(f"+ pytest --engine=postgresql {' '.join(POSTGRES_SUITES)} (beside, on {server})")
        with log_path.open("w", encoding="utf-8") as log:
            beside = subprocess.Popen(
                [
                    str(PYTHON), "-m", "pytest", "-q", "-p", "no:cacheprovider",
                    f"--basetemp={folder / 'pytest'}", "--engine=postgresql", *POSTGRES_SUITES,
                ],
                cwd=ROOT, env={**env, "DESK_TEST_PG": server}, stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                sqlite_code = subprocess.call([str(PYTHON), "-m", "pytest"], cwd=ROOT, env=env)
                postgres_code = beside.wait()
            finally:
                if beside.poll() is None:
                    beside.kill()
        print("\n===== the store and services suites on PostgreSQL =====")
        print(log_path.read_text(encoding="utf-8"), end="")
    return sqlite_code or postgres_code


@contextlib.contextmanager
def throwaway_postgres() -> Iterator[tuple[str, Path]]:
    """A PostgreSQL server in a temporary folder, stopped and removed at the end (also when
    the run is interrupted: SIGTERM becomes an exception so the ``finally`` runs)."""
    sys.path.insert(0, str(ROOT / "tests"))
    import postgres_server  # standard library only, usable before the venv

    signal.signal(signal.SIGTERM, _interrupted)
    folder = Path(tempfile.mkdtemp(prefix="desk-pg-"))
    folder.chmod(0o755)  # under root the server runs as "postgres" and must reach its folder
    try:
        yield postgres_server.start(folder / "server"), folder
    finally:
        postgres_server.stop(folder / "server")
        shutil.rmtree(folder, ignore_errors=True)


def _interrupted(_signal: int, _frame: object) -> None:
    raise KeyboardInterrupt


def main() -> int:
    tasks = {"run": task_run, "test": task_test}
    if len(sys.argv) < 2 or sys.argv[1] not in tasks:
        print(__doc__)
        return 2
    try:
        return tasks[sys.argv[1]](sys.argv[2:])
    except subprocess.CalledProcessError as error:
        return error.returncode or 1


if __name__ == "__main__":
    sys.exit(main())
