"""The page-by-page integrity check, run beside the open window instead of before it.

On a large register the check reads the whole file (seconds to minutes); the window opens at
once and, should the file be damaged, the user is told and the app closes before more is
written to it.

Signals:
    damaged(str): the Chinese message for the user.
    finished(): the check ended (either way).
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from desktop_app.services.database import damage_found


class IntegrityWatch(QObject):
    damaged = Signal(str)
    finished = Signal()

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._path = path

    def start(self) -> None:
        threading.Thread(target=self._run, name="integrity-check", daemon=True).start()

    def _run(self) -> None:
        error = damage_found(self._path)
        if error is not None:
            self.damaged.emit(str(error))
        self.finished.emit()
