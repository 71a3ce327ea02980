"""Store settings for the administrator."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.accounts import Account
from desktop_app.domain.errors import DeskError, ValidationError
from desktop_app.services.desk import Desk
from desktop_app.ui.forms import FieldErrors
from desktop_app.ui.retention_settings import RetentionSettingsBox


class SettingsPage(QWidget):
    def __init__(self, desk: Desk, actor: Account, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._actor = actor
        self.store_name = QLineEdit(desk.settings.store_name())
        self.store_name.setObjectName("store_name")
        self.confirmation_minutes = QSpinBox()
        self.confirmation_minutes.setObjectName("confirmation_minutes")
        self.confirmation_minutes.setRange(1, 240)
        self.confirmation_minutes.setSuffix(" 分钟")
        self.confirmation_minutes.setValue(desk.settings.confirmation_minutes())
        self.save_button = QPushButton("保存设置(&S)")
        self.save_button.clicked.connect(self.on_save_clicked)

        form = QFormLayout()
        self.errors = FieldErrors()
        self.errors.add_row(form, "门店名称(印在报表上)", "store_name", self.store_name)
        self.errors.add_row(
            form, "部门到场确认时限", "confirmation_minutes", self.confirmation_minutes
        )
        where = QLabel(f"数据库文件:{desk.db_path}\n备份文件夹:{desk.backup_dir}")
        where.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.save_button)
        self.retention = RetentionSettingsBox(desk, actor)
        layout.addWidget(self.retention)
        layout.addWidget(where)
        layout.addStretch(1)

    def on_save_clicked(self) -> None:
        try:
            self._desk.settings.update(
                self._actor, self.store_name.text(), self.confirmation_minutes.value()
            )
        except ValidationError as error:
            self.errors.show(error.field_errors)
            return
        except DeskError as error:
            QMessageBox.warning(self, "门店设置", str(error))
            return
        self.errors.clear()
        QMessageBox.information(self, "门店设置", "设置已保存")
