"""Window sizes, splitters and column widths remembered per user, in Qt's own settings file.

Each user arranges the screens their way; the next login on the same PC finds them so. The file is
QSettings' INI file in the user's configuration folder (tests point QSettings elsewhere).
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QHeaderView, QSplitter, QWidget

from desktop_app import APP_NAME


def desk_settings() -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, APP_NAME, "views")


class ViewMemory:
    """One user's remembered views; keys name the screen and the part of it."""

    def __init__(self, username: str) -> None:
        self._prefix = f"users/{username}/"
        # QSettings objects on one file share their data in the process and write it out in
        # the background, so a column dragged wide costs no file write per pixel.
        self._settings = desk_settings()

    def value(self, key: str) -> object:
        return self._settings.value(self._prefix + key)

    def set_value(self, key: str, value: object) -> None:
        self._settings.setValue(self._prefix + key, value)

    def sync(self) -> None:
        self._settings.sync()

    def _bytes(self, key: str) -> QByteArray | None:
        stored = self.value(key)
        return stored if isinstance(stored, QByteArray) and not stored.isEmpty() else None

    def restore_geometry(self, widget: QWidget, key: str) -> bool:
        stored = self._bytes(f"{key}/geometry")
        return stored is not None and widget.restoreGeometry(stored)

    def save_geometry(self, widget: QWidget, key: str) -> None:
        self.set_value(f"{key}/geometry", widget.saveGeometry())

    def keep_header(self, header: QHeaderView, key: str) -> None:
        """Restore the columns' widths and order now, save them whenever the user changes them.
        Keyed by the column count, so a version with other columns starts afresh."""
        full_key = f"{key}/columns{header.count()}"
        stored = self._bytes(full_key)
        if stored is not None:
            header.restoreState(stored)

        def save(*_args: object) -> None:
            self.set_value(full_key, header.saveState())

        header.sectionResized.connect(save)
        header.sectionMoved.connect(save)

    def keep_splitter(self, splitter: QSplitter, key: str) -> None:
        full_key = f"{key}/splitter"
        stored = self._bytes(full_key)
        if stored is not None:
            splitter.restoreState(stored)
        splitter.splitterMoved.connect(
            lambda *_args: self.set_value(full_key, splitter.saveState())
        )
