"""群防群治 and 平安创建 (issue 17): each village's register of 治保会, 调委会, patrol teams, 十户联防
groups and volunteers (leader, phone, members), and the 平安村 / 平安单位 creation records with the
director's review. The leader's phone is personal data: shown in full to the director, the secretary
and the village's own heads (who keep the register), masked to everyone else. The register feeds the
assessment through the measure "teams_missing" (measures.py)."""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.services import audit, identity
from bot.services.access import CENTER, UNMASKED
from bot.services.assessment.measures import Subject
from bot.services.assessment.scoring import columns, heads, subject_name, subject_of
from bot.services.errors import InvalidInput, NotAllowed, NotFound
from bot.texts import assessment as t
from models import CampaignResult, Person, PersonRole, Role, SafetyCampaign, SafetyTeam, SubjectKind, TeamKind

MAX_MEMBERS = 1000  # characters of names
REVIEWERS = frozenset({Role.director})


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
    result: CampaignResult
    applied_on: str


@dataclass(frozen=True)
class Register:
    subject: Subject
    name: str
    teams: list[TeamLine]
    campaigns: list[CampaignLine]
    missing: list[TeamKind]


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
        raise NotFound(t.STALE)
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
        select(SafetyCampaign).where(_of(subject)).order_by(col(SafetyCampaign.year).desc()))]
    have = {x.kind for x in teams}
    missing = [k for k in TeamKind if k not in have] if subject.kind == SubjectKind.village else []
    return Register(subject, name, teams, campaigns, missing)


def _of(subject: Subject):
    return (SafetyCampaign.unit_id == subject.id) if subject.kind == SubjectKind.unit \
        else (SafetyCampaign.village_id == subject.id)


def _campaign_line(session: Session, c: SafetyCampaign, tz: ZoneInfo) -> CampaignLine:
    subject = (Subject(SubjectKind.unit, c.unit_id) if c.unit_id is not None
               else Subject(SubjectKind.village, c.village_id))
    return CampaignLine(c.id, c.year, subject_name(session, subject), CampaignResult(c.result),
                        t.cn_date(c.applied_at.astimezone(tz).date()))


def apply(session: Session, *, actor_id: int, subject: Subject, year: int, now: datetime) -> SafetyCampaign:
    """申报 平安村 / 平安单位 for the year (once a year)."""
    subject_name(session, subject)
    _keeper(session, actor_id, subject)
    exists = session.exec(select(SafetyCampaign.id).where(_of(subject), SafetyCampaign.year == year)).first()
    if exists is not None:
        raise InvalidInput(t.CAMPAIGN_EXISTS)
    row = SafetyCampaign(year=year, applied_by_id=actor_id, applied_at=now, **columns(subject))
    session.add(row)
    session.flush()
    audit.record(session, actor_id=actor_id, action="campaign.apply", subject_type="safety_campaign",
                 subject_id=row.id, now=now)
    return row


def review(session: Session, *, actor_id: int, campaign_id: int, passed: bool, now: datetime) -> SafetyCampaign:
    if not _roles(session, actor_id) & REVIEWERS:
        raise NotAllowed(t.NOT_ALLOWED)
    row = session.get(SafetyCampaign, campaign_id)
    if row is None:
        raise NotFound(t.STALE)
    row.result = CampaignResult.passed if passed else CampaignResult.failed
    row.reviewed_by_id, row.reviewed_at = actor_id, now
    session.add(row)
    audit.record(session, actor_id=actor_id, action="campaign.review", subject_type="safety_campaign",
                 subject_id=row.id, now=now, result=str(row.result))
    return row


def village_heads(session: Session, village_id: int) -> list[Person]:
    return heads(session, Subject(SubjectKind.village, village_id))
