"""The table that writes its text cells in one text object draws exactly what reportlab's own
Table draws: same pixels, same text in the same order."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.platypus import SimpleDocTemplate, Table

from desktop_app.reports.paged_table import BatchedTable
from desktop_app.reports.pdf_fonts import cjk_font
from desktop_app.reports.text_block import TextBlock
from tests.reports.pdf_reading import page_texts


def rows() -> list[list[object]]:
    body: list[list[object]] = [["日期", "案件编号", "商品", "金额", "备注"]]
    for index in range(60):
        note: object = TextBlock("两行的备注文字," * 3, 7.5) if index % 7 == 0 else ""
        body.append([f"10-{index % 28 + 1:02d}", f"TS-202610-{index:04d}", "伊利纯牛奶 250ml",
                     f"¥{index * 3.5:,.2f}", note])
    return body


def style() -> list[tuple[object, ...]]:
    return [
        ("FONTNAME", (0, 0), (-1, -1), cjk_font()), ("FONTSIZE", (0, 0), (-1, -1), 7.5),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("VALIGN", (0, 0), (-1, 0), "MIDDLE"), ("ALIGN", (3, 1), (3, -1), "RIGHT"),
        ("ALIGN", (0, 0), (-1, 0), "CENTER"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6e6")),
        ("TEXTCOLOR", (2, 5), (2, 5), colors.red),
    ]


def write(table_class: type[Table], path: Path) -> None:
    table = table_class(rows(), colWidths=[60, 110, 160, 70, 160], repeatRows=1, style=style())
    SimpleDocTemplate(str(path), pagesize=landscape(A4), initialFontName=cjk_font()).build(
        [table]
    )


def test_the_same_text_comes_out_in_the_same_order(tmp_path: Path) -> None:
    write(Table, tmp_path / "plain.pdf")
    write(BatchedTable, tmp_path / "batched.pdf")
    assert page_texts(tmp_path / "batched.pdf") == page_texts(tmp_path / "plain.pdf")


def test_the_pages_look_the_same(tmp_path: Path) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    images = {}
    for table_class in (Table, BatchedTable):
        pdf = tmp_path / f"{table_class.__name__}.pdf"
        write(table_class, pdf)
        subprocess.run(["pdftoppm", "-r", "60", "-gray", str(pdf), str(pdf.with_suffix(""))],
                       check=True)
        images[table_class] = [path.read_bytes() for path in
                               sorted(tmp_path.glob(f"{table_class.__name__}-*.pgm"))]
    assert len(images[Table]) > 1
    assert images[BatchedTable] == images[Table]
