"""The day's backup and a large file's page check, run beside the main window: progress in
its status bar, a stop on damage, a warning when the backup fails."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from desktop_app import APP_TITLE
from desktop_app.ui.crash_report import CrashReporter

# Everything else is imported where it is used: what the login dialog does not need waits for
# the loader (PySide builds its whole Qt namespace, ~11 ms, on first use of ``Qt``).
if TYPE_CHECKING:
    from desktop_app.services.database_file import ClaimedDatabase
    from desktop_app.ui.integrity_watch import IntegrityWatch
    from desktop_app.ui.main_window import MainWindow


class DailyCare:
    """The day's backup and a large file's page check, beside whichever window is open."""

    def __init__(self, claimed: ClaimedDatabase) -> None:
        self._claimed = claimed
        self._watch: IntegrityWatch | None = None

    @property
    def watch(self) -> IntegrityWatch:
        if self._watch is None:
            from desktop_app.ui.integrity_watch import IntegrityWatch

            self._watch = IntegrityWatch(
                self._claimed.path,
                datetime.now(),
                # A server's pages and backups are its administrator's (pg_dump, archiving).
                backup=not self._claimed.is_new and self._claimed.url is None,
                pages_checked=self._claimed.check_before_login or self._claimed.url is not None,
            )
        return self._watch

    def show_in(self, window: MainWindow) -> None:
        """Progress in each main window's status bar (a new one on switching user)."""
        from desktop_app.ui.integrity_watch import CareStatus

        status = CareStatus()
        window.statusBar().addPermanentWidget(status)
        status.follow(self.watch)

    def start(self, app: QApplication, reporter: CrashReporter) -> IntegrityWatch:
        watch = self.watch
        watch.damaged.connect(lambda message: _stop_on_damage(app, message))
        watch.backup_failed.connect(lambda message: _warn_backup_failed(app, message, reporter))
        watch.start()
        return watch


def _stop_on_damage(app: QApplication, message: str) -> None:
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.critical(app.activeWindow(), APP_TITLE, message)
    app.quit()


def _warn_backup_failed(app: QApplication, message: str, reporter: CrashReporter) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    reporter.log.note(message)
    box = QMessageBox(
        QMessageBox.Icon.Warning, APP_TITLE, message, QMessageBox.StandardButton.Ok,
        app.activeWindow(),
    )
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
