"""Store settings: name on printed reports, department confirmation deadline."""

from __future__ import annotations

from typing import Any

from desktop_app.domain.accounts import Account
from desktop_app.domain.errors import PermissionDeniedError, ValidationError
from desktop_app.domain.roles import may_administer
from desktop_app.services.unit_of_work import UnitOfWork
from desktop_app.store.settings import read_setting, write_setting

DEFAULT_CONFIRMATION_MINUTES = 15


class SettingsService:
    def __init__(self, db: Any) -> None:
        self._db = db

    def store_name(self) -> str:
        with UnitOfWork(self._db):
            return read_setting("store_name", "")

    def confirmation_minutes(self) -> int:
        with UnitOfWork(self._db):
            return int(read_setting("confirmation_minutes", str(DEFAULT_CONFIRMATION_MINUTES)))

    def update(self, actor: Account, store_name: str, confirmation_minutes: int) -> None:
        if not may_administer(actor.role):
            raise PermissionDeniedError("只有店长或系统管理员可以修改门店设置")
        errors: dict[str, str] = {}
        name = store_name.strip()
        if not name:
            errors["store_name"] = "请填写门店名称"
        elif len(name) > 40:
            errors["store_name"] = "门店名称不能超过 40 个字"
        if not 1 <= confirmation_minutes <= 240:
            errors["confirmation_minutes"] = "部门到场确认时限应在 1–240 分钟之间"
        if errors:
            raise ValidationError(errors)
        with UnitOfWork(self._db) as uow:
            write_setting("store_name", name)
            write_setting("confirmation_minutes", str(confirmation_minutes))
            uow.commit()
