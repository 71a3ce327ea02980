"""Time to import a store's catalogue of N products (default 100,000) into an empty database,
and to import it again (every product unchanged, then every price changed), from a GBK CSV
and from an .xlsx. Also the whole ``main.py catalog import`` command as a user runs it.

    .venv/bin/python bench/catalog_import.py [--products 100000]
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desktop_app.domain.barcodes import make_ean13  # noqa: E402
from desktop_app.reports.catalog_files import SheetData, write_catalog_workbook  # noqa: E402
from desktop_app.services.catalog import COMMAND_LINE  # noqa: E402
from desktop_app.services.database import open_desk_database  # noqa: E402
from desktop_app.services.desk import build_desk  # noqa: E402
from desktop_app.store.connection import close_database  # noqa: E402

HEADER = ("商品条码", "品名", "课别", "供货商", "零售价")
DEPARTMENTS = ["生鲜部", "食品部", "日化部", "百货部", "家电部", "服装部", "烟酒部", "冷冻部"]
WORDS = ["牛奶", "酸奶", "饼干", "方便面", "洗衣液", "牙膏", "毛巾", "电水壶", "T恤", "大米"]


def catalogue_rows(count: int, seed: int, price_bump: int = 0) -> list[tuple[str, ...]]:
    rng = random.Random(seed)
    rows = []
    for index in range(count):
        price = Decimal(rng.randrange(100, 99900) + price_bump) / 100
        rows.append((
            make_ean13(f"69{index:010d}"),
            f"{rng.choice(WORDS)} {index % 977}号 {rng.randrange(100, 999)}g",
            rng.choice(DEPARTMENTS),
            f"供应商{rng.randrange(1, 400):03d}有限公司",
            f"{price:.2f}",
        ))
    return rows


def write_csv(path: Path, rows: list[tuple[str, ...]]) -> None:
    lines = [",".join(HEADER)] + [",".join(row) for row in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))


def write_streamed_xlsx(path: Path, rows: list[tuple[str, ...]]) -> None:
    """As the app's own export and some POS exporters write it: streamed, inline strings and
    no <dimension> (openpyxl's reader then parses the sheet one extra time to size it)."""
    write_catalog_workbook(path, [SheetData("商品资料", HEADER, rows, frozenset({0}))])


def write_excel_like_xlsx(path: Path, rows: list[tuple[str, ...]]) -> None:
    """As Excel saves it: shared strings and the sheet's dimension."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "商品资料"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)


def timed(label: str, action: Callable[[], str]) -> float:
    started = time.perf_counter()
    outcome = action()
    seconds = time.perf_counter() - started
    print(f"{label:<46} {seconds:6.2f} s   {outcome}")
    return seconds


def import_into(db_path: Path, source: Path) -> str:
    opened = open_desk_database(db_path, datetime.now(), daily_backup=False)
    try:
        desk = build_desk(opened.db, db_path)
        preview = desk.catalog.preview_import(source)
        return desk.catalog.import_catalog(COMMAND_LINE, preview).summary()
    finally:
        close_database()


def phases(db_path: Path, source: Path) -> str:
    """Reading the file, classifying (the preview), writing: where the time goes on a fresh
    database. The write reuses the preview's classification when the catalogue has not
    changed since."""
    from desktop_app.services.catalog import read_import_file

    opened = open_desk_database(db_path, datetime.now(), daily_backup=False)
    try:
        desk = build_desk(opened.db, db_path)
        started = time.perf_counter()
        preview = read_import_file(source)
        read = time.perf_counter() - started
        preview = desk.catalog.classified(preview)
        classify = time.perf_counter() - started - read
        desk.catalog.import_catalog(COMMAND_LINE, preview)
        write = time.perf_counter() - started - read - classify
    finally:
        close_database()
    return (f"read the file {read:.2f} s, classify the rows {classify:.2f} s, "
            f"write in one transaction {write:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=100_000)
    count = parser.parse_args().products
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        rows = catalogue_rows(count, seed=1)
        csv_path, xlsx_path = work / "catalogue-gbk.csv", work / "catalogue.xlsx"
        streamed = work / "streamed.xlsx"
        changed = work / "changed-gbk.csv"
        write_csv(csv_path, rows)
        write_csv(changed, catalogue_rows(count, seed=1, price_bump=10))
        write_excel_like_xlsx(xlsx_path, rows)
        write_streamed_xlsx(streamed, rows)
        print(f"{count:,} products; CSV {csv_path.stat().st_size / 1e6:.1f} MB, "
              f"xlsx {xlsx_path.stat().st_size / 1e6:.1f} MB")
        timed("GBK CSV into an empty database", lambda: import_into(work / "a.sqlite3", csv_path))
        timed("the same CSV again (all unchanged)",
              lambda: import_into(work / "a.sqlite3", csv_path))
        timed("every price changed (all updated)",
              lambda: import_into(work / "a.sqlite3", changed))
        timed(".xlsx (as Excel saves it) into an empty db",
              lambda: import_into(work / "b.sqlite3", xlsx_path))
        timed(".xlsx (streamed, no dimension) into an empty db",
              lambda: import_into(work / "f.sqlite3", streamed))
        timed("  phases, GBK CSV", lambda: phases(work / "c.sqlite3", csv_path))
        timed("  phases, .xlsx as Excel saves it", lambda: phases(work / "d.sqlite3", xlsx_path))
        command = [sys.executable, str(ROOT / "main.py"), "catalog", "import",
                   "--db", str(work / "e.sqlite3"), str(csv_path)]
        timed("main.py catalog import (process, GBK CSV)",
              lambda: subprocess.run(command, capture_output=True, text=True, check=True)
              .stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
