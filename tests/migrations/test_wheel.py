"""The library's wheel installs `orchestrator_core` and nothing named like an application's own packages."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_wheel_holds_the_library_with_its_schema_and_templates_and_no_application(tmp_path):
    source = tmp_path / "source"  # a copy, so that no earlier build/ in the checkout leaks into the wheel
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".*", "build", "*.egg-info", "__pycache__", "*.db",
                                                                "demo-run", "tests", "bench"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                    str(tmp_path), str(source)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    top_level = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert top_level == {"orchestrator_core"}
    assert "orchestrator_core/migrations/versions/schema/0001_core_schema.py" in names
    assert "orchestrator_core/migrations/templates/env.py.tmpl" in names
    assert "orchestrator_core/api/static/app.js" in names
