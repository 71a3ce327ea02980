from datetime import datetime, timedelta

import pytest

from desktop_app.domain.accounts import (
    LOCKOUT,
    MAX_FAILED_LOGINS,
    LoginState,
    after_failed_login,
    is_locked,
    minutes_left,
    normalise_username,
    validate_new_account,
)
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.passwords import hash_password, verify_password
from desktop_app.domain.roles import Role, may_administer

NOW = datetime(2026, 11, 24, 10, 0, 0)
FRESH = LoginState(failed_logins=0, locked_until=None)


def fail_times(times: int, state: LoginState = FRESH, now: datetime = NOW) -> LoginState:
    for _ in range(times):
        state = after_failed_login(state, now)
    return state


def test_four_wrong_passwords_do_not_lock() -> None:
    state = fail_times(MAX_FAILED_LOGINS - 1)
    assert not is_locked(state, NOW)
    assert state.failed_logins == 4


def test_the_fifth_wrong_password_locks_for_five_minutes() -> None:
    state = fail_times(MAX_FAILED_LOGINS)
    assert is_locked(state, NOW)
    assert is_locked(state, NOW + LOCKOUT - timedelta(seconds=1))
    assert not is_locked(state, NOW + LOCKOUT)
    assert minutes_left(state, NOW) == 5


def test_failures_start_again_after_a_lock_expires() -> None:
    locked = fail_times(MAX_FAILED_LOGINS)
    later = NOW + LOCKOUT
    state = after_failed_login(locked, later)
    assert state.failed_logins == 1
    assert not is_locked(state, later)


def test_password_hash_is_salted_and_verifies() -> None:
    first, second = hash_password("secret1"), hash_password("secret1")
    assert first != second
    assert "secret1" not in first
    assert verify_password("secret1", first)
    assert not verify_password("secret2", first)


@pytest.mark.parametrize("stored", ["", "plain", "scrypt$x$y$z$a$b", "bcrypt$1$2$3$4$5"])
def test_a_malformed_stored_hash_never_matches(stored: str) -> None:
    assert not verify_password("anything", stored)


def test_usernames_are_folded_to_half_width_lower_case() -> None:
    assert normalise_username(" ＷａｎｇＦ ") == "wangf"


def test_a_new_account_reports_every_problem_at_once() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_new_account("王", "", "123", "123")
    assert set(caught.value.field_errors) == {"username", "display_name", "password"}


def test_mismatched_confirmation_is_reported_on_the_confirm_field() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_new_account("wangf", "王芳", "secret1", "secret2")
    assert caught.value.field_errors == {"confirm": "两次输入的密码不一致"}


@pytest.mark.parametrize(
    ("role", "administers"),
    [
        (Role.CLERK, False),
        (Role.FRONT_DESK_MANAGER, False),
        (Role.DEPUTY_STORE_MANAGER, False),
        (Role.STORE_MANAGER, True),
        (Role.ADMINISTRATOR, True),
    ],
)
def test_only_store_manager_and_administrator_administer(role: Role, administers: bool) -> None:
    assert may_administer(role) is administers


def test_higher_signing_roles_cover_lower_ones() -> None:
    order = [Role.CLERK, Role.FRONT_DESK_MANAGER, Role.DEPUTY_STORE_MANAGER, Role.STORE_MANAGER]
    for low_index, low in enumerate(order):
        for high in order[low_index:]:
            assert high.covers(low)
        for higher in order[low_index + 1 :]:
            assert not low.covers(higher)
    assert not Role.ADMINISTRATOR.covers(Role.FRONT_DESK_MANAGER)
