"""Dates and times as SQLite hands them back (text, or already converted), read one way."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any


def as_datetime(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def as_optional(value: Any) -> datetime | None:
    return None if value in (None, "") else as_datetime(value)


def as_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
