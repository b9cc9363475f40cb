"""Every execution of a test step, committed or not, counted in a file outside the database (in
ENGINE_TEST_ATTEMPTS_DIR). It registers no workflow, so a minimal application's module can use it too."""

from __future__ import annotations

import os
from pathlib import Path


def attempts_file(process_id: str) -> Path:
    return Path(os.environ.get("ENGINE_TEST_ATTEMPTS_DIR", "/tmp")) / f"attempts-{process_id}"


def count_attempt(process_id: str, name: str) -> int:
    """Append this execution of step `name`; how many of its executions there have been, this one included."""
    with attempts_file(process_id).open("a") as f:
        f.write(name + "\n")
    return attempts_file(process_id).read_text().splitlines().count(name)
