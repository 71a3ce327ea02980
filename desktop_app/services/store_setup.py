"""The new store's set-up after the first account: what is done, saving each step, skipping."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from desktop_app.domain import store_setup as rules
from desktop_app.domain.accounts import Account
from desktop_app.domain.errors import PermissionDeniedError
from desktop_app.domain.roles import may_administer
from desktop_app.services import register
from desktop_app.services.register import read_setting
from desktop_app.services.settings import SettingsService
from desktop_app.services.unit_of_work import UnitOfWork
from desktop_app.store import catalog as catalog_store

STATE_KEY = "setup_state"
DEADLINE_KEY = "setup_deadline_confirmed"


class StoreSetupService:
    def __init__(
        self, db: Any, settings: SettingsService, clock: Callable[[], datetime] = datetime.now
    ) -> None:
        self._db = db
        self._settings = settings
        self._clock = clock

    def facts(self) -> rules.SetupFacts:
        with UnitOfWork(self._db):
            return rules.SetupFacts(
                store_name=read_setting("store_name", ""),
                department_count=len(catalog_store.department_rows()),
                deadline_confirmed=read_setting(DEADLINE_KEY, "") == "1",
                state=rules.SetupState.of(read_setting(STATE_KEY, "")),
            )

    def should_offer_at_login(self, actor: Account) -> bool:
        return rules.should_offer_at_login(self.facts(), actor.role)

    def save_store_name(self, actor: Account, store_name: str) -> None:
        self._settings.update(actor, store_name, self._settings.confirmation_minutes())

    def confirm_deadline(self, actor: Account, minutes: int) -> None:
        """The deadline the store chose; until then the default of 15 minutes applies."""
        self._settings.update(actor, self._settings.store_name(), minutes)
        self._write(actor, DEADLINE_KEY, "1")

    def finish(self, actor: Account) -> rules.SetupState:
        """完成: done if every step is, otherwise the open steps count as skipped."""
        state = rules.state_after_finish(self.facts())
        self._write(actor, STATE_KEY, state.value)
        return state

    def skip(self, actor: Account) -> None:
        if self.facts().state is not rules.SetupState.DONE:
            self._write(actor, STATE_KEY, rules.SetupState.SKIPPED.value)

    def _write(self, actor: Account, key: str, value: str) -> None:
        if not may_administer(actor.role):
            raise PermissionDeniedError("只有店长或系统管理员可以进行开店设置")
        with UnitOfWork(self._db) as uow:
            register.write_settings({key: value}, actor, self._clock().replace(microsecond=0))
            uow.commit()
