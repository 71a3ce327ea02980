"""Where the catalogue code may load openpyxl: only in the file layer, and only when a file is
read or written — never at start-up, where it would cost the window ≈60 ms."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import desktop_app

PACKAGE = Path(desktop_app.__file__).parent


def test_only_the_reports_layer_imports_openpyxl() -> None:
    for source in PACKAGE.rglob("*.py"):
        if source.parent.name == "reports":
            continue
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(name.split(".")[0] == "openpyxl" for name in names), source


def test_starting_the_app_does_not_load_openpyxl() -> None:
    code = (
        "import sys, desktop_app.app, desktop_app.ui.main_window, desktop_app.services.desk; "
        "print('openpyxl' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=PACKAGE.parent)
    assert result.stdout.strip() == "False"
