"""What a step changed: the difference between the state before and after it, key by key.

Operators read a process's audit trail as "what did this step do"; the full state after each
step is in the log, the diff makes it readable. Top-level keys only: nested values are shown
whole (old and new), which is what a reviewer wants for a changed subscription dict.
"""

from __future__ import annotations

from typing import Any

COMMITTED = {"success", "skipped", "complete"}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    added = {k: v for k, v in after.items() if k not in before}
    removed = sorted(k for k in before if k not in after)
    changed = {k: {"old": before[k], "new": after[k]} for k in after if k in before and before[k] != after[k]}
    return {"added": added, "changed": changed, "removed": removed}


def step_diffs(initial: dict[str, Any], steps: list[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """Each (status, state) against the last committed state before it; a failed attempt is no base."""
    base = initial
    out = []
    for status, state in steps:
        out.append(diff(base, state))
        if status in COMMITTED:
            base = state
    return out
