"""`SubscriptionModel`: a customer's subscription to a product, as workflow steps load, change and save it.

Declared as in the reference system:

    class NodeEnrollmentInactive(SubscriptionModel, is_base=True):
        ne: NodeEnrollmentBlockInactive

    class NodeEnrollment(NodeEnrollmentInactive, lifecycle=[SubscriptionLifecycle.ACTIVE]):
        ne: NodeEnrollmentBlock

A model is plain data: `model_dump(mode="json")` is what a process state carries, and
`model_validate` loads such a dict back. `save()` writes into the caller's unit of work.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, Self
from uuid import UUID, uuid4

import sqlalchemy as sa
from pydantic import BaseModel, Field, PrivateAttr

from orchestrator_core.db.database import session
from orchestrator_core.db.product_tables import FixedInputTable, ProductTable
from orchestrator_core.db.subscription_tables import SubscriptionTable
from orchestrator_core.domain import prefetch
from orchestrator_core.domain.domain_model import DomainModel
from orchestrator_core.domain.errors import ProductNotFoundError, SubscriptionNotFoundError, WrongProductError
from orchestrator_core.domain.fields import field_plan
from orchestrator_core.domain.loading import fetch_instance_rows, root_blocks_data
from orchestrator_core.domain.product import ProductModel
from orchestrator_core.domain.product_block import empty_children
from orchestrator_core.domain.variants import fitting_variant, register_variant, variant_for_status
from orchestrator_core.types import SubscriptionLifecycle

SUBSCRIPTION_CORE_FIELDS = frozenset(
    {
        "product",
        "customer_id",
        "subscription_id",
        "description",
        "status",
        "insync",
        "start_date",
        "end_date",
        "note",
        "version",
    }
)


class SubscriptionModel(DomainModel):
    __core_fields__: ClassVar[frozenset[str]] = SUBSCRIPTION_CORE_FIELDS

    product: ProductModel
    customer_id: str
    subscription_id: UUID = Field(default_factory=uuid4)
    description: str = "Initial subscription"
    status: SubscriptionLifecycle = SubscriptionLifecycle.INITIAL
    insync: bool = False
    start_date: datetime | None = None
    end_date: datetime | None = None
    note: str | None = None
    version: int = 1

    _loaded: dict[str, Any] | None = PrivateAttr(default=None)
    """The model as `from_subscription` read it; `save()` writes nothing while it is unchanged."""

    @classmethod
    def __pydantic_init_subclass__(
        cls, *, is_base: bool = False, lifecycle: list[SubscriptionLifecycle] | None = None, **kwargs: Any
    ) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        if is_base:
            cls.__base_type__ = cls
            register_variant(cls, None)
        cls._register_lifecycle(lifecycle)

    @classmethod
    def model_validate(cls, obj: Any, **kwargs: Any) -> Self:  # type: ignore[override]
        """Validate into the lifecycle variant that fits the status in the dict (base in, ACTIVE out)."""
        target = cls
        if isinstance(obj, dict) and obj.get("status") and cls.__base_type__ is not None:
            target = fitting_variant(cls, obj["status"])
        return BaseModel.model_validate.__func__(target, obj, **kwargs)  # type: ignore[attr-defined]

    @classmethod
    def from_product_id(
        cls,
        product_id: UUID | str,
        customer_id: UUID | str,
        status: SubscriptionLifecycle = SubscriptionLifecycle.INITIAL,
        description: str | None = None,
        insync: bool = False,
        start_date: datetime | None = None,
        end_date: datetime | None = None,
        note: str | None = None,
        version: int = 1,
    ) -> Self:
        """A new, unsaved subscription of the product, with empty blocks. Reads the current session."""
        product_row = session().get(ProductTable, _as_uuid(product_id))
        if product_row is None:
            raise ProductNotFoundError(f"no product with id {product_id}")
        product = ProductModel.model_validate(product_row, from_attributes=True)
        target = _class_for(cls, product.name, status)
        subscription_id = uuid4()
        blocks = {f.name: empty_children(f, subscription_id) for f in field_plan(target).blocks}
        return target(
            product=product,
            customer_id=str(customer_id),
            subscription_id=subscription_id,
            description=description
            if description is not None
            else f"Initial subscription of {product.description}",
            status=status,
            insync=insync,
            start_date=start_date,
            end_date=end_date,
            note=note,
            version=version,
            **_fixed_inputs(target, product_row.product_id),
            **blocks,
        )

    @classmethod
    def from_subscription(cls, subscription_id: UUID | str | dict[str, Any] | SubscriptionModel) -> Self:
        """Load a subscription in the lifecycle variant that fits its status. Reads the current session."""
        sid = _subscription_id_of(subscription_id)
        pre = prefetch.cached(sid)
        if pre is not None:  # a batch read these rows in this transaction and they are still current
            target = _class_for(cls, pre.product_name, pre.status)
            wanted = field_plan(target).values
            data = {
                "product": pre.product,
                **pre.core,
                **{name: value for name, value in pre.fixed_inputs.items() if name in wanted},
                **root_blocks_data(target, pre.rows),
            }
            model = BaseModel.model_validate.__func__(target, data)  # type: ignore[attr-defined]
            model._loaded = model.model_dump()
            return model
        found = (
            session()
            .execute(
                sa.select(SubscriptionTable, ProductTable)
                .join(ProductTable, ProductTable.product_id == SubscriptionTable.product_id)
                .where(SubscriptionTable.subscription_id == sid)
            )
            .one_or_none()
        )
        if found is None:
            raise SubscriptionNotFoundError(f"no subscription with id {sid}")
        row, product_row = found
        target = _class_for(cls, product_row.name, row.status)
        data = {
            "product": ProductModel.model_validate(product_row, from_attributes=True),
            **{name: getattr(row, name) for name in SUBSCRIPTION_CORE_FIELDS - {"product"}},
            **_fixed_inputs(target, product_row.product_id),
            **root_blocks_data(target, fetch_instance_rows(sid)),
        }
        model = BaseModel.model_validate.__func__(target, data)  # type: ignore[attr-defined]
        model._loaded = model.model_dump()
        return model

    def unchanged_since_load(self) -> bool:
        """Loaded by `from_subscription` and not changed since (a save of it would only bump the version)."""
        return self._loaded is not None and self.model_dump() == self._loaded

    @classmethod
    def from_other_lifecycle(cls, other: SubscriptionModel, status: SubscriptionLifecycle) -> Self:
        """A copy of `other` in `status`, validated against the variant for that status."""
        from orchestrator_core.domain.lifecycle import with_status

        target = _class_for(cls, other.product.name, status)
        return with_status(target, other, SubscriptionLifecycle(status))

    def save(self) -> None:
        """Write this subscription into the current unit of work (`db.transaction()`); never commits.

        Outside a transaction it raises `NoTransactionError` (the reference would write into a session
        that only a later `commit()` stores; here nothing is written unnoticed).

        A model loaded with `from_subscription` and not changed since is already what is stored:
        saving it writes nothing and leaves `version` as it is (the version counts changes).
        """
        from orchestrator_core.domain.saving import save_subscription

        save_subscription(self)


def _class_for(cls: type[Any], product_name: str, status: SubscriptionLifecycle | str) -> type[Any]:
    """The class for a subscription of `product_name` in `status`, when the caller asked for `cls`."""
    from orchestrator_core.domain.registry import SUBSCRIPTION_MODEL_REGISTRY

    registered = SUBSCRIPTION_MODEL_REGISTRY.get(product_name)
    if cls.__base_type__ is None:
        if registered is None:
            raise ProductNotFoundError(f"product '{product_name}' is not in SUBSCRIPTION_MODEL_REGISTRY")
        return variant_for_status(registered, status)
    if registered is not None and registered.__base_type__ is not cls.__base_type__:
        raise WrongProductError(
            f"{cls.__name__} cannot hold a '{product_name}' subscription; use {registered.__name__}"
        )
    return fitting_variant(cls, status)


def _fixed_inputs(model_type: type[Any], product_id: UUID) -> dict[str, str]:
    wanted = field_plan(model_type).values
    if not wanted:
        return {}
    rows = session().execute(
        sa.select(FixedInputTable.name, FixedInputTable.value).where(
            FixedInputTable.product_id == product_id, FixedInputTable.name.in_(wanted)
        )
    )
    return {name: value for name, value in rows}


def _as_uuid(value: UUID | str) -> UUID:
    return value if isinstance(value, UUID) else UUID(str(value))


def _subscription_id_of(value: UUID | str | dict[str, Any] | SubscriptionModel) -> UUID:
    """Accept an id, a subscription dict from a state, or a model."""
    if isinstance(value, SubscriptionModel):
        return value.subscription_id
    if isinstance(value, dict):
        return _as_uuid(value["subscription_id"])
    if not isinstance(value, UUID | str):
        raise TypeError(f"subscription_id must be a UUID or str, got {type(value).__name__}")
    return _as_uuid(value)
