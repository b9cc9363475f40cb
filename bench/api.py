"""List and search latency of the API at 100,000 subscriptions (issue 6's target: <= 11 ms).

Creates (or reuses) its own Postgres database, migrates it, bulk-inserts 100,000 subscriptions
over five products with one SQL statement, starts the real app under uvicorn on loopback and
times, for each endpoint, the median of 20 HTTP calls (after 3 warm-ups). Two baselines are
measured in the same run: the service function called in-process (our Python without HTTP),
and the same SQL statements executed raw on one connection (what Postgres alone needs).

    .venv/bin/python bench/api.py [--rows 100000] [--calls 20] [--database-url URL] [--keep]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import sqlalchemy as sa
import uvicorn

DEFAULT_URL = "postgresql+psycopg://root@127.0.0.1:5432/orchestrator_bench"
CITIES = [
    "Amsterdam",
    "Utrecht",
    "Rotterdam",
    "Den Haag",
    "Eindhoven",
    "Groningen",
    "Tilburg",
    "Almere",
    "Breda",
    "Nijmegen",
    "Apeldoorn",
    "Haarlem",
    "Arnhem",
    "Enschede",
    "Amersfoort",
    "Zaanstad",
    "Zwolle",
    "Leiden",
    "Maastricht",
    "Delft",
]
STATUSES = ["active", "active", "active", "active", "terminated", "provisioning", "initial", "disabled"]
PRODUCTS = ["Bench L2 Circuit", "Bench IP Prefix", "Bench Node", "Bench Port", "Bench L3 VPN"]


def seed(engine: sa.Engine, rows: int) -> float:
    """One INSERT ... SELECT generate_series; returns seconds taken."""
    started = time.perf_counter()
    with engine.begin() as conn:
        ids = []
        for i, name in enumerate(PRODUCTS):
            ids.append(
                conn.execute(
                    sa.text(
                        "INSERT INTO products (product_id, name, description, product_type, tag, status, created_at) "
                        "VALUES (gen_random_uuid(), :n, :d, :t, :tag, 'active', now()) RETURNING product_id"
                    ),
                    {"n": name, "d": name, "t": name.replace(" ", ""), "tag": f"BENCH{i}"},
                ).scalar_one()
            )
        conn.execute(
            sa.text("""
            INSERT INTO subscriptions (subscription_id, description, status, product_id, customer_id, insync,
                                       start_date, note, version)
            SELECT gen_random_uuid(),
                   'Circuit ' || (CAST(:cities AS text[]))[1 + i % 20] || '-'
                       || (CAST(:cities AS text[]))[1 + (i / 20) % 20] || ' ' || i,
                   (CAST(:statuses AS text[]))[1 + i % 8],
                   (CAST(:products AS uuid[]))[1 + i % 5],
                   'cust-' || (i % 2000),
                   i % 50 <> 0,
                   now() - make_interval(mins => i),
                   CASE WHEN i % 10 = 0 THEN 'note ' || md5(i::text) END,
                   1
            FROM generate_series(1, :rows) AS i
        """),
            {"cities": CITIES, "statuses": STATUSES, "products": ids, "rows": rows},
        )
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("VACUUM ANALYZE subscriptions"))  # the steady state autovacuum reaches
        conn.execute(sa.text("VACUUM ANALYZE products"))
    return time.perf_counter() - started


def median_ms(call: Callable[[], Any], calls: int, warmup: int = 3) -> float:
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(calls):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def serve(app: Any) -> tuple[str, uvicorn.Server]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.02)
    return f"http://127.0.0.1:{port}", server


def raw_sql(engine: sa.Engine, query: Any) -> Callable[[], Any]:
    """The statements the service runs for `query`, compiled once and executed on one raw connection."""
    from orchestrator_core.db import transaction
    from orchestrator_core.services import subscription_search as ss

    with transaction() as session:
        where = ss.conditions(session, query)
    compile_ = {"dialect": engine.dialect, "compile_kwargs": {"literal_binds": True}}
    page_sql = str(ss.page_statement(where, query).compile(**compile_))
    count_sql = str(ss.count_statement(where).compile(**compile_))
    connection = engine.raw_connection()

    def run() -> None:
        with connection.cursor() as cursor:
            cursor.execute(page_sql)
            got = cursor.fetchall()
            if len(got) == query.limit or query.offset:
                cursor.execute(count_sql)
                cursor.fetchall()
        connection.commit()

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument("--database-url", default=os.environ.get("ORCHESTRATOR_BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--keep", action="store_true", help="reuse an already seeded database")
    args = parser.parse_args()

    os.environ["ORCHESTRATOR_DATABASE_URL"] = args.database_url
    from orchestrator_core.api.app import create_app
    from orchestrator_core.db import database
    from orchestrator_core.db.migrate import upgrade
    from orchestrator_core.devtools import recreate_database
    from orchestrator_core.services.subscription_search import SubscriptionQuery, search_subscriptions

    if not args.keep:
        recreate_database(args.database_url)
    engine = database.configure(args.database_url)
    upgrade()
    with engine.connect() as conn:
        present = conn.execute(sa.text("SELECT count(*) FROM subscriptions")).scalar_one()
    if present < args.rows:
        print(f"seeding {args.rows:,} subscriptions ... {seed(engine, args.rows):.1f} s")
    with engine.connect() as conn:
        total = conn.execute(sa.text("SELECT count(*) FROM subscriptions")).scalar_one()
        some_id = conn.execute(
            sa.text("SELECT subscription_id FROM subscriptions ORDER BY subscription_id OFFSET 777 LIMIT 1")
        ).scalar_one()

    base, server = serve(create_app(import_workflows=False))
    client = httpx.Client(base_url=base, timeout=30)
    cases: list[tuple[str, dict[str, Any]]] = [
        ("list, newest first (page 1)", {}),
        ("list, page 200", {"offset": 10_000}),
        ("list, status=active", {"status": "active"}),
        ("list, customer", {"customer": "cust-1234"}),
        ("list, product, sort description", {"product": "Bench Node", "sort": "description", "order": "asc"}),
        ("search 'zwolle leiden' (2 words)", {"q": "zwolle leiden"}),
        ("search '4711' (rare)", {"q": "4711"}),
        ("search 'amsterdam' (10% of rows)", {"q": "amsterdam"}),
        ("search 'amsterdam' + status=active", {"q": "amsterdam", "status": "active"}),
        ("search by subscription id", {"q": str(some_id)}),
        ("search product name 'bench node'", {"q": "bench node"}),
    ]
    print(f"\n{total:,} subscriptions; median of {args.calls} calls, ms\n")
    header = f"{'endpoint GET /api/subscriptions':40} {'HTTP':>8} {'service':>8} {'raw SQL':>8} {'hits':>8}"
    print(header)
    print("-" * len(header))
    for label, params in cases:
        answer = client.get("/api/subscriptions", params=params)
        answer.raise_for_status()
        http = median_ms(lambda p=params: client.get("/api/subscriptions", params=p).raise_for_status(), args.calls)
        statuses = tuple([params["status"]] if "status" in params else [])
        query = SubscriptionQuery(
            text=params.get("q"),
            statuses=statuses,
            product=params.get("product"),
            customer=params.get("customer"),
            sort=params.get("sort", "start_date"),
            order=params.get("order", "desc"),
            limit=50,
            offset=params.get("offset", 0),
        )
        service = median_ms(lambda q=query: search_subscriptions(q), args.calls)
        raw = median_ms(raw_sql(engine, query), args.calls)
        total = answer.json()["total"]
        hits = f"{total:,}" + ("" if answer.json()["total_exact"] else "+")
        print(f"{label:40} {http:8.2f} {service:8.2f} {raw:8.2f} {hits:>8}")
    other = [
        ("GET /api/processes", "/api/processes"),
        ("GET /api/products", "/api/products"),
        ("GET /api/health", "/api/health"),
    ]
    for label, path in other:
        http = median_ms(lambda p=path: client.get(p).raise_for_status(), args.calls)
        print(f"{label:40} {http:8.2f} {'':>8} {'':>8}")
    server.should_exit = True


if __name__ == "__main__":
    main()
