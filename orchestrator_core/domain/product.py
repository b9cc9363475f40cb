"""`ProductModel`: the product a subscription is of, as registered in the database."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict


class ProductModel(BaseModel):
    """A product as registered in the database, carried inside every subscription."""

    model_config = ConfigDict(from_attributes=True)

    product_id: UUID
    name: str
    description: str
    product_type: str
    tag: str
    status: str
    created_at: datetime | None = None
    end_date: datetime | None = None
