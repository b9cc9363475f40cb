"""Small name and type helpers at the reference's path, for applications' code (GraphQL field names,
payload keys)."""

from __future__ import annotations

import re
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network
from typing import Any


def to_camel(s: str) -> str:
    """`subscription_id` -> `subscriptionId` (the first word stays as it is)."""
    first, *rest = s.split("_")
    return first + "".join(word.title() for word in rest)


def snake_to_camel(s: str) -> str:
    """`node_enrollment` -> `NodeEnrollment` (every word capitalised)."""
    return "".join(word.title() for word in s.split("_"))


def camel_to_snake(s: str) -> str:
    """`NodeEnrollment` / `nodeEnrollment` -> `node_enrollment`."""
    words = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", s)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", words).lower()


def is_ipaddress_type(v: Any) -> bool:
    """An IPv4/IPv6 address or network, which JSON carries as its text."""
    return isinstance(v, IPv4Address | IPv6Address | IPv4Network | IPv6Network)
