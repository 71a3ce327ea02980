"""The managers' badge: the 预警 entry of the navigation shows how many warnings wait to be
acknowledged, in red, refreshed every 15 seconds and whenever a save or a manager changes them.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from desktop_app.services.desk import Desk

PAGE_TITLE = "预警"
EVERY_MS = 15_000
WAITING_COLOR = QColor("#b00020")


class WarningBadge(QObject):
    def __init__(self, window: QWidget, desk: Desk, navigation: QListWidget, row: int) -> None:
        super().__init__(window)
        self.setObjectName("warning_badge")
        self._desk = desk
        self._item: QListWidgetItem | None = navigation.item(row)
        self._plain = "" if self._item is None else self._item.text()
        self._default = QBrush() if self._item is None else self._item.foreground()
        self.waiting = 0
        self._timer = QTimer(self)
        self._timer.setInterval(EVERY_MS)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.refresh()

    def refresh(self) -> int:
        self.waiting = self._desk.warnings.waiting_count()
        if self._item is not None:
            if self.waiting:
                self._item.setText(f"{self._plain}  ● {self.waiting} 待处理")
                self._item.setForeground(QBrush(WAITING_COLOR))
                self._item.setToolTip(f"{self.waiting} 条预警等待经理确认")
            else:
                self._item.setText(self._plain)
                self._item.setForeground(self._default)
                self._item.setToolTip("")
        return self.waiting


def attach_warning_badge(window: QWidget) -> WarningBadge | None:
    """On a main window that shows the 预警 page (managers), keep its entry's count current."""
    titles: list[str] = getattr(window, "page_titles", [])
    navigation = getattr(window, "navigation", None)
    desk = getattr(window, "desk", None)
    if PAGE_TITLE not in titles or not isinstance(navigation, QListWidget) or desk is None:
        return None
    return WarningBadge(window, desk, navigation, titles.index(PAGE_TITLE))


def refresh_warning_badge(window: QWidget | None) -> None:
    """After a save or an acknowledgement: the badge of this window, if it has one."""
    if window is None:
        return
    badge = window.findChild(WarningBadge, "warning_badge")
    if isinstance(badge, WarningBadge):
        badge.refresh()
