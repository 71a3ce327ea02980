"""Account use cases: first run, login, signing identity, and the administrator's screen.

Every account change — creation, role, password set or reset, disable/enable, unlock, lockout —
and every login is an entry in the register, so an account cannot be changed silently.
"""

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
from desktop_app.domain.roles import (
    ADMINISTERING_ROLES,
    Role,
    account_change_refusal,
    password_reset_refusal,
)
from desktop_app.services import register
from desktop_app.services.unit_of_work import UnitOfWork
from desktop_app.store import accounts as store
from desktop_app.store.accounts import StoredUser

Clock = Callable[[], datetime]
WRONG_CREDENTIALS = "用户名或密码不正确"
NO_PASSWORD = "请输入密码"
MUST_CHANGE_TO_SIGN = "该账户的密码是别人设置的,须本人登录并修改密码后才能签批"


@cache
def _dummy_hash() -> str:
    """Checked against for unknown user names, so they cost as much time as a wrong password."""
    return hash_password("not-a-real-password")


class AccountService:
    def __init__(self, db: Any, clock: Clock = datetime.now) -> None:
        self._db = db
        self._clock = clock

    def now(self) -> datetime:
        return self._clock().replace(microsecond=0)

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
        now = self.now()
        with UnitOfWork(self._db) as uow:
            if store.count_users() > 0:
                raise ConflictError("店长账户已经建立,请直接登录")
            account = self._insert(
                None, username, display_name, Role.STORE_MANAGER, password, now, own=True
            )
            register.write_settings({"store_name": store_name.strip()}, account, now)
            uow.commit()
        return account

    def authenticate(self, username: str, password: str, purpose: str = "login") -> Account:
        """Check a password; count failures and lock after five. Used for login and signing.

        Signing also needs a password the owner chose: one set by someone else must first be
        changed at the owner's own login."""
        if not password:
            # Enter pressed before typing it is no guess: five such presses locked a manager
            # out of signing for five minutes.
            raise AuthenticationError(NO_PASSWORD)
        now = self.now()
        name = rules.normalise_username(username)
        failure: Exception | None = None
        with UnitOfWork(self._db) as uow:
            user = store.find_by_username(name)
            if user is None:
                verify_password(password, _dummy_hash())
                raise AuthenticationError(WRONG_CREDENTIALS)
            if rules.is_locked(user.login_state, now):
                raise AccountLockedError(
                    self._locked_message(user.login_state, now), user.locked_until
                )
            if not user.active:
                raise AuthenticationError("该账户已停用,请联系管理员")
            if verify_password(password, user.password_hash):
                self._set_login_state(user, rules.after_successful_login(), purpose, now)
            else:
                failure = self._count_failure(user, now)
            # The failure count must be saved too, so commit before raising.
            uow.commit()
            account = self._account(user.id)
        if failure is not None:
            raise failure
        if purpose == "sign" and account.must_change_password:
            raise PermissionDeniedError(MUST_CHANGE_TO_SIGN)
        return account

    def provision_head_office(
        self, username: str, display_name: str, password: str, confirm: str
    ) -> Account:
        """Head office's account, created (or, when the user name exists, given a new password)
        by head office's own administrator from the command line on the server; never by an
        account of the store (roles.HEAD_OFFICE_PROVISIONED). The password is the owner's: the
        administrator types it with head office's signer beside him."""
        rules.validate_new_account(username, display_name, password, confirm)
        now = self.now()
        with UnitOfWork(self._db) as uow:
            found = store.find_by_username(rules.normalise_username(username))
            if found is None:
                account = self._insert(None, username, display_name, Role.HEAD_OFFICE, password,
                                       now, own=True)
            elif found.role is not Role.HEAD_OFFICE:
                raise ConflictError(f"用户名 {found.username} 已是门店的账户,不能用作集团账户")
            else:
                register.change("user", found.id, {
                    "password_hash": hash_password(password), "failed_logins": 0,
                    "locked_until": None, "must_change_password": False, "active": True,
                }, register.SYSTEM, "head_office_provisioned", now, before=_row(found))
                account = self._account(found.id)
            uow.commit()
        return account

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
        rules.validate_new_account(username, display_name, password, confirm)
        now = self.now()
        with UnitOfWork(self._db) as uow:
            self._refuse_unless_allowed(actor, None, role)
            if store.find_by_username(rules.normalise_username(username)) is not None:
                raise ValidationError({"username": "该用户名已被使用(停用的账户也保留用户名)"})
            account = self._insert(actor, username, display_name, role, password, now)
            uow.commit()
        return account

    def change_role(self, actor: Account, user_id: int, role: Role) -> Account:
        with UnitOfWork(self._db) as uow:
            user = self._user(user_id)
            self._refuse_unless_allowed(actor, user, role)
            if user.role in ADMINISTERING_ROLES and role not in ADMINISTERING_ROLES:
                self._keep_one_administrator(user_id)
            self._change(user, {"role": role.value}, actor, "role_changed")
            uow.commit()
        return self._account(user_id)

    def set_active(self, actor: Account, user_id: int, active: bool) -> Account:
        """Disable or re-enable; accounts are never deleted so history keeps its names."""
        if not active and user_id == actor.id:
            raise ConflictError("不能停用自己正在使用的账户")
        with UnitOfWork(self._db) as uow:
            user = self._user(user_id)
            self._refuse_unless_allowed(actor, user)
            if not active and user.role in ADMINISTERING_ROLES:
                self._keep_one_administrator(user_id)
            self._change(user, {"active": active}, actor, "enabled" if active else "disabled")
            uow.commit()
        return self._account(user_id)

    def reset_password(self, actor: Account, user_id: int, password: str, confirm: str) -> None:
        """A password chosen by someone else: the owner must change it before signing."""
        refusal = password_reset_refusal(on_self=user_id == actor.id)
        if refusal is not None:
            raise PermissionDeniedError(refusal)
        rules.validate_new_password(password, confirm)
        with UnitOfWork(self._db) as uow:
            user = self._user(user_id)
            self._refuse_unless_allowed(actor, user)
            changes = {
                "password_hash": hash_password(password), "failed_logins": 0,
                "locked_until": None, "must_change_password": True,
            }
            self._change(user, changes, actor, "password_reset")
            uow.commit()

    def unlock(self, actor: Account, user_id: int) -> None:
        with UnitOfWork(self._db) as uow:
            user = self._user(user_id)
            self._refuse_unless_allowed(actor, user)
            self._change(user, {"failed_logins": 0, "locked_until": None}, actor, "unlocked")
            uow.commit()

    def change_own_password(self, actor: Account, old: str, new: str, confirm: str) -> Account:
        """The owner chooses their own password (required after a reset before signing)."""
        rules.validate_new_password(new, confirm)
        if new == old:
            raise ValidationError({"password": "新密码不能与原密码相同"})
        self.authenticate(actor.username, old, purpose="change_password")
        with UnitOfWork(self._db) as uow:
            user = self._user(actor.id)
            changes = {"password_hash": hash_password(new), "must_change_password": False}
            self._change(user, changes, actor, "password_changed")
            uow.commit()
        return self._account(actor.id)

    def account_changes(self, start: datetime, end: datetime) -> list[rules.AccountChange]:
        """Every account change in [start, end), for the month's report package."""
        with UnitOfWork(self._db):
            return register.account_changes(start, end)

    # --- helpers ----------------------------------------------------------------------------

    def _insert(
        self,
        actor: Account | None,
        username: str,
        display_name: str,
        role: Role,
        password: str,
        now: datetime,
        own: bool = False,
    ) -> Account:
        values = {
            "username": rules.normalise_username(username),
            "display_name": display_name.strip(), "role": role.value,
            "password_hash": hash_password(password), "active": True, "failed_logins": 0,
            "locked_until": None, "created_at": now, "must_change_password": not own,
        }
        user_id = register.create("user", values, actor, "created", now)
        return self._account(user_id)

    def _set_login_state(
        self, user: StoredUser, state: rules.LoginState, purpose: str, now: datetime
    ) -> None:
        changes = {"failed_logins": state.failed_logins, "locked_until": state.locked_until}
        register.change(
            "user", user.id, changes, user.as_account(), purpose, now,
            before=_row(user), remarks={"purpose": purpose},
        )

    def _count_failure(self, user: StoredUser, now: datetime) -> Exception:
        new_state = rules.after_failed_login(user.login_state, now)
        locked = rules.is_locked(new_state, now)
        changes = {"failed_logins": new_state.failed_logins, "locked_until": new_state.locked_until}
        action = "locked" if locked else "login_failed"
        register.change("user", user.id, changes, register.SYSTEM, action, now, before=_row(user))
        if locked:
            return AccountLockedError(self._locked_message(new_state, now), new_state.locked_until)
        left = rules.MAX_FAILED_LOGINS - new_state.failed_logins
        return AuthenticationError(f"{WRONG_CREDENTIALS}(再错 {left} 次将锁定 5 分钟)")

    def _change(
        self, user: StoredUser, changes: dict[str, Any], actor: Account, action: str
    ) -> None:
        # An administrator's action is recorded even when it changes no value (an unlock of an
        # account that was not locked), so the month's list shows every attempt.
        register.change("user", user.id, changes, actor, action, self.now(), before=_row(user),
                        remarks={"by": actor.username})

    @staticmethod
    def _locked_message(state: rules.LoginState, now: datetime) -> str:
        minutes = rules.minutes_left(state, now)
        return f"密码连续输错 {rules.MAX_FAILED_LOGINS} 次,账户已锁定,请 {minutes} 分钟后再试"

    @staticmethod
    def _refuse_unless_allowed(
        actor: Account, target: StoredUser | None, new_role: Role | None = None
    ) -> None:
        """Call inside the unit of work: the actor's role is read as it is now."""
        refusal = account_change_refusal(
            current_account(actor).role,
            None if target is None else target.role,
            new_role,
            on_self=target is not None and target.id == actor.id,
        )
        if refusal is not None:
            raise PermissionDeniedError(refusal)

    @staticmethod
    def _user(user_id: int) -> StoredUser:
        user = store.get_user(user_id)
        if user is None:
            raise NotFoundError("找不到该账户")
        return user

    def _account(self, user_id: int) -> Account:
        return self._user(user_id).as_account()

    @staticmethod
    def _keep_one_administrator(user_id: int) -> None:
        if store.count_active_with_roles(ADMINISTERING_ROLES) <= 1:
            raise ConflictError("至少要保留一个启用的店长或系统管理员账户")


SESSION_OF_A_DISABLED_ACCOUNT = "此账户已停用,不能再办理;请退出后用其他账户登录"


def current_account(actor: Account) -> Account:
    """``actor`` as the register holds the account now; call inside a unit of work. A session
    opened before the account was disabled or given another role acts with what it is now
    (found by an attacking review: a disabled store manager's open session, on another desk of
    the server, created a deputy whose password he chose)."""
    user = store.get_user(actor.id) if actor.id else None
    if user is None or not user.active:
        raise PermissionDeniedError(SESSION_OF_A_DISABLED_ACCOUNT)
    return user.as_account()


def _row(user: StoredUser) -> dict[str, Any]:
    """The stored row as the register compares it."""
    return {
        "username": user.username, "display_name": user.display_name, "role": user.role.value,
        "password_hash": user.password_hash, "active": user.active,
        "failed_logins": user.failed_logins, "locked_until": user.locked_until,
        "must_change_password": user.must_change_password,
    }
