"""How the user called this command, so that the commands we suggest (`resume ID`, `process ID`) work when
pasted where they are: `orchestrator` when it is on PATH, else the path they typed (`.venv/bin/orchestrator`),
or `python main.py` for an application's main.py."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path


def _python() -> str:
    """The interpreter as a short path: relative to here when that is shorter."""
    executable = sys.executable
    relative = os.path.relpath(executable)
    return relative if len(relative) < len(executable) else executable


def command(argv0: str | None = None) -> str:
    script = argv0 if argv0 is not None else sys.argv[0]
    name = Path(script).name
    if name.endswith(".py"):
        return f"{shlex.quote(_python())} {shlex.quote(script)}"
    if name in ("orchestrator", "__main__.py") or not script:
        on_path = shutil.which("orchestrator")
        if on_path and (not script or Path(on_path).resolve() == Path(script).resolve()):
            return "orchestrator"
        if name == "orchestrator":
            return shlex.quote(script)
        return f"{shlex.quote(_python())} -m orchestrator_core.cli"
    return "orchestrator"
