"""Benchmark of the nightly validation sweep on Postgres.

Creates N ACTIVE Node Enrollment subscriptions in bulk, runs `task_validate_subscriptions`
(one flow run, one process per subscription, advanced in batches by the batch executor in
forked worker processes) and, for a sample, the same
validate workflow one flow run per subscription through the normal start path; prints times,
rates and the ratio. The reference system needs 107 s for 1,000 subscriptions on this machine.

The target is 10,000 subscriptions in under 100 s. Run it on an idle machine (`uptime`).

    .venv/bin/python bench/validate.py [--n 10000] [--sample 100] [--concurrency 8] [--processes -1]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="orchestrator-bench-prefect-"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from orchestrator_core.engine.prefect_runtime import apply_environment_defaults  # noqa: E402

apply_environment_defaults()

import sqlalchemy as sa  # noqa: E402

import flows  # noqa: E402,F401  (registers the workflows and the task)
from orchestrator_core.db import ProcessTable, WorkflowTable, database, get_engine, transaction  # noqa: E402
from orchestrator_core.db.migrate import upgrade  # noqa: E402
from orchestrator_core.db.subscription_tables import (  # noqa: E402
    SubscriptionInstanceTable,
    SubscriptionInstanceValueTable,
    SubscriptionTable,
)
from orchestrator_core.domain import SubscriptionLifecycle, change_lifecycle  # noqa: E402
from orchestrator_core.migrations.helpers import get_product_id_by_name  # noqa: E402
from orchestrator_core.services.processes import start_process  # noqa: E402
from orchestrator_core.settings import app_settings  # noqa: E402
from products.product_blocks.node_enrollment import NodeRole  # noqa: E402
from products.product_types.node_enrollment import NodeEnrollmentInactive  # noqa: E402

DEFAULT_URL = "postgresql+psycopg://root@127.0.0.1:5432/orch_bench_validate"
REFERENCE_PER_SECOND = 1000 / 107


def prepare_database(url: str) -> None:
    parsed = sa.engine.make_url(url)
    admin = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()
    database.configure(url)
    upgrade()


def template() -> uuid.UUID:
    """One ACTIVE Node Enrollment saved through the domain model: the rows every copy repeats."""
    with transaction() as session:
        product = get_product_id_by_name(session, "Node Enrollment")
        sub = NodeEnrollmentInactive.from_product_id(product, "bench-customer", SubscriptionLifecycle.INITIAL)
        sub.ne.esdb_node_id, sub.ne.node_name, sub.ne.uuid = 101, "ams-rt1", str(uuid.uuid4())
        sub.ne.nso_service_id, sub.ne.routing_domain = uuid.uuid4(), "esnet-293"
        sub.ne.role, sub.ne.site_id, sub.ne.url = NodeRole.CORE, "ams", "https://ams-rt1.example.net"
        sub = change_lifecycle(sub, SubscriptionLifecycle.ACTIVE)
        sub.description = "Node ams-rt1 Production"
        sub.insync = True
        sub.save()
        return sub.subscription_id


def copy_subscriptions(template_id: uuid.UUID, n: int, batch: int = 2000) -> list[uuid.UUID]:
    """N copies of the template in bulk INSERTs (minutes through the model, seconds this way)."""
    with transaction() as session:
        sub = session.get_one(SubscriptionTable, template_id)
        instance = session.execute(sa.select(SubscriptionInstanceTable).where(
            SubscriptionInstanceTable.subscription_id == template_id)).scalar_one()
        values = [(v.resource_type_id, v.value) for v in instance.values]
        base = {c: getattr(sub, c) for c in ("description", "status", "product_id", "customer_id", "start_date")}
        block_id = instance.product_block_id
    ids: list[uuid.UUID] = []
    for start in range(0, n, batch):
        subs, instances, rows = [], [], []
        for _ in range(min(batch, n - start)):
            sid, iid = uuid.uuid4(), uuid.uuid4()
            subs.append({**base, "subscription_id": sid, "insync": True, "version": 1})
            instances.append({"subscription_instance_id": iid, "subscription_id": sid, "product_block_id": block_id})
            rows += [{"subscription_instance_value_id": uuid.uuid4(), "subscription_instance_id": iid,
                      "resource_type_id": rt, "value": value} for rt, value in values]
            ids.append(sid)
        with get_engine().begin() as conn:
            conn.execute(sa.insert(SubscriptionTable), subs)
            conn.execute(sa.insert(SubscriptionInstanceTable), instances)
            conn.execute(sa.insert(SubscriptionInstanceValueTable), rows)
    return ids


def analyze() -> None:
    """Planner statistics for the bulk-loaded subscription tables, as autovacuum would gather them on a
    live system (autovacuum is off on the shared bench server); the process tables are left alone."""
    with get_engine().connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(sa.text(
            "ANALYZE subscriptions, subscription_instances, subscription_instance_values"))


def warm_up_prefect() -> float:
    """Start the embedded Prefect server before timing anything (about 10 s, once per process)."""
    from prefect import flow

    from orchestrator_core.engine.prefect_runtime import executing

    t0 = time.perf_counter()
    with executing():
        flow(name="bench-warm-up")(lambda: None)()
    return time.perf_counter() - t0


def count_processes(workflow: str) -> tuple[int, int]:
    with transaction() as session:
        rows = session.execute(
            sa.select(ProcessTable.last_status, sa.func.count()).join(WorkflowTable)
            .where(WorkflowTable.name == workflow).group_by(ProcessTable.last_status)).all()
    by_status = dict(rows)
    return sum(by_status.values()), by_status.get("completed", 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=app_settings.ORCHESTRATOR_VALIDATE_CONCURRENCY)
    parser.add_argument("--processes", type=int, default=app_settings.ORCHESTRATOR_VALIDATE_PROCESSES,
                        help="worker processes of the sweep (default: one per core on Postgres)")
    parser.add_argument("--url", default=os.environ.get("ORCHESTRATOR_BENCH_DATABASE_URL", DEFAULT_URL))
    args = parser.parse_args()
    app_settings.ORCHESTRATOR_VALIDATE_CONCURRENCY = args.concurrency
    app_settings.ORCHESTRATOR_VALIDATE_PROCESSES = args.processes

    prepare_database(args.url)
    t0 = time.perf_counter()
    first = template()
    ids = [first] + copy_subscriptions(first, args.n - 1)
    analyze()
    print(f"created {len(ids)} ACTIVE Node Enrollment subscriptions in {time.perf_counter() - t0:.1f} s")

    print(f"Prefect warm-up (embedded server start) {warm_up_prefect():.1f} s, not counted")
    load_before = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    t0 = time.perf_counter()
    task = start_process("task_validate_subscriptions", [{}], "bench")
    sweep = time.perf_counter() - t0
    load_after = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    total, completed = count_processes("validate_node_enrollment")
    with transaction() as session:
        task_status = session.get_one(ProcessTable, task).last_status
    print(f"sweep: task {task} {task_status}; {completed}/{total} validate processes completed")

    sample = ids[: args.sample]
    t0 = time.perf_counter()
    for sid in sample:
        start_process("validate_node_enrollment", [{"subscription_id": str(sid)}], "bench")
    single = time.perf_counter() - t0
    after, after_completed = count_processes("validate_node_enrollment")
    print(f"one flow run each: {after_completed - completed}/{after - total} completed")

    rows = [
        ("validate_subscriptions (1 flow run)", len(ids), sweep),
        ("one flow run per subscription", len(sample), single),
        ("reference orchestrator-core", 1000, 107.0),
    ]
    print(f"\n{'mode':<38} {'subs':>7} {'seconds':>9} {'subs/s':>8} {'ms/sub':>8}")
    for mode, n, seconds in rows:
        print(f"{mode:<38} {n:>7} {seconds:>9.1f} {n / seconds:>8.1f} {1000 * seconds / n:>8.1f}")
    print(f"\nsweep vs one flow run each: {(len(ids) / sweep) / (len(sample) / single):.1f}x the rate; "
          f"vs reference: {(len(ids) / sweep) / REFERENCE_PER_SECOND:.1f}x; "
          f"10,000 in {10_000 / (len(ids) / sweep):.0f} s at this rate (target: under 100 s)")
    print(f"load average before / after the sweep: {load_before} / {load_after}")


if __name__ == "__main__":
    from orchestrator_core.bootstrap import bootstrap

    bootstrap()  # a script is an entry point: wire the services into the engine
    main()
