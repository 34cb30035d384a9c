"""The demo township's 目标管理考核 (issue 17): the year's catalogue (the default rows), the 责任书 sent
to the units' contacts and the village head two weeks ago and signed by 吴刚 (镇司法所) but not yet by
郑红 (镇派出所) nor 何永福 (东山村's 村委会主任: he can sign it from /score), a
hand-scored deduction for 镇派出所 with its evidence, and an 整改 order to 镇派出所 already past its
deadline (the sweep chases 郑红 and the director). /score shows 吴刚 and 郑红 their unit's score, 何永福 东山村's (排查报送 −0.5: its return was late), and
the director the ranking; /myrecord shows 孙丽 the director's praise; /teams shows
东山村's 治保会 and 调委会, its 平安学校「东山村小学」 (验收通过) and 平安家庭 (86户, awaiting the director's
review), and 镇司法所's 平安单位 (验收通过). Made through the services, before the start."""

from datetime import timedelta
from decimal import Decimal

from bot.services.assessment import agreements, catalogue, rectify, scoring, staff, teams
from bot.services.assessment.measures import Subject
from bot.services.intake import IntakePolicy
from models import CampaignKind, StaffNoteKind, SubjectKind, TeamKind


def build(db, town, at, policy: IntakePolicy) -> dict[str, int]:
    p = town.people
    boss = p["王志强"]
    sent = at(10, 9)
    year = sent.year
    items = db.call(catalogue.ensure, year=year)
    db.call(agreements.send, actor_id=boss, year=year, now=sent, commend_score=Decimal(90))
    signed = db.call(agreements.agreement_of, person_id=p["吴刚"], year=year)
    db.call(agreements.sign, actor_id=p["吴刚"], agreement_id=signed, now=sent + timedelta(hours=2))
    police = Subject(SubjectKind.unit, town.units["镇派出所"])
    ledger = next(i for i in items if i.name == "基础台账资料")
    mark = db.call(scoring.record_mark, actor_id=boss, item_id=ledger.id, subject=police, points=Decimal(2),
                   reason="11月检查：矛盾纠纷排查台账缺少两次记录", evidence_file_id="demo-evidence-ledger",
                   evidence_kind="photo", evidence_name="台账检查照片", now=at(6, 10))
    order = db.call(rectify.issue, actor_id=boss, subject=police, text="补齐矛盾纠纷排查台账，规范登记",
                    days=3, now=at(8, 15), policy=policy.deadlines)
    # 首问责任制: the director's praise for 孙丽 (she sees it in /myrecord)
    note = db.call(staff.add_note, actor_id=boss, person_id=p["孙丽"], kind=StaffNoteKind.praise,
                   reason="主动帮助来访群众联系县人社局，群众送来感谢信", now=at(3, 11))
    # 群防群治: 东山村's 治保会 and 调委会 (three kinds still missing); 镇司法所's 平安单位, reviewed and passed
    village = town.villages["东山村"]
    db.call(teams.add_team, actor_id=p["周明"], village_id=village, kind=TeamKind.security,
            text="陈德明 13900001111 王大勇、李春生、赵小兵", now=at(9, 10))
    db.call(teams.add_team, actor_id=p["周明"], village_id=village, kind=TeamKind.mediation,
            text="林秀英 13900002222 周建华、吴玉兰", now=at(9, 10, 30))
    campaign = db.call(teams.apply, actor_id=p["吴刚"], subject=Subject(SubjectKind.unit, town.units["镇司法所"]),
                       year=year, now=at(9, 11))
    db.call(teams.review, actor_id=boss, campaign_id=campaign.id, passed=True, now=at(5, 16))
    # 基层平安创建 in 东山村: its school passed; its 平安家庭 waits for the director
    dongshan = Subject(SubjectKind.village, village)
    school = db.call(teams.apply, actor_id=p["何永福"], subject=dongshan, year=year, now=at(9, 14),
                     kind=CampaignKind.school, name="东山村小学")
    db.call(teams.review, actor_id=boss, campaign_id=school.id, passed=True, now=at(5, 16, 30))
    db.call(teams.apply, actor_id=p["何永福"], subject=dongshan, year=year, now=at(2, 9), kind=CampaignKind.family,
            households=86)
    return {"signed": signed, "mark": mark.id, "order": order.id, "note": note.id}
