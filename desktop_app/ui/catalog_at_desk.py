"""The store's lists at the desk.

A department, supplier or staff name that is not in the lists yet: a manager is asked whether
to add it now (by name; leaders and phone are filled in later in 门店资料); a clerk is told
exactly who can add it. A staff name stays free text for a clerk — the customer may not know the
exact name — so they may still save it as written.

At the department's confirmation, the desk sees whom to call and picks the leader's name.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QLineEdit, QMessageBox, QWidget

from desktop_app.domain.accounts import Account
from desktop_app.domain.errors import DeskError
from desktop_app.services.catalog import DEPARTMENT, STAFF, SUPPLIER
from desktop_app.services.desk import Desk
from desktop_app.ui.keyboard import give_completer

LABELS = {DEPARTMENT: "部门", SUPPLIER: "供应商", STAFF: "员工"}
Yes = QMessageBox.StandardButton.Yes
No = QMessageBox.StandardButton.No


def resolve_unknown_names(
    parent: QWidget, desk: Desk, actor: Account, fields: Mapping[str, QComboBox | QLineEdit]
) -> bool:
    """Offer to add each name typed in ``fields`` (list → widget) that no list holds; True when
    saving may go on."""
    texts = {entity: _text(widget) for entity, widget in fields.items()}
    for entity, name in desk.catalog.unknown_names(texts):
        label = LABELS[entity]
        if desk.catalog.may_edit(actor):
            if not _add_now(parent, desk, actor, entity, name):
                return False
            widget = fields[entity]
            if isinstance(widget, QComboBox) and widget.findText(name) < 0:
                widget.addItem(name)
                widget.setCurrentText(name)
            continue
        refusal = desk.catalog.refusal_for(label)
        if entity == STAFF:
            answer = QMessageBox.question(
                parent, "员工名单中没有此人",
                f"“{name}”不在员工名单中。{refusal}\n\n仍按所填姓名登记吗?", Yes | No, No,
            )
            if answer != Yes:
                return False
            continue
        QMessageBox.warning(parent, f"没有这个{label}", f"{label}列表中没有“{name}”。\n{refusal}")
        return False
    return True


# What 门店资料 holds beyond the name (a supplier has no team leaders: found on a real X server).
LATER_DETAILS = {DEPARTMENT: "班长、电话等", SUPPLIER: "联系人、电话等"}


def _add_now(parent: QWidget, desk: Desk, actor: Account, entity: str, name: str) -> bool:
    label = LABELS[entity]
    answer = QMessageBox.question(
        parent, f"添加{label}",
        f"“{name}”不在{label}列表中。现在把它添加为新{label}吗?\n"
        f"({LATER_DETAILS.get(entity, '其他资料')}可以以后在「门店资料」中补充)",
        Yes | No, Yes,
    )
    if answer != Yes:
        return False
    try:
        desk.catalog.add_named(actor, entity, name)
    except DeskError as error:
        QMessageBox.warning(parent, f"不能添加{label}", str(error))
        return False
    return True


def attach_staff_completer(edit: QLineEdit, desk: Desk) -> None:
    """Staff names from the list as the clerk types."""
    completer = QCompleter(desk.catalog.staff_names(), edit)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    give_completer(edit, completer)


def _text(widget: QComboBox | QLineEdit) -> str:
    return widget.currentText() if isinstance(widget, QComboBox) else widget.text()


def leader_hint(desk: Desk, department: str) -> str:
    """``请联系食品部班长 李明、王芳(电话 8021)`` for the confirmation step, or ''."""
    contact = desk.catalog.department_contact(department)
    if contact is None or not (contact.leaders or contact.phone):
        return ""
    who = f"班长 {contact.leaders}" if contact.leaders else "班长"
    phone = f"(电话 {contact.phone})" if contact.phone else ""
    return f"请联系{contact.name}{who}{phone}。"


def attach_leader_completer(edit: QLineEdit, desk: Desk, department: str) -> None:
    contact = desk.catalog.department_contact(department)
    names = [] if contact is None else [n for n in contact.leaders.split("、") if n]
    completer = QCompleter(names, edit)
    completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
    give_completer(edit, completer)
