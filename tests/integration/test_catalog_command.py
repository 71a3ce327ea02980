"""``main.py catalog import|export`` as a store runs it: a GBK CSV and an .xlsx of 1,000
products give the same catalogue; unreadable files exit 2 with a Chinese message."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

ROOT = Path(__file__).resolve().parents[2]
HEADER = ["商品条码", "品名", "课别", "供货商", "零售价"]
DEPARTMENTS = ["生鲜部", "食品部", "日化部", "家电部"]


def thousand_products() -> list[list[str]]:
    """1,000 rows as a POS exports them, a few of them bad: 990 to add, 10 refused."""
    rows = [
        [f"69{i:011d}", f"商品{i} {i % 7 + 1}kg", DEPARTMENTS[i % 4], f"供应商{i % 30:02d}",
         f"{i % 500 + 1}.{i % 100:02d}"]
        for i in range(990)
    ]
    rows += [[f"69{i:011d}", "重复条码", "食品部", "", "1"] for i in range(5)]
    rows += [
        ["6912345678900", "", "食品部", "", "1"], ["6912345678901", "无价", "食品部", "", "abc"],
        ["12", "短条码", "食品部", "", "1"], ["6912345678902", "无部门", "", "", "1"],
        ["6912345678903", "负价", "食品部", "", "-1"],
    ]
    return rows


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "catalog", *args],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )


def catalogue(db: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as raw:
        rows = raw.execute(
            "SELECT p.barcode, p.name, d.name, s.name, p.price_fen, p.active FROM product p "
            "JOIN department d ON d.id = p.department_id "
            "LEFT JOIN supplier s ON s.id = p.supplier_id ORDER BY p.barcode"
        ).fetchall()
    raw.close()
    return rows


@pytest.fixture
def gbk_csv(tmp_path: Path) -> Path:
    path = tmp_path / "商品资料.csv"
    lines = [",".join(HEADER)] + [",".join(row) for row in thousand_products()]
    path.write_bytes("\r\n".join(lines).encode("gbk"))
    return path


@pytest.fixture
def xlsx(tmp_path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for barcode, name, department, supplier, price in thousand_products():
        # As Excel holds them: barcodes typed as numbers, prices as numbers where they are.
        number = barcode.isdigit() and len(barcode) > 6
        price_cell: object = price
        if price.replace(".", "", 1).isdigit():
            price_cell = float(price)
        sheet.append([int(barcode) if number else barcode, name, department or None,
                      supplier or None, price_cell])
    path = tmp_path / "商品资料.xlsx"
    book.save(path)
    return path


@pytest.mark.slow
def test_a_gbk_csv_and_an_xlsx_of_1000_products_give_the_same_catalogue(
    tmp_path: Path, gbk_csv: Path, xlsx: Path
) -> None:
    from_csv, from_xlsx = tmp_path / "csv.sqlite3", tmp_path / "xlsx.sqlite3"
    by_csv = run("import", "--db", str(from_csv), str(gbk_csv))
    by_xlsx = run("import", "--db", str(from_xlsx), str(xlsx))
    for result in (by_csv, by_xlsx):
        assert result.returncode == 0, result.stderr
        assert "added=990 updated=0 unchanged=0 refused=10" in result.stdout
        assert "新增 990 条" in result.stdout
        assert "新建部门:生鲜部、食品部、日化部、家电部" in result.stdout
        assert "拒绝 第 992 行" in result.stderr and "重复" in result.stderr
    assert "GBK" in by_csv.stdout
    rows = catalogue(from_csv)
    assert len(rows) == 990
    assert rows == catalogue(from_xlsx)
    assert rows[1] == ("6900000000001", "商品1 2kg", "食品部", "供应商01", 201, 1)

    again = run("import", "--db", str(from_csv), str(xlsx))
    assert "added=0 updated=0 unchanged=990 refused=10" in again.stdout


def test_an_unreadable_file_exits_2_with_a_chinese_message_and_no_database(
    tmp_path: Path,
) -> None:
    db = tmp_path / "new.sqlite3"
    missing = run("import", "--db", str(db), str(tmp_path / "none.csv"))
    assert missing.returncode == 2
    assert "找不到文件" in missing.stderr
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04garbage")
    result = run("import", "--db", str(db), str(broken))
    assert result.returncode == 2
    assert "不是有效的 Excel" in result.stderr
    assert not db.exists()


def test_columns_can_be_named_on_the_command_line_and_a_dry_run_writes_nothing(
    tmp_path: Path,
) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("货号,名字,组,价\n6901234567892,牛奶,食品部,3.5\n", encoding="utf-8-sig")
    db = tmp_path / "desk.sqlite3"
    refused = run("import", "--db", str(db), str(path))
    assert refused.returncode == 2 and "--barcode-column" in refused.stderr
    dry = run("import", "--db", str(db), str(path), "--barcode-column", "货号",
              "--name-column", "B", "--department-column", "3", "--price-column", "价",
              "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "未写入" in dry.stdout and "新增 1 条" in dry.stdout
    assert catalogue(db) == []
    done = run("import", "--db", str(db), str(path), "--barcode-column", "货号",
               "--name-column", "B", "--department-column", "3", "--price-column", "价")
    assert "added=1" in done.stdout
    assert catalogue(db) == [("6901234567892", "牛奶", "食品部", None, 350, 1)]
    wrong = run("import", "--db", str(db), str(path), "--barcode-column", "条码号")
    assert wrong.returncode == 2 and "没有“条码号”" in wrong.stderr


def test_export_writes_one_sheet_per_list_with_barcodes_as_text(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("条码,品名,部门,供应商,售价\n0012345678905,牛奶,食品部,伊利乳业,3.5\n",
                    encoding="utf-8")
    db = tmp_path / "desk.sqlite3"
    assert run("import", "--db", str(db), str(path)).returncode == 0
    target = tmp_path / "门店资料.xlsx"
    result = run("export", "--db", str(db), str(target))
    assert result.returncode == 0, result.stderr
    book = load_workbook(target)
    assert book.sheetnames == ["商品", "部门", "供应商", "员工"]
    assert book["商品"]["A2"].value == "0012345678905"
    assert book["商品"]["E2"].value == 3.5
    assert run("export", "--db", str(tmp_path / "none.sqlite3"), str(target)).returncode == 2
    assert run("export", "--db", str(db), str(tmp_path / "x.csv")).returncode == 2
