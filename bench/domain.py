"""Benchmark of the domain model on Postgres: load and save beside a plain SQL read of the same rows.

Two shapes, as the reference system's benchmark: one subscription with 100 blocks in a list, and
one with blocks nested 10 deep. Each operation runs in its own unit of work; the table shows the
median of N runs and its ratio to the plain SQL read.

    .venv/bin/python bench/domain.py [--runs 50] [--url postgresql+psycopg://root@127.0.0.1:5432/orch_bench_domain]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from uuid import UUID

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from orchestrator_core.db import database, get_engine, transaction  # noqa: E402
from orchestrator_core.db.migrate import upgrade  # noqa: E402
from orchestrator_core.devtools import recreate_database  # noqa: E402
from orchestrator_core.domain import ProductBlockModel, SubscriptionModel  # noqa: E402
from orchestrator_core.migrations import helpers  # noqa: E402

DEFAULT_URL = "postgresql+psycopg://root@127.0.0.1:5432/orch_bench_domain"


class BenchItem(ProductBlockModel, product_block_name="Bench Item"):
    number: int | None = None
    text: str | None = None
    flag: bool | None = None
    ref: UUID | None = None


class BenchWide(SubscriptionModel, is_base=True):
    items: list[BenchItem]


class BenchLink(ProductBlockModel, product_block_name="Bench Link"):
    depth: int | None = None
    text: str | None = None
    child: BenchLink | None = None


class BenchDeep(SubscriptionModel, is_base=True):
    chain: BenchLink


CATALOGUE = {
    "product_blocks": {
        "Bench Item": {
            "description": "bench",
            "tag": "BENCH",
            "status": "active",
            "resources": {"number": "n", "text": "t", "flag": "f", "ref": "r"},
        },
        "Bench Link": {
            "description": "bench",
            "tag": "BENCH",
            "status": "active",
            "resources": {"depth": "d", "text": "t"},
        },
    },
    "products": {
        "Bench Wide": {
            "product_type": "BenchWide",
            "description": "100 blocks",
            "tag": "BENCH",
            "status": "active",
            "product_blocks": ["Bench Item"],
        },
        "Bench Deep": {
            "product_type": "BenchDeep",
            "description": "10 deep",
            "tag": "BENCH",
            "status": "active",
            "product_blocks": ["Bench Link"],
        },
    },
}

PLAIN_READ = sa.text(
    """
    SELECT s.subscription_id, s.status, s.description, si.subscription_instance_id, pb.name,
           rt.resource_type, siv.value
    FROM subscriptions s
    JOIN subscription_instances si ON si.subscription_id = s.subscription_id
    JOIN product_blocks pb ON pb.product_block_id = si.product_block_id
    LEFT JOIN subscription_instance_values siv ON siv.subscription_instance_id = si.subscription_instance_id
    LEFT JOIN resource_types rt ON rt.resource_type_id = siv.resource_type_id
    WHERE s.subscription_id = :sid;
    """
)
PLAIN_RELATIONS = sa.text(
    """
    SELECT r.in_use_by_id, r.depends_on_id, r.order_id, r.domain_model_attr
    FROM subscription_instance_relations r
    JOIN subscription_instances si ON si.subscription_instance_id = r.in_use_by_id
    WHERE si.subscription_id = :sid
    """
)


def prepare_database(url: str) -> None:
    if url.startswith("postgresql"):
        recreate_database(url)
    database.configure(url)
    upgrade()
    with get_engine().begin() as conn:
        helpers.create(conn, CATALOGUE)


def product_id(name: str) -> UUID:
    with transaction() as s:
        return helpers.get_product_id_by_name(s, name)


def make_wide() -> UUID:
    with transaction():
        sub = BenchWide.from_product_id(product_id("Bench Wide"), "bench")
        for n in range(100):
            sub.items.append(
                BenchItem.new(
                    sub.subscription_id, number=n, text=f"item {n}", flag=n % 2 == 0, ref=UUID(int=n)
                )
            )
        sub.save()
    return sub.subscription_id


def make_deep() -> UUID:
    with transaction():
        sub = BenchDeep.from_product_id(product_id("Bench Deep"), "bench")
        link = sub.chain
        for depth in range(1, 10):
            link.depth, link.text = depth, f"link {depth}"
            link.child = BenchLink.new(sub.subscription_id)
            link = link.child
        link.depth, link.text = 10, "link 10"
        sub.save()
    return sub.subscription_id


def median_ms(operation: Callable[[], object], runs: int) -> float:
    operation()  # warm-up: caches, prepared plans
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        operation()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def plain_read(sid: UUID) -> None:
    with transaction() as s:
        s.execute(PLAIN_READ, {"sid": sid}).all()
        s.execute(PLAIN_RELATIONS, {"sid": sid}).all()


def load(model: type[SubscriptionModel], sid: UUID) -> None:
    with transaction():
        model.from_subscription(sid)


def saver(model: type[SubscriptionModel], sid: UUID) -> Callable[[], None]:
    """Save one loaded model, with one changed value each run so every save writes."""
    with transaction():
        loaded = model.from_subscription(sid)
    counter = iter(range(10**9))

    def save() -> None:
        with transaction():
            loaded.description = f"run {next(counter)}"
            loaded.save()

    return save


def measure(shape: str, model: type[SubscriptionModel], sid: UUID, runs: int) -> list[tuple[str, str, float]]:
    return [
        (shape, "plain SQL read", median_ms(lambda: plain_read(sid), runs)),
        (shape, "from_subscription", median_ms(lambda: load(model, sid), runs)),
        (shape, "save", median_ms(saver(model, sid), runs)),
    ]


def print_table(rows: list[tuple[str, str, float]], runs: int) -> None:
    baseline = {shape: ms for shape, op, ms in rows if op == "plain SQL read"}
    print(f"median of {runs} runs, each in its own transaction")
    print(f"{'shape':<12} {'operation':<18} {'median ms':>10} {'x plain SQL':>12}")
    for shape, op, ms in rows:
        print(f"{shape:<12} {op:<18} {ms:>10.2f} {ms / baseline[shape]:>12.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--url", default=os.environ.get("ORCHESTRATOR_BENCH_DATABASE_URL", DEFAULT_URL))
    args = parser.parse_args()
    prepare_database(args.url)
    rows = measure("100 blocks", BenchWide, make_wide(), args.runs) + measure(
        "10 deep", BenchDeep, make_deep(), args.runs
    )
    print_table(rows, args.runs)


if __name__ == "__main__":
    main()
