"""Bulk import: template, parsing (.xlsx and .csv), all-or-nothing validation, re-import."""

import io
from datetime import UTC, datetime

import pytest
from openpyxl import Workbook, load_workbook
from sqlmodel import Session, SQLModel, func, select

import models
from bot.db import Database, make_engine
from bot.services import people
from bot.services.errors import InvalidInput, NotAllowed
from bot.services.imports import (
    SHEETS,
    ImportRejected,
    ImportResult,
    ImportRowError,
    import_file,
    parse_file,
    template_xlsx,
)
from models import AuditEvent, ContactPoint, Grid, Person, PersonRole, Role, Unit, Village

NOW = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
TABLES = (Village, Grid, Unit, Person, PersonRole, ContactPoint, AuditEvent)

# A few rows of /work/shared/domain/data/villages.csv and units.csv, embedded.
VILLAGE_ROWS = [["东山村", "村"], ["西岭村", None], ["新桥社区", ""], ["镇中社区", "社区"]]
GRID_ROWS = [
    ["东山村", "第一网格"],
    ["东山村", "第二网格"],
    ["西岭村", "第一网格"],
    ["新桥社区", "一网格"],
    ["北坪村", "一组"],  # a village already in the database
]
UNIT_ROWS = [["镇派出所", "成员单位"], ["镇司法所", None], ["镇信访办", ""]]
PEOPLE_ROWS = [
    # 姓名, 手机号, 身份, 村社区, 网格, 单位, 联系点
    ["刘建国", "13800138001", "中心领导", None, None, None, "东山村、西岭村"],
    ["陈晓梅", 13800138002, "中心工作人员，系统管理员", None, None, None, "新桥社区"],
    ["张伟", 13800138003.0, "网格员", "东山村", "第一网格", None, None],
    [None, None, None, None, None, None, None],  # blank row: skipped
    ["李娜", "138-0013-8004", "grid", "西岭村", "第一网格", None, None],
    ["赵强", "13800138005", "承办单位联络人", None, None, "镇派出所", None],
    ["孙丽", "13800138006", "中心领导 网格员", "新桥社区", "一网格", None, "东山村,镇中社区"],
    ["周明", "13800138007", "承办单位联络人", None, None, "镇民政办", None],  # unit already in the DB
]


@pytest.fixture
def db(tmp_path):
    assert models.Village is Village
    engine = make_engine(f"sqlite:///{tmp_path}/t.db")
    SQLModel.metadata.create_all(engine)
    database = Database(engine)
    yield database
    database.close()


@pytest.fixture
def admin_id(db):
    """An admin, plus a village and a unit that exist before any import."""

    def seed(session):
        admin = people.create_person(
            session, name="王志强", phone="13900000000", roles={Role.director, Role.admin}, now=NOW,
            telegram_id=1001,
        )
        session.add(Village(name="北坪村", kind="村"))
        session.add(Unit(name="镇民政办"))
        return admin.id

    return db.call(seed)


def xlsx(sheets: dict[str, list[list]], *, headers: dict[str, list[str]] | None = None) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        ws.append((headers or {}).get(title, list(SHEETS.get(title, ()))))
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def filled_template() -> bytes:
    """The real template, filled in the way an admin would."""
    wb = load_workbook(io.BytesIO(template_xlsx()))
    for title, rows in ((("村社区", VILLAGE_ROWS)), ("网格", GRID_ROWS), ("单位", UNIT_ROWS), ("人员", PEOPLE_ROWS)):
        for row in rows:
            wb[title].append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def run_import(db, actor_id, data, filename="名单.xlsx"):
    return db.call(import_file, actor_id=actor_id, data=data, filename=filename, now=NOW)


def counts(db) -> dict[str, int]:
    with Session(db.engine) as s:
        return {t.__name__: s.exec(select(func.count()).select_from(t)).one() for t in TABLES}


# --- template and parsing ------------------------------------------------------------------------


def test_template_round_trips_to_four_empty_sheets():
    data = template_xlsx()
    assert parse_file(data, "导入模板.xlsx") == {"村社区": [], "网格": [], "单位": [], "人员": []}
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["村社区", "网格", "单位", "人员", "说明"]
    for title, headers in SHEETS.items():
        ws = wb[title]
        assert [c.value for c in ws[1]] == list(headers)
        assert all(c.font.b for c in ws[1])
        assert ws.max_row == 1  # headers only: nothing that could be imported by mistake
        assert ws.column_dimensions["A"].width >= 10
    assert "姓名" in [c.value for row in wb["说明"].iter_rows() for c in row]


def test_sheets_contract():
    assert SHEETS == {
        "村社区": ("名称", "类型"),
        "网格": ("村社区", "网格名称"),
        "单位": ("名称", "类型"),
        "人员": ("姓名", "手机号", "身份", "村社区", "网格", "单位", "联系点"),
    }


def test_parse_keeps_spreadsheet_row_numbers_and_cleans_cells():
    data = xlsx({"人员": [
        ["  张伟 ", 13800138003.0, "网格员", "东山村", "第一网格"],
        [None, "", "   "],
        ["李娜", 13800138004, "grid", None, None, None, "东山村"],
    ]})
    rows = parse_file(data, "a.xlsx")["人员"]
    assert [n for n, _ in rows] == [2, 4]
    assert rows[0][1] == {
        "姓名": "张伟", "手机号": "13800138003", "身份": "网格员", "村社区": "东山村", "网格": "第一网格",
        "单位": "", "联系点": "",
    }
    assert rows[1][1]["手机号"] == "13800138004"
    # Programs that write Excel numbers out as text: "13800138003.0".
    csv_rows = parse_file("姓名,手机号,身份\n张伟,13800138003.0,网格员\n".encode(), "a.csv")["人员"]
    assert csv_rows[0][1]["手机号"] == "13800138003"


def test_parse_rejects_unknown_sheet_and_columns():
    with pytest.raises(InvalidInput, match="Sheet9"):
        parse_file(xlsx({"Sheet9": [["x"]]}, headers={"Sheet9": ["随便", "什么"]}), "a.xlsx")
    with pytest.raises(InvalidInput, match="备注"):
        parse_file(xlsx({"单位": [["镇派出所"]]}, headers={"单位": ["名称", "备注"]}), "a.xlsx")
    with pytest.raises(InvalidInput, match="缺少「手机号」"):
        parse_file(xlsx({"人员": [["张伟"]]}, headers={"人员": ["姓名", "身份"]}), "a.xlsx")


def test_parse_recognises_an_unnamed_sheet_by_its_header():
    data = xlsx({"Sheet1": [["张伟", "13800138003", "中心领导"]]}, headers={"Sheet1": list(SHEETS["人员"])})
    assert parse_file(data, "a.xlsx")["人员"][0][0] == 2


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (b"\x00\x01\x02 this is not a workbook", "名单.xlsx"),
        (b"PK\x03\x04" + b"\x00" * 100, "名单.xlsx"),
        (bytes(range(256)) * 8, "名单.csv"),
        (b"%PDF-1.4 hello", "名单.pdf"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "名单.xls"),
        ("随便,什么\n1,2\n".encode(), "名单.csv"),
    ],
)
def test_garbage_is_invalid_input(data, filename):
    with pytest.raises(InvalidInput) as info:
        parse_file(data, filename)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in info.value.message)


def test_limits():
    with pytest.raises(InvalidInput, match="5 MB"):
        parse_file(b"a" * (5 * 1024 * 1024 + 1), "big.csv")
    body = "名称,类型\n" + "".join(f"测试{i}村,村\n" for i in range(5001))
    with pytest.raises(InvalidInput, match="5000"):
        parse_file(body.encode(), "村社区.csv")
    body = "名称,类型\n" + "".join(f"测试{i}村,村\n" for i in range(5000))
    assert len(parse_file(body.encode(), "村社区.csv")["村社区"]) == 5000


def test_reading_stops_at_the_row_limit(monkeypatch):
    """A huge sheet is refused as soon as the limit is passed, not after reading all of it."""
    from bot.services import imports

    monkeypatch.setattr(imports, "MAX_ROWS", 50)
    read = []
    real_cell_text = imports._cell_text
    monkeypatch.setattr(imports, "_cell_text", lambda v: read.append(v) or real_cell_text(v))
    villages = [[f"测试{i}村", "村"] for i in range(30)]
    grids = [["测试0村", f"第{i}网格"] for i in range(20)]
    assert len(parse_file(xlsx({"村社区": villages, "网格": grids}), "名单.xlsx")["网格"]) == 20  # 50 in all
    huge = xlsx({"村社区": villages, "网格": [["测试0村", f"第{i}网格"] for i in range(5000)]})
    read.clear()
    with pytest.raises(InvalidInput, match="50"):
        parse_file(huge, "名单.xlsx")
    assert len(read) <= 60 * imports.MAX_COLS  # a few rows past the limit, not 5 000
    body = "名称,类型\n" + "".join(f"测试{i}村,村\n" for i in range(5000))
    read.clear()
    with pytest.raises(InvalidInput, match="50"):
        parse_file(body.encode(), "村社区.csv")
    assert len(read) <= 60 * imports.MAX_COLS


# --- importing -----------------------------------------------------------------------------------


def test_full_workbook_imports(db, admin_id):
    result = run_import(db, admin_id, filled_template(), "镇名单.xlsx")
    assert result == ImportResult(villages=4, grids=5, units=3, people=7, skipped=0)

    with Session(db.engine) as s:
        villages = {v.name: v for v in s.exec(select(Village))}
        assert {n: v.kind for n, v in villages.items()} == {
            "北坪村": "村", "东山村": "村", "西岭村": "村", "新桥社区": "社区", "镇中社区": "社区",
        }
        grids = {(g.village_id, g.name): g for g in s.exec(select(Grid))}
        assert set(grids) == {
            (villages["东山村"].id, "第一网格"), (villages["东山村"].id, "第二网格"),
            (villages["西岭村"].id, "第一网格"), (villages["新桥社区"].id, "一网格"),
            (villages["北坪村"].id, "一组"),
        }
        units = {u.name: u for u in s.exec(select(Unit))}
        assert set(units) == {"镇派出所", "镇司法所", "镇信访办", "镇民政办"}
        assert units["镇司法所"].kind == "成员单位"

        def person(name):
            p = s.exec(select(Person).where(Person.name == name)).one()
            return people.view(s, p)

        zhang = person("张伟")
        assert zhang.phone == "13800138003" and zhang.telegram_id is None and zhang.active
        assert zhang.roles == {Role.grid}
        # 第一网格 exists in two villages: 张伟 is in 东山村's.
        assert zhang.grid_id == grids[(villages["东山村"].id, "第一网格")].id
        assert zhang.village_id == villages["东山村"].id
        li = person("李娜")
        assert li.phone == "13800138004" and li.roles == {Role.grid}
        assert li.grid_id == grids[(villages["西岭村"].id, "第一网格")].id
        assert person("陈晓梅").roles == {Role.staff, Role.admin}
        assert person("陈晓梅").phone == "13800138002"
        assert person("赵强").unit_id == units["镇派出所"].id
        assert person("周明").unit_id == units["镇民政办"].id
        sun = person("孙丽")
        assert sun.roles == {Role.leader, Role.grid}
        assert sun.contact_village_ids == {villages["东山村"].id, villages["镇中社区"].id}
        assert person("刘建国").contact_village_ids == {villages["东山村"].id, villages["西岭村"].id}
        assert person("刘建国").roles == {Role.leader}
        assert s.exec(select(func.count()).select_from(ContactPoint)).one() == 5

        events = list(s.exec(select(AuditEvent).where(AuditEvent.action == "import.apply")))
        assert len(events) == 1
        assert events[0].subject_type == "import" and events[0].actor_id == admin_id
        assert events[0].details == {
            "filename": "镇名单.xlsx", "villages": 4, "grids": 5, "units": 3, "people": 7, "skipped": 0,
            "contact_points": 5,
        }


def test_reimport_skips_everything(db, admin_id):
    data = filled_template()
    run_import(db, admin_id, data)
    before = counts(db)
    result = run_import(db, admin_id, data)
    assert result == ImportResult(villages=0, grids=0, units=0, people=0, skipped=4 + 5 + 3 + 7)
    after = counts(db)
    assert after.pop("AuditEvent") == before.pop("AuditEvent") + 1
    assert after == before


def test_bad_rows_are_all_reported_and_nothing_is_written(db, admin_id):
    def seed(session):
        people.create_person(session, name="钱多多", phone="13700000001", roles={Role.staff}, now=NOW)

    db.call(seed)
    data = xlsx({
        "村社区": [["东山村", "村"], ["西岭村", "乡"], ["东山村", None]],
        "网格": [["东山村", "第一网格"], ["东山村", "第二网格"], ["西岭村", "第一网格"], ["不存在村", "一组"]],
        "单位": [["镇派出所", None]],
        "人员": [
            ["刘建国", "13800138001", "中心领导", None, None, None, "东山村"],  # 2: fine
            ["陈晓梅", "1380013800", "中心工作人员"],  # 3: bad phone
            [None] * 7,  # 4: blank
            ["张伟", "13800138003", "村长"],  # 5: unknown role
            ["李娜", "13800138004", "网格员", "东山村"],  # 6: grid worker without grid
            ["赵强", "13800138005", "网格员", "西岭村", "第二网格"],  # 7: grid of 东山村, not 西岭村
            ["孙丽", "13800138006", "承办单位联络人", None, None, "镇税务所"],  # 8: unknown unit
            ["周明", "13800138001", "中心领导"],  # 9: same phone as row 2
            ["吴敏", "13700000001", "中心领导"],  # 10: phone already belongs to 钱多多
            ["郑洁", "13800138010", "中心领导", None, None, None, "东山村、南湖村"],  # 11: unknown contact point
        ],
    })
    before = counts(db)
    with pytest.raises(ImportRejected) as info:
        run_import(db, admin_id, data)
    errors = info.value.errors
    assert [(e.sheet, e.row) for e in errors] == [
        ("村社区", 3), ("村社区", 4), ("网格", 5),
        ("人员", 3), ("人员", 5), ("人员", 6), ("人员", 7), ("人员", 8), ("人员", 9), ("人员", 10), ("人员", 11),
    ]
    by_place = {(e.sheet, e.row): e.message for e in errors}
    assert "村" in by_place[("村社区", 3)] and "社区" in by_place[("村社区", 3)]
    assert "第 2 行" in by_place[("村社区", 4)]
    assert "不存在村" in by_place[("网格", 5)]
    assert by_place[("人员", 3)] == "手机号格式不对：应为 1 开头的 11 位手机号。"
    assert str(errors[3]) == "「人员」第 3 行：手机号格式不对：应为 1 开头的 11 位手机号。"
    assert "村长" in by_place[("人员", 5)]
    assert "网格" in by_place[("人员", 6)]
    assert "西岭村" in by_place[("人员", 7)] and "第二网格" in by_place[("人员", 7)]
    assert "东山村" in by_place[("人员", 7)]  # says where that grid is
    assert "镇税务所" in by_place[("人员", 8)]
    assert "第 2 行" in by_place[("人员", 9)]
    assert "钱多多" in by_place[("人员", 10)]
    assert "南湖村" in by_place[("人员", 11)]
    assert "11 处错误" in info.value.message
    assert counts(db) == before


def test_existing_phone_with_same_name_is_skipped(db, admin_id):
    def seed(session):
        people.create_person(session, name="钱多多", phone="13700000001", roles={Role.staff}, now=NOW)

    db.call(seed)
    data = xlsx({"人员": [["钱多多", "137 0000 0001", "中心工作人员"], ["吴敏", "13700000002", "中心领导"]]})
    assert run_import(db, admin_id, data) == ImportResult(0, 0, 0, 1, 1)


def test_duplicate_names_in_one_sheet(db, admin_id):
    data = xlsx({
        "单位": [["镇派出所"], ["镇派出所"]],
        "人员": [["张伟", "13800138001", "中心领导"], ["张伟", "13800138002", "中心领导"]],
    })
    with pytest.raises(ImportRejected) as info:
        run_import(db, admin_id, data)
    assert [(e.sheet, e.row) for e in info.value.errors] == [("单位", 3), ("人员", 3)]
    assert isinstance(info.value.errors[0], ImportRowError)


def test_csv_utf8_bom_and_gb18030(db, admin_id):
    villages = "\ufeff名称,类型\r\n东山村,村\r\n新桥社区,\r\n".encode()
    assert villages.startswith(b"\xef\xbb\xbf")
    # Named by nothing useful: the 名称/类型 header fits 村社区 and 单位; the names tell.
    assert run_import(db, admin_id, villages, "导出.csv") == ImportResult(2, 0, 0, 0, 0)

    grids = "村社区,网格名称\n东山村,第一网格\n".encode("gb18030")
    units = "名称,类型\n镇派出所,\n镇司法所,成员单位\n".encode("gb18030")
    staff = "姓名,手机号,身份,村社区,网格,单位,联系点\n张伟,13800138003,网格员,东山村,第一网格,,\n赵强,13800138005,承办单位联络人,,,镇派出所,\n"
    staff_bytes = staff.encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        staff_bytes.decode("utf-8")  # really exercises the fallback
    assert parse_file(units, "单位.csv")["单位"] == [
        (2, {"名称": "镇派出所", "类型": ""}), (3, {"名称": "镇司法所", "类型": "成员单位"}),
    ]
    assert run_import(db, admin_id, grids, "网格.csv") == ImportResult(0, 1, 0, 0, 0)
    assert run_import(db, admin_id, units, "单位.csv") == ImportResult(0, 0, 2, 0, 0)
    assert run_import(db, admin_id, staff_bytes, "人员.csv") == ImportResult(0, 0, 0, 2, 0)
    with Session(db.engine) as s:
        kinds = {v.name: v.kind for v in s.exec(select(Village))}
        assert kinds["新桥社区"] == "社区"
        zhang = s.exec(select(Person).where(Person.name == "张伟")).one()
        assert s.get(Grid, zhang.grid_id).name == "第一网格"


def test_ambiguous_csv_needs_a_name():
    data = "名称,类型\n东山村,\n镇派出所,\n".encode()
    with pytest.raises(InvalidInput, match="村社区"):
        parse_file(data, "data.csv")
    assert [r["名称"] for _, r in parse_file(data, "单位.csv")["单位"]] == ["东山村", "镇派出所"]


def test_empty_file_and_permissions(db, admin_id):
    with pytest.raises(InvalidInput, match="没有要导入的数据"):
        run_import(db, admin_id, template_xlsx())

    def seed(session):
        return people.create_person(session, name="张伟", phone="13800138003", roles={Role.grid}, now=NOW).id

    grid_worker = db.call(seed)
    with pytest.raises(NotAllowed):
        run_import(db, grid_worker, filled_template())
    assert counts(db)["Village"] == 1


def test_only_the_director_imports_people_with_privileged_roles(db, admin_id):
    """A workbook is another way to grant roles: an administrator who is not the director cannot
    import a 中心主任, 党委书记 or 系统管理员 (then bind that phone to their own account)."""
    def seed(session):
        return people.create_person(session, name="赵管理", phone="13700000009", roles={Role.admin}, now=NOW,
                                    telegram_id=1002).id

    admin_only = db.call(seed)
    data = xlsx({"人员": [
        ["刘建国", "13800138001", "中心领导"],
        ["吴主任", "13800138002", "中心主任"],
        ["陈书记", "13800138003", "党委书记"],
        ["李管理", "13800138004", "中心工作人员、系统管理员"],
    ]})
    before = counts(db)
    with pytest.raises(ImportRejected) as info:
        run_import(db, admin_only, data)
    assert [(e.sheet, e.row) for e in info.value.errors] == [("人员", 3), ("人员", 4), ("人员", 5)]
    assert all("中心主任" in e.message for e in info.value.errors)
    assert counts(db) == before
    assert run_import(db, admin_id, data).people == 4  # the director may
