"""Our process statuses in orchestrator-ui's vocabulary: one mapping for every answer the UI reads.

orchestrator-ui knows the reference's statuses only. Ours has one more, `crashed` (the executor died;
the process waits for a retry from its last committed step, as a failed one does), so the UI is told
`failed` for it: it then shows in the UI's failed tabs and counts, and its retry button is enabled. The
failed reason still says that the executor stopped. Filters the other way round: the UI's `failed`
finds crashed processes too. GraphQL (lists and process pages) and the UI's REST routes (status
counts) read both through this module; our own REST API and CLI keep our statuses.
"""

from __future__ import annotations

from collections import defaultdict

from orchestrator_core.types import ProcessStatus

UI_STATUS: dict[str, str] = {str(ProcessStatus.CRASHED): str(ProcessStatus.FAILED)}
"""Our status -> the reference's status orchestrator-ui shows for it (statuses not listed are the same)."""


def ui_status(status: str) -> str:
    """The status orchestrator-ui shows for one of ours: `crashed` -> `failed`, others unchanged."""
    return UI_STATUS.get(status, status)


def _also() -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = defaultdict(list)
    for ours, theirs in UI_STATUS.items():
        found[theirs].append(ours)
    return {word: tuple(statuses) for word, statuses in found.items()}


STATUS_ALSO: dict[str, tuple[str, ...]] = _also()
"""orchestrator-ui's word -> our other statuses it stands for as well, in a filter (`failed` -> `crashed`)."""
