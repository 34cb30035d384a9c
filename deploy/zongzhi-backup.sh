#!/bin/sh
# Daily backup with retention: /opt/zongzhi-bot/deploy/zongzhi-backup.sh [days to keep, default 30]
# Run by zongzhi-backup.timer (or cron: 30 2 * * * zongzhi /opt/zongzhi-bot/deploy/zongzhi-backup.sh 30).
set -eu
KEEP_DAYS="${1:-30}"
DIR=/opt/zongzhi-bot/backups
cd /opt/zongzhi-bot
.venv/bin/python run_bot.py backup "$DIR/"
# keep KEEP_DAYS days of backups; never touch anything else in the folder
find "$DIR" -maxdepth 1 -type f \( -name 'zongzhi-*.db' -o -name 'zongzhi-*.dump' \) -mtime +"$KEEP_DAYS" -delete
