"""乡镇综治中心 Telegram bot: wiring (config, database, clock, texts) and the domain services."""

import os

# PTB 22 gives time periods (a 429's retry_after) as timedelta once opted in, and warns on every 429
# until then; bot.sender reads either.
os.environ.setdefault("PTB_TIMEDELTA", "1")
