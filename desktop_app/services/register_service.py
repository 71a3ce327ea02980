"""The register as the screens and the command line use it: its head, verification with the
anchors kept outside the file, and the daily anchor."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from desktop_app.domain.register import Anchor, Head
from desktop_app.services import anchors, register, verification
from desktop_app.services.unit_of_work import UnitOfWork


class RegisterService:
    def __init__(self, db: Any, db_path: Path) -> None:
        self._db = db
        self._db_path = db_path

    def head(self) -> Head | None:
        with UnitOfWork(self._db):
            return register.head()

    def head_code(self) -> str:
        """「登记簿校验码」as printed: entry number and the first 16 hex digits of its hash."""
        head = self.head()
        return "0:(登记簿为空)" if head is None else head.code

    def verify(
        self,
        extra_anchors: Iterable[Anchor] = (),
        progress: verification.Progress | None = None,
    ) -> verification.VerifyReport:
        known = [*anchors.read_anchors(self._db_path), *extra_anchors]
        with UnitOfWork(self._db):
            return verification.verify(known, progress)

    def record_daily_anchor(self, now: datetime) -> bool:
        return anchors.record_daily(self._db_path, self.head(), now)
