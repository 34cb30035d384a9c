"""The demo township's 社会治安重点整治区域 (工作联系点制度 二.6), made through the services before the start:

- 西河村 (刘海峰's contact point), listed by 王志强 eight working days ago for gambling and thefts
  of e-bikes: 刘海峰 recorded the 整治方案 with 李娜 (its grid worker) as 责任人, and one 督促检查;
  刘海峰 can record the next from /focus.
- 桃源村 (赵敏's), listed seven working days ago for telecom fraud: no 整治方案 yet, so the sweep
  chased 赵敏 and the director yesterday morning; 赵敏 can record it from /focus.
"""

from bot.services import focus_areas
from bot.services.intake import IntakePolicy


def build(db, town, at, policy: IntakePolicy) -> dict[str, int]:
    p, v = town.people, town.villages
    deadlines = policy.deadlines
    cal = deadlines.calendar(db.session)

    def due(listed, days: int):
        return cal.local(cal.add_working_days(listed, days).at).date()

    listed = at(8, 10)
    xihe = db.call(focus_areas.list_village, actor_id=p["王志强"], village_id=v["西河村"],
                   problem="村口小卖部周边夜间聚众赌博，电动车被盗案件多发", due_date=due(listed, 40),
                   now=listed, policy=deadlines).area_id
    db.call(focus_areas.record_plan, actor_id=p["刘海峰"], area_id=xihe, responsible_id=p["李娜"], now=at(7, 15),
            plan="召集村两委、镇派出所和网格员：每晚联合巡逻，清理赌博窝点，村口加装监控，电动车集中停放")
    db.call(focus_areas.record_check, actor_id=p["刘海峰"], area_id=xihe, now=at(3, 10),
            text="到村查看巡逻台账，已清理赌博窝点两处，监控安装过半")
    listed = at(7, 10)
    taoyuan = db.call(focus_areas.list_village, actor_id=p["王志强"], village_id=v["桃源村"],
                      problem="电信网络诈骗案件高发，老年人受骗较多", due_date=due(listed, 40), now=listed,
                      policy=deadlines).area_id
    db.call(focus_areas.sweep, now=at(1, 9), policy=deadlines)  # 桃源村's 方案 is overdue: chased
    return {"西河村": xihe, "桃源村": taoyuan}
