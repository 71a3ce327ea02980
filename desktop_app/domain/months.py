"""A calendar month as the reports and ledgers count it: from the first day 00:00:00 to the
last day 23:59:59, and how far a month not yet over has data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from desktop_app.domain.errors import ValidationError


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        """``2026-10`` (also ``2026/10``, ``202610``); ``ValidationError`` otherwise."""
        cleaned = text.strip().replace("/", "-")
        if "-" not in cleaned and len(cleaned) == 6:
            cleaned = f"{cleaned[:4]}-{cleaned[4:]}"
        try:
            year_text, month_text = cleaned.split("-")
            month = cls(int(year_text), int(month_text))
        except ValueError:
            raise ValidationError({"month": "月份格式应为 2026-10"}) from None
        if not 1 <= month.month <= 12 or not 2000 <= month.year <= 9999:
            raise ValidationError({"month": "月份格式应为 2026-10"})
        return month

    @classmethod
    def before(cls, day: date) -> Month:
        """The month before ``day``'s month: the one reported at month end."""
        return cls.of(day).shifted(-1)

    @classmethod
    def of(cls, moment: date) -> Month:
        return cls(moment.year, moment.month)

    def shifted(self, months: int) -> Month:
        """The month ``months`` later (earlier when negative)."""
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)

    @property
    def previous(self) -> Month:
        return self.shifted(-1)

    @property
    def start(self) -> datetime:
        return datetime(self.year, self.month, 1)

    @property
    def end(self) -> datetime:
        """The first moment of the next month (exclusive)."""
        return self.shifted(1).start

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    @property
    def short_label(self) -> str:
        return f"{self.year % 100:02d}/{self.month:02d}"

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def data_cutoff(month: Month, now: datetime) -> datetime | None:
    """The moment the figures of a month not yet over run to (``None`` once the month is over):
    printed as 「本月未结束,数据截至 …」."""
    return None if now >= month.end else now.replace(microsecond=0)
