"""Store settings: name on printed reports, department confirmation deadline, the window in
which refunds without a receipt are counted per customer. Every change is in the register."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from desktop_app.domain.accounts import Account
from desktop_app.domain.errors import ConflictError, PermissionDeniedError, ValidationError
from desktop_app.domain.roles import may_administer
from desktop_app.domain.stores import code_mismatch, store_code_problem, store_label
from desktop_app.services import register
from desktop_app.services.unit_of_work import UnitOfWork

DEFAULT_CONFIRMATION_MINUTES = 15
DEFAULT_NO_RECEIPT_WINDOW_DAYS = 30


class SettingsService:
    def __init__(self, db: Any, clock: Callable[[], datetime] = datetime.now) -> None:
        self._db = db
        self._clock = clock

    def store_name(self) -> str:
        with UnitOfWork(self._db):
            return register.read_setting("store_name", "")

    def store_code(self) -> str:
        with UnitOfWork(self._db):
            return register.read_setting("store_code", "")

    def store_label(self) -> str:
        """The store's name with its code, as every report and case sheet prints it."""
        with UnitOfWork(self._db):
            name = register.read_setting("store_name", "")
            code = register.read_setting("store_code", "")
        return store_label(name, code)

    def claim_store_code(self, configured: str) -> None:
        """The code of this PC's settings file: given to a database that has none yet (an entry
        of the app itself), refused (``ConflictError``) for another store's database."""
        if not configured:
            return
        problem = store_code_problem(configured)
        if problem is not None:
            raise ValidationError({"store_code": problem})
        with UnitOfWork(self._db) as uow:
            current = register.read_setting("store_code", "")
            refusal = code_mismatch(current, configured)
            if refusal is not None:
                raise ConflictError(refusal)
            if current:
                return
            register.write_settings(
                {"store_code": configured}, register.SYSTEM, self._clock().replace(microsecond=0)
            )
            uow.commit()

    def confirmation_minutes(self) -> int:
        return self._number("confirmation_minutes", DEFAULT_CONFIRMATION_MINUTES)

    def no_receipt_window_days(self) -> int:
        return self._number("no_receipt_window_days", DEFAULT_NO_RECEIPT_WINDOW_DAYS)

    def _number(self, key: str, default: int) -> int:
        with UnitOfWork(self._db):
            text = register.read_setting(key, str(default))
        return int(text) if text.isdigit() else default

    def update(
        self,
        actor: Account,
        store_name: str,
        confirmation_minutes: int,
        no_receipt_window_days: int | None = None,
    ) -> None:
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
        window = (
            self.no_receipt_window_days() if no_receipt_window_days is None
            else no_receipt_window_days
        )
        if not 1 <= window <= 366:
            errors["no_receipt_window_days"] = "无小票退货累计天数应在 1–366 天之间"
        if errors:
            raise ValidationError(errors)
        with UnitOfWork(self._db) as uow:
            register.write_settings({
                "store_name": name, "confirmation_minutes": str(confirmation_minutes),
                "no_receipt_window_days": str(window),
            }, actor, self._clock().replace(microsecond=0))
            uow.commit()
