"""Small helpers shared by the forms: labelled rows with a reserved error line under each field.

An error line always takes its one line, empty or not, so a message never pushes the fields below
it down; a message too long for the line is cut with "…" and shown whole as its tooltip. An error
goes away as soon as the field is fixed: after each edit the form's own check runs again (when
the form has one) and every message it no longer gives is cleared; without a check, editing a
field clears that field's message.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import TypeVar

from PySide6.QtCore import QDate, QDateTime
from PySide6.QtGui import QFontMetrics, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QWidget,
)

from desktop_app.domain.errors import DeskError, ValidationError
from desktop_app.domain.register_entities import column_label

ERROR_STYLE = "color: #b00020;"
Check = Callable[[], dict[str, str]]
Saved = TypeVar("Saved")


def register_label(column: str, key: str = "") -> str:
    """What the register calls ``column`` (as the paper and the history do), with the keyboard
    accelerator ``key`` if given: ``顾客姓名(&N)``."""
    label = column_label(column)
    return f"{label}(&{key})" if key else label


def show_message(label: QLabel, message: str) -> None:
    """Say ``message`` in ``label``; an empty message hides it."""
    label.setText(message)
    label.setVisible(bool(message))


def run_save(
    save: Callable[[], Saved], errors: FieldErrors, general: QLabel
) -> tuple[bool, Saved | None]:
    """(True, what ``save`` returned), or (False, None) once the refusal is shown: each field's
    message under it, the rest of a ``ValidationError`` and any other refusal in ``general``."""
    try:
        saved = save()
    except ValidationError as error:
        show_message(general, "\n".join(errors.show(error.field_errors)))
        return False, None
    except DeskError as error:
        show_message(general, str(error))
        return False, None
    return True, saved


def error_label(name: str) -> QLabel:
    """A dialog's message for what no single field explains: red, wrapped, hidden until said."""
    label = QLabel()
    label.setObjectName(name)
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


def ok_cancel(
    dialog: QDialog, on_ok: Callable[[], object], ok_text: str = "", enter_saves: bool = True
) -> QDialogButtonBox:
    """OK (named ``ok_text`` when given) runs ``on_ok``; Cancel closes ``dialog``.
    ``enter_saves=False``: see ``enter_never_saves``."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    if ok_text:
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.accepted.connect(on_ok)
    buttons.rejected.connect(dialog.reject)
    if not enter_saves:
        enter_never_saves(dialog, buttons)
    return buttons


def enter_never_saves(dialog: QDialog, buttons: QDialogButtonBox) -> None:
    """A record of money or of a ledger (a deduction, a settlement, a share of liability):
    Enter in a field must not save the form half-filled, as it never signs in the approval
    dialog. Enter moves to the next field, as on the registration form (the button box would
    otherwise make OK the default again when shown); Ctrl+Enter is OK's key, and OK says so."""
    enter_moves_on(dialog, [b for b in buttons.buttons() if isinstance(b, QPushButton)])
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.setText(f"{ok.text()}  Ctrl+Enter")
    for keys in ("Ctrl+Return", "Ctrl+Enter"):
        QShortcut(QKeySequence(keys), dialog).activated.connect(ok.click)


def enter_moves_on(dialog: QDialog, buttons: Sequence[QPushButton]) -> None:
    """Enter in a field of ``dialog`` moves to the next one and no button is the default: in a
    dialog every push button is Enter's by default, so Enter in a half-typed field pressed one
    (found on a real X server: a refund request went in for ¥4.00, the clerk meaning 45.60)."""
    # Imported here: the keyboard module builds PySide's Qt namespace, which the login dialog
    # (built from this module) does without.
    from desktop_app.ui.keyboard import EnterMovesOn

    dialog.installEventFilter(EnterMovesOn(dialog))
    for button in buttons:
        button.setAutoDefault(False)
        button.setDefault(False)


class FittedLabel(QLabel):
    """A label showing its whole text made to fit its width (``fitted``), again whenever the
    width changes: what does not fit is cut with "…", never clipped silently."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._whole = ""

    def set_whole(self, text: str) -> None:
        self._whole = text
        self._fit()

    def whole(self) -> str:
        return self._whole

    def fitted(self, text: str, metrics: QFontMetrics, width: int) -> str:
        raise NotImplementedError

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        width = self.contentsRect().width()
        shown = self._whole if width <= 0 else self.fitted(self._whole, self.fontMetrics(), width)
        if shown != self.text():
            self.setText(shown)
        self.after_fit(shown)

    def after_fit(self, shown: str) -> None:
        """What a kind of label does once its text is shown (nothing here)."""


class ErrorLine(QLabel):
    """A reserved line for a field's message, never wider than its column. A message longer
    than the line takes up to ``MAX_LINES`` lines while it is shown (``grows``; found: the
    refund and ledger dialogs cut "…¥232.7…", the instruction after it never visible), then
    the line is one line again, so a form only moves while something is wrong."""

    MAX_LINES = 3

    def __init__(self, field: str, parent: QWidget | None = None, grows: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName(f"error_{field}")
        self.setStyleSheet(ERROR_STYLE)
        font = self.font()
        font.setPointSizeF(max(font.pointSizeF() - 1.5, 8.0))
        self.setFont(font)
        self._line_height = self.fontMetrics().height()
        self.setFixedHeight(self._line_height)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self._message = ""
        self._grows = grows

    def message(self) -> str:
        return self._message

    def set_message(self, message: str) -> None:
        self._message = message
        self.setToolTip(message)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        if not self._message:
            super().setText("")  # the login dialog's empty line: no Qt namespace before it shows
            self.setFixedHeight(self._line_height)
            return
        # Imported here: PySide builds its whole Qt namespace (~11 ms) on first use.
        from PySide6.QtCore import QRect, Qt

        width = max(self.width(), 1)
        metrics = self.fontMetrics()
        if not self._grows or metrics.horizontalAdvance(self._message) <= width:
            self.setWordWrap(False)
            self.setFixedHeight(self._line_height)
            super().setText(metrics.elidedText(self._message, Qt.TextElideMode.ElideRight, width))
            return
        flags = int(Qt.TextFlag.TextWordWrap.value)
        needed = metrics.boundingRect(QRect(0, 0, width, 10_000), flags, self._message).height()
        self.setWordWrap(True)
        self.setFixedHeight(min(max(needed, self._line_height),
                                self._line_height * self.MAX_LINES))
        super().setText(self._message)


class FieldErrors:
    """A red line under each field; ``show`` takes a ``ValidationError.field_errors`` dict.

    ``check`` is the form's own validation (returning field → message, empty when valid); with
    it, fixing one field clears a message another field caused (e.g. staff for department).
    """

    def __init__(self, check: Check | None = None, lines_grow: bool = True) -> None:
        self._lines: dict[str, ErrorLine] = {}
        self._lines_grow = lines_grow
        self._check = check
        self._checked_fields: set[str] = set()
        # Called whenever the messages shown change (a form's summary of them follows).
        self.changed: Callable[[], None] | None = None

    def add_row(self, form: QFormLayout, label: str, field: str, widget: QWidget) -> None:
        form.addRow(label, widget)
        self.add_row_error(form, field)
        self.watch(field, widget)

    def add_row_error(self, form: QFormLayout, field: str) -> ErrorLine:
        """An error line for ``field`` under the row added last."""
        line = ErrorLine(field, grows=self._lines_grow)
        form.addRow("", line)
        self._lines[field] = line
        return line

    def line(self, field: str) -> ErrorLine:
        return self._lines[field]

    def watch(self, field: str, widget: QWidget) -> None:
        """Clear ``field``'s message once an edit of ``widget`` fixes it."""
        for signal in _change_signals(widget):
            signal.connect(lambda *_args, name=field: self.on_field_edited(name))

    def show(self, errors: dict[str, str]) -> list[str]:
        """Show each message under its field; return the messages no field of this form owns."""
        for field, line in self._lines.items():
            line.set_message(errors.get(field, ""))
        checked = self._check() if self._check is not None else {}
        self._checked_fields = {field for field in errors if field in checked}
        self._tell()
        return [message for field, message in errors.items() if field not in self._lines]

    def on_field_edited(self, field: str) -> None:
        shown = {name for name, line in self._lines.items() if line.message()}
        if not shown:
            return
        current = self._check() if self._check is not None else {}
        for name in shown:
            if name in current:
                self._lines[name].set_message(current[name])
            elif name == field or name in self._checked_fields:
                self._lines[name].set_message("")
        self._tell()

    def _tell(self) -> None:
        if self.changed is not None:
            self.changed()

    def clear(self) -> None:
        self.show({})

    def text(self, field: str) -> str:
        return self._lines[field].message()

    def shown(self) -> dict[str, str]:
        return {name: line.message() for name, line in self._lines.items() if line.message()}


def _change_signals(widget: QWidget) -> list[object]:
    """The signals that say ``widget``'s value changed, whatever kind of input it is."""
    if isinstance(widget, QLineEdit):
        return [widget.textChanged]
    if isinstance(widget, QPlainTextEdit):
        return [widget.textChanged]
    if isinstance(widget, QComboBox):
        signals: list[object] = [widget.currentIndexChanged]
        if widget.isEditable():
            signals.append(widget.editTextChanged)
        return signals
    if isinstance(widget, QAbstractButton):
        return [widget.toggled]
    if isinstance(widget, QTableWidget):
        return [widget.itemChanged]
    if isinstance(widget, QDateTimeEdit):
        return [widget.dateTimeChanged]
    if isinstance(widget, QSpinBox):
        return [widget.valueChanged]
    if isinstance(widget, QAbstractSpinBox):
        return [widget.editingFinished]
    return []


def password_edit(placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setPlaceholderText(placeholder)
    return edit


def date_of(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def datetime_of(value: QDateTime) -> datetime:
    day, time = value.date(), value.time()
    return datetime(day.year(), day.month(), day.day(), time.hour(), time.minute(), time.second())


def qdatetime(value: datetime) -> QDateTime:
    return QDateTime(value.replace(microsecond=0))
