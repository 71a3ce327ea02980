"""开店设置 through the real widgets, as a store manager at the keyboard sets a new store up:
what is typed in the departments step is never lost silently, and a department the catalogue
import brought gets its team leaders filled in."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from desktop_app.domain.accounts import Account
from desktop_app.domain.store_setup import SetupState, SetupStep
from desktop_app.services.desk import Desk
from desktop_app.ui.setup_wizard import SetupWizard
from tests.ui.boxes import BoxAnswers, No, Yes
from tests.ui.typing import activate, focused, press_enter, show, type_here

Answers = Callable[[QMessageBox.StandardButton | None], BoxAnswers]
TAB = Qt.Key.Key_Tab


@pytest.fixture
def boss(desk: Desk) -> Account:
    """The store manager of a new store: named, no departments yet."""
    return desk.accounts.create_first_store_manager(
        "惠民超市", "wangjg", "王建国", "secret1", "secret1"
    )


@pytest.fixture
def wizard(qtbot: QtBot, desk: Desk, boss: Account) -> SetupWizard:
    shown = SetupWizard(desk, boss)
    show(qtbot, shown)
    assert shown.current_step() is SetupStep.DEPARTMENTS
    return shown


def catalogue(path: Path) -> Path:
    """What a POS exports: departments without team leaders."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["商品条码", "品名", "课别", "供货商", "零售价(元)"])
    sheet.append([6901234567892, "伊利纯牛奶 250ml×24", "食品部", "伊利乳业", 65])
    sheet.append([6901234567915, "美的电水壶 1.7L", "家电部", "美的电器", 99])
    book.save(path)
    return path


def import_catalogue(qtbot: QtBot, wizard: SetupWizard, path: Path) -> None:
    importing = wizard.on_import_clicked()
    with qtbot.waitSignal(importing.loaded, timeout=20_000):
        importing.load(path)
    with qtbot.waitSignal(importing.imported):
        importing.import_button.click()
    importing.close()
    activate(qtbot, wizard)


def type_department(qtbot: QtBot, wizard: SetupWizard, name: str, leaders: str, phone: str
                    ) -> None:
    """Name, Tab, leaders, Tab, phone: as the tester typed it."""
    wizard.department_name.setFocus()
    type_here(qtbot, name)
    qtbot.keyClick(focused(), TAB)
    type_here(qtbot, leaders)
    qtbot.keyClick(focused(), TAB)
    type_here(qtbot, phone)


def test_enter_after_each_field_adds_one_department_with_its_leaders_and_phone(
    qtbot: QtBot, wizard: SetupWizard, desk: Desk
) -> None:
    """Found on a real X server: 生鲜部 Enter, 李明、王芳 Enter, 8021 Enter made three
    departments, "李明、王芳" and "8021" among them (departments are never deleted)."""
    wizard.department_name.setFocus()
    for text in ("生鲜部", "李明、王芳", "8021"):
        type_here(qtbot, text)
        press_enter(qtbot, focused())
    assert [line.name for line in desk.catalog.departments()] == ["生鲜部"]
    fresh = desk.catalog.department_contact("生鲜部")
    assert fresh is not None and (fresh.leaders, fresh.phone) == ("李明、王芳", "8021")
    assert focused() is wizard.department_name
    assert wizard.current_step() is SetupStep.DEPARTMENTS


def test_an_imported_department_gets_its_team_leaders_from_the_set_up(
    qtbot: QtBot, wizard: SetupWizard, desk: Desk, tmp_path: Path
) -> None:
    """Found on a real screen: after the import, typing 食品部 with its leaders was refused as a
    duplicate name, with no way on from the wizard."""
    import_catalogue(qtbot, wizard, catalogue(tmp_path / "商品资料.xlsx"))
    assert wizard.department_count.text() == "已有 2 个部门"
    type_department(qtbot, wizard, "食品部", "李明、王芳", "8021")
    press_enter(qtbot, focused())
    assert wizard.department_errors.shown() == {} and wizard.general_error.isHidden()
    assert "已填入班长和电话" in wizard.department_notice.text()
    food = desk.catalog.department_contact("食品部")
    assert food is not None and (food.leaders, food.phone, food.product_count) == (
        "李明、王芳", "8021", 1,
    )
    assert wizard.department_count.text() == "已有 2 个部门"
    assert any("班长:李明、王芳" in wizard.department_list.item(row).text()
               for row in range(wizard.department_list.count()))
    assert focused() is wizard.department_name
    assert desk.register.verify().ok


def test_a_department_typed_but_not_added_is_added_on_going_on(
    qtbot: QtBot, wizard: SetupWizard, desk: Desk
) -> None:
    type_department(qtbot, wizard, "收银部", "孙丽", "8050")
    wizard.next_button.click()
    assert wizard.current_step() is SetupStep.DEADLINE
    [cashiers] = desk.catalog.departments()
    assert (cashiers.name, cashiers.leaders, cashiers.phone) == ("收银部", "孙丽", "8050")
    wizard.next_button.click()
    assert desk.setup.facts().state is SetupState.DONE


def test_going_on_with_a_department_that_cannot_be_added_stays_and_says_why(
    qtbot: QtBot, wizard: SetupWizard, desk: Desk, answer_boxes: Answers
) -> None:
    wizard.leaders.setFocus()
    type_here(qtbot, "孙丽")  # the name forgotten
    wizard.next_button.click()
    assert wizard.current_step() is SetupStep.DEPARTMENTS
    assert "部门名称" in wizard.department_errors.text("name")
    assert wizard.leaders.text() == "孙丽" and desk.catalog.departments() == []
    answer_boxes(Yes)  # closing the test's wizard throws the typed leader away


def test_escape_and_skip_ask_before_a_typed_department_is_lost(
    qtbot: QtBot, wizard: SetupWizard, desk: Desk, answer_boxes: Answers
) -> None:
    type_department(qtbot, wizard, "收银部", "孙丽", "8050")
    answers = answer_boxes(None)  # the question's default: keep it
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    assert wizard.isVisible() and "还没有添加的部门" in answers.texts[0]
    wizard.skip_button.click()
    assert wizard.isVisible() and len(answers.texts) == 2
    assert desk.setup.facts().state is SetupState.NOT_STARTED
    assert wizard.department_name.text() == "收银部"
    answers = answer_boxes(Yes)
    wizard.skip_button.click()
    assert not wizard.isVisible() and answers.texts
    assert desk.setup.facts().state is SetupState.SKIPPED
    assert desk.catalog.departments() == []


def test_a_wizard_with_nothing_typed_closes_without_asking(
    qtbot: QtBot, wizard: SetupWizard, answer_boxes: Answers
) -> None:
    answers = answer_boxes(No)
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    assert not wizard.isVisible() and answers.texts == []
