"""扣款与责任 (managers only): who pays for what went wrong.

- 供应商扣款: each supplier's balance (what it still owes, every month) and its lines; change an
  amount, record a deduction, waive (store manager), undo (store manager); each line's history
  from the register; 《供应商质量扣款通知单》 for one supplier or all of a month.
- 责令改善: improvement orders to suppliers and departments, open ones first by due date,
  overdue in red; follow up, extend, close with the result.
- 员工责任: the month's staff liability lines and each person's totals; settle, waive, cancel;
  《员工赔偿责任月结单》 per person.
"""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from desktop_app.domain.accounts import Account
from desktop_app.domain.roles import MANAGER_ROLES
from desktop_app.services.desk import Desk
from desktop_app.ui.improvement_orders_tab import OrdersTab
from desktop_app.ui.liability_tab import LiabilityTab
from desktop_app.ui.supplier_ledger_tab import SupplierLedgerTab


class LedgerPage(QWidget):
    def __init__(self, desk: Desk, actor: Account, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("ledger_tabs")
        self.suppliers = SupplierLedgerTab(desk, actor)
        self.orders = OrdersTab(desk, actor)
        self.tabs.addTab(self.suppliers, "供应商扣款")
        self.tabs.addTab(self.orders, "责令改善")
        self.staff: LiabilityTab | None = None
        if desk.liabilities.may_see(actor):
            self.staff = LiabilityTab(desk, actor)
            self.tabs.addTab(self.staff, "员工责任")
        self.suppliers.orders_changed.append(self.orders.reload)
        self.tabs.currentChanged.connect(self._reload_current)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        """Coming back to the page (approvals happen on other pages) shows the ledgers as now."""
        super().showEvent(event)
        self._reload_current(self.tabs.currentIndex())

    def _reload_current(self, index: int) -> None:
        page = self.tabs.widget(index)
        if isinstance(page, SupplierLedgerTab | OrdersTab | LiabilityTab):
            page.reload()

    @staticmethod
    def visible_to(account: Account) -> bool:
        return account.role in MANAGER_ROLES
