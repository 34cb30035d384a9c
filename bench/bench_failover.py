"""Benchmark: failover of two real run_bot.py processes on one PostgreSQL database (issue 18).

    python bench/bench_failover.py --pg postgresql://postgres:postgres@127.0.0.1:5432/postgres [--kills 5]

A fresh database; two processes against the emulator on 127.0.0.1; then --kills times in a row:
a burst of notifications (urgent first) is being delivered, an urgent alert's escalation falls
due, the active process gets SIGKILL, a person writes to the bot right after; the killed process
comes back as the standby. Prints, per kill and as medians: the gap until the new active instance
answers (updates), until the escalation is delivered (sweeps), until the whole burst is delivered,
and the messages lost and delivered twice. Defaults as in production except the outbox lease
(5 s instead of 60 s: a message claimed by the dead process waits out the lease).
"""

import argparse
import asyncio
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchdb import database, drop  # noqa: E402

from bot.db import make_engine  # noqa: E402
from bot.migrate import upgrade  # noqa: E402
from tests.bot import failover  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", required=True, help="admin URL of a PostgreSQL server (a database is made and dropped)")
    parser.add_argument("--kills", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = database("postgresql", args.pg, Path(tmp), "bench_failover")
        try:
            engine = make_engine(url)
            upgrade(engine)
            engine.dispose()
            outcome = asyncio.run(failover.run(url, Path(tmp), kills=args.kills))
        finally:
            drop(url, args.pg)
    print(f"{'kill':>4} {'updates s':>10} {'sweeps s':>9} {'burst s':>8} {'in flight':>9}")
    for n, k in enumerate(outcome.kills, 1):
        print(f"{n:>4} {k.updates_gap:>10.1f} {k.sweep_gap:>9.1f} {k.drained:>8.1f} {len(k.in_flight):>9}")
    med = statistics.median
    print(f"median {med(k.updates_gap for k in outcome.kills):>8.1f} {med(k.sweep_gap for k in outcome.kills):>9.1f} "
          f"{med(k.drained for k in outcome.kills):>8.1f}")
    print(f"max    {max(k.updates_gap for k in outcome.kills):>8.1f} {max(k.sweep_gap for k in outcome.kills):>9.1f} "
          f"{max(k.drained for k in outcome.kills):>8.1f}")
    total = failover.BURST_PEOPLE * failover.BURST_EACH * args.kills
    print(f"messages {total}, lost {len(outcome.lost)}, delivered twice {len(outcome.duplicated)} "
          f"(not in flight at a kill: {len(outcome.unexplained_duplicates)}), exit codes {outcome.exit_codes}")
    return 0 if not outcome.lost and not outcome.unexplained_duplicates else 1


if __name__ == "__main__":
    sys.exit(main())
