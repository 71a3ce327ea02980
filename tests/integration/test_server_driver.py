"""psycopg2 stays out of a desk on its SQLite file and is handed to peewee when a server is
opened (issue 18: 9.6 MiB of the queue's memory). Each case runs in a fresh interpreter, since
what matters is the order of imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# What peewee and psycopg2 look like once peewee can talk to a server: every global of peewee's
# module and of its psycopg2 adapter, and the adapters psycopg2 has registered (peewee's import
# registers UUID's).
FINGERPRINT = """
import json, sys, types
import peewee, psycopg2.extensions

def name_of(value):
    if isinstance(value, types.ModuleType):
        return 'module ' + value.__name__
    if isinstance(value, (bool, int, str, float, type(None))):
        return repr(value)
    if isinstance(value, (type, types.FunctionType, types.BuiltinFunctionType)):
        return f'{value.__module__}.{value.__qualname__}'
    return 'instance of ' + type(value).__qualname__

print(json.dumps({
    'peewee': {k: name_of(v) for k, v in vars(peewee).items() if not k.startswith('__')},
    'adapter': {k: name_of(v) for k, v in vars(peewee.Psycopg2Adapter).items()
                if not k.startswith('__')},
    'psycopg2 adapters': sorted(str(key) for key in psycopg2.extensions.adapters),
    'psycopg2 types': sorted(str(key) for key in psycopg2.extensions.string_types),
}, sort_keys=True))
"""


def run(code: str) -> str:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_a_desk_on_its_file_never_loads_the_server_driver(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from datetime import datetime\n"
        "from desktop_app.services.database import open_desk_database\n"
        "from desktop_app.services.desk import build_desk\n"
        f"path = __import__('pathlib').Path({str(tmp_path / 'desk.sqlite3')!r})\n"
        "opened = open_desk_database(path, datetime(2026, 11, 26, 9), daily_backup=False)\n"
        "desk = build_desk(opened.db, path)\n"
        "desk.accounts.list_accounts()\n"
        "print('psycopg2' in sys.modules, sys.modules['peewee'].psycopg2)\n"
    )
    assert run(code) == "False None"


def test_peewee_is_given_the_driver_exactly_as_its_own_import_would() -> None:
    plain = run("import psycopg2\n" + FINGERPRINT)
    handed = run(
        "import desktop_app.store.connection, sys\n"
        "assert 'psycopg2' not in sys.modules and sys.modules['peewee'].psycopg2 is None\n"
        "from desktop_app.store import server_driver\n"
        "server_driver.load()\n" + FINGERPRINT
    )
    assert json.loads(handed) == json.loads(plain)
    assert "module psycopg2" in json.loads(handed)["peewee"].values()


def test_loading_the_driver_twice_or_after_a_plain_import_changes_nothing() -> None:
    plain = run("import psycopg2\n" + FINGERPRINT)
    twice = run(
        "import psycopg2, desktop_app.store.connection\n"
        "from desktop_app.store import server_driver\n"
        "server_driver.load(); server_driver.load()\n" + FINGERPRINT
    )
    assert json.loads(twice) == json.loads(plain)


def test_psycopg2_imported_elsewhere_is_not_refused() -> None:
    # Only peewee's own import is kept from the driver: the tests' server fixtures import it.
    assert run(
        "import desktop_app.store.connection, psycopg2, sys\n"
        "print(sys.modules['peewee'].psycopg2 is None, psycopg2.__name__)\n"
    ) == "True psycopg2"


@pytest.mark.parametrize("url", ["postgresql://nobody@127.0.0.1:1/none"])
def test_opening_a_server_loads_the_driver_first(url: str) -> None:
    # No server listens there: what matters is that peewee tried psycopg2, not "driver not found".
    out = run(
        "import desktop_app.store.connection as c, peewee\n"
        "try:\n"
        f"    c.open_server_database({url!r})\n"
        "except peewee.ImproperlyConfigured as error:\n"
        "    print('improperly configured', error)\n"
        "except Exception as error:\n"
        "    print('driver tried', type(error).__module__.split('.')[0])\n"
    )
    assert out.startswith("driver tried"), out
