"""An account whose password someone else set is asked, at login, to choose its own."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from desktop_app.domain.errors import PermissionDeniedError
from desktop_app.domain.roles import Role
from desktop_app.services.desk import Desk
from desktop_app.ui.change_password_dialog import ChangePasswordDialog
from tests.builders import Staff
from tests.ui.typing import show, type_text


def test_the_owner_chooses_a_new_password_and_may_then_sign(
    qtbot: QtBot, desk: Desk, staff: Staff
) -> None:
    created = desk.accounts.create_account(staff.boss, "newfd", "钱经理",
                                           Role.FRONT_DESK_MANAGER, "given1", "given1")
    assert created.must_change_password
    try:
        desk.accounts.authenticate("newfd", "given1", purpose="sign")
        raise AssertionError("a password set by someone else signed")
    except PermissionDeniedError as error:
        assert "本人" in str(error)
    dialog = ChangePasswordDialog(desk.accounts, created)
    show(qtbot, dialog)
    type_text(qtbot, dialog.old, "given1")
    type_text(qtbot, dialog.new, "mine123")
    type_text(qtbot, dialog.confirm, "mine124")
    dialog.ok_button.click()
    assert dialog.changed is None and dialog.errors.text("confirm")
    dialog.confirm.clear()
    type_text(qtbot, dialog.confirm, "mine123")
    dialog.ok_button.click()
    assert dialog.changed is not None and not dialog.changed.must_change_password
    signer = desk.accounts.authenticate("newfd", "mine123", purpose="sign")
    assert signer.id == created.id


def test_a_wrong_old_password_is_refused(qtbot: QtBot, desk: Desk, staff: Staff) -> None:
    created = desk.accounts.create_account(staff.boss, "newfd", "钱经理",
                                           Role.FRONT_DESK_MANAGER, "given1", "given1")
    dialog = ChangePasswordDialog(desk.accounts, created)
    show(qtbot, dialog)
    type_text(qtbot, dialog.old, "wrong1")
    type_text(qtbot, dialog.new, "mine123")
    type_text(qtbot, dialog.confirm, "mine123")
    dialog.ok_button.click()
    assert dialog.changed is None
    assert "密码" in dialog.refusal.text()
