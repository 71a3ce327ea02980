"""门店资料 through the real widgets: the four lists, disabling, search, history, import, export."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop_app.domain.catalog import DepartmentDraft
from desktop_app.domain.catalog_import import CatalogField
from desktop_app.services.desk import Desk
from desktop_app.ui.catalog_import_dialog import CatalogImportDialog
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.master_data_editors import EntryDialog
from desktop_app.ui.master_data_page import MasterDataPage
from tests.builders import Staff
from tests.ui.boxes import BoxAnswers, Yes
from tests.ui.typing import focused, show, type_here, type_text

Answers = Callable[[QMessageBox.StandardButton | None], BoxAnswers]
TAB, ENTER, ESC = Qt.Key.Key_Tab, Qt.Key.Key_Return, Qt.Key.Key_Escape
CTRL = Qt.KeyboardModifier.ControlModifier
SAVE, CANCEL = QDialogButtonBox.StandardButton.Ok, QDialogButtonBox.StandardButton.Cancel


@pytest.fixture
def page(qtbot: QtBot, desk: Desk, staff: Staff) -> MasterDataPage:
    widget = MasterDataPage(desk, staff.front_desk)
    show(qtbot, widget)
    return widget


def field(dialog: object, name: str) -> QLineEdit:
    found = dialog.findChild(QLineEdit, name)  # type: ignore[attr-defined]
    assert found is not None
    return found


def opened(qtbot: QtBot, dialog: EntryDialog) -> EntryDialog:
    """The entry dialog as a person sees it after clicking 新增 or 修改: active, keys go to it."""
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return dialog


def button(dialog: QWidget, which: QDialogButtonBox.StandardButton) -> QPushButton:
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    return box.button(which)


def press(qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
          ) -> None:
    """A key pressed where the keyboard focus is, as a person at the keyboard presses it."""
    qtbot.keyClick(focused(), key, modifier)


def gbk_file(path: Path, *lines: str) -> Path:
    text = "条码,品名,课别,供应商,售价\r\n" + "\r\n".join(lines) + "\r\n"
    path.write_bytes(text.encode("gbk"))
    return path


def load(qtbot: QtBot, dialog: CatalogImportDialog, path: Path) -> None:
    with qtbot.waitSignal(dialog.loaded, timeout=20_000):
        dialog.load(path)


def test_managers_see_the_page_and_clerks_do_not(qtbot: QtBot, desk: Desk, staff: Staff) -> None:
    for account, shown in ((staff.clerk, False), (staff.front_desk, True), (staff.boss, True)):
        window = MainWindow(desk, account)
        qtbot.addWidget(window)
        assert ("门店资料" in window.page_titles) is shown


def test_a_department_is_added_with_its_team_leaders_typed_in_chinese(
    qtbot: QtBot, page: MasterDataPage, desk: Desk
) -> None:
    tab = page.departments
    assert [tab.model.line_at(row).name for row in range(tab.model.rowCount())] == [
        "食品部", "生鲜部", "收银部",
    ]
    dialog = tab.on_add_clicked()
    type_text(qtbot, field(dialog, "name"), "家电部")
    type_text(qtbot, field(dialog, "leaders"), "吴军 郑华")
    type_text(qtbot, field(dialog, "phone"), "８０２５")
    dialog.on_ok_clicked()
    added = tab.model.line_at(tab.model.rowCount() - 1)
    assert (added.name, added.leaders, added.phone) == ("家电部", "吴军、郑华", "8025")
    assert tab.count.text() == "共 4 个"


def test_errors_are_shown_beside_the_fields_and_nothing_is_saved(
    qtbot: QtBot, page: MasterDataPage, desk: Desk
) -> None:
    dialog = page.departments.on_add_clicked()
    type_text(qtbot, field(dialog, "name"), "食品部")
    type_text(qtbot, field(dialog, "phone"), "call me")
    dialog.on_ok_clicked()
    assert dialog.isVisible()
    assert "已有名为“食品部”的部门" in dialog.errors.text("name")
    assert "电话" in dialog.errors.text("phone")
    assert len(desk.catalog.departments()) == 3


def test_a_department_is_typed_by_keyboard_alone_and_enter_never_saves_it_half_filled(
    qtbot: QtBot, page: MasterDataPage, desk: Desk
) -> None:
    """Found on a real screen: the form opened on 保存, so 家电部 went nowhere, Tab reached
    the name last and Enter saved a department named "8025"."""
    dialog = opened(qtbot, page.departments.on_add_clicked())
    assert focused() is field(dialog, "name")
    type_here(qtbot, "家电部")
    press(qtbot, TAB)
    assert focused() is field(dialog, "leaders")
    type_here(qtbot, "吴军")
    press(qtbot, ENTER)  # Enter moves on, as Tab does
    assert focused() is field(dialog, "phone")
    type_here(qtbot, "8025")
    press(qtbot, ENTER)
    assert dialog.isVisible() and len(desk.catalog.departments()) == 3
    assert focused() is button(dialog, SAVE)
    press(qtbot, TAB)
    assert focused() is button(dialog, CANCEL)
    press(qtbot, TAB)
    assert focused() is field(dialog, "name")  # round again, fields first
    press(qtbot, ENTER, CTRL)
    assert dialog.result() == EntryDialog.DialogCode.Accepted
    added = desk.catalog.departments()[-1]
    assert (added.name, added.leaders, added.phone) == ("家电部", "吴军", "8025")


def test_the_product_form_tabs_through_its_fields_in_order_and_enter_in_a_list_moves_on(
    qtbot: QtBot, page: MasterDataPage, desk: Desk
) -> None:
    tab = page.products
    page.tabs.setCurrentWidget(tab)
    dialog = opened(qtbot, tab.on_add_clicked())
    order = ["barcode", "name", "department", "supplier", "price"]
    reached = [focused()]
    for _ in order[1:]:
        press(qtbot, TAB)
        reached.append(focused())
    names = [(widget.parentWidget() if isinstance(widget.parentWidget(), QComboBox)
              else widget).objectName() for widget in reached]
    assert names == order
    dialog.findChild(QComboBox, "department").setFocus()
    press(qtbot, ENTER)
    assert dialog.isVisible() and tab.count.text() == "共 1 种"
    assert dialog.findChild(QComboBox, "supplier").hasFocus()


def test_enter_after_a_department_typed_in_part_moves_on_with_the_completed_name(
    qtbot: QtBot, page: MasterDataPage
) -> None:
    """Found on a real X server: 烘 completed to 烘焙部, Enter stayed in the box and the
    product's supplier was typed after the department's name (烘焙部桃李面包)."""
    tab = page.products
    page.tabs.setCurrentWidget(tab)
    dialog = opened(qtbot, tab.on_add_clicked())
    department = dialog.findChild(QComboBox, "department")
    department.setFocus()
    department.setEditText("")
    type_here(qtbot, "生")  # completes to 生鲜部
    completed = department.currentText()
    assert completed == "生鲜部"
    press(qtbot, ENTER)
    assert dialog.findChild(QComboBox, "supplier").hasFocus()
    assert department.currentText() == completed


def test_escape_in_an_entry_form_asks_before_typed_text_is_lost(
    qtbot: QtBot, page: MasterDataPage, desk: Desk, answer_boxes: Answers
) -> None:
    untouched = opened(qtbot, page.departments.on_add_clicked())
    answers = answer_boxes(Yes)
    press(qtbot, ESC)
    assert not untouched.isVisible() and answers.texts == []

    page.departments.select_row(0)
    editor = page.departments.on_edit_clicked()
    assert editor is not None
    opened(qtbot, editor)
    leaders = field(editor, "leaders")
    type_text(qtbot, leaders, "李明")
    answers = answer_boxes(None)  # the question's default: keep typing
    press(qtbot, ESC)
    assert editor.isVisible() and leaders.text() == "李明" and answers.texts
    answers = answer_boxes(Yes)
    qtbot.mouseClick(button(editor, CANCEL), Qt.MouseButton.LeftButton)
    assert not editor.isVisible()
    assert desk.catalog.departments()[0].leaders == ""


def test_disabling_hides_an_entry_until_disabled_ones_are_shown(
    qtbot: QtBot, page: MasterDataPage
) -> None:
    tab = page.departments
    tab.select_row(2)
    tab.on_active_clicked()
    assert tab.model.rowCount() == 2
    tab.show_disabled.setChecked(True)
    assert tab.model.rowCount() == 3
    disabled = tab.model.line_at(2)
    assert (disabled.name, disabled.active) == ("收银部", False)
    tab.select_row(2)
    history = tab.on_history_clicked()
    assert history is not None
    table = history.findChild(QTableWidget, "history_table")
    # Its creation (by the set-up) and its disabling, both from the register.
    assert table is not None and table.rowCount() == 2
    assert table.item(1, 1).text() == "赵经理" and table.item(1, 2).text() == "停用"


def test_a_search_narrows_the_list(qtbot: QtBot, page: MasterDataPage) -> None:
    tab = page.departments
    type_text(qtbot, tab.search, "生鲜")
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1)
    assert tab.model.line_at(0).name == "生鲜部"


def test_a_product_is_added_and_edited_by_hand(qtbot: QtBot, page: MasterDataPage) -> None:
    tab = page.products
    page.tabs.setCurrentWidget(tab)
    dialog = tab.on_add_clicked()
    type_text(qtbot, field(dialog, "barcode"), "6901234567908")
    type_text(qtbot, field(dialog, "name"), "海天金标生抽 500ml")
    type_text(qtbot, field(dialog, "price"), "９.９")
    dialog.on_ok_clicked()
    assert tab.count.text() == "共 2 种"
    type_text(qtbot, tab.search, "生抽")
    tab.refresh()
    assert tab.model.rowCount() == 1
    tab.select_row(0)
    editor = tab.on_edit_clicked()
    assert editor is not None
    price = field(editor, "price")
    assert price.text() == "9.90"
    price.clear()
    type_text(qtbot, price, "10.50")
    editor.on_ok_clicked()
    assert str(tab.line_at(0).price) == "10.50"


def test_a_file_is_previewed_with_every_refusal_then_imported(
    qtbot: QtBot, page: MasterDataPage, desk: Desk, tmp_path: Path
) -> None:
    path = gbk_file(tmp_path / "pos.csv", "6901234567908,海天生抽,食品部,海天味业,9.90",
                    "6901234567908,重复,食品部,海天味业,9.90", "6901234567915,,家电部,,99",
                    "6901234567922,美的电水壶,家电部,美的电器,九十九")
    dialog = page.products.on_import_clicked()
    load(qtbot, dialog, path)
    assert "GBK" in dialog.source.text()
    assert "新增 1 条" in dialog.summary.text() and "拒绝 3 条" in dialog.summary.text()
    assert dialog.show_only.currentText() == "拒绝"  # refusals first
    assert dialog.model.rowCount() == 3
    notes = [dialog.model.row_at(row).note for row in range(3)]
    assert "重复" in notes[0] and notes[1] == "缺少商品名称" and "售价格式不对" in notes[2]
    with qtbot.waitSignal(page.products.imported):
        dialog.import_button.click()
    assert "已导入" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()
    assert page.products.count.text() == "共 2 种"
    assert desk.cases.product_by_barcode("6901234567908")["supplier_name"] == "海天味业"


def test_columns_the_importer_cannot_find_are_chosen_in_the_dialog(
    qtbot: QtBot, page: MasterDataPage, tmp_path: Path
) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("货号,名字,组\n6901234567908,生抽,食品部\n", encoding="utf-8")
    dialog = page.products.on_import_clicked()
    load(qtbot, dialog, path)
    assert "没有找到条码、商品名称、部门列" in dialog.error.text()
    assert not dialog.import_button.isEnabled()
    for catalog_field, column in ((CatalogField.BARCODE, 0), (CatalogField.NAME, 1),
                                  (CatalogField.DEPARTMENT, 2)):
        combo = dialog.columns[catalog_field]
        combo.setCurrentIndex(combo.findData(column))
    assert dialog.error.isHidden()
    assert "新增 1 条" in dialog.summary.text()
    assert dialog.import_button.isEnabled()


def test_an_unreadable_file_is_explained_in_the_dialog(
    qtbot: QtBot, page: MasterDataPage, tmp_path: Path
) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 64)
    dialog = page.products.on_import_clicked()
    load(qtbot, dialog, path)
    assert "旧版 Excel" in dialog.error.text()
    assert not dialog.import_button.isEnabled()


def test_the_export_writes_the_four_lists(
    qtbot: QtBot, page: MasterDataPage, tmp_path: Path
) -> None:
    written = page.products.export_to(tmp_path / "门店资料")
    assert written == tmp_path / "门店资料.xlsx"
    assert load_workbook(written).sheetnames == ["商品", "部门", "供应商", "员工"]


def test_staff_are_linked_to_a_login_account(
    qtbot: QtBot, page: MasterDataPage, staff: Staff
) -> None:
    tab = page.staff
    dialog = tab.on_add_clicked()
    type_text(qtbot, field(dialog, "name"), "刘洋")
    for name, wanted in (("department", "收银部"), ("account", staff.clerk.id)):
        box = dialog.findChild(QComboBox, name)
        assert box is not None
        box.setCurrentIndex(box.findData(wanted))
    dialog.on_ok_clicked()
    line = tab.model.line_at(0)
    assert (line.name, line.department, line.username) == ("刘洋", "收银部", "clerk")


def test_the_unfinished_set_up_is_offered_to_the_store_manager(
    qtbot: QtBot, desk: Desk, staff: Staff
) -> None:
    page = MasterDataPage(desk, staff.boss)
    show(qtbot, page)
    assert page.setup_button.isVisible()
    assert "部门到场确认时限" in page.setup_note.text()
    wizard = page.on_setup_clicked()
    assert wizard.current_step().label == "部门到场确认时限"
    wizard.next_button.click()
    assert not page.setup_button.isVisible()
    front_desk_page = MasterDataPage(desk, staff.front_desk)
    qtbot.addWidget(front_desk_page)
    desk.catalog.add_department(staff.boss, DepartmentDraft("物流部"))
    assert not front_desk_page.setup_button.isVisible()


def test_the_lists_are_reached_and_searched_with_the_keyboard(
    qtbot: QtBot, page: MasterDataPage
) -> None:
    """Found on a real X server: the tabs were reached by the mouse only, and the search box
    ignored Ctrl+F, Down and Enter."""
    page.tabs.setCurrentIndex(0)
    page.departments.table.setFocus()
    qtbot.keyClick(focused(), Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert focused() is page.departments.search
    qtbot.keyClick(focused(), Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert page.tabs.currentWidget() is page.suppliers and focused() is page.suppliers.search
    qtbot.keyClick(focused(), Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(focused(), Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert page.tabs.currentWidget() is page.staff  # round from the first to the last
    qtbot.keyClick(focused(), Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    type_here(qtbot, "食品")
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert focused() is page.departments.table
    assert page.departments.table.currentIndex().row() == 0
    assert "食品部" in page.departments.table.model().index(0, 0).data()
    page.departments.search.setFocus()
    qtbot.keyClick(focused(), Qt.Key.Key_Down)
    assert focused() is page.departments.table
