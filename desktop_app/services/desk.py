"""Everything the screens need, built once per open database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from desktop_app.services.accounts import AccountService
from desktop_app.services.analysis import AnalysisService
from desktop_app.services.cases import CaseService
from desktop_app.services.catalog import CatalogService
from desktop_app.services.charge_backs import ChargeBackService
from desktop_app.services.improvement_orders import ImprovementService
from desktop_app.services.liabilities import LiabilityService
from desktop_app.services.privacy import PrivacyService
from desktop_app.services.receipts import ReceiptService
from desktop_app.services.refunds import RefundService
from desktop_app.services.register_service import RegisterService
from desktop_app.services.reports import ReportService
from desktop_app.services.settings import SettingsService
from desktop_app.services.store_setup import StoreSetupService
from desktop_app.services.warnings import WarningService
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
    receipts: ReceiptService
    register: RegisterService
    clock: Callable[[], datetime]
    catalog: CatalogService
    setup: StoreSetupService
    warnings: WarningService
    analysis: AnalysisService
    charge_backs: ChargeBackService
    improvements: ImprovementService
    liabilities: LiabilityService
    privacy: PrivacyService

    @property
    def backup_dir(self) -> Path:
        return backup_dir_for(self.db_path)


def build_desk(db: Any, db_path: Path, clock: Callable[[], datetime] = datetime.now) -> Desk:
    settings = SettingsService(db, clock)
    accounts = AccountService(db, clock)
    register = RegisterService(db, db_path)
    return Desk(
        db=db,
        db_path=db_path,
        accounts=accounts,
        refunds=RefundService(db, clock, accounts, settings.no_receipt_window_days),
        # The register's head is printed on every report.
        reports=ReportService(db, settings.store_label, clock, chain_head=register.head_code),
        settings=settings,
        cases=CaseService(db, clock, settings.confirmation_minutes),
        receipts=ReceiptService(db, clock),
        register=register,
        clock=clock,
        catalog=CatalogService(db, clock),
        setup=StoreSetupService(db, settings, clock),
        warnings=WarningService(db, clock),
        analysis=AnalysisService(db, clock),
        # Who pays: printed notices and statements carry the register's head too.
        charge_backs=ChargeBackService(db, clock, settings.store_label, register.head_code),
        improvements=ImprovementService(db, clock),
        liabilities=LiabilityService(db, clock, settings.store_label, register.head_code),
        privacy=PrivacyService(db, db_path, clock),
    )
