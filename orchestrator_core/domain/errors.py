"""Typed refusals of the domain model, each with a sentence an operator can act on."""

from __future__ import annotations

from orchestrator_core.errors import OrchestratorError


class DomainModelError(ValueError):
    """Base class: a domain model operation was refused."""


class SubscriptionNotFoundError(OrchestratorError, DomainModelError, LookupError):
    """No subscription has the requested id: the one refusal for it, from a model load, the guard or a
    standard step (`subscription.not_found`, HTTP 404)."""

    code = "subscription.not_found"
    http_status = 404


class ProductBlockNotFoundError(DomainModelError, LookupError):
    """No product block instance has the requested id."""


class ProductNotFoundError(OrchestratorError, DomainModelError, LookupError):
    """No product has the requested id, or its name is not in SUBSCRIPTION_MODEL_REGISTRY
    (`product.not_found`, HTTP 404)."""

    code = "product.not_found"
    http_status = 404


class WrongLifecycleError(DomainModelError):
    """A model class does not fit the lifecycle status of the subscription it should hold."""


class WrongProductError(DomainModelError):
    """A model class of one product was asked to hold a subscription of another."""


class ProductBlockNotRegisteredError(DomainModelError):
    """A domain model uses a product block or resource type that no migration registered."""


class UnsafeLifecycleChangeError(DomainModelError):
    """Other subscriptions use this one's blocks and their status forbids the change."""


class BlockInUseError(DomainModelError):
    """A block removed from a subscription is still used by another subscription."""
