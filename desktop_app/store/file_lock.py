"""One program at a time on one database file: an exclusive lock held while the app runs.

SQLite's own locks only guard single transactions; without this, a second window on the same
file, or a restore run while the app is open, silently loses what the running app saves next.
The lock is an operating-system lock (``filelock``: flock on Linux, LockFileEx on Windows) on a
small file beside the database, so it is released by the OS when the process ends, even on a
crash or a power cut: there is no stale lock to clean up.
"""

from __future__ import annotations

from pathlib import Path

from filelock import FileLock, Timeout


class DatabaseBusyError(Exception):
    """Another process holds the database's lock."""


def lock_path_for(db_path: Path) -> Path:
    return db_path.with_name(f"{db_path.name}.lock")


class DatabaseLock:
    """The exclusive claim on one database file; ``release()`` or process exit gives it back."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self._lock = FileLock(str(lock_path_for(db_path)), thread_local=False)

    def acquire(self) -> DatabaseLock:
        """Take the lock at once or raise ``DatabaseBusyError``; never waits.

        A folder the user may not write raises ``PermissionError`` (the lock file cannot be
        made), which callers report as such rather than as 'in use'."""
        try:
            self._lock.acquire(timeout=0)
        except Timeout as error:
            raise DatabaseBusyError(str(self.db_path)) from error
        return self

    def release(self) -> None:
        if self._lock.is_locked:
            self._lock.release(force=True)

    @property
    def held(self) -> bool:
        return bool(self._lock.is_locked)

    def __enter__(self) -> DatabaseLock:
        return self.acquire()

    def __exit__(self, *_: object) -> None:
        self.release()
