"""Drive an orchestrator-core application's node and port workflows on orchestrator_core, as its own
tests would: `orchestrator_core.testing.run_workflow` with the forms' input pages, then
`assert_complete` and a look at the subscription and at NetBox.

Run by `scripts/try-example-app` inside the application's directory, with the application's venv:

    python drive.py APP_DIR REPORT.json [--extra]

Its NetBox is `fake_netbox.FakeNetbox` put where the application keeps its client
(`services.netbox.api`), seeded by the application's own `task_bootstrap_netbox`; its LSO calls are
off (`LSO_ENABLED` is not "True", the application's own switch). Each phase's outcome (pass or fail,
and why) is written to REPORT.json as a list of {"phase", "ok", "reason"}.

--extra adds phases beyond the acceptance check: a node created with LSO on (a local stand-in for
LSO takes the playbook request; the callback is answered with `orchestrator_core.testing.post_callback`),
an L2VPN between two ports and a core link between two nodes, each created, modified and terminated.
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
BOOTSTRAP = "task_bootstrap_netbox (seeds the fake NetBox)"


class PhaseFailed(Exception):
    """A phase's check did not hold; the message says which."""


def check(condition: bool, message: str) -> None:
    if not condition:
        raise PhaseFailed(message)


def _reason(exc: BaseException) -> str:
    text = str(exc) if isinstance(exc, PhaseFailed | AssertionError) else f"{type(exc).__name__}: {exc}"
    frames = traceback.extract_tb(exc.__traceback__)
    where = next((f"{Path(f.filename).name}:{f.lineno}" for f in reversed(frames)), "")
    return " ".join(text.split())[:400] + (f" [{where}]" if where and not isinstance(exc, PhaseFailed) else "")


class Report:
    """The phases' outcomes, written to the report file after each one."""

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
            except Exception as exc:  # a phase's failure is reported; the next phases still run
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


def import_everything(report: Report) -> None:
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


class App:
    """The application's workflows, started as its tests start them, against the fake NetBox."""

    def __init__(self) -> None:
        import services.netbox  # the application's NetBox client module
        from fake_netbox import FakeNetbox

        self.netbox = FakeNetbox()
        services.netbox.api = self.netbox

    @staticmethod
    def completed(name: str, pages: list[dict[str, Any]]) -> dict[str, Any]:
        from orchestrator_core.testing import assert_complete, extract_state, run_workflow

        result = run_workflow(name, pages)
        assert_complete(result)
        return extract_state(result)

    @staticmethod
    def product_id(name: str) -> str:
        from sqlalchemy import select

        from orchestrator_core.db import ProductTable, db

        return str(db.session.scalars(select(ProductTable).where(ProductTable.name == name)).one().product_id)

    @staticmethod
    def customer_id() -> str:
        from db.models import CustomerTable  # the application's customers table (its migration seeds it)
        from sqlalchemy import select

        from orchestrator_core.db import db

        return str(db.session.scalars(select(CustomerTable.customer_id).order_by(CustomerTable.fullname)).first())

    @staticmethod
    def status_of(subscription_id: str) -> str:
        from orchestrator_core.db import SubscriptionTable, db

        row = db.session.get(SubscriptionTable, subscription_id)
        status = str(row.status) if row else "missing"
        db.session.expire_all()
        return status

    def node_pages(self, name: str, site: str, *, auto_add_interfaces: bool = True) -> list[dict[str, Any]]:
        device_type = next(t for t in self.netbox.dcim.device_types.all() if t.manufacturer.name == "Nokia")
        return [
            {"product": self.product_id("node Nokia")},
            {"customer_id": self.customer_id(), "auto_add_interfaces": auto_add_interfaces,
             "type_id": str(device_type.id), "role_id": str(self.netbox.dcim.device_roles.get(slug="provider-edge").id),
             "site_id": str(self.netbox.dcim.sites.get(slug=site).id), "node_status": "active",
             "node_name": name, "node_description": f"PE in {site}"},
            {},
        ]

    def create_node(self, name: str, site: str) -> str:
        return str(self.completed("create_node", self.node_pages(name, site))["subscription_id"])

    def create_port(self, node_id: str, description: str) -> str:
        from products.product_types.node import Node

        node = Node.from_subscription(node_id)
        free = next(i for i in self.netbox.dcim.interfaces.filter(device_id=node.node.ims_id, speed=10_000_000,
                                                                  enabled=False))
        return str(self.completed("create_port", [
            {"product": self.product_id("port 10G")},
            {"customer_id": self.customer_id(), "node_subscription_id": node_id},
            {"port_ims_id": str(free.id), "port_description": description, "port_mode": "tagged",
             "auto_negotiation": False, "lldp": True},
            {},
        ])["subscription_id"])


def node_and_port_phases(report: Report, app: App) -> None:
    """The acceptance check: the NetBox bootstrap, then node and port create -> modify -> terminate."""
    from products.product_types.node import Node
    from products.product_types.port import Port

    from orchestrator_core.testing import run_workflow
    from orchestrator_core.types import SubscriptionLifecycle

    netbox, ids = app.netbox, {}

    @report.phase(BOOTSTRAP)
    def _bootstrap() -> str:
        app.completed("task_bootstrap_netbox", [{}])
        check(netbox.ipam.prefixes.get(prefix="10.0.127.0/24") is not None, "the loopback prefix was not created")
        return f"{len(netbox.dcim.sites.records)} sites, {len(netbox.dcim.device_types.records)} device types"

    @report.phase("create_node", needs=(BOOTSTRAP,))
    def _create_node() -> str:
        ids["node"] = app.create_node("ams-pe1", "amsterdam")
        node = Node.from_subscription(ids["node"])  # the guide's pattern: load it in the test, no transaction
        check(node.status == SubscriptionLifecycle.ACTIVE, f"the node is {node.status}, not active")
        device = netbox.dcim.devices.get(node.node.ims_id)
        check(device is not None and device.name == "ams-pe1", f"NetBox has no device ams-pe1 ({device})")
        interfaces = list(netbox.dcim.interfaces.filter(device_id=device.id))
        check(len(interfaces) == 15, f"NetBox has {len(interfaces)} interfaces on ams-pe1, expected 14 + Loopback0")
        check(bool(node.node.ipv4_ipam_id and node.node.ipv6_ipam_id), "no loopback addresses reserved")
        return f"{node.description}; {len(interfaces)} interfaces in NetBox"

    @report.phase("validate_node", needs=("create_node",))
    def _validate_node() -> str:
        app.completed("validate_node", [{"subscription_id": ids["node"]}])
        check(Node.from_subscription(ids["node"]).insync, "the node is not in sync after validate")
        return "the node matches NetBox"

    @report.phase("modify_node", needs=("create_node",))
    def _modify_node() -> str:
        node = Node.from_subscription(ids["node"]).node
        app.completed("modify_node", [
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
        ids["port"] = app.create_port(ids["node"], "to customer X")
        port = Port.from_subscription(ids["port"])
        check(port.status == SubscriptionLifecycle.ACTIVE, f"the port is {port.status}, not active")
        check(str(port.port.node.owner_subscription_id) == ids["node"], "the port's node is not the node")
        interface = netbox.dcim.interfaces.get(port.port.ims_id)
        check(interface.enabled is True and interface.description == "to customer X",
              f"NetBox's interface is enabled={interface.enabled} description={interface.description!r}")
        return port.description

    @report.phase("validate_port", needs=("create_port",))
    def _validate_port() -> str:
        app.completed("validate_port", [{"subscription_id": ids["port"]}])
        return "the port matches NetBox"

    @report.phase("terminate_node is refused while a port uses it", needs=("create_port",))
    def _terminate_node_in_use() -> str:
        try:
            result = run_workflow("terminate_node", [{"subscription_id": ids["node"]}, {}])
        except Exception as exc:
            check(app.status_of(ids["node"]) == "active", f"the node is {app.status_of(ids['node'])} after the refusal")
            return f"refused: {_reason(exc)}"
        raise PhaseFailed(f"terminate_node started while a port uses the node: process {result.status}")

    @report.phase("modify_port", needs=("create_port",))
    def _modify_port() -> str:
        app.completed("modify_port", [
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
        app.completed("terminate_port", [{"subscription_id": ids["port"]}, {}])
        check(app.status_of(ids["port"]) == "terminated", f"the port is {app.status_of(ids['port'])}")
        interface = netbox.dcim.interfaces.get(Port.from_subscription(ids["port"]).port.ims_id)
        check(interface.enabled is False, "NetBox's interface is still enabled")
        return "port terminated, its interface disabled in NetBox"

    @report.phase("terminate_node", needs=("create_node",))
    def _terminate_node() -> str:
        ims_id = Node.from_subscription(ids["node"]).node.ims_id
        app.completed("terminate_node", [{"subscription_id": ids["node"]}, {}])
        check(app.status_of(ids["node"]) == "terminated", f"the node is {app.status_of(ids['node'])}")
        check(netbox.dcim.devices.get(ims_id) is None, "the device is still in NetBox")
        return "node terminated, its device gone from NetBox"


def extra_phases(report: Report, app: App) -> None:
    """Beyond the acceptance check: LSO's callback, an L2VPN over two ports, a core link."""
    from fake_lso import recording_lso
    from products.product_types.core_link import CoreLink
    from products.product_types.l2vpn import L2vpn
    from products.product_types.port import Port

    from orchestrator_core.testing import (
        assert_awaiting_callback,
        assert_complete,
        assert_suspended,
        extract_state,
        post_callback,
        resume_workflow,
        run_workflow,
    )

    netbox, ids = app.netbox, {}

    @report.phase("extra: create_node with LSO on (callback posted)", needs=(BOOTSTRAP,))
    def _create_node_with_lso() -> str:
        with recording_lso() as requests_seen:
            os.environ["LSO_ENABLED"] = "True"
            try:
                result = run_workflow("create_node", app.node_pages("par-pe1", "paris", auto_add_interfaces=True))
                assert_awaiting_callback(result)
                check(len(requests_seen) == 1, f"LSO got {len(requests_seen)} playbook requests, expected 1")
                route = extract_state(result)["callback_route"]
                sent = requests_seen[0]
                check(sent["playbook_name"] == "create_node.yaml" and sent["callback"].endswith(route),
                      f"LSO was asked {sent.get('playbook_name')} with callback {sent.get('callback')}")
                result = post_callback(result, {"return_code": 0, "status": "successful", "output": "ok"})
                assert_suspended(result)  # "Confirm provisioning proxy results", assigned to SYSTEM
                result = resume_workflow(result, {})
                assert_complete(result)
            finally:
                os.environ["LSO_ENABLED"] = "False"
        ids["node_a"] = str(extract_state(result)["subscription_id"])
        return "LSO got the playbook request; post_callback, then the confirmation page, completed it"

    @report.phase("extra: two ports for an L2VPN", needs=("extra: create_node with LSO on (callback posted)",))
    def _ports() -> str:
        ids["node_b"] = app.create_node("lon-pe1", "london")
        ids["ports"] = [app.create_port(ids["node_a"], "l2vpn end A"), app.create_port(ids["node_b"], "l2vpn end B")]
        return "par-pe1 and lon-pe1, a tagged 10G port on each"

    @report.phase("extra: create_l2vpn", needs=("extra: two ports for an L2VPN",))
    def _create_l2vpn() -> str:
        state = app.completed("create_l2vpn", [
            {"product": app.product_id("l2vpn")},
            {"customer_id": app.customer_id(), "number_of_ports": 2, "speed": 1000, "speed_policer": False},
            {"ports": ids["ports"], "vlan": "100"},
        ])
        ids["l2vpn"] = str(state["subscription_id"])
        l2vpn = L2vpn.from_subscription(ids["l2vpn"])
        check(len(l2vpn.virtual_circuit.saps) == 2, f"{len(l2vpn.virtual_circuit.saps)} SAPs")
        vlans = [[str(v) for v in Port.from_subscription(p).port.vlans] for p in ids["ports"]]
        check(vlans == [["100"], ["100"]], f"the ports' computed vlans are {vlans}, expected [['100'], ['100']]")
        check(len(netbox.vpn.l2vpn_terminations.records) == 2, "NetBox has no 2 L2VPN terminations")
        return f"{l2vpn.description}; each port's vlans (computed from in_use_by) is [100]"

    @report.phase("extra: modify_l2vpn", needs=("extra: create_l2vpn",))
    def _modify_l2vpn() -> str:
        app.completed("modify_l2vpn", [{"subscription_id": ids["l2vpn"]}, {"speed": 2000, "speed_policer": True}, {}])
        vc = L2vpn.from_subscription(ids["l2vpn"]).virtual_circuit
        check((vc.speed, vc.speed_policer) == (2000, True), f"speed {vc.speed}, policer {vc.speed_policer}")
        return L2vpn.from_subscription(ids["l2vpn"]).description

    @report.phase("extra: terminate_port is refused while the L2VPN uses it", needs=("extra: create_l2vpn",))
    def _terminate_port_in_use() -> str:
        try:
            result = run_workflow("terminate_port", [{"subscription_id": ids["ports"][0]}, {}])
        except Exception as exc:
            return f"refused: {_reason(exc)}"
        raise PhaseFailed(f"terminate_port started while an L2VPN uses the port: process {result.status}")

    @report.phase("extra: terminate_l2vpn", needs=("extra: create_l2vpn",))
    def _terminate_l2vpn() -> str:
        app.completed("terminate_l2vpn", [{"subscription_id": ids["l2vpn"]}, {}])
        check(app.status_of(ids["l2vpn"]) == "terminated", f"the L2VPN is {app.status_of(ids['l2vpn'])}")
        check(not netbox.vpn.l2vpns.records and not netbox.ipam.vlans.records, "NetBox still has its L2VPN or VLANs")
        vlans = [[str(v) for v in Port.from_subscription(p).port.vlans] for p in ids["ports"]]
        check(vlans == [[], []], f"the ports' computed vlans are {vlans} after the termination")
        return "L2VPN terminated; its VLANs gone from NetBox and from the ports"


    @report.phase("extra: create_core_link", needs=("extra: two ports for an L2VPN",))
    def _create_core_link() -> str:
        def free_port(node_id: str) -> str:
            from products.product_types.node import Node

            device_id = Node.from_subscription(node_id).node.ims_id
            return str(next(netbox.dcim.interfaces.filter(device_id=device_id, speed=10_000_000, enabled=False)).id)

        state = app.completed("create_core_link", [
            {"product": app.product_id("core link 10G")},
            {"customer_id": app.customer_id(), "node_subscription_id_a": ids["node_a"],
             "node_subscription_id_b": ids["node_b"]},
            {"port_ims_id_a": free_port(ids["node_a"]), "port_ims_id_b": free_port(ids["node_b"]),
             "under_maintenance": False},
        ])
        ids["core_link"] = str(state["subscription_id"])
        link = CoreLink.from_subscription(ids["core_link"])
        check(netbox.dcim.cables.get(link.core_link.ims_id) is not None, "NetBox has no cable for the core link")
        return f"{link.description}; IPv6 {state.get('prefix_ipv6')}"

    @report.phase("extra: modify_core_link", needs=("extra: create_core_link",))
    def _modify_core_link() -> str:
        app.completed("modify_core_link", [{"subscription_id": ids["core_link"]}, {"under_maintenance": True}, {}])
        link = CoreLink.from_subscription(ids["core_link"])
        check(link.core_link.under_maintenance is True, "the core link is not under maintenance")
        return link.description

    @report.phase("extra: terminate_core_link", needs=("extra: create_core_link",))
    def _terminate_core_link() -> str:
        app.completed("terminate_core_link", [{"subscription_id": ids["core_link"]}, {}])
        check(app.status_of(ids["core_link"]) == "terminated", f"the core link is {app.status_of(ids['core_link'])}")
        check(not netbox.dcim.cables.records, "NetBox still has the cable")
        return "core link terminated; its cable, addresses and prefix gone from NetBox"


def main(app_dir: Path, report_path: Path, extra: bool) -> int:
    if "PREFECT_HOME" not in os.environ:  # run on its own: a Prefect home of its own
        os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="try-example-prefect-")
    os.environ["ORCHESTRATOR_WORKFLOW_MODULES"] = '["workflows"]'
    os.environ["LSO_ENABLED"] = "False"
    os.chdir(app_dir)
    sys.path[:0] = [str(app_dir), str(HERE)]
    report = Report(report_path)
    import_everything(report)
    if not report.done["imports"]:
        return 1
    app = App()
    node_and_port_phases(report, app)
    if extra:
        extra_phases(report, app)
    return 0 if all(r["ok"] for r in report.rows) else 1


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--extra"]
    sys.exit(main(Path(args[0]).resolve(), Path(args[1]).resolve(), "--extra" in sys.argv[1:]))
