"""The registration form filled with the keyboard alone, and what is stored."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from desktop_app.domain import cases as rules
from desktop_app.services.desk import Desk
from desktop_app.store.connection import database
from desktop_app.ui.registration_page import RegistrationPage
from tests.builders import MILK_BARCODE, Staff, a_draft
from tests.ui.typing import focused, show, type_here, type_text


@pytest.fixture
def page(qtbot: QtBot, desk: Desk, staff: Staff) -> RegistrationPage:
    form = RegistrationPage(desk, staff.clerk)
    show(qtbot, form)
    form.clear_form()
    return form


def stored_cases() -> list[tuple[object, ...]]:
    return list(
        database.execute_sql(
            'SELECT case_no, customer_name, customer_phone, product_barcode, product_name, '
            "department_id, c.receipt_no, r.paid_fen, account, category, clerk_id "
            'FROM "case" c LEFT JOIN receipt r ON r.id = c.receipt_id ORDER BY c.id'
        ).fetchall()
    )


NO_MODIFIER = Qt.KeyboardModifier.NoModifier


def key(qtbot: QtBot, which: Qt.Key, modifier: Qt.KeyboardModifier = NO_MODIFIER) -> None:
    qtbot.keyClick(focused(), which, modifier)


def enter(qtbot: QtBot) -> None:
    key(qtbot, Qt.Key.Key_Return)


def tab(qtbot: QtBot, times: int = 1) -> None:
    for _ in range(times):
        key(qtbot, Qt.Key.Key_Tab)


def test_a_complaint_is_registered_with_the_keyboard_alone(
    qtbot: QtBot, page: RegistrationPage, staff: Staff
) -> None:
    assert focused() is page.customer_name
    type_here(qtbot, "张女士")
    enter(qtbot)
    type_here(qtbot, "138 1234 5678")
    enter(qtbot)
    assert focused() is page.receipt_no
    type_here(qtbot, "a20261124-0031")
    enter(qtbot)
    type_here(qtbot, "2026-11-23")
    enter(qtbot)
    type_here(qtbot, "１２３．５")  # full-width, as a Chinese input method sends it
    enter(qtbot)
    assert focused() is page.subject
    tab(qtbot)
    assert focused() is page.product_barcode
    type_here(qtbot, MILK_BARCODE)  # a scanner types the digits and Enter
    enter(qtbot)
    assert page.product_name.text() == "伊利纯牛奶 250ml"
    assert page.department_name.currentText() == "食品部"
    assert page.supplier_name.currentText() == "伊利乳业"
    while focused() is not page.account:
        tab(qtbot)
    type_here(qtbot, "牛奶打开后有异味,要求退货")
    key(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    assert stored_cases() == [
        ("TS-202611-0001", "张女士", "13812345678", MILK_BARCODE, "伊利纯牛奶 250ml", 1,
         "A20261124-0031", 12350, "牛奶打开后有异味,要求退货", "product_quality", staff.clerk.id),
    ]
    assert "TS-202611-0001" in page.saved_label.text()
    assert page.customer_name.text() == ""
    assert focused() is page.customer_name  # ready for the next customer


def test_a_service_complaint_chosen_with_the_keyboard_is_not_saved_as_a_quality_one(
    qtbot: QtBot, page: RegistrationPage
) -> None:
    """Found on a real X server: choosing 服务 left 商品质量 / 退货退款, and the case was saved
    as a quality problem for the cashiers' department to confirm."""
    type_here(qtbot, "周先生")
    tab(qtbot)
    type_here(qtbot, "13600003333")
    while focused() is not page.subject:
        tab(qtbot)
    key(qtbot, Qt.Key.Key_Down)  # 商品 → 服务
    assert page.subject.currentData() is rules.Subject.SERVICE
    assert page.category.currentData() is rules.Category.SERVICE_ATTITUDE
    assert page.demand.currentData() is rules.Demand.APOLOGY
    page.department_name.setCurrentText("食品部")
    type_text(qtbot, page.account, "收银员态度恶劣")
    key(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert database.execute_sql(
        'SELECT subject, category, demand, needs_confirmation FROM "case"'
    ).fetchall() == [("service", "service_attitude", "apology", 0)]


@pytest.mark.parametrize(("choose", "subjects"), [
    (rules.Category.PRICE_BILLING, (rules.Subject.SERVICE, rules.Subject.PRODUCT)),
    # Found in review: picked on a product case, then 服务 and back, it came back as 商品质量.
    (rules.Category.SERVICE_ATTITUDE, (rules.Subject.SERVICE, rules.Subject.PRODUCT)),
    (rules.Category.SERVICE_ATTITUDE, (rules.Subject.SERVICE, rules.Subject.OTHER)),
    (rules.Demand.APOLOGY, (rules.Subject.SERVICE, rules.Subject.PRODUCT)),
])
def test_a_choice_the_clerk_made_stays_however_the_subject_changes(
    qtbot: QtBot, page: RegistrationPage, choose: object, subjects: tuple[rules.Subject, ...]
) -> None:
    combo = page.category if isinstance(choose, rules.Category) else page.demand
    other = page.demand if combo is page.category else page.category
    combo.setCurrentIndex(combo.findData(choose))
    for subject in subjects:
        page.subject.setCurrentIndex(page.subject.findData(subject))
    assert combo.currentData() is choose
    usual = rules.usual_choices(subjects[-1])
    assert other.currentData() is (usual[1] if other is page.demand else usual[0])


def test_errors_are_shown_beside_the_fields_and_nothing_is_saved(
    qtbot: QtBot, page: RegistrationPage
) -> None:
    type_here(qtbot, "李先生")
    enter(qtbot)
    type_here(qtbot, "12345")
    page.amount_paid.setText("12.345")
    key(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert stored_cases() == []
    assert "电话号码不对" in page.errors.text("customer_phone")
    assert "最多两位小数" in page.errors.text("amount_paid")
    assert "顾客陈述" in page.errors.text("account")
    error_line = page.findChild(QLabel, "error_customer_phone")
    assert error_line is not None and error_line.isVisible()
    assert focused() is page.customer_phone  # the first wrong field has the focus


def test_a_long_message_is_also_shown_whole_below_the_form(
    qtbot: QtBot, page: RegistrationPage, desk: Desk, staff: Staff
) -> None:
    """Found: "小票 … 已登记实付 ¥232.7…" cut at the field's width, the instruction after it
    (ask a manager to correct it) visible to no keyboard user."""
    desk.cases.register(staff.clerk, a_draft(receipt_no="R20251125392145",
                                             amount_paid="232.73"))
    type_text(qtbot, page.customer_name, "李先生")
    type_text(qtbot, page.customer_phone, "13912345678")
    type_text(qtbot, page.receipt_no, "R20251125392145")
    type_text(qtbot, page.amount_paid, "10.00")
    type_text(qtbot, page.product_name, "伊利纯牛奶 250ml")
    type_text(qtbot, page.account, "牛奶变质")
    key(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    whole = page.errors.shown()["amount_paid"]
    assert "请经理在「更正小票实付」中更正" in whole
    assert whole in page.saved_label.text()
    assert page.saved_label.text().startswith("未保存")
    # Fixed, the whole message goes with the field's own line.
    page.amount_paid.clear()
    type_text(qtbot, page.amount_paid, "273.27")
    assert page.errors.shown() == {} and page.saved_label.text() == ""


def test_escape_asks_before_discarding_a_started_form(
    qtbot: QtBot, page: RegistrationPage
) -> None:
    type_here(qtbot, "王先生")

    def answer_no() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        assert "还没有保存" in box.text()
        box.button(QMessageBox.StandardButton.No).click()

    QTimer.singleShot(0, answer_no)
    key(qtbot, Qt.Key.Key_Escape)
    assert page.customer_name.text() == "王先生"


def test_the_customers_earlier_cases_appear_when_the_phone_is_typed(
    qtbot: QtBot, page: RegistrationPage, desk: Desk, staff: Staff
) -> None:
    from tests.builders import a_draft

    desk.cases.register(staff.clerk, a_draft(customer_phone="13900001111"))
    type_here(qtbot, "张女士")
    enter(qtbot)
    type_here(qtbot, "139-0000-1111")
    enter(qtbot)
    assert "TS-202611-0001" in page.history.note()
    assert rules.Category.PRODUCT_QUALITY.label in page.history.note()


def test_an_earlier_case_wider_than_its_note_ends_in_an_ellipsis_never_cut_off(
    qtbot: QtBot, page: RegistrationPage, desk: Desk, staff: Staff
) -> None:
    """Found on a real X server: "TS-202611-0020  2026-11-26  商品质量" was shown as "… 商品质"
    in a 1366-pixel window, with nothing to say the line went on."""
    desk.cases.register(staff.clerk, a_draft(customer_phone="13900001111"))
    page.resize(760, page.height())
    type_text(qtbot, page.customer_phone, "13900001111")
    enter(qtbot)
    note = page.history
    metrics = note.fontMetrics()
    shown = note.text().split("\n")
    assert len(shown) == 2 and shown[1].endswith("…"), shown
    assert all(metrics.horizontalAdvance(line) <= note.contentsRect().width() for line in shown)
    assert rules.Category.PRODUCT_QUALITY.label in note.toolTip()
    page.resize(1900, page.height())
    qtbot.waitUntil(lambda: note.text() == note.note())
    assert rules.Category.PRODUCT_QUALITY.label in note.text()


def test_an_unknown_barcode_says_so(qtbot: QtBot, page: RegistrationPage) -> None:
    page.product_barcode.setFocus()
    type_here(qtbot, "6999999999999")
    enter(qtbot)
    assert "无此条码" in page.product_info.note()


def test_an_unknown_barcode_is_refused_with_every_other_problem_in_one_round(
    qtbot: QtBot, page: RegistrationPage
) -> None:
    """Found on a real X server: the first Ctrl+S named only the missing statement; the
    product's name and department for the unknown barcode came at the second."""
    type_here(qtbot, "王女士")
    enter(qtbot)
    type_here(qtbot, "13812345678")
    page.product_barcode.setFocus()
    type_here(qtbot, "6999999999999")
    enter(qtbot)
    key(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert stored_cases() == []
    assert "顾客陈述" in page.errors.text("account")
    assert "请手工填写商品名称" in page.errors.text("product_name")
    assert "请填写责任部门" in page.errors.text("department_name")


def test_the_product_suggestions_close_when_a_shortcut_moves_on(
    qtbot: QtBot, page: RegistrationPage
) -> None:
    """Found on a real X server: 纯牛奶 typed into 商品名称 opened its suggestions, Alt+A went
    to 顾客陈述 with the list still open and holding the keyboard, so the next character went
    back into 商品名称 (纯牛奶牛) and the statement lost it."""
    type_text(qtbot, page.product_name, "纯牛奶")
    popup = page.product_name.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    key(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    assert focused() is page.account
    assert not popup.isVisible()
    type_here(qtbot, "牛奶变质")
    assert page.product_name.text() == "纯牛奶"
    assert page.account.toPlainText() == "牛奶变质"


def test_the_unknown_barcode_note_fits_a_1366_pixel_screen(
    qtbot: QtBot, desk: Desk, staff: Staff
) -> None:
    """The main window as it opens on the desk's 1366×768 screen, in the app's own font (set on
    the application, as the app does): the note telling the clerk what to do was cut before
    its instruction ended (found on a real X server)."""
    from PySide6.QtGui import QFont, QFontDatabase

    from desktop_app.paths import font_path
    from desktop_app.ui.main_window import MainWindow
    from desktop_app.ui.qt_app import UI_FONT_POINT_SIZE

    [family, *_] = QFontDatabase.applicationFontFamilies(
        QFontDatabase.addApplicationFont(str(font_path())))
    before = QApplication.font()
    QApplication.setFont(QFont(family, UI_FONT_POINT_SIZE))
    window = MainWindow(desk, staff.clerk)
    page = window.show_page("登记投诉")
    try:
        show(qtbot, window)
        window.resize(1280, 660)
        type_text(qtbot, page.product_barcode, "6999999999999")
        enter(qtbot)
        note = page.product_info
        qtbot.waitUntil(lambda: note.note() != "")
        assert note.font().family() == family
        assert note.text() == note.note(), note.text()
    finally:
        page.clear_form()  # nothing typed is left for the window's closing to ask about
        QApplication.setFont(before)


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter])
def test_enter_moves_on_from_every_choice_as_from_the_fields(
    qtbot: QtBot, page: RegistrationPage, key: Qt.Key
) -> None:
    """Found on a real X server: after Enter in 实付金额 the focus was on 投诉对象, a further
    Enter did nothing, and the barcode scanned next went nowhere."""
    for choice in (page.channel, page.subject, page.demand, page.category, page.kind,
                   page.is_major):
        choice.setFocus()
        qtbot.keyClick(choice, key)
        assert focused() is not choice, choice.objectName()
    page.amount_paid.setFocus()
    qtbot.keyClick(page.amount_paid, key)
    assert focused() is page.subject
    qtbot.keyClick(page.subject, key)
    assert focused() is page.product_barcode
    assert stored_cases() == []


def test_escape_with_a_list_of_suggestions_open_closes_the_list_only(
    qtbot: QtBot, page: RegistrationPage, answer_boxes: Callable[..., Any]
) -> None:
    """Found on a real X server: Esc with 商品名称's suggestions open asked to clear the form."""
    asked = answer_boxes(QMessageBox.StandardButton.No)
    type_text(qtbot, page.product_name, "纯牛奶")
    popup = page.product_name.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    page.on_clear_requested()  # what the page's Esc shortcut does
    assert not popup.isVisible() and asked.texts == []
    assert page.product_name.text() == "纯牛奶"
    page.on_clear_requested()  # the list closed: Esc asks before the form is cleared
    assert len(asked.texts) == 1


def test_a_field_given_new_suggestions_watches_its_focus_once(qtbot: QtBot) -> None:
    """The case screen gives the team-leader field a new list at every step recorded."""
    from PySide6.QtWidgets import QCompleter, QLineEdit

    from desktop_app.ui.keyboard import give_completer

    edit = QLineEdit()
    qtbot.addWidget(edit)
    for names in (["李明"], ["王芳"], ["李明", "王芳"]):
        give_completer(edit, QCompleter(names, edit))
    watchers = [child for child in edit.children()
                if type(child).__name__ == "_ListClosesOnLeaving"]
    assert len(watchers) == 1
    qtbot.wait(10)  # the replaced lists are deleted from the event loop
    assert len(edit.findChildren(QCompleter)) == 1
