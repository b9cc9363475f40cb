"""On a terminal, a line on stderr from the first moment a command starts, erased when the command begins to
speak: an application's main.py imports its workflows, and with them Prefect, SQLAlchemy and pydantic,
before any command can print (1-2 s on an idle machine, far more on a busy one). Nothing is written when
stderr is not a terminal, so scripts and `--json` output see no difference."""

from __future__ import annotations

import sys

_shown = False


def show(what: str = "Loading the orchestrator…") -> None:
    global _shown
    if sys.stderr.isatty():
        sys.stderr.write(what)
        sys.stderr.flush()
        _shown = True


def clear() -> None:
    global _shown
    if _shown:
        sys.stderr.write("\r\033[K")
        sys.stderr.flush()
        _shown = False
