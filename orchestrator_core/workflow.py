"""The step DSL workflow authors write: `@step`, `StepList`, `>>`, `@workflow`, `callback_step`,
and the registry of workflows by name.

Nothing here runs anything, imports Prefect or touches the database: a workflow is a plain
description (a name, a form, a target and a list of steps) that the engine executes.
"""

from __future__ import annotations

import importlib
import inspect
import secrets
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal, overload

from pydantic_forms.core import FormPage

from orchestrator_core.targets import Target
from orchestrator_core.types import Assignee, State

StepKind = Literal["step", "retrystep", "inputstep", "callback", "done", "abort"]
"""`inputstep` and `callback` steps are where a process waits: for a user's form, or for an external
system's answer to its callback route."""
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
    """Skip the wrapped step(s) at run time when `predicate(state)` is false; each is still logged.

    The predicate is asked for each step as the process reaches it, so an input step or a callback
    step whose predicate is false is skipped too: the process does not wait there.
    """

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

DEFAULT_CALLBACK_ROUTE_KEY = "callback_route"
DEFAULT_CALLBACK_RESULT_KEY = "callback_result"
DEFAULT_CALLBACK_PROGRESS_KEY = "callback_progress"
CALLBACK_TOKEN_KEY = "__callback_token"  # noqa: S105 - the state key, not a secret
CALLBACK_RESULT_KEY_KEY = "__callback_result_key"


def callback_route(process_id: Any, token: str) -> str:
    """The route an external system POSTs its result to, as the reference system spells it."""
    return f"/api/processes/{process_id}/callback/{token}"


def callback_step(name: str, action_step: Step, validate_step: Step, result_key: str | None = None,
                  callback_route_key: str = DEFAULT_CALLBACK_ROUTE_KEY) -> StepList:
    """Hand work to an external system and wait for its answer, as the reference's `callback_step`.

    The steps: a fresh callback route (with a one-time token) is put in the state under
    `callback_route_key`; `action_step` runs and passes that route to the external system; the
    process then waits in status `awaiting_callback` until the system POSTs its result to the route;
    the result is stored in the state under `result_key` (default `callback_result`) and
    `validate_step` checks it. The token is cleared from the state once the callback is validated.
    """

    def create_endpoint(process_id: str) -> State:
        token = secrets.token_urlsafe()
        return {callback_route_key: callback_route(process_id, token), CALLBACK_TOKEN_KEY: token,
                CALLBACK_RESULT_KEY_KEY: result_key}

    def forget_token() -> State:
        return {CALLBACK_TOKEN_KEY: None, CALLBACK_RESULT_KEY_KEY: None}

    return (begin
            >> Step(f"{name} - Create endpoint", create_endpoint)
            >> action_step
            >> Step(f"{name} - Await callback", no_op, "callback")
            >> validate_step
            >> Step(f"{name} - Cleanup callback step", forget_token))


def _always_allowed(_user: Any) -> bool:
    return True


@dataclass(frozen=True)
class RunPredicatePass:
    """Returned by a workflow's `run_predicate`: it may start."""

    def __bool__(self) -> bool:
        return True


@dataclass(frozen=True)
class RunPredicateFail:
    """Returned by a workflow's `run_predicate`: it may not start now, and `message` says why."""

    message: str

    def __bool__(self) -> bool:
        return False


RunPredicateResult = RunPredicatePass | RunPredicateFail
RunPredicate = Callable[..., RunPredicateResult]


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
    run_predicate: RunPredicate | None = None
    """Asked before a start writes anything (a `PredicateContext`); a `RunPredicateFail` refuses it."""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def __name__(self) -> str:
        return self.name

    def __call__(self) -> Any:
        raise TypeError(f"Workflow {self.name!r} is run by the engine: use start_process or run_workflow")


@dataclass(frozen=True)
class PredicateContext:
    """What a `run_predicate` is asked about: the workflow and the name it was started by."""

    workflow: Workflow
    workflow_key: str


# --- The registry: every workflow this process knows, by name --------------------------------------

DEFAULT_PKG = "orchestrator_core.workflows"
"""The package that relative module names of `LazyWorkflowInstance` (".modify_note") are relative to."""


class InvalidWorkflowError(ValueError):
    """A registered workflow's code cannot be loaded: its module does not import, or lacks the workflow."""


class LazyWorkflowInstance:
    """A workflow registered by module and name, imported the first time it is used.

    As in the reference system, an application lists its workflows in its `workflows/__init__.py`
    (`LazyWorkflowInstance("workflows.node.create_node", "create_node")`) without importing them.
    A decorated workflow registers itself here too when its module is imported, already loaded.
    """

    package: str
    function: str

    def __init__(self, package: str, name: str, *, workflow: Workflow | None = None) -> None:
        self.package = package
        self.function = name
        self._workflow = workflow
        ALL_WORKFLOWS[name] = self

    @property
    def module_name(self) -> str:
        return f"{DEFAULT_PKG}{self.package}" if self.package.startswith(".") else self.package

    def instantiate(self) -> Workflow:
        """The workflow, its module imported on first use; it is named by the name it was registered under."""
        if self._workflow is None:
            try:
                module = importlib.import_module(self.module_name)
            except ImportError as exc:
                raise InvalidWorkflowError(f"Invalid workflow {self.function!r}: module {self.module_name} does "
                                           f"not exist or has invalid imports ({exc})") from exc
            found = getattr(module, self.function, None)
            if not isinstance(found, Workflow):
                raise InvalidWorkflowError(f"Invalid workflow {self.function!r}: module {self.module_name} defines "
                                           f"no workflow named {self.function!r}")
            _forget_aliases(found, self.function)
            found.name = self.function
            self._workflow = found
            ALL_WORKFLOWS[self.function] = self
        return self._workflow

    def __str__(self) -> str:
        return f"{self.package}.{self.function}"

    def __repr__(self) -> str:
        return f"LazyWorkflowInstance({self.package!r}, {self.function!r})"


ALL_WORKFLOWS: dict[str, LazyWorkflowInstance] = {}
"""The one registry: every workflow by name, lazily registered or loaded by its decorator on import."""


def _forget_aliases(wf: Workflow, name: str) -> None:
    """A decorator registered `wf` under its function's name; it is known by the lazily registered name."""
    for key, entry in list(ALL_WORKFLOWS.items()):
        if key != name and entry._workflow is wf:
            del ALL_WORKFLOWS[key]


_builtins_imported = False


def _import_builtins() -> None:
    """The built-in workflows (modify_note, the tasks) are always registered, whoever asks first."""
    global _builtins_imported
    if not _builtins_imported:
        _builtins_imported = True
        importlib.import_module(DEFAULT_PKG)


def register(wf: Workflow) -> Workflow:
    LazyWorkflowInstance(wf.module, wf.name, workflow=wf)
    return wf


def get_workflow(name: str) -> Workflow | None:
    """The workflow registered as `name`, its module imported if it was registered lazily; None if unknown.

    Raises `InvalidWorkflowError` when it is registered but its code does not load."""
    _import_builtins()
    entry = ALL_WORKFLOWS.get(name)
    return entry.instantiate() if entry is not None else None


def all_workflows() -> dict[str, Workflow]:
    """Every registered workflow, lazily registered ones imported (which may register more)."""
    _import_builtins()
    loaded: dict[str, Workflow] = {}
    while pending := [name for name in ALL_WORKFLOWS if name not in loaded]:
        for name in pending:
            entry = ALL_WORKFLOWS.get(name)
            if entry is not None:
                loaded[name] = entry.instantiate()
    return {name: wf for name, wf in loaded.items() if name in ALL_WORKFLOWS}


class _WorkflowsByName(Mapping[str, Workflow]):
    """`ALL_WORKFLOWS` seen as loaded workflows: looking one up imports it if it was registered lazily."""

    def __getitem__(self, name: str) -> Workflow:
        found = get_workflow(name)
        if found is None:
            raise KeyError(name)
        return found

    def __contains__(self, name: object) -> bool:  # a name lookup; it imports nothing
        _import_builtins()
        return name in ALL_WORKFLOWS

    def __iter__(self) -> Iterator[str]:
        _import_builtins()
        return iter(list(ALL_WORKFLOWS))

    def __len__(self) -> int:
        _import_builtins()
        return len(ALL_WORKFLOWS)

    def items(self) -> Any:
        return all_workflows().items()

    def values(self) -> Any:
        return all_workflows().values()


WORKFLOWS: Mapping[str, Workflow] = _WorkflowsByName()
"""Every workflow known to this process, by name: a read-only view of `ALL_WORKFLOWS`."""


def make_workflow(f: Callable[[], StepList], description: str, initial_input_form: Callable[..., Any] | None,
                  target: Target, steps: StepList, authorize_callback: Authorizer | None = None,
                  retry_auth_callback: Authorizer | None = None, is_task: bool = False,
                  run_predicate: RunPredicate | None = None) -> Workflow:
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
        run_predicate=run_predicate,
    )
    return register(wf)


def workflow(description: str = "", initial_input_form: Callable[..., Any] | None = None,
             target: Target = Target.SYSTEM, authorize_callback: Authorizer | None = None,
             retry_auth_callback: Authorizer | None = None,
             run_predicate: RunPredicate | None = None) -> Callable[[Callable[[], StepList]], Workflow]:
    """Turn a function returning a StepList into a workflow registered under the function's name."""

    def decorator(f: Callable[[], StepList]) -> Workflow:
        return make_workflow(f, description, initial_input_form, target, f(),
                             authorize_callback=authorize_callback, retry_auth_callback=retry_auth_callback,
                             run_predicate=run_predicate)

    return decorator


__all__ = [
    "ALL_WORKFLOWS",
    "CALLBACK_RESULT_KEY_KEY",
    "CALLBACK_TOKEN_KEY",
    "DEFAULT_CALLBACK_PROGRESS_KEY",
    "DEFAULT_CALLBACK_RESULT_KEY",
    "DEFAULT_CALLBACK_ROUTE_KEY",
    "FormPage",
    "InvalidWorkflowError",
    "LazyWorkflowInstance",
    "PredicateContext",
    "RunPredicate",
    "RunPredicateFail",
    "RunPredicatePass",
    "RunPredicateResult",
    "Step",
    "StepList",
    "Workflow",
    "WORKFLOWS",
    "abort",
    "all_workflows",
    "begin",
    "callback_step",
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
