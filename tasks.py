#!/usr/bin/env python3
"""Developer tasks that work on a fresh Debian machine with nothing but Python 3.11+.

    python3 tasks.py run [app arguments]   start the app (creates .venv, installs what is missing)
    python3 tasks.py test [pytest args]    ruff + mypy + import contracts + the whole pytest suite

Both first install the Debian libraries Qt needs (as root, or through sudo) and the Python
packages from pyproject.toml into .venv.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
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
]


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
    return subprocess.call([str(PYTHON), "-m", "pytest", *arguments], cwd=ROOT, env=env)


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
