"""The vocabulary shared by workflow authors, the engine and the domain model.

At the reference system's path (`orchestrator.core.types` -> `orchestrator_core.types`): the
pydantic-forms types workflow authors import from here, `SI` for product block type parameters,
the lifecycle statuses and which statuses may use which, and the type checks on annotations that
product and workflow code uses.
"""

from __future__ import annotations

import collections.abc
import types
from collections.abc import Callable, Iterable, Iterator
from http import HTTPStatus
from inspect import isclass
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin
from uuid import UUID

from pydantic_forms.types import (
    JSON,
    AcceptData,
    FormGenerator,
    InputForm,
    InputFormGenerator,
    SimpleInputFormGenerator,
    State,
    StateInputFormGenerator,
    SummaryData,
    UUIDstr,
    strEnum,
)

__all__ = [
    "JSON",
    "SAFE_USED_BY_TRANSITIONS_FOR_STATUS",
    "SI",
    "AcceptData",
    "Assignee",
    "BroadcastFunc",
    "ErrorDict",
    "ErrorState",
    "FormGenerator",
    "InputForm",
    "InputFormGenerator",
    "ProcessStatus",
    "SimpleInputFormGenerator",
    "State",
    "StateInputFormGenerator",
    "StateStepFunc",
    "StepFunc",
    "StepStatus",
    "SubscriptionLifecycle",
    "SummaryData",
    "UUIDstr",
    "filter_nonetype",
    "get_origin_and_args",
    "is_list_type",
    "is_of_type",
    "is_optional_type",
    "is_union_type",
    "strEnum",
]

SI = TypeVar("SI")
"""A product block in a reusable annotation: `ListOfPorts = Annotated[list[SI], Len(min_length=2)]`,
then `ports: ListOfPorts[PortBlock]`."""

ErrorState = str | Exception | tuple[str, int | HTTPStatus]
"""What a failing step may report: a message, the exception, or a message with an HTTP status."""
ErrorDict = dict[str, str | int | list[dict[str, Any]] | InputForm | None]
StateStepFunc = Callable[[State], State]
StepFunc = Callable[..., State | None]
BroadcastFunc = Callable[[UUID], None]


class SubscriptionLifecycle(strEnum):
    INITIAL = "initial"
    ACTIVE = "active"
    MIGRATING = "migrating"
    DISABLED = "disabled"
    TERMINATED = "terminated"
    PROVISIONING = "provisioning"


_L = SubscriptionLifecycle
SAFE_USED_BY_TRANSITIONS_FOR_STATUS: dict[SubscriptionLifecycle, list[SubscriptionLifecycle]] = {
    _L.INITIAL: [_L.INITIAL],
    _L.PROVISIONING: [_L.INITIAL, _L.PROVISIONING, _L.ACTIVE, _L.TERMINATED],
    _L.ACTIVE: list(_L),
    _L.MIGRATING: [_L.INITIAL, _L.MIGRATING, _L.TERMINATED],
    _L.DISABLED: [_L.INITIAL, _L.DISABLED, _L.TERMINATED],
    _L.TERMINATED: [_L.INITIAL, _L.TERMINATED],
}
"""For a subscription moving to the key status: the statuses the subscriptions using its blocks may have."""


class Assignee(strEnum):
    """Who is expected to act on a suspended process."""

    SYSTEM = "SYSTEM"
    NOC = "NOC"
    CHANGES = "CHANGES"
    CUSTOMER_SUPPORT = "CUSTOMER_SUPPORT"
    KLANTSUPPORT = "KLANTSUPPORT"
    """The reference system's name for customer support, kept so that its processes and code port."""


class ProcessStatus(strEnum):
    CREATED = "created"
    RUNNING = "running"
    SUSPENDED = "suspended"
    WAITING = "waiting"
    AWAITING_CALLBACK = "awaiting_callback"
    """Waits for an external system to POST its result to the process's callback route."""
    FAILED = "failed"
    ABORTED = "aborted"
    COMPLETED = "completed"
    CRASHED = "crashed"
    """The executor died while the process ran; resumable from the last committed step."""


RESUMABLE_STATUSES = frozenset(
    {ProcessStatus.FAILED, ProcessStatus.WAITING, ProcessStatus.SUSPENDED, ProcessStatus.CRASHED,
     ProcessStatus.CREATED, ProcessStatus.AWAITING_CALLBACK}
)
FINAL_STATUSES = frozenset({ProcessStatus.COMPLETED, ProcessStatus.ABORTED})


class StepStatus(strEnum):
    SUCCESS = "success"
    SKIPPED = "skipped"
    SUSPEND = "suspend"
    WAITING = "waiting"
    AWAITING_CALLBACK = "awaiting_callback"
    FAILED = "failed"
    ABORT = "abort"
    COMPLETE = "complete"


# Type checks on annotations (a field's type in a form or a domain model).


def get_origin_and_args(t: Any) -> tuple[Any, tuple[Any, ...]]:
    """`get_origin` and `get_args` of `t`, looking through one `Annotated[...]`."""
    if get_origin(t) is Annotated:
        t = get_args(t)[0]
    return get_origin(t), get_args(t)


def filter_nonetype(types_: Iterable[Any]) -> Iterator[Any]:
    """The members of a union that are not `None`."""
    return (t for t in types_ if t is not type(None))


def _is_union_origin(origin: Any) -> bool:
    return origin is Union or origin is types.UnionType


def is_of_type(t: Any, test_type: Any) -> bool:
    """True when a value of annotation `t` is a `test_type`: the same type, the same generic, a
    subclass, or (for a union `test_type`) one of its members. `Any` is of every type."""
    if t is Any or t is test_type:
        return True
    origin, args = get_origin(t), get_args(t)
    if origin is not None and origin is get_origin(test_type):
        return args == get_args(test_type) or _is_union_origin(origin) and set(args) == set(get_args(test_type))
    if _is_union_origin(get_origin(test_type)):
        return any(is_of_type(t, member) for member in get_args(test_type))
    return isclass(t) and isclass(test_type) and issubclass(t, test_type)


def is_union_type(t: Any, test_type: Any = None) -> bool:
    """True for `A | B` (also inside `Annotated`); with `test_type`, when it or one of its members is one."""
    origin, args = get_origin_and_args(t)
    if not _is_union_origin(origin):
        return False
    return test_type is None or is_of_type(t, test_type) or any(is_of_type(a, test_type) for a in args)


def is_optional_type(t: Any, test_type: Any = None) -> bool:
    """True for `X | None` (also inside `Annotated`); with `test_type`, when `X` is one."""
    origin, args = get_origin_and_args(t)
    if not (_is_union_origin(origin) and type(None) in args):
        return False
    return test_type is None or any(is_of_type(a, test_type) for a in filter_nonetype(args))


def is_list_type(t: Any, test_type: Any = None) -> bool:
    """True for `list[X]` or `Sequence[X]` (also optional, or inside `Annotated`, as `conlist` makes);
    with `test_type`, when `X` (or a member of a union `X`) is one."""
    origin, args = get_origin_and_args(t)
    if origin is None:
        bare = get_args(t)[0] if get_origin(t) is Annotated else t
        return test_type is None and isclass(bare) and issubclass(bare, list)
    if _is_union_origin(origin):
        return any(is_list_type(a, test_type) for a in filter_nonetype(args))
    if origin is Literal or not isclass(origin):
        return False
    if not (issubclass(origin, list) or origin is collections.abc.Sequence):
        return False
    if test_type is None:
        return True
    if not args:
        return False
    item = args[0]
    if _is_union_origin(get_origin(item)) and not _is_union_origin(get_origin(test_type)):
        return any(is_of_type(member, test_type) for member in filter_nonetype(get_args(item)))
    return is_of_type(item, test_type)
