"""The first form page of create and associated workflows, put in front of the author's form.

A create asks for the product (which must be one the workflow is registered for); a modify,
validate or terminate asks for the subscription and asks the guard at once, so that a refusal
(locked, wrong lifecycle, ...) comes with its reason code before any other input is needed.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Generator
from typing import Any
from uuid import UUID

from pydantic_forms.core import FormPage

from orchestrator_core.db import transaction
from orchestrator_core.injection import inject_args
from orchestrator_core.services.guard_errors import StaleSubscriptionError, refusal
from orchestrator_core.services.subscription_facts import subscription_row
from orchestrator_core.services.subscriptions import check_product, check_workflow_usable
from orchestrator_core.types import State

FormFunc = Callable[..., Any]


class ProductPage(FormPage):
    product: UUID


class SubscriptionPage(FormPage):
    subscription_id: UUID
    version: int | None = None


def _author_form(form: FormFunc, state: State) -> Generator[Any, Any, dict[str, Any]]:
    """Run the author's form (a generator or a function returning one page) with injected arguments."""
    produced = form(**inject_args(form, state, getattr(form, "__name__", "form")))
    if inspect.isgenerator(produced):
        return (yield from produced)
    page = yield produced
    return page.model_dump()


def _product_state(workflow_name: str, product_id: UUID) -> dict[str, Any]:
    with transaction() as session:
        product = check_product(session, workflow_name, product_id)
        return {"product": str(product.product_id), "product_name": product.name}


def _subscription_state(workflow_name: str, subscription_id: UUID, version: int | None) -> dict[str, Any]:
    with transaction() as session:
        verdict = check_workflow_usable(session, workflow_name, subscription_id)
        if not verdict.allowed:
            raise refusal(verdict)
        row = subscription_row(session, subscription_id)
        assert row is not None  # the guard said it exists
        if version is not None and version != row.version:
            raise StaleSubscriptionError(f"Subscription {subscription_id} changed since the form was shown "
                                         f"(version {version}, now {row.version}); reload it",
                                         expected=version, current=row.version)
        return {"subscription_id": str(row.subscription_id), "product": str(row.product_id),
                "customer_id": row.customer_id, "version": row.version}


def wrap_create_initial_input_form(initial_input_form: FormFunc | None) -> FormFunc:
    def create_initial_input_form_generator(state: State) -> Generator[Any, Any, dict[str, Any]]:
        page = yield ProductPage
        begin = _product_state(state["workflow_name"], page.product)
        if initial_input_form is None:
            return begin
        return {**begin, **(yield from _author_form(initial_input_form, {**state, **begin}))}

    return create_initial_input_form_generator


def wrap_modify_initial_input_form(initial_input_form: FormFunc | None) -> FormFunc:
    def modify_initial_input_form_generator(state: State) -> Generator[Any, Any, dict[str, Any]]:
        page = yield SubscriptionPage
        begin = _subscription_state(state["workflow_name"], page.subscription_id, page.version)
        if initial_input_form is None:
            return begin
        return {**begin, **(yield from _author_form(initial_input_form, {**state, **begin}))}

    # bulk starts (services/bulk_processes.py) answer this page from their own guard reading
    modify_initial_input_form_generator.subscription_page_only = initial_input_form is None  # type: ignore[attr-defined]
    return modify_initial_input_form_generator
