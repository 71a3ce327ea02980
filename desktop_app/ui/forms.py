"""Small helpers shared by the forms: labelled rows with an error line under each field."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDate, QDateTime
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

ERROR_STYLE = "color: #b00020;"


class FieldErrors:
    """A red message under each field; ``show`` takes a ``ValidationError.field_errors`` dict."""

    def __init__(self, grow_window: bool = False) -> None:
        self._labels: dict[str, QLabel] = {}
        self._grow_window = grow_window

    def add_row(self, form: QFormLayout, label: str, field: str, widget: QWidget) -> None:
        form.addRow(label, widget)
        self.add_row_error(form, field)

    def add_row_error(self, form: QFormLayout, field: str) -> None:
        """An error line for ``field`` under the row added last."""
        error = QLabel()
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.setObjectName(f"error_{field}")
        error.hide()
        form.addRow("", error)
        self._labels[field] = error

    def show(self, errors: dict[str, str]) -> list[str]:
        """Show each message under its field; return the messages no field of this form owns."""
        for field, label in self._labels.items():
            message = errors.get(field, "")
            label.setText(message)
            label.setVisible(bool(message))
        # Error lines change a small dialog's height; let it grow to fit them.
        window = next(iter(self._labels.values())).window() if self._labels else None
        if window is not None and self._grow_window:
            window.adjustSize()
        return [message for field, message in errors.items() if field not in self._labels]

    def clear(self) -> None:
        self.show({})

    def text(self, field: str) -> str:
        return self._labels[field].text()


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
