"""The register as the screens and the command line use it: its head, verification with the
anchors kept outside the file, the daily anchor, and the mark of the last clean check that lets
the next check look only at what is new."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from desktop_app.domain.register import Anchor, Head
from desktop_app.services import anchors, register, verification
from desktop_app.services.unit_of_work import UnitOfWork
from desktop_app.store import backup
from desktop_app.store import register as register_store


class RegisterService:
    def __init__(self, db: Any, db_path: Path) -> None:
        self._db = db
        self._db_path = db_path

    @property
    def db_path(self) -> Path:
        return self._db_path

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
        workers: int | None = None,
        cancel: threading.Event | None = None,
    ) -> verification.VerifyReport:
        """The full check. A clean one is remembered (beside the anchor file), so the next
        check may look only at what is new; one that finds anything forgets the last mark."""
        known = [*anchors.read_anchors(self._db_path), *extra_anchors]
        # The file a restore moved aside is kept as it was, sound or not: never vouched for.
        backups = [path for path in backup.list_backups(self._db_path)
                   if not path.stem.endswith(backup.BEFORE_RESTORE)]
        newest_backup = backups[-1] if backups else None
        with register_store.read_snapshot(self._db):
            report = verification.verify(known, progress, self._db_path, workers, cancel)
        self._remember(report)
        if report.ok:
            with contextlib.suppress(OSError):
                anchors.record_full_check(self._db_path, datetime.now(), newest_backup)
        return report

    def full_check_due(self, now: datetime) -> bool:
        """The day's check should be the full one: the last clean full check is a week old."""
        return anchors.full_check_due(self._db_path, now)

    def verify_since_last(
        self,
        extra_anchors: Iterable[Anchor] = (),
        progress: verification.Progress | None = None,
        cancel: threading.Event | None = None,
    ) -> verification.VerifyReport:
        """What is new since the last clean check (the daily check); everything when there
        was none, or when the file no longer holds the head that check ended at."""
        known = [*anchors.read_anchors(self._db_path), *extra_anchors]
        mark = anchors.read_checked_mark(self._db_path)
        report = None
        if mark is not None:
            with register_store.read_snapshot(self._db):
                report = verification.verify_since(mark, known)
        if report is None:
            return self.verify(extra_anchors, progress, cancel=cancel)
        self._remember(report)
        return report

    def record_daily_anchor(self, now: datetime) -> bool:
        return anchors.record_daily(self._db_path, self.head(), now)

    def record_closing_anchor(self, now: datetime) -> bool:
        """The head at the end of a session goes into the anchor file too: a restore of an
        earlier backup, or a cut tail, then loses entries verify names."""
        return anchors.record_head(self._db_path, register_store.head_if_readable(), now)

    def _remember(self, report: verification.VerifyReport) -> None:
        # A read-only or full backup disk only costs the next check its shortcut.
        with contextlib.suppress(OSError):
            if report.ok and report.head is not None:
                now = datetime.now()
                anchors.record_checked_mark(self._db_path, report.head, now)
                anchors.record_head(self._db_path, report.head, now)
            elif not report.ok:
                anchors.forget_checked_mark(self._db_path)
