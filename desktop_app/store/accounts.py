"""Queries on user accounts. Rows come back as ``StoredUser``; writes go through the register."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from desktop_app.domain.accounts import Account, LoginState
from desktop_app.domain.roles import Role
from desktop_app.store.connection import database

_COLUMNS = (
    "id, username, display_name, role, password_hash, active, failed_logins, locked_until, "
    "must_change_password"
)


@dataclass(frozen=True)
class StoredUser:
    id: int
    username: str
    display_name: str
    role: Role
    password_hash: str
    active: bool
    failed_logins: int
    locked_until: datetime | None
    must_change_password: bool

    @property
    def login_state(self) -> LoginState:
        return LoginState(failed_logins=self.failed_logins, locked_until=self.locked_until)

    def as_account(self) -> Account:
        return Account(
            id=self.id, username=self.username, display_name=self.display_name, role=self.role,
            active=self.active, locked_until=self.locked_until,
            must_change_password=self.must_change_password,
        )


def _user(row: tuple[object, ...]) -> StoredUser:
    (user_id, username, display_name, role, password_hash, active, failed, locked,
     must_change) = row
    return StoredUser(
        id=int(str(user_id)), username=str(username), display_name=str(display_name),
        role=Role(role), password_hash=str(password_hash), active=bool(active),
        failed_logins=int(str(failed)),
        locked_until=None if locked is None else datetime.fromisoformat(str(locked)),
        must_change_password=bool(must_change),
    )


def count_users() -> int:
    return int(database.execute_sql('SELECT COUNT(*) FROM "user"').fetchone()[0])


def find_by_username(username: str) -> StoredUser | None:
    row = database.execute_sql(
        f'SELECT {_COLUMNS} FROM "user" WHERE username = ?', (username,)
    ).fetchone()
    return None if row is None else _user(row)


def get_user(user_id: int) -> StoredUser | None:
    row = database.execute_sql(f'SELECT {_COLUMNS} FROM "user" WHERE id = ?', (user_id,)).fetchone()
    return None if row is None else _user(row)


def list_accounts() -> list[Account]:
    rows = database.execute_sql(f'SELECT {_COLUMNS} FROM "user" ORDER BY id').fetchall()
    return [_user(row).as_account() for row in rows]


def count_active_with_roles(roles: frozenset[Role]) -> int:
    marks = ", ".join("?" * len(roles))
    sql = f'SELECT COUNT(*) FROM "user" WHERE active = 1 AND role IN ({marks})'
    return int(database.execute_sql(sql, [role.value for role in roles]).fetchone()[0])


def set_up_by(user_id: int) -> set[int]:
    """Everyone who set the account up, as the register recorded it: who created it and who
    last reset its password, and, the same way, whoever set those accounts up in turn (found
    in review: the store manager made 王2, who made 王3, who signed his request)."""
    found: set[int] = set()
    todo = [user_id]
    while todo:
        for actor in _direct_setters(todo.pop()):
            if actor not in found:
                found.add(actor)
                todo.append(actor)
    return found


def _direct_setters(user_id: int) -> set[int]:
    rows = database.execute_sql(
        "SELECT action, actor_id FROM register_entry WHERE entity = 'user' AND entity_id = ? "
        "AND action IN ('created', 'password_reset') ORDER BY seq",
        (user_id,),
    ).fetchall()
    creator = next((actor for action, actor in rows if action == "created"), None)
    reset_by = next((actor for action, actor in reversed(rows) if action == "password_reset"),
                    None)
    return {int(actor) for actor in (creator, reset_by) if actor is not None}
