"""Typing into real widgets the way a person does.

``qtbot.keyClicks`` aborts on non-ASCII text, so Chinese arrives as an input method would send
it: a ``QInputMethodEvent`` whose commit string is the finished text.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Focus ``widget`` and type ``text``: ASCII as key presses, anything else through an IME."""
    widget.setFocus()
    if text.isascii():
        qtbot.keyClicks(widget, text)
        return
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def press_enter(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def show(qtbot: QtBot, widget: QWidget) -> None:
    """Show a top-level widget and make it active, so Enter and shortcuts reach it."""
    qtbot.addWidget(widget)
    widget.show()
    widget.activateWindow()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget)


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def type_here(qtbot: QtBot, text: str) -> QWidget:
    """Type into whatever has the focus now, as a person at the keyboard would."""
    widget = focused()
    if text.isascii():
        qtbot.keyClicks(widget, text)
    else:
        event = QInputMethodEvent()
        event.setCommitString(text)
        QApplication.sendEvent(widget, event)
    return widget


def activate(qtbot: QtBot, widget: QWidget) -> None:
    """Bring an already shown window to the front, as a click on it would."""
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget)
