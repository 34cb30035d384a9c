"""The demo township's 工作联系点 records (工作联系点制度 二), made through the services before the start:

- 刘海峰 in 东山村: a 督导检查 three working days ago whose problem (宅基地界址) 王志强 answered;
- 刘海峰 in 西河村: a 走访了解 yesterday whose problem waits for the director (王志强 finds
  「✍️ 答复」 on 西河村's page in /contact);
- 赵敏 in 桃源村: a 参加村例会 last week, no problem.

The other villages have no record since their contact points took them on (the demo's set-up, twelve
working days ago): eight more working days (「+1 工作日」 in the sandbox) and their leaders are reminded.
"""

from bot.services import contact_points
from bot.services.intake import IntakePolicy
from models import ContactWork


def build(db, town, at, policy: IntakePolicy) -> dict[str, int]:
    p, v = town.people, town.villages
    tz = policy.deadlines.tz

    def record(who, village, work, moment, content, problem=None):
        day = moment.astimezone(tz).date()
        return db.call(contact_points.record, actor_id=p[who], village_id=v[village], work=work, done_on=day,
                       content=content, problem=problem, now=moment, today=day)

    answered = record("刘海峰", "东山村", ContactWork.inspect, at(3, 15),
                      "检查村治保会值班、巡逻记录和矛盾纠纷排查台账，走访两户纠纷当事人",
                      "两户宅基地界址不清，需镇自然资源所派人测量")
    db.call(contact_points.answer, actor_id=p["王志强"], record_id=answered.id,
            text="已协调镇自然资源所，本周五上午到现场测量，请村委会通知双方到场", now=at(2, 10))
    waiting = record("刘海峰", "西河村", ContactWork.visit, at(1, 16),
                     "走访西河村养殖户，了解养殖污水排放引发的邻里矛盾",
                     "养殖污水需环保部门检测，村里无力协调，请中心联系县生态环境局")
    record("赵敏", "桃源村", ContactWork.meeting, at(5, 9, 30), "参加桃源村综治工作例会，分析本月矛盾纠纷，部署节前排查")
    return {"answered": answered.id, "waiting": waiting.id}
