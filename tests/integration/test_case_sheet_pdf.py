"""The printable register of one case: every field, Chinese text, embedded font, signature lines."""

from __future__ import annotations

import subprocess
from pathlib import Path

from pypdf import PdfReader

from desktop_app.services.desk import Desk
from desktop_app.services.printing import print_case_sheet
from tests.builders import Staff, a_draft, a_refund, a_worked_case

HOSTILE = "顾客😡说:'); DROP TABLE \"case\";-- <b>加粗</b> & 其他\n第二行" + "很" * 1900


def print_to(desk: Desk, case_id: int, path: Path) -> str:
    print_case_sheet(
        desk.cases, desk.refunds, desk.settings, case_id, path, desk.clock(),
        desk.register.head_code(),
    )
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_the_sheet_carries_the_register_and_the_signature_lines(
    desk: Desk, staff: Staff, tmp_path: Path
) -> None:
    case_id = a_worked_case(desk, staff)
    desk.refunds.request(staff.clerk, case_id, a_refund("40.00"))
    text = print_to(desk, case_id, tmp_path / "case.pdf")
    for expected in ("顾客接待登记表", "测试店", "TS-202611-0001", "张女士", "13812345678",
                     "牛奶有异味", "判断性质", "顾客确认", "接待员签字", "退货 ¥40.00",
                     "第 1 页 / 共 1 页", f"登记簿校验码:{desk.register.head_code()}"):
        assert expected in text, expected


def test_the_font_is_embedded(desk: Desk, staff: Staff, tmp_path: Path) -> None:
    case_id = desk.cases.register(staff.clerk, a_draft()).case_id
    path = tmp_path / "case.pdf"
    print_to(desk, case_id, path)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    lines = fonts.stdout.splitlines()[2:]
    assert lines, fonts.stdout
    assert all(" yes " in line for line in lines), fonts.stdout


def test_hostile_and_long_text_prints_over_several_pages(
    desk: Desk, staff: Staff, tmp_path: Path
) -> None:
    case_id = desk.cases.register(staff.clerk, a_draft(account=HOSTILE)).case_id
    path = tmp_path / "case.pdf"
    text = print_to(desk, case_id, path)
    assert "DROP TABLE" in text
    assert "<b>加粗</b>" in text
    pages = len(PdfReader(path).pages)
    assert pages >= 1
    assert f"共 {pages} 页" in text


def test_the_paid_amount_prints_in_yuan_and_a_major_complaint_says_so(
    desk: Desk, staff: Staff, tmp_path: Path
) -> None:
    major = desk.cases.register(staff.clerk, a_draft(amount_paid="1234.5", is_major=True))
    text = print_to(desk, major.case_id, tmp_path / "major.pdf")
    assert "¥1,234.50" in text
    assert "重大投诉\n是" in text
    plain = desk.cases.register(staff.clerk, a_draft(amount_paid="")).case_id
    assert "重大投诉\n否" in print_to(desk, plain, tmp_path / "plain.pdf")
