"""The process state: merging a step's result into it and turning it into JSON for the log."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, overload

from pydantic_core import to_jsonable_python

from orchestrator_core.domain.subscription import SubscriptionModel
from orchestrator_core.types import State


class StepResultError(TypeError):
    """A step returned something other than a dict (or None)."""


def merge(state: State, result: Any, step_name: str) -> State:
    if result is None:
        return dict(state)
    if not isinstance(result, Mapping):
        raise StepResultError(
            f"Step {step_name!r} returned {type(result).__name__}; a step must return a dict (or None)"
        )
    return {**state, **result}


def persistent_models(value: Any) -> Iterator[Any]:
    """Domain models anywhere in a step's result: the engine saves each in the step's transaction."""
    if isinstance(value, SubscriptionModel):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from persistent_models(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from persistent_models(item)


@overload
def to_json(state: State) -> dict[str, Any]: ...
@overload
def to_json(state: Sequence[State]) -> list[dict[str, Any]]: ...
def to_json(state: State | Sequence[State]) -> dict[str, Any] | list[dict[str, Any]]:
    """A state (or a list of them, as user inputs are) as JSON-ready values; unknown types as str."""
    return to_jsonable_python(state, fallback=str)


ENGINE_KEYS = ("process_id", "workflow_name", "workflow_target", "reporter")
"""Keys the engine puts in every initial state, as the reference system does."""
