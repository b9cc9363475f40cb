"""The reference's JSON helpers and name conversions, which applications call directly (moved from
tests/conformance: pure functions)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from ipaddress import IPv4Address, IPv6Network

import pytest

from orchestrator_core.types import strEnum
from orchestrator_core.utils.helpers import camel_to_snake, is_ipaddress_type, snake_to_camel, to_camel
from orchestrator_core.utils.json import json_dumps, json_loads


class PortMode(strEnum):
    TAGGED = "tagged"
    UNTAGGED = "untagged"


class Speed(Enum):
    FAST = 10


def test_json_dumps_writes_what_the_standard_library_cannot():
    key = uuid.UUID(int=1)
    value = {
        key: frozenset({"a"}),
        PortMode.UNTAGGED: Speed.FAST,
        "when": date(2024, 1, 2),
        "naive": datetime(2024, 1, 2, 3, 4, 5, 678),
        "amount": Decimal("1.10"),
        "ips": (IPv4Address("10.0.0.1"), IPv6Network("fc00::/64")),
        "nan": float("nan"),
        "text": "café",
    }

    assert json.loads(json_dumps(value)) == {
        str(key): ["a"], "untagged": 10, "when": "2024-01-02", "naive": "2024-01-02T03:04:05",
        "amount": "1.10", "ips": ["10.0.0.1", "fc00::/64"], "nan": None, "text": "café",
    }
    assert json_dumps({"b": 1, "a": [1]}) == '{"b":1,"a":[1]}'
    assert json_dumps({"b": 1, "a": [1]}, indent=True, sort_keys=True) == '{\n  "a": [\n    1\n  ],\n  "b": 1\n}'
    with pytest.raises(TypeError, match="Could not serialize object of type object to JSON"):
        json_dumps({"what": object()})


def test_json_loads_reads_its_timestamps_back_and_leaves_other_text_alone():
    assert json_loads('{"at": "2019-05-18T15:17:00+00:00", "id": "4f1e0a3e-0000-0000-0000-000000000001", '
                      '"naive": "2019-05-18T15:17:00.123456", "nested": {"at": "2019-05-18T15:17:00+00:00"}}') == {
        "at": datetime(2019, 5, 18, 15, 17, tzinfo=UTC), "id": "4f1e0a3e-0000-0000-0000-000000000001",
        "naive": "2019-05-18T15:17:00.123456", "nested": {"at": "2019-05-18T15:17:00+00:00"},
    }
    assert json_loads('[{"at": "2019-05-18T15:17:00+00:00"}, 1]') == [
        {"at": datetime(2019, 5, 18, 15, 17, tzinfo=UTC)}, 1]


def test_helpers_convert_names_as_the_reference():
    assert to_camel("subscription_instance_id") == "subscriptionInstanceId"
    assert to_camel("node") == "node"
    assert snake_to_camel("node_enrollment") == "NodeEnrollment"
    assert camel_to_snake("NodeEnrollmentBlock") == "node_enrollment_block"
    assert is_ipaddress_type(IPv4Address("10.0.0.1")) and not is_ipaddress_type("10.0.0.1")
