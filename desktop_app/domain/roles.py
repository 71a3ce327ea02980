"""Who may do what at the desk.

The four signing roles are ordered by authority: a higher role may do anything a lower one may.
The administrator manages accounts and settings but signs nothing by virtue of that role.
"""

from __future__ import annotations

import enum


class Role(enum.Enum):
    CLERK = "clerk"
    FRONT_DESK_MANAGER = "front_desk_manager"
    DEPUTY_STORE_MANAGER = "deputy_store_manager"
    STORE_MANAGER = "store_manager"
    ADMINISTRATOR = "administrator"

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
}

_SIGNING_RANK: dict[Role, int] = {
    Role.CLERK: 0,
    Role.ADMINISTRATOR: 0,
    Role.FRONT_DESK_MANAGER: 1,
    Role.DEPUTY_STORE_MANAGER: 2,
    Role.STORE_MANAGER: 3,
}

ADMINISTERING_ROLES = frozenset({Role.STORE_MANAGER, Role.ADMINISTRATOR})
MANAGER_ROLES = frozenset({Role.FRONT_DESK_MANAGER, Role.DEPUTY_STORE_MANAGER, Role.STORE_MANAGER})


def may_administer(role: Role) -> bool:
    """Accounts, departments, suppliers and store settings: store manager or administrator."""
    return role in ADMINISTERING_ROLES


def role_from_label(label: str) -> Role:
    for role, text in ROLE_LABELS.items():
        if text == label:
            return role
    raise ValueError(label)
