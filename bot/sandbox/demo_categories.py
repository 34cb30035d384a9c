"""The demo township's 事项类型 (issue 16): the six categories of the regulations come with the
migrations; the director has since given 流动人口服务管理 its subtypes (出租房屋管理, 居住证办理, and
暂住证办理, disabled since 居住证 replaced it) and 人防物防技防 a 15-working-day deadline (repairs
take longer). No case is made: the catalogue is what a trainee sees in /report and /admin → 事项类型.
Made through the services, before the start."""

from sqlmodel import col, select

from bot.services import case_catalogue as catalogue
from bot.services.intake import IntakePolicy
from models import CaseType

MIGRANTS = "流动人口服务管理"
SUBTYPES = ("出租房屋管理", "居住证办理", "暂住证办理")
RETIRED = "暂住证办理"


def build(db, town, at, policy: IntakePolicy) -> dict[str, int]:
    boss, when = town.people["王志强"], at(10, 9)

    def first(category: str) -> int:
        return db.session.exec(select(CaseType.id).where(CaseType.category == category)
                               .order_by(col(CaseType.sort), col(CaseType.id))).first()

    made = {"migrants": first(MIGRANTS), "defence": first("人防物防技防")}
    for name in SUBTYPES:
        made[name] = db.call(catalogue.add_subtype, actor_id=boss, type_id=made["migrants"], name=name, now=when)
    db.call(catalogue.set_subtype_active, actor_id=boss, subtype_id=made[RETIRED], active=False, now=when)
    db.call(catalogue.set_deadline, actor_id=boss, type_id=made["defence"], days=15, whole_type=True, now=when)
    return made
