"""Products (read-only): the catalogue that migrations register."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter

from orchestrator_core.api.errors import ApiError
from orchestrator_core.api.params import text_query
from orchestrator_core.api.schemas.catalogue import Product
from orchestrator_core.services import catalogue

router = APIRouter(prefix="/api/products", tags=["products"])


@router.get("", response_model=list[Product])
def list_products(tag: Annotated[str | None, text_query(50)] = None) -> list[Product]:
    return [Product(**p) for p in catalogue.list_products(tag)]


@router.get("/{product_id}", response_model=Product, responses={404: {"description": "Unknown product"}})
def get_product(product_id: uuid.UUID) -> Product:
    found = catalogue.get_product(product_id)
    if found is None:
        raise ApiError(404, "product.not_found", f"Product {product_id} does not exist", product_id=str(product_id))
    return Product(**found)
