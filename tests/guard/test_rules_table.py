"""Every target x lifecycle x insync x in_use_by combination against the guide's rules.

The expected verdict is written out independently of the guard (tests/guard/expected_verdicts.py),
from the guide's "Execution parameters": default maps, and a configuration as a project would set it.
The pure rule function is checked against the same table in tests/unit/guard (no database); here
each verdict is asked of the guard on real rows, and the listing of the subscription's
workflows must say the same.
"""

from __future__ import annotations

import itertools
import uuid

import pytest

from orchestrator_core.db import transaction
from orchestrator_core.services.subscriptions import (
    WF_BLOCKED_BY_IN_USE_BY_SUBSCRIPTIONS,
    WF_USABLE_MAP,
    WF_USABLE_WHILE_OUT_OF_SYNC,
    check_workflow_usable,
    subscription_workflows,
)
from orchestrator_core.targets import Target
from tests.guard import factories, guard_workflows
from tests.guard.expected_verdicts import CONFIGURED, LIFECYCLES, USES, expected
from tests.guard.guard_workflows import ALL, MODIFY, TERMINATE


@pytest.fixture(scope="module")
def subscriptions_by_case():
    """One subscription per lifecycle x insync x use, all of one product every test workflow serves."""
    product_id = factories.product()
    for wf in ALL:
        factories.register(wf, product_id)
    cases = {}
    for status, insync, use in itertools.product(LIFECYCLES, [True, False], USES):
        sid = factories.subscription(product_id, status, insync)
        if use != "none":
            user_status = "terminated" if use == "terminated_user" else "active"
            user = factories.subscription(product_id, user_status, insync=use != "out_of_sync_user")
            factories.uses(user, sid)
        cases[(status, insync, use)] = sid
    return cases


def _configure(config: dict | None) -> None:
    if config:
        WF_USABLE_MAP.update(config["usable"])
        WF_BLOCKED_BY_IN_USE_BY_SUBSCRIPTIONS.update(config["blocked"])
        WF_USABLE_WHILE_OUT_OF_SYNC.extend(config["out_of_sync"])


@pytest.mark.parametrize("config", [None, CONFIGURED], ids=["default", "configured"])
def test_every_combination(subscriptions_by_case, config):
    _configure(config)
    mismatches = []
    with transaction() as session:
        for (status, insync, use), sid in subscriptions_by_case.items():
            groups = subscription_workflows(sid, session)
            listing = {e["name"]: e for target in Target for e in groups[str(target).lower()]}
            for wf in ALL:
                want = expected(wf, status, insync, use, config)
                verdict = check_workflow_usable(session, wf.name, sid)
                got = None if verdict.allowed else verdict.code
                listed = listing[wf.name].get("reason")
                if got != want or listed != want or (got and not verdict.message):
                    mismatches.append((wf.name, status, insync, use, want, got, listed))
    assert len(subscriptions_by_case) * len(ALL) == 288
    assert not mismatches, "\n".join(map(str, mismatches))


def test_refusals_carry_their_details(subscriptions_by_case):
    with transaction() as session:
        cases = subscriptions_by_case
        lifecycle = check_workflow_usable(session, MODIFY.name, cases[("provisioning", True, "none")])
        in_use = check_workflow_usable(session, TERMINATE.name, cases[("active", True, "active_user")])
    assert lifecycle.details == {"status": "provisioning", "allowed": ["active"]}
    assert "allowed: active" in lifecycle.message
    assert len(in_use.details["subscription_ids"]) == 1


def test_unknown_workflow_and_missing_subscription(subscriptions_by_case):
    with transaction() as session:
        unknown = check_workflow_usable(session, "no_such", subscriptions_by_case[("active", True, "none")])
        missing = check_workflow_usable(session, guard_workflows.MODIFY.name, str(uuid.uuid4()))
    assert (unknown.code, missing.code) == ("workflow.unknown", "subscription.not_found")


def test_workflow_not_linked_to_the_product():
    sid = factories.subscription(factories.product())
    with transaction() as session:
        verdict = check_workflow_usable(session, MODIFY.name, sid)
    assert verdict.code == "workflow.not_linked_to_product"
