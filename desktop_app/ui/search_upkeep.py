"""Search-index merging in the desk's quiet moments.

Saves never merge the search index's segments (that stalled a save for up to a second on a
large register); this timer does the work a few milliseconds at a time while the app is
open: often while there is work, rarely once there is none.

Signals:
    stepped(bool): one merge step ran; True while more are due.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

if TYPE_CHECKING:  # imported by the controller before the login dialog: no services yet
    from desktop_app.services.desk import Desk

# While merges are due: a few milliseconds of work five times a second, unnoticeable at the
# keyboard. Otherwise a look every five seconds (a fraction of a millisecond).
BUSY_INTERVAL_MS = 200
QUIET_INTERVAL_MS = 5_000


class SearchIndexUpkeep(QObject):
    stepped = Signal(bool)

    def __init__(self, desk: Desk, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self.timer = QTimer(self)
        self.timer.setInterval(BUSY_INTERVAL_MS)
        self.timer.timeout.connect(self.on_timer_timeout)

    def start(self) -> None:
        self.timer.start()

    def on_timer_timeout(self) -> None:
        more = self._desk.cases.tidy_search_index()
        self.timer.setInterval(BUSY_INTERVAL_MS if more else QUIET_INTERVAL_MS)
        self.stepped.emit(more)
