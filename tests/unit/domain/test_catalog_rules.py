"""Master-data rules (names, leaders, phones, products, staff), who may edit the lists, the new
store's set-up steps, and the unknown-barcode rule of a quality complaint."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from desktop_app.domain import cases as rules
from desktop_app.domain.catalog import (
    DepartmentDraft,
    ProductDraft,
    StaffDraft,
    SupplierDraft,
    barcode_problem,
    may_edit_catalog,
    split_leaders,
    validate_department,
    validate_product,
    validate_staff,
    validate_supplier,
)
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.registration import check_product_found, validate_registration
from desktop_app.domain.roles import Role
from desktop_app.domain.store_setup import (
    SetupFacts,
    SetupState,
    SetupStep,
    department_typed_again,
    first_step,
    next_step,
    open_steps,
    previous_step,
    should_offer_at_login,
    state_after_finish,
)
from tests.builders import a_draft

NOW = datetime(2026, 11, 24, 10, 0)


def errors_of(action: object) -> dict[str, str]:
    try:
        action()  # type: ignore[operator]
    except ValidationError as error:
        return error.field_errors
    return {}


@pytest.mark.parametrize(
    ("role", "may"),
    [(Role.CLERK, False), (Role.FRONT_DESK_MANAGER, True), (Role.DEPUTY_STORE_MANAGER, True),
     (Role.STORE_MANAGER, True), (Role.ADMINISTRATOR, True)],
)
def test_managers_and_the_administrator_edit_the_lists_clerks_do_not(role: Role, may: bool) -> None:
    assert may_edit_catalog(role) is may


@pytest.mark.parametrize(
    ("typed", "names"),
    [("李明、王芳", ("李明", "王芳")), ("李明,王芳 赵强", ("李明", "王芳", "赵强")),
     (" 李明 ;; 李明 /王芳", ("李明", "王芳")), ("", ()), ("李明,王芳", ("李明", "王芳"))],
)
def test_team_leaders_are_split_as_people_write_them(typed: str, names: tuple[str, ...]) -> None:
    assert split_leaders(typed) == names


def test_a_department_keeps_its_leaders_in_order_and_a_cleaned_phone() -> None:
    typed = DepartmentDraft(" 食品部 ", "王芳 李明", "０５７１-８８８８ 转 ８０２１")
    department = validate_department(typed)
    assert department.name == "食品部"
    assert department.leaders_text == "王芳、李明"
    assert department.phone == "0571-8888 转 8021"


@pytest.mark.parametrize(
    ("draft", "fields"),
    [
        (DepartmentDraft(""), {"name"}),
        (DepartmentDraft("部" * 31), {"name"}),
        (DepartmentDraft("食品部", "、".join(f"班长{i}" for i in range(7))), {"leaders"}),
        (DepartmentDraft("食品部", "长" * 31), {"leaders"}),
        (DepartmentDraft("食品部", "", "call me"), {"phone"}),
        (DepartmentDraft("食品部", "", "12"), {"phone"}),
    ],
)
def test_bad_departments_are_refused_by_field(draft: DepartmentDraft, fields: set[str]) -> None:
    assert set(errors_of(lambda: validate_department(draft))) == fields


def test_suppliers_need_a_name_and_a_plausible_phone() -> None:
    supplier = validate_supplier(SupplierDraft("伊利乳业", " 张 经理 ", "+86 471-3350000"))
    assert (supplier.contact, supplier.phone) == ("张 经理", "+86 471-3350000")
    assert set(errors_of(lambda: validate_supplier(SupplierDraft("", "人" * 31, "x")))) == {
        "name", "contact", "phone",
    }


def test_a_product_typed_by_hand_is_checked_like_an_imported_row() -> None:
    typed = ProductDraft("'６９０１２３４５６７８９２", "牛奶", "食品部", "", "¥3.5")
    product = validate_product(typed)
    assert (product.barcode, product.price_fen) == ("6901234567892", 350)
    assert set(errors_of(lambda: validate_product(ProductDraft("12", "", "", "", "x")))) == {
        "barcode", "name", "department", "price",
    }


def test_staff_need_a_name_only() -> None:
    assert validate_staff(StaffDraft(" 刘洋 ", "", 3)).name == "刘洋"
    assert set(errors_of(lambda: validate_staff(StaffDraft("")))) == {"name"}


@pytest.mark.parametrize("barcode", ["123456", "69012345678921", "00000000"])
def test_six_to_fourteen_digits_are_barcodes(barcode: str) -> None:
    assert barcode_problem(barcode) == ""


# --- the set-up ------------------------------------------------------------------------------


def facts(**changes: object) -> SetupFacts:
    base = SetupFacts(store_name="", department_count=0, deadline_confirmed=False,
                      state=SetupState.NOT_STARTED)
    return replace(base, **changes)  # type: ignore[arg-type]


def test_a_new_store_has_every_step_to_do_and_starts_at_the_store_name() -> None:
    assert open_steps(facts()) == list(SetupStep)
    assert first_step(facts()) is SetupStep.STORE


def test_the_wizard_reopens_at_the_first_step_still_to_do() -> None:
    assert first_step(facts(store_name="惠民超市")) is SetupStep.DEPARTMENTS
    assert first_step(facts(store_name="惠民超市", department_count=3)) is SetupStep.DEADLINE
    done = facts(store_name="惠民超市", department_count=3, deadline_confirmed=True)
    assert open_steps(done) == []
    assert first_step(done) is SetupStep.STORE


def test_steps_go_forward_and_back_in_order() -> None:
    assert next_step(SetupStep.STORE) is SetupStep.DEPARTMENTS
    assert next_step(SetupStep.DEADLINE) is None
    assert previous_step(SetupStep.DEPARTMENTS) is SetupStep.STORE
    assert previous_step(SetupStep.STORE) is None


def test_finishing_with_open_steps_counts_as_skipping_them() -> None:
    assert state_after_finish(facts(store_name="惠民超市")) is SetupState.SKIPPED
    done = facts(store_name="惠民超市", department_count=1, deadline_confirmed=True)
    assert state_after_finish(done) is SetupState.DONE


@pytest.mark.parametrize(
    ("role", "departments", "state", "offered"),
    [
        (Role.STORE_MANAGER, 0, SetupState.SKIPPED, True),
        (Role.ADMINISTRATOR, 0, SetupState.NOT_STARTED, True),
        (Role.STORE_MANAGER, 2, SetupState.SKIPPED, False),
        (Role.STORE_MANAGER, 0, SetupState.DONE, False),
        (Role.CLERK, 0, SetupState.SKIPPED, False),
        (Role.DEPUTY_STORE_MANAGER, 0, SetupState.SKIPPED, False),
    ],
)
def test_an_unfinished_set_up_is_offered_at_an_administrator_s_login_while_there_are_no_departments(
    role: Role, departments: int, state: SetupState, offered: bool
) -> None:
    assert should_offer_at_login(facts(department_count=departments, state=state), role) is offered


@pytest.mark.parametrize(
    ("typed", "result"),
    [
        (("食品部", "李明、王芳", "8021"), ("食品部", "李明、王芳", "8021")),
        (("食品部", "李明", ""), ("食品部", "李明", "8000")),
        (("食品部", "  ", "8021"), ("食品部", "赵强", "8021")),
        ((" 食品部 ", "", ""), ("食品部", "赵强", "8000")),
    ],
)
def test_a_department_typed_again_in_the_set_up_takes_what_was_typed_and_keeps_the_rest(
    typed: tuple[str, str, str], result: tuple[str, str, str]
) -> None:
    held = DepartmentDraft("食品部", "赵强", "8000")
    assert department_typed_again(held, DepartmentDraft(*typed)) == DepartmentDraft(*result)


# --- an unknown barcode on a quality complaint -------------------------------------------------


def test_an_unknown_barcode_on_a_quality_complaint_needs_the_name_and_department() -> None:
    new = validate_registration(a_draft(product_barcode="6999999999999", product_name=""), NOW)
    with pytest.raises(ValidationError) as refused:
        check_product_found(new, found=False)
    assert set(refused.value.field_errors) == {"product_name", "department_name"}
    assert "商品库中没有这个条码" in refused.value.field_errors["product_name"]


@pytest.mark.parametrize(
    ("changes", "found"),
    [
        ({"product_barcode": "6999999999999"}, True),
        ({"product_barcode": "6999999999999", "department_name": "食品部"}, False),
        ({"product_barcode": ""}, False),
        ({"product_barcode": "6999999999999", "category": rules.Category.PRICE_BILLING}, False),
    ],
    ids=["known", "typed-by-hand", "no-barcode", "not-quality"],
)
def test_the_rule_leaves_other_complaints_alone(changes: dict[str, object], found: bool) -> None:
    new = validate_registration(a_draft(**changes), NOW)
    check_product_found(new, found=found)
