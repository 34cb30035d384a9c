"""The demo township's 社会治安形势分析 (信息报告制度 二.6/二.7), made through the services before the start:

- last month's analysis, written by 孙丽 and submitted by 王志强 to the party committee (陈建国 has it);
- a 敏感时期 analysis of three working days last week, drafted by the bot when the period ended, its
  figures filled in and nothing written yet: 王志强 is asked for it, and 孙丽 or he can write and submit it.
"""

from datetime import timedelta

from bot.services import situation
from bot.services.intake import IntakePolicy
from models import SituationKind

WRITTEN = {
    "analysis": "上月新增矛盾纠纷以邻里纠纷、婚姻家庭纠纷为主，土地山林纠纷有所上升，总体平稳可控；"
                "西河村山林界址纠纷久拖未决，存在激化风险。",
    "measures": "落实每半月排查和领导包村制度，中心领导带班接访；对山林纠纷实行领导包案，联合自然资源所现场勘界。",
    "next_steps": "做好元旦春节前矛盾纠纷集中排查，重点关注农民工工资和土地流转纠纷，确保节日期间社会稳定。",
}


def build(db, town, at, policy: IntakePolicy) -> dict[str, int]:
    p = town.people
    tz = policy.deadlines.tz
    today = at(0, 9).date()
    first = today.replace(day=1)
    last_month = situation.period_of(SituationKind.month, first - timedelta(days=1))
    done = db.call(situation.open_draft, actor_id=p["孙丽"], kind=SituationKind.month, start=last_month[0],
                   end=last_month[1], now=at(4, 9), tz=tz)
    for field, text in WRITTEN.items():
        db.call(situation.save_field, actor_id=p["孙丽"], report_id=done.id, field=field, text=text)
    db.call(situation.submit, actor_id=p["王志强"], report_id=done.id, now=at(3, 16), tz=tz)
    start, end = at(8, 9).date(), at(6, 9).date()
    db.call(situation.after_sensitive, actor_id=p["王志强"], label=SituationKind.sensitive.value, start=start, end=end,
            now=at(5, 9), tz=tz)
    return {"submitted": done.id}
