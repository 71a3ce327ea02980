"""After a save or an acknowledgement, the main window's counts (the 预警 entry among them) are
refreshed at once instead of at the next 15-second tick."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def refresh_warning_badge(window: QWidget | None) -> None:
    refresh = getattr(window, "refresh_counts", None)
    if callable(refresh):
        refresh()
