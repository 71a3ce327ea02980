"""Customers' personal data at the desk: how long it is kept, who sees a phone in full, and
what an erasure writes.

个人信息保护法 art. 19 asks for the shortest retention the purpose needs; art. 47 for deletion
once the purpose is fulfilled or the retention period has passed, and on the person's request.
A customer's name and phone serve handling the complaint, answering and following it up; once
the case is closed they are kept for a store-set period (a later claim, a repeat complaint, the
food records rule below) and then erased. The register keeps what happened: the chain holds only
salted commitments of the two values, so erasing them (and the salt) leaves it verifiable.

Food: 食品安全法 art. 50 keeps food records until six months after the shelf life ends (two
years where no shelf life is given). The desk does not know a product's shelf life (the
catalogue has none) nor whether a product is food, so every complaint about a product, and every
food-safety complaint, is kept for the store's longest shelf life plus six months, and never less
than the general period: keeping a non-food complaint six months longer is the smaller mistake.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from desktop_app.domain.cases import CaseStatus, Category, Subject, is_open
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.register import ERASED
from desktop_app.domain.roles import MANAGER_ROLES, Role
from desktop_app.domain.text import clean_block

DEFAULT_RETENTION_MONTHS = 24
DEFAULT_FOOD_SHELF_LIFE_MONTHS = 24
FOOD_EXTRA_MONTHS = 6
# At least 13 months: refunds without a receipt are counted per customer (by phone) over a
# window of up to 366 days (refund_policy), which needs the phone for that long.
RETENTION_MONTHS_RANGE = (13, 120)
SHELF_LIFE_MONTHS_RANGE = (0, 60)
MAX_REASON = 200

# Setting keys (the register's settings entity).
RETENTION_KEY = "personal_retention_months"
SHELF_LIFE_KEY = "food_shelf_life_months"

# A store query for cases that may be due is widened by this much, so that month-end clamping
# (31 January + 1 month = 28 February) never hides a due case; the rule below decides exactly.
CANDIDATE_MARGIN_DAYS = 4


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole calendar months; the 31st becomes the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def is_food_case(subject: Subject, category: Category) -> bool:
    """Kept for the food period: any product complaint (it may be food), any food complaint."""
    return category is Category.FOOD_SAFETY or subject is Subject.PRODUCT


@dataclass(frozen=True)
class RetentionPolicy:
    """How long a closed case keeps its customer's name and phone."""

    months: int = DEFAULT_RETENTION_MONTHS
    food_shelf_life_months: int = DEFAULT_FOOD_SHELF_LIFE_MONTHS

    @property
    def food_months(self) -> int:
        return max(self.months, self.food_shelf_life_months + FOOD_EXTRA_MONTHS)

    def months_for(self, subject: Subject, category: Category) -> int:
        return self.food_months if is_food_case(subject, category) else self.months

    def erase_on(self, closed: date, subject: Subject, category: Category) -> date:
        """The first day on which the case's personal data is past its period."""
        return add_months(closed, self.months_for(subject, category))

    def is_due(
        self, status: CaseStatus, closed: date | None, subject: Subject, category: Category,
        today: date,
    ) -> bool:
        if closed is None or is_open(status):
            return False
        return self.erase_on(closed, subject, category) <= today

    def candidates_closed_before(self, today: date) -> date:
        """Every due case was closed before this day (a store query's cheap bound)."""
        shortest = min(self.months, self.food_months)
        return add_months(today, -shortest) + timedelta(days=CANDIDATE_MARGIN_DAYS)

    def describe(self) -> str:
        return (
            f"结案后保留 {self.months} 个月;商品和食品类投诉保留 {self.food_months} 个月"
            f"(最长保质期 {self.food_shelf_life_months} 个月 + {FOOD_EXTRA_MONTHS} 个月)"
        )


def validated_policy(months: int, food_shelf_life_months: int) -> RetentionPolicy:
    errors: dict[str, str] = {}
    low, high = RETENTION_MONTHS_RANGE
    if not low <= months <= high:
        errors["retention_months"] = f"个人信息保留期限应在 {low}–{high} 个月之间"
    low, high = SHELF_LIFE_MONTHS_RANGE
    if not low <= food_shelf_life_months <= high:
        errors["food_shelf_life_months"] = f"最长保质期应在 {low}–{high} 个月之间"
    if errors:
        raise ValidationError(errors)
    return RetentionPolicy(months, food_shelf_life_months)


def policy_from_settings(settings: dict[str, str]) -> RetentionPolicy:
    """The stored policy; a missing or unreadable value falls back to its default."""
    def number(key: str, default: int, bounds: tuple[int, int]) -> int:
        text = settings.get(key, "")
        if text.isdigit() and bounds[0] <= int(text) <= bounds[1]:
            return int(text)
        return default

    return RetentionPolicy(
        number(RETENTION_KEY, DEFAULT_RETENTION_MONTHS, RETENTION_MONTHS_RANGE),
        number(SHELF_LIFE_KEY, DEFAULT_FOOD_SHELF_LIFE_MONTHS, SHELF_LIFE_MONTHS_RANGE),
    )


# --- erasing -----------------------------------------------------------------------------------


def erased_values(customer_name: str, customer_phone: str) -> dict[str, str]:
    """What an erasure writes: the marker where there was a value, empty stays empty, and no
    salt (the chain's commitments can then never be checked against a guess)."""
    return {
        "customer_name": ERASED if customer_name else "",
        "customer_phone": ERASED if customer_phone else "",
        "personal_salt": "",
    }


def is_erased(personal_salt: str, customer_name: str, customer_phone: str) -> bool:
    return not personal_salt and customer_name in ("", ERASED) and customer_phone in ("", ERASED)


def erasure_reason(text: str) -> str:
    """A request's reason as recorded: required, one block of plain text, bounded."""
    reason = clean_block(text)
    if not reason:
        raise ValidationError({"reason": "请写明删除原因(如顾客书面申请的编号和日期)"})
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": f"删除原因不能超过 {MAX_REASON} 个字"})
    return reason


def may_erase_on_request(role: Role) -> bool:
    """Managers act on a customer's request (个人信息保护法 art. 47, the person's right)."""
    return role in MANAGER_ROLES


def may_see_full_phone(role: Role) -> bool:
    """Whoever else works from the queue sees a masked phone; the case itself shows it whole."""
    return role in MANAGER_ROLES


# --- masking -----------------------------------------------------------------------------------


def mask_phone(phone: str) -> str:
    """138****5678: the first three and last four digits stay, the middle is starred.

    A short number keeps its last four digits only; the marker and the empty text are shown as
    they are. Characters other than digits (a dash) stay in place."""
    if phone in ("", ERASED):
        return phone
    digits = [index for index, char in enumerate(phone) if char.isdigit()]
    count = len(digits)
    if count >= 8:
        hidden = digits[3:-4]
    elif count >= 5:
        hidden = digits[:-4]
    else:
        hidden = digits
    chars = list(phone)
    for index in hidden:
        chars[index] = "*"
    return "".join(chars)


# Mobile numbers (1 + 10 digits) and area-coded landlines (0 + 2-3 digits, a dash or not,
# 7-8 digits) written into free text, not inside a longer run of digits (a receipt number).
_PHONE_IN_TEXT = re.compile(r"(?<![0-9])(?:1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})(?![0-9])")


def mask_phones_in_text(text: str) -> str:
    """Free text as printed: every phone number in it masked like ``mask_phone``."""
    return _PHONE_IN_TEXT.sub(lambda match: mask_phone(match.group(0)), text)


def mentions(text: str, customer_name: str, customer_phone: str) -> bool:
    """Whether free text names the customer (their name of two or more characters) or holds
    their phone number: such text is in the chain and cannot be erased with the case's fields."""
    named = customer_name != ERASED and len(customer_name) >= 2 and customer_name in text
    phoned = customer_phone not in ("", ERASED) and customer_phone in text
    return named or phoned
