"""Catalogue files: reading a store's .xlsx or .csv into rows of cell text, and writing the
master-data lists as a workbook.

What the text means (header, columns, encodings to try, refusals) is decided in
``desktop_app.domain.catalog_import``; this module only knows file formats. The .xlsx is read
with openpyxl in read-only mode, which streams rows instead of loading the whole sheet.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

from desktop_app.domain.catalog_import import (
    ENCODING_LABELS,
    HEADER_SEARCH_ROWS,
    CatalogField,
    UnreadableFileError,
    detect_encoding,
    find_columns,
    guess_delimiter,
)

XLSX_SIGNATURE = b"PK\x03\x04"
OLD_EXCEL_SIGNATURE = b"\xd0\xcf\x11\xe0"


@dataclass(frozen=True)
class CatalogFile:
    """A file's rows as text, and where they came from (shown in the preview)."""

    path: Path
    rows: list[list[str]]
    source: str  # "工作表“商品资料”" or "CSV,GBK/GB18030 编码"


def read_catalog_file(path: Path) -> CatalogFile:
    """Rows of cell text from a .xlsx (the sheet that holds the catalogue) or a .csv.
    Raises ``UnreadableFileError`` with a Chinese message for anything it cannot read."""
    data_start = _first_bytes(path)
    if data_start.startswith(OLD_EXCEL_SIGNATURE) or path.suffix.lower() == ".xls":
        raise UnreadableFileError(
            f"“{path.name}”是旧版 Excel(.xls)文件,请在 Excel 中另存为 .xlsx 或 CSV 后再导入。"
        )
    if data_start.startswith(XLSX_SIGNATURE) or path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    return _read_csv(path)


def _first_bytes(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(8)
    except FileNotFoundError:
        raise UnreadableFileError(f"找不到文件:{path}") from None
    except IsADirectoryError:
        raise UnreadableFileError(f"“{path}”是文件夹,不是文件") from None
    except PermissionError:
        raise UnreadableFileError(
            f"没有权限读取“{path.name}”(文件是否正在 Excel 中打开?)"
        ) from None
    except OSError as error:
        raise UnreadableFileError(f"无法读取“{path.name}”:{error.strerror or error}") from None


# --- .xlsx -----------------------------------------------------------------------------------


def _read_xlsx(path: Path) -> CatalogFile:
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as error:
        raise UnreadableFileError(
            f"“{path.name}”不是有效的 Excel(.xlsx)文件,或文件已损坏({type(error).__name__})。"
        ) from None
    try:
        names = book.sheetnames
        if not names:
            raise UnreadableFileError(f"“{path.name}”中没有工作表")
        chosen = _catalogue_sheet(book, names)
        rows = [_row_text(values) for values in book[chosen].iter_rows(values_only=True)]
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise UnreadableFileError(
            f"读取“{path.name}”时出错,文件可能已损坏({type(error).__name__})。"
        ) from None
    finally:
        book.close()
    if not any(any(cell.strip() for cell in row) for row in rows):
        raise UnreadableFileError(f"工作表“{chosen}”是空的")
    return CatalogFile(path=path, rows=rows, source=f"工作表“{chosen}”")


def _catalogue_sheet(book: Any, names: Sequence[str]) -> str:
    """The first sheet whose header names a barcode and a product name; else the first sheet."""
    for name in names:
        head = [
            _row_text(values)
            for values in book[name].iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True)
        ]
        columns = find_columns(head).columns
        if CatalogField.BARCODE in columns and CatalogField.NAME in columns:
            return name
    return names[0]


def _row_text(values: Iterable[Any]) -> list[str]:
    return [cell_text(value) for value in values]


def cell_text(value: Any) -> str:
    """A cell as the text a person sees: whole numbers without ``.0`` (a barcode stored as a
    number), fractions without float noise (``3.8500000000000001`` → ``3.85``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{value:.6f}".rstrip("0").rstrip(".")
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# --- .csv ------------------------------------------------------------------------------------


def _read_csv(path: Path) -> CatalogFile:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UnreadableFileError(f"无法读取“{path.name}”:{error.strerror or error}") from None
    if not data.strip():
        raise UnreadableFileError(f"“{path.name}”是空文件")
    encoding = detect_encoding(data)
    text = data.decode(encoding).replace("\x00", "")
    delimiter = guess_delimiter(text)
    try:
        rows = [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as error:
        raise UnreadableFileError(f"“{path.name}”不是有效的 CSV 文件:{error}") from None
    label = ENCODING_LABELS.get(encoding, encoding)
    separator = {",": "逗号", "\t": "制表符", ";": "分号"}[delimiter]
    return CatalogFile(path=path, rows=rows, source=f"CSV,{label} 编码,{separator}分隔")


# --- writing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetData:
    """One list as a sheet. Columns named in ``text_columns`` are written as text (barcodes,
    phone numbers: Excel would otherwise show 6.90E+12); Decimal values are yuan."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]
    text_columns: frozenset[int] = frozenset()


def write_catalog_workbook(path: Path, sheets: Sequence[SheetData]) -> int:
    """Write one sheet per list; return how many data rows were written."""
    book = Workbook(write_only=True)
    written = 0
    for data in sheets:
        sheet = book.create_sheet(data.title)
        sheet.freeze_panes = "A2"
        sheet.append([_bold(sheet, title) for title in data.header])
        for row in data.rows:
            sheet.append([_cell(sheet, value, column in data.text_columns)
                          for column, value in enumerate(row)])
            written += 1
    book.save(path)
    return written


def _bold(sheet: Any, title: str) -> Any:
    cell = WriteOnlyCell(sheet, value=title)
    cell.font = Font(bold=True)
    return cell


def _cell(sheet: Any, value: Any, as_text: bool) -> Any:
    if as_text:
        cell = WriteOnlyCell(sheet, value="" if value is None else str(value))
        cell.number_format = "@"
        return cell
    if isinstance(value, Decimal):
        cell = WriteOnlyCell(sheet, value=float(value))
        cell.number_format = "0.00"
        return cell
    return value
