"""群防群治 and 平安创建 (issue 17): each village's register of 治保会, 调委会, patrol teams, 十户联防
groups and volunteers (leader, phone, members), and the 平安创建 records with the director's review:
平安村（社区）, and in a village its 平安学校, 平安路段 and 平安市场 by name and its 平安家庭 by households
(综治中心职责 5: 平安村（社区）、学校、路段、市场和平安单位、平安家庭); a unit's 平安单位. The leader's phone is personal data: shown in full to the director, the secretary
and the village's own heads (who keep the register), masked to everyone else. The register feeds the
assessment through the measure "teams_missing" (measures.py)."""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import or_
from sqlmodel import Session, col, select

from bot.services import audit, identity
from bot.services.access import CENTER, UNMASKED
from bot.services.assessment.measures import Subject
from bot.services.assessment.scoring import columns, heads, subject_name, subject_of
from bot.services.case_access import person_name
from bot.services.errors import InvalidInput, NotAllowed, NotFound
from bot.texts import assessment as t
from models import (
    CampaignKind,
    CampaignResult,
    Person,
    PersonRole,
    Role,
    SafetyCampaign,
    SafetyTeam,
    SubjectKind,
    TeamKind,
    Village,
)

MAX_MEMBERS = 1000  # characters of names
REVIEWERS = frozenset({Role.director})
NAMED = (CampaignKind.school, CampaignKind.road, CampaignKind.market)  # several a year, each by its name
NAME_LENGTH = (2, 40)
MAX_HOUSEHOLDS = 100_000


def campaign_kinds(subject: Subject) -> tuple[CampaignKind, ...]:
    """What a village or a unit applies for."""
    if subject.kind == SubjectKind.unit:
        return (CampaignKind.unit,)
    return (CampaignKind.village, *NAMED, CampaignKind.family)


def campaign_label(kind: CampaignKind, village_kind: str = "村") -> str:
    """平安村 or 平安社区 as the village is called; the others by their kind."""
    return "平安" + village_kind if kind == CampaignKind.village else t.CAMPAIGN_LABELS[kind.value]


def campaign_what(kind: CampaignKind, name: str | None, households: int | None, village_kind: str = "村") -> str:
    """平安学校「东山小学」, 平安家庭（120户）, 平安村."""
    label = campaign_label(kind, village_kind)
    if name:
        return f"{label}「{name}」"
    return f"{label}（{households}户）" if households is not None else label


def parse_households(text: str) -> int:
    """「120」 or 「120户」."""
    value = (text or "").strip().removesuffix("户").strip()
    if not value.isdigit() or not 1 <= int(value) <= MAX_HOUSEHOLDS:
        raise InvalidInput(t.HOUSEHOLDS_FORMAT)
    return int(value)


def _roles(session: Session, person_id: int) -> frozenset[Role]:
    return frozenset(Role(r) for r in session.exec(select(PersonRole.role).where(PersonRole.person_id == person_id)))


def _keeper(session: Session, actor_id: int, subject: Subject) -> None:
    """The center (director, leaders, staff) keeps every register; a head keeps their own."""
    person = session.get(Person, actor_id)
    if person is None or not person.active:
        raise NotAllowed(t.NOT_ALLOWED)
    if _roles(session, actor_id) & CENTER or subject_of(session, actor_id) == subject:
        return
    raise NotAllowed(t.TEAMS_NOT_YOURS)


def _sees_phones(session: Session, actor_id: int, subject: Subject) -> bool:
    return bool(_roles(session, actor_id) & UNMASKED) or subject_of(session, actor_id) == subject


@dataclass(frozen=True)
class TeamLine:
    id: int
    kind: TeamKind
    leader: str
    phone: str  # masked unless the viewer may see it
    members: list[str]


@dataclass(frozen=True)
class CampaignLine:
    id: int
    year: int
    subject: str
    kind: CampaignKind
    what: str  # 平安学校「东山小学」
    result: CampaignResult
    applied_on: str


@dataclass(frozen=True)
class Register:
    subject: Subject
    name: str
    teams: list[TeamLine]
    campaigns: list[CampaignLine]
    missing: list[TeamKind]
    village_kind: str  # 村 or 社区: 平安村 or 平安社区

    def may_apply(self, year: int) -> list[CampaignKind]:
        """What can still be applied for in the year: a name can always be added."""
        done = {c.kind for c in self.campaigns if c.year == year}
        return [k for k in campaign_kinds(self.subject) if k in NAMED or k not in done]


def parse_team(text: str) -> tuple[str, str | None, list[str]]:
    """「张三 13800000000 李四、王五」: the leader, the phone (optional), the members."""
    parts = (text or "").strip().split(maxsplit=2)
    if not parts or len(parts[0]) > 40:
        raise InvalidInput(t.TEAM_FORMAT)
    leader, phone, rest = parts[0], None, parts[1:]
    if rest and rest[0].replace("-", "").isdigit():
        phone, rest = rest[0], rest[1:]
        if not 7 <= len(phone) <= 20:
            raise InvalidInput(t.TEAM_FORMAT)
    members_text = " ".join(rest)
    if len(members_text) > MAX_MEMBERS:
        raise InvalidInput(t.REASON_TOO_LONG.format(limit=MAX_MEMBERS))
    members = [m for m in members_text.replace(",", "、").replace("，", "、").replace(" ", "、").split("、") if m]
    return leader, phone, members


def add_team(session: Session, *, actor_id: int, village_id: int, kind: TeamKind, text: str,
             now: datetime) -> SafetyTeam:
    subject = Subject(SubjectKind.village, village_id)
    subject_name(session, subject)  # NotFound for a village that does not exist
    _keeper(session, actor_id, subject)
    leader, phone, members = parse_team(text)
    team = SafetyTeam(village_id=village_id, kind=kind, leader_name=leader, leader_phone=phone,
                      members="、".join(members), recorded_by_id=actor_id, recorded_at=now)
    session.add(team)
    session.flush()
    audit.record(session, actor_id=actor_id, action="teams.add", subject_type="safety_team", subject_id=team.id,
                 now=now, kind=str(kind), village=village_id)
    return team


def remove_team(session: Session, *, actor_id: int, team_id: int, now: datetime) -> int:
    team = session.get(SafetyTeam, team_id)
    if team is None:
        raise NotFound(t.TEAMS_STALE)
    _keeper(session, actor_id, Subject(SubjectKind.village, team.village_id))
    village_id = team.village_id
    session.delete(team)
    audit.record(session, actor_id=actor_id, action="teams.remove", subject_type="safety_team", subject_id=team_id,
                 now=now)
    return village_id


def register(session: Session, *, actor_id: int, subject: Subject, tz: ZoneInfo) -> Register:
    name = subject_name(session, subject)
    _keeper(session, actor_id, subject)
    full = _sees_phones(session, actor_id, subject)
    teams = []
    if subject.kind == SubjectKind.village:
        found = session.exec(select(SafetyTeam).where(SafetyTeam.village_id == subject.id)
                             .order_by(col(SafetyTeam.kind), col(SafetyTeam.id)))
        teams = [TeamLine(x.id, TeamKind(x.kind), x.leader_name,
                          (x.leader_phone or "") if full else identity.mask_phone(x.leader_phone),
                          [m for m in x.members.split("、") if m]) for x in found]
    campaigns = [_campaign_line(session, c, tz) for c in session.exec(
        select(SafetyCampaign).where(_of(subject)).order_by(col(SafetyCampaign.year).desc(), col(SafetyCampaign.id)))]
    have = {x.kind for x in teams}
    missing = [k for k in TeamKind if k not in have] if subject.kind == SubjectKind.village else []
    village = session.get(Village, subject.id) if subject.kind == SubjectKind.village else None
    return Register(subject, name, teams, campaigns, missing, village.kind if village is not None else "村")


def _of(subject: Subject):
    return (SafetyCampaign.unit_id == subject.id) if subject.kind == SubjectKind.unit \
        else (SafetyCampaign.village_id == subject.id)


def campaign_subject(c: SafetyCampaign) -> Subject:
    return Subject(SubjectKind.unit, c.unit_id) if c.unit_id is not None else Subject(SubjectKind.village, c.village_id)


def village_kind(session: Session, c: SafetyCampaign) -> str:
    village = session.get(Village, c.village_id) if c.village_id is not None else None
    return village.kind if village is not None else "村"


def _campaign_line(session: Session, c: SafetyCampaign, tz: ZoneInfo) -> CampaignLine:
    kind = CampaignKind(c.kind)
    return CampaignLine(c.id, c.year, subject_name(session, campaign_subject(c)), kind,
                        campaign_what(kind, c.name, c.households, village_kind(session, c)), CampaignResult(c.result),
                        t.cn_date(c.applied_at.astimezone(tz).date()))


def apply(session: Session, *, actor_id: int, subject: Subject, year: int, now: datetime,
          kind: CampaignKind | None = None, name: str | None = None, households: int | None = None) -> SafetyCampaign:
    """申报 for the year: a village or a unit itself, and a village's 平安家庭, once a year; a school,
    road or market of the village once a year under each name."""
    kind = kind or campaign_kinds(subject)[0]
    if kind not in campaign_kinds(subject):
        raise InvalidInput(t.TEAMS_STALE)
    subject_name(session, subject)
    _keeper(session, actor_id, subject)
    name = " ".join((name or "").split()) if kind in NAMED else None
    if kind in NAMED and not NAME_LENGTH[0] <= len(name) <= NAME_LENGTH[1]:
        raise InvalidInput(t.CAMPAIGN_NAME_FORMAT.format(label=t.CAMPAIGN_LABELS[kind.value]))
    if kind == CampaignKind.family and (households is None or not 1 <= households <= MAX_HOUSEHOLDS):
        raise InvalidInput(t.HOUSEHOLDS_FORMAT)
    same = select(SafetyCampaign.id).where(_of(subject), SafetyCampaign.year == year, SafetyCampaign.kind == kind)
    if kind in NAMED:
        same = same.where(SafetyCampaign.name == name)
    if session.exec(same).first() is not None:
        raise InvalidInput(t.CAMPAIGN_EXISTS)
    row = SafetyCampaign(year=year, kind=kind, name=name, households=households if kind == CampaignKind.family else None,
                         applied_by_id=actor_id, applied_at=now, **columns(subject))
    session.add(row)
    session.flush()
    audit.record(session, actor_id=actor_id, action="campaign.apply", subject_type="safety_campaign",
                 subject_id=row.id, now=now, kind=kind.value)
    return row


def review(session: Session, *, actor_id: int, campaign_id: int, passed: bool, now: datetime) -> SafetyCampaign:
    if not _roles(session, actor_id) & REVIEWERS:
        raise NotAllowed(t.NOT_ALLOWED)
    row = session.get(SafetyCampaign, campaign_id)
    if row is None:
        raise NotFound(t.TEAMS_STALE)
    row.result = CampaignResult.passed if passed else CampaignResult.failed
    row.reviewed_by_id, row.reviewed_at = actor_id, now
    session.add(row)
    audit.record(session, actor_id=actor_id, action="campaign.review", subject_type="safety_campaign",
                 subject_id=row.id, now=now, result=str(row.result))
    return row


def village_heads(session: Session, village_id: int) -> list[Person]:
    return heads(session, Subject(SubjectKind.village, village_id))


# --- 平安创建台账 --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignRow:
    year: int
    kind: str  # 平安学校
    name: str  # 东山村小学, 120户, or the village or unit itself
    owner: str  # the village or unit
    applied_by: str
    applied_on: str
    result: CampaignResult
    reviewed_by: str
    reviewed_on: str


def ledger_rows(session: Session, *, start: datetime, end: datetime, tz: ZoneInfo, village_id: int | None = None,
                unit_id: int | None = None) -> list[CampaignRow]:
    """Every 申报 made or reviewed in the period, by year, owner and kind (one small table: no batching)."""
    c = SafetyCampaign
    stmt = select(c).where(or_((c.applied_at >= start) & (c.applied_at < end),
                               (c.reviewed_at >= start) & (c.reviewed_at < end)))
    if village_id is not None:
        stmt = stmt.where(c.village_id == village_id)
    if unit_id is not None:
        stmt = stmt.where(c.unit_id == unit_id)
    rows = []
    order = list(CampaignKind)  # villages first, then units; within an owner as the regulations list them
    found = sorted(session.exec(stmt), key=lambda x: (x.year, x.unit_id is not None, x.village_id or x.unit_id,
                                                      order.index(CampaignKind(x.kind)), x.id))
    for x in found:
        kind, owner = CampaignKind(x.kind), subject_name(session, campaign_subject(x))
        detail = x.name or (f"{x.households}户" if x.households is not None else owner)
        rows.append(CampaignRow(x.year, campaign_label(kind, village_kind(session, x)), detail, owner,
                                person_name(session, x.applied_by_id), t.cn_date(x.applied_at.astimezone(tz).date()),
                                CampaignResult(x.result), person_name(session, x.reviewed_by_id),
                                t.cn_date(x.reviewed_at.astimezone(tz).date()) if x.reviewed_at else ""))
    return rows
