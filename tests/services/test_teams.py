"""群防群治 and 平安创建 (issue 17): a village's teams with the leader's phone masked per the viewer's
rights, kept by the center or the village's own heads; the 平安村 record and the director's review;
the register feeds the assessment ("teams_missing": the kinds not registered)."""

from datetime import date, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from bot.services import ledgers
from bot.services.assessment import teams
from bot.services.assessment.measures import Subject, measure
from bot.services.errors import InvalidInput, NotAllowed
from bot.services.ledgers import Kind, Period, Scope
from models import CampaignKind, CampaignResult, Person, Role, SubjectKind, TeamKind
from tests.factories import Township, local

SH = ZoneInfo("Asia/Shanghai")
NOW = local(2026, 12, 4, 10, 0)


@pytest.fixture
def town(db, clock) -> Township:
    town = Township.build(db, clock, second_village=True)
    town.village_head = town._person("东山村主任", 20, {Role.unit}, village_id=town.village.id)
    return town


def _village(w, village=None) -> Subject:
    return Subject(SubjectKind.village, (village or w.village).id)


def test_teams_are_kept_by_the_center_or_the_villages_head_and_phones_are_masked(w):
    w.db.call(teams.add_team, actor_id=w.village_head, village_id=w.village.id, kind=TeamKind.security,
              text="张三 13812345678 李四、王五，赵六", now=NOW)
    w.db.call(teams.add_team, actor_id=w.staff, village_id=w.village.id, kind=TeamKind.patrol, text="钱七", now=NOW)
    with pytest.raises(NotAllowed):  # another village's head, a grid worker
        w.db.call(teams.add_team, actor_id=w.village_head, village_id=w.village2.id, kind=TeamKind.patrol,
                  text="孙八", now=NOW)
    with pytest.raises(NotAllowed):
        w.db.call(teams.register, actor_id=w.grid_worker, subject=_village(w), tz=SH)
    with pytest.raises(InvalidInput):
        w.db.call(teams.add_team, actor_id=w.staff, village_id=w.village.id, kind=TeamKind.patrol, text="  ", now=NOW)
    reg = w.db.call(teams.register, actor_id=w.village_head, subject=_village(w), tz=SH)
    security = next(x for x in reg.teams if x.kind == TeamKind.security)
    assert (security.leader, security.phone, security.members) == ("张三", "13812345678", ["李四", "王五", "赵六"])
    assert reg.missing == [TeamKind.mediation, TeamKind.ten_households, TeamKind.volunteers]
    staff_view = w.db.call(teams.register, actor_id=w.staff, subject=_village(w), tz=SH)
    assert next(x for x in staff_view.teams if x.kind == TeamKind.security).phone == "138****5678"
    director_view = w.db.call(teams.register, actor_id=w.director, subject=_village(w), tz=SH)
    assert next(x for x in director_view.teams if x.kind == TeamKind.security).phone == "13812345678"
    # the measure: 3 of 5 kinds missing in 东山村, 5 in 西河村, none expected of a unit
    start, end = local(2026, 1, 1, 0, 0), NOW + timedelta(minutes=1)
    with w.db.session() as s:
        assert measure(s, "teams_missing", _village(w), start, end).value == Decimal(3)
        assert measure(s, "teams_missing", _village(w, w.village2), start, end).value == Decimal(5)
        assert measure(s, "teams_missing", Subject(SubjectKind.unit, w.unit.id), start, end).value == 0


def test_a_safe_village_is_applied_for_once_and_reviewed_by_the_director(w):
    row = w.db.call(teams.apply, actor_id=w.village_head, subject=_village(w), year=2026, now=NOW)
    with pytest.raises(InvalidInput):
        w.db.call(teams.apply, actor_id=w.staff, subject=_village(w), year=2026, now=NOW)
    with pytest.raises(NotAllowed):
        w.db.call(teams.review, actor_id=w.leader, campaign_id=row.id, passed=True, now=NOW)
    w.db.call(teams.review, actor_id=w.director, campaign_id=row.id, passed=False, now=NOW)
    reg = w.db.call(teams.register, actor_id=w.staff, subject=_village(w), tz=SH)
    assert [(c.year, c.result) for c in reg.campaigns] == [(2026, CampaignResult.failed)]
    with w.db.session() as s:  # feeds the assessment: one failed review this year, none in 西河村
        year = (local(2026, 1, 1, 0, 0), local(2027, 1, 1, 0, 0))
        assert measure(s, "safety_failed", _village(w), *year).value == 1
        assert measure(s, "safety_failed", _village(w, w.village2), *year).value == 0
    unit = w.db.call(teams.apply, actor_id=w.unit_contact, subject=Subject(SubjectKind.unit, w.unit.id), year=2026,
                     now=NOW)
    assert unit.unit_id == w.unit.id


def test_a_village_applies_for_its_schools_roads_markets_by_name_and_its_families_by_households(w):
    apply = w.db.call
    school = apply(teams.apply, actor_id=w.village_head, subject=_village(w), year=2026, now=NOW,
                   kind=CampaignKind.school, name="  东山村  小学 ")
    apply(teams.apply, actor_id=w.staff, subject=_village(w), year=2026, now=NOW, kind=CampaignKind.school,
          name="东山中学")  # a second school: each name once a year
    with pytest.raises(InvalidInput):
        apply(teams.apply, actor_id=w.staff, subject=_village(w), year=2026, now=NOW, kind=CampaignKind.school,
              name="东山村 小学")
    apply(teams.apply, actor_id=w.staff, subject=_village(w), year=2027, now=NOW, kind=CampaignKind.school,
          name="东山村 小学")  # the next year again
    for bad in ("", "校", "一" * 41):
        with pytest.raises(InvalidInput):
            apply(teams.apply, actor_id=w.staff, subject=_village(w), year=2026, now=NOW, kind=CampaignKind.road,
                  name=bad)
    apply(teams.apply, actor_id=w.staff, subject=_village(w), year=2026, now=NOW, kind=CampaignKind.family,
          households=teams.parse_households(" 120户 "))
    with pytest.raises(InvalidInput):  # 平安家庭 once a year
        apply(teams.apply, actor_id=w.staff, subject=_village(w), year=2026, now=NOW, kind=CampaignKind.family,
              households=5)
    for bad in ("", "十户", "0", "100001", "-3"):
        with pytest.raises(InvalidInput):
            teams.parse_households(bad)
    with pytest.raises(NotAllowed):  # another village's head
        apply(teams.apply, actor_id=w.village_head, subject=_village(w, w.village2), year=2026, now=NOW,
              kind=CampaignKind.market, name="西河市场")
    with pytest.raises(InvalidInput):  # a unit has only its 平安单位
        apply(teams.apply, actor_id=w.unit_contact, subject=Subject(SubjectKind.unit, w.unit.id), year=2026, now=NOW,
              kind=CampaignKind.school, name="镇中心小学")
    assert school.name == "东山村 小学"
    reg = w.db.call(teams.register, actor_id=w.village_head, subject=_village(w), tz=SH)
    assert [(c.year, c.what) for c in reg.campaigns] == [
        (2027, "平安学校「东山村 小学」"), (2026, "平安学校「东山村 小学」"), (2026, "平安学校「东山中学」"),
        (2026, "平安家庭（120户）")]
    # still to apply for in 2026: the village itself, and any school, road or market by another name
    assert reg.may_apply(2026) == [CampaignKind.village, CampaignKind.school, CampaignKind.road, CampaignKind.market]
    # a failed school counts against its village in the assessment
    w.db.call(teams.review, actor_id=w.director, campaign_id=school.id, passed=False, now=NOW)
    with w.db.session() as s:
        assert measure(s, "safety_failed", _village(w), local(2026, 1, 1, 0, 0), local(2027, 1, 1, 0, 0)).value == 1


def test_the_campaign_ledger_lists_every_application_of_the_period(w):
    w.db.call(teams.apply, actor_id=w.village_head, subject=_village(w), year=2026, now=NOW - timedelta(days=60))
    market = w.db.call(teams.apply, actor_id=w.staff, subject=_village(w), year=2026, now=NOW,
                       kind=CampaignKind.market, name="东山农贸市场")
    w.db.call(teams.review, actor_id=w.director, campaign_id=market.id, passed=True, now=NOW)
    w.db.call(teams.apply, actor_id=w.unit_contact, subject=Subject(SubjectKind.unit, w.unit.id), year=2026, now=NOW)
    december = Period("month", date(2026, 12, 1), date(2026, 12, 31))
    with w.db.session() as s:
        made = ledgers.build(s, kind=Kind.campaigns, period=december, viewer_id=w.director, now=NOW, tz=SH)
        scoped = ledgers.build(s, kind=Kind.campaigns, period=december, viewer_id=w.director, now=NOW, tz=SH,
                               scope=Scope(village_id=w.village.id))
    cells = [[c.value for c in row] for row in load_workbook(made.path).active.iter_rows()]
    head = next(i for i, row in enumerate(cells) if row[0] == "序号")
    body = [row[:10] for row in cells[head + 1:head + 1 + made.rows]]
    unit_name = w.unit.name
    assert body == [  # the October 平安村 is not in December's ledger
        [1, 2026, "平安市场", "东山农贸市场", w.village.name, _name(w, w.staff),
         "2026年12月4日", "验收通过", _name(w, w.director), "2026年12月4日"],
        [2, 2026, "平安单位", unit_name, unit_name, _name(w, w.unit_contact), "2026年12月4日", "待审核", None, None],
    ]
    assert scoped.rows == 1
    assert "平安创建台账" in cells[0][0]
    made.path.unlink()
    scoped.path.unlink()


def _name(w, person_id: int) -> str:
    with w.db.session() as s:
        return s.get(Person, person_id).name
