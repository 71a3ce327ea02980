"""Saving a PDF the user asked for, and opening a file or folder in the PC's own programs.

A PC without a PDF viewer (or a folder the system cannot show) is common at a store desk: the
user is told so in Chinese, with where the file is, instead of nothing happening.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop_app.ui.file_dialogs import file_to_save


def documents_folder() -> Path:
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(location or Path.home()) / "顾客投诉服务台"


def ask_pdf_path(parent: QWidget | None, file_name: str) -> Path | None:
    folder = documents_folder()
    folder.mkdir(parents=True, exist_ok=True)
    chosen = file_to_save(parent, "保存 PDF", str(folder / file_name), "PDF 文件 (*.pdf)")
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix.lower() == ".pdf" else path.with_suffix(".pdf")


def cannot_open_message(path: Path) -> str:
    if path.is_dir():
        return f"无法打开文件夹:这台电脑没有可以显示文件夹的程序。\n文件在:{path}"
    if not path.exists():
        return f"无法打开:找不到文件 {path}"
    kind = "PDF 阅读器" if path.suffix.lower() == ".pdf" else "能打开这种文件的程序"
    return f"无法打开 {path.name}:这台电脑上没有{kind}。\n文件已保存在:{path.parent}"


def open_file(path: Path, parent: QWidget | None = None) -> bool:
    """Open a file or folder with the system's program; says so when that fails."""
    if path.exists() and QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        return True
    QMessageBox.warning(parent, "无法打开", cannot_open_message(path))
    return False
