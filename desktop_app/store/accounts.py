"""Queries on users and their account events."""

from __future__ import annotations

from datetime import datetime

from desktop_app.domain.accounts import Account, LoginState
from desktop_app.domain.roles import Role
from desktop_app.store.records import AccountEventRecord, UserRecord


def to_account(record: UserRecord) -> Account:
    return Account(
        id=record.id,
        username=record.username,
        display_name=record.display_name,
        role=Role(record.role),
        active=bool(record.active),
        locked_until=record.locked_until,
    )


def count_users() -> int:
    return int(UserRecord.select().count())


def find_by_username(username: str) -> UserRecord | None:
    return UserRecord.get_or_none(UserRecord.username == username)


def get_user(user_id: int) -> UserRecord | None:
    return UserRecord.get_or_none(UserRecord.id == user_id)


def list_accounts() -> list[Account]:
    return [to_account(r) for r in UserRecord.select().order_by(UserRecord.id)]


def insert_user(
    username: str, display_name: str, role: Role, password_hash: str, now: datetime
) -> UserRecord:
    return UserRecord.create(
        username=username,
        display_name=display_name,
        role=role.value,
        password_hash=password_hash,
        active=True,
        failed_logins=0,
        locked_until=None,
        created_at=now,
    )


def save_login_state(user: UserRecord, state: LoginState) -> None:
    user.failed_logins = state.failed_logins
    user.locked_until = state.locked_until
    user.save(only=[UserRecord.failed_logins, UserRecord.locked_until])


def login_state(user: UserRecord) -> LoginState:
    return LoginState(failed_logins=user.failed_logins, locked_until=user.locked_until)


def count_active_with_roles(roles: frozenset[Role]) -> int:
    return int(
        UserRecord.select()
        .where(UserRecord.active, UserRecord.role.in_([r.value for r in roles]))
        .count()
    )


def record_event(
    now: datetime,
    event: str,
    username: str,
    user: UserRecord | None = None,
    actor_id: int | None = None,
    detail: str = "",
) -> None:
    AccountEventRecord.create(
        at=now, user=user, username=username, event=event, detail=detail, actor=actor_id
    )


def events_for(user_id: int) -> list[tuple[datetime, str, str]]:
    query = (
        AccountEventRecord.select(
            AccountEventRecord.at, AccountEventRecord.event, AccountEventRecord.detail
        )
        .where(AccountEventRecord.user == user_id)
        .order_by(AccountEventRecord.id)
        .tuples()
    )
    return list(query)
