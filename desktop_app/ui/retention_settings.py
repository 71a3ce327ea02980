"""The store settings' box for customers' personal data: how long a closed case keeps the
customer's name and phone, and the longest shelf life of the food the store sells."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain import privacy as rules
from desktop_app.domain.accounts import Account
from desktop_app.domain.errors import DeskError, ValidationError
from desktop_app.services.desk import Desk
from desktop_app.ui.forms import FieldErrors

TEXT = {
    "title": "顾客个人信息保留期限",
    "months": "结案后保留",
    "shelf_life": "本店食品最长保质期",
    "unit": " 个月",
    "save": "保存保留期限",
    "saved": "保留期限已保存:{policy}",
    "explain": (
        "《个人信息保护法》第十九条:保存期限应当为实现处理目的所必要的最短时间;第四十七条:"
        "保存期限届满应当删除。期限届满的案件,程序每天启动时自动删除顾客姓名和电话"
        "(登记簿仍可校验),备份中的也一并清除。\n"
        "商品和食品安全投诉至少保留到保质期满后六个月(《食品安全法》第五十条):"
        "程序不知道每件商品的保质期,所以按本店食品最长保质期计算。"
    ),
    "due": "目前到期待删除:{count} 个案件",
}


class RetentionSettingsBox(QGroupBox):
    def __init__(self, desk: Desk, actor: Account, parent: QWidget | None = None) -> None:
        super().__init__(TEXT["title"], parent)
        self._desk = desk
        self._actor = actor
        policy = desk.privacy.policy()
        low, high = rules.RETENTION_MONTHS_RANGE
        self.months = self._spin("retention_months", low, high, policy.months)
        low, high = rules.SHELF_LIFE_MONTHS_RANGE
        self.shelf_life = self._spin(
            "food_shelf_life_months", low, high, policy.food_shelf_life_months
        )
        self.summary = QLabel(policy.describe())
        self.summary.setObjectName("retention_summary")
        self.due = QLabel(TEXT["due"].format(count=len(desk.privacy.due())))
        self.due.setObjectName("retention_due")
        explain = QLabel(TEXT["explain"])
        explain.setWordWrap(True)
        self.save_button = QPushButton(TEXT["save"])
        self.save_button.setObjectName("save_retention")
        self.save_button.clicked.connect(self.on_save_clicked)
        form = QFormLayout()
        self.errors = FieldErrors()
        self.errors.add_row(form, TEXT["months"], "retention_months", self.months)
        self.errors.add_row(form, TEXT["shelf_life"], "food_shelf_life_months", self.shelf_life)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.due)
        layout.addWidget(self.save_button)

    @staticmethod
    def _spin(name: str, low: int, high: int, value: int) -> QSpinBox:
        spin = QSpinBox()
        spin.setObjectName(name)
        spin.setRange(low, high)
        spin.setSuffix(TEXT["unit"])
        spin.setValue(value)
        return spin

    def on_save_clicked(self) -> None:
        try:
            policy = self._desk.privacy.update_policy(
                self._actor, self.months.value(), self.shelf_life.value()
            )
        except ValidationError as error:
            self.errors.show(error.field_errors)
            return
        except DeskError as error:
            QMessageBox.warning(self, TEXT["title"], str(error))
            return
        self.errors.clear()
        self.summary.setText(policy.describe())
        self.due.setText(TEXT["due"].format(count=len(self._desk.privacy.due())))
        QMessageBox.information(self, TEXT["title"], TEXT["saved"].format(policy=policy.describe()))
