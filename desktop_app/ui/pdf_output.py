"""Saving a PDF the user asked for, and opening it in the PC's PDF viewer to print."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QWidget


def documents_folder() -> Path:
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(location or Path.home()) / "顾客投诉服务台"


def ask_pdf_path(parent: QWidget | None, file_name: str) -> Path | None:
    folder = documents_folder()
    folder.mkdir(parents=True, exist_ok=True)
    chosen, _ = QFileDialog.getSaveFileName(
        parent, "保存 PDF", str(folder / file_name), "PDF 文件 (*.pdf)"
    )
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix.lower() == ".pdf" else path.with_suffix(".pdf")


def open_file(path: Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
