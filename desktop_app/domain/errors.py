"""Named errors of the domain.

``DeskError`` is the user's error: its message is Chinese and is shown as it is in a message
box. Anything else that escapes is a bug.
"""

from __future__ import annotations


class DeskError(Exception):
    """An error the user can act on; ``str(error)`` is a Chinese sentence for the screen."""


class ValidationError(DeskError):
    """Input that cannot be accepted. ``field_errors`` maps a field name to its Chinese message."""

    def __init__(self, field_errors: dict[str, str]) -> None:
        self.field_errors = dict(field_errors)
        super().__init__(";".join(self.field_errors.values()))


class AuthenticationError(DeskError):
    """Wrong user name or password, or an account that may not log in now."""


class AccountLockedError(AuthenticationError):
    """Too many wrong passwords: the account is locked until ``until``."""

    def __init__(self, message: str, until: object) -> None:
        super().__init__(message)
        self.until = until


class PermissionDeniedError(DeskError):
    """The signed-in or signing user's role does not cover the action."""


class NotFoundError(DeskError):
    """A record the user named does not exist."""


class ConflictError(DeskError):
    """The action contradicts the current state (already approved, already voided, ...)."""
