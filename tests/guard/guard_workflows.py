"""One workflow per target (and a task) for the guard tests; their steps do nothing."""

from __future__ import annotations

from orchestrator_core.targets import Target
from orchestrator_core.workflow import StepList, Workflow, make_workflow, step


@step("Nothing")
def nothing() -> None:
    return None


def _define(name: str, target: Target, is_task: bool = False) -> Workflow:
    def f() -> StepList:
        return StepList([nothing])

    f.__name__ = name
    return make_workflow(f, f"guard test {name}", None, target, f(), is_task=is_task)


CREATE = _define("guard_create", Target.CREATE)
MODIFY = _define("guard_modify", Target.MODIFY)
TERMINATE = _define("guard_terminate", Target.TERMINATE)
SYSTEM = _define("guard_system", Target.SYSTEM)
VALIDATE = _define("guard_validate", Target.VALIDATE)
TASK = _define("guard_task", Target.SYSTEM, is_task=True)

ALL = [CREATE, MODIFY, TERMINATE, SYSTEM, VALIDATE, TASK]
