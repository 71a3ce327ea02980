"""门店资料: departments (with the team leaders who confirm at the desk), suppliers, products and
staff. Managers add, edit, disable (never delete: old cases keep their names) and search; the
catalogue is imported from the POS's .xlsx/.csv and exported as one workbook.

Products are fetched a page at a time, so a catalogue of 100,000 opens at once.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from desktop_app.domain.accounts import Account
from desktop_app.domain.catalog import may_edit_catalog
from desktop_app.domain.roles import may_administer
from desktop_app.domain.store_setup import SetupState, open_steps
from desktop_app.services.catalog import DEPARTMENT, STAFF, SUPPLIER
from desktop_app.services.desk import Desk
from desktop_app.ui.master_data_editors import department_editor, staff_editor, supplier_editor
from desktop_app.ui.master_data_tabs import ListTab, ProductsTab, SmallListTab, active_label
from desktop_app.ui.setup_wizard import SetupWizard

# --- the page --------------------------------------------------------------------------------


class MasterDataPage(QWidget):
    """The four lists in tabs, and a reminder while the store's set-up is unfinished."""

    def __init__(self, desk: Desk, actor: Account, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._actor = actor
        self.wizard: SetupWizard | None = None
        catalog = desk.catalog
        self.departments = SmallListTab(
            desk, actor, DEPARTMENT, "部门",
            ("部门", "班长(到前台确认)", "电话", "在用商品", "状态"),
            catalog.departments,
            lambda d: (d.name, d.leaders, d.phone, str(d.product_count), active_label(d.active)),
            lambda d: d.department_id, department_editor,
        )
        self.suppliers = SmallListTab(
            desk, actor, SUPPLIER, "供应商", ("供应商", "联系人", "电话", "在用商品", "状态"),
            catalog.suppliers,
            lambda s: (s.name, s.contact, s.phone, str(s.product_count), active_label(s.active)),
            lambda s: s.supplier_id, supplier_editor,
        )
        self.products = ProductsTab(desk, actor)
        self.staff = SmallListTab(
            desk, actor, STAFF, "员工", ("姓名", "部门", "登录账户", "状态"),
            catalog.staff, lambda t: (t.name, t.department, t.username, active_label(t.active)),
            lambda t: t.staff_id, staff_editor,
        )
        self.tabs = QTabWidget()
        self.tabs.setObjectName("master_data_tabs")
        for tab in (self.departments, self.suppliers, self.products, self.staff):
            self.tabs.addTab(tab, tab.title)
            tab.changed.connect(self.refresh_all)
        self.setup_note = QLabel()
        self.setup_note.setObjectName("setup_note")
        self.setup_note.setWordWrap(True)
        self.setup_button = QPushButton("继续开店设置(&S)…")
        self.setup_button.setObjectName("setup_button")
        self.setup_button.clicked.connect(self.on_setup_clicked)
        banner = QHBoxLayout()
        banner.addWidget(self.setup_note, 1)
        banner.addWidget(self.setup_button)
        layout = QVBoxLayout(self)
        layout.addLayout(banner)
        layout.addWidget(self.tabs, 1)
        self._show_setup_state()
        self._add_keys()

    def _add_keys(self) -> None:
        """Ctrl+F to the open list's search box; Ctrl+PgDown / Ctrl+PgUp to the next or the
        previous list (found on a real X server: the tabs were reached only by the mouse)."""
        keys = (("Ctrl+F", self.focus_search), ("Ctrl+PgDown", lambda: self._turn(1)),
                ("Ctrl+PgUp", lambda: self._turn(-1)))
        for sequence, action in keys:
            shortcut = QShortcut(QKeySequence(sequence), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(action)

    def focus_search(self) -> None:
        tab = self.tabs.currentWidget()
        if isinstance(tab, ListTab):
            tab.search.setFocus()
            tab.search.selectAll()

    def _turn(self, step: int) -> None:
        self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % self.tabs.count())
        self.focus_search()

    @staticmethod
    def visible_to(account: Account) -> bool:
        return may_edit_catalog(account.role)

    def refresh_all(self) -> None:
        for tab in (self.departments, self.suppliers, self.products, self.staff):
            tab.refresh()
        self._show_setup_state()

    def _show_setup_state(self) -> None:
        facts = self._desk.setup.facts()
        remaining = open_steps(facts)
        unfinished = facts.state is not SetupState.DONE and bool(remaining)
        shown = unfinished and may_administer(self._actor.role)
        steps = "、".join(step.label for step in remaining)
        self.setup_note.setText(f"开店设置尚未完成:{steps}。" if shown else "")
        self.setup_note.setVisible(shown)
        self.setup_button.setVisible(shown)

    def on_setup_clicked(self) -> SetupWizard:
        wizard = SetupWizard(self._desk, self._actor, self)
        wizard.finished.connect(lambda _code: self.refresh_all())
        self.wizard = wizard
        wizard.open()
        return wizard
