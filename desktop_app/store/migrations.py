"""Schema versions. Each step is frozen DDL: once released it never changes, so a database
created by any earlier version migrates to the current one the same way.

The version lives in SQLite's ``PRAGMA user_version`` (on PostgreSQL in the table
``desk_schema``: store.pg_schema turns every step's SQLite DDL into PostgreSQL's). A backup is
taken before migrating a database that already holds data.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

import peewee
from peewee import Database

from desktop_app.store.connection import refresh_statistics
from desktop_app.store.engine import SQLITE, is_postgres

V1_FOUNDATION = (
    """CREATE TABLE "user" (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL COLLATE NOCASE UNIQUE,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        failed_logins INTEGER NOT NULL DEFAULT 0,
        locked_until TEXT,
        created_at TEXT NOT NULL
    )""",
    """CREATE TABLE account_event (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        user_id INTEGER REFERENCES "user"(id) ON DELETE RESTRICT,
        username TEXT NOT NULL,
        event TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '',
        actor_id INTEGER REFERENCES "user"(id) ON DELETE RESTRICT
    )""",
    "CREATE INDEX account_event_user ON account_event(user_id, at)",
    "CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE department (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        active INTEGER NOT NULL DEFAULT 1
    )""",
    """CREATE TABLE supplier (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        contact TEXT NOT NULL DEFAULT '',
        phone TEXT NOT NULL DEFAULT '',
        active INTEGER NOT NULL DEFAULT 1
    )""",
    """CREATE TABLE product (
        id INTEGER PRIMARY KEY,
        barcode TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        department_id INTEGER NOT NULL REFERENCES department(id) ON DELETE RESTRICT,
        supplier_id INTEGER REFERENCES supplier(id) ON DELETE RESTRICT,
        price_fen INTEGER NOT NULL CHECK (price_fen >= 0),
        active INTEGER NOT NULL DEFAULT 1
    )""",
    "CREATE INDEX product_name ON product(name)",
    # Accounts are disabled, never deleted, so that history keeps its names.
    """CREATE TRIGGER user_never_deleted BEFORE DELETE ON "user"
        BEGIN SELECT RAISE(ABORT, 'accounts are disabled, never deleted'); END""",
)

V2_CASES = (
    # Case numbers run per month (TS-202611-0007); the counter makes them gap-free and unique.
    "CREATE TABLE case_counter (month TEXT PRIMARY KEY, last_seq INTEGER NOT NULL)",
    """CREATE TABLE "case" (
        id INTEGER PRIMARY KEY,
        case_no TEXT NOT NULL UNIQUE,
        received_at TEXT NOT NULL,
        channel TEXT NOT NULL,
        clerk_id INTEGER NOT NULL REFERENCES "user"(id) ON DELETE RESTRICT,
        customer_name TEXT NOT NULL DEFAULT '',
        customer_phone TEXT NOT NULL DEFAULT '',
        subject TEXT NOT NULL,
        product_id INTEGER REFERENCES product(id) ON DELETE RESTRICT,
        product_barcode TEXT NOT NULL DEFAULT '',
        product_name TEXT NOT NULL DEFAULT '',
        department_id INTEGER REFERENCES department(id) ON DELETE RESTRICT,
        supplier_id INTEGER REFERENCES supplier(id) ON DELETE RESTRICT,
        staff_name TEXT NOT NULL DEFAULT '',
        receipt_no TEXT NOT NULL DEFAULT '',
        purchase_date TEXT,
        amount_paid_fen INTEGER CHECK (amount_paid_fen IS NULL OR amount_paid_fen >= 0),
        account TEXT NOT NULL,
        demand TEXT NOT NULL,
        category TEXT NOT NULL,
        kind TEXT NOT NULL,
        is_major INTEGER NOT NULL DEFAULT 0,
        promised_reply_date TEXT,
        status TEXT NOT NULL,
        needs_confirmation INTEGER NOT NULL DEFAULT 0,
        confirmation_deadline TEXT,
        workflow TEXT NOT NULL DEFAULT '{}',
        first_response_at TEXT,
        closed_at TEXT,
        major_acknowledged_at TEXT,
        major_acknowledged_by_id INTEGER REFERENCES "user"(id) ON DELETE RESTRICT,
        updated_at TEXT NOT NULL
    )""",
    'CREATE INDEX case_received ON "case"(received_at)',
    'CREATE INDEX case_status_received ON "case"(status, received_at)',
    'CREATE INDEX case_category_received ON "case"(category, received_at)',
    'CREATE INDEX case_department_received ON "case"(department_id, received_at)',
    'CREATE INDEX case_clerk_received ON "case"(clerk_id, received_at)',
    'CREATE INDEX case_phone ON "case"(customer_phone)',
    'CREATE INDEX case_receipt ON "case"(receipt_no)',
    'CREATE INDEX case_customer_name ON "case"(customer_name)',
    'CREATE INDEX case_promised ON "case"(promised_reply_date) '
    "WHERE promised_reply_date IS NOT NULL",
    'CREATE INDEX case_major ON "case"(is_major, received_at) WHERE is_major = 1',
    # Trigram full-text index for the queue's search box (3+ characters), kept in step with
    # the case table by triggers so no code path can forget it.
    """CREATE VIRTUAL TABLE case_search USING fts5(
        case_no, customer_name, customer_phone, receipt_no, product_name,
        content='case', content_rowid='id', tokenize='trigram')""",
    """CREATE TRIGGER case_search_insert AFTER INSERT ON "case" BEGIN
        INSERT INTO case_search(rowid, case_no, customer_name, customer_phone, receipt_no,
            product_name)
        VALUES (new.id, new.case_no, new.customer_name, new.customer_phone, new.receipt_no,
            new.product_name);
    END""",
    """CREATE TRIGGER case_search_update AFTER UPDATE OF case_no, customer_name, customer_phone,
            receipt_no, product_name ON "case" BEGIN
        INSERT INTO case_search(case_search, rowid, case_no, customer_name, customer_phone,
            receipt_no, product_name)
        VALUES ('delete', old.id, old.case_no, old.customer_name, old.customer_phone,
            old.receipt_no, old.product_name);
        INSERT INTO case_search(rowid, case_no, customer_name, customer_phone, receipt_no,
            product_name)
        VALUES (new.id, new.case_no, new.customer_name, new.customer_phone, new.receipt_no,
            new.product_name);
    END""",
    # A registered case is never deleted: mistakes are voided with a reason.
    """CREATE TRIGGER case_never_deleted BEFORE DELETE ON "case"
        BEGIN SELECT RAISE(ABORT, 'cases are voided, never deleted'); END""",
    """CREATE TABLE audit_entry (
        seq INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES "case"(id) ON DELETE RESTRICT,
        at TEXT NOT NULL,
        actor_id INTEGER REFERENCES "user"(id) ON DELETE RESTRICT,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        field TEXT NOT NULL,
        old_value TEXT NOT NULL,
        new_value TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        entry_hash TEXT NOT NULL
    )""",
    "CREATE INDEX audit_entry_case ON audit_entry(case_id, seq)",
    # The app only ever appends; these stop an accidental edit. A deliberate one that drops
    # them is still caught by the hash chain.
    """CREATE TRIGGER audit_entry_append_only_update BEFORE UPDATE ON audit_entry
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
    """CREATE TRIGGER audit_entry_append_only_delete BEFORE DELETE ON audit_entry
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
)

V3_REFUNDS = (
    """CREATE TABLE refund (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES "case"(id) ON DELETE RESTRICT,
        receipt_no TEXT NOT NULL DEFAULT '',
        kind TEXT NOT NULL,
        amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
        reason TEXT NOT NULL,
        is_quality INTEGER NOT NULL DEFAULT 0,
        supplier_id INTEGER REFERENCES supplier(id) ON DELETE RESTRICT,
        charge_back_status TEXT NOT NULL DEFAULT 'not_applicable',
        is_special INTEGER NOT NULL DEFAULT 0,
        special_reason TEXT NOT NULL DEFAULT '',
        special_detail TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL,
        level_required INTEGER NOT NULL,
        requested_by_id INTEGER NOT NULL REFERENCES "user"(id) ON DELETE RESTRICT,
        requested_at TEXT NOT NULL,
        decided_by_id INTEGER REFERENCES "user"(id) ON DELETE RESTRICT,
        decided_at TEXT,
        decision_comment TEXT NOT NULL DEFAULT '',
        head_office_approver TEXT NOT NULL DEFAULT '',
        head_office_reference TEXT NOT NULL DEFAULT '',
        head_office_date TEXT
    )""",
    "CREATE INDEX refund_receipt ON refund(receipt_no) WHERE receipt_no <> ''",
    "CREATE INDEX refund_case ON refund(case_id)",
    "CREATE INDEX refund_status_level ON refund(status, level_required)",
    "CREATE INDEX refund_decided ON refund(decided_at) WHERE decided_at IS NOT NULL",
    """CREATE TABLE refund_item (
        id INTEGER PRIMARY KEY,
        refund_id INTEGER NOT NULL REFERENCES refund(id) ON DELETE RESTRICT,
        product_id INTEGER REFERENCES product(id) ON DELETE RESTRICT,
        barcode TEXT NOT NULL DEFAULT '',
        product_name TEXT NOT NULL,
        quantity INTEGER NOT NULL CHECK (quantity > 0),
        amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
        defect TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX refund_item_refund ON refund_item(refund_id)",
    """CREATE TRIGGER refund_never_deleted BEFORE DELETE ON refund
        BEGIN SELECT RAISE(ABORT, 'refunds are rejected, never deleted'); END""",
)

Step = Callable[[Database], None]


# The statuses of a case still being worked, frozen as SQL text: partial indexes below are
# used only when a query repeats this exact expression (store.cases.OPEN_CASE_SQL).
OPEN_CASE_CONDITION = (
    "status IN ('registered', 'accepted', 'awaiting_confirmation', 'in_progress', "
    "'customer_notified', 'followed_up')"
)

# Open cases are a few percent of a big store's register; these keep the "open", "open in a
# department" and "overdue" views from sorting or counting tens of thousands of rows.
V4_OPEN_CASE_INDEXES = (
    f'CREATE INDEX case_open_received ON "case"(received_at) WHERE {OPEN_CASE_CONDITION}',
    f'CREATE INDEX case_open_department ON "case"(department_id, received_at) '
    f"WHERE {OPEN_CASE_CONDITION}",
    f'CREATE INDEX case_open_promised ON "case"(promised_reply_date) '
    f"WHERE {OPEN_CASE_CONDITION}",
)


# One chain over every fact that decides money or names (domain/register.py). Receipts become
# records of their own: one canonical key, what was paid recorded once.
V5_REGISTER = (
    """CREATE TABLE receipt (
        id INTEGER PRIMARY KEY,
        receipt_key TEXT NOT NULL UNIQUE,
        paid_fen INTEGER CHECK (paid_fen IS NULL OR paid_fen >= 0),
        created_at TEXT NOT NULL
    )""",
    'ALTER TABLE "case" ADD COLUMN receipt_id INTEGER REFERENCES receipt(id) ON DELETE RESTRICT',
    # Personal values enter the chain as commitments salted with this; erasing a person
    # erases the salt too (个人信息保护法 art. 47).
    'ALTER TABLE "case" ADD COLUMN personal_salt TEXT NOT NULL DEFAULT \'\'',
    "ALTER TABLE refund ADD COLUMN receipt_id INTEGER REFERENCES receipt(id) ON DELETE RESTRICT",
    # The running total the tier was decided on, so the approval screen shows the same figure.
    "ALTER TABLE refund ADD COLUMN receipt_total_fen INTEGER",
    'ALTER TABLE "user" ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0',
    'CREATE INDEX case_receipt_id ON "case"(receipt_id) WHERE receipt_id IS NOT NULL',
    "CREATE INDEX refund_receipt_id ON refund(receipt_id, id) WHERE receipt_id IS NOT NULL",
    "DROP INDEX refund_receipt",
    """CREATE TABLE register_entry (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor_id INTEGER,
        actor TEXT NOT NULL,
        entity TEXT NOT NULL,
        entity_id INTEGER NOT NULL,
        action TEXT NOT NULL,
        payload TEXT NOT NULL,
        entry_hash TEXT NOT NULL,
        personal TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX register_entry_entity ON register_entry(entity, entity_id, seq)",
    *(
        f"""CREATE TRIGGER {table}_never_deleted BEFORE DELETE ON {table}
        BEGIN SELECT RAISE(ABORT, 'register records are never deleted'); END"""
        for table in ("receipt", "refund_item", "department", "supplier", "product", "setting")
    ),
    """CREATE TRIGGER refund_item_never_changed BEFORE UPDATE ON refund_item
        BEGIN SELECT RAISE(ABORT, 'refund items are never changed'); END""",
    """CREATE TRIGGER register_entry_never_deleted BEFORE DELETE ON register_entry
        BEGIN SELECT RAISE(ABORT, 'the register is append-only'); END""",
    # The only change allowed: blanking the plain personal text kept beside an entry.
    """CREATE TRIGGER register_entry_append_only BEFORE UPDATE ON register_entry
        WHEN new.personal <> '' OR new.seq IS NOT old.seq OR new.at IS NOT old.at
            OR new.actor_id IS NOT old.actor_id OR new.actor IS NOT old.actor
            OR new.entity IS NOT old.entity OR new.entity_id IS NOT old.entity_id
            OR new.action IS NOT old.action OR new.payload IS NOT old.payload
            OR new.entry_hash IS NOT old.entry_hash
        BEGIN SELECT RAISE(ABORT, 'the register is append-only'); END""",
)
V5_DROP_LEGACY = (
    # What was paid now lives once, on the receipt.
    'ALTER TABLE "case" DROP COLUMN amount_paid_fen',
    "DROP TRIGGER IF EXISTS audit_entry_append_only_update",
    "DROP TRIGGER IF EXISTS audit_entry_append_only_delete",
    "DROP TABLE audit_entry",
    "DROP TABLE account_event",
)


def _v5_register(db: Database) -> None:
    from desktop_app.store.legacy_register import convert

    _ddl(V5_REGISTER)(db)
    convert(db, datetime.now())
    _ddl(V5_DROP_LEGACY)(db)


def protective_triggers(engine: str = SQLITE) -> dict[str, str]:
    """The triggers that refuse deletes and edits of register records, by name, as created
    (on PostgreSQL: as store.register.triggers() reads them back from the catalogue).
    Verify checks every one is still there unchanged."""
    statements = [
        *V1_FOUNDATION, *V2_CASES, *V3_REFUNDS, *V5_REGISTER, *V_CATALOG, *V_WARNINGS,
        *V_LEDGER,
    ]
    if engine != SQLITE:
        from desktop_app.store import pg_schema

        return pg_schema.protective_triggers(
            [statement for statement in statements if "audit_entry" not in statement.split()[2]]
        )
    found: dict[str, str] = {}
    for statement in statements:
        words = statement.split()
        legacy = words[2].startswith(("case_search", "audit_entry"))
        if words[:2] == ["CREATE", "TRIGGER"] and not legacy:
            found[words[2]] = statement
    return found


def search_triggers() -> dict[str, str]:
    """The search index's triggers and the guards beside them (SQLite), by name, as created:
    verify names one changed, or any trigger the app never creates."""
    found: dict[str, str] = {}
    for statement in V_SUBSTRING_SEARCH:
        words = statement.split()
        if words[:2] == ["CREATE", "TRIGGER"]:
            found[words[2]] = statement
    return found


# --- substring search ---------------------------------------------------------------------
# The queue's search box finds any two or more characters anywhere in six columns. The text
# FTS5 indexes is one string per case: the columns joined and closed by U+001F, a character
# nobody can type into the box. Closing every column means each two-character piece of text
# is the start of an indexed trigram, so two-character queries are answered from the same
# index (store.queue); and no match can run from one column into the next.
SEARCH_COLUMNS = (
    "case_no", "customer_name", "customer_phone", "receipt_no", "product_name", "account",
)


def _search_text(row: str) -> str:
    return " || ".join(f"{row}.{column} || char(31)" for column in SEARCH_COLUMNS)


SEARCH_INSERT_TRIGGER = f"""CREATE TRIGGER case_search_insert AFTER INSERT ON "case" BEGIN
        INSERT INTO case_search(rowid, body) VALUES (new.id, {_search_text("new")});
    END"""

V_SUBSTRING_SEARCH = (
    "DROP TRIGGER case_search_insert",
    "DROP TRIGGER case_search_update",
    "DROP TABLE case_search",
    f'CREATE VIEW case_search_text AS SELECT c.id AS id, {_search_text("c")} AS body '
    'FROM "case" AS c',
    # Trigrams without positions (detail=none) or column sizes: a third of the size of a full
    # index; the store checks longer queries against the case row itself.
    """CREATE VIRTUAL TABLE case_search USING fts5(body, content='case_search_text',
        content_rowid='id', tokenize='trigram', detail='none', columnsize=0)""",
    # Segment merges never run inside a save (they stalled every ~15th save for up to a
    # second at 1,000,000 cases); the app merges in small steps while idle and at close
    # (store.search_index). Crisis merges stay as a backstop: 16 small segments on one level
    # are merged at once (a millisecond or two), so an app never left idle still keeps the
    # number of segments a search has to visit small.
    "INSERT INTO case_search(case_search, rank) VALUES ('automerge', 0)",
    "INSERT INTO case_search(case_search, rank) VALUES ('crisismerge', 16)",
    # The index's own term list, read by two-character searches.
    "CREATE VIRTUAL TABLE case_search_terms USING fts5vocab(case_search, 'instance')",
    SEARCH_INSERT_TRIGGER,
    f"""CREATE TRIGGER case_search_update AFTER UPDATE OF id, {", ".join(SEARCH_COLUMNS)}
            ON "case"
        WHEN old.id IS NOT new.id OR ({_search_text("old")}) IS NOT ({_search_text("new")})
        BEGIN
        INSERT INTO case_search(case_search, rowid, body)
            VALUES ('delete', old.id, {_search_text("old")});
        INSERT INTO case_search(rowid, body) VALUES (new.id, {_search_text("new")});
    END""",
    # Cases are never deleted (case_never_deleted), but should that guard ever be dropped,
    # the index still forgets the row's text.
    f"""CREATE TRIGGER case_search_delete AFTER DELETE ON "case" BEGIN
        INSERT INTO case_search(case_search, rowid, body)
            VALUES ('delete', old.id, {_search_text("old")});
    END""",
    # INSERT OR REPLACE / UPDATE OR REPLACE delete the row they collide with without firing
    # delete triggers, which would leave that row's text in the index: refuse them.
    """CREATE TRIGGER case_never_replaced BEFORE INSERT ON "case"
        WHEN EXISTS (SELECT 1 FROM "case" WHERE id = new.id)
            OR EXISTS (SELECT 1 FROM "case" WHERE case_no = new.case_no)
        BEGIN SELECT RAISE(ABORT, 'cases are never replaced'); END""",
    """CREATE TRIGGER case_never_replaced_by_update BEFORE UPDATE OF id, case_no ON "case"
        WHEN EXISTS (SELECT 1 FROM "case" WHERE id = new.id AND id IS NOT old.id)
            OR EXISTS (SELECT 1 FROM "case" WHERE case_no = new.case_no AND id IS NOT old.id)
        BEGIN SELECT RAISE(ABORT, 'cases are never replaced'); END""",
    # An existing register: index every case it holds, as one merged segment.
    "INSERT INTO case_search(case_search) VALUES ('rebuild')",
    "INSERT INTO case_search(case_search) VALUES ('optimize')",
)


# Why a supplier charge-back was waived (the store manager's reason, printed on the report).
V_REPORTS = (
    "ALTER TABLE refund ADD COLUMN charge_back_note TEXT NOT NULL DEFAULT ''",
)


# Store master data: departments name the team leaders who confirm quality problems and their
# phone; staff are the people a service complaint or a liability can name (optionally linked to
# a login account). Every change is a register entry (services/catalog.py).
V_CATALOG = (
    "ALTER TABLE department ADD COLUMN leaders TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE department ADD COLUMN phone TEXT NOT NULL DEFAULT ''",
    """CREATE TABLE staff (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        department_id INTEGER REFERENCES department(id) ON DELETE RESTRICT,
        user_id INTEGER REFERENCES "user"(id) ON DELETE RESTRICT,
        active INTEGER NOT NULL DEFAULT 1
    )""",
    "CREATE INDEX staff_name ON staff(name)",
    # One staff entry per login account.
    "CREATE UNIQUE INDEX staff_user ON staff(user_id) WHERE user_id IS NOT NULL",
    "CREATE INDEX product_department ON product(department_id)",
    """CREATE TRIGGER staff_never_deleted BEFORE DELETE ON staff
        BEGIN SELECT RAISE(ABORT, 'register records are never deleted'); END""",
)


# Early warning (预警) and complaint analysis. A warning is a case-like record: raised by the
# save that crossed a rule's threshold, with the cases that triggered it (warning_case, one row
# per case, never changed), acknowledged with an action and closed when the action is done;
# every step is a register entry (services/warnings.py).
#
# The rules and the analysis count "counted" cases, every case not voided (entered by
# mistake), off partial indexes that hold exactly those: a count of the last days of one
# product, supplier, department, category or staff member reads a few hundred index entries
# and no case row (bench/warnings.py: ≤ 5 ms for every rule at 1,000,000 cases).
COUNTED = "status <> 'voided'"


# A product named without a barcode is matched by its name without blanks, ASCII letters in
# lower case (what SQLite's lower() folds); domain.warning_rules.product_name_key is the same.
def product_name_key_sql(column: str) -> str:
    return f"lower(replace({column}, ' ', ''))"


PRODUCT_NAME_KEY_SQL = product_name_key_sql("product_name")
# Seconds from registration to the first answer, and to closing: the analysis reads medians
# straight off these (index order within a month), never the case rows.
RESPONSE_SECONDS_SQL = "strftime('%s', first_response_at) - strftime('%s', received_at)"
CLOSING_SECONDS_SQL = "strftime('%s', closed_at) - strftime('%s', received_at)"
SATISFACTION_SQL = (
    "(CASE WHEN json_valid(workflow) THEN json_extract(workflow, '$.follow_up.satisfaction') END)"
)
WARNING_CASE_TRIGGERS = (
    """CREATE TRIGGER warning_case_never_deleted BEFORE DELETE ON warning_case
        BEGIN SELECT RAISE(ABORT, 'register records are never deleted'); END""",
    """CREATE TRIGGER warning_case_never_changed BEFORE UPDATE ON warning_case
        BEGIN SELECT RAISE(ABORT, 'the cases of a warning are never changed'); END""",
)
V_WARNINGS = (
    """CREATE TABLE warning (
        id INTEGER PRIMARY KEY,
        rule TEXT NOT NULL,
        subject_key TEXT NOT NULL DEFAULT '',
        subject TEXT NOT NULL DEFAULT '',
        threshold INTEGER NOT NULL,
        window_days INTEGER NOT NULL,
        raised_at TEXT NOT NULL,
        raised_by_id INTEGER REFERENCES "user"(id) ON DELETE RESTRICT,
        status TEXT NOT NULL DEFAULT 'raised',
        action TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '',
        acknowledged_at TEXT,
        acknowledged_by_id INTEGER REFERENCES "user"(id) ON DELETE RESTRICT,
        closed_at TEXT,
        closed_by_id INTEGER REFERENCES "user"(id) ON DELETE RESTRICT,
        close_note TEXT NOT NULL DEFAULT ''
    )""",
    # The open warning of a rule and subject, which a new case joins instead of raising another.
    "CREATE INDEX warning_open_subject ON warning(rule, subject_key) WHERE status <> 'closed'",
    # When the last one closed: only cases after it count towards the next.
    "CREATE INDEX warning_subject_closed ON warning(rule, subject_key, closed_at) "
    "WHERE status = 'closed'",
    "CREATE INDEX warning_status_raised ON warning(status, raised_at)",
    "CREATE INDEX warning_raised ON warning(raised_at)",
    """CREATE TABLE warning_case (
        id INTEGER PRIMARY KEY,
        warning_id INTEGER NOT NULL REFERENCES warning(id) ON DELETE RESTRICT,
        case_id INTEGER NOT NULL REFERENCES "case"(id) ON DELETE RESTRICT,
        ordinal INTEGER NOT NULL,
        linked_at TEXT NOT NULL,
        UNIQUE (warning_id, case_id)
    )""",
    "CREATE INDEX warning_case_case ON warning_case(case_id)",
    # The first and the latest case of a warning, and how many it has (the latest's number).
    "CREATE UNIQUE INDEX warning_case_ordinal ON warning_case(warning_id, ordinal)",
    """CREATE TRIGGER warning_never_deleted BEFORE DELETE ON warning
        BEGIN SELECT RAISE(ABORT, 'register records are never deleted'); END""",
    *WARNING_CASE_TRIGGERS,
    f'CREATE INDEX case_counted_barcode ON "case"(product_barcode, received_at) '
    f"WHERE {COUNTED} AND product_barcode <> ''",
    f'CREATE INDEX case_counted_product_name ON "case"({PRODUCT_NAME_KEY_SQL}, received_at) '
    f"WHERE {COUNTED} AND product_barcode = '' AND product_name <> ''",
    f'CREATE INDEX case_counted_supplier ON "case"(supplier_id, received_at) '
    f"WHERE {COUNTED} AND supplier_id IS NOT NULL",
    f'CREATE INDEX case_counted_department ON "case"(department_id, received_at) '
    f"WHERE {COUNTED} AND department_id IS NOT NULL",
    f'CREATE INDEX case_counted_category ON "case"(category, received_at) WHERE {COUNTED}',
    f'CREATE INDEX case_counted_staff ON "case"(staff_name, received_at) '
    f"WHERE {COUNTED} AND subject = 'service' AND staff_name <> ''",
    f'CREATE INDEX case_counted_response ON "case"(substr(received_at, 1, 7), '
    f"{RESPONSE_SECONDS_SQL}) WHERE {COUNTED} AND first_response_at IS NOT NULL",
    f'CREATE INDEX case_closing ON "case"(substr(closed_at, 1, 7), {CLOSING_SECONDS_SQL}) '
    "WHERE status IN ('closed', 'not_upheld')",
    f'CREATE INDEX case_satisfaction ON "case"({SATISFACTION_SQL}, closed_at) '
    "WHERE status = 'closed'",
)


# Who pays: the supplier charge-back ledger (one line per approved quality return), improvement
# orders to a supplier or department with their follow-ups, and the staff liability ledger
# (shares of a service compensation and the penalty of step 8). Every row is a register entry
# (services/charge_backs.py, improvement_orders.py, liabilities.py); none is ever deleted.
V_LEDGER = (
    """CREATE TABLE charge_back (
        id INTEGER PRIMARY KEY,
        refund_id INTEGER NOT NULL UNIQUE REFERENCES refund(id) ON DELETE RESTRICT,
        supplier_id INTEGER REFERENCES supplier(id) ON DELETE RESTRICT,
        amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
        amount_note TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'pending',
        deduction_ref TEXT NOT NULL DEFAULT '',
        deducted_on TEXT,
        waive_reason TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        decided_by_id INTEGER REFERENCES "user"(id) ON DELETE RESTRICT,
        decided_at TEXT
    )""",
    "CREATE INDEX charge_back_supplier ON charge_back(supplier_id, created_at)",
    "CREATE INDEX charge_back_created ON charge_back(created_at)",
    "CREATE INDEX charge_back_pending ON charge_back(supplier_id) WHERE status = 'pending'",
    """CREATE TABLE improvement_order (
        id INTEGER PRIMARY KEY,
        case_id INTEGER REFERENCES "case"(id) ON DELETE RESTRICT,
        target TEXT NOT NULL CHECK (target IN ('supplier', 'department')),
        supplier_id INTEGER REFERENCES supplier(id) ON DELETE RESTRICT,
        department_id INTEGER REFERENCES department(id) ON DELETE RESTRICT,
        requirement TEXT NOT NULL,
        due_on TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'open',
        issued_by_id INTEGER NOT NULL REFERENCES "user"(id) ON DELETE RESTRICT,
        issued_at TEXT NOT NULL,
        done_on TEXT,
        result TEXT NOT NULL DEFAULT '',
        closed_by_id INTEGER REFERENCES "user"(id) ON DELETE RESTRICT,
        closed_at TEXT,
        CHECK ((target = 'supplier' AND supplier_id IS NOT NULL AND department_id IS NULL)
            OR (target = 'department' AND department_id IS NOT NULL AND supplier_id IS NULL))
    )""",
    "CREATE INDEX improvement_order_status ON improvement_order(status, due_on)",
    "CREATE INDEX improvement_order_supplier ON improvement_order(supplier_id) "
    "WHERE supplier_id IS NOT NULL",
    """CREATE TABLE improvement_follow_up (
        id INTEGER PRIMARY KEY,
        order_id INTEGER NOT NULL REFERENCES improvement_order(id) ON DELETE RESTRICT,
        at TEXT NOT NULL,
        by_id INTEGER NOT NULL REFERENCES "user"(id) ON DELETE RESTRICT,
        note TEXT NOT NULL,
        new_due_on TEXT
    )""",
    "CREATE INDEX improvement_follow_up_order ON improvement_follow_up(order_id, id)",
    """CREATE TABLE liability (
        id INTEGER PRIMARY KEY,
        refund_id INTEGER NOT NULL REFERENCES refund(id) ON DELETE RESTRICT,
        staff_id INTEGER NOT NULL REFERENCES staff(id) ON DELETE RESTRICT,
        share_pct INTEGER NOT NULL CHECK (share_pct BETWEEN 1 AND 100),
        amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
        penalty_fen INTEGER NOT NULL DEFAULT 0 CHECK (penalty_fen >= 0),
        penalty_note TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'pending',
        settle_ref TEXT NOT NULL DEFAULT '',
        settled_on TEXT,
        reason TEXT NOT NULL DEFAULT '',
        recorded_by_id INTEGER NOT NULL REFERENCES "user"(id) ON DELETE RESTRICT,
        recorded_at TEXT NOT NULL,
        decided_by_id INTEGER REFERENCES "user"(id) ON DELETE RESTRICT,
        decided_at TEXT
    )""",
    "CREATE INDEX liability_refund ON liability(refund_id)",
    "CREATE INDEX liability_recorded ON liability(recorded_at)",
    "CREATE INDEX liability_staff ON liability(staff_id, recorded_at)",
    *(
        f"""CREATE TRIGGER {table}_never_deleted BEFORE DELETE ON {table}
        BEGIN SELECT RAISE(ABORT, 'register records are never deleted'); END"""
        for table in ("charge_back", "improvement_order", "improvement_follow_up", "liability")
    ),
    """CREATE TRIGGER improvement_follow_up_never_changed BEFORE UPDATE ON improvement_follow_up
        BEGIN SELECT RAISE(ABORT, 'follow-ups are never changed'); END""",
)


def _v_ledger(db: Database) -> None:
    """The ledger's tables; quality returns approved before it existed become its first lines,
    in their recorded state, each a register entry of the migration."""
    from desktop_app.store.ledger_backfill import open_earlier_charge_backs

    _ddl(V_LEDGER)(db)
    open_earlier_charge_backs(db, datetime.now())


# Customers' personal data is erased after a retention period (services/privacy.py). The daily
# job asks for closed cases that still hold a customer's name or phone: an erased case has no
# salt and leaves this index, so the question stays cheap at any size. Erasures are listed (and
# replayed into older backups) from the second index without reading every entry.
V_PRIVACY = (
    'CREATE INDEX case_personal_closed ON "case"(closed_at) WHERE personal_salt <> \'\'',
    "CREATE INDEX register_entry_erasures ON register_entry(seq) WHERE action = 'erase'",
    # The app now zeroes what it deletes (connection.DURABLE_PRAGMAS: secure_delete). A file
    # that held cases before may have been written without it (Python's SQLite on Windows):
    # its free space can keep earlier versions of case rows until one VACUUM rewrites it.
    "CREATE TABLE privacy_upkeep (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "INSERT INTO privacy_upkeep (key, value) "
    "SELECT 'vacuum_due', '1' WHERE EXISTS (SELECT 1 FROM \"case\")",
)


# The analysis tally (投诉分析): per month, how many counted cases each category, product,
# supplier, department and satisfaction score has, and how many answers and closings fall in
# each band of time taken (domain.case_tally). Derived data like the search index, not a fact:
# no register entry, no never-deleted trigger; it is rebuilt from the case rows by
# store.case_tally.rebuild (here, and after a load that bypasses the services), and the
# services keep it current in the same transaction as every write of a case. Plain portable
# SQL: no trigger maintains it.
V_TALLY = (
    """CREATE TABLE case_tally (
        measure TEXT NOT NULL,
        month TEXT NOT NULL,
        item TEXT NOT NULL,
        cases INTEGER NOT NULL,
        PRIMARY KEY (measure, month, item)
    )""",
)


def _v_tally(db: Database) -> None:
    """The table, filled from the cases already registered (≈ 3 s at 1,000,000 cases)."""
    from desktop_app.store.case_tally import rebuild

    _ddl(V_TALLY)(db)
    rebuild(db)


class DdlStep:
    """A migration made of DDL alone, written for SQLite; on PostgreSQL each statement is
    translated first (store.pg_schema)."""

    def __init__(self, statements: Sequence[str]) -> None:
        self.statements = tuple(statements)

    def __call__(self, db: Database) -> None:
        for statement in self.statements:
            for sql in _for_engine(db, statement):
                db.execute_sql(sql)


def _for_engine(db: Database, statement: str) -> list[str]:
    if not is_postgres(db):
        return [statement]
    from desktop_app.store import pg_schema

    earlier = (*V1_FOUNDATION, *V2_CASES, *V3_REFUNDS, *V5_REGISTER)
    return pg_schema.statements_for_postgres(statement, earlier)


def _ddl(statements: Sequence[str]) -> Step:
    return DdlStep(statements)


_PRIVACY_STEP = _ddl(V_PRIVACY)

# One paper receipt typed with its separators elsewhere or left out is one receipt: looked up
# by its key without them (store.receipts.IDENTITY, domain.receipts.receipt_identity).
V_RECEIPT_IDENTITY = (
    "CREATE INDEX receipt_identity ON receipt (replace(replace(receipt_key, '-', ''), '/', ''))",
)

# The major complaints no manager has acknowledged: the navigation counts them every 15 s.
# Through case_major the count read every major case ever (19,911 rows, 49 ms and 31 MiB of
# page cache at 1,000,000 cases); this index holds only those still waiting.
V_MAJOR_WAITING = (
    'CREATE INDEX case_major_waiting ON "case"(received_at) '
    "WHERE is_major = 1 AND major_acknowledged_at IS NULL",
)

# Two partial indexes held every new case under a NULL key it is never looked up by: each save
# wrote a page of each (a registration writes about 40 pages; each costs about 7.5 µs at the
# commit). Their queries compare the column, which implies it is not NULL, so SQLite still
# takes them (privacy.due_candidates; the queue's overdue count).
V_LEANER_PARTIAL_INDEXES = (
    "DROP INDEX case_personal_closed",
    'CREATE INDEX case_personal_closed ON "case"(closed_at) '
    "WHERE personal_salt <> '' AND closed_at IS NOT NULL",
    "DROP INDEX case_open_promised",
    f'CREATE INDEX case_open_promised ON "case"(promised_reply_date) '
    f"WHERE {OPEN_CASE_CONDITION} AND promised_reply_date IS NOT NULL",
)

# The receipt number as typed on a case was indexed for look-ups that now go by the receipt's
# identity (case_receipt_id) or the search index: no query reads it, every save wrote a page.
V_NO_RECEIPT_TEXT_INDEX = ("DROP INDEX case_receipt",)

# A case is registered before step 3 names its department: every new case sat in both
# department indexes under a NULL department, in the middle of the index where pages split
# (2.5 pages of each written at a registration). Their queries look for one department, which
# implies it is not NULL, so SQLite still takes them (the queue's and the reports' filters).
V_DEPARTMENT_INDEXES_WITHOUT_NULL = (
    "DROP INDEX case_department_received",
    'CREATE INDEX case_department_received ON "case"(department_id, received_at) '
    "WHERE department_id IS NOT NULL",
    "DROP INDEX case_open_department",
    f'CREATE INDEX case_open_department ON "case"(department_id, received_at) '
    f"WHERE {OPEN_CASE_CONDITION} AND department_id IS NOT NULL",
)

# A case joining open warnings wrote its links into the middle of the (warning, case) index,
# one page per warning (four warnings: 4.3 pages, and 2.2 more of the case_id index). Keyed
# (case, warning) instead, a new case's links share the index's last page, and that one index
# also answers "the warnings of a case"; the uniqueness of a link is the same. SQLite cannot
# drop a table's UNIQUE: the table is copied whole (ids kept) and its guards made again.
_WARNING_CASE_BY_CASE = (
    """CREATE TABLE warning_case_by_case (
        id INTEGER PRIMARY KEY,
        warning_id INTEGER NOT NULL REFERENCES warning(id) ON DELETE RESTRICT,
        case_id INTEGER NOT NULL REFERENCES "case"(id) ON DELETE RESTRICT,
        ordinal INTEGER NOT NULL,
        linked_at TEXT NOT NULL,
        UNIQUE (case_id, warning_id)
    )""",
    "INSERT INTO warning_case_by_case (id, warning_id, case_id, ordinal, linked_at) "
    "SELECT id, warning_id, case_id, ordinal, linked_at FROM warning_case ORDER BY id",
    # No trigger fires at a DROP TABLE (nor the never-deleted guard); nothing references it.
    "DROP TABLE warning_case",
    "ALTER TABLE warning_case_by_case RENAME TO warning_case",
    "CREATE UNIQUE INDEX warning_case_ordinal ON warning_case(warning_id, ordinal)",
    *WARNING_CASE_TRIGGERS,
)


def _v_warning_links_by_case(db: Database) -> None:
    if not is_postgres(db):
        _ddl(_WARNING_CASE_BY_CASE)(db)
        return
    (constraint,) = db.execute_sql(
        "SELECT conname FROM pg_constraint WHERE conrelid = 'warning_case'::regclass "
        "AND contype = 'u'"
    ).fetchone()
    db.execute_sql(f"ALTER TABLE warning_case DROP CONSTRAINT {constraint}")
    db.execute_sql("ALTER TABLE warning_case ADD UNIQUE (case_id, warning_id)")
    db.execute_sql("DROP INDEX warning_case_case")


# MIGRATIONS[n] brings a database from version n to n + 1.
MIGRATIONS: list[Step] = [
    _ddl(V1_FOUNDATION),
    _ddl(V2_CASES),
    _ddl(V3_REFUNDS),
    _ddl(V4_OPEN_CASE_INDEXES),
    _v5_register,
    _ddl(V_SUBSTRING_SEARCH),
    _ddl(V_REPORTS),
    _ddl(V_CATALOG),
    _ddl(V_WARNINGS),
    _v_ledger,
    _PRIVACY_STEP,
    _v_tally,
    _ddl(V_RECEIPT_IDENTITY),
    _ddl(V_MAJOR_WAITING),
    _ddl(V_LEANER_PARTIAL_INDEXES),
    _ddl(V_NO_RECEIPT_TEXT_INDEX),
    _ddl(V_DEPARTMENT_INDEXES_WITHOUT_NULL),
    _v_warning_links_by_case,
]
SCHEMA_VERSION = len(MIGRATIONS)
# The version that brought V_PRIVACY (whatever its place after merges).
PRIVACY_VERSION = MIGRATIONS.index(_PRIVACY_STEP) + 1
LEDGER_VERSION = MIGRATIONS.index(_v_ledger) + 1
TALLY_VERSION = MIGRATIONS.index(_v_tally) + 1


# PostgreSQL advisory lock keys (any two 64-bit numbers of our own).
MIGRATION_LOCK = 0x4445534B_4D494752  # "DESKMIGR"


class NewerSchemaError(Exception):
    """The file was written by a newer version of the app than this one."""


class MigrationFailedError(Exception):
    """A step of the schema refused (undone whole): the file is not what its version says
    (a version number set by hand, found in review), or the disk is full."""

    def __init__(self, version: int, cause: str) -> None:
        super().__init__(cause)
        self.version = version
        self.cause = cause


def schema_version(db: Database) -> int:
    if is_postgres(db):
        if db.execute_sql("SELECT to_regclass('desk_schema')").fetchone()[0] is None:
            return 0
        row = db.execute_sql("SELECT max(version) FROM desk_schema").fetchone()
        return int(row[0] or 0)
    return int(db.execute_sql("PRAGMA user_version").fetchone()[0])


def _set_schema_version(db: Database, version: int) -> None:
    if is_postgres(db):
        db.execute_sql("DELETE FROM desk_schema")
        db.execute_sql("INSERT INTO desk_schema (version) VALUES (?)", (version,))
    else:
        db.execute_sql(f"PRAGMA user_version = {version}")


def _prepare_engine(db: Database) -> None:
    """PostgreSQL's extensions, version table and helper functions (none a schema version)."""
    if is_postgres(db):
        from desktop_app.store import pg_schema

        with db.atomic():
            for statement in pg_schema.PRELUDE:
                db.execute_sql(statement)


def has_user_data(db: Database) -> bool:
    return schema_version(db) > 0


def migrate(
    db: Database,
    target: int = SCHEMA_VERSION,
    backup: Callable[[str], Path | None] | None = None,
) -> list[int]:
    """Bring the schema to ``target``; return the versions applied.

    Each step runs in its own transaction together with the version bump, so a crash leaves
    the file at a whole version. ``backup`` is called first when there is data to protect.
    """
    current = schema_version(db)
    if current > SCHEMA_VERSION:
        raise NewerSchemaError(
            f"数据库版本为 {current},本程序只认识到 {SCHEMA_VERSION}。请安装新版程序。"
        )
    if current >= target:
        return []
    if current > 0 and backup is not None:
        backup(f"before-v{target}")
    _prepare_engine(db)
    applied: list[int] = []
    for version in range(current, target):
        try:
            with db.atomic():
                if is_postgres(db):
                    # Two desks starting a new version at once: one migrates, the other waits.
                    db.execute_sql("SELECT pg_advisory_xact_lock(?)", (MIGRATION_LOCK,))
                    if schema_version(db) > version:
                        continue
                MIGRATIONS[version](db)
                _set_schema_version(db, version + 1)
        except (sqlite3.DatabaseError, peewee.DatabaseError) as error:
            raise MigrationFailedError(version + 1, str(error)) from error
        applied.append(version + 1)
    refresh_statistics(db)
    return applied
