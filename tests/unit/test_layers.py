"""Imports point one way (pyproject.toml's import-linter contracts): entry points -> bootstrap ->
workflows -> services -> engine -> forms -> injection -> domain/migrations -> db -> the DSL's
vocabulary, and presentation (rich, typer) only in the CLI. A back edge fails here, naming the
import chain."""

from __future__ import annotations

import os
from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[2]


def test_no_module_imports_a_layer_above_it(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    code = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True)
    assert code == 0, capsys.readouterr().out[-4000:]
