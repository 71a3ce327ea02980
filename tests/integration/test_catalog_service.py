"""Store master data on a real SQLite file: the four lists, who may edit them, import, export."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from desktop_app.domain.catalog import DepartmentDraft, ProductDraft, StaffDraft, SupplierDraft
from desktop_app.domain.catalog_import import CatalogField, RowAction, UnreadableFileError
from desktop_app.domain.errors import PermissionDeniedError, ValidationError
from desktop_app.services.desk import Desk
from desktop_app.services.unit_of_work import UnitOfWork
from desktop_app.store import catalog as store
from tests.builders import Staff

GBK_HEADER = "商品资料导出\r\n商品条码,品名,课别,供货商,零售价\r\n"


def write_gbk(path: Path, *lines: str) -> Path:
    path.write_bytes((GBK_HEADER + "\r\n".join(lines) + "\r\n").encode("gbk"))
    return path


def events(desk: Desk) -> list[tuple[str, str, dict[str, object]]]:
    with UnitOfWork(desk.db):
        rows = desk.db.execute_sql(
            "SELECT entity, action, payload FROM register_entry "
            "WHERE entity IN ('department', 'supplier', 'product', 'staff') ORDER BY seq"
        ).fetchall()
    return [(entity, action, json.loads(detail)) for entity, action, detail in rows]


@pytest.fixture
def people(desk: Desk) -> Staff:
    return Staff(desk)


# --- the four lists ----------------------------------------------------------------------------


def test_a_manager_adds_a_department_with_its_team_leaders_and_phone(
    desk: Desk, people: Staff
) -> None:
    draft = DepartmentDraft("食品部", "李明、王芳", "８０２１")
    desk.catalog.add_department(people.front_desk, draft)
    [line] = desk.catalog.departments()
    assert (line.name, line.leaders, line.phone, line.active) == (
        "食品部", "李明、王芳", "8021", True,
    )
    assert events(desk) == [("department", "add",
                             {"name": "食品部", "leaders": "李明、王芳", "phone": "8021",
                              "active": "1"})]
    assert desk.register.verify().ok


def test_a_clerk_is_told_exactly_who_may_add_a_department(desk: Desk, people: Staff) -> None:
    with pytest.raises(PermissionDeniedError) as refused:
        desk.catalog.add_department(people.clerk, DepartmentDraft("食品部"))
    message = str(refused.value)
    for who in ("赵经理(前台经理/助理)", "孙副店长(主管副店长)", "王店长(店长)"):
        assert who in message
    assert "刘洋" not in message
    assert desk.catalog.departments() == []


def test_names_are_unique_even_among_disabled_entries(desk: Desk, people: Staff) -> None:
    first = desk.catalog.add_department(people.boss, DepartmentDraft("食品部"))
    desk.catalog.set_active(people.boss, "department", first, False)
    with pytest.raises(ValidationError) as refused:
        desk.catalog.add_department(people.boss, DepartmentDraft(" 食品部 "))
    assert "已有名为“食品部”的部门" in refused.value.field_errors["name"]
    second = desk.catalog.add_department(people.boss, DepartmentDraft("生鲜部"))
    with pytest.raises(ValidationError):
        desk.catalog.update_department(people.boss, second, DepartmentDraft("食品部"))


def test_disabling_hides_an_entry_but_keeps_it_and_never_deletes(
    desk: Desk, people: Staff
) -> None:
    department = desk.catalog.add_department(people.boss, DepartmentDraft("服装部"))
    desk.catalog.set_active(people.boss, "department", department, False)
    assert desk.catalog.departments() == []
    [kept] = desk.catalog.departments(include_inactive=True)
    assert not kept.active
    desk.catalog.set_active(people.boss, "department", department, True)
    assert [line.name for line in desk.catalog.departments()] == ["服装部"]
    assert [action for _, action, _ in events(desk)] == ["add", "disable", "enable"]


def test_no_entry_of_any_list_nor_of_its_trail_can_be_deleted(desk: Desk, people: Staff) -> None:
    desk.catalog.add_department(people.boss, DepartmentDraft("食品部"))
    desk.catalog.add_supplier(people.boss, SupplierDraft("伊利乳业"))
    desk.catalog.add_product(people.boss, ProductDraft("6901234567892", "牛奶", "食品部", "", "3"))
    desk.catalog.add_staff(people.boss, StaffDraft("刘洋", "食品部"))
    for table in ("product", "staff", "department", "supplier", "register_entry"):
        with pytest.raises(Exception, match=r"never deleted|append-only"), UnitOfWork(desk.db):
            desk.db.execute_sql(f'DELETE FROM "{table}"')
    with pytest.raises(Exception, match="append-only"), UnitOfWork(desk.db):
        desk.db.execute_sql("UPDATE register_entry SET payload = '{}'")


def test_suppliers_and_their_contacts(desk: Desk, people: Staff) -> None:
    supplier = desk.catalog.add_supplier(
        people.deputy, SupplierDraft("伊利乳业", "张经理", "0471-3350000")
    )
    desk.catalog.update_supplier(people.deputy, supplier, SupplierDraft("伊利乳业", "刘经理", ""))
    [line] = desk.catalog.suppliers(search="伊利")
    assert (line.contact, line.phone) == ("刘经理", "")
    assert desk.catalog.suppliers(search="蒙牛") == []
    with pytest.raises(ValidationError) as refused:
        desk.catalog.add_supplier(people.deputy, SupplierDraft("", "", "abc"))
    assert set(refused.value.field_errors) == {"name", "phone"}


def test_products_by_hand_need_a_known_department_and_a_unique_barcode(
    desk: Desk, people: Staff
) -> None:
    desk.catalog.add_department(people.boss, DepartmentDraft("食品部"))
    with pytest.raises(ValidationError) as refused:
        desk.catalog.add_product(
            people.boss, ProductDraft("6901234567892", "牛奶", "生鲜部", "伊利乳业", "3.5")
        )
    assert set(refused.value.field_errors) == {"department", "supplier"}
    product = desk.catalog.add_product(
        people.boss, ProductDraft("６９０１２３４５６７８９２", "牛奶", "食品部", "", "３.５")
    )
    line = desk.catalog.product(product)
    assert (line.barcode, str(line.price)) == ("6901234567892", "3.50")
    with pytest.raises(ValidationError, match="已在商品库中"):
        desk.catalog.add_product(
            people.boss, ProductDraft("6901234567892", "酸奶", "食品部", "", "4")
        )
    desk.catalog.update_product(
        people.boss, product, ProductDraft("6901234567892", "纯牛奶", "食品部", "", "3.80")
    )
    assert desk.catalog.product(product).name == "纯牛奶"
    assert desk.cases.product_by_barcode("6901234567892")["name"] == "纯牛奶"


def test_products_are_searched_and_paged(desk: Desk, people: Staff, tmp_path: Path) -> None:
    lines = [f"69000000{i:05d},商品{i},食品部,,1" for i in range(250)]
    desk.catalog.import_catalog(
        people.boss, desk.catalog.preview_import(write_gbk(tmp_path / "c.csv", *lines))
    )
    assert desk.catalog.product_count() == 250
    first = desk.catalog.product_page("", False, 0, 200)
    rest = desk.catalog.product_page("", False, 200, 200)
    assert len(first) == 200 and len(rest) == 50
    assert [line.barcode for line in first + rest] == sorted(f"69000000{i:05d}" for i in range(250))
    assert [line.name for line in desk.catalog.product_page("商品24", False, 0, 50)] == [
        "商品24", *(f"商品24{i}" for i in range(10))
    ]
    assert desk.catalog.product_count("0000000012") == 11  # …00012 and …00120 to …00129
    assert desk.catalog.product_count("100%") == 0


def test_staff_can_be_linked_to_one_login_account(desk: Desk, people: Staff) -> None:
    desk.catalog.add_department(people.boss, DepartmentDraft("收银部"))
    desk.catalog.add_staff(people.boss, StaffDraft("刘洋", "收银部", people.clerk.id))
    with pytest.raises(ValidationError, match="另一位员工"):
        desk.catalog.add_staff(people.boss, StaffDraft("刘洋二", "收银部", people.clerk.id))
    with pytest.raises(ValidationError, match="已有“刘洋”"):
        desk.catalog.add_staff(people.boss, StaffDraft("刘洋", "收银部"))
    desk.catalog.add_staff(people.boss, StaffDraft("刘洋"))  # a namesake in no department
    [linked, unlinked] = sorted(desk.catalog.staff(), key=lambda line: line.department)
    assert (linked.username, linked.department) == ("", "")
    assert (unlinked.username, unlinked.department) == ("clerk", "收银部")
    assert desk.catalog.staff_names() == ["刘洋"]


# --- import ------------------------------------------------------------------------------------


def test_a_gbk_csv_is_imported_in_one_go_with_its_departments_and_suppliers(
    desk: Desk, people: Staff, tmp_path: Path
) -> None:
    path = write_gbk(
        tmp_path / "pos.csv",
        "6901234567892,伊利纯牛奶 250ml,食品部,伊利乳业,３．５０",
        "6901234567892,重复的条码,食品部,伊利乳业,3.50",
        "6920000000001,,食品部,,1",
        "6930000000001,美的电水壶,家电部,美的电器,￥129.00",
        "6940000000001,坏价格,家电部,美的电器,一百",
    )
    preview = desk.catalog.preview_import(path)
    assert "GBK" in preview.source
    assert preview.plan is not None
    assert desk.catalog.departments() == []  # the preview writes nothing

    result = desk.catalog.import_catalog(people.boss, preview)
    assert (result.added, result.updated, result.refused) == (2, 0, 3)
    assert result.new_departments == ("食品部", "家电部")
    assert result.new_suppliers == ("伊利乳业", "美的电器")
    reasons = [row.note for row in result.plan.of(RowAction.REFUSE)]
    assert "重复" in reasons[0] and reasons[1] == "缺少商品名称" and "售价格式不对" in reasons[2]
    milk = desk.cases.product_by_barcode("6901234567892")
    assert (milk["name"], milk["department_name"], milk["supplier_name"], milk["price_fen"]) == (
        "伊利纯牛奶 250ml", "食品部", "伊利乳业", 350,
    )
    recorded = events(desk)
    assert [(entity, action) for entity, action, _ in recorded] == [
        ("department", "import:add"), ("department", "import:add"),
        ("supplier", "import:add"), ("supplier", "import:add"),
        ("product", "import:add"), ("product", "import:add"),
    ]


def test_reimporting_updates_by_barcode(desk: Desk, people: Staff, tmp_path: Path) -> None:
    first = write_gbk(tmp_path / "a.csv", "6901234567892,牛奶,食品部,伊利乳业,3.50",
                      "6901234567893,酸奶,食品部,伊利乳业,4.00")
    desk.catalog.import_catalog(people.boss, desk.catalog.preview_import(first))
    second = write_gbk(tmp_path / "b.csv", "6901234567892,牛奶,食品部,伊利乳业,3.80",
                       "6901234567893,酸奶,食品部,,")
    result = desk.catalog.import_catalog(people.boss, desk.catalog.preview_import(second))
    assert (result.added, result.updated, result.unchanged) == (0, 1, 1)
    assert desk.cases.product_by_barcode("6901234567892")["price_fen"] == 380
    assert desk.cases.product_by_barcode("6901234567893")["supplier_name"] == "伊利乳业"
    [(_, action, values)] = events(desk)[-1:]
    assert action == "import:update" and values["_changes"] == "售价 3.50→3.80"
    assert values["price_fen"] == "380"
    assert desk.register.verify().ok


def test_an_import_is_one_transaction(desk: Desk, people: Staff, tmp_path: Path) -> None:
    path = write_gbk(tmp_path / "a.csv", *(f"69000000{i:05d},商品{i},食品部,,1" for i in range(50)))
    preview = desk.catalog.preview_import(path)
    original = store.bulk_update_products

    def failing(rows: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    store.bulk_update_products = failing  # type: ignore[assignment]
    try:
        with pytest.raises(sqlite3.OperationalError):
            desk.catalog.import_catalog(people.boss, preview)
    finally:
        store.bulk_update_products = original  # type: ignore[assignment]
    assert desk.catalog.product_count() == 0
    assert desk.catalog.departments() == []
    assert events(desk) == []


def test_a_change_after_the_preview_is_taken_into_account(
    desk: Desk, people: Staff, tmp_path: Path
) -> None:
    path = write_gbk(tmp_path / "a.csv", "6901234567892,牛奶,食品部,,3.50")
    preview = desk.catalog.preview_import(path)
    desk.catalog.add_department(people.boss, DepartmentDraft("食品部"))
    desk.catalog.add_product(people.boss, ProductDraft("6901234567892", "牛奶", "食品部", "", "3"))
    result = desk.catalog.import_catalog(people.boss, preview)
    assert (result.added, result.updated, result.new_departments) == (0, 1, ())


def test_columns_the_importer_cannot_find_are_chosen_by_the_user(
    desk: Desk, people: Staff, tmp_path: Path
) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("货号,名字,组\n6901234567892,牛奶,食品部\n", encoding="utf-8")
    preview = desk.catalog.preview_import(path)
    assert preview.plan is None and "条码" in preview.problem
    with pytest.raises(UnreadableFileError):
        desk.catalog.import_catalog(people.boss, preview)
    chosen = desk.catalog.with_columns(preview, {
        CatalogField.BARCODE: 0, CatalogField.NAME: 1, CatalogField.DEPARTMENT: 2,
    })
    assert chosen.plan is not None
    assert desk.catalog.import_catalog(people.boss, chosen).added == 1


def test_a_clerk_cannot_import(desk: Desk, people: Staff, tmp_path: Path) -> None:
    path = write_gbk(tmp_path / "a.csv", "6901234567892,牛奶,食品部,,1")
    preview = desk.catalog.preview_import(path)
    with pytest.raises(PermissionDeniedError):
        desk.catalog.import_catalog(people.clerk, preview)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.csv", None, "找不到文件"),
        ("empty.csv", b"", "空文件"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "旧版 Excel"),
        ("broken.xlsx", b"PK\x03\x04 not really a zip", "不是有效的 Excel"),
        ("binary.csv", b"\x81\x20\xff\xfe\xfa", "编码"),
    ],
)
def test_unreadable_files_are_refused_in_chinese(
    desk: Desk, tmp_path: Path, name: str, content: bytes | None, message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(UnreadableFileError, match=message):
        desk.catalog.preview_import(path)


def test_an_xlsx_is_read_from_the_sheet_that_holds_the_catalogue(
    desk: Desk, people: Staff, tmp_path: Path
) -> None:
    book = Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "说明"
    notes.append(["本表由收银系统导出"])
    sheet = book.create_sheet("商品")
    sheet.append(["国际条码", "商品名称", "柜组", "厂商", "零售价"])
    sheet.append([6901234567892, "伊利纯牛奶", "食品部", "伊利乳业", 3.5])
    sheet.append(["6901234567893", "酸奶", "食品部", None, 12.300000000000001])
    path = tmp_path / "pos.xlsx"
    book.save(path)
    preview = desk.catalog.preview_import(path)
    assert preview.source == "工作表“商品”"
    result = desk.catalog.import_catalog(people.boss, preview)
    assert result.added == 2
    assert desk.cases.product_by_barcode("6901234567893")["price_fen"] == 1230


def test_the_export_has_one_sheet_per_list_and_reimports_unchanged(
    desk: Desk, people: Staff, tmp_path: Path
) -> None:
    path = write_gbk(tmp_path / "a.csv", "0069012345678,牛奶,食品部,伊利乳业,3.50",
                     "6901234567893,酸奶,食品部,,4")
    desk.catalog.import_catalog(people.boss, desk.catalog.preview_import(path))
    yogurt = desk.catalog.product_page("酸奶", False, 0, 1)[0].product_id
    desk.catalog.set_active(people.boss, "product", yogurt, False)
    desk.catalog.add_staff(people.boss, StaffDraft("刘洋", "食品部", people.clerk.id))
    exported = tmp_path / "门店资料.xlsx"
    assert desk.catalog.export_catalog(exported) == 2 + 1 + 1 + 1

    book = load_workbook(exported)
    assert book.sheetnames == ["商品", "部门", "供应商", "员工"]
    products = book["商品"]
    assert products["A2"].value == "0069012345678"  # text: the leading zeros survive
    assert products["A2"].number_format == "@"
    assert [cell.value for cell in products[3]][-1] == "已停用"
    assert [cell.value for cell in book["员工"][2]] == ["刘洋", "食品部", "clerk", "在用"]

    again = desk.catalog.preview_import(exported)
    assert again.plan is not None
    assert again.plan.summary() == "新增 0 条,更新 0 条,无变化 2 条,拒绝 0 条"


# --- the set-up ----------------------------------------------------------------------------------


def test_the_set_up_is_done_once_every_step_is(desk: Desk, people: Staff) -> None:
    from desktop_app.domain.store_setup import SetupState

    facts = desk.setup.facts()
    assert (facts.store_name, facts.department_count, facts.deadline_confirmed) == (
        "测试店", 0, False,
    )
    assert desk.setup.should_offer_at_login(people.boss)
    assert not desk.setup.should_offer_at_login(people.front_desk)
    desk.setup.confirm_deadline(people.boss, 25)
    assert desk.setup.finish(people.boss) is SetupState.SKIPPED
    desk.catalog.add_department(people.boss, DepartmentDraft("食品部"))
    assert not desk.setup.should_offer_at_login(people.boss)
    assert desk.setup.finish(people.boss) is SetupState.DONE
    desk.setup.skip(people.boss)  # skipping later does not undo a finished set-up
    assert desk.setup.facts().state is SetupState.DONE
    assert desk.settings.confirmation_minutes() == 25


def test_only_an_administrator_sets_the_store_up(desk: Desk, people: Staff) -> None:
    with pytest.raises(PermissionDeniedError):
        desk.setup.skip(people.deputy)
    with pytest.raises(PermissionDeniedError):
        desk.setup.save_store_name(people.clerk, "别的店")
    with pytest.raises(ValidationError):
        desk.setup.save_store_name(people.boss, "")
    assert desk.settings.store_name() == "测试店"


def test_the_set_up_fills_in_the_leaders_of_a_department_the_store_has(
    desk: Desk, people: Staff, tmp_path: Path
) -> None:
    from desktop_app.domain.store_setup import DepartmentTyped

    path = write_gbk(tmp_path / "pos.csv", "6901234567908,海天生抽,食品部,海天味业,9.90")
    desk.catalog.import_catalog(people.boss, desk.catalog.preview_import(path))
    [imported] = desk.catalog.departments()
    assert (imported.name, imported.leaders, imported.phone) == ("食品部", "", "")
    before = len(events(desk))

    typed = DepartmentDraft("食品部", "李明 王芳", "８０２１")
    assert desk.catalog.set_up_department(people.boss, typed) is DepartmentTyped.COMPLETED
    [line] = desk.catalog.departments()
    assert (line.department_id, line.leaders, line.phone) == (
        imported.department_id, "李明、王芳", "8021",
    )
    assert line.product_count == 1
    [(entity, action, values)] = events(desk)[before:]
    assert (entity, action, values["name"], values["leaders"], values["phone"]) == (
        "department", "update", "食品部", "李明、王芳", "8021",
    )

    # The same again, or the name alone, changes nothing and writes nothing.
    for again in (typed, DepartmentDraft("食品部")):
        assert desk.catalog.set_up_department(people.boss, again) is DepartmentTyped.UNCHANGED
    assert len(events(desk)) == before + 1
    assert desk.catalog.set_up_department(
        people.boss, DepartmentDraft("家电部", "吴军")
    ) is DepartmentTyped.ADDED
    assert [d.name for d in desk.catalog.departments()] == ["食品部", "家电部"]
    assert desk.register.verify().ok


def test_the_set_up_refuses_a_disabled_department_and_a_bad_phone_saying_why(
    desk: Desk, people: Staff
) -> None:
    food = desk.catalog.add_department(people.boss, DepartmentDraft("食品部"))
    with pytest.raises(ValidationError) as bad_phone:
        desk.catalog.set_up_department(people.boss, DepartmentDraft("食品部", "李明", "call me"))
    assert "phone" in bad_phone.value.field_errors
    desk.catalog.set_active(people.boss, "department", food, False)
    with pytest.raises(ValidationError) as disabled:
        desk.catalog.set_up_department(people.boss, DepartmentDraft("食品部", "李明"))
    assert "已停用" in disabled.value.field_errors["name"]
    assert "显示已停用" in disabled.value.field_errors["name"]
    with pytest.raises(PermissionDeniedError):
        desk.catalog.set_up_department(people.clerk, DepartmentDraft("家电部"))
    [line] = desk.catalog.departments(include_inactive=True)
    assert (line.leaders, line.phone) == ("", "")
