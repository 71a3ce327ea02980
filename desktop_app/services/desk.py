"""Everything the screens need, built once per open database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from desktop_app.domain.report_figures import chain_head_text
from desktop_app.services.accounts import AccountService
from desktop_app.services.cases import CaseService
from desktop_app.services.refunds import RefundService
from desktop_app.services.reports import ReportService
from desktop_app.services.settings import SettingsService
from desktop_app.store import cases as case_store
from desktop_app.store.backup import backup_dir_for


@dataclass
class Desk:
    db: Any
    db_path: Path
    accounts: AccountService
    settings: SettingsService
    cases: CaseService
    refunds: RefundService
    reports: ReportService
    clock: Callable[[], datetime]

    @property
    def backup_dir(self) -> Path:
        return backup_dir_for(self.db_path)


def build_desk(db: Any, db_path: Path, clock: Callable[[], datetime] = datetime.now) -> Desk:
    settings = SettingsService(db)
    accounts = AccountService(db, clock)
    return Desk(
        db=db,
        db_path=db_path,
        accounts=accounts,
        refunds=RefundService(db, clock, accounts),
        reports=ReportService(
            db, settings.store_name, clock,
            # The register's head printed on every report; re-point here when the chain changes.
            chain_head=lambda: chain_head_text(case_store.last_audit_entry()),
        ),
        settings=settings,
        cases=CaseService(db, clock, settings.confirmation_minutes),
        clock=clock,
    )
