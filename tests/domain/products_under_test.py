"""Test products covering every field kind the domain model supports, in three lifecycle variants.

"Test Sink": a root block holding int/str/bool/enum/UUID/IP values, a nested block, a list of
blocks (1..3), an optional block and a block owned by a "Test Shared" subscription.
"Test Chain": a block that nests itself, for depth.
"""

from __future__ import annotations

from ipaddress import IPv4Address
from typing import Annotated
from uuid import UUID

from annotated_types import Len

from orchestrator_core.domain import SUBSCRIPTION_MODEL_REGISTRY, ProductBlockModel, SubscriptionModel
from orchestrator_core.types import SubscriptionLifecycle, strEnum

PROVISIONING = SubscriptionLifecycle.PROVISIONING
ACTIVE = SubscriptionLifecycle.ACTIVE


class Colour(strEnum):
    RED = "red"
    GREEN = "green"


class LeafBlockInactive(ProductBlockModel, product_block_name="Test Leaf"):
    int_field: int | None = None
    str_field: str | None = None
    bool_field: bool | None = None
    enum_field: Colour | None = None
    uuid_field: UUID | None = None
    ip_field: IPv4Address | None = None


class LeafBlockProvisioning(LeafBlockInactive, lifecycle=[PROVISIONING]):
    int_field: int
    str_field: str


class LeafBlock(LeafBlockProvisioning, lifecycle=[ACTIVE]):
    bool_field: bool
    enum_field: Colour
    uuid_field: UUID
    ip_field: IPv4Address


class SharedBlockInactive(ProductBlockModel, product_block_name="Test Shared"):
    ref: str | None = None


class SharedBlock(SharedBlockInactive, lifecycle=[PROVISIONING, ACTIVE]):
    ref: str


class RootBlockInactive(ProductBlockModel, product_block_name="Test Root"):
    title: str | None = None
    leaf: LeafBlockInactive
    leaves: Annotated[list[LeafBlockInactive], Len(min_length=1, max_length=3)]
    spare: LeafBlockInactive | None = None
    shared: SharedBlockInactive | None = None


class RootBlockProvisioning(RootBlockInactive, lifecycle=[PROVISIONING]):
    leaf: LeafBlockProvisioning
    leaves: Annotated[list[LeafBlockProvisioning], Len(min_length=1, max_length=3)]
    spare: LeafBlockProvisioning | None = None
    shared: SharedBlock | None = None


class RootBlock(RootBlockProvisioning, lifecycle=[ACTIVE]):
    title: str
    leaf: LeafBlock
    leaves: Annotated[list[LeafBlock], Len(min_length=1, max_length=3)]
    spare: LeafBlock | None = None
    shared: SharedBlock


class SinkInactive(SubscriptionModel, is_base=True):
    speed: int | None = None
    root: RootBlockInactive


class SinkProvisioning(SinkInactive, lifecycle=[PROVISIONING]):
    root: RootBlockProvisioning


class Sink(SinkProvisioning, lifecycle=[ACTIVE]):
    root: RootBlock


class SharedInactive(SubscriptionModel, is_base=True):
    shared: SharedBlockInactive


class Shared(SharedInactive, lifecycle=[PROVISIONING, ACTIVE]):
    shared: SharedBlock


class ChainBlock(ProductBlockModel, product_block_name="Test Chain"):
    depth: int | None = None
    child: ChainBlock | None = None


class Chain(SubscriptionModel, is_base=True):
    chain: ChainBlock


SUBSCRIPTION_MODEL_REGISTRY.update(
    {"Test Sink": Sink, "Test Shared Product": Shared, "Test Chain Product": Chain}
)

LEAF_RESOURCES = {
    "int_field": "an int",
    "str_field": "a str",
    "bool_field": "a bool",
    "enum_field": "an enum",
    "uuid_field": "a UUID",
    "ip_field": "an IPv4 address",
}


def _product(tag: str, blocks: list[str], **extra: object) -> dict:
    return {
        "product_type": tag,
        "description": tag,
        "tag": tag,
        "status": "active",
        "product_blocks": blocks,
        **extra,
    }


def _block(resources: dict, depends_on: list[str] = ()) -> dict:
    return {
        "description": "test block",
        "tag": "TEST",
        "status": "active",
        "resources": resources,
        "depends_on_block_relations": list(depends_on),
    }


CATALOGUE = {
    "product_blocks": {
        "Test Leaf": _block(LEAF_RESOURCES),
        "Test Shared": _block({"ref": "a reference"}),
        "Test Root": _block({"title": "a title"}, ["Test Leaf", "Test Shared"]),
        "Test Chain": _block({"depth": "depth in the chain"}),
    },
    "products": {
        "Test Sink": _product("TestSink", ["Test Root"], fixed_inputs={"speed": "1000"}),
        "Test Shared Product": _product("TestShared", ["Test Shared"]),
        "Test Chain Product": _product("TestChain", ["Test Chain"]),
    },
}
