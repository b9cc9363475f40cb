"""Who is expected to act on a suspended process, at the reference's path; the one class lives in
`orchestrator_core.types`."""

from orchestrator_core.types import Assignee

__all__ = ["Assignee"]
