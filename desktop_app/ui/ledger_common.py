"""What the tabs of 扣款与责任 share: the month chooser, the folder for the PDFs, buttons and
search fields, and opening the one document printed for a selected line."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QLineEdit, QPushButton, QWidget

from desktop_app.domain.report_figures import Month
from desktop_app.ui.file_dialogs import existing_folder
from desktop_app.ui.pdf_output import documents_folder, open_file


def month_edit(name: str, day: date) -> QDateEdit:
    last = Month.before(day)
    edit = QDateEdit(QDate(last.year, last.month, 1))
    edit.setObjectName(name)
    edit.setDisplayFormat("yyyy-MM")
    return edit


def month_of(edit: QDateEdit) -> Month:
    return Month(edit.date().year(), edit.date().month())


def choose_folder(parent: QWidget, title: str) -> Path | None:
    """Where to write the PDFs (the user's documents folder to begin with)."""
    start = documents_folder()
    start.mkdir(parents=True, exist_ok=True)
    chosen = existing_folder(parent, title, str(start))
    return Path(chosen) if chosen else None


def button(text: str, name: str, slot: Callable[[], object]) -> QPushButton:
    made = QPushButton(text)
    made.setObjectName(name)
    made.clicked.connect(lambda _=False: slot())
    return made


def line_edit(name: str, placeholder: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    return edit


def open_first(written: list[Path]) -> None:
    """Show the one document printed for the selected line."""
    open_file(written[0])
