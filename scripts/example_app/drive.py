"""Drive an orchestrator-core application's node and port workflows on orchestrator_core, as its own
tests would: `orchestrator_core.testing.run_workflow` with the forms' input pages, then
`assert_complete` and a look at the subscription and at NetBox.

Run by `scripts/try-example-app` inside the application's directory, with the application's venv:

    python drive.py APP_DIR REPORT.json

Its NetBox is `fake_netbox.FakeNetbox` put where the application keeps its client
(`services.netbox.api`), seeded by the application's own `task_bootstrap_netbox`; its LSO calls are
off (`LSO_ENABLED` is not "True", the application's own switch). Each phase's outcome (pass or fail,
and why) is written to REPORT.json as a list of {"phase", "ok", "reason"}.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


class PhaseFailed(Exception):
    """A phase's check did not hold; the message says which."""


class Report:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.rows: list[dict[str, Any]] = []
        self.done: dict[str, bool] = {}

    def phase(self, name: str, needs: tuple[str, ...] = ()) -> Callable[[Callable[[], str | None]], None]:
        """Run the decorated function as a phase now; it raises to fail and may return a note."""

        def run(body: Callable[[], str | None]) -> None:
            missing = [n for n in needs if not self.done.get(n)]
            if missing:
                self.add(name, None, f"skipped: needs {', '.join(missing)}")
                return
            try:
                note = body()
            except Exception as exc:  # a phase's failure is reported, the next phases still run
                self.add(name, False, _reason(exc))
                traceback.print_exc(file=sys.stderr)
            else:
                self.add(name, True, note or "")

        return run

    def add(self, name: str, ok: bool | None, reason: str) -> None:
        self.done[name] = bool(ok)
        self.rows.append({"phase": name, "ok": ok, "reason": reason})
        self.path.write_text(json.dumps(self.rows, indent=1))
        print(f"[drive] {name}: {'pass' if ok else 'skip' if ok is None else 'FAIL'} {reason}", file=sys.stderr)


def _reason(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}" if not isinstance(exc, PhaseFailed | AssertionError) else str(exc)
    frames = traceback.extract_tb(exc.__traceback__)
    where = next((f"{Path(f.filename).name}:{f.lineno}" for f in reversed(frames)), "")
    return " ".join(text.split())[:400] + (f" [{where}]" if where and not isinstance(exc, PhaseFailed) else "")


def check(condition: bool, message: str) -> None:
    if not condition:
        raise PhaseFailed(message)


def main(app_dir: Path, report_path: Path) -> int:
    os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="try-example-prefect-"))
    os.environ["ORCHESTRATOR_WORKFLOW_MODULES"] = '["workflows"]'
    os.environ["LSO_ENABLED"] = "False"
    os.chdir(app_dir)
    sys.path[:0] = [str(app_dir), str(HERE)]
    report = Report(report_path)

    @report.phase("imports")
    def _imports() -> str:
        modules = [".".join(p.with_suffix("").parts).removesuffix(".__init__")
                   for top in ("products", "workflows") for p in sorted(Path(top).rglob("*.py"))]
        failed = []
        for name in modules:
            try:
                importlib.import_module(name)
            except Exception as exc:
                failed.append(f"{name}: {_reason(exc)}")
        check(not failed, f"{len(modules) - len(failed)}/{len(modules)} modules import; first: {failed[:3]}")
        return f"{len(modules)}/{len(modules)} product and workflow modules"

    if not report.done.get("imports"):
        return 1

    import services.netbox  # the application's NetBox client module
    from fake_netbox import FakeNetbox
    from products.product_types.node import Node
    from products.product_types.port import Port
    from sqlalchemy import select

    from orchestrator_core.db import ProductTable, SubscriptionTable, db
    from orchestrator_core.testing import assert_complete, extract_state, run_workflow
    from orchestrator_core.types import SubscriptionLifecycle

    netbox = FakeNetbox()
    services.netbox.api = netbox
    ids: dict[str, Any] = {}

    def product_id(name: str) -> str:
        return str(db.session.scalars(select(ProductTable).where(ProductTable.name == name)).one().product_id)

    def customer_id() -> str:
        from db.models import CustomerTable  # the application's customers table (its migration seeds it)

        return str(db.session.scalars(select(CustomerTable.customer_id).order_by(CustomerTable.fullname)).first())

    def completed(name: str, pages: list[dict[str, Any]]) -> dict[str, Any]:
        result = run_workflow(name, pages)
        assert_complete(result)
        return extract_state(result)

    def status_of(subscription_id: str) -> str:
        row = db.session.get(SubscriptionTable, subscription_id)
        db.session.expire_all()
        return str(row.status) if row else "missing"

    @report.phase("task_bootstrap_netbox (seeds the fake NetBox)")
    def _bootstrap() -> str:
        completed("task_bootstrap_netbox", [{}])
        check(netbox.ipam.prefixes.get(prefix="10.0.127.0/24") is not None, "the loopback prefix was not created")
        return f"{len(netbox.dcim.sites.records)} sites, {len(netbox.dcim.device_types.records)} device types"

    @report.phase("create_node")
    def _create_node() -> str:
        device_type = next(t for t in netbox.dcim.device_types.all() if t.manufacturer.name == "Nokia")
        state = completed("create_node", [
            {"product": product_id("node Nokia")},
            {"customer_id": customer_id(), "auto_add_interfaces": True, "type_id": str(device_type.id),
             "role_id": str(netbox.dcim.device_roles.get(slug="provider-edge").id),
             "site_id": str(netbox.dcim.sites.get(slug="amsterdam").id), "node_status": "active",
             "node_name": "ams-pe1", "node_description": "first PE in Amsterdam"},
            {},
        ])
        ids["node"] = str(state["subscription_id"])
        node = Node.from_subscription(ids["node"])  # the guide's pattern: load it in the test, no transaction
        check(node.status == SubscriptionLifecycle.ACTIVE, f"the node is {node.status}, not active")
        device = netbox.dcim.devices.get(node.node.ims_id)
        check(device is not None and device.name == "ams-pe1", f"NetBox has no device ams-pe1 ({device})")
        interfaces = list(netbox.dcim.interfaces.filter(device_id=device.id))
        check(len(interfaces) == 15, f"NetBox has {len(interfaces)} interfaces on ams-pe1, expected 14 + Loopback0")
        check(bool(node.node.ipv4_ipam_id and node.node.ipv6_ipam_id), "no loopback addresses reserved")
        return f"{node.description}; {len(interfaces)} interfaces in NetBox"

    @report.phase("modify_node", needs=("create_node",))
    def _modify_node() -> str:
        node = Node.from_subscription(ids["node"]).node
        completed("modify_node", [
            {"subscription_id": ids["node"]},
            {"type_id": str(node.type_id), "role_id": str(node.role_id), "site_id": str(node.site_id),
             "node_status": "planned", "node_name": node.node_name, "node_description": "renumbered"},
            {},
        ])
        after = Node.from_subscription(ids["node"])
        check(after.node.node_status == "planned", f"node_status is {after.node.node_status!r}, not 'planned'")
        check(after.status == SubscriptionLifecycle.ACTIVE, f"the node is {after.status} after modify")
        device = netbox.dcim.devices.get(after.node.ims_id)
        check(str(device.status) == "planned", f"NetBox's device status is {device.status}, not planned")
        return after.description

    @report.phase("create_port", needs=("create_node",))
    def _create_port() -> str:
        node = Node.from_subscription(ids["node"])
        free = next(i for i in netbox.dcim.interfaces.filter(device_id=node.node.ims_id, speed=10_000_000))
        state = completed("create_port", [
            {"product": product_id("port 10G")},
            {"customer_id": customer_id(), "node_subscription_id": ids["node"]},
            {"port_ims_id": str(free.id), "port_description": "to customer X", "port_mode": "tagged",
             "auto_negotiation": False, "lldp": True},
            {},
        ])
        ids["port"] = str(state["subscription_id"])
        port = Port.from_subscription(ids["port"])
        check(port.status == SubscriptionLifecycle.ACTIVE, f"the port is {port.status}, not active")
        check(port.port.node.owner_subscription_id == node.subscription_id, "the port's node is not the node")
        interface = netbox.dcim.interfaces.get(free.id)
        check(interface.enabled is True and interface.description == "to customer X",
              f"NetBox's interface is enabled={interface.enabled} description={interface.description!r}")
        return f"{port.description}"

    @report.phase("modify_port", needs=("create_port",))
    def _modify_port() -> str:
        completed("modify_port", [
            {"subscription_id": ids["port"]},
            {"port_description": "to customer Y", "auto_negotiation": True, "lldp": False},
            {},
        ])
        port = Port.from_subscription(ids["port"])
        check(port.port.port_description == "to customer Y", f"description is {port.port.port_description!r}")
        check(netbox.dcim.interfaces.get(port.port.ims_id).description == "to customer Y",
              "NetBox's interface description did not change")
        return port.description

    @report.phase("terminate_port", needs=("create_port",))
    def _terminate_port() -> str:
        completed("terminate_port", [{"subscription_id": ids["port"]}, {}])
        check(status_of(ids["port"]) == "terminated", f"the port is {status_of(ids['port'])}")
        interface = netbox.dcim.interfaces.get(Port.from_subscription(ids["port"]).port.ims_id)
        check(interface.enabled is False, "NetBox's interface is still enabled")
        return "port terminated, its interface disabled in NetBox"

    @report.phase("terminate_node", needs=("create_node",))
    def _terminate_node() -> str:
        ims_id = Node.from_subscription(ids["node"]).node.ims_id
        completed("terminate_node", [{"subscription_id": ids["node"]}, {}])
        check(status_of(ids["node"]) == "terminated", f"the node is {status_of(ids['node'])}")
        check(netbox.dcim.devices.get(ims_id) is None, "the device is still in NetBox")
        return "node terminated, its device gone from NetBox"

    return 0 if all(r["ok"] for r in report.rows) else 1


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()))
