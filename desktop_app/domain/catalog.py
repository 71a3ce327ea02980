"""Store master data (门店资料): departments, suppliers, products and staff, and who may edit them.

Entries are never deleted, only disabled, so every old case keeps the names it was registered
with. Names are compared exactly as cleaned here (blanks folded, full-width letters kept), so
"食品部" typed at the desk and "食品部" in an imported file are the same department.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from desktop_app.domain.money import MAX_AMOUNT, format_yuan, normalise_digits, to_fen
from desktop_app.domain.registration import MAX_PRODUCT_NAME
from desktop_app.domain.roles import MANAGER_ROLES, Role
from desktop_app.domain.text import checked_length, clean_line, raise_if_any, require

MAX_DEPARTMENT = 30
MAX_SUPPLIER = 60
MAX_PERSON = 30
MAX_LEADERS = 6

# The duty managers and the store manager look after the lists; the administrator too, since
# on a new store that is usually the store manager's second hat.
EDITOR_ROLES = frozenset(MANAGER_ROLES | {Role.ADMINISTRATOR})

_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_BARCODE = re.compile(r"^\d{6,14}$")
_SCIENTIFIC = re.compile(r"^\d+(\.\d+)?E\+?\d+$", re.IGNORECASE)
_PHONE = re.compile(r"^[0-9+\-() 转]{3,24}$")
_LEADER_SEPARATORS = re.compile(r"[、,,;;/\s]+")
_PRICE = re.compile(r"^\d{1,9}(\.\d+)?$")


def may_edit_catalog(role: Role) -> bool:
    return role in EDITOR_ROLES


# --- single values ---------------------------------------------------------------------------


def clean_cell(text: str) -> str:
    """``clean_line`` with a fast path for the usual cell without control characters: an
    import cleans half a million cells, and the character-by-character check is most of it."""
    if _CONTROLS.search(text):
        return clean_line(text)
    return " ".join(text.split())


def normalise_barcode(text: str) -> str:
    """Digits as scanned: full-width folded, blanks and Excel's text marker (') removed."""
    cleaned = normalise_digits(clean_cell(text)).replace(" ", "")
    cleaned = cleaned.lstrip("'`")
    if cleaned.endswith(".0") and cleaned[:-2].isdigit():
        # A number cell written out by a spreadsheet: 6901234567892.0
        cleaned = cleaned[:-2]
    return cleaned


def barcode_problem(barcode: str) -> str:
    """Why ``barcode`` (already normalised) cannot be a product's barcode; '' when it can."""
    if not barcode:
        return "缺少条码"
    if _SCIENTIFIC.match(barcode):
        return f"条码被 Excel 写成了科学计数法({barcode}),请把条码列设成文本后重新导出"
    if not _BARCODE.match(barcode):
        return f"条码格式不对({barcode}):应为 6–14 位数字"
    return ""


def parse_price(text: str) -> int:
    """Yuan as typed or exported (``¥3.50``, ``３．５``, ``1,299.00元``) → fen.

    Extra zeros after the fen are accepted (``3.500``); a real third decimal is refused.
    Raises ``ValueError`` with a Chinese message.
    """
    cleaned = normalise_digits(clean_cell(text)).replace(",", "").replace("元", "").strip()
    if not cleaned:
        raise ValueError("缺少售价")
    if cleaned.startswith("-"):
        raise ValueError(f"售价不能为负数({text.strip()})")
    if not _PRICE.match(cleaned):
        raise ValueError(f"售价格式不对({text.strip()}):只能是数字,最多两位小数")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the pattern already rules this out
        raise ValueError(f"售价格式不对({text.strip()})") from None
    if amount > MAX_AMOUNT:
        raise ValueError(f"售价不能超过 {format_yuan(MAX_AMOUNT)}")
    try:
        return to_fen(amount)
    except ValueError:
        raise ValueError(f"售价最多两位小数({text.strip()})") from None


def phone_problem(phone: str) -> str:
    if phone and not _PHONE.match(phone):
        return "电话只能写数字、“-”和分机“转”,如 0571-88886666 转 8021"
    return ""


def split_leaders(text: str) -> tuple[str, ...]:
    """``"李明、王芳 赵强"`` → ``("李明", "王芳", "赵强")``, in the order written, no repeats."""
    names = [clean_line(part) for part in _LEADER_SEPARATORS.split(clean_line(text))]
    return tuple(dict.fromkeys(name for name in names if name))


# --- the four lists ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DepartmentDraft:
    name: str
    leaders: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Department:
    name: str
    leaders: tuple[str, ...]
    phone: str

    @property
    def leaders_text(self) -> str:
        return "、".join(self.leaders)


def validate_department(draft: DepartmentDraft) -> Department:
    errors: dict[str, str] = {}
    name = _name(draft.name, "name", "部门名称", MAX_DEPARTMENT, errors)
    leaders = split_leaders(draft.leaders)
    if len(leaders) > MAX_LEADERS:
        errors["leaders"] = f"班长最多填 {MAX_LEADERS} 位"
    for leader in leaders:
        if len(leader) > MAX_PERSON:
            errors["leaders"] = f"班长姓名太长:{leader[:10]}…"
    phone = _phone(draft.phone, errors)
    raise_if_any(errors)
    return Department(name=name, leaders=leaders, phone=phone)


@dataclass(frozen=True)
class SupplierDraft:
    name: str
    contact: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Supplier:
    name: str
    contact: str
    phone: str


def validate_supplier(draft: SupplierDraft) -> Supplier:
    errors: dict[str, str] = {}
    name = _name(draft.name, "name", "供应商名称", MAX_SUPPLIER, errors)
    contact = checked_length(clean_line(draft.contact), "contact", "联系人", MAX_PERSON, errors)
    phone = _phone(draft.phone, errors)
    raise_if_any(errors)
    return Supplier(name=name, contact=contact, phone=phone)


@dataclass(frozen=True)
class ProductDraft:
    barcode: str
    name: str
    department: str
    supplier: str
    price: str


@dataclass(frozen=True)
class Product:
    barcode: str
    name: str
    department: str
    supplier: str
    price_fen: int


def validate_product(draft: ProductDraft) -> Product:
    errors: dict[str, str] = {}
    barcode = normalise_barcode(draft.barcode)
    problem = barcode_problem(barcode)
    if problem:
        errors["barcode"] = problem
    name = _name(draft.name, "name", "商品名称", MAX_PRODUCT_NAME, errors)
    department = clean_line(draft.department)
    require(department, "department", "部门", errors)
    supplier = checked_length(
        clean_line(draft.supplier), "supplier", "供应商", MAX_SUPPLIER, errors
    )
    price = 0
    try:
        price = parse_price(draft.price)
    except ValueError as error:
        errors["price"] = str(error)
    raise_if_any(errors)
    return Product(
        barcode=barcode, name=name, department=department, supplier=supplier, price_fen=price
    )


@dataclass(frozen=True)
class StaffDraft:
    name: str
    department: str = ""
    account_id: int | None = None


@dataclass(frozen=True)
class StaffMember:
    name: str
    department: str
    account_id: int | None


def validate_staff(draft: StaffDraft) -> StaffMember:
    errors: dict[str, str] = {}
    name = _name(draft.name, "name", "员工姓名", MAX_PERSON, errors)
    department = clean_line(draft.department)
    raise_if_any(errors)
    return StaffMember(name=name, department=department, account_id=draft.account_id)


def _name(text: str, field: str, label: str, limit: int, errors: dict[str, str]) -> str:
    name = clean_line(text)
    require(name, field, label, errors)
    return checked_length(name, field, label, limit, errors)


def _phone(text: str, errors: dict[str, str]) -> str:
    phone = normalise_digits(clean_line(text))
    problem = phone_problem(phone)
    if problem:
        errors["phone"] = problem
    return phone


def duplicate_message(label: str, name: str) -> str:
    return f"已有名为“{name}”的{label}(停用的也保留名称),请换一个名称"


def active_label(active: object) -> str:
    """An entry of the lists in use or disabled, as every list and the exported file say it."""
    return "在用" if active else "已停用"
