"""The README documents every setting and keeps its two-command Quick start."""

from __future__ import annotations

import re
from pathlib import Path

from orchestrator_core.settings import AppSettings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def test_every_setting_is_in_the_readme():
    missing = [name for name in AppSettings.model_fields if f"`{name}`" not in README]
    assert missing == []


def test_quick_start_is_two_commands_that_exist():
    block = README.split("## Quick start", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["scripts/demo", "scripts/test"]
    root = Path(__file__).resolve().parents[1]
    assert all((root / c).is_file() and re.search(r"^#!", (root / c).read_text()) for c in commands)
