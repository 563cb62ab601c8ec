"""Synthetic department budget disclosures (部门预算公开) for scale benchmarks.

The output imitates the text extracted from a real 2022 disclosure
(``data/samples/000_60bd7a1a2874cc3a.txt``) line for line: markdown-ish headings,
the page header printed before every table page (``<code> <name>``, ``预算年度：``,
``单位：万元``), tab-separated two-row column headers, the ``栏次`` row of column
numbers, ``<b>`` on total rows, tables continued over pages by repeating the page
header and the column header, ``注：无...，空表列示。`` for empty tables, the narrative
and the project performance target tables (项目绩效目标表).

Every amount is a :class:`~decimal.Decimal` with two decimals (万元) and every
total adds up exactly: 类 = Σ 款 = Σ 项, 合计 row = Σ 类, 合计 = 基本支出 + 项目支出,
基本支出 = 人员经费 (301, 303) + 公用经费 (302), income total = expenditure total,
the 收支总表 类 amounts equal the functional tables' 类 rows, the 三公 合计 = Σ categories,
and the narrative repeats the tables' figures.

Codes come from the shipped SKOS code lists (``ontology/codelists/functional.ttl`` and
``economic.ttl``, read lazily with rdflib on first use) and, when those files are absent
or unreadable, from a small built-in list of real codes.

CLI::

    python -m bench.generate --departments 100 --years 2022,2023 --out /tmp/corpus \
        [--seed 0] [--indicators 3] [--jurisdiction 130500] [--clean]

writes ``<out>/<jurisdiction>_<dept code>_<year>.txt``.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import warnings
import zlib
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Iterable, Sequence

from budgetkg import names

__all__ = [
    "CodeLists",
    "DEFAULT_JURISDICTION",
    "TABLE_TITLES",
    "generate_corpus",
    "generate_disclosure",
    "load_codelists",
    "make_departments",
    "main",
]

REPO_ROOT = Path(__file__).resolve().parent.parent
CODELIST_DIR = REPO_ROOT / "ontology" / "codelists"
CL_BASE = names.CL
DEFAULT_JURISDICTION = "130500"

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

# The nine table headings of the 部门预算公开表, in printed order.
TABLE_TITLES = (
    "部门预算收支总表",
    "部门预算收入总表",
    "部门预算支出总表",
    "部门预算财政拨款收支总表",
    "部门预算一般公共预算财政拨款支出表",
    "部门预算一般公共预算财政拨款基本支出表",
    "部门预算政府基金预算财政拨款支出表",
    "部门预算国有资本经营预算财政拨款支出表",
    "部门预算财政拨款“三公”经费支出表",
)

# --------------------------------------------------------------------------------------
# Built-in code lists (fallback when ontology/codelists/*.ttl are not there).
# Only real codes of the 2022 政府收支分类科目 / 部门预算支出经济分类科目.
# --------------------------------------------------------------------------------------

_BUILTIN_FUNCTIONAL = {
    "201": "一般公共服务支出",
    "20101": "人大事务",
    "2010101": "行政运行", "2010102": "一般行政管理事务", "2010103": "机关服务",
    "2010104": "人大会议", "2010108": "代表工作", "2010150": "事业运行",
    "2010199": "其他人大事务支出",
    "20102": "政协事务",
    "2010201": "行政运行", "2010202": "一般行政管理事务", "2010203": "机关服务",
    "2010204": "政协会议", "2010205": "委员视察", "2010250": "事业运行",
    "2010299": "其他政协事务支出",
    "20103": "政府办公厅（室）及相关机构事务",
    "2010301": "行政运行", "2010302": "一般行政管理事务", "2010303": "机关服务",
    "2010308": "信访事务", "2010350": "事业运行",
    "2010399": "其他政府办公厅（室）及相关机构事务支出",
    "20104": "发展与改革事务",
    "2010401": "行政运行", "2010402": "一般行政管理事务", "2010403": "机关服务",
    "2010404": "战略规划与实施", "2010408": "物价管理", "2010450": "事业运行",
    "2010499": "其他发展与改革事务支出",
    "20105": "统计信息事务",
    "2010501": "行政运行", "2010502": "一般行政管理事务", "2010503": "机关服务",
    "2010505": "专项统计业务", "2010507": "专项普查活动", "2010508": "统计抽样调查",
    "2010550": "事业运行", "2010599": "其他统计信息事务支出",
    "20106": "财政事务",
    "2010601": "行政运行", "2010602": "一般行政管理事务", "2010603": "机关服务",
    "2010650": "事业运行", "2010699": "其他财政事务支出",
    "20108": "审计事务",
    "2010801": "行政运行", "2010802": "一般行政管理事务", "2010803": "机关服务",
    "2010804": "审计业务", "2010850": "事业运行", "2010899": "其他审计事务支出",
    "20138": "市场监督管理事务",
    "2013801": "行政运行", "2013802": "一般行政管理事务", "2013803": "机关服务",
    "2013804": "市场主体管理", "2013805": "市场秩序执法", "2013816": "食品安全监管",
    "2013850": "事业运行",
    "204": "公共安全支出",
    "20406": "司法",
    "2040601": "行政运行", "2040602": "一般行政管理事务", "2040603": "机关服务",
    "2040604": "基层司法业务", "2040605": "普法宣传", "2040650": "事业运行",
    "205": "教育支出",
    "20501": "教育管理事务",
    "2050101": "行政运行", "2050102": "一般行政管理事务", "2050103": "机关服务",
    "2050199": "其他教育管理事务支出",
    "20502": "普通教育",
    "2050201": "学前教育", "2050202": "小学教育", "2050203": "初中教育", "2050204": "高中教育",
    "206": "科学技术支出",
    "20601": "科学技术管理事务",
    "2060101": "行政运行", "2060102": "一般行政管理事务", "2060103": "机关服务",
    "2060199": "其他科学技术管理事务支出",
    "207": "文化旅游体育与传媒支出",
    "20701": "文化和旅游",
    "2070101": "行政运行", "2070102": "一般行政管理事务", "2070103": "机关服务",
    "2070108": "文化活动", "2070109": "群众文化",
    "208": "社会保障和就业支出",
    "20801": "人力资源和社会保障管理事务",
    "2080101": "行政运行", "2080102": "一般行政管理事务", "2080103": "机关服务",
    "2080105": "劳动保障监察", "2080106": "就业管理事务", "2080150": "事业运行",
    "20802": "民政管理事务",
    "2080201": "行政运行", "2080202": "一般行政管理事务", "2080203": "机关服务",
    "2080206": "社会组织管理", "2080207": "行政区划和地名管理",
    "20805": "行政事业单位养老支出",
    "2080501": "行政单位离退休", "2080502": "事业单位离退休",
    "2080505": "机关事业单位基本养老保险缴费支出",
    "2080506": "机关事业单位职业年金缴费支出",
    "2080599": "其他行政事业单位养老支出",
    "210": "卫生健康支出",
    "21001": "卫生健康管理事务",
    "2100101": "行政运行", "2100102": "一般行政管理事务", "2100103": "机关服务",
    "2100199": "其他卫生健康管理事务支出",
    "21004": "公共卫生",
    "2100401": "疾病预防控制机构", "2100402": "卫生监督机构", "2100403": "妇幼保健机构",
    "2100408": "基本公共卫生服务", "2100409": "重大公共卫生服务",
    "2100410": "突发公共卫生事件应急处理", "2100499": "其他公共卫生支出",
    "21011": "行政事业单位医疗",
    "2101101": "行政单位医疗", "2101102": "事业单位医疗", "2101103": "公务员医疗补助",
    "2101199": "其他行政事业单位医疗支出",
    "211": "节能环保支出",
    "21101": "环境保护管理事务",
    "2110101": "行政运行", "2110102": "一般行政管理事务", "2110103": "机关服务",
    "2110104": "生态环境保护宣传",
    "21103": "污染防治",
    "2110301": "大气", "2110302": "水体",
    "212": "城乡社区支出",
    "21201": "城乡社区管理事务",
    "2120101": "行政运行", "2120102": "一般行政管理事务", "2120103": "机关服务",
    "2120104": "城管执法",
    "21208": "国有土地使用权出让收入安排的支出",
    "2120801": "征地和拆迁补偿支出", "2120802": "土地开发支出", "2120803": "城市建设支出",
    "213": "农林水支出",
    "21301": "农业农村",
    "2130101": "行政运行", "2130102": "一般行政管理事务", "2130103": "机关服务",
    "2130106": "科技转化与推广服务", "2130108": "病虫害控制", "2130109": "农产品质量安全",
    "21303": "水利",
    "2130301": "行政运行", "2130302": "一般行政管理事务", "2130303": "机关服务",
    "2130304": "水利行业业务管理", "2130305": "水利工程建设", "2130306": "水利工程运行与维护",
    "2130314": "防汛",
    "214": "交通运输支出",
    "21401": "公路水路运输",
    "2140101": "行政运行", "2140102": "一般行政管理事务", "2140103": "机关服务",
    "2140104": "公路建设", "2140106": "公路养护",
    "215": "资源勘探工业信息等支出",
    "21505": "工业和信息产业监管",
    "2150501": "行政运行", "2150502": "一般行政管理事务", "2150503": "机关服务",
    "2150550": "事业运行",
    "21508": "支持中小企业发展和管理支出",
    "2150805": "中小企业发展专项", "2150899": "其他支持中小企业发展和管理支出",
    "216": "商业服务业等支出",
    "21602": "商业流通事务",
    "2160201": "行政运行", "2160202": "一般行政管理事务", "2160203": "机关服务",
    "2160217": "市场监测及信息管理", "2160250": "事业运行",
    "220": "自然资源海洋气象等支出",
    "22001": "自然资源事务",
    "2200101": "行政运行", "2200102": "一般行政管理事务", "2200103": "机关服务",
    "2200104": "自然资源规划及管理", "2200150": "事业运行",
    "221": "住房保障支出",
    "22102": "住房改革支出",
    "2210201": "住房公积金", "2210202": "提租补贴", "2210203": "购房补贴",
    "224": "灾害防治及应急管理支出",
    "22401": "应急管理事务",
    "2240101": "行政运行", "2240102": "一般行政管理事务", "2240103": "机关服务",
    "2240106": "安全监管", "2240150": "事业运行",
    "229": "其他支出",
    "22960": "彩票公益金安排的支出",
    "2296002": "用于社会福利的彩票公益金支出", "2296003": "用于体育事业的彩票公益金支出",
}

_BUILTIN_ECONOMIC = {
    "301": "工资福利支出",
    "30101": "基本工资", "30102": "津贴补贴", "30103": "奖金", "30106": "伙食补助费",
    "30107": "绩效工资", "30108": "机关事业单位基本养老保险缴费", "30109": "职业年金缴费",
    "30110": "职工基本医疗保险缴费", "30111": "公务员医疗补助缴费",
    "30112": "其他社会保障缴费", "30113": "住房公积金", "30114": "医疗费",
    "30199": "其他工资福利支出",
    "302": "商品和服务支出",
    "30201": "办公费", "30202": "印刷费", "30203": "咨询费", "30204": "手续费",
    "30205": "水费", "30206": "电费", "30207": "邮电费", "30208": "取暖费",
    "30209": "物业管理费", "30211": "差旅费", "30213": "维修（护）费", "30214": "租赁费",
    "30215": "会议费", "30216": "培训费", "30217": "公务接待费", "30218": "专用材料费",
    "30226": "劳务费", "30227": "委托业务费", "30228": "工会经费", "30229": "福利费",
    "30231": "公务用车运行维护费", "30239": "其他交通费用", "30240": "税金及附加费用",
    "30299": "其他商品和服务支出",
    "303": "对个人和家庭的补助",
    "30301": "离休费", "30302": "退休费", "30304": "抚恤金", "30305": "生活补助",
    "30307": "医疗费补助", "30309": "奖励金", "30399": "其他对个人和家庭的补助",
}

# The 31 expenditure rows printed in the 收支总表 / 财政拨款收支总表 template (2022).
_LEI_TEMPLATE: tuple[tuple[str | None, str], ...] = (
    ("201", "一般公共服务支出"), ("202", "外交支出"), ("203", "国防支出"),
    ("204", "公共安全支出"), ("205", "教育支出"), ("206", "科学技术支出"),
    ("207", "文化旅游体育与传媒支出"), ("208", "社会保障和就业支出"),
    ("209", "社会保险基金支出"), ("210", "卫生健康支出"), ("211", "节能环保支出"),
    ("212", "城乡社区支出"), ("213", "农林水支出"), ("214", "交通运输支出"),
    ("215", "资源勘探工业信息等支出"), ("216", "商业服务业等支出"), ("217", "金融支出"),
    ("219", "援助其他地区支出"), ("220", "自然资源海洋气象等支出"), ("221", "住房保障支出"),
    ("222", "粮油物资储备支出"), ("223", "国有资本经营预算支出"),
    ("224", "灾害防治及应急管理支出"), ("227", "预备费"), ("229", "其他支出"),
    ("230", "转移性支出"), ("231", "债务还本支出"), ("232", "债务付息支出"),
    ("233", "债务发行费用支出"), ("234", "抗疫特别国债安排的支出"), (None, "人行专用科目"),
)

# 款 whose 项 are financed by the 政府性基金预算.
_FUND_KUAN = ("21208", "22960")
# basic-expenditure 项 fed by economic codes (项 -> economic 款 whose amounts it carries).
_PENSION_XIANG = {
    "2080505": ("30108",),
    "2080506": ("30109",),
    "2101101": ("30110", "30111"),
    "2210201": ("30113",),
    "2080501": ("30301", "30302"),
}


class CodeLists:
    """Functional and economic codes (notation -> Chinese name) with their hierarchy."""

    def __init__(self, functional: dict[str, str], economic: dict[str, str], source: str):
        self.functional = functional
        self.economic = economic
        self.source = source
        self._kids: dict[str, list[str]] = {}
        for code in sorted(functional):
            if len(code) in (5, 7):
                self._kids.setdefault(code[:-2], []).append(code)
        self._ekids: dict[str, list[str]] = {}
        for code in sorted(economic):
            if len(code) == 5:
                self._ekids.setdefault(code[:3], []).append(code)
        # 类 template names follow the code list where it names the 类
        self.lei_template = tuple(
            (c, functional.get(c, n) if c else n) for c, n in _LEI_TEMPLATE
        )
        self._lei_in_template = {c for c, _ in _LEI_TEMPLATE if c}

    def xiang(self, kuan: str) -> list[str]:
        """The 项 under a 款 (only those whose 类 is printed in the 收支总表 template)."""
        if kuan[:3] not in self._lei_in_template or kuan[:3] not in self.functional:
            return []
        return list(self._kids.get(kuan, ()))

    def has_f(self, code: str) -> bool:
        return code in self.functional

    def fund_xiang(self) -> list[str]:
        """项 of the 政府性基金 款 the code list knows."""
        return [x for k in _FUND_KUAN for x in self.xiang(k)]

    def project_xiang(self) -> list[str]:
        """项 that may carry project expenditure of any department: not a 政府性基金 款,
        not one of the pension / medical / housing 项 fed by personnel costs, not a
        行政运行 / 事业运行 item."""
        out = []
        for kuan in sorted(k for k in self._kids if len(k) == 5):
            if kuan in _FUND_KUAN:
                continue
            for x in self.xiang(kuan):
                if x in _PENSION_XIANG or kuan in ("20805", "21011", "22102"):
                    continue
                if self.functional[x] in ("行政运行", "事业运行", "机构运行"):
                    continue
                out.append(x)
        return out

    def econ_kuan(self, lei: str) -> list[str]:
        return list(self._ekids.get(lei, ()))


_CODELISTS: dict[str, CodeLists] = {}


def _read_ttl(path: Path, scheme: str, lengths: tuple[int, ...]) -> dict[str, str]:
    import rdflib
    from rdflib.namespace import SKOS

    g = rdflib.Graph()
    g.parse(str(path), format="turtle")
    prefix = f"{CL_BASE}{scheme}/"
    subjects = list(g.subject_objects(SKOS.notation))
    if any(str(s).startswith(prefix) for s, _ in subjects):
        subjects = [(s, o) for s, o in subjects if str(s).startswith(prefix)]
    out: dict[str, str] = {}
    for s, notation in subjects:
        code = str(notation).strip()
        if not code.isdigit() or len(code) not in lengths:
            continue
        labels = sorted(
            str(lab).strip()
            for lab in g.objects(s, SKOS.prefLabel)
            if (getattr(lab, "language", None) or "").lower().startswith("zh")
        )
        if labels and labels[0]:
            out[code] = labels[0]
    return out


CODE_MODES = ("auto", "ttl", "builtin", "merged")


def load_codelists(directory: str | Path | None = None, mode: str = "auto") -> CodeLists:
    """The code lists, read once per directory and mode.

    ``auto`` (default): ``functional.ttl`` / ``economic.ttl`` in *directory* (default
    ``ontology/codelists``) when present and usable, each else the built-in list;
    ``ttl``: the same but an error when a file is missing or unusable; ``builtin``: the
    built-in lists only; ``merged``: built-in codes plus the files' codes, names from
    the files.
    """
    if mode not in CODE_MODES:
        raise ValueError(f"mode must be one of {CODE_MODES}")
    d = Path(directory) if directory is not None else CODELIST_DIR
    key = f"{d.resolve()}|{mode}"
    if key in _CODELISTS:
        return _CODELISTS[key]
    functional, economic, sources = None, None, []
    fpath, epath = d / "functional.ttl", d / "economic.ttl"
    if mode == "builtin":
        pass
    elif fpath.is_file():
        try:
            f = _read_ttl(fpath, "functional", (3, 5, 7))
            # usable: some 项 with both parents
            if any(len(c) == 7 and c[:5] in f and c[:3] in f for c in f):
                functional = f
        except Exception as exc:  # noqa: BLE001 - a half-written file must not stop benchmarks
            warnings.warn(f"bench.generate: cannot read {fpath}: {exc}; using built-in codes")
    if mode != "builtin" and epath.is_file():
        try:
            e = _read_ttl(epath, "economic", (3, 5))
            if all(k in e for k in ("301", "302")) and any(c[:3] == "301" and len(c) == 5 for c in e):
                economic = e
        except Exception as exc:  # noqa: BLE001
            warnings.warn(f"bench.generate: cannot read {epath}: {exc}; using built-in codes")
    if mode == "ttl" and (functional is None or economic is None):
        raise FileNotFoundError(f"no usable functional.ttl / economic.ttl in {d}")
    if mode == "merged":
        functional = {**_BUILTIN_FUNCTIONAL, **(functional or {})}
        economic = {**_BUILTIN_ECONOMIC, **(economic or {})}
        sources = ["merged", "merged"]
    else:
        sources.append("ttl" if functional is not None else "builtin")
        sources.append("ttl" if economic is not None else "builtin")
    cl = CodeLists(
        functional if functional is not None else dict(_BUILTIN_FUNCTIONAL),
        economic if economic is not None else dict(_BUILTIN_ECONOMIC),
        "functional:%s economic:%s" % tuple(sources),
    )
    _CODELISTS[key] = cl
    return cl


# --------------------------------------------------------------------------------------
# Department profiles
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    org: str  # e.g. 卫生健康委员会
    field: str  # e.g. 卫生健康
    kuan: str  # main 款 (its 行政运行 carries the basic expenditure)
    extra: tuple[str, ...] = ()  # further 款 for project expenditure
    fund: tuple[str, ...] = ()  # preferred fund 款
    kind: str = "行政"
    projects: tuple[str, ...] = ()


_GENERIC_PROJECTS = (
    "机关网络维护经费", "安全生产工作经费", "信息化建设运维经费", "档案数字化管理经费",
    "办公设备购置经费", "政务公开及宣传经费", "业务培训经费", "法律顾问服务经费",
    "机关党建工作经费", "老干部活动经费", "保密管理工作经费", "应急值守工作经费",
)

_PROFILES = (
    Profile("工业和信息化局", "工业和信息化", "21505", ("21508",), (), "行政",
            ("工业转型升级工作经费", "重点产业链专项工作经费", "亩均论英雄专项工作经费",
             "禁化武办公室工作经费", "民爆行业安全监管经费")),
    Profile("卫生健康委员会", "卫生健康", "21001", ("21004",), (), "行政",
            ("重大公共卫生服务项目经费", "疫情防控专项经费", "健康教育宣传经费",
             "卫生监督执法经费", "基层卫生人才培训经费")),
    Profile("发展和改革委员会", "发展和改革", "20104", (), (), "行政",
            ("价格监测工作经费", "重点项目谋划经费", "发展规划编制经费", "粮食安全考核经费")),
    Profile("统计局", "统计", "20105", (), (), "行政",
            ("专项统计调查经费", "经济普查工作经费", "统计抽样调查经费", "统计执法检查经费")),
    Profile("财政局", "财政", "20106", (), (), "行政",
            ("预算绩效评价经费", "财政信息化建设经费", "政府采购监管经费", "国库集中支付业务经费")),
    Profile("审计局", "审计", "20108", (), (), "行政",
            ("审计业务经费", "聘请中介机构审计经费", "审计信息化建设经费")),
    Profile("市场监督管理局", "市场监督管理", "20138", (), (), "行政",
            ("食品安全抽检经费", "市场主体登记管理经费", "市场秩序执法经费", "特种设备安全监察经费")),
    Profile("司法局", "司法行政", "20406", (), (), "行政",
            ("普法宣传经费", "基层司法业务经费", "人民调解工作经费", "社区矫正工作经费")),
    Profile("教育局", "教育", "20501", ("20502",), (), "行政",
            ("教师培训经费", "学前教育发展经费", "中小学校舍维修经费", "教育督导评估经费")),
    Profile("科学技术局", "科学技术", "20601", (), (), "行政",
            ("科技创新平台建设经费", "科技成果转化经费", "科技特派员工作经费")),
    Profile("文化广电和旅游局", "文化和旅游", "20701", (), ("22960",), "行政",
            ("群众文化活动经费", "文化遗产保护经费", "旅游宣传推介经费", "文化市场执法经费")),
    Profile("人力资源和社会保障局", "人力资源和社会保障", "20801", (), (), "行政",
            ("就业创业服务经费", "人才引进工作经费", "劳动保障监察经费", "职业技能培训经费")),
    Profile("民政局", "民政", "20802", (), ("22960",), "行政",
            ("社会组织管理经费", "地名普查管理经费", "养老服务体系建设经费", "殡葬改革工作经费")),
    Profile("生态环境局", "生态环境", "21101", ("21103",), (), "行政",
            ("大气污染防治经费", "环境监测经费", "水污染防治经费", "生态环境宣传经费")),
    Profile("住房和城乡建设局", "住房和城乡建设", "21201", (), ("21208",), "行政",
            ("城市建设管理经费", "建筑市场监管经费", "老旧小区改造工作经费", "城管执法经费")),
    Profile("农业农村局", "农业农村", "21301", (), (), "行政",
            ("农业技术推广经费", "动植物疫病防控经费", "农产品质量安全监管经费", "高标准农田建设经费")),
    Profile("水利局", "水利", "21303", (), (), "行政",
            ("河湖长制工作经费", "水利工程运行维护经费", "防汛抗旱工作经费", "水资源管理经费")),
    Profile("交通运输局", "交通运输", "21401", (), (), "行政",
            ("公路养护管理经费", "农村公路建设经费", "交通运输执法经费")),
    Profile("商务局", "商务", "21602", (), (), "行政",
            ("市场监测工作经费", "外贸发展促进经费", "电子商务发展经费")),
    Profile("自然资源和规划局", "自然资源和规划", "22001", (), ("21208",), "行政",
            ("国土空间规划编制经费", "不动产登记工作经费", "自然资源调查监测经费")),
    Profile("应急管理局", "应急管理", "22401", (), (), "行政",
            ("安全生产监管执法经费", "应急救援物资储备经费", "应急预案演练经费")),
    Profile("人大常委会办公室", "人大", "20101", (), (), "行政",
            ("人大会议经费", "代表履职工作经费", "立法调研经费")),
    Profile("政协办公室", "政协", "20102", (), (), "行政",
            ("政协会议经费", "委员视察调研经费", "文史资料编纂经费")),
    Profile("政府办公室", "政务服务", "20103", (), (), "行政",
            ("信访工作经费", "政务服务热线运行经费", "机关事务管理经费")),
)


def _profiles_for(cl: CodeLists) -> list[Profile]:
    ok = [p for p in _PROFILES if cl.xiang(p.kuan)]
    if not ok:  # the code list knows none of our 款: fall back to any 款 it has
        kuans = sorted(k for k in cl._kids if len(k) == 5 and cl.xiang(k) and k[:3] != "229")
        ok = [Profile(f"第{i + 1}事务局", cl.functional[k], k) for i, k in enumerate(kuans[:20])]
    return ok


def _profile_for(dept_code: str, dept_name: str, cl: CodeLists) -> Profile:
    profiles = _profiles_for(cl)
    matches = [p for p in profiles if dept_name.endswith(p.org)]
    if matches:
        return max(matches, key=lambda p: len(p.org))
    return profiles[zlib.crc32(f"{dept_code}:{dept_name}".encode()) % len(profiles)]


def make_departments(n: int, seed: int | str = 0, codelists: CodeLists | None = None) -> list[tuple[str, str]]:
    """*n* synthetic departments ``(code, name)``; codes are distinct 3-digit strings."""
    if not 0 < n <= 900:
        raise ValueError("departments must be between 1 and 900 (3-digit codes)")
    cl = codelists or load_codelists()
    rng = random.Random(f"bkg-departments:{seed}")
    profiles = _profiles_for(cl)
    codes = rng.sample(range(100, 1000), n)
    out = []
    for i, code in enumerate(codes, start=1):
        p = profiles[rng.randrange(len(profiles))]
        out.append((str(code), f"某市第{i}{p.org}"))
    return out


# --------------------------------------------------------------------------------------
# Amount helpers
# --------------------------------------------------------------------------------------


def _cents(x: object) -> int:
    return int((Decimal(str(x)) * 100).to_integral_value(rounding=ROUND_HALF_UP))


def _amt(rng: random.Random, lo: object, hi: object) -> Decimal:
    """A random amount in [lo, hi] 万元 with two decimals, drawn as integer cents
    (bounds: int, str, Decimal or a float literal such as 0.5; no amount is a float)."""
    return Decimal(rng.randint(_cents(lo), _cents(hi))).scaleb(-2).quantize(CENT)


def _pct(d: Decimal, pct: str) -> Decimal:
    return (d * Decimal(pct)).quantize(CENT, rounding=ROUND_HALF_UP)


def _f(d: Decimal) -> str:
    """Table cell: two decimals, blank for zero."""
    return "" if not d else f"{d:.2f}"


def _b(s: str) -> str:
    return f"<b>{s}</b>" if s else ""


def _n(d: Decimal) -> str:
    """Narrative amount: trailing zeros dropped (585, 0.5, 1476.29)."""
    s = f"{d:.2f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s or "0"


_CN = "零一二三四五六七八九"


def _cn(n: int) -> str:
    if n < 10:
        return _CN[n]
    if n < 20:
        return "十" + (_CN[n % 10] if n % 10 else "")
    return _CN[n // 10] + "十" + (_CN[n % 10] if n % 10 else "")


# --------------------------------------------------------------------------------------
# The budget model of one department and year
# --------------------------------------------------------------------------------------

SOURCES = ("gpb", "gf", "shiye", "other")  # 一般公共预算, 政府性基金, 事业收入, 其他收入


@dataclass
class _Line:
    basic: dict[str, Decimal] = field(default_factory=lambda: {s: ZERO for s in SOURCES})
    project: dict[str, Decimal] = field(default_factory=lambda: {s: ZERO for s in SOURCES})

    def total(self, sources: Iterable[str] = SOURCES) -> Decimal:
        return sum((self.basic[s] + self.project[s] for s in sources), ZERO)


@dataclass
class _Project:
    name: str
    xiang: str
    amount: Decimal = ZERO


@dataclass
class _Budget:
    lines: dict[str, _Line]  # 项 code -> amounts
    econ: dict[str, Decimal]  # economic 款 -> gpb basic amount
    projects: list[_Project]
    three: dict[str, Decimal]
    vehicles: int
    staff: int
    retirees: int


def _structure(profile: Profile, cl: CodeLists, srng: random.Random, n_projects: int):
    """What is stable over the years: project names and 项, staff size, cost items."""
    main_x = cl.xiang(profile.kuan)
    admin = next((c for c in main_x if c.endswith("01")), main_x[0])
    project_pool = [c for c in main_x if c != admin and cl.functional[c] != "事业运行"]
    for k in profile.extra:
        project_pool += [c for c in cl.xiang(k)]
    if not project_pool:
        project_pool = [admin]
    names = list(profile.projects)
    srng.shuffle(names)
    generic = list(_GENERIC_PROJECTS)
    srng.shuffle(generic)
    names += generic
    while len(names) < n_projects:
        names.append(f"{profile.field}专项工作经费{len(names) + 1}")
    # a few 项 of other 款 (as the sample's 工信局 pays a 2100409 重大公共卫生服务 project)
    foreign = [x for x in cl.project_xiang() if x[:5] != profile.kuan and x[:5] not in profile.extra]
    foreign = srng.sample(foreign, min(len(foreign), srng.randint(1, 4)))
    gen = next((c for c in main_x if c.endswith("02")), None)
    projects = []
    for i, name in enumerate(names[:n_projects]):
        r = srng.random()
        if i < len(profile.projects) and project_pool:
            x = srng.choice(project_pool)
        elif foreign and r < 0.35:
            x = srng.choice(foreign)
        else:  # generic projects sit on 一般行政管理事务 or, now and then, 行政运行
            x = admin if (gen is None or r > 0.85) else gen
        projects.append((name, x))
    # 302 items besides the ones derived below; no 30212 因公出国（境）费用 (三公 comes from it)
    public = ["30201"] + [
        c for c in cl.econ_kuan("302")
        if c not in ("30201", "30212", "30217", "30231", "30228", "30299") and srng.random() < 0.45
    ]
    return {
        "admin": admin,
        "projects": projects,
        "staff": srng.randint(8, 140),
        "vehicles": srng.choice((0, 0, 1, 2, 3, 4, 6)),
        "public": public,
        "union": srng.random() < 0.8,
        "reception": srng.random() < 0.8,
        "shiye_pool": [c for c in main_x if cl.functional[c] == "事业运行"] or project_pool,
    }


def _build_budget(profile: Profile, cl: CodeLists, rng: random.Random, srng: random.Random,
                  n_projects: int) -> _Budget:
    st = _structure(profile, cl, srng, n_projects)
    E = cl.economic
    econ: dict[str, Decimal] = {}

    def put(code: str, amount: Decimal) -> None:
        if code in E and amount > 0:
            econ[code] = econ.get(code, ZERO) + amount

    staff = max(3, st["staff"] + rng.randint(-3, 3))
    retirees = rng.randint(0, staff // 2)
    # 301 工资福利支出
    wage = ZERO
    for code, lo, hi, p in (("30101", "2.6", "4.4", 1), ("30102", "2.0", "4.6", 1),
                            ("30103", "0.2", "0.7", 0.8), ("30107", "0.3", "2.2", 0.7)):
        if rng.random() < p and code in E:
            a = _amt(rng, Decimal(lo) * staff, Decimal(hi) * staff)
            put(code, a)
            wage += a
    put("30106", _amt(rng, Decimal("0.1") * staff, Decimal("0.3") * staff) if rng.random() < 0.2 else ZERO)
    put("30108", _pct(wage, "0.16"))
    put("30109", _pct(wage, "0.08") if rng.random() < 0.6 else ZERO)
    put("30110", _pct(wage, "0.075"))
    put("30111", _pct(wage, "0.03") if rng.random() < 0.3 else ZERO)
    put("30112", _amt(rng, Decimal("0.05") * staff, Decimal("0.9") * staff) if rng.random() < 0.7 else ZERO)
    put("30113", _pct(wage, "0.12"))
    put("30199", _amt(rng, 0.5, Decimal("0.3") * staff) if rng.random() < 0.2 else ZERO)
    # 303 对个人和家庭的补助
    if retirees:
        put("30301", _amt(rng, 5, 20) if rng.random() < 0.2 else ZERO)
        put("30302", _amt(rng, Decimal("3.0") * retirees, Decimal("6.5") * retirees))
    put("30305", _amt(rng, 0.5, 5) if rng.random() < 0.3 else ZERO)
    put("30307", _amt(rng, 0.5, 8) if rng.random() < 0.2 else ZERO)
    put("30399", _amt(rng, 1, Decimal("0.9") * staff + 2) if rng.random() < 0.4 else ZERO)
    # 302 商品和服务支出
    put("30201", _amt(rng, Decimal("0.3") * staff, Decimal("1.0") * staff))
    for code in st["public"][1:]:
        put(code, _amt(rng, 0.3, Decimal("0.25") * staff + 2))
    put("30217", _amt(rng, 0.2, 3) if st["reception"] else ZERO)
    put("30228", _pct(wage, "0.02") if st["union"] else ZERO)
    cars = st["vehicles"]
    put("30231", _amt(rng, Decimal("1.5") * cars, Decimal("3.0") * cars) if cars else ZERO)
    put("30299", _amt(rng, 0.5, Decimal("0.3") * staff + 1) if rng.random() < 0.5 else ZERO)
    if not any(c.startswith("302") for c in econ):  # a code list without our 302 codes
        put(cl.econ_kuan("302")[0], _amt(rng, 1, 10))
    econ = {c: econ[c] for c in sorted(econ)}

    # functional lines
    lines: dict[str, _Line] = {}

    def line(x: str) -> _Line:
        return lines.setdefault(x, _Line())

    admin_basic = sum(econ.values(), ZERO)
    for x, ecodes in _PENSION_XIANG.items():
        if cl.has_f(x) and x[:5] in cl.functional and x in cl.xiang(x[:5]):
            a = sum((econ.get(c, ZERO) for c in ecodes), ZERO)
            if a:
                line(x).basic["gpb"] += a
                admin_basic -= a
    line(st["admin"]).basic["gpb"] += admin_basic

    projects = []
    for name, x in st["projects"]:
        a = _amt(rng, 3, 60) if rng.random() < 0.5 else _amt(rng, 20, 600)
        if rng.random() < 0.05:
            a = _amt(rng, 600, 3000)
        line(x).project["gpb"] += a
        projects.append(_Project(name, x, a))

    # 政府性基金 (now and then), 事业收入 / 其他收入 (now and then): project only
    if rng.random() < 0.3:
        fund_x = [x for k in profile.fund for x in cl.xiang(k)] or cl.fund_xiang()
        if not fund_x:  # the code list has no 政府性基金 款: any project 项 stands in
            fund_x = cl.project_xiang() or [st["admin"]]
        for x in rng.sample(fund_x, min(len(fund_x), rng.randint(1, 3))):
            line(x).project["gf"] += _amt(rng, 10, 2500)
    if rng.random() < 0.2:
        line(rng.choice(st["shiye_pool"])).project["shiye"] += _amt(rng, 5, 300)
    if rng.random() < 0.1:
        line(rng.choice([p.xiang for p in projects] or [st["admin"]])).project["other"] += _amt(rng, 1, 80)

    # 三公 (一般公共预算财政拨款)
    reception = econ.get("30217", ZERO)
    if reception and rng.random() < 0.5:
        reception += _amt(rng, 0.5, 3)
    three = {
        "abroad_edu": ZERO,
        "abroad_other": _amt(rng, 1, 12) if rng.random() < 0.1 else ZERO,
        "car_buy": _amt(rng, 12, 30) if (st["vehicles"] and rng.random() < 0.08) else ZERO,
        "car_run": econ.get("30231", ZERO),
        "reception": reception,
    }
    lines = {x: lines[x] for x in sorted(lines)}
    return _Budget(lines, econ, projects, three, st["vehicles"], staff, retirees)


def _rollup(lines: dict[str, _Line], amounts) -> list[tuple[str, list[Decimal]]]:
    """(code, amounts) for every 类, 款 and 项 with a nonzero amount, in printed order.

    *amounts* maps a line to a list of Decimals; parents are exact sums of children.
    """
    leaf = {x: amounts(l) for x, l in lines.items()}
    leaf = {x: v for x, v in leaf.items() if any(v)}
    width = len(next(iter(leaf.values()))) if leaf else 0
    sums: dict[str, list[Decimal]] = {}
    for x, v in leaf.items():
        for parent in (x[:3], x[:5]):
            acc = sums.setdefault(parent, [ZERO] * width)
            for i, a in enumerate(v):
                acc[i] += a
    sums.update(leaf)
    return [(c, sums[c]) for c in sorted(sums)]


# --------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------


class _Writer:
    def __init__(self, code: str, name: str, year: int, rng: random.Random, noise: bool):
        self.code, self.name, self.year = code, name, year
        self.rng, self.noise = rng, noise
        self.lines: list[str] = []
        self.page = 3  # the table of contents takes pages 1-2
        self.toc: dict[str, int] = {}
        self._chars = 0

    # -- narrative ---------------------------------------------------------------
    def heading(self, level: int, text: str) -> None:
        self.lines += ["#" * level + " " + text, ""]

    def para(self, text: str) -> None:
        self.lines += [text, ""]
        self._chars += len(text)
        while self._chars > 900:
            self._chars -= 900
            self.page += 1

    def new_page(self) -> None:
        self._chars = 0
        self.page += 1

    def _gap(self) -> None:
        self.lines.append("")
        if self.noise and self.rng.random() < 0.2:
            self.lines += ["", ""]

    # -- tables ------------------------------------------------------------------
    def page_header(self, unit: bool = True, year: bool = True) -> None:
        self.lines += [f"{self.code} {self.name}", ""]
        if year:
            self.lines += [f"预算年度：{self.year}", ""]
        if unit:
            self.lines += ["单位：万元", ""]

    def colnum(self, n: int) -> str:
        label = "档次" if (self.noise and self.rng.random() < 0.1) else "栏次"
        return "\t".join([label] + [str(i) for i in range(1, n + 1)])

    def table(self, title: str, header: list[str], ncols: int, rows: list[str],
              header_cont: list[str] | None = None, note: str | None = None) -> None:
        self.heading(2, title)
        self.toc[title] = self.page
        start = 0
        first = True
        while first or start < len(rows):
            if not first:
                self._gap()
            size = self.rng.randint(13, 18)
            self.page_header()
            self.lines += header if first or header_cont is None else header_cont
            self.lines.append(self.colnum(ncols))
            self.lines += rows[start:start + size]
            start += size
            first = False
            self.page += 1
        if note:
            self.lines += ["", note]
        self.lines.append("")

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def _row(i: int, cells: Sequence[str]) -> str:
    return "\t".join([str(i), *cells])


def _functional_rows(cl: CodeLists, rolled, total: list[Decimal], wrap: bool = False,
                     rng: random.Random | None = None) -> list[str]:
    rows = [_row(1, ["", _b("合计"), *(_b(_f(a)) for a in total)])]
    for i, (code, vals) in enumerate(rolled, start=2):
        name = cl.functional.get(code, code)
        if wrap and rng is not None and len(name) >= 7 and rng.random() < 0.25:
            k = rng.randint(4, len(name) - 1)  # a line wrap inside the PDF cell
            name = name[:k] + " " + name[k:]
        rows.append(_row(i, [code, name, *(_f(a) for a in vals)]))
    return rows


def _sum_cols(rolled) -> list[Decimal]:
    width = len(rolled[0][1]) if rolled else 0
    tot = [ZERO] * width
    for code, vals in rolled:
        if len(code) == 3:
            for i, a in enumerate(vals):
                tot[i] += a
    return tot


_INCOME_ITEMS = ("一般公共预算拨款收入", "政府性基金预算拨款收入", "国有资本经营预算拨款收入",
                 "财政专户管理资金收入", "事业收入", "事业单位经营收入", "上级补助收入",
                 "附属单位上缴收入", "其他收入")


def _render_tables(w: _Writer, cl: CodeLists, bud: _Budget) -> dict[str, Decimal]:
    rng, noise = w.rng, w.noise
    L = bud.lines
    lei_all = {c: v[0] for c, v in _rollup(L, lambda l: [l.total()]) if len(c) == 3}
    lei_gpb = {c: v[0] for c, v in _rollup(L, lambda l: [l.total(("gpb",))]) if len(c) == 3}
    lei_gf = {c: v[0] for c, v in _rollup(L, lambda l: [l.total(("gf",))]) if len(c) == 3}
    by_src = {s: sum((l.total((s,)) for l in L.values()), ZERO) for s in SOURCES}
    total = sum(by_src.values(), ZERO)
    fiscal = by_src["gpb"] + by_src["gf"]
    basic = sum((l.basic[s] for l in L.values() for s in SOURCES), ZERO)
    project = total - basic
    template = cl.lei_template
    sp = " " if noise else ""

    # 1 收支总表
    income = [by_src["gpb"], by_src["gf"], ZERO, ZERO, by_src["shiye"], ZERO, ZERO, ZERO, by_src["other"]]
    rows = []
    for i, (code, lname) in enumerate(template, start=1):
        left = ["", ""] if i > len(income) else [f"{_cn(i)}、{_INCOME_ITEMS[i - 1]}", _f(income[i - 1])]
        rows.append(_row(i, [*left, f"{_cn(i)}、{lname}", _f(lei_all.get(code, ZERO))]))
    n = len(template)
    rows += [
        _row(n + 1, [_b("本年收入合计"), _b(_f(total)), _b("本年支出合计"), _b(_f(total))]),
        _row(n + 2, ["上年结转结余", "", "年终结转结余", ""]),
        _row(n + 3, [_b("收入总计"), _b(_f(total)), _b("支出总计"), _b(_f(total))]),
    ]
    w.table(TABLE_TITLES[0], ["序号\t收入\t\t支出\t", f"\t项{sp}目\t预算数\t项{sp}目\t预算数"], 4, rows,
            header_cont=["序号\t收入\t\t支出\t", "\t项目\t预算数\t项目\t预算数"])

    # 2 收入总表
    rolled = _rollup(L, lambda l: [l.total(), l.total(), l.total(("gpb", "gf")), ZERO,
                                   l.total(("shiye",)), ZERO, ZERO, ZERO, l.total(("other",)), ZERO])
    head = ["序号\t功能分类科目\t\t合计\t本年收入\t\t\t\t\t\t\t\t上年结转",
            "\t科目编码\t科目名称\t\t小计\t财政拨款收入\t财政专户收入\t事业收入\t经营收入\t上级补助收入"
            "\t附属单位上缴收入\t其他收入\t"]
    w.table(TABLE_TITLES[1], head, 12, _functional_rows(cl, rolled, _sum_cols(rolled)))

    # 3 支出总表
    rolled = _rollup(L, lambda l: [l.total(), sum(l.basic.values(), ZERO), sum(l.project.values(), ZERO),
                                   ZERO, ZERO, ZERO])
    code_h = "科目 编码" if (noise and rng.random() < 0.5) else "科目编码"
    head = ["序号\t功能分类科目\t\t合计\t基本支出\t项目支出\t经营支出\t上解上级支出\t对附属单位补助支出",
            f"\t{code_h}\t科目名称\t\t\t\t\t\t"]
    w.table(TABLE_TITLES[2], head, 8, _functional_rows(cl, rolled, _sum_cols(rolled)))

    # 4 财政拨款收支总表
    fin_income = [by_src["gpb"], by_src["gf"], ZERO]
    fin_items = ("一般公共预算拨款", "政府性基金预算拨款", "国有资本经营预算拨款")
    rows = []
    for i, (code, lname) in enumerate(template, start=1):
        left = ["", ""] if i > 3 else [f"{_cn(i)}、{fin_items[i - 1]}", _f(fin_income[i - 1])]
        g, f_ = lei_gpb.get(code, ZERO), lei_gf.get(code, ZERO)
        rows.append(_row(i, [*left, f"{_cn(i)}、{lname}", _f(g + f_), _f(g), _f(f_), ""]))
    tot = [_b(_f(fiscal)), _b(_f(by_src["gpb"])), _b(_f(by_src["gf"])), ""]
    rows += [
        _row(n + 1, [_b("本年收入合计"), _b(_f(fiscal)), _b("本年支出合计"), *tot]),
        _row(n + 2, ["年初财政拨款结转和结余", "", "年末财政拨款结转和结余", "", "", "", ""]),
        _row(n + 3, ["一、一般公共预算拨款", "", "", "", "", "", ""]),
        _row(n + 4, ["二、政府性基金预算拨款", "", "", "", "", "", ""]),
        _row(n + 5, ["三、国有资本经营预算拨款", "", "", "", "", "", ""]),
        _row(n + 6, [_b("收入总计"), _b(_f(fiscal)), _b("支出总计"), *tot]),
    ]
    head = ["序号\t收入\t\t支出\t\t\t\t",
            "\t项目\t金额\t项目\t合计\t一般公共预算财政拨款\t政府性基金预算财政拨款\t国有资本经营预算财政拨款"]
    w.table(TABLE_TITLES[3], head, 7, rows)

    # 5 一般公共预算财政拨款支出表
    func_head = ["序号\t功能分类科目\t\t合计\t基本支出\t项目支出", "\t科目编码\t科目名称\t\t\t"]
    rolled = _rollup(L, lambda l: [l.total(("gpb",)), l.basic["gpb"], l.project["gpb"]])
    w.table(TABLE_TITLES[4], func_head, 5,
            _functional_rows(cl, rolled, _sum_cols(rolled), wrap=noise, rng=rng))

    # 6 一般公共预算财政拨款基本支出表
    E = cl.economic
    personnel = sum((a for c, a in bud.econ.items() if c[:3] != "302"), ZERO)
    public = sum((a for c, a in bud.econ.items() if c[:3] == "302"), ZERO)
    rows = [_row(1, ["", _b("合计"), _b(_f(personnel + public)), _b(_f(personnel)), _b(_f(public))])]
    for lei in sorted({c[:3] for c in bud.econ}):
        items = [(c, a) for c, a in bud.econ.items() if c[:3] == lei]
        s = sum((a for _, a in items), ZERO)
        pub = lei == "302"
        for c, a in [(lei, s), *items]:
            rows.append(_row(len(rows) + 1, [c, E.get(c, c), _f(a), "" if pub else _f(a), _f(a) if pub else ""]))
    head = ["序号\t支出部门经济分类科目\t\t一般公共预算基本支出\t\t", "\t科目编码\t科目名称\t合计\t人员经费\t公用经费"]
    w.table(TABLE_TITLES[5], head, 5, rows)

    # 7 政府基金预算财政拨款支出表, 8 国有资本经营预算财政拨款支出表
    rolled = _rollup(L, lambda l: [l.total(("gf",)), l.basic["gf"], l.project["gf"]])
    if rolled:
        w.table(TABLE_TITLES[6], func_head, 5, _functional_rows(cl, rolled, _sum_cols(rolled)))
    else:
        w.table(TABLE_TITLES[6], func_head, 5, [], note="注：无政府基金预算财政拨款预算，空表列示。")
    w.table(TABLE_TITLES[7], func_head, 5, [], note="注：无国有资本经营预算财政拨款预算，空表列示。")

    # 9 三公
    t = bud.three
    abroad = t["abroad_edu"] + t["abroad_other"]
    car = t["car_buy"] + t["car_run"]
    three_total = abroad + car + t["reception"]

    def tf(d: Decimal, bold: bool = False) -> str:
        s = _f(d)
        if noise and d and d == d.to_integral_value() and rng.random() < 0.5:
            s = str(int(d))  # the sample prints an integral 合计 as "8"
        return _b(s) if bold else s

    tot_s, sub_s = tf(three_total, True), tf(three_total)
    rows = [
        _row(1, [_b("合计"), tot_s, tot_s, "", ""]),
        _row(2, ["“三公”经费小计", sub_s, sub_s, "", ""]),
        _row(3, ["一、因公出国（境）费", _f(abroad), _f(abroad), "", ""]),
        _row(4, ["其中：教学科研人员因公出国（境）费", _f(t["abroad_edu"]), _f(t["abroad_edu"]), "", ""]),
        _row(5, ["其他因公出国（境）费", _f(t["abroad_other"]), _f(t["abroad_other"]), "", ""]),
        _row(6, ["二、公务用车购置及运维费", _f(car), _f(car), "", ""]),
        _row(7, ["其中：公务用车购置费", _f(t["car_buy"]), _f(t["car_buy"]), "", ""]),
        _row(8, ["公务用车运行维护费", _f(t["car_run"]), _f(t["car_run"]), "", ""]),
        _row(9, ["三、公务接待费", _f(t["reception"]), _f(t["reception"]), "", ""]),
    ]
    head = [f"序号\t项{sp}目\t资{sp}金{sp}性{sp}质\t\t\t",
            f"\t\t合{sp}计\t一般公共预算{sp}财政拨款\t政府性基金{sp}预算拨款\t国有资本经营{sp}预算财政拨款"]
    w.table(TABLE_TITLES[8], head, 5, rows)

    return {
        "total": total, "basic": basic, "project": project, "gpb": by_src["gpb"], "gf": by_src["gf"],
        "unit_funds": by_src["shiye"] + by_src["other"], "personnel": personnel, "public": public,
        "three": three_total, "abroad": abroad, "car": car, "reception": t["reception"],
    }


# --------------------------------------------------------------------------------------
# Performance target tables (项目绩效目标表)
# --------------------------------------------------------------------------------------

_PERF_HEADER = "一级指标\t二级指标\t三级指标\t绩效指标描述\t指标值\t指标值确定依据"
_NA = ("不涉及", "不涉及", "不涉及")


def _val(rng: random.Random, noise: bool, op: str, num: object, unit: str) -> str:
    sep = "" if (noise and rng.random() < 0.3) else " "
    return f"{op}{num}{sep}{unit}"


def _indicator(l2: str, rng: random.Random, noise: bool, ctx: dict) -> tuple[str, str, str]:
    y, fld = ctx["year"], ctx["field"]
    r = rng.random
    v = lambda op, num, unit: _val(rng, noise, op, num, unit)  # noqa: E731
    if l2 == "数量指标":
        k = rng.randrange(4)
        if k == 0:
            act = rng.choice(("监督检查", "专项培训", "宣传活动", "专家评审", "调研督导", "业务培训", "集中检查"))
            return f"开展{act}次数", f"{y} 年开展{act}次数", v("≥", rng.choice((2, 3, 4, 6, 10, 12)), "次")
        obj, unit = rng.choice((("服务企业", "家"), ("培训人员", "人次"), ("宣传资料", "份"),
                                ("检查单位", "家"), ("政务信息公开", "条"), ("采购设备", "台"),
                                ("调研报告", "篇"), ("实施项目", "个")))
        return f"{obj}数量", f"{y} 年完成{obj}数量", v("≥", rng.randint(2, 500), unit)
    if l2 == "质量指标":
        task = rng.choice(("检查", "项目验收", "培训考核", "数据上报", "设备运行", "信息发布"))
        if r() < 0.5:
            return f"{task}合格率", f"{task}符合相关标准和要求", v("", 100, "%") if r() < 0.5 else v("≥", 95, "%")
        return f"{task}完成率", f"年度{task}任务完成情况", v("≥", rng.choice((90, 95, 98, 100)), "%")
    if l2 == "时效指标":
        k = rng.randrange(4)
        if k == 0:
            return "资金拨付及时率", "资金支出拨付及时率", v("≥", 95, "%")
        if k == 1:
            return "工作完成时限", "各项任务指标完成时限", f"{y} 年底"
        if k == 2:
            m = rng.randint(3, 11)
            return "完成时间", f"在 {y} 年 {m} 月底前完成", f"{m} 月底前"
        return "工作年底完成率", f"{y} 年底年度工作完成率", v("", 100, "%")
    if l2 == "成本指标":
        k = rng.randrange(5)
        if k == 0:
            return "项目成本", "完成工作所需资金", v("≤", _n(ctx["amount"]), "万元")
        if k == 1:
            return "差旅费人均成本", "工作活动产生的差旅费按照每人每天不超过180 元", v("≤", 180, "人/天")
        if k == 2:
            return "专家评审人均成本", "根据评审需要聘请专家，按照财政部门确定的标准发放", v("≤", 1500, "人/天")
        if k == 3:
            return "宣传资料单位平均成本", "宣传手册、宣传单、条幅等", v("≤", rng.choice((10, 18, 25)), "元/份")
        return "运行维护成本", "每月支付运行维护费用", v("≤", rng.choice((2000, 5000, 8000)), "元/月")
    if l2 == "经济效益指标":
        if r() < 0.35:
            return _NA
        if r() < 0.5:
            return f"{fld}相关产业增长率", f"{fld}相关产业较上年增长情况", v("≥", rng.choice((3, 5, 8)), "%")
        return "节约行政成本", "通过规范管理节约行政成本", "好于去年"
    if l2 == "社会效益指标":
        k = rng.randrange(3)
        if k == 0:
            return f"{fld}工作水平", f"提升全市{fld}工作水平", "好于去年"
        if k == 1:
            return "社会公众知晓率", "相关政策社会公众知晓率", v("≥", rng.choice((80, 85, 90)), "%")
        return "安全事故发生次数", "全年安全事故发生次数", v("", 0, "起")
    if l2 == "生态效益指标":
        if r() < 0.55:
            return _NA
        if r() < 0.5:
            return "绿色低碳", "单位能耗、用水量", "进一步降低"
        return "节能降耗", "办公能耗较上年下降", "好于去年"
    if l2 == "可持续影响指标":
        k = rng.randrange(4)
        if k == 0:
            return _NA
        if k == 1:
            return "长效工作机制", "建立健全长效工作机制", "长期"
        if k == 2:
            return "设备保修期", "设备保修期限", v("≥", 1, "年")
        return f"{fld}持续发展", f"促进{fld}事业持续健康发展", "好于去年"
    # 服务对象满意度指标
    who = rng.choice(("服务对象", "受益对象", "受益群众", "企业"))
    return f"{who}满意度", f"{who}满意度", v("≥", rng.choice((85, 90, 95)), "%")


def _basis(rng: random.Random, ctx: dict) -> str:
    y, fld, org = ctx["year"], ctx["field"], ctx["name"]
    return rng.choice((
        f"《某市人民政府关于加快推进{fld}高质量发展的实施意见》",
        f"《中共某市委 {y} 年工作要点》",
        f"《{org}{y}年度工作计划》",
        f"《关于做好{y}年{fld}工作的通知》",
        "《关于加强党政机关网站安全管理的通知》中网办发[2014]1 号文",
        f"市政府关于对《{org}关于申请相关费用的请示》的批示",
    ))


_PERF_LEVELS = (
    ("产出指标", ("数量指标", "质量指标", "时效指标", "成本指标")),
    ("效益指标", ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标")),
    ("满意度指标", ("服务对象满意度指标",)),
)


def _perf_rows(rng: random.Random, noise: bool, ctx: dict) -> list[list[str]]:
    basis = _basis(rng, ctx)
    rows: list[list[str]] = []
    for l1, l2s in _PERF_LEVELS:
        l2s = list(l2s)
        if l1 == "效益指标" and noise and rng.random() < 0.15:
            rng.shuffle(l2s)
        first1 = True
        for l2 in l2s:
            count = {"数量指标": rng.randint(1, 3), "质量指标": rng.randint(1, 2)}.get(l2, 1)
            seen: set[str] = set()
            for j in range(count):
                for _ in range(6):  # no indicator twice under one 二级指标
                    l3, desc, value = _indicator(l2, rng, noise, ctx)
                    if l3 not in seen:
                        break
                seen.add(l3)
                na = l3 == "不涉及"
                src = "不涉及" if na and rng.random() < 0.5 else basis
                c2 = l2 if (j == 0 or rng.random() < 0.6) else ""  # blank: same as above
                rows.append([l1 if first1 else "", c2, l3, desc, value, src])
                first1 = False
    return rows


def _render_perf_table(w: _Writer, idx: int, project: _Project, ctx: dict) -> None:
    rng, noise = w.rng, w.noise
    ctx = dict(ctx, amount=project.amount)
    goal = rng.choice((
        f"主要用于{project.name.removesuffix('经费')}相关工作，保障{ctx['field']}各项任务顺利开展，确保全年工作目标按期完成",
        f"用于开展{project.name.removesuffix('经费')}，提升{ctx['field']}工作质量和效率，服务全市经济社会发展",
        f"保障{project.name.removesuffix('经费')}日常运转，规范资金使用，提高财政资金使用效益",
    ))
    if noise and rng.random() < 0.08:
        goal = "目标内容 1"  # the template's placeholder, left in by some departments
    w.heading(2, f"{idx}、{project.name}绩效目标表")
    w.lines += [f"绩效目标\t\t\t1.{goal}\t\t", _PERF_HEADER]
    rows = _perf_rows(rng, noise, ctx)
    until_break = rng.randint(4, 9)
    for i, cells in enumerate(rows):
        if i == until_break and i < len(rows):
            # page break: repeat the header; maybe the last cell of the row above runs on
            cont = None
            prev = w.lines[-1].split("\t")
            if noise and len(prev[5]) > 12 and rng.random() < 0.4:
                k = rng.randint(6, len(prev[5]) - 4)
                cont, prev[5] = prev[5][k:], prev[5][:k]
                w.lines[-1] = "\t".join(prev)
            w._gap()
            w.lines.append(_PERF_HEADER)
            if cont:
                w.lines.append("\t\t\t\t\t" + cont)
            w.new_page()
            until_break = i + rng.randint(6, 10)
        w.lines.append("\t".join(cells))
    w.lines.append("")


# --------------------------------------------------------------------------------------
# Narrative
# --------------------------------------------------------------------------------------

_DUTIES = (
    "贯彻执行国家和省有关{f}工作的方针政策和法律法规，起草全市{f}工作的地方性管理办法并组织实施。",
    "拟订全市{f}发展规划和年度计划，提出优化布局、结构的政策建议并组织实施。",
    "负责全市{f}领域的监督管理工作，组织开展监督检查，依法查处违法违规行为。",
    "统筹推进全市{f}领域改革，协调解决改革发展中的重大问题。",
    "负责全市{f}统计、信息发布和监测预警工作，进行预测分析和信息引导。",
    "指导全市{f}系统信息化建设，推进数据共享和政务服务标准化、便利化。",
    "负责全市{f}领域安全生产和应急管理有关工作，组织编制并实施应急预案。",
    "负责本部门预算内资金和专项资金的管理，监督资金使用，开展预算绩效管理。",
    "组织开展{f}领域对外合作与交流，承办有关招商引资和项目推介工作。",
    "指导全市{f}系统人才队伍建设，组织开展业务培训和职业技能教育。",
    "负责{f}领域的政策宣传、政务公开和舆情应对工作。",
    "指导县（市、区）{f}部门业务工作，开展考核评价和督导检查。",
)

_OFFICES = ("办公室", "政策法规科", "机关党委", "规划科", "财务科", "人事科", "综合科",
            "监督检查科", "信息科", "行政审批科", "安全监管科", "宣传科", "发展改革科", "督查科")

_GLOSSARY = (
    "- 1、**一般公共预算拨款收入**：指市级财政当年拨付的资金。",
    "- 2、**事业收入**：指事业单位开展专业业务活动及辅助活动所取得的收入。",
    "- 3、**其他收入**：指除“一般公共预算拨款收入”、“事业收入”等以外的收入。主要是按规定动用的租房收入、存款利息收入等。",
    "- 4、**基本支出**：指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。",
    "- 5、**项目支出**：指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。",
    "6、**上缴上级支出**：指下级单位上缴上级的支出。",
    "7、“三公”经费：纳入市级财政预算管理的“三公”经费，是指市级部门用财政拨款安排的因公出国（境）费、"
    "公务用车购置及运维费和公务接待费。",
    "8、**机关运行费**：是指各部门的公用经费，包括办公及印刷费、邮电费、差旅费、会议费、福利费、日常维修费、"
    "专用材料及一般设备购置费、办公用房水电费、办公用房取暖费、办公用房物业管理费、公务用车运行维护费以及其他费用。",
    "9、**上年结转**：指以前年度尚未完成、结转到本年仍按原规定用途继续使用的资金。",
    "10、**事业单位经营支出**：指事业单位在专业业务活动及其辅助活动之外开展非独立核算经营活动发生的支出。",
)

_GOAL_TITLES = (
    "以规划引领为抓手，推动{f}高质量发展",
    "以监督管理为重点，提升{f}服务效能",
    "以信息化建设为引擎，提高{f}工作效率",
    "以深化改革为动力，激发{f}发展活力",
    "以队伍建设为保障，提升干部履职能力",
)

_SAFEGUARDS = (
    ("加强组织领导，做好绩效运行监控",
     "建立统筹协调、分工协作、密切配合、合力推进的工作机制。成立预算绩效工作领导小组，围绕年度总体绩效目标和"
     "分项绩效目标，细化工作方案，明确责任主体、实施进度要求，确保如期完成。"),
    ("完善制度建设，强化预算管理",
     "制定完善预算绩效管理制度、资金管理办法、工作保障制度等，开展绩效运行监控管理，强化财政预算执行的刚性约束。"),
    ("加强支出管理，规范财务资产管理",
     "通过优化支出结构、编细编实预算、加快履行政府采购手续、及时支付资金等多种措施，确保支出进度达标。"),
    ("做好绩效自评，加强宣传培训",
     "按照要求扎实开展绩效自评，对绩效评价发现的问题及时整改，调整优化支出结构，提高财政资金使用效益。"),
)


def _change(d: Decimal) -> tuple[str, str]:
    """('增加', '12.5') / ('减少', ...) / ('持平', '0')."""
    if d > 0:
        return "增加", _n(d)
    if d < 0:
        return "减少", _n(-d)
    return "持平", "0"


def _we(org: str) -> str:
    for suffix, we in (("局", "我局"), ("委员会", "我委"), ("办公室", "我办")):
        if org.endswith(suffix):
            return we
    return "我单位"


def _render_narrative(w: _Writer, bud: _Budget, fig: dict, profile: Profile, indicators: int) -> None:
    rng, noise, y, name = w.rng, w.noise, w.year, w.name
    fld, we = profile.field, _we(name)
    H = w.heading
    w.lines += [f"# {name} {y} 年部门预算信息公开情况说明", ""]
    w.para(f"按照《预算法》、《地方预决算公开操作规程》和《关于进一步推进预算公开工作的实施意见》规定，"
           f"现将{name} {y} 年部门预算公开如下：")

    w.toc["一、部门职责及机构设置情况"] = w.page
    H(2, "一、部门职责及机构设置情况")
    H(3, "（一）部门职责：")
    duties = rng.sample(_DUTIES, rng.randint(5, 10))
    for i, d in enumerate(duties, start=1):
        w.para(f"{i}、{d.format(f=fld)}")
    w.para(f"{len(duties) + 1}、完成市委、市政府交办的其他任务。")
    H(2, "（二）机构设置")
    offices = rng.sample(_OFFICES, rng.randint(4, 12))
    w.para(f"{name}为财政拨款{profile.kind}单位，共设置 {len(offices)} 个内部机构，具体设置如下：{'、'.join(offices)}。")
    H(3, "部门机构设置情况")
    w.lines.append("单位名称\t单位性质\t单位规格\t经费保障形式")
    w.lines.append(f"{name}本级\t{profile.kind}\t正处（县）级\t财政拨款")
    for k in range(rng.choice((0, 0, 1, 2))):
        unit = ("服务中心", "信息中心", "事务中心")[k]
        w.lines.append(f"{name}{unit}\t事业\t正科级\t财政拨款")
    w.lines.append("")

    w.toc["二、部门预算安排的总体情况"] = w.page
    H(2, "二、部门预算安排的总体情况")
    w.para(f"按照预算管理有关规定，目前我市部门预算的编制实行综合预算管理，即全部收入和支出都反映在预算中。"
           f"{name}机关及所属事业单位的收支包含在部门预算中。")
    H(3, "1、收入说明")
    w.para(f"反映本部门当年全部收入。{y}年预算收入{_n(fig['total'])}万元，其中：一般公共预算收入{_n(fig['gpb'])}万元，"
           f"基金预算收入{_n(fig['gf'])}万元，国有资本经营预算收入0万元，财政专户核拨收入0万元，"
           f"单位资金收入{_n(fig['unit_funds'])}万元，上年结转结余0万元。")
    H(2, "2、支出说明")
    top = sorted(bud.projects, key=lambda p: (-p.amount, p.name))[:3]
    main = "、".join(p.name for p in top) or "日常业务经费"
    w.para(f"收支预算总表支出栏、基本支出表、项目支出表按经济分类和支出功能分类科目编制，反映{name}年度部门预算中"
           f"支出预算的总体情况。{y}年支出预算{_n(fig['total'])}万元，其中基本支出{_n(fig['basic'])}万元，"
           f"包括人员经费{_n(fig['personnel'])}万元和日常公用经费{_n(fig['public'])}万元；"
           f"项目支出{_n(fig['project'])}万元，主要为{main}等。")
    H(2, "3、比上年增减情况")
    d_basic = _amt(rng, -fig["basic"] * Decimal("0.15"), fig["basic"] * Decimal("0.15"))
    d_proj = _amt(rng, -fig["project"] * Decimal("0.4"), fig["project"] * Decimal("0.6"))
    d_all = d_basic + d_proj
    a, da = _change(d_all)
    b, db = _change(d_basic)
    c, dc = _change(d_proj)
    w.para(f"{y}年预算收支安排{_n(fig['total'])}万元，较{y - 1}年预算{a}{da}万元，其中：基本支出{b}{db}万元，"
           f"主要为{'增加' if d_basic >= 0 else '减少'}人员经费支出；项目支出{c}{dc}万元，"
           f"主要为{top[0].name if top else '项目'}调整所致。".replace("持平0万元", "持平"))

    w.toc["三、机关运行经费安排情况"] = w.page
    H(2, "三、机关运行经费安排情况")
    w.para(f"{y}年，{we}财政拨款人员经费{_n(fig['personnel'])}万元，主要包括基本工资、津贴补贴、绩效工资、"
           f"单位缴纳的社会保险、职工取暖费；公用经费{_n(fig['public'])}万元，主要包括办公费、公车运行维护费、"
           f"福利费、工会经费、公务交通补贴、公务通讯补贴、办公取暖费。")

    w.toc["四、财政拨款“三公”经费预算情况及增减变化原因"] = w.page
    H(4, "四、财政拨款“三公”经费预算情况及增减变化原因")
    d3 = _amt(rng, -2, 2) if fig["three"] > 2 else ZERO
    a3, v3 = _change(d3)
    change3 = "与上年度持平" if a3 == "持平" else f"比{y - 1}年预算{a3}{v3}万元"
    parts = []
    if fig["car"]:
        parts.append(f"公务用车购置及运维费预算数{_n(fig['car'])}万元，与上年度持平")
    else:
        parts.append(f"{y}年未安排公务用车购置及运维费")
    if fig["reception"]:
        parts.append(f"公务接待费预算数{_n(fig['reception'])}万元，{change3.replace('比' + str(y - 1) + '年预算', '较上年预算')}")
    else:
        parts.append(f"{y}年未安排公务接待费")
    if fig["abroad"]:
        parts.append(f"因公出国（境）费预算数{_n(fig['abroad'])}万元")
    else:
        parts.append(f"{y}年未安排因公出国经费，与上年度持平")
    w.para(f"{y}年，{we}财政拨款“三公”经费预算安排{_n(fig['three'])}万元，{change3}。其中：{'；'.join(parts)}。")

    w.toc["五、预算绩效信息"] = w.page
    H(4, "五、预算绩效信息")
    H(5, "第一部分 部门整体绩效目标")
    H(5, "（一）总体绩效目标")
    w.para(f"{y}年{we}将深入落实省市决策部署，完整准确全面贯彻新发展理念，紧紧围绕全市{fld}工作高质量发展主线，"
           f"强机制、深服务、抓落实、促发展，推动{fld}领域各项工作跨上新台阶。")
    H(5, "（二）分项绩效目标")
    for i, t in enumerate(rng.sample(_GOAL_TITLES, rng.randint(2, 4)), start=1):
        level = rng.choice((2, 3, 4, 5)) if noise else 5
        H(level, f"{i}. {t.format(f=fld)}")
        w.para(f"**绩效目标：**围绕{y}年全市{fld}工作目标，建立健全工作机制，确保各项任务按期完成。")
        w.para(f"**绩效指标：**一是**压实工作责任**，细化目标任务和时间节点；二是**强化督导调度**，"
               f"定期通报工作进展；三是**完善考核评价**，确保年度{fld}工作目标全面实现。")
    H(3, "（三）工作保障措施")
    for i, (t, body) in enumerate(_SAFEGUARDS, start=1):
        H(4 if i == 1 else 2, f"{i}. {t}")
        w.para(body)
    w.new_page()
    H(2, "第二部分 预算项目绩效目标")
    ctx = {"year": y, "field": fld, "name": name}
    for i, p in enumerate(bud.projects[:indicators], start=1):
        _render_perf_table(w, i, p, ctx)
        w.new_page()

    w.toc["六、政府采购预算情况"] = w.page
    H(2, "六、政府采购预算情况")
    w.para(f"{y}年，{name}安排政府采购预算0.00万元。具体内容见下表。")
    H(3, "部门政府采购预算")
    w.page_header(year=False)
    w.lines += [
        "政府采购项目来源\t\t采购物品名称\t政府采购目录序号\t计量单位\t数量\t单价\t政府采购金额（当年部门预算安排资金）"
        f"\t\t\t\t\t\t\t{y}年预留中小微企业份额",
        "项目名称\t预算资金\t\t\t\t\t\t合计\t一般公共预算拨款\t基金预算拨款\t国有资本经营预算拨款\t财政专户核拨"
        "\t单位资金\t财政拨款结转\t",
        "",
        "注：同一采购目录序号的物品，其单价会因配置规格不同而变动，均符合资产配置标准。涉密采购事项按照相关规定执行。",
        "",
        "注：无政府采购预算，空表列示。",
        "",
    ]

    w.toc["七、国有资产信息"] = w.page
    H(2, "七、国有资产信息")
    house = _amt(rng, 0, 800) if rng.random() < 0.6 else ZERO
    cars = _amt(rng, 12 * bud.vehicles, 25 * bud.vehicles) if bud.vehicles else ZERO
    equip = _amt(rng, 5, 200) if rng.random() < 0.7 else ZERO
    other = _amt(rng, 1, 300) if rng.random() < 0.7 else ZERO
    assets = house + cars + equip + other
    w.para(f"{name}（含所属单位）上年末固定资产金额为 {assets:.2f} 万元（详见下表）。本年度拟购置固定资产总额为 0.00 万元。")
    H(3, "部门固定资产占用情况表")
    w.page_header(unit=False, year=False)
    nz = lambda d: _n(d) if d else ""  # noqa: E731
    w.lines += [
        f"截止时间：{y - 1}-12-31", "",
        "项 目\t数 量\t价值（金额单位：万元）",
        f"资产总额\t\t{nz(assets)}",
        f"1、房屋\t\t{nz(house)}",
        f"2、车辆（台、辆）\t{bud.vehicles or ''}\t{nz(cars)}",
        f"3、通用设备\t\t{nz(equip)}",
        f"4、其他固定资产\t\t{nz(other)}",
        "",
    ]

    w.toc["八、名词解释"] = w.page
    H(2, "八、名词解释")
    w.lines += [g for g in _GLOSSARY if g.startswith("- ")] + [""]  # a list: no blank lines between
    for g in _GLOSSARY:
        if not g.startswith("- "):
            w.para(g)
    w.toc["九、其他需要说明的事项"] = w.page
    H(4, "九、其他需要说明的事项")


_TOC_NARRATIVE = (
    "一、部门职责及机构设置情况", "二、部门预算安排的总体情况", "三、机关运行经费安排情况",
    "四、财政拨款“三公”经费预算情况及增减变化原因", "五、预算绩效信息", "六、政府采购预算情况",
    "七、国有资产信息", "八、名词解释", "九、其他需要说明的事项",
)


def _toc(year: int, toc: dict[str, int]) -> list[str]:
    out = ["", "", f"# {year} 年部门预算信息公开目录", "", "## 部门预算公开表", ""]
    out += [f"{t}.....\t{toc[t]}" for t in TABLE_TITLES]
    out += ["", "## 部门预算信息公开情况说明", ""]
    for i, t in enumerate(_TOC_NARRATIVE):
        if i == 3:
            out.append("")
        out.append(f"{t}{' ' if i >= 3 else ''}.....\t{toc[t]}")
    out.append("")
    return out


# --------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------


def generate_disclosure(
    dept_code: str,
    dept_name: str,
    year: int,
    rng: random.Random,
    *,
    indicators: int = 3,
    noise: bool = True,
    structure_seed: int | str | None = None,
    codelists: CodeLists | None = None,
) -> str:
    """The text of one synthetic disclosure.

    *rng* drives the year's amounts and wording; what a department keeps from year to
    year (its 项, projects, staff size) is drawn from *structure_seed* (default: derived
    from code and name). ``noise`` reproduces the sample's extraction quirks (``档次`` for
    ``栏次``, spaces inside cells, integral 三公 totals printed without decimals, heading
    levels, table cells running on over a page break).
    """
    cl = codelists or load_codelists()
    profile = _profile_for(dept_code, dept_name, cl)
    srng = random.Random(f"bkg-structure:{structure_seed}:{dept_code}:{dept_name}")
    n_projects = max(indicators, srng.randint(4, 9))
    bud = _build_budget(profile, cl, rng, srng, n_projects)
    w = _Writer(dept_code, dept_name, year, rng, noise)
    fig = _render_tables(w, cl, bud)
    _render_narrative(w, bud, fig, profile, indicators)
    return "\n".join(_toc(year, w.toc)) + "\n" + w.text()


def _doc_rng(seed: int | str, jurisdiction: str, code: str, year: int) -> random.Random:
    return random.Random(f"bkg-doc:{seed}:{jurisdiction}:{code}:{year}")


def generate_corpus(
    out_dir: str | Path,
    departments: int | Sequence[tuple[str, str]],
    years: Iterable[int],
    seed: int | str = 0,
    *,
    indicators: int = 3,
    jurisdiction: str = DEFAULT_JURISDICTION,
    noise: bool = True,
    codes: str = "auto",
) -> list[Path]:
    """Write one file per department and year; return the paths in writing order.

    *departments* is a count (synthetic names and codes from *seed*) or a list of
    ``(code, name)``; *codes* is the code-list mode of :func:`load_codelists`.
    """
    cl = load_codelists(mode=codes)
    depts = make_departments(departments, seed, cl) if isinstance(departments, int) else list(departments)
    codes = [c for c, _ in depts]
    if len(set(codes)) != len(codes):
        raise ValueError("department codes must be distinct")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for code, name in depts:
        for year in years:
            text = generate_disclosure(code, name, int(year), _doc_rng(seed, jurisdiction, code, int(year)),
                                       indicators=indicators, noise=noise, structure_seed=seed, codelists=cl)
            path = out / f"{jurisdiction}_{code}_{year}.txt"
            path.write_text(text, encoding="utf-8")
            paths.append(path)
    return paths


def _parse_years(s: str) -> list[int]:
    years: list[int] = []
    for part in s.split(","):
        part = part.strip()
        if "-" in part:
            a, b = part.split("-", 1)
            years += range(int(a), int(b) + 1)
        elif part:
            years.append(int(part))
    if not years:
        raise argparse.ArgumentTypeError("no year given")
    return years


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n\n")[0])
    ap.add_argument("--departments", type=int, required=True, help="number of departments (1-900)")
    ap.add_argument("--years", type=_parse_years, required=True, help="e.g. 2022,2023 or 2020-2024")
    ap.add_argument("--out", type=Path, required=True, help="output directory")
    ap.add_argument("--seed", default="0", help="random seed (default 0)")
    ap.add_argument("--indicators", type=int, default=3, help="project performance tables per document (default 3)")
    ap.add_argument("--jurisdiction", default=DEFAULT_JURISDICTION, help="GB/T 2260 code in the file names")
    ap.add_argument("--codes", choices=CODE_MODES, default="auto",
                    help="code lists: ontology/codelists/*.ttl if present (auto), only those (ttl), "
                         "the built-in list (builtin) or both (merged)")
    ap.add_argument("--no-noise", action="store_true", help="no extraction quirks (档次, split cells ...)")
    ap.add_argument("--clean", action="store_true", help="remove existing *.txt in --out first")
    args = ap.parse_args(argv)
    if args.indicators < 0:
        ap.error("--indicators must be >= 0")
    if not 0 < args.departments <= 900:
        ap.error("--departments must be between 1 and 900")
    seed: int | str = int(args.seed) if args.seed.lstrip("-").isdigit() else args.seed
    if args.clean and args.out.is_dir():
        for p in args.out.glob("*.txt"):
            p.unlink()
    t0 = time.perf_counter()
    paths = generate_corpus(args.out, args.departments, args.years, seed, indicators=args.indicators,
                            jurisdiction=args.jurisdiction, noise=not args.no_noise, codes=args.codes)
    dt = time.perf_counter() - t0
    print(f"wrote {len(paths)} disclosures to {args.out} in {dt:.2f}s "
          f"(code lists: {load_codelists(mode=args.codes).source})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
