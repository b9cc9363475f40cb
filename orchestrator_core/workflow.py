"""The step DSL workflow authors write: `@step`, `StepList`, `>>`, `@workflow`.

Nothing here runs anything, imports Prefect or touches the database: a workflow is a plain
description (a name, a form, a target and a list of steps) that the engine executes.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any, Literal, overload

from pydantic_forms.core import FormPage

from orchestrator_core.targets import Target
from orchestrator_core.types import Assignee, State

StepKind = Literal["step", "retrystep", "inputstep", "done", "abort"]
Authorizer = Callable[[Any], bool]


@dataclass(eq=False)
class Step:
    """One discrete unit of a workflow; its parameters are filled from the state by name."""

    name: str
    func: Callable[..., Any]
    kind: StepKind = "step"
    form: Callable[..., Any] | None = None
    assignee: Assignee | None = Assignee.SYSTEM
    retries: int = 0
    retry_delay_seconds: float = 0
    predicates: tuple[Callable[[State], bool], ...] = ()
    resume_auth_callback: Authorizer | None = None
    retry_auth_callback: Authorizer | None = None

    @property
    def __name__(self) -> str:  # the reference system's steps are functions; keep the look
        return self.func.__name__

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Call the author's function directly, as a unit test of a step would."""
        return self.func(*args, **kwargs)

    def __rshift__(self, other: Step | StepList) -> StepList:
        return StepList([self]) >> other

    def should_run(self, state: State) -> bool:
        return all(predicate(state) for predicate in self.predicates)

    def __repr__(self) -> str:
        return f"Step({self.name!r})"


class StepList(list[Step]):
    """A list of steps with associative `>>`."""

    def __init__(self, steps: Iterable[Step] = ()) -> None:
        super().__init__(steps)

    @overload  # type: ignore[override]
    def __getitem__(self, i: int) -> Step: ...

    @overload
    def __getitem__(self, i: slice) -> StepList: ...

    def __getitem__(self, i: int | slice) -> Step | StepList:
        item = super().__getitem__(i)
        return StepList(item) if isinstance(item, list) else item

    def __rshift__(self, other: Step | StepList) -> StepList:
        if isinstance(other, Step):
            return StepList([*self, other])
        if isinstance(other, StepList):
            return StepList([*self, *other])
        name = getattr(other, "__name__", type(other).__name__)
        raise ValueError(f"Expected a @step decorated function, a Step or a StepList, got {name!r}")

    def map(self, f: Callable[[Step], Step]) -> StepList:
        return StepList(map(f, self))

    def __str__(self) -> str:
        return f"StepList [{', '.join(s.name for s in self)}]"


begin = StepList()


def step(name: str, retries: int = 0, retry_delay_seconds: float = 0,
         retry_auth_callback: Authorizer | None = None) -> Callable[[Callable[..., Any]], Step]:
    """Mark a function as a workflow step; `retries` are Prefect task retries for transient faults."""

    def decorator(func: Callable[..., Any]) -> Step:
        return Step(name, func, "step", retries=retries, retry_delay_seconds=retry_delay_seconds,
                    retry_auth_callback=retry_auth_callback)

    return decorator


def retrystep(name: str, retry_auth_callback: Authorizer | None = None) -> Callable[[Callable[..., Any]], Step]:
    """A step whose failure puts the process in `waiting`, to be retried later, instead of `failed`."""

    def decorator(func: Callable[..., Any]) -> Step:
        return Step(name, func, "retrystep", retry_auth_callback=retry_auth_callback)

    return decorator


def inputstep(name: str, assignee: Assignee = Assignee.SYSTEM, resume_auth_callback: Authorizer | None = None,
              retry_auth_callback: Authorizer | None = None) -> Callable[[Callable[..., Any]], Step]:
    """Suspend the process until a user submits the form the function yields.

    The function is a form generator (or returns a FormPage class); it must be free of side effects.
    The validated input is merged into the state.
    """

    def decorator(func: Callable[..., Any]) -> Step:
        return Step(name, no_op, "inputstep", form=func, assignee=assignee,
                    resume_auth_callback=resume_auth_callback, retry_auth_callback=retry_auth_callback)

    return decorator


def conditional(predicate: Callable[[State], bool]) -> Callable[[Step | StepList], StepList]:
    """Skip the wrapped step(s) at run time when `predicate(state)` is false; each is still logged."""

    def wrap(steps: Step | StepList) -> StepList:
        step_list = StepList([steps]) if isinstance(steps, Step) else steps
        return step_list.map(lambda s: replace(s, predicates=(*s.predicates, predicate)))

    return wrap


def no_op() -> dict[str, Any]:
    """The function of steps that change nothing (Start, Done, input steps); the engine may skip their savepoint."""
    return {}


init = StepList([Step("Start", no_op)])
done = StepList([Step("Done", no_op, "done")])
abort = StepList([Step("Abort", no_op, "abort")])


def _always_allowed(_user: Any) -> bool:
    return True


@dataclass(eq=False)
class Workflow:
    """A named, registered list of steps with its initial form and target."""

    name: str
    description: str
    target: Target
    steps: StepList
    initial_input_form: Callable[..., Any] | None = None
    authorize_callback: Authorizer = _always_allowed
    retry_auth_callback: Authorizer = _always_allowed
    is_task: bool = False
    module: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def __name__(self) -> str:
        return self.name

    def __call__(self) -> Any:
        raise TypeError(f"Workflow {self.name!r} is run by the engine: use start_process or run_workflow")


WORKFLOWS: dict[str, Workflow] = {}
"""Every workflow known to this process, by name; filled by the decorators at import time."""


def register(wf: Workflow) -> Workflow:
    WORKFLOWS[wf.name] = wf
    return wf


def get_workflow(name: str) -> Workflow | None:
    return WORKFLOWS.get(name)


def make_workflow(f: Callable[[], StepList], description: str, initial_input_form: Callable[..., Any] | None,
                  target: Target, steps: StepList, authorize_callback: Authorizer | None = None,
                  retry_auth_callback: Authorizer | None = None, is_task: bool = False) -> Workflow:
    authorize = authorize_callback or _always_allowed
    wf = Workflow(
        name=f.__name__,
        description=description or (inspect.getdoc(f) or f.__name__).splitlines()[0],
        target=target,
        steps=steps,
        initial_input_form=initial_input_form,
        authorize_callback=authorize,
        retry_auth_callback=retry_auth_callback or authorize,
        is_task=is_task,
        module=f.__module__,
    )
    return register(wf)


def workflow(description: str = "", initial_input_form: Callable[..., Any] | None = None,
             target: Target = Target.SYSTEM, authorize_callback: Authorizer | None = None,
             retry_auth_callback: Authorizer | None = None) -> Callable[[Callable[[], StepList]], Workflow]:
    """Turn a function returning a StepList into a workflow registered under the function's name."""

    def decorator(f: Callable[[], StepList]) -> Workflow:
        return make_workflow(f, description, initial_input_form, target, f(),
                             authorize_callback=authorize_callback, retry_auth_callback=retry_auth_callback)

    return decorator


__all__ = [
    "FormPage",
    "Step",
    "StepList",
    "Workflow",
    "WORKFLOWS",
    "abort",
    "begin",
    "conditional",
    "done",
    "get_workflow",
    "init",
    "inputstep",
    "make_workflow",
    "retrystep",
    "step",
    "workflow",
]
