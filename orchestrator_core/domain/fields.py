"""How the fields of a domain model class map onto the database.

A field typed with a product block (alone, optional, or in a list) becomes child instances and
relations; every other field of a block is a resource type value (of a subscription: a fixed
input). The plan is computed once per class, after pydantic has resolved forward references.
"""

from __future__ import annotations

import types
from dataclasses import dataclass
from inspect import isclass
from typing import Annotated, Any, Literal, Union, get_args, get_origin

BlockKind = Literal["one", "optional", "list"]


@dataclass(frozen=True)
class BlockField:
    name: str
    block_type: type[Any]
    kind: BlockKind
    min_items: int = 0


@dataclass(frozen=True)
class FieldPlan:
    blocks: tuple[BlockField, ...]
    values: tuple[str, ...]


_plans: dict[type, FieldPlan] = {}


def field_plan(cls: type[Any]) -> FieldPlan:
    """Block fields and value fields of a domain model class, core fields left out."""
    plan = _plans.get(cls)
    if plan is None:
        plan = _plans[cls] = _make_plan(cls)
    return plan


def _make_plan(cls: type[Any]) -> FieldPlan:
    if not cls.__pydantic_complete__:
        cls.model_rebuild()
    blocks: list[BlockField] = []
    values: list[str] = []
    for name, info in cls.model_fields.items():
        if name in cls.__core_fields__:
            continue
        classified = _classify(name, info.annotation)
        if classified is None:
            values.append(name)
        else:
            kind, block_type = classified
            blocks.append(BlockField(name, block_type, kind, _min_items(info.metadata)))
    return FieldPlan(tuple(blocks), tuple(values))


def _is_block(tp: Any) -> bool:
    from orchestrator_core.domain.product_block import ProductBlockModel

    return isclass(tp) and issubclass(tp, ProductBlockModel)


def _strip_annotated(tp: Any) -> Any:
    while get_origin(tp) is Annotated:
        tp = get_args(tp)[0]
    return tp


def _classify(name: str, annotation: Any) -> tuple[BlockKind, type[Any]] | None:
    tp = _strip_annotated(annotation)
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        members = [_strip_annotated(a) for a in get_args(tp) if a is not type(None)]
        if not any(_is_block(m) or _classify(name, m) for m in members):
            return None
        if len(members) == 1 and _is_block(members[0]):
            return "optional", members[0]
        raise TypeError(f"field '{name}': only `Block | None` is supported as a union of product blocks")
    if origin is list:
        (item,) = get_args(tp)
        item = _strip_annotated(item)
        return ("list", item) if _is_block(item) else None
    return ("one", tp) if _is_block(tp) else None


def _min_items(metadata: list[Any]) -> int:
    return max((getattr(m, "min_length", 0) or 0 for m in metadata), default=0)
