"""The file and folder choosers, in Chinese throughout.

Qt's own dialog (the one Linux gets; Windows shows its native one) kept "Look in:" and "Files of
type:" in English although qtbase_zh_CN translates them (found on a real X server): its labels
are set here. A native dialog ignores them. Each function returns '' when the user cancels.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

# The two labels left in English; the rest (文件名称, 目录, 选择, 取消…) qtbase_zh_CN translates.
LABELS = {
    QFileDialog.DialogLabel.LookIn: "查找范围:",
    QFileDialog.DialogLabel.FileType: "文件类型:",
}


def chooser(parent: QWidget | None, caption: str, start: str, name_filter: str = "") -> QFileDialog:
    dialog = QFileDialog(parent, caption, start, name_filter)
    for label, text in LABELS.items():
        dialog.setLabelText(label, text)
    return dialog


def _chosen(dialog: QFileDialog) -> str:
    if not dialog.exec():
        return ""
    files = dialog.selectedFiles()
    return files[0] if files else ""


def existing_folder(parent: QWidget | None, caption: str, start: str) -> str:
    # A folder not made yet (月报 before the first export) would open the chooser in the
    # program's own folder: it opens at the nearest folder that exists instead.
    dialog = chooser(parent, caption, str(_nearest_existing(Path(start))))
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    return _chosen(dialog)


def _nearest_existing(folder: Path) -> Path:
    while not folder.is_dir() and folder.parent != folder:
        folder = folder.parent
    return folder


def file_to_open(parent: QWidget | None, caption: str, start: str, name_filter: str) -> str:
    dialog = chooser(parent, caption, start, name_filter)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    return _chosen(dialog)


def file_to_save(parent: QWidget | None, caption: str, suggested: str, name_filter: str) -> str:
    dialog = chooser(parent, caption, suggested, name_filter)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    return _chosen(dialog)
