"""Keyboard helpers shared by the forms: Enter moves on like Tab, as on the paper form."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
PLAIN = (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)


def is_plain_key(event: QEvent, *keys: Qt.Key) -> bool:
    return (
        event.type() == QEvent.Type.KeyPress
        and isinstance(event, QKeyEvent)
        and event.key() in keys
        and event.modifiers() in PLAIN
    )


class EnterMovesOn(QObject):
    """Enter in a one-line field moves to the next field, as Tab does (disabled and hidden
    fields are skipped, as Tab skips them)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if is_plain_key(event, *ENTER_KEYS) and isinstance(watched, QWidget):
            watched.focusNextChild()
            return True
        return False
