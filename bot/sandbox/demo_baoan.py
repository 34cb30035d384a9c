"""The demo township's approved 领导包案 with a recorded 上级协调 (领导包案制度 三), made through the
services before the start on an existing case (so every other list keeps its figures):

- the 村口小卖部 noise case at 镇派出所 (under 督办): the director proposed 赵敏 as 包案领导, the
  party secretary 陈建国 approved; 赵敏 contacted the county 市场监管局;
  as 赵敏 a trainee can record the 调处方案 and the next coordination from the card
  (「📋 调处方案」「🤝 上级协调」).

The 包案 proposal on the overdue 山林 dispute stays pending for the secretary to try (demo.py).
"""

from bot.services import baoan
from bot.services.intake import IntakePolicy

UPPER_NOTE = "县市场监管局：已报请联合执法检查小卖部经营资质，答复本周内派员到场"


def build(db, town, at, policy: IntakePolicy) -> dict[str, object]:
    p = town.people
    case_id = town.cases["in_progress"]
    req = db.call(baoan.propose, actor_id=p["王志强"], case_id=case_id, leader_id=p["赵敏"],
                  reason="经营者拒不配合整改，需多部门联合执法", now=at(1, 16, 45))
    db.call(baoan.decide, actor_id=p["陈建国"], request_id=req.id, approve=True, now=at(1, 17))
    db.call(baoan.record_upper, actor_id=p["赵敏"], case_id=case_id, note=UPPER_NOTE, now=at(0, 8, 45))
    return {"case": case_id, "number": town.numbers["in_progress"], "leader": p["赵敏"]}
