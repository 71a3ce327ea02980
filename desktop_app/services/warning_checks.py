"""Early warning in the registration's own transaction: a saved case counted against the
store's rules, and a warning raised (or joined) as register entries."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from desktop_app.domain import warning_rules as rules
from desktop_app.domain.accounts import Account
from desktop_app.domain.cases import Category, Subject
from desktop_app.domain.register import canonical
from desktop_app.domain.warning_rules import Probe, WarningRule, WarningSettings, WarningStatus
from desktop_app.services import register
from desktop_app.services.stored_values import as_datetime
from desktop_app.store import register as register_store
from desktop_app.store import warnings as store

# A warning is raised with at most this many of the cases that crossed its threshold.
RAISED_WITH_AT_MOST = 50


def current_settings() -> WarningSettings:
    return rules.settings_from(register_store.settings())


def check_new_case(
    case_id: int, row: Mapping[str, Any], actor: Account | register.Actor | None, at: datetime
) -> list[int]:
    """Check a case just inserted against every rule; raise warnings or add the case to open
    ones. Call inside the registration's unit of work. Returns the warnings it is now part of."""
    case = _new_case(case_id, row)
    settings = current_settings()
    joined = []
    for probe in rules.probes(case, settings):
        warning_id = _check(probe, case, actor, at)
        if warning_id is not None:
            joined.append(warning_id)
    return joined


def _new_case(case_id: int, row: Mapping[str, Any]) -> rules.NewCase:
    department, supplier, receipt = store.subject_names(case_id)
    barcode = str(row.get("product_barcode") or "")
    name = str(row.get("product_name") or "")
    return rules.NewCase(
        case_id=case_id,
        received_at=as_datetime(row["received_at"]),
        subject=Subject.of(str(row["subject"])),
        category=Category.of(str(row["category"])),
        product_barcode=barcode,
        product_name=name,
        catalogue_barcode="" if barcode or not name else store.catalogue_barcode(name),
        supplier_id=row.get("supplier_id"),
        supplier_name=supplier,
        department_id=row.get("department_id"),
        department_name=department,
        staff_name=str(row.get("staff_name") or ""),
        customer_phone=str(row.get("customer_phone") or ""),
        receipt_id=row.get("receipt_id"),
        receipt_no=receipt,
    )


def _check(
    probe: Probe, case: rules.NewCase, actor: Account | register.Actor | None, at: datetime
) -> int | None:
    open_id, closed = _open_or_last_closed(probe, case)
    if open_id is not None:
        if not store.is_linked(open_id, case.case_id):
            _link(open_id, case.case_id, store.case_count(open_id) + 1, actor, at)
        return open_id
    since = rules.window_start(
        case.received_at, probe.threshold.days, None if closed is None else as_datetime(closed)
    )
    counted = _counted_cases(probe, case, canonical(since))
    if len(counted) < probe.threshold.count or case.case_id not in counted:
        return None
    return _raise(probe, counted, actor, at)


def _open_or_last_closed(probe: Probe, case: rules.NewCase) -> tuple[int | None, str | None]:
    """The subject's open warning, or else when its last one was closed."""
    if probe.rule is WarningRule.REPEAT_PHONE:
        return store.phone_warnings(case.customer_phone)
    found = store.open_warning(probe.rule.value, probe.subject_key)
    if found is not None:
        return found[0], None
    return None, store.last_closed(probe.rule.value, probe.subject_key)


def _counts(probe: Probe, case: rules.NewCase) -> list[tuple[str, Any]]:
    """Which counted indexes hold the cases of this probe's subject, and the value to look up."""
    rule = probe.rule
    if rule is WarningRule.PRODUCT or rule is WarningRule.FOOD_SAFETY:
        parts: list[tuple[str, Any]] = []
        if probe.barcode:
            parts.append(("barcode", probe.barcode))
        if probe.name_key:
            parts.append(("name", probe.name_key))
        return parts
    value: dict[WarningRule, tuple[str, Any]] = {
        WarningRule.SUPPLIER: ("supplier", case.supplier_id),
        WarningRule.DEPARTMENT: ("department", case.department_id),
        WarningRule.CATEGORY: ("category", case.category.value),
        WarningRule.STAFF: ("staff", case.staff_name),
        WarningRule.REPEAT_PHONE: ("phone", case.customer_phone),
        WarningRule.REPEAT_RECEIPT: ("receipt", case.receipt_id),
    }
    return [value[rule]]


def _counted_cases(probe: Probe, case: rules.NewCase, since: str) -> list[int]:
    """The counted cases of the probe's window, oldest first: one count per index while below
    the threshold (nothing read but index entries), their ids once it is reached."""
    if probe.rule is WarningRule.FOOD_SAFETY:
        # Any food-safety complaint warns at once, with itself.
        return [case.case_id]
    parts = _counts(probe, case)
    total = sum(store.count_since(kind, value, since) for kind, value in parts)
    if total < probe.threshold.count:
        return []
    found: dict[int, str] = {}
    for kind, value in parts:
        found.update(store.ids_since(kind, value, since, RAISED_WITH_AT_MOST))
    ordered = sorted(found, key=lambda case_id: (found[case_id], case_id))
    return ordered[-RAISED_WITH_AT_MOST:]


def _raise(
    probe: Probe, case_ids: list[int], actor: Account | register.Actor | None, at: datetime
) -> int:
    actor_id = register.actor_of(actor).id
    warning_id = register.create("warning", {
        "rule": probe.rule.value, "subject_key": probe.subject_key, "subject": probe.subject,
        "threshold": probe.threshold.count, "window_days": probe.threshold.days,
        "raised_at": at, "raised_by_id": actor_id, "status": WarningStatus.RAISED.value,
    }, actor, "warning:raise", at)
    for ordinal, case_id in enumerate(case_ids, start=1):
        _link(warning_id, case_id, ordinal, actor, at)
    return warning_id


def _link(
    warning_id: int, case_id: int, ordinal: int, actor: Account | register.Actor | None,
    at: datetime,
) -> None:
    register.create("warning_case", {
        "warning_id": warning_id, "case_id": case_id, "ordinal": ordinal, "linked_at": at,
    }, actor, "warning:case", at)
