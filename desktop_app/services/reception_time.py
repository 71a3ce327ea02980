"""接待时间: when the clerk started the registration, and who may say otherwise.

The form fixes the time at the first key typed into an empty register; a clerk may move it back a
few minutes (the customer waited while the previous one was served). Anything else is a manager's
decision, taken with a reason that goes into the case's audit trail.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from desktop_app.domain.accounts import Account
from desktop_app.domain.errors import PermissionDeniedError, ValidationError
from desktop_app.domain.roles import MANAGER_ROLES
from desktop_app.domain.text import clean_line

# How far a clerk may move the start of a registration back, on the form.
CLERK_BACKDATE = timedelta(minutes=5)
# A register is typed while the customer is at the desk: a received time further back than this,
# without a manager's reason, was back-dated (the form's own start time is never that old).
LONGEST_REGISTRATION = timedelta(hours=1)
MAX_REASON = 200


def may_change_received_at(actor: Account) -> bool:
    return actor.role in MANAGER_ROLES


def checked_reason(actor: Account, received_at: datetime, now: datetime, reason: str) -> str:
    """The cleaned reason for a changed 接待时间 ("" when none), or an error that says who may."""
    why = clean_line(reason)
    if why and not may_change_received_at(actor):
        raise PermissionDeniedError("只有前台经理、副店长或店长可以修改接待时间")
    if len(why) > MAX_REASON:
        raise ValidationError({"received_at": f"修改原因太长:最多 {MAX_REASON} 个字"})
    if not why and received_at < now - LONGEST_REGISTRATION:
        raise ValidationError(
            {"received_at": "接待时间早于现在一小时以上:须由经理修改接待时间并写明原因"}
        )
    return why
