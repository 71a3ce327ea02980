"""Which row of a catalogue file is the header and which column holds what: by the Chinese
names and their usual synonyms, or as the user chose."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from desktop_app.domain.cases import LabelledEnum


class CatalogField(LabelledEnum):
    BARCODE = ("barcode", "条码")
    NAME = ("name", "商品名称")
    DEPARTMENT = ("department", "部门")
    SUPPLIER = ("supplier", "供应商")
    PRICE = ("price", "售价")
    STATUS = ("status", "状态")


REQUIRED_FIELDS = (CatalogField.BARCODE, CatalogField.NAME, CatalogField.DEPARTMENT)
# The products' columns as the export writes them and the lists show them; the export reads
# back through HEADER_SYNONYMS, so a file exported imports unchanged.
PRODUCT_HEADERS = tuple(
    f"{field.label}(元)" if field is CatalogField.PRICE else field.label for field in CatalogField
)

# Header names as POS systems and Excel templates write them, most specific first: when two
# columns match one field, the one whose name comes earlier here is taken.
HEADER_SYNONYMS: dict[CatalogField, tuple[str, ...]] = {
    CatalogField.BARCODE: (
        "条码", "商品条码", "国际条码", "条形码", "商品条形码", "主条码", "barcode", "ean",
    ),
    CatalogField.NAME: ("商品名称", "品名", "商品名", "名称", "商品全称", "品名规格", "name"),
    CatalogField.DEPARTMENT: (
        "部门", "课别", "柜组", "所属部门", "部门名称", "课别名称", "柜组名称", "department",
    ),
    CatalogField.SUPPLIER: (
        "供应商", "厂商", "供货商", "供应商名称", "厂商名称", "供货商名称", "供货单位", "supplier",
    ),
    CatalogField.PRICE: (
        "售价", "零售价", "销售价", "零售单价", "销售单价", "现售价", "标价", "price",
    ),
    CatalogField.STATUS: ("状态", "商品状态", "经营状态", "status"),
}


HEADER_SEARCH_ROWS = 20

_BRACKETED = re.compile(r"[((\[【<《].*?[))\]】>》]")


def normalise_header(text: str) -> str:
    """``" 售价(元) "`` → ``"售价"``; ``"*商品条码:"`` → ``"商品条码"``."""
    folded = unicodedata.normalize("NFKC", text)
    folded = _BRACKETED.sub("", folded)
    return "".join(folded.split()).strip("*:#").lower()


# --- columns -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnMapping:
    """Where the header is (index into the rows) and which column holds each field."""

    header_row: int
    headers: tuple[str, ...]
    columns: Mapping[CatalogField, int]

    @property
    def missing(self) -> tuple[CatalogField, ...]:
        return tuple(f for f in REQUIRED_FIELDS if f not in self.columns)

    def describe(self) -> str:
        """``条码 ← “商品条码”(B列);...`` for the preview and the command line."""
        parts = []
        for catalog_field in CatalogField:
            column = self.columns.get(catalog_field)
            where = "未找到" if column is None else (
                f"“{_header_text(self.headers, column)}”({column_letter(column)}列)"
            )
            parts.append(f"{catalog_field.label} ← {where}")
        return ";".join(parts)


def _header_text(headers: Sequence[str], column: int) -> str:
    return headers[column] if column < len(headers) else ""


def match_header(text: str) -> tuple[CatalogField, int] | None:
    """The field a header names and the synonym's rank (0 = most specific), or None."""
    key = normalise_header(text)
    if not key:
        return None
    for catalog_field, names in HEADER_SYNONYMS.items():
        if key in names:
            return catalog_field, names.index(key)
    return None


def columns_in(headers: Sequence[str]) -> dict[CatalogField, int]:
    best: dict[CatalogField, tuple[int, int]] = {}
    for column, text in enumerate(headers):
        found = match_header(text)
        if found is None:
            continue
        catalog_field, rank = found
        if catalog_field not in best or rank < best[catalog_field][0]:
            best[catalog_field] = (rank, column)
    return {catalog_field: column for catalog_field, (_, column) in best.items()}


def find_columns(rows: Sequence[Sequence[str]]) -> ColumnMapping:
    """The first row (of the first twenty) that names the barcode and the product name is the
    header; a title line above it ("商品资料导出 2026-11-24") is skipped. Without one, the first
    non-empty row is taken as the header and the missing fields are left for the user."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns = columns_in(row)
        if CatalogField.BARCODE in columns and CatalogField.NAME in columns:
            return ColumnMapping(index, tuple(row), columns)
    first = next((i for i, row in enumerate(rows) if any(cell.strip() for cell in row)), 0)
    headers = tuple(rows[first]) if rows else ()
    return ColumnMapping(first, headers, columns_in(headers))


def choose_columns(
    mapping: ColumnMapping, chosen: Mapping[CatalogField, int | None]
) -> ColumnMapping:
    """The user's choice over the detected one; ``None`` means "this file has no such column"."""
    columns = dict(mapping.columns)
    for catalog_field, column in chosen.items():
        if column is None:
            columns.pop(catalog_field, None)
        else:
            columns[catalog_field] = column
    return ColumnMapping(mapping.header_row, mapping.headers, columns)


def column_letter(column: int) -> str:
    """0 → A, 25 → Z, 26 → AA (as Excel names columns)."""
    letters = ""
    column += 1
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def column_named(headers: Sequence[str], text: str) -> int:
    """A column given on the command line: its header text, its letter (C) or number (3).
    Raises ``ValueError`` with a Chinese message."""
    wanted = normalise_header(text)
    for column, header in enumerate(headers):
        if normalise_header(header) == wanted and wanted:
            return column
    stripped = text.strip()
    if stripped.isdigit() and 1 <= int(stripped) <= max(len(headers), 1):
        return int(stripped) - 1
    if stripped.isascii() and stripped.isalpha() and len(stripped) <= 2:
        column = 0
        for char in stripped.upper():
            column = column * 26 + (ord(char) - ord("A") + 1)
        if column <= max(len(headers), 1):
            return column - 1
    raise ValueError(f"表头中没有“{text}”这一列(可写表头名称、列字母如 C 或列号如 3)")
