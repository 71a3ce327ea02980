"""psycopg2 is loaded when the store first opens a server, not when peewee is imported.

peewee imports psycopg2 at its own import (and psycopg2 loads libpq with its TLS, Kerberos and
LDAP libraries: about 9.6 MiB resident), so a desk on its SQLite file carried the server driver
all day (issue 18: the queue's memory beside a bare table). ``keep_out_of_peewee_import`` makes
``import psycopg2`` fail while, and only while, peewee's own module is being executed, so
peewee records "no psycopg2" as it does on a machine without it; ``load`` gives peewee the
driver before the first ``PostgresqlDatabase`` is built, setting the very names peewee's import
sets when psycopg2 is present (tests compare them with a plain import).

Any other ``import psycopg2`` (the tests' server fixtures, the engine's cursor) is untouched, and
if psycopg2 was imported before peewee, peewee gets it as usual and ``load`` does nothing.
"""

from __future__ import annotations

import sys
from typing import Any


class _NoDriverDuringPeeweeImport:
    """A meta-path finder refusing psycopg2 while peewee's module is half-executed."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if name == "psycopg2" and _peewee_being_imported():
            raise ModuleNotFoundError("psycopg2 is loaded when a server is opened", name=name)


def _peewee_being_imported() -> bool:
    peewee = sys.modules.get("peewee")
    # The module object is in sys.modules from the first line of its execution; the database
    # classes defined near its end are not there yet.
    return peewee is not None and not hasattr(peewee, "PostgresqlDatabase")


def keep_out_of_peewee_import() -> None:
    """Install the finder once (the store's package does, before any store module)."""
    if "peewee" in sys.modules:
        return
    if not any(isinstance(finder, _NoDriverDuringPeeweeImport) for finder in sys.meta_path):
        sys.meta_path.insert(0, _NoDriverDuringPeeweeImport())


def load() -> None:
    """Hand peewee psycopg2 as its import would have (nothing to do when it already has it)."""
    import peewee

    module: Any = peewee
    if module.psycopg2 is not None:
        return
    import psycopg2
    from psycopg2 import extensions
    from psycopg2.extras import Json, register_uuid

    register_uuid()
    module.psycopg2 = psycopg2
    module.pg_extensions = extensions
    module.pg_register_uuid = register_uuid
    module.Json_pg2 = Json
    adapter: Any = module.Psycopg2Adapter
    adapter.txn_idle = extensions.TRANSACTION_STATUS_IDLE
    adapter.txn_inerror = extensions.TRANSACTION_STATUS_INERROR
    adapter.txn_unknown = extensions.TRANSACTION_STATUS_UNKNOWN
