"""校验登记簿: walk the whole hash chain with a progress dialog, then say what was found."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QWidget

from desktop_app.services.desk import Desk
from desktop_app.services.verification import VerifyReport


def verify_register_with_progress(desk: Desk, parent: QWidget | None) -> VerifyReport:
    progress = QProgressDialog("正在校验登记簿……", "", 0, 0, parent)
    progress.setWindowTitle("校验登记簿")
    progress.setCancelButton(None)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(300)

    def step(entries: int) -> None:
        progress.setLabelText(f"正在校验登记簿……已检查 {entries} 条记录")
        QApplication.processEvents()

    try:
        report = desk.register.verify(progress=step)
    finally:
        progress.close()
    if report.ok:
        QMessageBox.information(parent, "校验登记簿", report.message)
    else:
        QMessageBox.critical(parent, "登记簿被改动", report.message)
    return report
