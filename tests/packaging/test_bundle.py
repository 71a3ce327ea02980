"""The installable build: the same spec as for Windows builds a bundle here, which starts
offscreen on a fresh database, creates the schema and exits cleanly."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from desktop_app.store.migrations import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[2]


def load_build_script() -> ModuleType:
    script = ROOT / "packaging" / "build.py"
    spec = importlib.util.spec_from_file_location("packaging_build", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_bundle_builds_and_passes_its_smoke_test(tmp_path: Path) -> None:
    build = load_build_script()
    bundle = build.build(dist=tmp_path / "dist", work=tmp_path / "work")
    assert (bundle / "_internal" / "resources" / "fonts" / "wqy-microhei.ttc").exists()
    db_path = tmp_path / "data" / "smoke.sqlite3"
    output = build.smoke_test(bundle, db_path)
    assert output.startswith("smoke-test ok:")
    assert build.schema_version(db_path) == SCHEMA_VERSION
