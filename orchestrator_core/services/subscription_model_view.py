"""A subscription's domain model as JSON for readers (API, page).

Loaded through the product's registered `SubscriptionModel` when this process has it; when it
does not (a product whose code is not deployed here, or data the model no longer fits) the
raw block instances are shown instead, marked `"kind": "generic"`, rather than failing the page.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from pydantic import ValidationError

from orchestrator_core.db import transaction
from orchestrator_core.domain import DomainModelError, SubscriptionModel
from orchestrator_core.domain.loading import fetch_instance_rows

logger = logging.getLogger(__name__)


def _generic(subscription_id: uuid.UUID) -> list[dict[str, Any]]:
    rows = fetch_instance_rows(subscription_id)
    children: dict[uuid.UUID, list[dict[str, Any]]] = {}
    for (parent, attr), kids in rows.children.items():
        children.setdefault(parent, []).extend({"field": attr, "subscription_instance_id": k} for k in kids)
    return [
        {
            "subscription_instance_id": iid,
            "owner_subscription_id": row.subscription_id,
            "product_block": row.name,
            "label": row.label,
            "values": dict(rows.values.get(iid, {})),
            "children": children.get(iid, []),
        }
        for iid, row in rows.instances.items()
    ]


def domain_model(subscription_id: uuid.UUID) -> dict[str, Any]:
    """`{"kind": "model"|"generic", "model": {...}}`."""
    with transaction():
        try:
            model = SubscriptionModel.from_subscription(subscription_id)
            return {"kind": "model", "type": type(model).__name__, "model": model.model_dump(mode="json")}
        except (DomainModelError, LookupError, ValidationError, TypeError) as exc:
            logger.info("Subscription %s shown generically: %s", subscription_id, exc)
            return {
                "kind": "generic",
                "type": None,
                "reason": str(exc),
                "model": {"blocks": _generic(subscription_id)},
            }
