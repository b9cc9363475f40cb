"""The README documents every setting and keeps its two-command Quick start."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from orchestrator_core.settings import AppSettings

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def test_every_setting_is_in_the_readme():
    missing = [name for name in AppSettings.model_fields if f"`{name}`" not in README]
    assert missing == []


def test_quick_start_is_two_commands_that_exist():
    block = README.split("## Quick start", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["scripts/demo", "scripts/test"]
    root = Path(__file__).resolve().parents[2]
    assert all((root / c).is_file() and re.search(r"^#!", (root / c).read_text()) for c in commands)


def test_the_porting_command_rewrites_both_import_styles_and_nothing_else(tmp_path):
    section = README.split("## Porting an orchestrator-core application", 1)[1]
    command = section.split("```bash", 1)[1].split("```", 1)[0].strip()
    (tmp_path / "workflows").mkdir()
    source = tmp_path / "workflows" / "create_node.py"
    source.write_text(
        "from orchestrator.core.workflow import StepList, begin, step\n"
        "from orchestrator.workflows.utils import create_workflow\n"
        "from orchestrator import OrchestratorCore\n"
        "import orchestrator.core.types\n"
        "import orchestrator\n"
        "from orchestrator_ui import page\n"
        'LOGGER = "orchestrator.core.workflow"\n'
        "my_orchestrator.thing = 1\n"
    )
    subprocess.run(["bash", "-c", command], cwd=tmp_path, check=True)
    assert source.read_text().splitlines() == [
        "from orchestrator_core.workflow import StepList, begin, step",
        "from orchestrator_core.workflows.utils import create_workflow",
        "from orchestrator_core import OrchestratorCore",
        "import orchestrator_core.types",
        "import orchestrator_core",
        "from orchestrator_ui import page",
        'LOGGER = "orchestrator_core.workflow"',
        "my_orchestrator.thing = 1",
    ]
