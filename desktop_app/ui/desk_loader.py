"""Phase 2 of start-up: while the login dialog waits for the password, peewee, the services
and every page are loaded in small steps from the event loop."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from desktop_app.domain.errors import DeskError

# Everything else is imported where it is used: what the login dialog does not need waits for
# the loader (PySide builds its whole Qt namespace, ~11 ms, on first use of ``Qt``).
if TYPE_CHECKING:
    from desktop_app.domain.accounts import Account
    from desktop_app.services.database_file import ClaimedDatabase
    from desktop_app.services.desk import Desk


class DeskLoader(QObject):
    """Opens the database with peewee and loads the main window's code, a step at a time.

    ``schedule()`` runs the steps from the event loop (each a few tens of milliseconds, so a
    dialog on screen stays responsive); ``desk()`` finishes whatever is left at once.

    Signals:
        loaded(): every step is done.
        failed(str): a step refused with a user's error (e.g. a newer schema).
    """

    loaded = Signal()
    failed = Signal(str)

    def __init__(self, claimed: ClaimedDatabase, now: datetime) -> None:
        super().__init__()
        self._claimed = claimed
        self._now = now
        self._desk: Desk | None = None
        self._steps: list[Callable[[], None]] = [
            self._load_store,
            self._open_database,
            self._load_main_window,
        ]
        self.timings: list[tuple[str, float]] = []
        self.failure: str | None = None

    @property
    def done(self) -> bool:
        return not self._steps

    @property
    def opened(self) -> bool:
        return self._desk is not None

    def schedule(self) -> None:
        QTimer.singleShot(0, self.on_timer_step)

    def on_timer_step(self) -> None:
        if self.done:
            return
        try:
            self._run_step()
        except DeskError as error:
            self.failed.emit(str(error))
            return
        if self.done:
            self.loaded.emit()
        else:
            QTimer.singleShot(0, self.on_timer_step)

    def desk(self) -> Desk:
        while self._steps:
            self._run_step()
            if self.done:
                self.loaded.emit()
        if self._desk is None:  # a step failed earlier and its error was shown
            raise DeskError(self.failure or "数据库没有打开")
        return self._desk

    def authenticate(self, username: str, password: str) -> Account:
        """The login dialog's check: the first keystroke needs none of this loaded."""
        return self.desk().accounts.authenticate(username, password)

    def _run_step(self) -> None:
        step = self._steps[0]
        started = time.perf_counter()
        try:
            step()
        except DeskError as error:
            self._steps.clear()
            self.failure = str(error)
            raise
        self._steps.pop(0)
        self.timings.append((step.__name__, time.perf_counter() - started))

    @staticmethod
    def _load_store() -> None:
        import desktop_app.services.database
        import desktop_app.services.desk  # noqa: F401  (peewee, records, services)

    def _open_database(self) -> None:
        from desktop_app.services.database import open_desk_database, open_desk_server
        from desktop_app.services.desk import build_desk

        if self._claimed.url is not None:
            opened = open_desk_server(self._claimed.url, self._claimed.path, self._now)
            self._desk = build_desk(opened.db, self._claimed.path)
            self._desk.settings.claim_store_code(self._claimed.store_code)
            return
        # The page check ran before login or runs beside the window; the backup runs beside
        # the window once the file is known to be sound.
        opened = open_desk_database(
            self._claimed.path,
            self._now,
            daily_backup=False,
            check_pages=False,
            create_folder=False,
        )
        self._desk = build_desk(opened.db, self._claimed.path)
        self._desk.settings.claim_store_code(self._claimed.store_code)
        # The day's register head goes beside the backups, outside the file (services.anchors).
        with contextlib.suppress(OSError):
            self._desk.register.record_daily_anchor(self._now)

    @staticmethod
    def _load_main_window() -> None:
        import desktop_app.ui.main_window  # noqa: F401  (every page's code)

    @property
    def claimed(self) -> ClaimedDatabase:
        return self._claimed

    def close(self) -> None:
        if self.opened:
            from desktop_app.services.database import close_desk_database

            assert self._desk is not None
            # A full or read-only backup disk must not keep the desk from closing.
            with contextlib.suppress(OSError):
                self._desk.register.record_closing_anchor(datetime.now())
            close_desk_database()
