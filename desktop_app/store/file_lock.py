"""One program at a time on one database file: an exclusive lock held while the app runs.

SQLite's own locks only guard single transactions; without this, a second window on the same
file, or a restore run while the app is open, silently loses what the running app saves next.
The lock is an operating-system lock on a small file beside the database (``flock`` on Linux,
``LockFileEx`` through ``msvcrt.locking`` on Windows), so it is released by the OS when the
process ends, even on a crash or a power cut: there is no stale lock to clean up.

These are the two calls the ``filelock`` package makes; the package itself imports asyncio,
logging and more, 30 ms of every start before the login dialog could show (issue 18).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


class DatabaseBusyError(Exception):
    """Another process holds the database's lock."""


def lock_path_for(db_path: Path) -> Path:
    return db_path.with_name(f"{db_path.name}.lock")


if sys.platform == "win32":
    import msvcrt

    def _lock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # OSError when another process holds it

    def _unlock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

    _BUSY: tuple[type[OSError], ...] = (OSError,)
else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

    _BUSY = (BlockingIOError,)


class DatabaseLock:
    """The exclusive claim on one database file; ``release()`` or process exit gives it back."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self._fd: int | None = None

    def acquire(self) -> DatabaseLock:
        """Take the lock at once or raise ``DatabaseBusyError``; never waits.

        A folder the user may not write raises ``PermissionError`` (the lock file cannot be
        made), which callers report as such rather than as 'in use'."""
        if self._fd is not None:
            return self
        fd = os.open(lock_path_for(self.db_path), os.O_RDWR | os.O_CREAT, 0o644)
        try:
            _lock(fd)
        except _BUSY as error:
            os.close(fd)
            raise DatabaseBusyError(str(self.db_path)) from error
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        return self

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            try:
                _unlock(fd)
            finally:
                os.close(fd)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def __enter__(self) -> DatabaseLock:
        return self.acquire()

    def __exit__(self, *_: object) -> None:
        self.release()
