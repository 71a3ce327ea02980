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

The encoding and layout are decided in catalog_encoding, the columns in
catalog_columns; their names are offered here too.
"""

from __future__ import annotations

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
from desktop_app.domain.catalog_columns import (
    HEADER_SEARCH_ROWS,
    HEADER_SYNONYMS,
    REQUIRED_FIELDS,
    CatalogField,
    ColumnMapping,
    choose_columns,
    column_letter,
    column_named,
    columns_in,
    find_columns,
    match_header,
    normalise_header,
)
from desktop_app.domain.catalog_encoding import (
    ENCODING_LABELS,
    ENCODING_SAMPLE,
    UnreadableFileError,
    detect_encoding,
    guess_delimiter,
    plausibility,
)
from desktop_app.domain.money import from_fen
from desktop_app.domain.registration import MAX_PRODUCT_NAME

__all__ = [
    "ENCODING_LABELS", "ENCODING_SAMPLE", "HEADER_SEARCH_ROWS", "HEADER_SYNONYMS",
    "REQUIRED_FIELDS", "STOPPED_WORDS", "CatalogField", "ColumnMapping", "ExistingProduct",
    "ImportPlan", "PlannedRow", "RowAction", "UnreadableFileError", "choose_columns",
    "classify", "column_letter", "column_named", "columns_in", "detect_encoding",
    "find_columns", "guess_delimiter", "match_header", "normalise_header", "plausibility",
]

# A status cell that means "no longer sold"; anything else (or no status column) means on sale.
STOPPED_WORDS = frozenset({"已停用", "停用", "停售", "已停售", "淘汰", "已淘汰", "禁用", "否", "0"})


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
