"""Fill a step's (or form's) parameters from the process state, by name: part of the step DSL, shared by
the engine (steps) and forms (form generators)."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, get_type_hints

from orchestrator_core.domain.registry import is_subscription_model_type
from orchestrator_core.types import State


class MissingStepArgumentError(KeyError):
    """A step asked for a state key that no earlier step or form provided."""

    def __init__(self, step_name: str, missing: list[str], available: list[str]) -> None:
        self.step_name = step_name
        self.missing = missing
        super().__init__(
            f"Step {step_name!r} needs {', '.join(repr(m) for m in missing)} from the state, "
            f"which holds only: {', '.join(sorted(available)) or '(nothing)'}"
        )

    def __str__(self) -> str:
        return str(self.args[0])


def _unwrap(annotation: Any) -> Any:
    while hasattr(annotation, "__metadata__"):
        annotation = annotation.__origin__
    return annotation


def _load_model(annotation: Any, name: str, state: State) -> Any:
    """A model-typed parameter is loaded fresh from the database: earlier steps saved it."""
    value = state.get(name)
    annotation = _unwrap(annotation)
    if isinstance(value, annotation):
        return value
    if isinstance(value, dict) and "subscription_id" in value:
        return annotation.from_subscription(value["subscription_id"])
    if value is not None:
        return annotation.from_subscription(value)
    return annotation.from_subscription(state["subscription_id"])


@dataclass(frozen=True)
class _Param:
    name: str
    annotation: Any
    is_model: bool
    required: bool


@lru_cache(maxsize=4096)
def _params(func: Callable[..., Any]) -> tuple[_Param, ...]:
    """A function's injectable parameters, worked out once: this runs for every step of every process."""
    try:
        hints = get_type_hints(func)
    except Exception:  # unresolvable forward references: fall back to no conversion
        hints = {}
    params = []
    for name, param in inspect.signature(func).parameters.items():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        annotation = hints.get(name, param.annotation)
        params.append(_Param(name, annotation, is_subscription_model_type(annotation),
                             param.default is inspect.Parameter.empty))
    return tuple(params)


def inject_args(func: Callable[..., Any], state: State, step_name: str = "") -> dict[str, Any]:
    """The keyword arguments `func` is called with; `state` itself for a parameter named `state`."""
    kwargs: dict[str, Any] = {}
    missing: list[str] = []
    for param in _params(func):
        name = param.name
        if name == "state":
            kwargs[name] = state
        elif param.is_model and (name in state or "subscription_id" in state):
            kwargs[name] = _load_model(param.annotation, name, state)
        elif name in state:
            kwargs[name] = state[name]
        elif param.required:
            missing.append(name)
    if missing:
        raise MissingStepArgumentError(step_name or func.__name__, missing, list(state))
    return kwargs
