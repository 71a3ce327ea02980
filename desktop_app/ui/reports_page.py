"""月度报表: pick the month (default: last month), preview the headline figures, export the
registered reports and the workbook to a folder (remembered for next time). Rendering runs in a
worker thread behind a progress dialog, so a large month never freezes the window. The files
written are listed; double-click one to open it.

Signals:
    exported(list): the files written (list of Path).
"""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QDate, QObject, QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop_app import APP_NAME
from desktop_app.domain.accounts import Account
from desktop_app.domain.report_figures import Month
from desktop_app.domain.report_package import MonthFigures, summary_lines
from desktop_app.services.desk import Desk
from desktop_app.services.reports import REPORT_KINDS, render
from desktop_app.ui.file_dialogs import existing_folder
from desktop_app.ui.pdf_output import documents_folder, open_file

FOLDER_KEY = "reports/last_folder"
TEXT = {
    "month": "报表月份(&M)",
    "save_to": "保存到",
    "choose": "选择文件夹…",
    "all": "导出全部(汇总 + {count} 份报表 + Excel)",
    "progress": "正在生成报表……",
    "progress_title": "导出月度报表",
    "written": "已生成(双击打开):",
    "failed_title": "导出失败",
    "choose_title": "保存报表到",
}


def default_settings() -> QSettings:
    """The per-user settings file of the app (not the register: a folder is a PC's detail)."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, APP_NAME, "desk")


class _Worker(QObject):
    progressed = Signal(int, int)
    finished = Signal(list)
    failed = Signal(str)

    def run(self, data: MonthFigures, kinds: list[str], folder: Path, printed_at: datetime,
            workbook: bool) -> None:
        try:
            written = render(data, kinds, folder, printed_at, self.progressed.emit, workbook)
        except OSError as error:
            self.failed.emit(f"无法写入 {folder}:{error.strerror or error}")
            return
        self.finished.emit(written)


class ReportsPage(QWidget):
    exported = Signal(list)

    def __init__(self, desk: Desk, actor: Account, parent: QWidget | None = None,
                 settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._actor = actor
        self._settings = settings if settings is not None else default_settings()
        self._worker: _Worker | None = None
        last = Month.before(desk.clock().date())
        self.month = QDateEdit(QDate(last.year, last.month, 1))
        self.month.setObjectName("month")
        self.month.setDisplayFormat("yyyy-MM")
        self.month.dateChanged.connect(self.preview)
        remembered = self._settings.value(FOLDER_KEY, "", type=str)
        self.folder = QLineEdit(str(remembered or documents_folder() / "月报"))
        self.folder.setObjectName("folder")
        choose = QPushButton(TEXT["choose"])
        choose.clicked.connect(self.on_choose_folder)
        self.preview_text = QTextBrowser()
        self.preview_text.setObjectName("preview")
        self.status = QLabel()
        self.status.setObjectName("export_status")
        self.status.setWordWrap(True)
        self.files = QListWidget()
        self.files.setObjectName("written_files")
        self.files.setMaximumHeight(120)
        self.files.itemActivated.connect(self.on_file_activated)
        self.files.hide()  # until something has been written
        buttons = QGridLayout()
        others = [entry for entry in REPORT_KINDS if entry.key != "summary"]
        all_button = QPushButton(TEXT["all"].format(count=len(others)))
        all_button.setObjectName("export_all")
        all_button.clicked.connect(
            lambda: self.export([entry.key for entry in REPORT_KINDS], workbook=True)
        )
        buttons.addWidget(all_button, 0, 0, 1, len(REPORT_KINDS))
        for column, entry in enumerate(REPORT_KINDS):
            button = QPushButton(entry.button)
            button.setObjectName(f"export_{entry.key}")
            button.setToolTip(f"《{entry.title}》PDF")
            button.clicked.connect(
                lambda _=False, key=entry.key: self.export([key], workbook=False)
            )
            buttons.addWidget(button, 1, column)
        top = QHBoxLayout()
        month_label = QLabel(TEXT["month"])
        month_label.setBuddy(self.month)
        top.addWidget(month_label)
        top.addWidget(self.month)
        top.addWidget(QLabel(TEXT["save_to"]))
        top.addWidget(self.folder, 1)
        top.addWidget(choose)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.preview_text, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(self.files)
        self.preview()

    def selected_month(self) -> Month:
        day = self.month.date()
        return Month(day.year(), day.month())

    def preview(self) -> MonthFigures:
        data = self._desk.reports.figures(self.selected_month())
        self.preview_text.setPlainText("\n".join(preview_lines(data)))
        return data

    def on_choose_folder(self) -> None:
        chosen = existing_folder(self, TEXT["choose_title"], self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def export(self, kinds: list[str], workbook: bool) -> None:
        data = self.preview()
        folder = Path(self.folder.text().strip() or documents_folder() / "月报")
        progress = QProgressDialog(TEXT["progress"], "", 0, len(kinds) + int(workbook), self)
        progress.setWindowTitle(TEXT["progress_title"])
        progress.setCancelButton(None)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        worker = _Worker()
        self._worker = worker
        worker.progressed.connect(lambda done, _total: progress.setValue(done))
        worker.finished.connect(lambda written: self._done(progress, folder, written))
        worker.failed.connect(lambda message: self._failed(progress, message))
        threading.Thread(
            target=worker.run, args=(data, kinds, folder, self._desk.clock(), workbook),
            name="report-export", daemon=True,
        ).start()

    def _done(self, progress: QProgressDialog, folder: Path, written: list[Path]) -> None:
        progress.close()
        self._desk.privacy.record_export(
            self._actor, f"月度报表 {self.selected_month().label}", written
        )
        self._settings.setValue(FOLDER_KEY, str(folder))
        self._settings.sync()
        self.status.setText(TEXT["written"])
        self.files.clear()
        for path in written:
            item = QListWidgetItem(path.name)
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            item.setToolTip(str(path))
            self.files.addItem(item)
        self.files.setVisible(bool(written))
        if written:
            self.open_path(written[0].parent)
        self.exported.emit(written)

    def _failed(self, progress: QProgressDialog, message: str) -> None:
        progress.close()
        QMessageBox.warning(self, TEXT["failed_title"], message)

    def on_file_activated(self, item: QListWidgetItem) -> None:
        self.open_path(Path(str(item.data(Qt.ItemDataRole.UserRole))))

    def open_path(self, path: Path) -> bool:
        """Open a report or its folder with the PC's own program; ``open_file`` says so once
        when that fails (found on a real X server: two warnings in a row said it)."""
        return open_file(path, self)


def preview_lines(data: MonthFigures) -> list[str]:
    """The 汇总's lines, as the page previews them."""
    titles = {entry.key: entry.title for entry in REPORT_KINDS}
    lines = [f"{data.store_name}  {data.month.label}  {data.chain_label}"]
    if data.cutoff_note:
        lines.append(data.cutoff_note)
    report = ""
    for line in summary_lines(data, titles):
        if line.report != report:
            report = line.report
            lines += ["", f"《{report}》"]
        lines.append(f"  {line.label}:{line.value}")
    return lines
