"""Guard tests: restore the WF_* maps after every test, whatever the test did to them."""

from __future__ import annotations

import copy

import pytest

from orchestrator_core.services.subscriptions import (
    WF_BLOCKED_BY_IN_USE_BY_SUBSCRIPTIONS,
    WF_USABLE_MAP,
    WF_USABLE_WHILE_OUT_OF_SYNC,
)


@pytest.fixture(autouse=True)
def restore_wf_maps():
    usable, blocked = copy.deepcopy(WF_USABLE_MAP), dict(WF_BLOCKED_BY_IN_USE_BY_SUBSCRIPTIONS)
    out_of_sync = list(WF_USABLE_WHILE_OUT_OF_SYNC)
    yield
    WF_USABLE_MAP.clear()
    WF_USABLE_MAP.update(usable)
    WF_BLOCKED_BY_IN_USE_BY_SUBSCRIPTIONS.clear()
    WF_BLOCKED_BY_IN_USE_BY_SUBSCRIPTIONS.update(blocked)
    WF_USABLE_WHILE_OUT_OF_SYNC[:] = out_of_sync
