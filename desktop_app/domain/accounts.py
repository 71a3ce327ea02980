"""Account rules: who may log in, lockout after wrong passwords, what a valid account looks like."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.roles import Role

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=5)
MIN_PASSWORD_LENGTH = 6
MAX_PASSWORD_LENGTH = 128
_USERNAME = re.compile(r"^[A-Za-z0-9_.\-]{2,32}$")


@dataclass(frozen=True)
class Account:
    """A user as the rest of the app sees it: never the password hash."""

    id: int
    username: str
    display_name: str
    role: Role
    active: bool
    locked_until: datetime | None = None
    # Set when someone else chose the password: the owner must change it before signing.
    must_change_password: bool = False

    @property
    def label(self) -> str:
        return f"{self.display_name}({self.role.label})"


@dataclass(frozen=True)
class LoginState:
    failed_logins: int
    locked_until: datetime | None


def is_locked(state: LoginState, now: datetime) -> bool:
    return state.locked_until is not None and now < state.locked_until


def after_failed_login(state: LoginState, now: datetime) -> LoginState:
    """One more wrong password; the fifth in a row locks the account for five minutes."""
    failures = (
        0 if state.locked_until is not None and now >= state.locked_until else state.failed_logins
    )
    failures += 1
    if failures >= MAX_FAILED_LOGINS:
        return LoginState(failed_logins=0, locked_until=now + LOCKOUT)
    return LoginState(failed_logins=failures, locked_until=None)


def after_successful_login() -> LoginState:
    return LoginState(failed_logins=0, locked_until=None)


def minutes_left(state: LoginState, now: datetime) -> int:
    if state.locked_until is None:
        return 0
    seconds = (state.locked_until - now).total_seconds()
    return max(1, int(-(-seconds // 60)))


def normalise_username(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower()


def validate_new_account(username: str, display_name: str, password: str, confirm: str) -> None:
    """Raise ``ValidationError`` listing every problem with a new account at once."""
    errors: dict[str, str] = {}
    if not _USERNAME.match(normalise_username(username)):
        errors["username"] = "用户名为 2–32 位英文字母、数字、下划线、点或连字符"
    name = display_name.strip()
    if not name:
        errors["display_name"] = "请填写姓名"
    elif len(name) > 20:
        errors["display_name"] = "姓名不能超过 20 个字"
    errors.update(_password_problems(password, confirm))
    if errors:
        raise ValidationError(errors)


def validate_new_password(password: str, confirm: str) -> None:
    errors = _password_problems(password, confirm)
    if errors:
        raise ValidationError(errors)


def _password_problems(password: str, confirm: str) -> dict[str, str]:
    if len(password) < MIN_PASSWORD_LENGTH:
        return {"password": f"密码至少 {MIN_PASSWORD_LENGTH} 位"}
    if len(password) > MAX_PASSWORD_LENGTH:
        return {"password": f"密码不能超过 {MAX_PASSWORD_LENGTH} 位"}
    if password != confirm:
        return {"confirm": "两次输入的密码不一致"}
    return {}


@dataclass(frozen=True)
class AccountChange:
    """One account change as the month's report package lists it (from the register)."""

    at: str
    actor: str
    username: str
    change: str
    detail: str = ""

    @property
    def sentence(self) -> str:
        detail = f"({self.detail})" if self.detail else ""
        return f"{self.at[:16]} {self.actor}:{self.username} {self.change}{detail}"
