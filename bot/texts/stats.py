"""统计分析 (/stats): the words of the figures, their formulas, the chat answer, the chart and the files."""

from bot.texts.markup import escape

# --- the figures: label of each count, and each rate with its formula -----------------------------
COUNT_LABELS = {
    "registered": "登记",
    "accepted": "受理",
    "mediating": "进入调处",
    "resolved": "办结",
    "resolved_with_due": "有期限的办结",
    "resolved_on_time": "按期办结",
    "mediated_closed": "调处结案",
    "mediated_success": "调解成功",
    "substantive": "实质性化解",
    "partial": "阶段性化解",
    "procedural": "程序性终结",
    "suspended": "中止",
    "rated": "有满意度记录",
    "satisfied": "满意及基本满意",
    "repeat_visits": "重复访",
    "first_inquiry": "首问告知",
    "confidential": "其中保密事项",
    "baoan_new": "新增包案",
    "baoan_closed": "包案办结",
    "baoan_on_time": "包案按期办结",
    "baoan_yellow": "包案黄灯在办",
    "baoan_red": "包案红灯（超期）在办",
    "sv_issued": "下达督办",
    "sv_normal": "督办·普通",
    "sv_yellow": "督办·黄牌",
    "sv_red": "督办·红牌",
    "sv_closed": "督办办结",
    "sv_on_time": "督办按期办结",
    # 排查 returns (issue 16): returns due in the period (by due day), filed by the end of the due day,
    # 零报告 among them, and the cases found by 排查 registered in the period
    "paicha_due": "排查应报",
    "paicha_on_time": "排查按期报送",
    "paicha_zero": "排查零报告",
    "paicha_items": "排查发现事项",
    # 交办, 上门受理, 会商, 请示, 已到场 (issue 16, bot/services/flow_counts.py)
    "jb_registered": "上级交办登记",
    "jb_reported": "交办报告报送",
    "jb_reported_on_time": "交办按时报送",
    "hv_requested": "上门受理申请",
    "hv_approved": "上门受理同意",
    "hv_refused": "上门受理不同意",
    "hv_done": "已上门受理",
    "consult_held": "会商",
    "instr_asked": "督办请示",
    "instr_answered": "请示已答复",
    "instr_extend": "请示·同意延期",
    "instr_close": "请示·同意结案",
    "instr_transfer": "请示·同意移送",
    "instr_refuse": "请示·不同意",
    "arrivals": "联系点领导到场",
}

# rate key → (name, formula as written in the footnote)
RATE_LABELS = {
    "acceptance": ("受理率", "受理率 = 受理数 ÷ 登记数 × 100%（本期登记的事项中已受理的）"),
    "mediation": ("调处率", "调处率 = 进入调处数 ÷ 受理数 × 100%（本期登记并受理的事项中已分派承办人或承办单位的）"),
    "mediation_success": ("调处成功率",
                          "调处成功率 = 调解成功数 ÷ 调处结案数 × 100%（本期办结、结果为调解成功/部分成功/未成功的事项）"),
    "resolution": ("化解率", "化解率 = 实质性化解数 ÷ 办结数 × 100%（只计实质性化解，即办结结果为调解成功）"),
    "on_time": ("按期办结率", "按期办结率 = 按期办结数 ÷ 有期限的办结数 × 100%（办结时间不晚于办理期限）"),
    "satisfaction": ("满意率", "满意率 = （满意＋基本满意）数 ÷ 有满意度记录数 × 100%"),
    "rated": ("参评率", "参评率 = 有满意度记录数 ÷ 办结数 × 100%"),
}

FOOT_PERIOD = ("登记、受理、调处、首问告知、重复访按本期登记的事项计；办结、化解、按期、满意度按本期办结的事项计；"
               "包案按本期批准计，督办按本期下达计（黄牌、红牌为督办的当前等级），包案黄灯、红灯为期末仍在办的。"
               "排查按截止日在本期的应报计（按期：截止日当天内报送），发现事项按本期登记的排查事项计。"
               "上级交办按本期登记计，报送按本期报送计（按时：不晚于交办时限）；上门受理按本期申请、审批、上门计；"
               "会商、请示、答复、到场按发生时间计；上门受理按申请所在村计（未注明村的只计入全镇），其余按事项所在村计。")
FOOT_REPEAT = "重复访：本期登记的事项中，同一当事人（姓名和电话都相同）或同一地点（同村同地址）在此前 90 天内已有登记的。"
FOOT_CONFIDENTIAL = "保密事项只计入数字，不列任何内容。"
FOOT_RATES = "百分比保留两位小数，分母为 0 时记「—」。环比对上一期，同比对上年同期，单位为百分点（率）或件（数）。"
FOOT_FROZEN = "{month}的数字已于 {at} 冻结；此后对旧事项的更正不改动已报数字，另以「更正」列出。"
FOOT_PARTIAL = "本期尚未结束，数字截至 {at}。"

GROUP_LABELS = {"by_type": "按类别", "by_village": "按村（社区）", "by_unit": "按承办单位", "by_source": "按来源"}
NO_VILLAGE = "未注明村（社区）"
NO_UNIT = "未分派单位"

SCOPE_TOWNSHIP = "全镇"
PERIOD_MONTH = "{year}年{month}月"
PERIOD_QUARTER = "{year}年第{quarter}季度"
PERIOD_YEAR = "{year}年"

PERIOD_CHOICES = {
    "this_month": "本月",
    "last_month": "上月",
    "this_quarter": "本季度",
    "last_quarter": "上季度",
    "this_year": "本年",
}

# --- the chat --------------------------------------------------------------------------------------
CHOOSE_PERIOD = "📊 统计分析（{scope}）：请选择统计期间。"
WORKING = "正在统计，请稍候…"
REFUSED = "统计分析仅供中心主任、党委书记、中心领导和工作联系点负责人查看。"
NO_VILLAGES = "您还没有工作联系点村（社区），暂无可统计的范围。如需查看，请联系中心主任设置联系点。"
EXPORT_BUTTON = "📥 导出表格"
DOCX_BUTTON = "📝 分析报告"
AGAIN_BUTTON = "🔁 换个期间"
CHART_CAPTION = "{title}（{scope}）"
XLSX_CAPTION = "{title}统计表（{scope}）。仅供内部使用，请勿转发。"
DOCX_CAPTION = "{title}矛盾纠纷分析报告（{scope}）。分析段落请主任修改后使用。"

SUMMARY = (
    "📊 <b>{title}统计（{scope}）</b>\n"
    "件数：登记 {registered}，受理 {accepted}，办结 {resolved}{secret}\n"
    "受理率 {acceptance}　调处率 {mediation}　调处成功率 {mediation_success}\n"
    "化解率 {resolution}　按期办结率 {on_time}\n"
    "满意率 {satisfaction}　参评率 {rated}\n"
    "重复访 {repeat_visits}　首问告知 {first_inquiry}\n"
    "包案：新增 {baoan_new}，办结 {baoan_closed}（按期 {baoan_on_time}），在办黄灯 {baoan_yellow}、红灯 {baoan_red}\n"
    "督办：下达 {sv_issued}（黄牌 {sv_yellow}、红牌 {sv_red}），办结 {sv_closed}（按期 {sv_on_time}）\n"
    "排查：应报 {paicha_due}，按期报送 {paicha_on_time}，零报告 {paicha_zero}，发现事项 {paicha_items}\n"
    "交办：登记 {jb_registered}，报送 {jb_reported}（按时 {jb_reported_on_time}）　会商 {consult_held}\n"
    "上门受理：申请 {hv_requested}，同意 {hv_approved}，不同意 {hv_refused}，已上门 {hv_done}\n"
    "请示：{instr_asked}，答复 {instr_answered}（延期 {instr_extend}、结案 {instr_close}、移送 {instr_transfer}、"
    "不同意 {instr_refuse}）　到场 {arrivals}\n"
    "{compare}{notes}"
    "公式见表格与分析报告的脚注。"
)
SUMMARY_CONFIDENTIAL = "（其中保密事项 {n} 件，只计数字）"
COMPARE = "环比：登记 {reg_mom}，办结 {res_mom}；同比：登记 {reg_yoy}，办结 {res_yoy}\n"
CORRECTION = "（更正 {delta}）"
CORRECTION_NOTE = "⚠️ 本月数字已冻结，括号内为此后对旧事项的更正。\n"
PARTIAL_NOTE = "本期尚未结束，数字截至 {at}。\n"
XLSX_NAME = "{title}统计表（{scope}）.xlsx"
DOCX_NAME = "{title}分析报告（{scope}）.docx"


_COMPARED = ("reg_mom", "res_mom", "reg_yoy", "res_yoy")


def summary(values: dict[str, str], *, title: str, scope: str, confidential: int, corrected: bool,
            partial_at: str | None) -> str:
    """The chat answer of /stats and the month pack's figures: numbers only, no case and no name."""
    notes = (CORRECTION_NOTE if corrected else "") + (PARTIAL_NOTE.format(at=partial_at) if partial_at else "")
    return SUMMARY.format(
        title=title, scope=escape(scope), notes=notes,
        secret=SUMMARY_CONFIDENTIAL.format(n=confidential) if confidential else "",
        compare=COMPARE.format(**{k: values[k] for k in _COMPARED}),
        **{k: v for k, v in values.items() if k not in _COMPARED},
    )

# --- the chart -------------------------------------------------------------------------------------
CHART_TITLE = "{title}矛盾纠纷统计（{scope}）"
CHART_BY_TYPE = "按类别（件）"
CHART_RATES = "主要指标（%）"
CHART_EMPTY = "本期无登记"

# --- the workbook ----------------------------------------------------------------------------------
XLSX_TITLE = "{title}矛盾纠纷排查化解统计表"
XLSX_UNIT = "填报单位：{center}（{scope}）"
XLSX_PERIOD = "统计期间：{start} 至 {end}"
XLSX_HEAD_COUNTS = ["序号", "项目", "本期", "更正", "上期", "环比", "上年同期", "同比"]
XLSX_HEAD_RATES = ["序号", "指标", "本期（%）", "分子", "分母", "上期（%）", "环比（百分点）", "同比（百分点）", "计算公式"]
XLSX_HEAD_GROUP = ["序号", "{what}", "件数", "占比（%）"]
XLSX_NOTES = "说明"
XLSX_FOOT = "制表人：　　　　　审核人：　　　　　签发人：　　　　　填报日期：{date}"
XLSX_SHEET_FIGURES = "统计"
CENTER_NAME = "镇综治中心"

# --- the analysis report ---------------------------------------------------------------------------
DOCX_TITLE = "{title}矛盾纠纷排查化解工作分析"
DOCX_SCOPE = "（{scope}）"
DOCX_OVERALL = "一、总体情况"
DOCX_BY_KIND = "二、分类情况"
DOCX_PROBLEMS = "三、问题分析"
DOCX_NEXT = "四、下一步工作"
DOCX_OVERALL_TEXT = (
    "{title}，{scope}共登记矛盾纠纷及各类事项 {registered} 件，受理 {accepted} 件，受理率 {acceptance}；"
    "办结 {resolved} 件，其中实质性化解 {substantive} 件，化解率 {resolution}；按期办结率 {on_time}；"
    "满意率 {satisfaction}，参评率 {rated}。重复访 {repeat_visits} 件，首问告知 {first_inquiry} 件。"
    "领导包案新增 {baoan_new} 件、办结 {baoan_closed} 件；下达督办 {sv_issued} 件（黄牌 {sv_yellow}、红牌 {sv_red}）。"
    "登记上级交办事项 {jb_registered} 件，报送办理情况报告 {jb_reported} 件（按时 {jb_reported_on_time} 件）；"
    "上门受理申请 {hv_requested} 件，同意 {hv_approved} 件、不同意 {hv_refused} 件，已上门 {hv_done} 件；"
    "组织会商 {consult_held} 次；督办请示 {instr_asked} 件，答复 {instr_answered} 件；联系点领导到场 {arrivals} 次。"
    "{compare}"
)
DOCX_COMPARE = "与上期相比，登记{reg_mom}、办结{res_mom}；与上年同期相比，登记{reg_yoy}、办结{res_yoy}。"
DOCX_BY_KIND_TEXT = "按类别，{types}。按来源，{sources}。"
DOCX_NONE = "无"
DOCX_PLACEHOLDER_PROBLEMS = "【请主任填写：本期矛盾纠纷的特点、成因，超期、重复访、不满意事项的原因分析。】"
DOCX_PLACEHOLDER_NEXT = "【请主任填写：下一步的工作措施、责任单位和完成时限。】"
DOCX_NOTES = "注："
DOCX_SIGN = "{center}"
