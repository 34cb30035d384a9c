"""The demo township's 上报上级 (信息报告制度, 服务承诺 三), made through the services before the start on
existing cases (so every other list keeps its figures):

- the 砖厂 gathering whose 信息报告 is under way (demo_info_reports): 孙丽 phoned 县委政法委 and 县综治中心
  right after the 初报, and recorded it: its card shows 「已上报：…」, its 初报 what went up after it;
- last week's 西河村 gathering (demo.py, archived) was never recorded as reported upward: the first sweep
  after the start tells 王志强 and its reporter 李娜 once, with 「📤 上报上级」 to record it late.
"""

from bot.services import upward_reports
from bot.services.intake import IntakePolicy
from models import UpwardWay

DEPARTMENTS = ("县委政法委", "县综治中心")
REPLY = "县委政法委值班室接报，要求处置情况随时续报"


def build(db, town, at, policy: IntakePolicy) -> dict[str, object]:
    p = town.people
    case_id = town.cases["reporting"]
    db.call(upward_reports.record, actor_id=p["孙丽"], case_id=case_id, departments=list(DEPARTMENTS),
            way=UpwardWay.phone, reply=REPLY, known=DEPARTMENTS, now=at(1, 9, 50))
    return {"case": case_id, "number": town.numbers["reporting"], "unreported": town.cases["major"],
            "unreported_number": town.numbers["major"]}
