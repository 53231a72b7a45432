"""Layout of the scenario workbook: sheets, columns, and how one cell is read and written."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import Enum

from planner.model import CATEGORY_ZH, POST_TYPE_ZH, WORK_RULE_UNITS


class CellError(ValueError):
    """A cell that cannot be read as its column's kind."""


@dataclass(frozen=True)
class Col:
    """A column: English ``key`` (row 2), Chinese header ``zh`` (row 1) and value ``kind``."""

    key: str
    zh: str
    kind: str = "str"
    required: bool = False
    personal: bool = False


def _cols(*specs: tuple[str, str, str] | tuple[str, str, str, bool]) -> list[Col]:
    return [Col(s[0], s[1], s[2], required=len(s) > 3 and bool(s[3])) for s in specs]


_PEOPLE = _cols(
    ("id", "编号", "str", True),
    ("name", "姓名", "str"),
    ("category", "人员类别", "category", True),
    ("community", "所属社区", "str"),
    ("grid", "所属网格", "str"),
    ("age", "年龄", "int"),
    ("sex", "性别", "sex"),
    ("skills", "技能", "list"),
    ("vulnerable", "易感人群(是/否)", "bool"),
    ("available_from", "可排班起始日", "date"),
    ("available_until", "可排班截止日", "date"),
    ("unavailable", "不可排班日期", "dates"),
    ("preferred_shifts", "偏好班次", "list"),
    ("avoided_shifts", "回避班次", "list"),
    ("contact", "联系方式", "str"),
)
_PEOPLE = [
    Col(c.key, c.zh, c.kind, c.required, c.key in ("name", "age", "sex", "contact"))
    for c in _PEOPLE
]

#: Sheet key -> (sheet title, columns), in the order they appear in the workbook.
SHEETS: dict[str, tuple[str, list[Col]]] = {
    "settings": (
        "设置 (settings)",
        _cols(("key", "键", "str", True), ("label", "项目", "skip"), ("value", "值", "raw"))
        + _cols(("note", "说明", "skip")),
    ),
    "shifts": (
        "班次 (shifts)",
        _cols(
            ("id", "班次编号", "str", True),
            ("name_zh", "中文名称", "str"),
            ("name_en", "英文名称", "str"),
            ("start", "开始时间(时:分)", "time", True),
            ("duration_min", "时长(分钟)", "int", True),
            ("night", "夜班(是/否)", "bool"),
        ),
    ),
    "grids": (
        "社区网格 (grids)",
        _cols(
            ("community", "社区编号", "str", True),
            ("community_name", "社区名称", "str"),
            ("grid", "网格编号", "str"),
            ("grid_name", "网格名称", "str"),
            ("households", "户数", "int"),
            ("residents", "人口", "int"),
        ),
    ),
    "posts": (
        "岗位 (posts)",
        _cols(
            ("id", "岗位编号", "str", True),
            ("name", "岗位名称", "str"),
            ("type", "岗位类型", "post_type", True),
            ("community", "所属社区", "str"),
            ("grid", "所属网格", "str"),
            ("exposure", "暴露风险(高/中/低)", "exposure"),
            ("priority", "优先级(越大越重要)", "int"),
            ("shifts", "使用班次", "list", True),
            ("days", "运行日期(留空=每天)", "dates"),
        ),
    ),
    "demand": (
        "需求 (demand)",
        _cols(
            ("post", "岗位编号", "str", True),
            ("shift", "班次", "str", True),
            ("days", "适用日期(留空=每天)", "dates"),
            ("role", "角色", "str", True),
            ("name_zh", "角色名称", "str"),
            ("headcount", "人数", "int", True),
            ("categories", "可担任类别(留空=不限)", "categories"),
            ("skills", "所需技能", "list"),
            ("overstaff_weight", "超编权重(留空=不许超编)", "int"),
        ),
    ),
    "at_least": (
        "至少 (at_least)",
        _cols(
            ("post", "岗位编号", "str", True),
            ("shift", "班次", "str", True),
            ("days", "适用日期(留空=每天)", "dates"),
            ("count", "至少人数", "int", True),
            ("categories", "人员类别", "categories", True),
            ("weight", "权重(留空=硬性)", "int"),
        ),
    ),
    "people": ("人员 (people)", _PEOPLE),
    "requests": (
        "意愿 (requests)",
        _cols(
            ("person", "人员编号", "str", True),
            ("date", "日期", "date", True),
            ("shift", "班次(留空=任意)", "str"),
            ("kind", "意愿(上班/休息)", "request_kind", True),
            ("weight", "权重", "int"),
        ),
    ),
    "categories": (
        "类别 (categories)",
        _cols(
            ("id", "类别", "category", True),
            ("name_zh", "中文名称", "skip"),
            ("locality", "服务范围(网格/社区/街道)", "locality"),
        ),
    ),
    "rules": (
        "规则 (rules)",
        _cols(
            ("scope", "范围(默认/类别/人员)", "scope", True),
            ("target", "类别或人员编号", "str"),
            ("rule", "规则", "rule", True),
            ("shift", "班次(仅限按班次上限)", "str"),
            ("value", "取值(留空=不限)", "int"),
            ("weight", "权重(留空=硬性)", "int"),
            ("note", "说明", "skip"),
        ),
    ),
    "successions": (
        "禁止接续 (successions)",
        _cols(("first", "前一天班次", "str", True), ("then", "次日班次", "str", True))
        + _cols(("weight", "权重(留空=硬性)", "int")),
    ),
    "fixed": (
        "固定排班 (fixed)",
        _cols(
            ("person", "人员编号", "str", True),
            ("post", "岗位编号", "str", True),
            ("role", "角色", "str", True),
            ("date", "日期", "date", True),
            ("shift", "班次", "str", True),
        ),
    ),
    "forbidden": (
        "禁排 (forbidden)",
        _cols(
            ("person", "人员编号", "str", True),
            ("post", "岗位编号(留空=全部)", "str"),
            ("date", "日期(留空=全部)", "date"),
            ("shift", "班次(留空=全部)", "str"),
        ),
    ),
}

#: Settings keys -> (Chinese label, kind).
SETTINGS: dict[str, Col] = {
    c.key: c
    for c in _cols(
        ("name", "情景名称", "str", True),
        ("description", "说明", "str"),
        ("horizon.start", "开始日期", "date", True),
        ("horizon.days", "天数", "int", True),
        ("exposure.vulnerable_age", "易感年龄(达到即视为易感; 无=不按年龄)", "int_or_none"),
        ("exposure.vulnerable_max_exposure", "易感人员最高暴露等级", "exposure"),
        ("objective.shortage", "缺员权重", "int"),
        ("objective.fatigue", "疲劳权重", "int"),
        ("objective.fairness", "公平权重", "int"),
        ("objective.preference", "偏好权重", "int"),
        ("objective.continuity", "岗位连续性权重", "int"),
        ("objective.lexicographic", "分层优化(是/否: 先保覆盖, 再减负担, 后顾意愿)", "bool"),
        ("objective.tolerance", "分层容差(如 0.01 或 1%: 上一层最多差1%)", "fraction"),
    )
}

#: Chinese labels of the work rules.
RULE_ZH: dict[str, str] = {
    "max_shifts_per_day": "每日最多班次",
    "max_minutes_per_day": "每日最多工作分钟",
    "max_minutes_per_7_days": "任意7天最多工作分钟",
    "max_minutes_per_horizon": "全期最多工作分钟",
    "min_minutes_per_horizon": "全期最少工作分钟",
    "max_consecutive_days": "最多连续工作天数",
    "min_consecutive_days": "最少连续工作天数",
    "min_consecutive_days_off": "最少连续休息天数",
    "min_rest_minutes": "两班之间最少休息分钟",
    "max_nights_per_7_days": "任意7天最多夜班",
    "max_weekends": "最多工作周末数",
    "max_shifts_per_template": "某班次全期最多次数",
}
assert set(RULE_ZH) == {*WORK_RULE_UNITS, "max_shifts_per_template"}

_ALIASES: dict[str, dict[str, str]] = {
    "category": {v: k for k, v in CATEGORY_ZH.items()},
    "post_type": {v: k for k, v in POST_TYPE_ZH.items()} | {k: k for k in POST_TYPE_ZH},
    "exposure": {"高": "high", "中": "medium", "低": "low"}
    | {k: k for k in ("high", "medium", "low")},
    "sex": {"男": "male", "女": "female", "male": "male", "female": "female"},
    "request_kind": {"上班": "on", "休息": "off", "on": "on", "off": "off"},
    "locality": {"网格": "grid", "社区": "community", "街道": "district"}
    | {k: k for k in ("grid", "community", "district")},
    "scope": {"默认": "defaults", "类别": "category", "人员": "person"}
    | {k: k for k in ("defaults", "category", "person")},
    "rule": {v: k for k, v in RULE_ZH.items()} | {k: k for k in RULE_ZH},
}
_LABELS: dict[str, dict[str, str]] = {
    "category": CATEGORY_ZH,
    "post_type": POST_TYPE_ZH,
    "exposure": {"high": "高", "medium": "中", "low": "低"},
    "sex": {"male": "男", "female": "女"},
    "request_kind": {"on": "上班", "off": "休息"},
    "locality": {"grid": "网格", "community": "社区", "district": "街道"},
    "scope": {"defaults": "默认", "category": "类别", "person": "人员"},
}
_TRUE = {"是", "y", "yes", "true", "1", "t", "√"}
_FALSE = {"否", "n", "no", "false", "0", "f", ""}
_SEP = re.compile(r"[,，、;；\n]+")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
NONE_WORDS = {"无", "none", "不限"}


def _show(col: Col, raw: object) -> str:
    if col.personal:
        return ""
    text = str(raw)
    return f", got '{text[:20]}'" + ("..." if len(text) > 20 else "")


def _text(raw: object) -> str:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return "" if raw is None else str(raw).strip()


def _fraction(col: Col, raw: object) -> float:
    """A number such as 0.01, or a percentage such as 1%."""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return float(raw)
    text = _text(raw)
    match = re.fullmatch(r"([+-]?\d+(?:\.\d*)?|[+-]?\.\d+)\s*(%?)", text)
    if match is None:
        raise CellError(f"expected a number such as 0.01 or 1%{_show(col, raw)}")
    return float(match.group(1)) / (100 if match.group(2) else 1)


def _int(col: Col, raw: object) -> int:
    if isinstance(raw, bool):
        raise CellError(f"expected a whole number{_show(col, raw)}")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    text = _text(raw)
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    raise CellError(f"expected a whole number{_show(col, raw)}")


def _date(col: Col, raw: object) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool) and 20000 < raw < 80000:
        return _EXCEL_EPOCH + dt.timedelta(days=int(raw))
    match = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", _text(raw))
    if match:
        try:
            return dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    raise CellError(f"expected a date such as 2022-04-01{_show(col, raw)}")


def _time(col: Col, raw: object) -> dt.time:
    if isinstance(raw, dt.datetime):
        return raw.time()
    if isinstance(raw, dt.time):
        return raw
    if isinstance(raw, float) and 0 <= raw < 1:
        minutes = round(raw * 1440)
        return dt.time(minutes // 60, minutes % 60)
    match = re.fullmatch(r"(\d{1,2})[:：](\d{2})(?::(\d{2}))?", _text(raw))
    if match and int(match.group(1)) < 24 and int(match.group(2)) < 60:
        return dt.time(int(match.group(1)), int(match.group(2)))
    raise CellError(f"expected a time such as 08:00{_show(col, raw)}")


def _alias(col: Col, kind: str, text: str) -> str:
    table = _ALIASES[kind]
    if text in table:
        return table[text]
    if text.lower() in table:
        return table[text.lower()]
    if kind == "category":
        return text
    known = ", ".join(sorted({*table.values()}))
    raise CellError(f"unknown value{_show(col, text)}; expected one of: {known}")


def parse_cell(col: Col, raw: object) -> object:
    """The value of one cell read as ``col.kind``; None for an empty cell.

    Raises
    ------
    CellError
        If the cell cannot be read as that kind.
    """
    kind = col.kind
    if kind in ("skip", "raw"):
        return raw if kind == "raw" else None
    text = _text(raw)
    if kind in ("list", "dates", "categories"):
        if isinstance(raw, dt.date):
            return [_date(col, raw)]
        items = [t.strip() for t in _SEP.split(text) if t.strip()]
        if kind == "dates":
            return [_date(col, t) for t in items]
        if kind == "categories":
            return [_alias(col, "category", t) for t in items]
        return items
    if text == "":
        return None
    if kind == "str":
        return text
    if kind == "int":
        return _int(col, raw)
    if kind == "fraction":
        return _fraction(col, raw)
    if kind == "int_or_none":
        return None if text.lower() in NONE_WORDS else _int(col, raw)
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise CellError(f"expected 是/否 (yes/no){_show(col, raw)}")
    if kind == "date":
        return _date(col, raw)
    if kind == "time":
        return _time(col, raw)
    return _alias(col, kind, text)


def render_cell(col: Col, value: object) -> object:
    """What to write in a cell of ``col`` for the model value ``value``."""
    if isinstance(value, Enum):
        value = value.value
    if value is None:
        return None
    if isinstance(value, list | tuple):
        inner = Col("", "", "category" if col.kind == "categories" else "str")
        return ", ".join(str(render_cell(inner, v)) for v in value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if col.kind in _LABELS and isinstance(value, str):
        return _LABELS[col.kind].get(value, value)
    return value
