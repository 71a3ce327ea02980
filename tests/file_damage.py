"""Ways a database file is found damaged on a store PC, made on real files for the tests."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from desktop_app.services.database import open_desk_database
from desktop_app.store.connection import close_database

NOW = datetime(2026, 11, 24, 10, 0, 0)
ROOT = Path(__file__).resolve().parent.parent


def make_register(db_path: Path, store_name: str = "原来的门店", filler_rows: int = 200) -> None:
    """A sound register with a setting to recognise it by and some pages to damage."""
    open_desk_database(db_path, NOW)
    close_database()
    with sqlite3.connect(db_path) as connection:
        connection.execute("INSERT INTO setting VALUES ('store_name', ?)", (store_name,))
        connection.execute("CREATE TABLE filler (x TEXT)")
        connection.executemany("INSERT INTO filler VALUES (?)", [("x" * 500,)] * filler_rows)
    connection.close()
    with sqlite3.connect(db_path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()


def truncate(db_path: Path) -> None:
    """Cut off mid-way, as a copy to a full USB stick or a crash during a file copy does."""
    data = db_path.read_bytes()
    db_path.write_bytes(data[: len(data) // 2 + 100])


def overwrite_with_garbage(db_path: Path) -> None:
    """Another program's file (or random bytes) where the register should be."""
    db_path.write_bytes(bytes((i * 131 + 7) % 256 for i in range(40_000)))


def zero_header(db_path: Path) -> None:
    """The first sector zeroed, as a failing disk or an interrupted write leaves it."""
    data = bytearray(db_path.read_bytes())
    data[:512] = bytes(512)
    db_path.write_bytes(bytes(data))


def empty(db_path: Path) -> None:
    """Zero bytes: the file is there, its contents are gone."""
    db_path.write_bytes(b"")


def corrupt_a_page(db_path: Path) -> None:
    """A page in the middle overwritten; only the page-by-page check can tell."""
    data = bytearray(db_path.read_bytes())
    page_size = 4096
    for offset in range(page_size * 3, page_size * 3 + 200):
        data[offset] = 0x55
    db_path.write_bytes(bytes(data))


def remove(db_path: Path) -> None:
    db_path.unlink()


Damage = Callable[[Path], None]
# name -> (how, words the message must contain)
DAMAGE_KINDS: dict[str, tuple[Damage, str]] = {
    "truncated": (truncate, "截断"),
    "garbage": (overwrite_with_garbage, "不是数据库文件"),
    "zeroed-header": (zero_header, "文件头已被破坏"),
    "zero-bytes": (empty, "0 字节"),
    "corrupted-page": (corrupt_a_page, "SQLite 报告"),
}


def without_root_powers() -> list[str]:
    """A command prefix under which file permissions apply even to root.

    Tests (and CI) run as root, who may write any file; ``setpriv`` starts the child without
    the capabilities that override permissions, so a read-only file is read-only to it."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        raise RuntimeError("setpriv (util-linux) is needed to test read-only files as root")
    return [
        setpriv,
        "--bounding-set=-dac_override,-dac_read_search,-fowner",
        "--inh-caps=-all",
    ]


def run_python(code: str, *, drop_root: bool = False, timeout: float = 60) -> str:
    """Run ``code`` in a fresh interpreter in the project; return what it printed."""
    prefix = without_root_powers() if drop_root else []
    result = subprocess.run(
        [*prefix, sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
        check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    if result.returncode != 0:
        raise AssertionError(
            f"child failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
    return result.stdout


class LockHolder:
    """A second process that holds the database's lock until stopped, as a running app does."""

    def __init__(self, db_path: Path) -> None:
        code = (
            "import sys\n"
            "from pathlib import Path\n"
            "from desktop_app.store.file_lock import DatabaseLock\n"
            f"lock = DatabaseLock(Path({str(db_path)!r})).acquire()\n"
            "print('locked', flush=True)\n"
            "sys.stdin.read()\n"
        )
        self.process = subprocess.Popen(
            [sys.executable, "-c", code],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if line.strip() != "locked":
            self.stop()
            raise AssertionError(f"the lock holder did not start: {line!r}")

    def stop(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=10)
        if self.process.stdout is not None:
            self.process.stdout.close()

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()

    def __enter__(self) -> LockHolder:
        return self

    def __exit__(self, *_: object) -> None:
        if self.process.poll() is None:
            self.stop()


def damage_a_segment(path: Path) -> None:
    """Zero 300 bytes in the middle of the search index's largest segment, in the file: every
    page stays well-formed (a bit-rotted sector inside the index)."""
    with sqlite3.connect(path) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        (blob,) = raw.execute(
            "SELECT block FROM case_search_data ORDER BY length(block) DESC LIMIT 1"
        ).fetchone()
    raw.close()
    data = bytearray(path.read_bytes())
    piece = blob[len(blob) // 2:len(blob) // 2 + 48]
    at = data.find(piece)
    assert at > 0 and data.find(piece, at + 1) < 0, "the piece must be in the file once"
    data[at:at + 300] = bytes(300)
    path.write_bytes(bytes(data))


def index_is_sound(path: Path) -> bool:
    with sqlite3.connect(path) as raw:
        try:
            raw.execute("INSERT INTO case_search(case_search) VALUES ('integrity-check')")
        except sqlite3.DatabaseError:
            return False
    raw.close()
    return True
