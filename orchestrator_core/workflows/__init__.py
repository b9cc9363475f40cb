"""Standard steps, the workflow wrappers and the built-in workflows.

Importing this package registers the built-in workflows (`modify_note`), so that a process
that imports it can run them; `BUILTIN_WORKFLOWS` names them for the start-up self-check.
"""

from orchestrator_core.workflows.modify_note import modify_note

BUILTIN_WORKFLOWS = [modify_note.name]

__all__ = ["BUILTIN_WORKFLOWS", "modify_note"]
