"""Active/standby on PostgreSQL with real processes (issue 18): SIGKILL the active instance during a
burst and an urgent alert; the standby takes over within the goal, nothing is lost, and only a
message on the wire at the kill may arrive twice. bench/bench_failover.py prints the same numbers
over more kills."""

import os

import pytest

from tests.bot import failover

pytestmark = pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL", "").startswith("postgres"),
                                reason="two instances need PostgreSQL (TEST_DATABASE_URL)")

GOAL_SECONDS = 15


async def test_standby_takes_over_after_sigkill_twice_in_a_row(db_url, tmp_path):
    outcome = await failover.run(db_url, tmp_path, kills=2)
    assert len(outcome.kills) == 2
    for kill in outcome.kills:
        assert kill.updates_gap <= GOAL_SECONDS, kill
        assert kill.sweep_gap <= GOAL_SECONDS, kill
        assert len(kill.in_flight) <= failover.BURST_PEOPLE  # one message per chat at most
    assert outcome.lost == []
    assert outcome.unexplained_duplicates == []
    assert outcome.exit_codes == [0, 0]
