"""The Node Enrollment clients without a database: the in-process fakes are emptied around a test
that checks nothing reached them."""

from __future__ import annotations

import pytest

from flows.node_enrollment.clients import NETWORK


@pytest.fixture
def fake_network():
    NETWORK.reset()
    yield NETWORK
    NETWORK.reset()
