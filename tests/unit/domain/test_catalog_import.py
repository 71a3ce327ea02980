"""Catalogue import rules: encodings, headers and synonyms, prices, and what each row becomes."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.catalog import clean_cell, normalise_barcode, parse_price
from desktop_app.domain.catalog_import import (
    HEADER_SYNONYMS,
    CatalogField,
    ColumnMapping,
    ExistingProduct,
    RowAction,
    UnreadableFileError,
    choose_columns,
    classify,
    column_letter,
    column_named,
    detect_encoding,
    find_columns,
    guess_delimiter,
    match_header,
    normalise_header,
)
from desktop_app.domain.text import clean_line

HEADER = ["条码", "商品名称", "部门", "供应商", "售价"]
FULL_WIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")
MILK = ExistingProduct(7, "伊利纯牛奶", "食品部", "伊利乳业", 350, True)


def plan_of(*rows: list[str], existing: dict[str, ExistingProduct] | None = None,
            header: list[str] | None = None) -> list[tuple[RowAction, str]]:
    sheet = [header or HEADER, *rows]
    plan = classify(sheet, find_columns(sheet), existing or {}, ["食品部"], ["伊利乳业"])
    return [(row.action, row.note) for row in plan.rows]


# --- encodings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoded", "expected"),
    [
        ("条码,品名\n".encode(), "utf-8"),
        (codecs.BOM_UTF8 + "条码,品名\n".encode(), "utf-8-sig"),
        ("条码,品名\n".encode("gbk"), "gb18030"),
        ("条码,品名,𠮷野家\n".encode("gb18030"), "gb18030"),
        ("条码\t品名\n".encode("utf-16"), "utf-16"),
        (b"barcode,name\n", "utf-8"),
    ],
    ids=["utf-8", "utf-8-bom", "gbk", "gb18030-4-byte", "utf-16", "ascii"],
)
def test_the_encoding_of_a_csv_is_recognised(encoded: bytes, expected: str) -> None:
    assert detect_encoding(encoded) == expected


# The 3,755 common hanzi (GB2312 level 1) and what else a catalogue line holds.
COMMON_HANZI = [
    bytes([lead, trail]).decode("gb2312")
    for lead in range(0xB0, 0xD8) for trail in range(0xA1, 0xFF)
    if (lead, trail) < (0xD7, 0xFA)
]
catalogue_text = st.text(
    alphabet=st.sampled_from([*COMMON_HANZI, *"0123456789 ,.-ml×()()、:"]), min_size=1
).filter(lambda text: any(char in COMMON_HANZI for char in text))


@given(catalogue_text, st.sampled_from(["gbk", "gb18030", "utf-8"]))
def test_chinese_catalogue_text_in_any_of_the_encodings_decodes_back(
    text: str, encoding: str
) -> None:
    encoded = text.encode(encoding)
    assert encoded.decode(detect_encoding(encoded)) == text


@pytest.mark.parametrize("text", ["一一", "一", "伊利纯牛奶", "条码,品名\n", "牛奶 250ml×24"])
def test_short_gbk_text_that_is_also_valid_utf8_is_read_as_gbk(text: str) -> None:
    encoded = text.encode("gbk")
    assert encoded.decode(detect_encoding(encoded)) == text


def test_a_file_cut_in_the_middle_of_a_character_still_scores_its_sample() -> None:
    encoded = ("伊利纯牛奶," * 20000).encode("utf-8")
    assert len(encoded) > 64 * 1024
    assert detect_encoding(encoded) == "utf-8"
    assert detect_encoding(("伊利纯牛奶," * 20000).encode("gbk")) == "gb18030"


def test_bytes_that_are_neither_utf8_nor_gb18030_are_refused_in_chinese() -> None:
    with pytest.raises(UnreadableFileError, match="编码"):
        detect_encoding(b"\x81\x20\xff\xff")


@pytest.mark.parametrize(
    ("first_line", "delimiter"),
    [("条码,品名,部门", ","), ("条码\t品名\t部门", "\t"), ("条码;品名;部门", ";"),
     ("条码", ","), ("\n\n条码\t品名", "\t"), ("a,b\tc", ",")],
)
def test_the_delimiter_is_what_the_first_line_uses_most(first_line: str, delimiter: str) -> None:
    assert guess_delimiter(first_line) == delimiter


# --- headers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "field"),
    [(name, field) for field, names in HEADER_SYNONYMS.items() for name in names],
)
def test_every_synonym_names_its_field(header: str, field: CatalogField) -> None:
    found = match_header(header)
    assert found is not None and found[0] is field


@pytest.mark.parametrize(
    ("typed", "key"),
    [(" 售价(元) ", "售价"), ("售价(元)", "售价"), ("*商品条码:", "商品条码"),
     ("零 售 价", "零售价"), ("Barcode", "barcode"), ("品名【必填】", "品名")],
)
def test_headers_are_compared_without_units_marks_and_blanks(typed: str, key: str) -> None:
    assert normalise_header(typed) == key


@pytest.mark.parametrize("header", ["进价", "商品编码", "货号", "规格", "", "库存"])
def test_columns_that_are_not_catalogue_fields_are_not_taken(header: str) -> None:
    assert match_header(header) is None


def test_the_header_is_found_below_a_title_line() -> None:
    rows = [["商品资料导出 2026-11-24"], [], ["商品条码", "品名", "课别", "供货商", "零售价"],
            ["6901234567892", "牛奶", "食品部", "伊利乳业", "3.5"]]
    mapping = find_columns(rows)
    assert mapping.header_row == 2
    assert mapping.columns == {
        CatalogField.BARCODE: 0, CatalogField.NAME: 1, CatalogField.DEPARTMENT: 2,
        CatalogField.SUPPLIER: 3, CatalogField.PRICE: 4,
    }
    assert mapping.missing == ()


def test_when_two_columns_name_a_barcode_the_more_specific_name_wins() -> None:
    mapping = find_columns([["国际条码", "品名", "条码", "柜组"]])
    assert mapping.columns[CatalogField.BARCODE] == 2
    assert mapping.columns[CatalogField.DEPARTMENT] == 3


def test_without_a_recognisable_header_the_missing_fields_are_named() -> None:
    mapping = find_columns([[], ["货号", "名字", "组"], ["1", "2", "3"]])
    assert mapping.header_row == 1
    assert set(mapping.missing) == {
        CatalogField.BARCODE, CatalogField.NAME, CatalogField.DEPARTMENT,
    }
    with pytest.raises(UnreadableFileError, match="条码、商品名称、部门"):
        classify([["货号"]], mapping, {}, [], [])


def test_the_user_can_choose_and_drop_columns() -> None:
    mapping = find_columns([["货号", "名字", "组", "售价"]])
    chosen = choose_columns(mapping, {
        CatalogField.BARCODE: 0, CatalogField.NAME: 1, CatalogField.DEPARTMENT: 2,
        CatalogField.PRICE: None,
    })
    assert chosen.missing == ()
    assert CatalogField.PRICE not in chosen.columns
    assert "“货号”(A列)" in chosen.describe()
    assert "售价 ← 未找到" in chosen.describe()


@pytest.mark.parametrize(("column", "letters"), [(0, "A"), (25, "Z"), (26, "AA"), (51, "AZ"),
                                                  (701, "ZZ"), (702, "AAA")])
def test_columns_are_lettered_as_in_excel(column: int, letters: str) -> None:
    assert column_letter(column) == letters


@pytest.mark.parametrize(("given_text", "column"),
                         [("名字", 1), (" 名字 ", 1), ("c", 2), ("C", 2), ("3", 2), ("1", 0)])
def test_a_column_given_on_the_command_line(given_text: str, column: int) -> None:
    assert column_named(["货号", "名字", "组"], given_text) == column


@pytest.mark.parametrize("given_text", ["规格", "D", "4", "0", "", "ZZZ"])
def test_a_column_that_is_not_there_is_refused_in_chinese(given_text: str) -> None:
    with pytest.raises(ValueError, match="没有"):
        column_named(["货号", "名字", "组"], given_text)


# --- single cells ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "fen"),
    [("3.5", 350), ("3.50", 350), ("３．５０", 350), ("3。5", 350), ("¥3.50", 350),
     ("￥1,299.00元", 129900), ("12", 1200), ("0", 0), (" 7.9 ", 790), ("3.500", 350),
     ("1000000", 100000000)],
)
def test_prices_as_stores_write_them(typed: str, fen: int) -> None:
    assert parse_price(typed) == fen


@pytest.mark.parametrize(
    ("typed", "message"),
    [("", "缺少售价"), ("abc", "格式不对"), ("-3", "负数"), ("3.499", "两位小数"),
     ("1000000.01", "不能超过"), ("3.5.1", "格式不对"), ("1e3", "格式不对")],
)
def test_bad_prices_are_refused_with_a_reason(typed: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_price(typed)


@given(st.integers(min_value=0, max_value=100_000_000))
def test_any_fen_amount_written_as_yuan_reads_back_exactly(fen: int) -> None:
    typed = f"{fen // 100}.{fen % 100:02d}"
    assert parse_price(typed) == fen
    assert parse_price(typed.translate(FULL_WIDTH)) == fen


@pytest.mark.parametrize(
    ("typed", "barcode"),
    [("6901234567892", "6901234567892"), ("'6901234567892", "6901234567892"),
     ("６９０１２３４５６７８９２", "6901234567892"), (" 690 1234 567892 ", "6901234567892"),
     ("6901234567892.0", "6901234567892"), ("00123456", "00123456")],
)
def test_barcodes_are_normalised_as_scanned(typed: str, barcode: str) -> None:
    assert normalise_barcode(typed) == barcode


@given(st.text())
def test_the_fast_cell_cleaning_equals_the_desk_s_cleaning(text: str) -> None:
    assert clean_cell(text) == clean_line(text)


# --- rows ------------------------------------------------------------------------------------


def test_a_new_barcode_is_added() -> None:
    sheet = [HEADER, ["6901234567892", "伊利纯牛奶", "食品部", "伊利乳业", "3.50"]]
    plan = classify(sheet, find_columns(sheet), {}, ["食品部"], ["伊利乳业"])
    [row] = plan.rows
    assert (row.action, row.line, row.barcode, row.price_fen) == (
        RowAction.ADD, 2, "6901234567892", 350,
    )
    assert plan.new_departments == () and plan.new_suppliers == ()
    assert plan.count(RowAction.ADD) == 1


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (["", "牛奶", "食品部", "", "3"], "缺少条码"),
        (["6.90123E+12", "牛奶", "食品部", "", "3"], "科学计数法"),
        (["12345", "牛奶", "食品部", "", "3"], "6–14 位数字"),
        (["69012345678921", "牛奶", "食品部", "", "3"], ""),
        (["690123456789212", "牛奶", "食品部", "", "3"], "6–14 位数字"),
        (["ABC1234567", "牛奶", "食品部", "", "3"], "6–14 位数字"),
        (["6901234567892", "", "食品部", "", "3"], "缺少商品名称"),
        (["6901234567892", "牛" * 101, "食品部", "", "3"], "商品名称太长"),
        (["6901234567892", "牛奶", "", "", "3"], "缺少部门"),
        (["6901234567892", "牛奶", "部" * 31, "", "3"], "部门名称太长"),
        (["6901234567892", "牛奶", "食品部", "商" * 61, "3"], "供应商名称太长"),
        (["6901234567892", "牛奶", "食品部", "", ""], "缺少售价"),
        (["6901234567892", "牛奶", "食品部", "", "三元"], "售价格式不对"),
        (["6901234567892", "牛奶", "食品部", "", "-1"], "负数"),
    ],
)
def test_each_refusal_carries_its_reason(row: list[str], reason: str) -> None:
    [(action, note)] = plan_of(row)
    if reason:
        assert action is RowAction.REFUSE
        assert reason in note
    else:
        assert action is RowAction.ADD


def test_a_repeated_barcode_is_refused_and_the_first_row_kept() -> None:
    found = plan_of(
        ["6901234567892", "牛奶", "食品部", "", "3"],
        ["6901234567892", "酸奶", "食品部", "", "4"],
        ["6901234567892", "豆奶", "食品部", "", "5"],
    )
    assert found[0] == (RowAction.ADD, "")
    assert found[1][0] is RowAction.REFUSE and "第 2 行重复" in found[1][1]
    assert found[2][0] is RowAction.REFUSE and "第 2 行重复" in found[2][1]


def test_a_refused_first_row_does_not_block_a_good_repeat() -> None:
    found = plan_of(
        ["6901234567892", "", "食品部", "", "3"],
        ["6901234567892", "牛奶", "食品部", "", "3"],
    )
    assert [action for action, _ in found] == [RowAction.REFUSE, RowAction.ADD]


def test_blank_rows_are_skipped_not_refused() -> None:
    sheet = [HEADER, ["", "", "", "", ""], [], ["6901234567892", "牛奶", "食品部", "", "3"], [" "]]
    plan = classify(sheet, find_columns(sheet), {}, ["食品部"], [])
    assert [row.line for row in plan.rows] == [4]


def test_short_rows_are_read_as_empty_cells() -> None:
    found = plan_of(["6901234567892", "牛奶"])
    assert found == [(RowAction.REFUSE, "缺少部门")]


def test_an_identical_row_is_unchanged() -> None:
    found = plan_of(["6901234567892", "伊利纯牛奶", "食品部", "伊利乳业", "3.50"],
                    existing={"6901234567892": MILK})
    assert found == [(RowAction.UNCHANGED, "")]


def test_a_changed_row_updates_by_barcode_and_says_what_changes() -> None:
    sheet = [HEADER, ["6901234567892", "伊利纯牛奶 250ml", "生鲜部", "蒙牛乳业", "3.80"]]
    plan = classify(sheet, find_columns(sheet), {"6901234567892": MILK}, ["食品部"], ["伊利乳业"])
    [row] = plan.rows
    assert row.action is RowAction.UPDATE
    assert row.product_id == 7
    for change in ("名称 伊利纯牛奶→伊利纯牛奶 250ml", "部门 食品部→生鲜部",
                   "供应商 伊利乳业→蒙牛乳业", "售价 3.50→3.80"):
        assert change in row.note
    assert plan.new_departments == ("生鲜部",)
    assert plan.new_suppliers == ("蒙牛乳业",)


def test_empty_supplier_and_price_cells_keep_what_the_catalogue_holds() -> None:
    sheet = [HEADER, ["6901234567892", "伊利纯牛奶", "食品部", "", ""]]
    plan = classify(sheet, find_columns(sheet), {"6901234567892": MILK}, ["食品部"], ["伊利乳业"])
    [row] = plan.rows
    assert row.action is RowAction.UNCHANGED
    assert (row.supplier, row.price_fen) == ("伊利乳业", 350)


def test_a_disabled_product_in_the_file_is_enabled_again_unless_marked_stopped() -> None:
    stopped = ExistingProduct(7, "伊利纯牛奶", "食品部", "伊利乳业", 350, False)
    header = [*HEADER, "状态"]
    found = plan_of(["6901234567892", "伊利纯牛奶", "食品部", "伊利乳业", "3.5", ""],
                    existing={"6901234567892": stopped}, header=header)
    assert found == [(RowAction.UPDATE, "重新启用")]
    found = plan_of(["6901234567892", "伊利纯牛奶", "食品部", "伊利乳业", "3.5", "已停用"],
                    existing={"6901234567892": stopped}, header=header)
    assert found == [(RowAction.UNCHANGED, "")]
    found = plan_of(["6901234567892", "伊利纯牛奶", "食品部", "伊利乳业", "3.5", "停售"],
                    existing={"6901234567892": MILK}, header=header)
    assert found == [(RowAction.UPDATE, "停用")]


def test_without_a_price_column_new_products_cost_nothing_and_old_prices_stay() -> None:
    header = ["条码", "品名", "柜组"]
    sheet = [header, ["6901234567892", "伊利纯牛奶", "食品部"], ["6901234567893", "酸奶", "食品部"]]
    plan = classify(sheet, find_columns(sheet), {"6901234567892": MILK}, ["食品部"], [])
    old, new = plan.rows
    assert (old.action, old.price_fen) == (RowAction.UNCHANGED, 350)
    assert (new.action, new.price_fen) == (RowAction.ADD, 0)
    assert "售价记为 0" in new.note


def test_departments_and_suppliers_named_only_by_refused_rows_are_not_created() -> None:
    sheet = [HEADER, ["6901234567892", "", "家电部", "美的电器", "3"]]
    plan = classify(sheet, find_columns(sheet), {}, [], [])
    assert plan.new_departments == () and plan.new_suppliers == ()


def test_new_departments_are_listed_once_in_file_order() -> None:
    sheet = [HEADER] + [
        [f"69012345678{i:02d}", "商品", department, "", "1"]
        for i, department in enumerate(["家电部", "食品部", "家电部", "日化部", "日化部"])
    ]
    plan = classify(sheet, find_columns(sheet), {}, ["食品部"], [])
    assert plan.new_departments == ("家电部", "日化部")


def test_the_summary_counts_every_kind_of_row() -> None:
    sheet = [HEADER, ["6901234567892", "伊利纯牛奶", "食品部", "伊利乳业", "3.50"],
             ["6901234567893", "酸奶", "食品部", "", "4"], ["6901234567894", "", "食品部", "", "4"]]
    plan = classify(sheet, find_columns(sheet), {"6901234567892": MILK}, ["食品部"], [])
    assert plan.summary() == "新增 1 条,更新 0 条,无变化 1 条,拒绝 1 条"
    assert len(plan.of(RowAction.REFUSE)) == 1


def test_a_mapping_with_the_header_as_the_last_row_has_no_data() -> None:
    mapping = ColumnMapping(0, tuple(HEADER), find_columns([HEADER]).columns)
    assert classify([HEADER], mapping, {}, [], []).rows == ()


barcodes = st.integers(min_value=100000, max_value=99999999999999).map(str)


@given(st.lists(st.tuples(barcodes, st.sampled_from(["牛奶", "", "酸奶"]),
                          st.sampled_from(["3.5", "x", "", "12"])), max_size=30))
def test_every_row_is_accounted_for_and_no_barcode_is_added_twice(
    rows: list[tuple[str, str, str]],
) -> None:
    sheet = [HEADER] + [[barcode, name, "食品部", "", price] for barcode, name, price in rows]
    plan = classify(sheet, find_columns(sheet), {}, ["食品部"], [])
    assert len(plan.rows) == len(rows)
    assert sum(plan.counts.values()) == len(rows)
    added = [row.barcode for row in plan.of(RowAction.ADD)]
    assert len(added) == len(set(added))
    for row in plan.of(RowAction.REFUSE):
        assert row.note
