"""List and search latency of the API at 100,000 subscriptions (issue 6's target: <= 11 ms).

Creates (or reuses) its own Postgres database, migrates it, bulk-inserts 100,000 subscriptions
over five products with one SQL statement, starts `orchestrator serve` in its own process (as
deployed: the client's Python does not compete with the server's for the GIL) and times, for each
endpoint, the median of 20 HTTP calls on loopback (after 3 warm-ups). Two baselines are measured
in the same run: the service function called in-process (our Python without HTTP), and the same
SQL statements executed raw on one connection (what Postgres alone needs).

    .venv/bin/python bench/api.py [--rows 100000] [--calls 20] [--database-url URL] [--keep]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable
from typing import Any

import httpx
import sqlalchemy as sa

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


def interleaved_medians(calls: dict[str, Callable[[], Any]], rounds: int, warmup: int = 3) -> dict[str, float]:
    """Median ms of each call, taken in turns so that a noisy neighbour slows all columns alike."""
    for _ in range(warmup):
        for call in calls.values():
            call()
    samples: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(rounds):
        for name, call in calls.items():
            started = time.perf_counter()
            call()
            samples[name].append((time.perf_counter() - started) * 1000)
    return {name: statistics.median(times) for name, times in samples.items()}


class HttpGet:
    """GET over one keep-alive connection with the standard library's client: httpx alone adds 1.3 ms a
    call on this machine (measured against a bare endpoint: 1.9 vs 0.6 ms), which is the client's time,
    not the server's."""

    def __init__(self, base: str) -> None:
        host, port = base.removeprefix("http://").split(":")
        self.connection = http.client.HTTPConnection(host, int(port), timeout=30)

    def __call__(self, path: str, params: dict[str, Any] | None = None, expect: int = 200) -> bytes:
        """The answer's body, unparsed: parsing is the client's time, not the server's."""
        target = f"{path}?{urllib.parse.urlencode(params, doseq=True)}" if params else path
        self.connection.request("GET", target)
        answer = self.connection.getresponse()
        body = answer.read()
        if answer.status != expect:
            raise SystemExit(f"GET {target} answered {answer.status}: {body[:300]!r}")
        return body


def serve(database_url: str) -> tuple[str, subprocess.Popen[bytes]]:
    """`orchestrator serve` on a free loopback port, answering once its health endpoint does."""
    from orchestrator_core.devtools import free_port

    port = free_port()
    env = {**os.environ, "ORCHESTRATOR_DATABASE_URL": database_url}
    command = [sys.executable, "-m", "orchestrator_core.cli", "serve", "--port", str(port)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{base}/api/health", timeout=1)
            return base, server
        except httpx.TransportError:
            if server.poll() is not None:
                raise SystemExit(f"orchestrator serve exited with {server.returncode}") from None
            time.sleep(0.2)
    server.kill()
    raise SystemExit("orchestrator serve did not answer within 60 s")


def raw_sql(engine: sa.Engine, query: Any) -> Callable[[], Any]:
    """The statement the service runs for `query`, compiled once and executed on one raw connection."""
    from orchestrator_core.db import read_connection
    from orchestrator_core.services.subscription_search import search_statement

    with read_connection() as connection:
        statement, params = search_statement(connection, query)
    sql = str(statement.params(params).compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True}))
    connection = engine.raw_connection()
    connection.autocommit = True

    def run() -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            cursor.fetchall()

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument("--database-url", default=os.environ.get("ORCHESTRATOR_BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--keep", action="store_true", help="reuse an already seeded database")
    args = parser.parse_args()

    os.environ["ORCHESTRATOR_DATABASE_URL"] = args.database_url
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

    base, server = serve(args.database_url)
    get = HttpGet(base)
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
    print(f"\n{total:,} subscriptions; median of {args.calls} calls, ms; columns measured in turns\n")
    header = f"{'endpoint GET /api/subscriptions':40} {'HTTP':>8} {'service':>8} {'raw SQL':>8} {'hits':>8}"
    print(header)
    print("-" * len(header))
    floor = interleaved_medians({"http": lambda: get("/api/no-such-path", expect=404)}, args.calls)["http"]
    print(f"{'HTTP floor: unknown path (404)':40} {floor:8.2f}")
    for label, params in cases:
        answer = json.loads(get("/api/subscriptions", params))
        query = SubscriptionQuery(
            text=params.get("q"),
            statuses=tuple([params["status"]] if "status" in params else []),
            product=params.get("product"),
            customer=params.get("customer"),
            sort=params.get("sort", "start_date"),
            order=params.get("order", "desc"),
            limit=50,
            offset=params.get("offset", 0),
        )
        times = interleaved_medians(
            {
                "http": lambda p=params: get("/api/subscriptions", p),
                "service": lambda q=query: search_subscriptions(q),
                "raw": raw_sql(engine, query),
            },
            args.calls,
        )
        hits = f"{answer['total']:,}" + ("" if answer["total_exact"] else "+")
        print(f"{label:40} {times['http']:8.2f} {times['service']:8.2f} {times['raw']:8.2f} {hits:>8}")
    for path in ("/api/processes", "/api/products", "/api/health"):
        http_ms = interleaved_medians({"http": lambda p=path: get(p)}, args.calls)["http"]
        print(f"{'GET ' + path:40} {http_ms:8.2f}")
    server.terminate()
    server.wait(timeout=30)


if __name__ == "__main__":
    main()
