"""The guide's rules written out independently of the guard: the verdict a workflow should get on a
subscription, for the default WF_* maps and for a configuration as a project would set it. Both the
pure rule table (tests/unit/guard) and the table on real rows (tests/guard/test_rules_table.py) use it."""

from __future__ import annotations

from orchestrator_core.targets import Target
from orchestrator_core.types import SubscriptionLifecycle
from tests.guard.guard_workflows import MODIFY, TERMINATE, VALIDATE

LIFECYCLES = [str(s) for s in SubscriptionLifecycle]
USES = ["none", "terminated_user", "active_user", "out_of_sync_user"]
"""Who uses the subscription: nobody, a terminated one, an active one in sync, one out of sync."""

CONFIGURED = {
    "usable": {MODIFY.name: ["provisioning"], VALIDATE.name: ["active", "provisioning"],
               TERMINATE.name: ["active", "disabled"]},
    "blocked": {MODIFY.name: True},
    "out_of_sync": [VALIDATE.name],
}


def expected(wf, status: str, insync: bool, use: str, config: dict | None) -> str | None:
    config = config or {"usable": {}, "blocked": {}, "out_of_sync": []}
    defaults = {Target.CREATE: [], Target.TERMINATE: LIFECYCLES}
    usable = config["usable"].get(wf.name, defaults.get(wf.target, ["active"]))
    exempt = wf.is_task or wf.name in config["out_of_sync"] or wf.name == "modify_note"
    if not insync and not exempt:
        return "subscription.not_in_sync"
    if use == "out_of_sync_user" and not exempt:
        return "subscription.relations_not_in_sync"
    if status not in usable:
        return "subscription.invalid_lifecycle"
    blocked = config["blocked"].get(wf.name, wf.target == Target.TERMINATE)
    if blocked and use in ("active_user", "out_of_sync_user"):
        return "subscription.in_use_by_others"
    return None
