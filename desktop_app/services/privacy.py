"""Customers' personal data: the store's retention period, erasing a customer's name and phone
once it has passed or when the customer asks, no copy left behind, and a record of who printed
or exported personal data.

An erasure is one register entry on the case (action ``erase``: the marker for each value, the
basis and the reason); the row loses its salt, so the commitments the chain holds can no longer
be checked against a guess, and the plain text kept beside the case's entries is blanked. Verify
replays the marker like any value, so the register still verifies (domain/register.py).

What else held the person: the search index (its triggers follow the update; its old segments
are merged away), free pages and cells (``secure_delete``), the WAL (cut to zero bytes), the
planner's sample keys (``sqlite_stat4`` where SQLite has it) and the backups (replayed and
pruned: store/privacy_files.py). Refund rows never hold the customer's name or phone; free text
that mentions them (the customer's account in their words) is part of the chain and cannot be
erased with the fields: each erasure names such cases so the store knows.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from desktop_app.domain import privacy as rules
from desktop_app.domain.accounts import Account
from desktop_app.domain.cases import NO_SUCH_CASE, CaseStatus, Category, Subject, is_open
from desktop_app.domain.errors import (
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from desktop_app.domain.register import ERASED, SETTINGS_ID, canonical
from desktop_app.domain.roles import may_administer
from desktop_app.services import register
from desktop_app.services.settings import SettingsService
from desktop_app.services.unit_of_work import UnitOfWork
from desktop_app.store import cases as case_store
from desktop_app.store import privacy as store
from desktop_app.store import privacy_files, search_index
from desktop_app.store import register as register_store
from desktop_app.store.privacy_files import BackupCare

Clock = Callable[[], datetime]
# (what is happening, done, of how many); 0, 0: busy without a measure.
Progress = Callable[[str, int, int], None]

COMMAND_LINE = register.Actor(None, "命令行")
# The basis of an erasure, as the register records it.
RETENTION = "保留期限已过"
REQUEST = "顾客申请"
RETENTION_REASON = "个人信息保护法第十九条、第四十七条:结案后保留期限已过"
# Cases erased per transaction: a save at the desk never waits long behind the daily job.
BATCH = 100
# Up to this size the one free-space clean-up (VACUUM) runs beside the window; a larger file
# waits for ``privacy --erase-due`` with the app closed. 100 MiB is years of one store's cases.
BACKGROUND_VACUUM_BYTES = 100 * 1024 * 1024


@dataclass(frozen=True)
class DueCase:
    case_id: int
    case_no: str
    closed_on: date
    erase_on: date
    food: bool


@dataclass(frozen=True)
class ErasedCase:
    at: str
    actor: str
    case_no: str
    basis: str
    reason: str


@dataclass(frozen=True)
class ErasureResult:
    """Case numbers erased, cases left alone (with why) and cases whose free text still
    mentions the person (kept by the chain as written)."""

    erased: tuple[str, ...] = ()
    not_erased: tuple[str, ...] = ()
    free_text: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        lines = [f"已删除 {len(self.erased)} 个案件的顾客姓名和电话"
                 + (f":{'、'.join(self.erased)}" if self.erased else "")]
        lines.extend(self.not_erased)
        if self.free_text:
            lines.append(
                "以下案件的顾客陈述或处理记录中写有该顾客的姓名或电话,这些文字属于登记簿内容,"
                f"未被删除:{'、'.join(self.free_text)}"
            )
        return lines


@dataclass(frozen=True)
class RequestPreview:
    """What an erasure on a customer's request covers: every case with the same phone."""

    closed: tuple[tuple[int, str], ...]
    still_open: tuple[str, ...]


class PrivacyService:
    def __init__(self, db: Any, db_path: Path, clock: Clock = datetime.now) -> None:
        self._db = db
        self._db_path = db_path
        self._clock = clock

    def now(self) -> datetime:
        return self._clock().replace(microsecond=0)

    # --- the retention period ----------------------------------------------------------------

    def policy(self) -> rules.RetentionPolicy:
        with UnitOfWork(self._db):
            return rules.policy_from_settings(register_store.settings())

    def update_policy(
        self, actor: Account, months: int, food_shelf_life_months: int
    ) -> rules.RetentionPolicy:
        if not may_administer(actor.role):
            raise PermissionDeniedError("只有店长或系统管理员可以修改个人信息保留期限")
        policy = rules.validated_policy(months, food_shelf_life_months)
        with UnitOfWork(self._db) as uow:
            register.write_settings({
                rules.RETENTION_KEY: str(policy.months),
                rules.SHELF_LIFE_KEY: str(policy.food_shelf_life_months),
            }, actor, self.now())
            uow.commit()
        return policy

    def due(self, today: date | None = None) -> list[DueCase]:
        """Closed cases whose customer data is past the period on ``today``."""
        day = today or self.now().date()
        policy = self.policy()
        bound = policy.candidates_closed_before(day).isoformat()
        with UnitOfWork(self._db):
            rows = store.due_candidates(bound)
        due = []
        for case_id, case_no, status, closed_at, subject, category in rows:
            closed = datetime.fromisoformat(str(closed_at)).date()
            subject_of, category_of = Subject.of(subject), Category.of(category)
            if policy.is_due(CaseStatus.of(status), closed, subject_of, category_of, day):
                due.append(DueCase(
                    case_id=int(case_id), case_no=str(case_no), closed_on=closed,
                    erase_on=policy.erase_on(closed, subject_of, category_of),
                    food=rules.is_food_case(subject_of, category_of),
                ))
        return due

    def erased(self) -> list[ErasedCase]:
        with UnitOfWork(self._db):
            rows = store.erasures()
        listed = []
        for at, actor, case_no, payload in rows:
            remarks = json.loads(payload)
            listed.append(ErasedCase(
                at=str(at), actor=str(actor), case_no=str(case_no),
                basis=str(remarks.get("_basis", "")), reason=str(remarks.get("_reason", "")),
            ))
        return listed

    # --- erasing ---------------------------------------------------------------------------

    def erase_due(self, actor: Account | register.Actor | None = None) -> ErasureResult:
        """Erase every case past its period (the daily job, ``privacy --erase-due``)."""
        due = self.due()
        result = self._erase(
            [case.case_id for case in due], actor, RETENTION, RETENTION_REASON
        )
        if result.erased:
            self.forget_traces()
        return result

    def request_preview(self, case_id: int) -> RequestPreview:
        """The case and every other case of the same phone, closed and still open."""
        with UnitOfWork(self._db):
            row = case_store.case_columns(case_id)
            if row is None:
                raise NotFoundError(NO_SUCH_CASE)
            phone = str(row["customer_phone"])
            if phone and phone != ERASED:
                rows = store.cases_of_phone(phone)
            else:
                rows = [(case_id, row["case_no"], row["status"])]
        return _preview(rows)

    def erase_on_request(self, actor: Account, case_id: int, reason: str) -> ErasureResult:
        """A customer asked (个人信息保护法 art. 47): their closed cases lose name and phone."""
        if not rules.may_erase_on_request(actor.role):
            raise PermissionDeniedError("只有前台经理、副店长或店长可以按顾客申请删除个人信息")
        why = rules.erasure_reason(reason)
        preview = self.request_preview(case_id)
        return self._erase_requested(preview, actor, why)

    def erase_phone(
        self, actor: Account | register.Actor, phone_text: str, reason: str
    ) -> ErasureResult:
        """Every closed case registered with ``phone_text`` (the store's written requests)."""
        if isinstance(actor, Account) and not rules.may_erase_on_request(actor.role):
            raise PermissionDeniedError("只有前台经理、副店长或店长可以按顾客申请删除个人信息")
        why = rules.erasure_reason(reason)
        from desktop_app.domain.registration import normalise_phone

        try:
            phone = normalise_phone(phone_text)
        except ValueError as error:
            raise ValidationError({"phone": f"电话号码不对:{phone_text}"}) from error
        with UnitOfWork(self._db):
            rows = store.cases_of_phone(phone)
        if not rows:
            raise NotFoundError(f"没有电话为 {phone} 的案件(或其个人信息已删除)")
        return self._erase_requested(_preview(rows), actor, why)

    def _erase_requested(
        self, preview: RequestPreview, actor: Account | register.Actor, reason: str
    ) -> ErasureResult:
        counting = self._still_counting([case_id for case_id, _ in preview.closed])
        result = self._erase(
            [case_id for case_id, _ in preview.closed if case_id not in counting],
            actor, REQUEST, reason,
        )
        if result.erased:
            self.forget_traces()
        refused: list[str] = []
        if preview.still_open:
            refused.append(
                f"以下案件尚未结案,未删除(请先结案或作废,再删除):{'、'.join(preview.still_open)}"
            )
        if counting:
            held = [number for case_id, number in preview.closed if case_id in counting]
            refused.append(
                "以下案件有无小票退款仍按顾客电话累计审批金额,累计期满后才能删除"
                f"(到期后每日自动清理也会处理):{'、'.join(held)}"
            )
        if refused:
            return ErasureResult(
                result.erased, result.not_erased + tuple(refused), result.free_text
            )
        return result

    def _still_counting(self, case_ids: list[int]) -> set[int]:
        """Cases whose refunds without a receipt still count on the customer's phone: erasing
        the phone would start the customer's running total again at zero."""
        window = SettingsService(self._db, self._clock).no_receipt_window_days()
        since = canonical(self.now() - timedelta(days=window))
        with UnitOfWork(self._db):
            return store.counting_without_receipt(case_ids, since)

    def _erase(
        self,
        case_ids: Sequence[int],
        actor: Account | register.Actor | None,
        basis: str,
        reason: str,
    ) -> ErasureResult:
        erased: list[str] = []
        free_text: list[str] = []
        for start in range(0, len(case_ids), BATCH):
            with UnitOfWork(self._db) as uow:
                for case_id in case_ids[start:start + BATCH]:
                    outcome = self._erase_case(case_id, actor, basis, reason)
                    if outcome is not None:
                        erased.append(outcome[0])
                        if outcome[1]:
                            free_text.append(outcome[0])
                uow.commit()
        return ErasureResult(tuple(erased), (), tuple(free_text))

    def _erase_case(
        self, case_id: int, actor: Account | register.Actor | None, basis: str, reason: str
    ) -> tuple[str, bool] | None:
        """(case number, whether its free text mentions the person), or None: nothing to do."""
        row = case_store.case_columns(case_id)
        if row is None or is_open(CaseStatus.of(row["status"])):
            return None
        name, phone = str(row["customer_name"]), str(row["customer_phone"])
        if rules.is_erased(str(row["personal_salt"]), name, phone):
            return None
        mentioned = any(rules.mentions(text, name, phone) for text in store.free_texts(case_id))
        now = self.now()
        register.change(
            "case", case_id, {**rules.erased_values(name, phone), "updated_at": now}, actor,
            store.ERASE_ACTION, now, before=row, remarks={"basis": basis, "reason": reason},
        )
        register_store.blank_personal("case", case_id)
        return str(row["case_no"]), mentioned

    def forget_traces(self) -> bool:
        """After erasures: the search index merged into one segment (a deleted row's terms
        stay in older segments until they are merged), the planner's sample keys of the case
        table gone, and the WAL copied in and cut to zero bytes. Each merge step is its own
        short transaction, so saves go on meanwhile. True when the WAL could be cut."""
        with UnitOfWork(self._db) as uow:
            store.forget_index_samples()
            uow.commit()
        more = True
        while more:
            with UnitOfWork(self._db) as uow:
                more = search_index.merge_step(everything=True)
                uow.commit()
        return store.checkpoint()

    # --- backups -----------------------------------------------------------------------------

    def care_for_backups(self) -> BackupCare:
        """Every backup scrubbed of the people erased here; backups older than the retention
        period removed (the newest always stays). Reads and writes files only."""
        erasures = privacy_files.erasures_in(self._db_path)
        oldest_kept = rules.add_months(self.now().date(), -self.policy().months)
        return privacy_files.care_for_backups(
            self._db_path, erasures, datetime.combine(oldest_kept, datetime.min.time())
        )

    def free_space_cleanup_due(self) -> bool:
        """Whether the file may still keep earlier versions of case rows in free space (it
        held cases before the app zeroed what it deletes): one VACUUM clears that."""
        with UnitOfWork(self._db):
            return store.vacuum_due()

    def clean_free_space(self) -> bool:
        """The one VACUUM, if due; holds the write lock while the whole file is rewritten
        (about a second per 100 MiB here), so the window runs it only for a small file and
        ``privacy --erase-due`` for any. True when it ran."""
        if not self.free_space_cleanup_due():
            return False
        store.vacuum()
        store.checkpoint()
        return True

    def daily_job(self, progress: Progress | None = None) -> ErasureResult:
        """At start-up, before the day's backup: erase what is past its period (and, once, the
        free-space clean-up of a small file)."""
        if progress is not None:
            progress("正在删除保留期已过的顾客个人信息", 0, 0)
        result = self.erase_due()
        if self._db_path.exists() and self._db_path.stat().st_size <= BACKGROUND_VACUUM_BYTES:
            self.clean_free_space()
        return result

    def close_thread_connection(self) -> None:
        """Close the calling worker thread's own connection (peewee keeps one per thread);
        never call it on the thread the window uses."""
        self._db.close()

    # --- who printed or exported personal data ---------------------------------------------

    def record_print(
        self, actor: Account | register.Actor | None, case_id: int, document: str, file_name: str
    ) -> None:
        """A document with the customer's name and phone in full left the register."""
        with UnitOfWork(self._db) as uow:
            register.remark("case", case_id, actor, "printed", self.now(),
                            {"document": document, "file": file_name})
            uow.commit()

    def record_export(
        self, actor: Account | register.Actor | None, document: str, files: Sequence[Path]
    ) -> None:
        """Reports or exports written to files: who, when, which."""
        with UnitOfWork(self._db) as uow:
            register.remark("setting", SETTINGS_ID, actor, "exported", self.now(),
                            {"document": document, "files": [path.name for path in files]})
            uow.commit()


def _preview(rows: Sequence[Sequence[Any]]) -> RequestPreview:
    closed = tuple(
        (int(row[0]), str(row[1])) for row in rows if not is_open(CaseStatus.of(row[2]))
    )
    still_open = tuple(str(row[1]) for row in rows if is_open(CaseStatus.of(row[2])))
    return RequestPreview(closed=closed, still_open=still_open)
