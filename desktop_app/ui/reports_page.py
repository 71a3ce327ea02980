"""月度报表: pick the month (default: last month), preview the figures, export the three PDFs and
the workbook to a folder. Rendering runs in a worker thread behind a progress dialog, so a large
month never freezes the window.

Signals:
    exported(list): the files written (list of Path).
"""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QDate, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.accounts import Account
from desktop_app.domain.money import format_yuan
from desktop_app.domain.report_figures import Month, MonthFigures, Subtotal
from desktop_app.services.desk import Desk
from desktop_app.services.reports import REPORT_KINDS, render
from desktop_app.ui.pdf_output import documents_folder, open_file


class _Worker(QObject):
    progressed = Signal(int, int)
    finished = Signal(list)
    failed = Signal(str)

    def run(self, data: MonthFigures, kinds: list[str], folder: Path, printed_at: datetime,
            workbook: bool) -> None:
        try:
            written = render(data, kinds, folder, printed_at, self.progressed.emit, workbook)
        except OSError as error:
            self.failed.emit(f"无法写入 {folder}:{error.strerror}")
            return
        self.finished.emit(written)


class ReportsPage(QWidget):
    exported = Signal(list)

    def __init__(self, desk: Desk, actor: Account, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._actor = actor
        self._worker: _Worker | None = None
        last = Month.before(desk.clock().date())
        self.month = QDateEdit(QDate(last.year, last.month, 1))
        self.month.setObjectName("month")
        self.month.setDisplayFormat("yyyy-MM")
        self.month.dateChanged.connect(self.preview)
        self.folder = QLineEdit(str(documents_folder() / "月报"))
        self.folder.setObjectName("folder")
        choose = QPushButton("选择文件夹…")
        choose.clicked.connect(self.on_choose_folder)
        self.preview_text = QTextBrowser()
        self.preview_text.setObjectName("preview")
        self.status = QLabel()
        self.status.setObjectName("export_status")
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        all_button = QPushButton("导出全部(三份 PDF + Excel)")
        all_button.setObjectName("export_all")
        all_button.clicked.connect(lambda: self.export(list(REPORT_KINDS), workbook=True))
        buttons.addWidget(all_button)
        for kind, title in (("returns", "顾客退换货月报表"), ("special", "特殊情况统计表"),
                            ("quality", "商品质量统计表")):
            button = QPushButton(title)
            button.setObjectName(f"export_{kind}")
            button.clicked.connect(lambda _=False, kind=kind: self.export([kind], workbook=False))
            buttons.addWidget(button)
        buttons.addStretch(1)
        top = QHBoxLayout()
        month_label = QLabel("报表月份(&M)")
        month_label.setBuddy(self.month)
        top.addWidget(month_label)
        top.addWidget(self.month)
        top.addWidget(QLabel("保存到"))
        top.addWidget(self.folder, 1)
        top.addWidget(choose)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.preview_text, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self.preview()

    def selected_month(self) -> Month:
        day = self.month.date()
        return Month(day.year(), day.month())

    def preview(self) -> MonthFigures:
        data = self._desk.reports.figures(self.selected_month())
        self.preview_text.setPlainText("\n".join(_preview_lines(data)))
        return data

    def on_choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "保存报表到", self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def export(self, kinds: list[str], workbook: bool) -> None:
        data = self.preview()
        folder = Path(self.folder.text().strip() or documents_folder() / "月报")
        progress = QProgressDialog("正在生成报表……", "", 0, len(kinds) + int(workbook), self)
        progress.setWindowTitle("导出月度报表")
        progress.setCancelButton(None)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        worker = _Worker()
        self._worker = worker
        worker.progressed.connect(lambda done, _total: progress.setValue(done))
        worker.finished.connect(lambda written: self._done(progress, written))
        worker.failed.connect(lambda message: self._failed(progress, message))
        threading.Thread(
            target=worker.run, args=(data, kinds, folder, self._desk.clock(), workbook),
            name="report-export", daemon=True,
        ).start()

    def _done(self, progress: QProgressDialog, written: list[Path]) -> None:
        progress.close()
        self.status.setText("已生成:\n" + "\n".join(str(path) for path in written))
        if written:
            open_file(written[0].parent)
        self.exported.emit(written)

    def _failed(self, progress: QProgressDialog, message: str) -> None:
        progress.close()
        QMessageBox.warning(self, "导出失败", message)


def _preview_lines(data: MonthFigures) -> list[str]:
    returns, special, quality = data.returns, data.special, data.quality

    def listing(title: str, groups: list[Subtotal]) -> str:
        parts = [f"{g.key} {g.count} 笔 {format_yuan(g.amount)}" for g in groups]
        return f"  {title}:" + (";".join(parts) if parts else "无")

    return [
        f"{data.store_name}  {data.month.label}",
        "",
        f"顾客退换货月报表:{returns.total.count} 笔,{returns.total.quantity} 件,"
        f"合计 {format_yuan(returns.total.amount)}",
        listing("按类型", returns.by_kind),
        listing("按原因类别", returns.by_category),
        listing("按部门", returns.by_department),
        "",
        f"特殊情况退换货:{special.total.count} 笔,合计 {format_yuan(special.total.amount)}",
        listing("按特殊情况", special.by_reason),
        "",
        f"商品质量退换货:{quality.total.count} 笔,合计 {format_yuan(quality.total.amount)}",
        *[
            f"  {group.supplier}:{group.total.count} 笔 {format_yuan(group.total.amount)}"
            for group in quality.suppliers
        ],
    ]
