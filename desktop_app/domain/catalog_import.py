"""Importing the catalogue a store already has, as its POS or Excel exports it.

The file layer (``desktop_app.reports.catalog_files``) turns a .xlsx or .csv into rows of cell
text; this module, standard library only, decides everything else:

* which encoding a CSV is in (UTF-8 with or without BOM, UTF-16 from Excel's "Unicode text",
  otherwise GBK/GB18030 — what Chinese Excel writes) and which delimiter it uses;
* which row is the header and which column holds what, by the Chinese names and their usual
  synonyms (条码/商品条码/国际条码, 商品名称/品名, 部门/课别/柜组, 供应商/厂商/供货商,
  售价/零售价), or as the user chose;
* what each data row becomes: a new product, an update of the product with that barcode,
  unchanged, or refused with its reason (duplicate barcode, empty name, bad price, ...).

Rules a store would expect: the first row with a barcode wins and later repeats are refused; an
empty supplier or price cell never erases what the catalogue already holds; a product the file
lists is on sale, so a disabled one is enabled again, unless a 状态 column (as the export writes
it) says 已停用; departments and suppliers the file names are created.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from desktop_app.domain.cases import LabelledEnum
from desktop_app.domain.catalog import (
    MAX_DEPARTMENT,
    MAX_SUPPLIER,
    barcode_problem,
    clean_cell,
    normalise_barcode,
    parse_price,
)
from desktop_app.domain.errors import DeskError
from desktop_app.domain.money import from_fen
from desktop_app.domain.registration import MAX_PRODUCT_NAME


class UnreadableFileError(DeskError):
    """The file cannot be read as a catalogue; the message says why, in Chinese."""


class CatalogField(LabelledEnum):
    BARCODE = ("barcode", "条码")
    NAME = ("name", "商品名称")
    DEPARTMENT = ("department", "部门")
    SUPPLIER = ("supplier", "供应商")
    PRICE = ("price", "售价")
    STATUS = ("status", "状态")


REQUIRED_FIELDS = (CatalogField.BARCODE, CatalogField.NAME, CatalogField.DEPARTMENT)

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
# A status cell that means "no longer sold"; anything else (or no status column) means on sale.
STOPPED_WORDS = frozenset({"已停用", "停用", "停售", "已停售", "淘汰", "已淘汰", "禁用", "否", "0"})
HEADER_SEARCH_ROWS = 20

_BRACKETED = re.compile(r"[((\[【<《].*?[))\]】>》]")


def normalise_header(text: str) -> str:
    """``" 售价(元) "`` → ``"售价"``; ``"*商品条码:"`` → ``"商品条码"``."""
    folded = unicodedata.normalize("NFKC", text)
    folded = _BRACKETED.sub("", folded)
    return "".join(folded.split()).strip("*:#").lower()


# --- the file's encoding and layout --------------------------------------------------------


ENCODING_LABELS = {
    "utf-8-sig": "UTF-8(带 BOM)",
    "utf-8": "UTF-8",
    "utf-16": "UTF-16(Excel Unicode 文本)",
    "gb18030": "GBK/GB18030",
}


ENCODING_SAMPLE = 64 * 1024


def detect_encoding(data: bytes) -> str:
    """The codec that decodes ``data``: a BOM decides; otherwise UTF-8 or GB18030 (a superset
    of GBK and GB2312), whichever decodes it without error. Short GBK text is sometimes valid
    UTF-8 too ("一一" is D2 BB D2 BB, Cyrillic "һһ" in UTF-8); then the reading that looks
    more like a Chinese store's text wins (UTF-8 on a tie)."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    candidates = [encoding for encoding in ("utf-8", "gb18030") if _decodes(data, encoding)]
    if not candidates:
        raise UnreadableFileError(
            "无法识别文件的文字编码(既不是 UTF-8,也不是 GBK/GB18030)。"
            "请在 Excel 中另存为“CSV UTF-8(逗号分隔)”或 .xlsx 后再导入。"
        )
    sample = data[:ENCODING_SAMPLE]
    return max(candidates, key=lambda encoding: plausibility(_partial(sample, encoding)))


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _partial(sample: bytes, encoding: str) -> str:
    """The sample decoded, tolerating a character cut in half at its end."""
    return codecs.getincrementaldecoder(encoding)(errors="replace").decode(sample, final=False)


def plausibility(text: str) -> float:
    """Share of characters a Chinese catalogue is made of: ASCII, CJK and full-width
    punctuation, and the 3,755 common hanzi (GB2312 level 1, lead bytes B0–D7). A misread file
    turns into Cyrillic, accented Latin or rare hanzi instead."""
    if not text:
        return 1.0
    good = sum(1 for char in text if _usual(char))
    return good / len(text)


def _usual(char: str) -> bool:
    if char.isascii() or "\u3000" <= char <= "\u303f" or "\uff00" <= char <= "\uffef":
        return True
    try:
        encoded = char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2 and 0xB0 <= encoded[0] <= 0xD7


def guess_delimiter(text: str) -> str:
    """Comma, tab or semicolon: whichever the first non-empty line uses most (comma on a tie)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {delimiter: first.count(delimiter) for delimiter in (",", "\t", ";")}
    best = max(counts, key=lambda delimiter: (counts[delimiter], delimiter == ","))
    return best if counts[best] else ","


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


# --- rows ----------------------------------------------------------------------------------


class RowAction(LabelledEnum):
    ADD = ("add", "新增")
    UPDATE = ("update", "更新")
    UNCHANGED = ("unchanged", "无变化")
    REFUSE = ("refuse", "拒绝")


@dataclass(frozen=True, slots=True)
class ExistingProduct:
    """A product already in the catalogue, by names rather than ids."""

    product_id: int
    name: str
    department: str
    supplier: str
    price_fen: int
    active: bool


@dataclass(frozen=True, slots=True)
class PlannedRow:
    """One data row and what the import does with it.

    ``line`` is the row number Excel shows. ``supplier`` and ``price_fen`` are what the product
    will hold (the existing values where the file's cell was empty). ``note`` is the refusal
    reason, or what an update changes.
    """

    line: int
    action: RowAction
    barcode: str
    name: str
    department: str
    supplier: str
    price_fen: int | None
    note: str
    product_id: int | None = None
    active: bool = True


@dataclass(frozen=True)
class ImportPlan:
    rows: tuple[PlannedRow, ...]
    new_departments: tuple[str, ...]
    new_suppliers: tuple[str, ...]
    counts: Mapping[RowAction, int] = field(default_factory=dict)

    def count(self, action: RowAction) -> int:
        return self.counts.get(action, 0)

    def of(self, action: RowAction) -> list[PlannedRow]:
        return [row for row in self.rows if row.action is action]

    def summary(self) -> str:
        return (
            f"新增 {self.count(RowAction.ADD)} 条,更新 {self.count(RowAction.UPDATE)} 条,"
            f"无变化 {self.count(RowAction.UNCHANGED)} 条,拒绝 {self.count(RowAction.REFUSE)} 条"
        )


@dataclass(slots=True)
class _Cells:
    barcode: str
    name: str
    department: str
    supplier: str
    price: str | None
    status: str


def classify(
    rows: Sequence[Sequence[str]],
    mapping: ColumnMapping,
    existing: Mapping[str, ExistingProduct],
    departments: Iterable[str],
    suppliers: Iterable[str],
) -> ImportPlan:
    """What importing ``rows`` (the whole sheet, header included) into a catalogue holding
    ``existing`` (by barcode) would do. Raises ``UnreadableFileError`` if a required column is
    not mapped."""
    if mapping.missing:
        names = "、".join(f.label for f in mapping.missing)
        raise UnreadableFileError(
            f"找不到{names}列。表头应写“条码”“商品名称”“部门”(或其同义名称),"
            "也可以手工指定各列。"
        )
    known_departments = set(departments)
    known_suppliers = set(suppliers)
    new_departments: dict[str, None] = {}
    new_suppliers: dict[str, None] = {}
    first_line: dict[str, int] = {}
    planned: list[PlannedRow] = []
    columns = [mapping.columns.get(catalog_field) for catalog_field in _CELL_ORDER]
    for index in range(mapping.header_row + 1, len(rows)):
        cells = _cells(rows[index], columns)
        if cells is None:
            continue
        line = index + 1
        row = _plan_row(line, cells, existing, first_line)
        planned.append(row)
        if row.action is RowAction.REFUSE:
            continue
        first_line[row.barcode] = line
        if row.department not in known_departments:
            new_departments[row.department] = None
        if row.supplier and row.supplier not in known_suppliers:
            new_suppliers[row.supplier] = None
    tally = Counter(row.action.value for row in planned)
    return ImportPlan(
        rows=tuple(planned),
        new_departments=tuple(new_departments),
        new_suppliers=tuple(new_suppliers),
        counts={action: tally[action.value] for action in RowAction},
    )


_CELL_ORDER = (
    CatalogField.BARCODE, CatalogField.NAME, CatalogField.DEPARTMENT, CatalogField.SUPPLIER,
    CatalogField.PRICE, CatalogField.STATUS,
)


def _cells(row: Sequence[str], columns: Sequence[int | None]) -> _Cells | None:
    """The mapped cells of one row (``columns`` in ``_CELL_ORDER``), or None for a blank row
    (skipped, not refused)."""
    width = len(row)
    texts = [row[c] if c is not None and c < width else "" for c in columns]
    if not any(text.strip() for text in texts):
        return None
    barcode, name, department, supplier, price, status = texts
    return _Cells(
        barcode=barcode, name=name, department=department, supplier=supplier,
        price=None if columns[4] is None else price, status=status,
    )


def _plan_row(
    line: int, cells: _Cells, existing: Mapping[str, ExistingProduct], first_line: Mapping[str, int]
) -> PlannedRow:
    barcode = normalise_barcode(cells.barcode)
    name = clean_cell(cells.name)
    department = clean_cell(cells.department)
    supplier = clean_cell(cells.supplier)
    active = clean_cell(cells.status) not in STOPPED_WORDS

    def refuse(reason: str) -> PlannedRow:
        return PlannedRow(line, RowAction.REFUSE, barcode or cells.barcode.strip(), name,
                          department, supplier, None, reason)

    problem = barcode_problem(barcode)
    if problem:
        return refuse(problem)
    if barcode in first_line:
        return refuse(f"条码与第 {first_line[barcode]} 行重复(已按第 {first_line[barcode]} 行导入)")
    if not name:
        return refuse("缺少商品名称")
    if len(name) > MAX_PRODUCT_NAME:
        return refuse(f"商品名称太长:最多 {MAX_PRODUCT_NAME} 个字")
    if not department:
        return refuse("缺少部门")
    if len(department) > MAX_DEPARTMENT:
        return refuse(f"部门名称太长:最多 {MAX_DEPARTMENT} 个字")
    if len(supplier) > MAX_SUPPLIER:
        return refuse(f"供应商名称太长:最多 {MAX_SUPPLIER} 个字")
    old = existing.get(barcode)
    price: int | None = None
    if cells.price is not None and (cells.price.strip() or old is None):
        try:
            price = parse_price(cells.price)
        except ValueError as error:
            return refuse(str(error))
    if old is None:
        note = "" if price is not None else "文件没有售价列,售价记为 0"
        return PlannedRow(line, RowAction.ADD, barcode, name, department, supplier,
                          price or 0, note, active=active)
    supplier = supplier or old.supplier
    price = old.price_fen if price is None else price
    changes = _changes(old, name, department, supplier, price, active)
    action = RowAction.UPDATE if changes else RowAction.UNCHANGED
    return PlannedRow(line, action, barcode, name, department, supplier, price,
                      ";".join(changes), old.product_id, active)


def _changes(
    old: ExistingProduct, name: str, department: str, supplier: str, price: int, active: bool
) -> list[str]:
    changes = []
    if name != old.name:
        changes.append(f"名称 {old.name}→{name}")
    if department != old.department:
        changes.append(f"部门 {old.department}→{department}")
    if supplier != old.supplier:
        changes.append(f"供应商 {old.supplier or '无'}→{supplier}")
    if price != old.price_fen:
        changes.append(f"售价 {from_fen(old.price_fen)}→{from_fen(price)}")
    if active and not old.active:
        changes.append("重新启用")
    if old.active and not active:
        changes.append("停用")
    return changes
