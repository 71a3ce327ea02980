"""Peewee records: one class per table. Names end in ``Record`` so they are never mistaken
for Qt item models. The tables themselves are created by ``migrations``, not by these classes."""

from __future__ import annotations

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from desktop_app.store.connection import database


class BaseRecord(Model):
    class Meta:
        database = database
        legacy_table_names = False


class UserRecord(BaseRecord):
    username = CharField(unique=True)
    display_name = CharField()
    role = CharField()
    password_hash = CharField()
    active = BooleanField(default=True)
    failed_logins = IntegerField(default=0)
    locked_until = DateTimeField(null=True)
    created_at = DateTimeField()
    must_change_password = BooleanField(default=False)

    class Meta:
        table_name = "user"


class SettingRecord(BaseRecord):
    key = CharField(primary_key=True)
    value = TextField()

    class Meta:
        table_name = "setting"


class DepartmentRecord(BaseRecord):
    name = CharField(unique=True)
    active = BooleanField(default=True)
    leaders = TextField(default="")
    phone = CharField(default="")

    class Meta:
        table_name = "department"


class SupplierRecord(BaseRecord):
    name = CharField(unique=True)
    contact = CharField(default="")
    phone = CharField(default="")
    active = BooleanField(default=True)

    class Meta:
        table_name = "supplier"


class ProductRecord(BaseRecord):
    barcode = CharField(unique=True)
    name = CharField(index=True)
    department = ForeignKeyField(DepartmentRecord, on_delete="RESTRICT")
    supplier = ForeignKeyField(SupplierRecord, null=True, on_delete="RESTRICT")
    price_fen = IntegerField()
    active = BooleanField(default=True)

    class Meta:
        table_name = "product"


class ReceiptRecord(BaseRecord):
    """One sales receipt, however its number was typed: what was paid is recorded once."""

    receipt_key = CharField(unique=True)
    paid_fen = IntegerField(null=True)
    created_at = DateTimeField()

    class Meta:
        table_name = "receipt"


class StaffRecord(BaseRecord):
    """A person a service complaint or a liability can name; optionally a login account."""

    name = CharField(index=True)
    department = ForeignKeyField(DepartmentRecord, null=True, on_delete="RESTRICT")
    user = ForeignKeyField(UserRecord, null=True, on_delete="RESTRICT")
    active = BooleanField(default=True)

    class Meta:
        table_name = "staff"


class CaseCounterRecord(BaseRecord):
    month = CharField(primary_key=True)
    last_seq = IntegerField()

    class Meta:
        table_name = "case_counter"


class CaseRecord(BaseRecord):
    """One line of the 《顾客接待登记表》. Workflow answers live in ``workflow`` (JSON text)."""

    case_no = CharField(unique=True)
    received_at = DateTimeField()
    channel = CharField()
    clerk = ForeignKeyField(UserRecord, on_delete="RESTRICT")
    customer_name = CharField(default="")
    customer_phone = CharField(default="")
    subject = CharField()
    product = ForeignKeyField(ProductRecord, null=True, on_delete="RESTRICT")
    product_barcode = CharField(default="")
    product_name = CharField(default="")
    department = ForeignKeyField(DepartmentRecord, null=True, on_delete="RESTRICT")
    supplier = ForeignKeyField(SupplierRecord, null=True, on_delete="RESTRICT")
    staff_name = CharField(default="")
    receipt_no = CharField(default="")
    purchase_date = DateField(null=True)
    account = TextField()
    demand = CharField()
    category = CharField()
    kind = CharField()
    is_major = BooleanField(default=False)
    promised_reply_date = DateField(null=True)
    status = CharField()
    needs_confirmation = BooleanField(default=False)
    confirmation_deadline = DateTimeField(null=True)
    workflow = TextField(default="{}")
    first_response_at = DateTimeField(null=True)
    closed_at = DateTimeField(null=True)
    major_acknowledged_at = DateTimeField(null=True)
    major_acknowledged_by = ForeignKeyField(UserRecord, null=True, on_delete="RESTRICT")
    updated_at = DateTimeField()
    receipt = ForeignKeyField(ReceiptRecord, null=True, on_delete="RESTRICT")
    personal_salt = CharField(default="")

    class Meta:
        table_name = "case"


class RegisterEntryRecord(BaseRecord):
    """One link of the register's hash chain (domain/register.py)."""

    seq = IntegerField(primary_key=True)
    at = CharField()
    actor_id = IntegerField(null=True)
    actor = CharField()
    entity = CharField()
    entity_id = IntegerField()
    action = CharField()
    payload = TextField()
    entry_hash = CharField()
    personal = TextField(default="")

    class Meta:
        table_name = "register_entry"


class RefundRecord(BaseRecord):
    case = ForeignKeyField(CaseRecord, backref="refunds", on_delete="RESTRICT")
    receipt_no = CharField(default="")
    kind = CharField()
    amount_fen = IntegerField()
    reason = TextField()
    is_quality = BooleanField(default=False)
    supplier = ForeignKeyField(SupplierRecord, null=True, on_delete="RESTRICT")
    charge_back_status = CharField(default="not_applicable")
    is_special = BooleanField(default=False)
    special_reason = CharField(default="")
    special_detail = TextField(default="")
    status = CharField()
    level_required = IntegerField()
    requested_by = ForeignKeyField(UserRecord, on_delete="RESTRICT")
    requested_at = DateTimeField()
    decided_by = ForeignKeyField(UserRecord, null=True, on_delete="RESTRICT")
    decided_at = DateTimeField(null=True)
    decision_comment = TextField(default="")
    head_office_approver = CharField(default="")
    head_office_reference = CharField(default="")
    head_office_date = DateField(null=True)
    receipt = ForeignKeyField(ReceiptRecord, null=True, on_delete="RESTRICT")
    receipt_total_fen = IntegerField(null=True)
    charge_back_note = TextField(default="")

    class Meta:
        table_name = "refund"


class RefundItemRecord(BaseRecord):
    refund = ForeignKeyField(RefundRecord, backref="items", on_delete="RESTRICT")
    product = ForeignKeyField(ProductRecord, null=True, on_delete="RESTRICT")
    barcode = CharField(default="")
    product_name = CharField()
    quantity = IntegerField()
    amount_fen = IntegerField()
    defect = TextField(default="")

    class Meta:
        table_name = "refund_item"


class ChargeBackRecord(BaseRecord):
    """One approved quality return as its supplier owes it (domain/charge_backs.py)."""

    refund = ForeignKeyField(RefundRecord, unique=True, on_delete="RESTRICT")
    supplier = ForeignKeyField(SupplierRecord, null=True, on_delete="RESTRICT")
    amount_fen = IntegerField()
    amount_note = TextField(default="")
    status = CharField(default="pending")
    deduction_ref = CharField(default="")
    deducted_on = DateField(null=True)
    waive_reason = TextField(default="")
    created_at = DateTimeField()
    decided_by = ForeignKeyField(UserRecord, null=True, on_delete="RESTRICT")
    decided_at = DateTimeField(null=True)

    class Meta:
        table_name = "charge_back"


class ImprovementOrderRecord(BaseRecord):
    """责令改善: an order to a supplier or a department, followed up until done."""

    case = ForeignKeyField(CaseRecord, null=True, on_delete="RESTRICT")
    target = CharField()
    supplier = ForeignKeyField(SupplierRecord, null=True, on_delete="RESTRICT")
    department = ForeignKeyField(DepartmentRecord, null=True, on_delete="RESTRICT")
    requirement = TextField()
    due_on = DateField()
    status = CharField(default="open")
    issued_by = ForeignKeyField(UserRecord, on_delete="RESTRICT")
    issued_at = DateTimeField()
    done_on = DateField(null=True)
    result = TextField(default="")
    closed_by = ForeignKeyField(UserRecord, null=True, on_delete="RESTRICT")
    closed_at = DateTimeField(null=True)

    class Meta:
        table_name = "improvement_order"


class ImprovementFollowUpRecord(BaseRecord):
    order = ForeignKeyField(ImprovementOrderRecord, on_delete="RESTRICT")
    at = DateTimeField()
    by = ForeignKeyField(UserRecord, on_delete="RESTRICT")
    note = TextField()
    new_due_on = DateField(null=True)

    class Meta:
        table_name = "improvement_follow_up"


class LiabilityRecord(BaseRecord):
    """A staff member's share of a service compensation and the penalty of step 8."""

    refund = ForeignKeyField(RefundRecord, on_delete="RESTRICT")
    staff = ForeignKeyField(StaffRecord, on_delete="RESTRICT")
    share_pct = IntegerField()
    amount_fen = IntegerField()
    penalty_fen = IntegerField(default=0)
    penalty_note = TextField(default="")
    status = CharField(default="pending")
    settle_ref = CharField(default="")
    settled_on = DateField(null=True)
    reason = TextField(default="")
    recorded_by = ForeignKeyField(UserRecord, on_delete="RESTRICT")
    recorded_at = DateTimeField()
    decided_by = ForeignKeyField(UserRecord, null=True, on_delete="RESTRICT")
    decided_at = DateTimeField(null=True)

    class Meta:
        table_name = "liability"


FOUNDATION_RECORDS: list[type[BaseRecord]] = [
    UserRecord,
    SettingRecord,
    DepartmentRecord,
    SupplierRecord,
    ProductRecord,
]
CASE_RECORDS: list[type[BaseRecord]] = [
    ReceiptRecord, CaseCounterRecord, CaseRecord, RegisterEntryRecord
]
REFUND_RECORDS: list[type[BaseRecord]] = [RefundRecord, RefundItemRecord]
CATALOG_RECORDS: list[type[BaseRecord]] = [StaffRecord]
LEDGER_RECORDS: list[type[BaseRecord]] = [
    ChargeBackRecord, ImprovementOrderRecord, ImprovementFollowUpRecord, LiabilityRecord,
]
ALL_RECORDS: list[type[BaseRecord]] = [
    *FOUNDATION_RECORDS, *CASE_RECORDS, *REFUND_RECORDS, *CATALOG_RECORDS, *LEDGER_RECORDS,
]
