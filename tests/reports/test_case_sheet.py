"""The printable 《顾客接待登记表》: every field under its label, the account and the steps, the
signature lines, the embedded font, and any text a customer's account may hold."""

from __future__ import annotations

import dataclasses
import io
from decimal import Decimal
from pathlib import Path

import pytest

from desktop_app.reports.case_sheet import CaseRegister, CaseSheet, write_case_sheet
from desktop_app.reports.pdf_fonts import MISSING
from tests.reports.pdf_reading import (
    body_text,
    fonts_without_embedded_file,
    page_texts,
    pdffonts_rows,
)

FOOTER = "顾客接待登记表 TS-202611-0001"  # the footer folds runs of spaces


def a_register(**changes: object) -> CaseRegister:
    register = CaseRegister(
        store_name="惠民生活超市(演示门店)", case_no="TS-202611-0001",
        received_at="2026-11-24 10:00", channel="到柜台", clerk="刘洋",
        customer_name="张女士", customer_phone="13812345678", subject="商品",
        product_barcode="6901234567892", product_name="伊利纯牛奶 250ml×24",
        department="食品部", supplier="伊利乳业", staff_name="王芳",
        receipt_no="20261124000123", purchase_date="2026-11-23", amount_paid=Decimal("59.9"),
        account="牛奶有异味,喝了一口就吐了。", demand="退货", category="商品质量", kind="投诉",
        is_major=False, promised_reply_date="2026-11-26", status="处理中",
        workflow_lines=[("安抚致歉", "2026-11-24 10:02 刘洋\n已向顾客致歉"),
                        ("判断性质", "投诉成立")],
        printed_at="2026-11-24 10:30",
    )
    return dataclasses.replace(register, **changes)  # type: ignore[arg-type]


def printed(sheet: CaseSheet | CaseRegister, tmp_path: Path) -> list[str]:
    path = tmp_path / "case.pdf"
    write_case_sheet(sheet, path)
    return page_texts(path)


def test_every_field_prints_next_to_its_label(tmp_path: Path) -> None:
    register = a_register()
    lines = printed(register, tmp_path)[0].split("\n")
    for label, value in register.fields():
        assert label in lines, label
        if value:
            assert lines[lines.index(label) + 1] == value, label


def test_the_form_has_its_title_store_account_steps_and_one_numbered_page(
    tmp_path: Path
) -> None:
    pages = printed(a_register(), tmp_path)
    assert len(pages) == 1
    text = pages[0]
    for expected in ("《顾客接待登记表》", "惠民生活超市(演示门店)", "案件编号:TS-202611-0001",
                     "打印时间:2026-11-24 10:30", "顾客陈述", "牛奶有异味,喝了一口就吐了。",
                     "处理经过", "安抚致歉", "已向顾客致歉", "判断性质", "投诉成立",
                     "第 1 页 / 共 1 页"):
        assert expected in text, expected


def test_the_customer_and_the_clerk_sign_and_date_at_the_bottom(tmp_path: Path) -> None:
    lines = [line.strip() for line in printed(a_register(), tmp_path)[-1].split("\n")]
    customer, clerk = lines.index("顾客确认:"), lines.index("接待员签字:")
    assert lines[customer + 1] == "日期:" and lines[clerk + 1] == "日期:"
    assert lines.index("投诉成立") < customer < clerk


def test_the_paid_amount_prints_in_yuan_and_a_major_complaint_says_so(tmp_path: Path) -> None:
    register = a_register(amount_paid=Decimal("1234.5"), is_major=True)
    assert dict(register.fields())["重大投诉"] == "是"
    assert dict(a_register().fields())["重大投诉"] == "否"
    assert "¥1,234.50" in printed(register, tmp_path)[0]
    assert dict(a_register(amount_paid="").fields())["实付金额"] == ""


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
    write_case_sheet(a_register(), path)
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
    pages = printed(a_register(account=account), tmp_path)
    assert len(pages) > 2
    for number, text in enumerate(pages, start=1):
        assert f"第 {number} 页 / 共 {len(pages)} 页" in text
    # Nothing lost, repeated or spaced out where the text is cut between pages.
    assert account in body_text(pages, FOOTER)
    assert "顾客确认:" in pages[-1]


def test_hostile_text_in_any_field_prints_as_typed_without_crashing(tmp_path: Path) -> None:
    hostile = "顾客😡\ufe0f说\x00\x07:'); DROP TABLE case;-- <b>加粗</b> & <br/>\r\n第二行"
    register = a_register(
        account=hostile + "很" * 10_000, customer_name=hostile, product_name="x" * 3000,
        workflow_lines=[(hostile, hostile), ("记录", "长" * 5000)],
    )
    target = io.BytesIO()
    write_case_sheet(register, target)
    pages = page_texts(target.getvalue())
    text = body_text(pages, FOOTER)
    assert f"顾客{MISSING}说:'); DROP TABLE case;-- <b>加粗</b> & <br/>" in text
    assert not any(char in text for char in "\x00\x07\r😡\ufe0f")
    assert text.count("很") == 10_000 and text.count("长") == 5000
    assert "顾客确认:" in pages[-1]


def test_a_store_name_or_case_number_longer_than_a_page_still_prints(tmp_path: Path) -> None:
    pages = printed(a_register(store_name="店" * 10_000, case_no="号" * 10_000), tmp_path)
    assert "接待员签字:" in pages[-1]
    assert f"第 {len(pages)} 页 / 共 {len(pages)} 页" in pages[-1]


def test_empty_fields_still_print_the_whole_form(tmp_path: Path) -> None:
    blank: dict[str, object] = {field.name: "" for field in dataclasses.fields(CaseRegister)}
    empty = CaseRegister(**blank | {"is_major": False, "workflow_lines": []})  # type: ignore[arg-type]
    pages = printed(empty, tmp_path)
    assert len(pages) == 1
    assert "《顾客接待登记表》" in pages[0] and "接待员签字:" in pages[0]
