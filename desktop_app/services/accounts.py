"""Account use cases: first run, login, signing identity, and the administrator's screen."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cache
from typing import Any

from desktop_app.domain import accounts as rules
from desktop_app.domain.accounts import Account
from desktop_app.domain.errors import (
    AccountLockedError,
    AuthenticationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from desktop_app.domain.passwords import hash_password, verify_password
from desktop_app.domain.roles import ADMINISTERING_ROLES, Role, may_administer
from desktop_app.services.unit_of_work import UnitOfWork
from desktop_app.store import accounts as store
from desktop_app.store.settings import write_setting

Clock = Callable[[], datetime]
WRONG_CREDENTIALS = "用户名或密码不正确"


@cache
def _dummy_hash() -> str:
    """Checked against for unknown user names, so they cost as much time as a wrong password."""
    return hash_password("not-a-real-password")


class AccountService:
    def __init__(self, db: Any, clock: Clock = datetime.now) -> None:
        self._db = db
        self._clock = clock

    def needs_first_run(self) -> bool:
        with UnitOfWork(self._db):
            return store.count_users() == 0

    def create_first_store_manager(
        self, store_name: str, username: str, display_name: str, password: str, confirm: str
    ) -> Account:
        """The very first account: the store manager, who also administers the app."""
        errors = {} if store_name.strip() else {"store_name": "请填写门店名称"}
        try:
            rules.validate_new_account(username, display_name, password, confirm)
        except ValidationError as error:
            errors.update(error.field_errors)
        if errors:
            raise ValidationError(errors)
        with UnitOfWork(self._db) as uow:
            if store.count_users() > 0:
                raise ConflictError("店长账户已经建立,请直接登录")
            write_setting("store_name", store_name.strip())
            account = self._insert(None, username, display_name, Role.STORE_MANAGER, password)
            uow.commit()
        return account

    def authenticate(self, username: str, password: str, purpose: str = "login") -> Account:
        """Check a password; count failures and lock after five. Used for login and signing."""
        now = self._clock()
        name = rules.normalise_username(username)
        failure: Exception | None = None
        with UnitOfWork(self._db) as uow:
            user = store.find_by_username(name)
            if user is None:
                verify_password(password, _dummy_hash())
                raise AuthenticationError(WRONG_CREDENTIALS)
            state = store.login_state(user)
            if rules.is_locked(state, now):
                raise AccountLockedError(self._locked_message(state, now), state.locked_until)
            if not user.active:
                raise AuthenticationError("该账户已停用,请联系管理员")
            if verify_password(password, user.password_hash):
                store.save_login_state(user, rules.after_successful_login())
                store.record_event(now, purpose, user.username, user)
            else:
                failure = self._count_failure(user, state, now)
            # The failure count must be saved too, so commit before raising.
            uow.commit()
        if failure is not None:
            raise failure
        return store.to_account(user)

    def list_accounts(self) -> list[Account]:
        with UnitOfWork(self._db):
            return store.list_accounts()

    def create_account(
        self,
        actor: Account,
        username: str,
        display_name: str,
        role: Role,
        password: str,
        confirm: str,
    ) -> Account:
        self._require_admin(actor)
        rules.validate_new_account(username, display_name, password, confirm)
        with UnitOfWork(self._db) as uow:
            if store.find_by_username(rules.normalise_username(username)) is not None:
                raise ValidationError({"username": "该用户名已被使用(停用的账户也保留用户名)"})
            account = self._insert(actor, username, display_name, role, password)
            uow.commit()
        return account

    def change_role(self, actor: Account, user_id: int, role: Role) -> Account:
        self._require_admin(actor)
        with UnitOfWork(self._db) as uow:
            user = self._user(user_id)
            old = Role(user.role)
            if old in ADMINISTERING_ROLES and role not in ADMINISTERING_ROLES:
                self._keep_one_administrator(user_id)
            user.role = role.value
            user.save()
            store.record_event(
                self._clock(),
                "role_changed",
                user.username,
                user,
                actor.id,
                f"{old.value}→{role.value}",
            )
            uow.commit()
            return store.to_account(user)

    def set_active(self, actor: Account, user_id: int, active: bool) -> Account:
        """Disable or re-enable; accounts are never deleted so history keeps its names."""
        self._require_admin(actor)
        if not active and user_id == actor.id:
            raise ConflictError("不能停用自己正在使用的账户")
        with UnitOfWork(self._db) as uow:
            user = self._user(user_id)
            if not active and Role(user.role) in ADMINISTERING_ROLES:
                self._keep_one_administrator(user_id)
            user.active = active
            user.save()
            event = "enabled" if active else "disabled"
            store.record_event(self._clock(), event, user.username, user, actor.id)
            uow.commit()
            return store.to_account(user)

    def reset_password(self, actor: Account, user_id: int, password: str, confirm: str) -> None:
        self._require_admin(actor)
        rules.validate_new_password(password, confirm)
        with UnitOfWork(self._db) as uow:
            user = self._user(user_id)
            user.password_hash = hash_password(password)
            user.save()
            store.save_login_state(user, rules.after_successful_login())
            store.record_event(self._clock(), "password_reset", user.username, user, actor.id)
            uow.commit()

    def unlock(self, actor: Account, user_id: int) -> None:
        self._require_admin(actor)
        with UnitOfWork(self._db) as uow:
            user = self._user(user_id)
            store.save_login_state(user, rules.after_successful_login())
            store.record_event(self._clock(), "unlocked", user.username, user, actor.id)
            uow.commit()

    def change_own_password(self, actor: Account, old: str, new: str, confirm: str) -> None:
        self.authenticate(actor.username, old)
        rules.validate_new_password(new, confirm)
        with UnitOfWork(self._db) as uow:
            user = self._user(actor.id)
            user.password_hash = hash_password(new)
            user.save()
            store.record_event(self._clock(), "password_changed", user.username, user, actor.id)
            uow.commit()

    def _insert(
        self, actor: Account | None, username: str, display_name: str, role: Role, password: str
    ) -> Account:
        now = self._clock()
        name = rules.normalise_username(username)
        user = store.insert_user(name, display_name.strip(), role, hash_password(password), now)
        store.record_event(
            now, "created", user.username, user, actor.id if actor else None, role.value
        )
        return store.to_account(user)

    def _count_failure(self, user: Any, state: rules.LoginState, now: datetime) -> Exception:
        new_state = rules.after_failed_login(state, now)
        store.save_login_state(user, new_state)
        if rules.is_locked(new_state, now):
            store.record_event(now, "locked", user.username, user)
            return AccountLockedError(self._locked_message(new_state, now), new_state.locked_until)
        store.record_event(now, "login_failed", user.username, user)
        left = rules.MAX_FAILED_LOGINS - new_state.failed_logins
        return AuthenticationError(f"{WRONG_CREDENTIALS}(再错 {left} 次将锁定 5 分钟)")

    @staticmethod
    def _locked_message(state: rules.LoginState, now: datetime) -> str:
        minutes = rules.minutes_left(state, now)
        return f"密码连续输错 {rules.MAX_FAILED_LOGINS} 次,账户已锁定,请 {minutes} 分钟后再试"

    @staticmethod
    def _require_admin(actor: Account) -> None:
        if not may_administer(actor.role):
            raise PermissionDeniedError("只有店长或系统管理员可以管理账户")

    @staticmethod
    def _user(user_id: int) -> Any:
        user = store.get_user(user_id)
        if user is None:
            raise NotFoundError("找不到该账户")
        return user

    @staticmethod
    def _keep_one_administrator(user_id: int) -> None:
        if store.count_active_with_roles(ADMINISTERING_ROLES) <= 1:
            raise ConflictError("至少要保留一个启用的店长或系统管理员账户")
