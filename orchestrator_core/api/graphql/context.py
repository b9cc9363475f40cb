"""What one GraphQL request's resolvers share: the caller, and reads done once per request."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import strawberry

from orchestrator_core.api.auth import AuthUser
from orchestrator_core.services.catalogue_list import CatalogueLinks

T = TypeVar("T")


@dataclass
class GraphqlContext:
    user: AuthUser | None
    """The verified caller (None with auth off and no token): what authorization callbacks are asked about."""
    _once: dict[Hashable, Any] = field(default_factory=dict)

    def once(self, key: Hashable, load: Callable[[], T]) -> T:
        """`load()`, read once per request under `key`."""
        if key not in self._once:
            self._once[key] = load()
        return self._once[key]  # type: ignore[no-any-return]

    @property
    def catalogue(self) -> CatalogueLinks:
        return self.once("catalogue", CatalogueLinks)


Info = strawberry.Info[GraphqlContext, None]
