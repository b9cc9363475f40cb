"""The guard's rules as the pure function they are (services/guard_rules.evaluate): every target x
lifecycle x insync x in_use_by combination, for the default WF_* maps and a project's configuration,
against the verdicts the guide implies (tests/guard/expected_verdicts.py). The same table is asked of
the guard on real rows in tests/guard/test_rules_table.py."""

from __future__ import annotations

import itertools
import uuid

import pytest

from orchestrator_core.services.guard_rules import (
    WF_BLOCKED_BY_IN_USE_BY_SUBSCRIPTIONS,
    WF_USABLE_MAP,
    WF_USABLE_WHILE_OUT_OF_SYNC,
    SubscriptionFacts,
    WorkflowInfo,
    evaluate,
    takes_lock,
)
from tests.guard.expected_verdicts import CONFIGURED, LIFECYCLES, USES, expected
from tests.guard.guard_workflows import ALL, MODIFY, TASK, TERMINATE

USER = uuid.UUID(int=7)
"""The subscription that uses the one under test, when one does."""


def info(wf) -> WorkflowInfo:
    return WorkflowInfo(wf.name, str(wf.target), wf.is_task)


def facts(status: str, insync: bool, use: str, lock_holder: uuid.UUID | None = None) -> SubscriptionFacts:
    """What the guard reads from the database: a terminated user does not count as using it."""
    in_use_by = (USER,) if use in ("active_user", "out_of_sync_user") else ()
    out_of_sync = (USER,) if use == "out_of_sync_user" else ()
    return SubscriptionFacts(uuid.UUID(int=1), status, insync, uuid.UUID(int=2), in_use_by, out_of_sync,
                             lock_holder)


@pytest.mark.parametrize("config", [None, CONFIGURED], ids=["default", "configured"])
def test_every_combination(config):
    if config:
        WF_USABLE_MAP.update(config["usable"])
        WF_BLOCKED_BY_IN_USE_BY_SUBSCRIPTIONS.update(config["blocked"])
        WF_USABLE_WHILE_OUT_OF_SYNC.extend(config["out_of_sync"])
    mismatches, cases = [], list(itertools.product(LIFECYCLES, [True, False], USES, ALL))
    for status, insync, use, wf in cases:
        want = expected(wf, status, insync, use, config)
        verdict = evaluate(info(wf), facts(status, insync, use), linked=True)
        got = None if verdict.allowed else verdict.code
        if got != want or (got and not verdict.message):
            mismatches.append((wf.name, status, insync, use, want, got))
    assert len(cases) == 288
    assert not mismatches, "\n".join(map(str, mismatches))


def test_refusals_carry_their_details():
    lifecycle = evaluate(info(MODIFY), facts("provisioning", True, "none"), linked=True)
    in_use = evaluate(info(TERMINATE), facts("active", True, "active_user"), linked=True)
    assert lifecycle.details == {"status": "provisioning", "allowed": ["active"]}
    assert "allowed: active" in lifecycle.message
    assert in_use.details == {"subscription_ids": [str(USER)]}


def test_a_missing_subscription_and_an_unlinked_workflow_are_refused_first():
    assert evaluate(info(MODIFY), None, linked=True).code == "subscription.not_found"
    unlinked = evaluate(info(MODIFY), facts("active", True, "none"), linked=False)
    assert unlinked.code == "workflow.not_linked_to_product"
    assert unlinked.details == {"workflow": MODIFY.name, "product_id": str(uuid.UUID(int=2))}


def test_a_locked_subscription_names_the_process_that_holds_it_and_tasks_pass():
    holder = uuid.UUID(int=9)
    locked = evaluate(info(MODIFY), facts("active", False, "none", lock_holder=holder), linked=True)
    assert (locked.code, locked.details) == ("subscription.locked", {"process_id": str(holder)})
    assert evaluate(info(TASK), facts("active", False, "none", lock_holder=holder), linked=True).allowed
    assert takes_lock(info(MODIFY)) and not takes_lock(info(TASK))
