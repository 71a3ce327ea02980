"""PySide's per-module check gives the same answers without keeping the app's sources in
``linecache`` (issue 18: 6.7 MiB of the queue's memory). Fresh interpreters: what matters is
what happens at import."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

IMPORT_THE_APP = (
    "import desktop_app.ui.controller, desktop_app.ui.main_window\n"
    "import desktop_app.services.desk, desktop_app.store.connection\n"
)


def run(code: str) -> object:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, check=False, env=None)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_apps_modules_are_not_kept_as_source_lines() -> None:
    kept = run(
        "import json, linecache\n" + IMPORT_THE_APP +
        "print(json.dumps([p for p in linecache.cache if '/desktop_app/' in p]))\n"
    )
    # Only the module that makes the change is imported before it.
    assert kept == [str(ROOT / "desktop_app" / "ui" / "pyside_sources.py")]


def test_pyside_gets_the_answer_its_own_check_gives_for_every_module() -> None:
    compared = run(
        "import json, sys\n"
        "import PySide6\n"
        "feature = sys.modules['shibokensupport.feature']\n"
        "own = feature._mod_uses_pyside\n" + IMPORT_THE_APP +
        "ours = feature._mod_uses_pyside\n"
        "assert ours is not own\n"
        "modules = [m for m in list(sys.modules.values()) if m is not None]\n"
        "differ = [m.__name__ for m in modules if ours(m) != own(m)]\n"
        "flagged = sorted(m.__name__ for m in modules if ours(m))\n"
        "print(json.dumps({'differ': differ, 'flagged': flagged}))\n"
    )
    assert isinstance(compared, dict)
    assert compared["differ"] == []
    # The check is not vacuous: the app's Qt modules mention PySide6, its rules do not.
    assert "desktop_app.ui.main_window" in compared["flagged"]
    assert "desktop_app.services.desk" not in compared["flagged"]


def test_the_check_is_replaced_once() -> None:
    assert run(
        "import json, sys, desktop_app.ui\n"
        "from desktop_app.ui.pyside_sources import answer_without_caching\n"
        "feature = sys.modules['shibokensupport.feature']\n"
        "first = feature._mod_uses_pyside\n"
        "answer_without_caching()\n"
        "print(json.dumps(feature._mod_uses_pyside is first))\n"
    ) is True
