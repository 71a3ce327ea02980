"""One rule for typed text that is not saved yet, everywhere: closing the window, Ctrl+Q,
switching user, Esc or the close button of a dialog ask first when something was typed, and close
at once when nothing was.

A screen says what it would lose through ``unsaved_description()`` (empty when nothing); the main
window asks every open screen before it closes. ``GuardedDialog`` compares its inputs with what
they held when the dialog was ready (``mark_clean``), so a dialog needs no bookkeeping of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol, runtime_checkable

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTableWidget,
    QTextEdit,
    QWidget,
)

YES = QMessageBox.StandardButton.Yes
NO = QMessageBox.StandardButton.No


@runtime_checkable
class HoldsUnsavedWork(Protocol):
    def unsaved_description(self) -> str:
        """What would be lost, in a few Chinese words; "" when nothing."""
        ...  # pragma: no cover - a protocol


def asked_yes(parent: QWidget | None, title: str, text: str) -> bool:
    """A yes-or-no question whose default is No: Enter never says yes to something final."""
    return QMessageBox.question(parent, title, text, YES | NO, NO) == YES


def confirm_discard(parent: QWidget | None, what: Iterable[str], action: str = "放弃") -> bool:
    """Ask before ``action`` loses ``what``; No is the default, so Enter keeps the work."""
    items = [item for item in what if item]
    if len(items) == 1:
        text = f"{items[0]}还没有保存,确定{action}吗?"
    else:
        listed = "\n".join(f"· {item}" for item in items)
        text = f"以下内容还没有保存:\n{listed}\n确定{action}吗?"
    box = QMessageBox(QMessageBox.Icon.Question, "还没有保存", text, YES | NO, parent)
    box.setDefaultButton(NO)
    yes, no = box.button(YES), box.button(NO)
    if yes is not None:
        yes.setText(f"{action}(&Y)")
    if no is not None:
        no.setText("返回继续(&N)")
    return box.exec() == YES


def unsaved_work(root: QWidget) -> list[str]:
    """What ``root`` and every screen inside it would lose: its pages (shown or not) and the
    dialogs that are open."""
    found: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not isinstance(widget, HoldsUnsavedWork):
            continue
        if isinstance(widget, QDialog) and not widget.isVisible():
            continue
        description = widget.unsaved_description()
        if description:
            found.append(description)
    return found


def form_state(root: QWidget, ignore: Iterable[QWidget] = ()) -> tuple[Any, ...]:
    """The values of every input under ``root`` a person can type or choose, except ``ignore``.
    Passwords are left out: a typed password is not work anyone wants kept."""
    skipped = set(ignore)
    values: list[Any] = []
    for widget in root.findChildren(QWidget):
        if widget in skipped:
            continue
        value = _value_of(widget)
        if value is not None:
            values.append((widget.objectName(), type(widget).__name__, value))
    return tuple(values)


def _value_of(widget: QWidget) -> Any:
    parent = widget.parentWidget()
    if isinstance(parent, (QAbstractSpinBox, QComboBox)):
        return None  # the line edit inside a spin box or combo box; its owner is counted
    if isinstance(widget, QLineEdit):
        password = widget.echoMode() is not QLineEdit.EchoMode.Normal
        return None if password or widget.isReadOnly() else widget.text()
    if isinstance(widget, (QPlainTextEdit, QTextEdit)):
        return None if widget.isReadOnly() else widget.toPlainText()
    if isinstance(widget, QComboBox):
        return (widget.currentIndex(), widget.currentText())
    if isinstance(widget, QAbstractButton) and widget.isCheckable():
        return widget.isChecked()
    if isinstance(widget, QAbstractSpinBox):
        return widget.text()
    if isinstance(widget, QTableWidget) and (
        widget.editTriggers() != QAbstractItemView.EditTrigger.NoEditTriggers
    ):
        return tuple(
            "" if widget.item(row, column) is None else widget.item(row, column).text()
            for row in range(widget.rowCount())
            for column in range(widget.columnCount())
        )
    return None


class GuardedDialog(QDialog):
    """A dialog whose Esc, close button and 取消 ask before throwing typed text away."""

    _clean_state: tuple[Any, ...] | None = None
    _not_work: tuple[QWidget, ...] = ()
    # What closing does, in the question's words (the first start's dialog quits the app).
    discard_action = "放弃"

    def mark_clean(self, ignore: Iterable[QWidget] = ()) -> None:
        """Call when the dialog is filled in as it opens; later changes count as typed, except
        in ``ignore`` (e.g. who signs: a user name is not work to keep)."""
        self._not_work = tuple(ignore)
        self._clean_state = form_state(self, self._not_work)

    def unsaved_description(self) -> str:
        if self._clean_state is None or form_state(self, self._not_work) == self._clean_state:
            return ""
        return f"“{self.windowTitle()}”中填写的内容"

    def reject(self) -> None:
        work = self.unsaved_description()
        if work and not confirm_discard(self, [work], self.discard_action):
            return
        super().reject()

    def discard(self) -> None:
        """Close without asking: the caller has asked already (the main window closing)."""
        self._clean_state = None
        super().reject()
