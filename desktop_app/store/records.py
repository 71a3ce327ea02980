"""Peewee records: one class per table. Names end in ``Record`` so they are never mistaken
for Qt item models. The tables themselves are created by ``migrations``, not by these classes."""

from __future__ import annotations

from peewee import (
    BooleanField,
    CharField,
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

    class Meta:
        table_name = "user"


class AccountEventRecord(BaseRecord):
    """Append-only trail of logins, lockouts and account changes."""

    at = DateTimeField()
    user = ForeignKeyField(UserRecord, null=True, backref="events", on_delete="RESTRICT")
    username = CharField()
    event = CharField()
    detail = TextField(default="")
    actor = ForeignKeyField(UserRecord, null=True, on_delete="RESTRICT")

    class Meta:
        table_name = "account_event"


class SettingRecord(BaseRecord):
    key = CharField(primary_key=True)
    value = TextField()

    class Meta:
        table_name = "setting"


class DepartmentRecord(BaseRecord):
    name = CharField(unique=True)
    active = BooleanField(default=True)

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


FOUNDATION_RECORDS: list[type[BaseRecord]] = [
    UserRecord,
    AccountEventRecord,
    SettingRecord,
    DepartmentRecord,
    SupplierRecord,
    ProductRecord,
]
ALL_RECORDS: list[type[BaseRecord]] = [*FOUNDATION_RECORDS]
