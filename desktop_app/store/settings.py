"""Store-wide settings as key/value text."""

from __future__ import annotations

from desktop_app.store.records import SettingRecord


def read_setting(key: str, default: str) -> str:
    record = SettingRecord.get_or_none(SettingRecord.key == key)
    return default if record is None else str(record.value)


def write_setting(key: str, value: str) -> None:
    SettingRecord.insert(key=key, value=value).on_conflict_replace().execute()
