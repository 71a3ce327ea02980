"""Account use cases against a real database file."""

from __future__ import annotations

from datetime import timedelta

import pytest

from desktop_app.domain.accounts import Account
from desktop_app.domain.errors import (
    AccountLockedError,
    AuthenticationError,
    ConflictError,
    PermissionDeniedError,
    ValidationError,
)
from desktop_app.domain.roles import Role
from desktop_app.services.desk import Desk
from desktop_app.store import accounts as account_store
from tests.conftest import FakeClock


@pytest.fixture
def boss(desk: Desk) -> Account:
    return desk.accounts.create_first_store_manager(
        "测试店", "boss", "王店长", "secret1", "secret1"
    )


@pytest.fixture
def clerk(desk: Desk, boss: Account) -> Account:
    return desk.accounts.create_account(boss, "clerk", "刘洋", Role.CLERK, "clerk12", "clerk12")


def test_a_new_database_asks_for_the_first_account(desk: Desk) -> None:
    assert desk.accounts.needs_first_run()


def test_the_first_account_is_the_store_manager_and_names_the_store(
    desk: Desk, boss: Account
) -> None:
    assert boss.role is Role.STORE_MANAGER
    assert not desk.accounts.needs_first_run()
    assert desk.settings.store_name() == "测试店"


def test_a_second_first_run_account_is_refused(desk: Desk, boss: Account) -> None:
    with pytest.raises(ConflictError):
        desk.accounts.create_first_store_manager("店", "other", "另一个", "secret1", "secret1")


def test_a_user_logs_in_with_their_password_whatever_the_case_of_the_name(
    desk: Desk, clerk: Account
) -> None:
    assert desk.accounts.authenticate("CLERK", "clerk12") == clerk


def test_the_password_is_never_stored_in_plain_text(desk: Desk, clerk: Account) -> None:
    stored = account_store.find_by_username("clerk")
    assert stored is not None
    assert "clerk12" not in stored.password_hash
    assert stored.password_hash.startswith("scrypt$")


def test_an_unknown_user_gets_the_same_answer_as_a_wrong_password(
    desk: Desk, clerk: Account
) -> None:
    with pytest.raises(AuthenticationError, match="用户名或密码不正确"):
        desk.accounts.authenticate("nobody", "whatever")


def test_five_wrong_passwords_lock_the_account_for_five_minutes(
    desk: Desk, clerk: Account, clock: FakeClock
) -> None:
    for _ in range(4):
        with pytest.raises(AuthenticationError):
            desk.accounts.authenticate("clerk", "wrong")
    with pytest.raises(AccountLockedError):
        desk.accounts.authenticate("clerk", "wrong")
    with pytest.raises(AccountLockedError, match="5 分钟"):
        desk.accounts.authenticate("clerk", "clerk12")
    clock.now += timedelta(minutes=5)
    assert desk.accounts.authenticate("clerk", "clerk12") == clerk


def test_the_administrator_can_unlock_a_locked_account(
    desk: Desk, boss: Account, clerk: Account
) -> None:
    for _ in range(5):
        with pytest.raises(AuthenticationError):
            desk.accounts.authenticate("clerk", "wrong")
    desk.accounts.unlock(boss, clerk.id)
    assert desk.accounts.authenticate("clerk", "clerk12") == clerk


def test_a_disabled_account_cannot_log_in_but_is_kept(
    desk: Desk, boss: Account, clerk: Account
) -> None:
    desk.accounts.set_active(boss, clerk.id, False)
    with pytest.raises(AuthenticationError, match="停用"):
        desk.accounts.authenticate("clerk", "clerk12")
    assert [a.username for a in desk.accounts.list_accounts()] == ["boss", "clerk"]


def test_a_clerk_cannot_manage_accounts(desk: Desk, clerk: Account) -> None:
    with pytest.raises(PermissionDeniedError):
        desk.accounts.create_account(clerk, "x1", "某人", Role.STORE_MANAGER, "secret1", "secret1")


def test_the_store_manager_cannot_demote_or_disable_themself(
    desk: Desk, boss: Account, clerk: Account
) -> None:
    with pytest.raises(PermissionDeniedError, match="自己"):
        desk.accounts.change_role(boss, boss.id, Role.CLERK)
    with pytest.raises(ConflictError, match="自己"):
        desk.accounts.set_active(boss, boss.id, False)


def test_a_second_store_manager_may_disable_the_first_but_one_always_remains(
    desk: Desk, boss: Account
) -> None:
    second = desk.accounts.create_account(
        boss, "boss2", "李店长", Role.STORE_MANAGER, "secret1", "secret1"
    )
    desk.accounts.set_active(second, boss.id, False)
    with pytest.raises(ConflictError):
        desk.accounts.set_active(second, second.id, False)


def test_a_user_name_stays_taken_after_the_account_is_disabled(
    desk: Desk, boss: Account, clerk: Account
) -> None:
    desk.accounts.set_active(boss, clerk.id, False)
    with pytest.raises(ValidationError) as caught:
        desk.accounts.create_account(boss, "Clerk", "新人", Role.CLERK, "secret1", "secret1")
    assert "username" in caught.value.field_errors


def test_a_reset_password_replaces_the_old_one(desk: Desk, boss: Account, clerk: Account) -> None:
    desk.accounts.reset_password(boss, clerk.id, "newpass1", "newpass1")
    with pytest.raises(AuthenticationError):
        desk.accounts.authenticate("clerk", "clerk12")
    assert desk.accounts.authenticate("clerk", "newpass1") == clerk


def test_account_changes_leave_a_trail(desk: Desk, boss: Account, clerk: Account) -> None:
    desk.accounts.change_role(boss, clerk.id, Role.FRONT_DESK_MANAGER)
    with pytest.raises(AuthenticationError):
        desk.accounts.authenticate("clerk", "wrong")
    day = desk.clock()
    changes = desk.accounts.account_changes(day - timedelta(days=1), day + timedelta(days=1))
    assert [(c.username, c.change, c.actor) for c in changes if c.username == "clerk"] == [
        ("clerk", "新建账户", "王店长"), ("clerk", "更改角色", "王店长"),
    ]
    failed = desk.db.execute_sql(
        "SELECT COUNT(*) FROM register_entry WHERE entity = 'user' AND entity_id = ? "
        "AND action = 'login_failed'", (clerk.id,),
    ).fetchone()[0]
    assert failed == 1
    assert desk.register.verify().ok


def test_an_empty_password_is_not_counted_as_a_wrong_one(
    desk: Desk, boss: Account, clerk: Account
) -> None:
    """Found: Enter pressed five times after the user name locked the account (anyone at the
    desk could keep a manager from signing)."""
    for _ in range(8):
        with pytest.raises(AuthenticationError, match="请输入密码"):
            desk.accounts.authenticate("clerk", "")
    assert desk.accounts.authenticate("clerk", "clerk12") == clerk
