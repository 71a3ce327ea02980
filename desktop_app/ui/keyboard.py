"""Keyboard helpers shared by the forms: Enter moves on like Tab, as on the paper form, and a
field's list of suggestions closes when the focus leaves the field."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

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


def give_completer(edit: QLineEdit, completer: QCompleter) -> None:
    """``edit.setCompleter(completer)``, its list closing when the focus leaves ``edit``.

    Found on a real X server: 纯牛奶 typed into 商品名称 opened its suggestions, Alt+A moved the
    focus to 顾客陈述 and the list stayed open with the keyboard, so the next character typed
    went back into 商品名称 (saved as 纯牛奶牛, the statement losing its first character)."""
    edit.setCompleter(completer)  # Qt deletes the field's own earlier list
    # Once per field: the case screen gives its leader field a new list at every step.
    if edit.findChild(_ListClosesOnLeaving) is None:
        edit.installEventFilter(_ListClosesOnLeaving(edit))


class _ListClosesOnLeaving(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (
            event.type() == QEvent.Type.FocusOut
            and isinstance(event, QFocusEvent)
            # The list opening takes the focus "for the popup": that is not leaving the field.
            and event.reason() != Qt.FocusReason.PopupFocusReason
            and isinstance(watched, QLineEdit)
        ):
            completer = watched.completer()
            if completer is not None and completer.popup().isVisible():
                completer.popup().hide()
        return False
