"""乡镇综治中心 Telegram bot: wiring (config, database, clock, texts) and the domain services."""
