"""Two OS processes start a workflow on the same subscription at the same instant, round after round.

The guard's promise: exactly one start wins each round, the other is refused with a reason code,
and the loser writes nothing. Each round uses a fresh ACTIVE, in-sync subscription; both racers
pass a barrier and call the real start path (`create_process` in its own transaction), so the
only thing between them is the database's row lock and the compare-and-set of the insync flag.

    .venv/bin/python bench/guard_race.py [--rounds 1000] [--url postgresql+psycopg://root@127.0.0.1:5432/orch_bench_guard]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from orchestrator_core.db import database, transaction  # noqa: E402
from orchestrator_core.db.subscription_tables import ProcessSubscriptionTable, SubscriptionTable  # noqa: E402
from orchestrator_core.devtools import recreate_database  # noqa: E402
from orchestrator_core.migrations import helpers  # noqa: E402
from orchestrator_core.targets import Target  # noqa: E402
from orchestrator_core.workflow import StepList, init, make_workflow  # noqa: E402

DEFAULT_URL = "postgresql+psycopg://root@127.0.0.1:5432/orch_bench_guard"
PRODUCT = "Guard Race Product"


def _race_modify() -> StepList:
    return init


_race_modify.__name__ = "guard_race_modify"
RACE_WORKFLOW = make_workflow(_race_modify, "Guard race: a modify that does nothing", None, Target.MODIFY,
                              init)


@dataclass
class RaceResult:
    rounds: int
    exactly_one: int = 0
    both: int = 0
    neither: int = 0
    refusals: Counter = field(default_factory=Counter)
    links_per_subscription: Counter = field(default_factory=Counter)
    seconds: float = 0.0


def prepare(rounds: int) -> list[uuid.UUID]:
    """The product, the workflow registered for it (as a migration would), one subscription per round."""
    with transaction() as s:
        helpers.create(s, {"products": {PRODUCT: {"product_type": "GuardRace", "description": PRODUCT,
                                                  "tag": "GUARDRACE", "status": "active"}}})
        helpers.create_workflow(s, {"name": RACE_WORKFLOW.name, "target": "MODIFY",
                                    "description": RACE_WORKFLOW.description, "search_phrase": PRODUCT})
        product_id = helpers.get_product_id_by_name(s, PRODUCT)
        sids = [uuid.uuid4() for _ in range(rounds)]
        s.execute(sa.insert(SubscriptionTable), [
            {"subscription_id": sid, "description": "race", "status": "active", "product_id": product_id,
             "customer_id": "racer", "insync": True} for sid in sids])
    return sids


def _racer(url: str, sids: list[uuid.UUID], barrier: object, results: mp.Queue, me: int) -> None:
    from orchestrator_core.errors import OrchestratorError
    from orchestrator_core.services.processes import create_process

    database.configure(url)
    for index, sid in enumerate(sids):
        barrier.wait()  # type: ignore[attr-defined]
        try:
            with transaction() as s:
                create_process(s, RACE_WORKFLOW, [{"subscription_id": str(sid)}], f"racer-{me}")
            results.put((index, "won"))
        except OrchestratorError as refused:
            results.put((index, refused.code))
        except Exception as exc:  # anything else is a bug the tally must show, not hide
            results.put((index, f"error: {type(exc).__name__}: {exc}"))


def race(url: str, rounds: int) -> RaceResult:
    sids = prepare(rounds)
    ctx = mp.get_context("spawn")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    racers = [ctx.Process(target=_racer, args=(url, sids, barrier, results, me)) for me in (1, 2)]
    started = time.perf_counter()
    for racer in racers:
        racer.start()
    outcomes: dict[int, list[str]] = {}
    for _ in range(2 * rounds):
        index, outcome = results.get(timeout=120)
        outcomes.setdefault(index, []).append(outcome)
    for racer in racers:
        racer.join(timeout=60)
    return _tally(rounds, outcomes, sids, time.perf_counter() - started)


def _tally(rounds: int, outcomes: dict[int, list[str]], sids: list[uuid.UUID], seconds: float) -> RaceResult:
    result = RaceResult(rounds, seconds=seconds)
    for pair in outcomes.values():
        wins = pair.count("won")
        result.exactly_one += wins == 1
        result.both += wins == 2
        result.neither += wins == 0
        result.refusals.update(o for o in pair if o != "won")
    with transaction() as s:
        counts = s.execute(sa.select(ProcessSubscriptionTable.subscription_id, sa.func.count())
                           .where(ProcessSubscriptionTable.subscription_id.in_(sids))
                           .group_by(ProcessSubscriptionTable.subscription_id)).all()
    result.links_per_subscription = Counter(n for _, n in counts)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1000)
    parser.add_argument("--url", default=DEFAULT_URL)
    args = parser.parse_args()
    _fresh_database(args.url)
    result = race(args.url, args.rounds)
    rate = result.rounds / result.seconds
    print(f"rounds {result.rounds}  exactly one winner {result.exactly_one}  both won {result.both}  "
          f"neither {result.neither}  in {result.seconds:.1f} s ({rate:.0f} rounds/s)")
    print(f"refusals {dict(result.refusals)}  "
          f"processes linked per subscription {dict(result.links_per_subscription)}")
    sys.exit(0 if result.exactly_one == result.rounds else 1)


def _fresh_database(url: str) -> None:
    from orchestrator_core.db.migrate import upgrade

    recreate_database(url)
    database.configure(url)
    upgrade()


if __name__ == "__main__":
    main()
