"""An in-memory NetBox behind the surface of a pynetbox `api` object, for running an application's
workflows without a NetBox server.

It answers what a pynetbox client does: `api.<app>.<endpoint>` with `filter(**kw)`, `get(id)` /
`get(**kw)`, `create(dict)`, `all()`; records with attributes, `update(dict)`, `save()`, `delete()`;
a prefix's `available_ips` / `available_prefixes` (`list()`, `create(dict)`). Relations are records:
`device.site.name`, `device_type.manufacturer.name`; choice fields (`status`, `type`, `mode`) carry
`.value` and `.label`. References are given as NetBox takes them: an id, or a dict of attributes of
the referenced object (`{"name": "Cisco", "slug": "cisco"}`).

Deleting a device deletes its interfaces and the IP addresses assigned to them, as NetBox does.
"""

from __future__ import annotations

import ipaddress
import itertools
from collections.abc import Callable, Iterator
from typing import Any

CHOICE_FIELDS = frozenset({"status", "type", "mode"})

REFERENCES: dict[str, tuple[str, str]] = {
    # field name -> (app, endpoint) of the object it refers to
    "site": ("dcim", "sites"),
    "role": ("dcim", "device_roles"),
    "device_role": ("dcim", "device_roles"),
    "manufacturer": ("dcim", "manufacturers"),
    "device_type": ("dcim", "device_types"),
    "device": ("dcim", "devices"),
    "primary_ip4": ("ipam", "ip_addresses"),
    "primary_ip6": ("ipam", "ip_addresses"),
    "group": ("ipam", "vlan_groups"),
    "l2vpn": ("vpn", "l2vpns"),
    "tagged_vlans": ("ipam", "vlans"),
}

ENDPOINTS = {
    "dcim": ("sites", "device_roles", "manufacturers", "device_types", "devices", "interfaces", "cables"),
    "ipam": ("prefixes", "ip_addresses", "vlans", "vlan_groups"),
    "vpn": ("l2vpns", "l2vpn_terminations"),
}


class Choice:
    """A NetBox choice field: `.value` is what filters and payloads use."""

    def __init__(self, value: Any) -> None:
        self.value = value
        self.label = str(value).replace("-", " ").title()

    def __eq__(self, other: object) -> bool:
        return self.value == (other.value if isinstance(other, Choice) else other)

    def __hash__(self) -> int:
        return hash(self.value)

    def __str__(self) -> str:
        return str(self.value)

    def __repr__(self) -> str:
        return f"Choice({self.value!r})"


class Record:
    """One object of an endpoint; unknown attributes are None, as NetBox's nullable fields."""

    def __init__(self, endpoint: Endpoint, id_: int) -> None:
        self.__dict__["_endpoint"] = endpoint
        self.__dict__["id"] = id_

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return None

    def __setattr__(self, name: str, value: Any) -> None:
        self.__dict__[name] = self._endpoint.api.resolve(name, value)

    def __str__(self) -> str:
        for name in ("address", "prefix", "name", "model", "display"):
            if name in self.__dict__:
                return str(self.__dict__[name])
        return f"{self._endpoint.name}#{self.id}"

    def __repr__(self) -> str:
        return f"<{self._endpoint.name} {self.id}: {self}>"

    def serialize(self) -> dict[str, Any]:
        def plain(value: Any) -> Any:
            if isinstance(value, Record):
                return value.id
            if isinstance(value, Choice):
                return value.value
            return value

        return {k: plain(v) for k, v in self.__dict__.items() if not k.startswith("_")}

    def update(self, data: dict[str, Any]) -> bool:
        for name, value in data.items():
            setattr(self, name, value)
        return True

    def save(self) -> bool:
        return True

    def delete(self) -> bool:
        self._endpoint.remove(self)
        return True

    @property
    def family(self) -> int | None:
        text = self.__dict__.get("address") or self.__dict__.get("prefix")
        return ipaddress.ip_interface(text).version if text else None

    @property
    def available_ips(self) -> AvailableIps:
        return AvailableIps(self)

    @property
    def available_prefixes(self) -> AvailablePrefixes:
        return AvailablePrefixes(self)


class Endpoint:
    """`api.dcim.devices` and its siblings: a table of records with NetBox's query methods."""

    def __init__(self, api: FakeNetbox, name: str) -> None:
        self.api = api
        self.name = name
        self.records: dict[int, Record] = {}

    def create(self, data: dict[str, Any] | list[dict[str, Any]]) -> Any:
        if isinstance(data, list):
            return [self.create(item) for item in data]
        record = Record(self, self.api.next_id())
        self.records[record.id] = record
        record.update(data)
        return record

    def all(self) -> Iterator[Record]:
        return iter(list(self.records.values()))

    def filter(self, *args: Any, **kwargs: Any) -> Iterator[Record]:
        if args:
            raise NotImplementedError("the fake NetBox has no free-text search (filter('...'))")
        return iter([r for r in self.records.values() if all(_matches(r, k, v) for k, v in kwargs.items())])

    def get(self, *args: Any, **kwargs: Any) -> Record | None:
        if args:
            return self.records.get(int(args[0]))
        found = list(self.filter(**kwargs))
        if len(found) > 1:
            raise ValueError(f"get() returned more than one result on {self.name}: {kwargs}")
        return found[0] if found else None

    def count(self, **kwargs: Any) -> int:
        return len(list(self.filter(**kwargs)))

    def remove(self, record: Record) -> None:
        self.records.pop(record.id, None)
        for cascade in self.api.cascades.get(self.name, ()):
            cascade(record)


def _matches(record: Record, key: str, wanted: Any) -> bool:
    """NetBox's filter semantics for what applications pass: a field's value, a related object by
    id (`device_id=`) or by name / the record itself (`device=`), a choice by its value."""
    if key.endswith("_id") and key not in record.__dict__:
        related = getattr(record, key[:-3])
        return isinstance(related, Record) and _same(related.id, wanted)
    actual = getattr(record, key)
    if isinstance(actual, Record):
        if isinstance(wanted, Record):
            return actual.id == wanted.id
        return str(wanted) in (str(actual.id), actual.name, actual.slug, str(actual))
    if isinstance(wanted, list | tuple | set):
        return any(_same(actual, w) for w in wanted)
    return _same(actual, wanted)


def _same(actual: Any, wanted: Any) -> bool:
    """Query parameters travel as text: `id="16"` finds id 16, `enabled="false"` a disabled one."""
    return bool(actual == wanted) or (actual is not None and str(actual).lower() == str(wanted).lower())


class App:
    def __init__(self, api: FakeNetbox, names: tuple[str, ...]) -> None:
        for name in names:
            setattr(self, name, Endpoint(api, name))


class FakeNetbox:
    """Stands where `pynetbox.api(url, token)` would; state lives as long as the object."""

    def __init__(self) -> None:
        self._ids = itertools.count(1)
        self.dcim = App(self, ENDPOINTS["dcim"])
        self.ipam = App(self, ENDPOINTS["ipam"])
        self.vpn = App(self, ENDPOINTS["vpn"])
        self.cascades: dict[str, tuple[Callable[[Record], None], ...]] = {
            "devices": (self._delete_interfaces_of,),
            "interfaces": (self._delete_addresses_of,),
            "vlan_groups": (self._delete_vlans_of,),
            "l2vpns": (self._delete_terminations_of,),
        }

    def next_id(self) -> int:
        return next(self._ids)

    def endpoint(self, app: str, name: str) -> Endpoint:
        endpoint: Endpoint = getattr(getattr(self, app), name)
        return endpoint

    def resolve(self, field: str, value: Any) -> Any:
        """A payload's value as NetBox stores it: references become records, choices `Choice`s."""
        if field in REFERENCES and isinstance(value, list):
            return [self.resolve(field, item) for item in value]
        if field in REFERENCES and value is not None and not isinstance(value, Record):
            endpoint = self.endpoint(*REFERENCES[field])
            found = endpoint.get(value) if isinstance(value, int | str) and str(value).isdigit() else (
                endpoint.get(**value) if isinstance(value, dict) else endpoint.get(name=value))
            if found is None:
                raise ValueError(f"fake NetBox: {field}={value!r} refers to no object on {endpoint.name}")
            return found
        if field in CHOICE_FIELDS and value is not None and not isinstance(value, Choice):
            return Choice(value)
        return value

    def _delete_interfaces_of(self, device: Record) -> None:
        for interface in list(self.dcim.interfaces.filter(device_id=device.id)):
            interface.delete()

    def _delete_addresses_of(self, interface: Record) -> None:
        for address in list(self.ipam.ip_addresses.filter(assigned_object_id=interface.id)):
            address.delete()

    def _delete_vlans_of(self, group: Record) -> None:
        for vlan in list(self.ipam.vlans.filter(group_id=group.id)):
            vlan.delete()

    def _delete_terminations_of(self, l2vpn: Record) -> None:
        for termination in list(self.vpn.l2vpn_terminations.filter(l2vpn_id=l2vpn.id)):
            termination.delete()


class AvailableIps:
    """A prefix's `available-ips`: addresses of the prefix, from its network address up, that no IP
    address object holds. As NetBox 4, it refuses to assign the network address to an interface,
    except in a point-to-point prefix (/31, /127)."""

    def __init__(self, prefix: Record) -> None:
        self.prefix = prefix
        self.addresses = prefix._endpoint.api.ipam.ip_addresses

    def _free(self) -> Iterator[ipaddress.IPv4Interface | ipaddress.IPv6Interface]:
        network = ipaddress.ip_network(self.prefix.prefix)
        taken = {ipaddress.ip_interface(a.address).ip for a in self.addresses.all()}
        for offset in range(network.num_addresses):
            ip = network.network_address + offset
            if ip not in taken:
                yield ipaddress.ip_interface(f"{ip}/{network.prefixlen}")

    def list(self) -> list[Record]:
        endpoint = Endpoint(self.prefix._endpoint.api, "available-ips")
        shown = []
        for number, address in enumerate(itertools.islice(self._free(), 50)):
            shown.append(record := Record(endpoint, -number - 1))
            record.update({"address": str(address), "family": address.version})
        return shown

    def create(self, data: dict[str, Any] | None = None) -> Record:
        address = next(self._free(), None)
        if address is None:
            raise ValueError(f"fake NetBox: prefix {self.prefix.prefix} is full")
        data = dict(data or {})
        point_to_point = address.network.prefixlen >= address.network.max_prefixlen - 1  # /31, /127: all usable
        if data.get("assigned_object_id") and address.ip == address.network.network_address and not point_to_point:
            raise ValueError(f"fake NetBox: {address} is a network ID and cannot be assigned to an interface")
        return self.addresses.create({**data, "address": str(address)})


class AvailablePrefixes:
    """A prefix's `available-prefixes`: the first free child prefix of the asked length."""

    def __init__(self, parent: Record) -> None:
        self.parent = parent
        self.prefixes = parent._endpoint.api.ipam.prefixes

    def create(self, data: dict[str, Any]) -> Record:
        data = dict(data)
        length = int(data.pop("prefix_length"))
        parent = ipaddress.ip_network(self.parent.prefix)
        taken = [ipaddress.ip_network(p.prefix) for p in self.prefixes.all() if p.id != self.parent.id]
        for candidate in parent.subnets(new_prefix=length):
            if not any(candidate.overlaps(t) for t in taken):
                return self.prefixes.create({**data, "prefix": str(candidate)})
        raise ValueError(f"fake NetBox: no free /{length} in {parent}")
