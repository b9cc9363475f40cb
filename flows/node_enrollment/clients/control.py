"""Making the in-process fakes fail and recover from outside, while a stack runs: a small JSON file that
the fakes read on every call (`{"nso": "down"}`), written by `python main.py fakes nso down` / `up`.

Every process on the machine (the worker, the API, `run`) reads the same file, so an operator can show a
step failing on an unreachable NSO and a retry succeeding once it is back. The file lives in the temporary
directory unless NODE_ENROLLMENT_FAKES_CONTROL names another; no file means everything is up.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Annotated, Literal

import typer

SYSTEMS = ("nso", "esdb")
System = Literal["nso", "esdb"]


def control_file() -> Path:
    return Path(os.environ.get("NODE_ENROLLMENT_FAKES_CONTROL")
                or Path(tempfile.gettempdir()) / "node-enrollment-fakes.json")


def states() -> dict[str, str]:
    """Each system's state, "up" or "down"; an unreadable file counts as everything up."""
    try:
        data = json.loads(control_file().read_text())
    except (OSError, ValueError):
        data = {}
    return {system: "down" if isinstance(data, dict) and data.get(system) == "down" else "up" for system in SYSTEMS}


def is_down(system: str) -> bool:
    return states().get(system) == "down"


def set_state(system: str, state: str) -> dict[str, str]:
    """Write the new state atomically (a reader never sees half a file)."""
    current = {**states(), system: state}
    path = control_file()
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_text(json.dumps(current))
    temporary.replace(path)
    return current


fakes_app = typer.Typer(help="Make the demo's in-process ESDB/NSO fakes fail and recover, in every process that "
                             "uses them (a worker, the API), through a file they read on each call.",
                        no_args_is_help=True)


def _show(current: dict[str, str]) -> None:
    typer.echo(", ".join(f"{system.upper()} {state}" for system, state in current.items())
               + f"  ({control_file()})")


@fakes_app.command("status")
def status() -> None:
    """Whether each fake answers."""
    _show(states())


def _command(system: System) -> None:
    def switch(state: Annotated[str, typer.Argument(help="down: calls fail as unreachable; up: they answer")]) -> None:
        if state not in ("up", "down"):
            raise typer.BadParameter("is 'up' or 'down'", param_hint="STATE")
        _show(set_state(system, state))

    switch.__doc__ = f"{system.upper()} down (every call fails as unreachable) or up."
    fakes_app.command(system)(switch)


for _system in SYSTEMS:
    _command(_system)  # type: ignore[arg-type]
