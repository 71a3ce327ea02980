"""About: version, where the data is, where the backups are."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from desktop_app import APP_TITLE, __version__
from desktop_app.services.desk import Desk


def about_text(desk: Desk) -> str:
    return (
        f"{APP_TITLE}\n版本 {__version__}\n\n"
        f"数据库文件:\n{desk.db_path}\n\n"
        f"备份文件夹(每天自动备份,保留最近 30 份):\n{desk.backup_dir}"
    )


def show_about(desk: Desk, parent: QWidget | None) -> None:
    QMessageBox.about(parent, f"关于 {APP_TITLE}", about_text(desk))
