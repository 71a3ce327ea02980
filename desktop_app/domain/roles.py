"""Who may do what at the desk.

The four signing roles are ordered by authority: a higher role may do anything a lower one may.
The administrator manages accounts and settings but signs nothing by virtue of that role.
Head office (集团主管营运副总) is outside the store's ladder: it signs only the refunds above the
store manager's limit, and only from its own PC connected to the store's server
(refund_policy.may_sign); it does nothing else of the store's.
"""

from __future__ import annotations

import enum


class Role(enum.Enum):
    CLERK = "clerk"
    FRONT_DESK_MANAGER = "front_desk_manager"
    DEPUTY_STORE_MANAGER = "deputy_store_manager"
    STORE_MANAGER = "store_manager"
    ADMINISTRATOR = "administrator"
    HEAD_OFFICE = "head_office"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @property
    def rank(self) -> int:
        """Authority rank for signing; the administrator ranks with the clerk."""
        return _SIGNING_RANK[self]

    def covers(self, other: Role) -> bool:
        """True when this role may do whatever ``other`` may do (for signing)."""
        return self.rank >= other.rank


ROLE_LABELS: dict[Role, str] = {
    Role.CLERK: "前台接待员",
    Role.FRONT_DESK_MANAGER: "前台经理/助理",
    Role.DEPUTY_STORE_MANAGER: "主管副店长",
    Role.STORE_MANAGER: "店长",
    Role.ADMINISTRATOR: "系统管理员",
    Role.HEAD_OFFICE: "集团主管营运副总",
}

_SIGNING_RANK: dict[Role, int] = {
    Role.CLERK: 0,
    Role.ADMINISTRATOR: 0,
    Role.HEAD_OFFICE: 0,
    Role.FRONT_DESK_MANAGER: 1,
    Role.DEPUTY_STORE_MANAGER: 2,
    Role.STORE_MANAGER: 3,
}

ADMINISTERING_ROLES = frozenset({Role.STORE_MANAGER, Role.ADMINISTRATOR})
MANAGER_ROLES = frozenset({Role.FRONT_DESK_MANAGER, Role.DEPUTY_STORE_MANAGER, Role.STORE_MANAGER})


# Roles that can sign money or manage accounts come only from the store manager, so an
# administrator can never make (or become) someone who signs.
GRANTED_BY_STORE_MANAGER_ONLY = MANAGER_ROLES | {Role.ADMINISTRATOR, Role.HEAD_OFFICE}


def works_at_the_desk(role: Role) -> bool:
    """Head office signs the largest refunds from its own PC and does nothing else of the
    store's (refund_policy.NOT_AT_THE_DESK)."""
    return role is not Role.HEAD_OFFICE


def may_administer(role: Role) -> bool:
    """Accounts, departments, suppliers and store settings: store manager or administrator."""
    return role in ADMINISTERING_ROLES


# A reset sets a password without the old one: on one's own account it would let whoever finds
# the session open choose the password that signs. The owner changes it, giving the old one.
OWN_PASSWORD_BY_CHANGE = "不能重置自己的密码:请用「修改密码」,输入原密码后再设新密码"


def password_reset_refusal(on_self: bool) -> str | None:
    """Why a password may not be reset (without the old one), or ``None``."""
    return OWN_PASSWORD_BY_CHANGE if on_self else None


# Found by an attacking review: the store manager created head office's account (or reset its
# password), made the "owner's change" himself and signed refunds above 2000 yuan with it. So
# no account of the store creates, changes, resets, unlocks or re-enables one: head office's
# own administrator does, on the server (``main.py head-office-account``).
HEAD_OFFICE_PROVISIONED = (
    "集团主管营运副总的账户由集团开立和管理(集团管理员在服务器上运行 main.py head-office-account),"
    "门店的账户不能创建、更改、停用、解锁或重置它"
)


def roles_a_store_grants() -> list[Role]:
    """The roles offered when an account of the store is made or changed."""
    return [role for role in Role if role is not Role.HEAD_OFFICE]


def account_change_refusal(
    actor: Role, target: Role | None, new_role: Role | None = None, on_self: bool = False
) -> str | None:
    """Why ``actor`` may not create (``target`` None) or change an account, or ``None``.

    Separated duties: nobody changes their own role or grants one above their own; manager and
    administrator roles come from the store manager, who alone manages those accounts."""
    if not may_administer(actor):
        return "只有店长或系统管理员可以管理账户"
    if Role.HEAD_OFFICE in (target, new_role):
        return HEAD_OFFICE_PROVISIONED
    changes_role = new_role is not None and new_role is not target
    if on_self and changes_role:
        return "不能更改自己的角色"
    if target in GRANTED_BY_STORE_MANAGER_ONLY and actor is not Role.STORE_MANAGER:
        return "经理级账户和管理员账户只能由店长管理"
    if new_role is None or not changes_role:
        return None
    if new_role in GRANTED_BY_STORE_MANAGER_ONLY and actor is not Role.STORE_MANAGER:
        return "只有店长可以授予前台经理、副店长、店长或系统管理员角色"
    if new_role.rank > actor.rank:
        return "不能授予高于自己的角色"
    return None
