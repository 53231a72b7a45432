"""Scenario <-> workbook rows: the mapping between the model and the template's sheets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from planner.io._workbook_layout import (
    _ALIASES,
    NONE_WORDS,
    RULE_ZH,
    SETTINGS,
    SHEETS,
    CellError,
    parse_cell,
)
from planner.model import BUILTIN_CATEGORIES, CATEGORY_ZH, Limit, Scenario, WorkRules

Row = dict[str, Any]
Table = list[tuple[int, Row]]


@dataclass(frozen=True)
class Spot:
    """Where a model object came from: sheet title, Excel row, model field -> column key."""

    title: str
    row: int
    column: str | None = None
    rename: dict[str, str] = field(default_factory=dict)


Where = dict[tuple[str | int, ...], Spot]


def _fail(key: str, row: int | None, column: str | None, message: str) -> ValueError:
    title = SHEETS[key][0]
    place = f"sheet '{title}'" + (f", row {row}" if row else "")
    place += f", column '{column}'" if column else ""
    return ValueError(f"{place}: {message}")


def _clean(row: Row, *keys: str, rename: dict[str, str] | None = None) -> dict[str, Any]:
    rename = rename or {}
    out = {}
    for key in keys:
        if row.get(rename.get(key, key)) is not None:
            out[key] = row[rename.get(key, key)]
    return out


# ---------------------------------------------------------------------------- reading
def build_scenario_data(tables: dict[str, Table]) -> tuple[dict[str, Any], Where]:
    """The scenario as plain data from the parsed sheets, and where each part came from."""
    where: Where = {}
    data: dict[str, Any] = {"rules": {"defaults": {"max_shifts_per_day": 1}}}
    _settings(tables["settings"], data, where)
    title = SHEETS["shifts"][0]
    data["shifts"] = []
    for i, (r, row) in enumerate(tables["shifts"]):
        data["shifts"].append(
            _clean(row, "id", "name_zh", "name_en", "start", "duration_min", "night")
        )
        where[("shifts", i)] = Spot(title, r)
    data["communities"] = _communities(tables["grids"], where)
    data["posts"] = _posts(tables, where)
    data["people"] = _people(tables, where)
    _categories(tables["categories"], data, where)
    _rules(tables["rules"], data, where)
    title = SHEETS["successions"][0]
    data["rules"]["forbidden_successions"] = []
    for i, (r, row) in enumerate(tables["successions"]):
        data["rules"]["forbidden_successions"].append(_clean(row, "first", "then", "weight"))
        where[("rules", "forbidden_successions", i)] = Spot(title, r)
    for key, cols in (
        ("fixed", "person post role date shift"),
        ("forbidden", "person post date shift"),
    ):
        data[key] = []
        for i, (r, row) in enumerate(tables[key]):
            data[key].append(_clean(row, *cols.split()))
            where[(key, i)] = Spot(SHEETS[key][0], r)
    return data, where


def _settings(table: Table, data: dict[str, Any], where: Where) -> None:
    title = SHEETS["settings"][0]
    by_zh = {c.zh: k for k, c in SETTINGS.items()}
    seen: set[str] = set()
    for r, row in table:
        key = str(by_zh.get(row["key"], row["key"]))
        if key not in SETTINGS:
            known = ", ".join(SETTINGS)
            raise _fail("settings", r, "key", f"unknown setting '{key[:40]}'; known: {known}")
        raw = row["value"]
        try:
            value = parse_cell(SETTINGS[key], raw)
        except CellError as exc:
            raise _fail("settings", r, "value", f"{key}: {exc}") from None
        if value is None and str(raw or "").strip().lower() not in NONE_WORDS:
            continue
        seen.add(key)
        *parents, leaf = key.split(".")
        node = data
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
        where[tuple(key.split("."))] = Spot(title, r, "value")
    if "exposure" in data:
        data["rules"]["exposure"] = data.pop("exposure")
        for loc in [k for k in where if k[0] == "exposure"]:
            where[("rules", *loc)] = where.pop(loc)
    for key, col in SETTINGS.items():
        if col.required and key not in seen:
            raise _fail("settings", None, None, f"setting '{key}' ({col.zh}) is missing")


def _communities(table: Table, where: Where) -> list[dict[str, Any]]:
    title = SHEETS["grids"][0]
    out: dict[str, dict[str, Any]] = {}
    for r, row in table:
        cid = row["community"]
        if cid not in out:
            where[("communities", len(out))] = Spot(title, r, rename={"id": "community"})
            out[cid] = {"id": cid, "name": "", "grids": []}
        community = out[cid]
        if row["community_name"] and not community["name"]:
            community["name"] = row["community_name"]
        if row["grid"] is not None:
            ci = list(out).index(cid)
            rename = {"id": "grid", "name": "grid_name"}
            where[("communities", ci, "grids", len(community["grids"]))] = Spot(
                title, r, rename=rename
            )
            grid = _clean(row, "id", "name", "households", "residents", rename=rename)
            community["grids"].append(grid)
        elif any(row[k] is not None for k in ("grid_name", "households", "residents")):
            raise _fail("grids", r, "grid", "a grid's name or size is given without its id")
    return list(out.values())


def _group_days(days: list[dt.date] | None) -> tuple[dt.date, ...] | None:
    return tuple(days) if days else None


def _posts(tables: dict[str, Table], where: Where) -> list[dict[str, Any]]:
    posts: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for r, row in tables["posts"]:
        where[("posts", len(posts))] = Spot(SHEETS["posts"][0], r)
        index.setdefault(row["id"], len(posts))
        post = _clean(row, "id", "name", "type", "community", "grid", "exposure", "priority")
        post |= _clean(row, "shifts") | {"days": row["days"] or None}
        posts.append(post | {"demand": []})
    groups: dict[tuple[str, str, tuple[dt.date, ...] | None], tuple[int, int]] = {}
    for r, row in tables["demand"]:
        if row["post"] not in index:
            raise _fail("demand", r, "post", f"unknown post '{row['post']}'")
        pi = index[row["post"]]
        key = (row["post"], row["shift"], _group_days(row["days"]))
        if key not in groups:
            demand = posts[pi]["demand"]
            groups[key] = (pi, len(demand))
            where[("posts", pi, "demand", len(demand))] = Spot(SHEETS["demand"][0], r)
            demand.append({"shift": row["shift"], "days": row["days"] or None, "roles": []})
        pi, di = groups[key]
        roles = posts[pi]["demand"][di]["roles"]
        where[("posts", pi, "demand", di, "roles", len(roles))] = Spot(SHEETS["demand"][0], r)
        roles.append(
            _clean(row, "role", "name_zh", "headcount", "categories", "skills", "overstaff_weight")
        )
    for r, row in tables["at_least"]:
        key = (row["post"], row["shift"], _group_days(row["days"]))
        if key not in groups:
            raise _fail(
                "at_least",
                r,
                None,
                f"no demand row for post '{row['post']}', shift '{row['shift']}' on these days",
            )
        pi, di = groups[key]
        rules = posts[pi]["demand"][di].setdefault("at_least", [])
        where[("posts", pi, "demand", di, "at_least", len(rules))] = Spot(SHEETS["at_least"][0], r)
        rules.append(_clean(row, "count", "categories", "weight"))
    return posts


_PERSON_FIELDS = [c.key for c in SHEETS["people"][1]]


def _people(tables: dict[str, Table], where: Where) -> list[dict[str, Any]]:
    people: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for r, row in tables["people"]:
        where[("people", len(people))] = Spot(SHEETS["people"][0], r)
        index.setdefault(row["id"], len(people))
        people.append(_clean(row, *_PERSON_FIELDS))
    for r, row in tables["requests"]:
        if row["person"] not in index:
            raise _fail("requests", r, "person", f"unknown person '{row['person']}'")
        pi = index[row["person"]]
        requests = people[pi].setdefault("requests", [])
        where[("people", pi, "requests", len(requests))] = Spot(SHEETS["requests"][0], r)
        requests.append(_clean(row, "date", "shift", "kind", "weight"))
    return people


def _categories(table: Table, data: dict[str, Any], where: Where) -> None:
    custom: list[str] = []
    for r, row in table:
        cat = row["id"]
        spot = Spot(SHEETS["categories"][0], r, "id")
        if cat not in BUILTIN_CATEGORIES:
            where[("custom_categories", len(custom))] = spot
            custom.append(cat)
        if row["locality"] is not None:
            data["rules"].setdefault("locality", {})[cat] = row["locality"]
            where[("rules", "locality", cat)] = Spot(spot.title, r, "locality")
    data["custom_categories"] = custom


def _rules(table: Table, data: dict[str, Any], where: Where) -> None:
    title = SHEETS["rules"][0]
    people = {p.get("id"): i for i, p in enumerate(data["people"])}
    seen: dict[tuple[str, ...], int] = {}
    loc: tuple[str | int, ...]
    for r, row in table:
        scope, target, rule, shift = row["scope"], row["target"], row["rule"], row["shift"]
        if scope == "defaults":
            node, loc = data["rules"]["defaults"], ("rules", "defaults")
        elif target is None:
            raise _fail("rules", r, "target", f"a {scope} rule needs a target")
        elif scope == "category":
            target = str(_ALIASES["category"].get(target, target))
            node = data["rules"].setdefault("categories", {}).setdefault(target, {})
            loc = ("rules", "categories", target)
        elif target not in people:
            raise _fail("rules", r, "target", f"unknown person '{target}'")
        else:
            node = data["people"][people[target]].setdefault("limits", {})
            loc = ("people", people[target], "limits")
        if row["weight"] is not None and row["value"] is None:
            raise _fail("rules", r, "value", "a weight needs a value")
        limit = row["value"] if row["weight"] is None else _clean(row, "value", "weight")
        if rule == "max_shifts_per_template":
            if shift is None:
                raise _fail("rules", r, "shift", f"rule '{rule}' needs a shift")
            node = node.setdefault(rule, {})
            loc, rule = (*loc, rule), shift
        key = (*map(str, loc), rule)
        if key in seen:
            raise _fail("rules", r, "rule", f"given twice (rows {seen[key]} and {r})")
        seen[key] = r
        node[rule] = limit
        where[(*loc, rule)] = Spot(title, r, "value")


# ---------------------------------------------------------------------------- writing
def _limit_rows(scope: str, target: str | None, rules: WorkRules) -> Iterable[Row]:
    items: list[tuple[str, str | None, Limit | None]] = [
        (name, None, getattr(rules, name)) for name in RULE_ZH if name != "max_shifts_per_template"
    ]
    items += [("max_shifts_per_template", t, v) for t, v in rules.max_shifts_per_template.items()]
    for name, shift, limit in items:
        if limit is None and not (scope == "defaults" and name == "max_shifts_per_day"):
            continue
        yield {
            "scope": scope,
            "target": target,
            "rule": name,
            "shift": shift,
            "value": None if limit is None else limit.value,
            "weight": None if limit is None else limit.weight,
            "note": RULE_ZH[name],
        }


def scenario_rows(s: Scenario) -> dict[str, list[Row]]:
    """The rows of every sheet for scenario ``s`` (model values; cells render them)."""
    rows: dict[str, list[Row]] = {k: [] for k in SHEETS}
    exposure = s.rules.exposure
    values: dict[str, Any] = {
        "name": s.name,
        "description": s.description or None,
        "horizon.start": s.horizon.start,
        "horizon.days": s.horizon.days,
        "exposure.vulnerable_age": exposure.vulnerable_age,
        "exposure.vulnerable_max_exposure": exposure.vulnerable_max_exposure,
    } | {f"objective.{k}": v for k, v in s.objective.model_dump().items()}
    for key, col in SETTINGS.items():
        value = values[key]
        if key == "exposure.vulnerable_age" and value is None:
            value = "无"
        elif col.kind in ("exposure",):
            value = {"high": "高", "medium": "中", "low": "低"}[str(value)]
        rows["settings"].append({"key": key, "label": col.zh, "value": value})
    rows["shifts"] = [t.model_dump() for t in s.shifts]
    for c in s.communities:
        base = {"community": c.id, "community_name": c.name or None}
        rows["grids"] += [
            base
            | {"grid": g.id, "grid_name": g.name or None}
            | g.model_dump(exclude={"id", "name"})
            for g in c.grids
        ] or [base]
    for p in s.posts:
        rows["posts"].append(p.model_dump(exclude={"demand"}))
        for d in p.demand:
            at = {"post": p.id, "shift": d.shift, "days": d.days}
            rows["demand"] += [at | r.model_dump() for r in d.roles]
            rows["at_least"] += [at | a.model_dump() for a in d.at_least]
    for person in s.people:
        rows["people"].append(person.model_dump(exclude={"requests", "limits"}))
        rows["requests"] += [{"person": person.id} | q.model_dump() for q in person.requests]
    for cat in s.categories:
        rows["categories"].append(
            {"id": cat, "name_zh": CATEGORY_ZH.get(cat), "locality": s.rules.locality.get(cat)}
        )
    rows["rules"] = list(_limit_rows("defaults", None, s.rules.defaults))
    for cat, rules in s.rules.categories.items():
        rows["rules"] += _limit_rows("category", cat, rules)
    for person in s.people:
        if person.limits is not None:
            rows["rules"] += _limit_rows("person", person.id, person.limits)
    rows["successions"] = [x.model_dump() for x in s.rules.forbidden_successions]
    rows["fixed"] = [x.model_dump() for x in s.fixed]
    rows["forbidden"] = [x.model_dump() for x in s.forbidden]
    return rows
