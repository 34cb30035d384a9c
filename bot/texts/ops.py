"""Messages for the operator (console and log), Chinese then English: they are read by county IT staff."""

SQLITE_IN_USE = (
    "另一个机器人进程正在使用数据库 {path}（锁文件 {lock}）。SQLite 只能运行一个实例；"
    "要运行两个实例请改用 PostgreSQL（DATABASE_URL=postgresql://…）。\n"
    "Another bot process is already using the database {path} (lock file {lock}). SQLite runs a single "
    "instance; use PostgreSQL to run two or more."
)
STARTED = "综治中心机器人启动（{mode}），按 Ctrl+C 停止。"
MODE_POLLING = "长轮询"
MODE_WEBHOOK = "Webhook {url}"
ROLE_ACTIVE = "本实例成为主实例（active）：开始接收消息并运行定时任务。"
ROLE_STANDBY = "本实例为备用实例（standby）：等待主实例退出后接管。"
ROLE_LOST = "与数据库的选举连接中断：本实例立即停止接收消息和定时任务，转为备用。"
WEB_LISTENING = "健康检查与指标：http://{host}:{port}/healthz 、/metrics"
WEB_PORT_BUSY = "无法监听 {host}:{port}（{error}）：端口被占用？请检查 WEBHOOK_PORT / METRICS_PORT。"

BACKUP_DONE = "备份完成：{path}（{size}）"
BACKUP_NO_PG_DUMP = (
    "找不到 pg_dump：请先安装 PostgreSQL 客户端（Debian/Ubuntu: apt-get install postgresql-client），"
    "其主版本不能低于服务器。\nThe pg_dump client is missing: install postgresql-client."
)
BACKUP_FAILED = "备份失败：{error}"
RESTORE_NO_FILE = "找不到备份文件 {path}。"
RESTORE_CONFIRM = (
    "将用备份 {path} 覆盖数据库 {target}：当前数据库里的全部数据都会被替换。请先停止机器人。\n"
    "输入 yes 确认 / type yes to confirm: "
)
RESTORE_ABORTED = "已取消，数据库未改动。"
RESTORE_NEEDS_YES = "恢复会覆盖数据库：请在终端里确认，或加 --yes（脚本中使用）。"
RESTORE_DONE = "恢复完成：{target} 已替换为备份 {path} 的内容。"
RESTORE_FAILED = "恢复失败：{error}"
RESTORE_NO_PSQL = "找不到 psql：请先安装 PostgreSQL 客户端（apt-get install postgresql-client）。"
RESTORE_WRONG_KIND = "备份 {path} 不是{kind}的备份文件。"


# --- /admin 🩺 运行状况: the same facts as /healthz and /metrics, for the admin's phone (Chinese only) ---
STATUS_BUTTON = "🩺 运行状况"
STATUS_TITLE = "🩺 运行状况（{at}）"
STATUS_INSTANCE = {
    "sqlite": "本实例：运行中（SQLite，单实例）",
    "postgresql": "本实例：主用（PostgreSQL；另有实例时，本实例停止后由其接管）",
}
STATUS_SIZE = "数据库大小：{mb:.1f} MB"
STATUS_BACKLOG_NONE = "待发通知：无"
STATUS_BACKLOG_FRESH = "待发通知：{n} 条，正在发送"
STATUS_BACKLOG = "待发通知：{n} 条，最早的已等 {wait}"
STATUS_DEAD_NONE = "发送失败：无"
STATUS_DEAD_OLD = "发送失败：近 {days} 天无（此前累计 {total} 条）"
STATUS_DEAD = "⚠️ 近 {days} 天发送失败：{n} 条（累计 {total} 条）。每条都已提醒管理员，多为对方屏蔽了机器人或未开始对话。"
STATUS_SWEEPS_OFF = "定时任务：已关闭（SWEEP_INTERVAL_SECONDS=0）"
STATUS_SWEEPS_NONE = "定时任务：启动后尚未运行"
STATUS_SWEEPS_OK = "定时任务：{ago}前运行过"
STATUS_SWEEPS_LATE = "⚠️ 定时任务：已 {ago}未运行，请检查日志（journalctl -u zongzhi-bot）"
STATUS_TEXTS_KEPT = "通知正文：一直保存（OUTBOX_TEXT_DAYS=0）"
STATUS_TEXTS_DAYS = "通知正文：保存 {days} 天，每天 03:00 清除更早的"
UNDER_A_MINUTE = "不到 1 分钟"

