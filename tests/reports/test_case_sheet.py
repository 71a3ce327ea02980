"""The printable 《顾客接待登记表》: every field under its label, the account and the steps, the
signature lines, the embedded font, and any text a customer's account may hold."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pytest

from desktop_app.reports.case_sheet import CaseSheet, write_case_sheet
from desktop_app.reports.pdf_fonts import MISSING
from tests.reports.pdf_reading import (
    body_text,
    fonts_without_embedded_file,
    page_texts,
    pdffonts_rows,
)

FOOTER = "顾客接待登记表 TS-202611-0001"  # the footer folds runs of spaces


FIELDS = [
    ("案件编号", "TS-202611-0001"), ("接待时间", "2026-11-24 10:00"), ("接待方式", "到柜台"),
    ("接待员", "刘洋"), ("顾客姓名", "张女士"), ("联系电话", "13812345678"),
    ("投诉对象", "商品"), ("商品条码", "6901234567892"), ("商品名称", "伊利纯牛奶 250ml×24"),
    ("责任部门", "食品部"), ("供应商", "伊利乳业"), ("涉及员工", "王芳"),
    ("小票号", "20261124000123"), ("购买日期", "2026-11-23"), ("实付金额", "¥59.90"),
    ("顾客诉求", "退货"), ("投诉类别", "商品质量"), ("性质", "投诉"), ("重大投诉", "否"),
    ("承诺答复日期", "2026-11-26"), ("状态", "处理中"),
]


def a_sheet(fields: dict[str, str] | None = None, **changes: object) -> CaseSheet:
    """The register of one case; ``fields`` replaces the values of the labels it names."""
    sheet = CaseSheet(
        store_name="惠民生活超市(演示门店)", case_no="TS-202611-0001",
        printed_at="2026-11-24 10:30",
        fields=[(label, (fields or {}).get(label, value)) for label, value in FIELDS],
        account="牛奶有异味,喝了一口就吐了。",
        workflow=[("安抚致歉", "2026-11-24 10:02 刘洋\n已向顾客致歉"), ("判断性质", "投诉成立")],
    )
    return dataclasses.replace(sheet, **changes)  # type: ignore[arg-type]


def printed(sheet: CaseSheet, tmp_path: Path) -> list[str]:
    path = tmp_path / "case.pdf"
    write_case_sheet(sheet, path)
    return page_texts(path)


def test_every_field_prints_next_to_its_label(tmp_path: Path) -> None:
    sheet = a_sheet()
    lines = printed(sheet, tmp_path)[0].split("\n")
    for label, value in sheet.fields:
        assert label in lines, label
        if value:
            assert lines[lines.index(label) + 1] == value, label


def test_the_form_has_its_title_store_account_steps_and_one_numbered_page(
    tmp_path: Path
) -> None:
    pages = printed(a_sheet(), tmp_path)
    assert len(pages) == 1
    text = pages[0]
    for expected in ("《顾客接待登记表》", "惠民生活超市(演示门店)", "案件编号:TS-202611-0001",
                     "打印时间:2026-11-24 10:30", "顾客陈述", "牛奶有异味,喝了一口就吐了。",
                     "处理经过", "安抚致歉", "已向顾客致歉", "判断性质", "投诉成立",
                     "第 1 页 / 共 1 页"):
        assert expected in text, expected


def test_the_customer_and_the_clerk_sign_and_date_at_the_bottom(tmp_path: Path) -> None:
    lines = [line.strip() for line in printed(a_sheet(), tmp_path)[-1].split("\n")]
    customer, clerk = lines.index("顾客确认:"), lines.index("接待员签字:")
    assert lines[customer + 1] == "日期:" and lines[clerk + 1] == "日期:"
    assert lines.index("投诉成立") < customer < clerk


def test_a_large_amount_and_a_major_complaint_print_as_given(tmp_path: Path) -> None:
    text = printed(a_sheet({"实付金额": "¥1,234.50", "重大投诉": "是"}), tmp_path)[0]
    assert "¥1,234.50" in text
    lines = text.split("\n")
    assert lines[lines.index("重大投诉") + 1] == "是"


def test_a_sheet_of_label_value_pairs_prints_them_and_its_refunds(tmp_path: Path) -> None:
    sheet = CaseSheet(
        store_name="测试店", case_no="TS-202611-0002", printed_at="2026-11-24 11:00",
        fields=[("案件编号", "TS-202611-0002"), ("顾客姓名", "李先生"), ("状态", "已结案")],
        account="", workflow=[],
        refunds=["退货 ¥40.00 小票 R1 已批准(前台经理/助理) 申请人 刘洋"],
    )
    text = printed(sheet, tmp_path)[0]
    for expected in ("李先生", "已结案", "(无)", "尚无处理记录", "退换货与赔偿",
                     "退货 ¥40.00 小票 R1 已批准(前台经理/助理) 申请人 刘洋"):
        assert expected in text, expected


def test_the_font_is_embedded(tmp_path: Path) -> None:
    path = tmp_path / "case.pdf"
    write_case_sheet(a_sheet(), path)
    assert fonts_without_embedded_file(path) == []
    rows = pdffonts_rows(path)
    if rows is None:
        pytest.skip("pdffonts (poppler-utils) is not installed")
    assert rows and all(" yes yes yes " in row for row in rows), rows


def test_a_ten_thousand_character_account_continues_over_pages_word_for_word(
    tmp_path: Path
) -> None:
    account = "".join(f"第{index}句:商品有问题。" for index in range(900))
    assert len(account) > 10_000
    pages = printed(a_sheet(account=account), tmp_path)
    assert len(pages) > 2
    for number, text in enumerate(pages, start=1):
        assert f"第 {number} 页 / 共 {len(pages)} 页" in text
    # Nothing lost, repeated or spaced out where the text is cut between pages.
    assert account in body_text(pages, FOOTER)
    assert "顾客确认:" in pages[-1]


def test_hostile_text_in_any_field_prints_as_typed_without_crashing(tmp_path: Path) -> None:
    hostile = "顾客😡\ufe0f说\x00\x07:'); DROP TABLE case;-- <b>加粗</b> & <br/>\r\n第二行"
    sheet = a_sheet(
        {"顾客姓名": hostile, "商品名称": "x" * 3000},
        account=hostile + "很" * 10_000, workflow=[(hostile, hostile), ("记录", "长" * 5000)],
    )
    target = io.BytesIO()
    write_case_sheet(sheet, target)
    pages = page_texts(target.getvalue())
    text = body_text(pages, FOOTER)
    assert f"顾客{MISSING}说:'); DROP TABLE case;-- <b>加粗</b> & <br/>" in text
    assert not any(char in text for char in "\x00\x07\r😡\ufe0f")
    assert text.count("很") == 10_000 and text.count("长") == 5000
    assert "顾客确认:" in pages[-1]


def test_a_store_name_or_case_number_longer_than_a_page_still_prints(tmp_path: Path) -> None:
    pages = printed(a_sheet(store_name="店" * 10_000, case_no="号" * 10_000), tmp_path)
    assert "接待员签字:" in pages[-1]
    assert f"第 {len(pages)} 页 / 共 {len(pages)} 页" in pages[-1]


def test_empty_fields_still_print_the_whole_form(tmp_path: Path) -> None:
    empty = CaseSheet(store_name="", case_no="", printed_at="",
                      fields=[(label, "") for label, _ in FIELDS], account="", workflow=[])
    pages = printed(empty, tmp_path)
    assert len(pages) == 1
    assert "《顾客接待登记表》" in pages[0] and "接待员签字:" in pages[0]
