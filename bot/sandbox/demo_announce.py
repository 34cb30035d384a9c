"""The demo township's 传达 (issue 16): yesterday's 工作部署 from 孙丽 to the grid workers and the
units' contacts (the village head 何永福 among them), read by two of five (the other three are unread, so 孙丽 can remind them and hears
of them from the sweep), and a 学习 from the director to the center with one 参加 and one 请假.
Made through the services, before the start."""

from datetime import timedelta

from bot.services import announcements
from bot.services.intake import IntakePolicy
from models import Attendance
from models.announcements import AnnouncementKind


def build(db, town, at, policy: IntakePolicy) -> dict[str, int]:
    p = town.people
    sent = at(1, 10)
    deployment, _ = db.call(
        announcements.send, sender_id=p["孙丽"], kind=AnnouncementKind.deployment, groups=["r-grid", "r-unit"],
        text="请各网格员、成员单位本周内完成辖区矛盾纠纷和冬季消防安全隐患排查，周五前报排查情况。", now=sent)
    for name in ("张伟", "吴刚"):
        db.call(announcements.mark_read, announcement_id=deployment.id, person_id=p[name],
                now=sent + timedelta(minutes=30))
    study_at = at(1, 15)
    study, _ = db.call(
        announcements.send, sender_id=p["王志强"], kind=AnnouncementKind.study, groups=["r-staff", "r-leader"],
        text="周五下午 16:00 在综治中心会议室集中学习《信访工作条例》，请按时参加。", now=study_at)
    db.call(announcements.answer, announcement_id=study.id, person_id=p["刘海峰"], attendance=Attendance.attend,
            now=study_at + timedelta(minutes=10))
    db.call(announcements.answer, announcement_id=study.id, person_id=p["周明"], attendance=Attendance.leave,
            reason="下村调解西河村山林纠纷", now=study_at + timedelta(minutes=20))
    return {"deployment": deployment.id, "study": study.id}
