"""The schema on PostgreSQL: the same versions as SQLite's, from the same frozen DDL.

``migrations`` keeps one list of steps written for SQLite; on PostgreSQL each statement passes
``statements_for_postgres`` first:

- column types: ``INTEGER PRIMARY KEY`` becomes an identity column, ``INTEGER`` ``BIGINT``,
  ``TEXT`` compares byte by byte as on SQLite (``COLLATE "C"``: the same ORDER BY, the same
  prefix ranges), ``TEXT COLLATE NOCASE`` is ``citext``;
- the protective triggers (``RAISE(ABORT, …)``) become PL/pgSQL functions, one per trigger,
  with the trigger's condition inside the body; a "never deleted" trigger also refuses
  TRUNCATE, which skips row triggers on PostgreSQL;
- the FTS5 search index becomes one GIN trigram index (pg_trgm) over the same six columns;
- expressions SQLite indexes (``strftime``, ``json_extract``) become small IMMUTABLE functions
  installed by ``PRELUDE``.

The version lives in the table ``desk_schema`` (SQLite keeps it in ``PRAGMA user_version``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from desktop_app.store.migrations import (
    CLOSING_SECONDS_SQL,
    RESPONSE_SECONDS_SQL,
    SATISFACTION_SQL,
    SEARCH_COLUMNS,
)

# Installed (or refreshed) before every migration run; none of it is a schema version.
PRELUDE = (
    # Trigram search (the queue's box) and case-insensitive user names; both are "trusted"
    # extensions: the database's owner may create them, no superuser needed.
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE EXTENSION IF NOT EXISTS citext",
    "CREATE TABLE IF NOT EXISTS desk_schema (version INTEGER NOT NULL)",
    # SQLite's strftime('%s', t): whole seconds since 1970 of an ISO date-time text.
    """CREATE OR REPLACE FUNCTION desk_epoch(moment text) RETURNS bigint
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        AS $body$ SELECT floor(extract(epoch FROM moment::timestamp))::bigint $body$""",
    # SQLite's CASE WHEN json_valid(d) THEN json_extract(d, path) END: NULL for text that is
    # not JSON; the value as jsonb (the driver hands back numbers, text, true/false).
    """CREATE OR REPLACE FUNCTION desk_json(document text, path text[]) RETURNS jsonb
        LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
        AS $body$
BEGIN
    RETURN document::jsonb #> path;
EXCEPTION WHEN invalid_text_representation THEN
    RETURN NULL;
END
$body$""",
    """CREATE OR REPLACE FUNCTION desk_json_integer(document text, path text[]) RETURNS bigint
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        AS $body$ SELECT CASE WHEN jsonb_typeof(desk_json(document, path)) = 'number'
            THEN (desk_json(document, path) #>> '{}')::numeric::bigint END $body$""",
)


def json_path(dotted: str) -> str:
    """'$.follow_up.satisfaction' or 'follow_up.satisfaction' as a text[] literal."""
    return "'{" + ",".join(dotted.removeprefix("$.").split(".")) + "}'"


# SQLite expressions the schema indexes (and queries repeat, so the index is used), and what
# PostgreSQL computes instead.
EXPRESSIONS = {
    RESPONSE_SECONDS_SQL: "(desk_epoch(first_response_at) - desk_epoch(received_at))",
    CLOSING_SECONDS_SQL: "(desk_epoch(closed_at) - desk_epoch(received_at))",
    SATISFACTION_SQL: f"desk_json_integer(workflow, {json_path('follow_up.satisfaction')})",
}


def expression(sql: str) -> str:
    """An indexed SQLite expression in PostgreSQL's words (unknown ones unchanged)."""
    for sqlite_text, postgres_text in EXPRESSIONS.items():
        sql = sql.replace(sqlite_text, postgres_text)
    return sql


def search_expression(alias: str = "") -> str:
    """The six searched columns, each closed by U+001F as on SQLite (store.queue)."""
    prefix = f"{alias}." if alias else ""
    return "(" + " || ".join(f"{prefix}{column} || chr(31)" for column in SEARCH_COLUMNS) + ")"


SEARCH_INDEX = f'CREATE INDEX case_search ON "case" USING gin ({search_expression()} gin_trgm_ops)'


# --- protective triggers -------------------------------------------------------------------

_TRIGGER = re.compile(
    r"CREATE TRIGGER (?P<name>\w+) BEFORE (?P<event>DELETE|UPDATE|INSERT)(?: OF [\w, ]+?)? "
    r"ON (?P<table>\"?\w+\"?)(?: WHEN (?P<when>.*?))? BEGIN SELECT RAISE\(ABORT, "
    r"'(?P<message>[^']*)'\); END$"
)
_ROW, _BEFORE, _INSERT, _DELETE, _UPDATE, _TRUNCATE = 1, 2, 4, 8, 16, 32
_EVENTS = {"INSERT": _INSERT, "DELETE": _DELETE, "UPDATE": _UPDATE}


@dataclass(frozen=True)
class PgTrigger:
    """One protective trigger as PostgreSQL holds it: the trigger and its own function."""

    name: str
    table: str
    event: str
    body: str
    statement_level: bool = False
    function: str = ""

    @property
    def tgtype(self) -> int:
        if self.statement_level:
            return _BEFORE | _TRUNCATE
        return _ROW | _BEFORE | _EVENTS[self.event]

    def canonical(self) -> str:
        """What ``store.dialect.triggers`` reads back from the catalogue for this trigger."""
        return canonical_trigger(self.table, self.tgtype, "A", False, self.function, self.body)

    def ddl(self) -> list[str]:
        level = "STATEMENT" if self.statement_level else "ROW"
        event = "TRUNCATE" if self.statement_level else self.event
        created = [
            f'CREATE TRIGGER {self.name} BEFORE {event} ON "{self.table}" '
            f"FOR EACH {level} EXECUTE FUNCTION {self.function}()",
            # Fires in a replica session too (session_replication_role = replica skips the
            # ordinary triggers and the foreign keys): only dropping it stops it, and verify
            # names a dropped or altered trigger.
            f'ALTER TABLE "{self.table}" ENABLE ALWAYS TRIGGER {self.name}',
        ]
        if self.statement_level:
            return created
        function = (
            f"CREATE OR REPLACE FUNCTION {self.function}() RETURNS trigger LANGUAGE plpgsql "
            f"AS $body${self.body}$body$"
        )
        return [function, *created]


def canonical_trigger(
    table: str, tgtype: int, enabled: str, has_when: bool, function: str, body: str
) -> str:
    return (
        f"ON {table} TYPE {tgtype} ENABLED {enabled} WHEN {has_when} CALLS {function} "
        f"BODY {' '.join(body.split())}"
    )


def _condition(when: str) -> str:
    text = re.sub(r"\bnew\.", "NEW.", when)
    text = re.sub(r"\bold\.", "OLD.", text)
    return re.sub(r"(\S+) IS NOT (?!NULL\b)(\S+)", r"\1 IS DISTINCT FROM \2", text)


def pg_triggers(statement: str) -> list[PgTrigger]:
    """The PostgreSQL triggers for one SQLite protective trigger (none if it is not one)."""
    found = _TRIGGER.match(" ".join(statement.split()))
    if found is None:
        return []
    name, event, message = found["name"], found["event"], found["message"]
    table = found["table"].strip('"')
    raise_it = f"RAISE EXCEPTION '{message}' USING ERRCODE = 'integrity_constraint_violation';"
    if found["when"]:
        returned = "OLD" if event == "DELETE" else "NEW"
        body = (
            f"\nBEGIN\n    IF {_condition(found['when'])} THEN\n        {raise_it}\n    END IF;\n"
            f"    RETURN {returned};\nEND\n"
        )
    else:
        body = f"\nBEGIN\n    {raise_it}\nEND\n"
    row = PgTrigger(name, table, event, body, function=name)
    if event != "DELETE" or found["when"]:
        return [row]
    return [row, PgTrigger(f"{name}_truncate", table, event, body, True, function=name)]


def _trigger_tables(statements: tuple[str, ...]) -> dict[str, str]:
    tables = {}
    for statement in statements:
        found = re.match(r"CREATE TRIGGER (\w+) .*? ON (\"?\w+\"?)", " ".join(statement.split()))
        if found:
            tables[found[1]] = found[2]
    return tables


# --- statements ----------------------------------------------------------------------------


def _column_types(statement: str) -> str:
    text = re.sub(r"\bINTEGER PRIMARY KEY\b", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
                  statement)
    text = re.sub(r"\bTEXT\b([^,\n]*?) COLLATE NOCASE", r"CITEXT\1", text)
    text = re.sub(r"\bINTEGER\b", "BIGINT", text)
    return re.sub(r"\bTEXT\b", 'TEXT COLLATE "C"', text)


def _is_search_index(statement: str) -> bool:
    """FTS5 objects and their upkeep (virtual tables, the view they read, triggers, commands)."""
    return "case_search" in statement


def statements_for_postgres(statement: str, every_statement: tuple[str, ...] = ()) -> list[str]:
    """One SQLite DDL statement of a migration as PostgreSQL statements."""
    words = statement.split()
    head = " ".join(words[:3]).upper()
    if head.startswith("CREATE VIRTUAL TABLE") and "fts5(body" in statement:
        # The substring-search index of V_SUBSTRING_SEARCH (the earlier FTS5 table of V2 is
        # dropped by that version: PostgreSQL never needs it).
        return [SEARCH_INDEX]
    if _is_search_index(statement):
        return []
    if head.startswith("CREATE TRIGGER"):
        if words[2].startswith("case_never_replaced"):
            return []  # guards FTS5 against INSERT OR REPLACE, which PostgreSQL has not
        triggers = pg_triggers(statement)
        if not triggers:
            raise NotImplementedError(f"no PostgreSQL form for trigger {words[2]}")
        return [line for trigger in triggers for line in trigger.ddl()]
    if head.startswith("DROP TRIGGER"):
        name = words[-1]
        table = _trigger_tables(every_statement).get(name)
        if table is None:
            return []
        return [f"DROP TRIGGER IF EXISTS {name} ON {table}",
                f"DROP TRIGGER IF EXISTS {name}_truncate ON {table}",
                f"DROP FUNCTION IF EXISTS {name}()"]
    if head.startswith(("CREATE TABLE", "ALTER TABLE")):
        return [_column_types(statement)]
    if head.startswith(("CREATE INDEX", "CREATE UNIQUE")):
        return [expression(statement)]
    return [statement]


def protective_triggers(statements: list[str]) -> dict[str, str]:
    """name -> canonical form, for every PostgreSQL trigger the protective ones become."""
    return {
        trigger.name: trigger.canonical()
        for statement in statements
        for trigger in pg_triggers(statement)
    }
