"""The month-end package on months built through the services — multi-item refunds, charged,
pending and waived charge-backs, a voided case's refund, a head-office refund, a service
compensation with its responsible person, a complaint-only month — read back from the PDFs and
the workbook and compared with figures computed here by direct SQL on the file."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from desktop_app.domain import cases as rules
from desktop_app.domain.money import format_yuan
from desktop_app.domain.refunds import (
    HeadOfficeSignOff,
    ItemDraft,
    RefundKind,
    SpecialReason,
)
from desktop_app.domain.report_figures import Month
from desktop_app.domain.workflow import StepAnswer
from desktop_app.reports.kinds import REPORT_KINDS, kind, workbook_name
from desktop_app.services.desk import Desk
from tests.builders import Staff, a_draft, a_refund
from tests.conftest import FakeClock
from tests.engines import db_arg, raw_connect
from tests.reports.pdf_reading import PAGE_LABEL, body_text, page_texts

AUGUST, SEPTEMBER, OCTOBER, NOVEMBER = (Month(2026, m) for m in (8, 9, 10, 11))
ROOT = Path(__file__).resolve().parents[2]
PRINTED = datetime(2026, 11, 24, 10, 0)
Step = rules.Step


@dataclass
class Scenario:
    desk: Desk
    db_path: Path
    waived_note: str = "供应商已上门换货,店长同意免除"


def at(clock: FakeClock, moment: datetime) -> None:
    clock.now = moment


def open_case(desk: Desk, staff: Staff, clock: FakeClock, moment: datetime,
              **changes: object) -> int:
    """A case registered and worked to 处理中, so refunds on it follow every case rule."""
    at(clock, moment)
    # No receipt yet: the refund names it (and what was paid), attaching it to the case.
    changes = {"receipt_no": "", "amount_paid": "", **changes}
    draft = a_draft(received_at=moment, purchase_date=f"{moment:%Y-%m-%d}", **changes)
    case_id = desk.cases.register(staff.clerk, draft).case_id
    desk.cases.record_step(staff.clerk, case_id, Step.NATURE, StepAnswer(text="成立"))
    detail = desk.cases.record_step(staff.clerk, case_id, Step.DEPARTMENT,
                                    StepAnswer(department_name="食品部"))
    if detail.status is rules.CaseStatus.AWAITING_CONFIRMATION:
        desk.cases.record_step(staff.clerk, case_id, Step.CONFIRMATION,
                               StepAnswer(leader_name="李班长", text="确有质量问题"))
    return case_id


def refund(desk: Desk, staff: Staff, case_id: int, amount: str, receipt: str,
           **changes: object) -> int:
    draft = a_refund(amount, receipt_no=receipt, receipt_paid="5000.00", **changes)
    refund_id = desk.refunds.request(staff.clerk, case_id, draft)
    if Decimal(amount) <= 2000:
        signer = staff.boss if Decimal(amount) > 200 else (
            staff.deputy if Decimal(amount) > 50 else staff.front_desk)
        desk.refunds.sign_as(signer, refund_id, True, "同意")
    return refund_id


def ledger_line(desk: Desk, refund_id: int) -> int:
    """The charge-back ledger line the approval of a quality refund opened."""
    line = desk.charge_backs.line_of_refund(refund_id)
    assert line is not None
    return line.line_id


def items(*rows: tuple[str, str, str]) -> tuple[ItemDraft, ...]:
    return tuple(ItemDraft(name, "69" + f"{index:011d}", quantity, amount, "变质")
                 for index, (name, quantity, amount) in enumerate(rows, start=1))


@pytest.fixture
def scenario(desk: Desk, staff: Staff, clock: FakeClock, db_path: Path) -> Scenario:
    """August: complaints only. September: one refund at the last second. October: the rich
    month. November: one refund at 00:00:00 on the 1st, the month still running."""
    for day, changes in ((5, {}), (12, {"is_major": True}),
                         (20, {"kind": rules.Kind.SUGGESTION})):
        at(clock, datetime(2026, 8, day, 10, 0))
        desk.cases.register(staff.clerk, a_draft(received_at=clock.now,
                                                 purchase_date=f"{clock.now:%Y-%m-%d}",
                                                 **changes))
    at(clock, datetime(2026, 8, 21, 9, 0))
    not_upheld = desk.cases.register(staff.clerk, a_draft(received_at=clock.now,
                                                          purchase_date="2026-08-20"))
    desk.cases.record_step(staff.clerk, not_upheld.case_id, Step.NATURE,
                           StepAnswer(upheld=False, text="已过保质期后购买,不成立"))

    early = open_case(desk, staff, clock, datetime(2026, 9, 30, 23, 0))
    at(clock, datetime(2026, 9, 30, 23, 59, 59))
    refund(desk, staff, early, "11.00", "R-SEP")

    # 1. two products of one quality refund (伊利乳业), charged back
    quality = open_case(desk, staff, clock, datetime(2026, 10, 3, 10, 0))
    charged = refund(desk, staff, quality, "19.50", "R-001", is_quality=True,
                     supplier_name="伊利乳业",
                     items=items(("伊利纯牛奶 250ml", "2", "7.00"), ("伊利酸奶", "1", "12.50")))
    desk.charge_backs.record_deduction(staff.front_desk, ledger_line(desk, charged), "KK-1003",
                                       clock.now.date())
    # 2. a quality refund of 伊利乳业 waived by the store manager with the reason
    second = open_case(desk, staff, clock, datetime(2026, 10, 5, 11, 0))
    waived = refund(desk, staff, second, "70.00", "R-002", is_quality=True,
                    supplier_name="伊利乳业")
    desk.charge_backs.waive(staff.boss, ledger_line(desk, waived), "供应商已上门换货,店长同意免除")
    # 3. a pending quality charge-back of 鲜丰, two products
    third = open_case(desk, staff, clock, datetime(2026, 10, 8, 9, 30))
    refund(desk, staff, third, "45.00", "R-003", is_quality=True,
           supplier_name="鲜丰农产品有限公司",
           items=items(("红富士苹果", "3", "30.00"), ("砀山梨", "1", "15.00")))
    # 4. a service compensation borne by the responsible cashier (step 8)
    service = open_case(desk, staff, clock, datetime(2026, 10, 10, 14, 0),
                        subject=rules.Subject.SERVICE, category=rules.Category.SERVICE_ATTITUDE,
                        staff_name="李娜", product_name="")
    desk.cases.record_step(staff.clerk, service, Step.RESPONSIBILITY,
                           StepAnswer(text="收银员态度恶劣,扣当月奖金", responsible="收银员李娜"))
    refund(desk, staff, service, "20.00", "R-004", kind=RefundKind.COMPENSATION,
           items=items(("服务赔偿", "1", "20.00")))
    # 5. above 2000 yuan: head office signs, the store manager records it
    big = open_case(desk, staff, clock, datetime(2026, 10, 12, 16, 0))
    head_office = refund(desk, staff, big, "2500.00", "R-005",
                         items=items(("美的电饭煲", "1", "2500.00")))
    desk.refunds.record_head_office_as(
        staff.boss, head_office,
        HeadOfficeSignOff("周国平", "集团营运签〔2026〕018号", date(2026, 10, 12)),
    )
    # 6. a special-case refund whose case is voided afterwards: the money was paid out
    mistaken = open_case(desk, staff, clock, datetime(2026, 10, 15, 10, 0),
                         category=rules.Category.OTHER)
    refund(desk, staff, mistaken, "30.00", "R-006", kind=RefundKind.EXCHANGE, is_special=True,
           special_reason=SpecialReason.PAST_PERIOD, special_detail="超过七天,店长特批")
    at(clock, datetime(2026, 10, 20, 9, 0))
    desk.cases.void(staff.boss, mistaken, "重复登记")
    # 7. the last second of the month; a rejected and a pending refund that never count
    last = open_case(desk, staff, clock, datetime(2026, 10, 31, 23, 0))
    at(clock, datetime(2026, 10, 31, 23, 59, 59))
    refund(desk, staff, last, "5.50", "R-007")
    refused = open_case(desk, staff, clock, datetime(2026, 10, 31, 23, 0))
    rejected = desk.refunds.request(staff.clerk, refused, a_refund(
        "7.00", receipt_no="R-REJ", receipt_paid="100.00"))
    desk.refunds.sign_as(staff.front_desk, rejected, False, "不符合")
    waiting = open_case(desk, staff, clock, datetime(2026, 10, 31, 23, 0))
    desk.refunds.request(staff.clerk, waiting, a_refund(
        "8.00", receipt_no="R-PEND", receipt_paid="100.00"))

    november = open_case(desk, staff, clock, datetime(2026, 11, 1, 0, 0))
    refund(desk, staff, november, "99.00", "R-NOV")
    at(clock, PRINTED)
    return Scenario(desk, db_path)


@pytest.fixture
def sql(db_path: Path) -> Iterator[sqlite3.Connection]:
    connection = raw_connect(db_path)
    yield connection
    connection.close()


def refund_totals(
    sql: sqlite3.Connection, month: Month, where: str = "1 = 1"
) -> tuple[int, int, Decimal]:
    """笔, 件 and amount of the month's approved refunds, straight from the tables."""
    bounds = (f"{month.start:%Y-%m-%d %H:%M:%S}", f"{month.end:%Y-%m-%d %H:%M:%S}")
    refunds, fen = sql.execute(
        f"SELECT count(*), COALESCE(sum(amount_fen), 0) FROM refund r JOIN \"case\" c "
        f"ON c.id = r.case_id WHERE r.status = 'approved' AND r.decided_at >= ? "
        f"AND r.decided_at < ? AND {where}", bounds).fetchone()
    (quantity,) = sql.execute(
        f"SELECT COALESCE(sum(i.quantity), 0) FROM refund_item i JOIN refund r "
        f"ON r.id = i.refund_id JOIN \"case\" c ON c.id = r.case_id WHERE r.status = 'approved' "
        f"AND r.decided_at >= ? AND r.decided_at < ? AND {where}", bounds).fetchone()
    return refunds, quantity, Decimal(fen) / 100


def chain_head(sql: sqlite3.Connection) -> str:
    seq, digest = sql.execute(
        "SELECT seq, entry_hash FROM register_entry ORDER BY seq DESC LIMIT 1").fetchone()
    return f"登记簿校验码:{seq}:{digest[:16]}"


def export(scenario: Scenario, month: Month, tmp_path: Path) -> dict[str, Path]:
    keys = [entry.key for entry in REPORT_KINDS]
    written = scenario.desk.reports.export(month, keys, tmp_path / month.key, PRINTED)
    return {**{key: path for key, path in zip(keys, written, strict=False)},
            "xlsx": written[-1]}


def text_of(path: Path) -> str:
    """The PDF's text without spaces: a cell's line may break at any space."""
    return body_text(page_texts(path)).replace(" ", "")


def squashed(text: str) -> str:
    return text.replace(" ", "")


def test_refunds_are_counted_as_refunds_and_items_as_items(
    scenario: Scenario, sql: sqlite3.Connection, tmp_path: Path
) -> None:
    refunds, quantity, amount = refund_totals(sql, OCTOBER)
    assert (refunds, quantity) == (7, 12)  # 7 approvals; two of them list two products
    figures = scenario.desk.reports.figures(OCTOBER)
    assert (figures.returns.total.refunds, figures.returns.total.items,
            figures.returns.total.amount) == (refunds, quantity, amount)
    files = export(scenario, OCTOBER, tmp_path)
    text = text_of(files["returns"])
    assert squashed(f"本月合计:{refunds} 笔 {quantity} 件") in text
    assert format_yuan(amount) in text
    assert "R-001" in text
    for receipt in ("R-SEP", "R-NOV", "R-REJ", "R-PEND"):  # other months, not approved
        assert receipt not in text
    for refund_kind, label in ((RefundKind.RETURN, "退货"), (RefundKind.EXCHANGE, "换货"),
                               (RefundKind.COMPENSATION, "赔偿")):
        count, items_, money = refund_totals(sql, OCTOBER, f"r.kind = '{refund_kind.value}'")
        assert f"{label}{count}{items_}{format_yuan(money)}" in text


def test_the_quality_report_follows_each_suppliers_charge_back(
    scenario: Scenario, sql: sqlite3.Connection, tmp_path: Path
) -> None:
    files = export(scenario, OCTOBER, tmp_path)
    text = text_of(files["quality"])
    for supplier in ("伊利乳业", "鲜丰农产品有限公司"):
        where = f"r.is_quality = 1 AND r.supplier_id = (SELECT id FROM supplier WHERE name = " \
                f"'{supplier}')"
        refunds, quantity, amount = refund_totals(sql, OCTOBER, where)
        owed = refund_totals(sql, OCTOBER, where + " AND r.charge_back_status IN "
                                                  "('pending', 'charged')")[2]
        assert squashed(f"小计 · {supplier}:{refunds} 笔 {quantity} 件") in text
        assert format_yuan(amount) in text and format_yuan(owed) in text
    # 伊利乳业: 19.50 charged, 70.00 waived — listed, but not owed
    assert squashed("已扣 ¥19.50,待扣 ¥0.00;已免除 ¥70.00") in text
    assert squashed(scenario.waived_note) in text
    figures = scenario.desk.reports.figures(OCTOBER)
    yili = next(g for g in figures.quality.suppliers if g.supplier == "伊利乳业")
    assert yili.charge_back.chargeable == Decimal("19.50")
    assert yili.total.amount == Decimal("89.50")
    for case_no, receipt in sql.execute(
        "SELECT c.case_no, r.receipt_no FROM refund r JOIN \"case\" c ON c.id = r.case_id "
        "WHERE r.is_quality = 1 AND r.status = 'approved' AND r.decided_at LIKE '2026-10%'"
    ):
        assert case_no in text and receipt in text


def test_the_reports_say_which_quality_they_mean(scenario: Scenario, sql: sqlite3.Connection,
                                                 tmp_path: Path) -> None:
    files = export(scenario, OCTOBER, tmp_path)
    category = refund_totals(sql, OCTOBER, "c.category = 'product_quality'")
    flagged = refund_totals(sql, OCTOBER, "r.is_quality = 1")
    assert category != flagged
    for key in ("returns", "quality"):
        text = text_of(files[key])
        assert f"{category[0]}笔/{category[1]}件/{format_yuan(category[2])}" in text
        assert f"{flagged[0]}笔/{flagged[1]}件/{format_yuan(flagged[2])}" in text


def test_head_office_voided_and_responsible_person_are_printed(
    scenario: Scenario, sql: sqlite3.Connection, tmp_path: Path
) -> None:
    files = export(scenario, OCTOBER, tmp_path)
    text = text_of(files["returns"])
    assert squashed("集团签批:周国平 集团营运签〔2026〕018号 2026-10-12") in text
    voided = refund_totals(sql, OCTOBER, "c.status = 'voided'")
    assert voided[0] == 1
    assert squashed(f"其中案件已作废的退款(款已付出,照计):{voided[0]} 笔 {voided[1]} 件") in text
    assert "服务赔偿,责任人:收银员李娜" in text
    special = text_of(files["special"])
    assert "案件已作废" in special and "超过七天,店长特批" in special


def test_every_report_prints_the_registers_chain_head_on_every_page(
    scenario: Scenario, sql: sqlite3.Connection, tmp_path: Path
) -> None:
    files = export(scenario, OCTOBER, tmp_path)
    head = chain_head(sql)
    for entry in REPORT_KINDS:
        pages = page_texts(files[entry.key])
        for number, page in enumerate(pages, start=1):
            assert head in page, (entry.key, number)
            assert f"第 {number} 页 / 共 {len(pages)} 页" in page
    assert len(page_texts(files["summary"])) == 1


def test_a_month_not_yet_over_says_so(scenario: Scenario, tmp_path: Path) -> None:
    files = export(scenario, NOVEMBER, tmp_path)
    for entry in REPORT_KINDS:
        assert "本月未结束,数据截至2026-11-2410:00" in text_of(files[entry.key]), entry.key
    october = export(scenario, OCTOBER, tmp_path)
    assert "本月未结束" not in text_of(october["returns"])


def test_the_statistics_count_the_complaints_themselves(
    scenario: Scenario, sql: sqlite3.Connection, tmp_path: Path
) -> None:
    files = export(scenario, AUGUST, tmp_path)
    returns = text_of(files["returns"])
    assert "本月合计:0笔0件" in returns
    received = dict(sql.execute(
        "SELECT kind, count(*) FROM \"case\" WHERE received_at LIKE '2026-08%' "
        "AND status <> 'voided' GROUP BY kind").fetchall())
    (major,) = sql.execute("SELECT count(*) FROM \"case\" WHERE received_at LIKE '2026-08%' "
                           "AND is_major = 1").fetchone()
    (not_upheld,) = sql.execute("SELECT count(*) FROM \"case\" WHERE received_at LIKE "
                                "'2026-08%' AND status = 'not_upheld'").fetchone()
    figures = scenario.desk.reports.figures(AUGUST).stats.current
    assert figures.received == sum(received.values()) == 4
    assert {c.label: c.cases for c in figures.by_kind} == {
        rules.Kind.of(key).label: received.get(key, 0) for key in ("complaint", "opinion",
                                                                    "suggestion")
    }
    assert (figures.major, figures.not_upheld) == (major, not_upheld)
    lines = page_texts(files["stats"])[0].split("\n")
    assert lines[lines.index("本月受理(不含作废)") + 1] == str(sum(received.values()))
    assert lines[lines.index("重大投诉") + 1] == str(major)
    assert lines[lines.index("不成立(已答复顾客)") + 1] == str(not_upheld)
    summary = text_of(files["summary"])
    assert f"本月受理投诉、意见、建议(不含作废){sum(received.values())}件" in summary


def test_the_statistics_exclude_voided_cases_and_compare_with_last_month(
    scenario: Scenario, sql: sqlite3.Connection
) -> None:
    stats = scenario.desk.reports.figures(OCTOBER).stats
    (october,) = sql.execute("SELECT count(*) FROM \"case\" WHERE received_at LIKE '2026-10%' "
                             "AND status <> 'voided'").fetchone()
    (september,) = sql.execute("SELECT count(*) FROM \"case\" WHERE received_at LIKE "
                               "'2026-09%' AND status <> 'voided'").fetchone()
    assert (stats.current.received, stats.previous.received) == (october, september)
    points = {point.month.key: point.received for point in stats.trend}
    assert points["2026-08"] == 4 and points["2026-10"] == october
    assert len(points) == 12


def test_the_workbook_carries_the_same_counts_subtotals_and_set_up(
    scenario: Scenario, sql: sqlite3.Connection, tmp_path: Path
) -> None:
    files = export(scenario, OCTOBER, tmp_path)
    assert files["xlsx"].name == workbook_name(OCTOBER)
    book = load_workbook(files["xlsx"])
    assert book.sheetnames == [entry.sheet_name for entry in REPORT_KINDS]
    sheet = book[kind("returns").sheet_name]
    rows = list(sheet.iter_rows(values_only=True))
    refunds, quantity, amount = refund_totals(sql, OCTOBER)
    total = next(row for row in rows if str(row[0]).startswith("本月合计"))
    assert total[0] == f"本月合计 {refunds} 笔"
    assert (total[5], Decimal(str(total[6]))) == (quantity, amount)
    lines = [row for row in rows[4:] if isinstance(row[0], datetime)]
    assert sum(row[5] for row in lines) == quantity
    assert {row[17] for row in lines} == {r for (r,) in sql.execute(
        "SELECT id FROM refund WHERE status = 'approved' AND decided_at LIKE '2026-10%'")}
    assert all(isinstance(row[2], str) and isinstance(row[4], str) for row in lines)
    assert sheet.freeze_panes == "A5"
    assert isinstance(rows[4][0], datetime)  # the first line right under the frozen header
    assert sheet.print_title_rows == "$4:$4"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.column_dimensions["D"].width > 10
    headed = [row[0] for row in rows]
    assert "按类型" in headed and "按原因类别(登记时的案件类别)" in headed
    quality = list(book[kind("quality").sheet_name].iter_rows(values_only=True))
    yili = next(row for row in quality if row[0] == "伊利乳业" and row[1] == 2)
    assert [Decimal(str(value)) for value in yili[3:8]] == [
        Decimal("89.50"), Decimal("19.50"), Decimal("19.50"), Decimal("0"), Decimal("70.00")
    ]
    assert scenario.waived_note in yili[8]
    stats = list(book[kind("stats").sheet_name].iter_rows(values_only=True))
    received = next(row for row in stats if row[1] == "本月受理(不含作废)")
    assert received[3] == scenario.desk.reports.figures(OCTOBER).stats.current.received
    summary = list(book[kind("summary").sheet_name].iter_rows(values_only=True))
    assert summary[-1][2] == chain_head(sql).split(":", 1)[1]


def test_the_command_line_writes_every_registered_report(
    scenario: Scenario, db_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "report", "all", "--month", "2026-10",
         "--db", db_arg(db_path), "--out", str(out)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert sorted(path.name for path in out.glob("*.pdf")) == sorted(
        entry.file_name(OCTOBER) for entry in REPORT_KINDS
    )
    assert [path.name for path in out.glob("*.xlsx")] == [workbook_name(OCTOBER)]
    stats_only = tmp_path / "stats"
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "report", "stats", "--month", "2026-08",
         "--db", db_arg(db_path), "--out", str(stats_only)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    [printed] = stats_only.iterdir()
    assert printed.name == kind("stats").file_name(AUGUST)
    assert PAGE_LABEL.search(page_texts(printed)[0])


def test_a_long_month_repeats_the_header_and_numbers_every_page(
    desk: Desk, staff: Staff, clock: FakeClock, tmp_path: Path
) -> None:
    for day in range(1, 29):
        for hour in (9, 11, 14, 16):
            case_id = open_case(desk, staff, clock, datetime(2026, 10, day, hour))
            refund(desk, staff, case_id, "1.00", f"R{day:02d}{hour:02d}")
    at(clock, PRINTED)
    path = desk.reports.export(OCTOBER, ["returns"], tmp_path, PRINTED, workbook=False)[0]
    pages = page_texts(path)
    assert len(pages) > 1
    for number, text in enumerate(pages, start=1):
        assert f"第 {number} 页 / 共 {len(pages)} 页" in text
    assert all("案件编号" in text for text in pages[:-1])  # the header row on every table page
    assert "本月合计:112 笔 112 件" in body_text(pages)


def test_months_parse_and_default_to_last_month() -> None:
    assert Month.parse("2026-10") == Month(2026, 10)
    assert Month.parse("202610") == Month(2026, 10)
    assert Month.before(date(2026, 1, 5)) == Month(2025, 12)
    assert SEPTEMBER.end == OCTOBER.start
