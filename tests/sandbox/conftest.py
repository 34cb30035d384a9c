"""The training sandbox runs in the test's event loop on a free port with its own SQLite file
(whatever TEST_DATABASE_URL says: the sandbox never uses another database)."""

from datetime import datetime

import pytest

from bot.sandbox.demo import SH
from bot.sandbox.runner import Sandbox, SandboxOptions

# A Friday morning: "+1 工作日" crosses a weekend to Monday.
START = datetime(2026, 11, 27, 9, 0, tzinfo=SH)


@pytest.fixture
async def sandbox(tmp_path):
    box = Sandbox(SandboxOptions(db_path=tmp_path / "sandbox.db", port=0, start=START, sweep_interval=0))
    await box.start()
    yield box
    await box.stop()
