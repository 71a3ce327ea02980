"""A throwaway PostgreSQL server in a temporary folder, for the tests and bench/postgres.py.

Standard library only: ``tasks.py`` loads it before the virtual environment exists. It uses
Debian's ``postgresql`` package (initdb, pg_ctl); PostgreSQL refuses to run as root, so under
root the server runs as the ``postgres`` user the package creates.

    python3 tests/postgres_server.py start FOLDER    prints the server's URL
    python3 tests/postgres_server.py stop FOLDER
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

SUPERUSER = "desk"
DEBIAN_PACKAGE = "postgresql"
# Durability is pointless for a server that lives as long as the test run; without it each
# commit costs no fsync and the suite's PostgreSQL pass stays short.
THROWAWAY_SETTINGS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
    "shared_buffers": "128MB",
    "listen_addresses": "'127.0.0.1'",
}


def bin_dir() -> Path | None:
    """The newest installed PostgreSQL's programs (Debian keeps them out of PATH)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_major)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _major(path: str) -> int:
    try:
        return int(Path(path).parts[-3])
    except ValueError:
        return 0


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--", *command]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start(folder: Path) -> str:
    """initdb + pg_ctl start in ``folder``; returns ``postgresql://desk@127.0.0.1:PORT``."""
    programs = bin_dir()
    if programs is None:
        raise RuntimeError(f"PostgreSQL is not installed (Debian package {DEBIAN_PACKAGE})")
    folder.mkdir(parents=True, exist_ok=True)
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    port = _free_port()
    subprocess.run(
        _as_server_user([
            str(programs / "initdb"), "-D", str(data), "-U", SUPERUSER, "--auth=trust",
            "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync",
        ]),
        check=True, capture_output=True,
    )
    with (data / "postgresql.conf").open("a", encoding="utf-8") as conf:
        for key, value in THROWAWAY_SETTINGS.items():
            conf.write(f"{key} = {value}\n")
        conf.write(f"port = {port}\nunix_socket_directories = '{folder}'\n")
    subprocess.run(
        _as_server_user([
            str(programs / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"),
            "-w", "start",
        ]),
        check=True, capture_output=True,
    )
    return f"postgresql://{SUPERUSER}@127.0.0.1:{port}"


def stop(folder: Path) -> None:
    programs = bin_dir()
    data = folder / "data"
    if programs is None or not data.exists():
        return
    subprocess.run(
        _as_server_user([str(programs / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
        check=False, capture_output=True,
    )


if __name__ == "__main__":
    action, where = sys.argv[1], Path(sys.argv[2])
    if action == "start":
        print(start(where))
    else:
        stop(where)
