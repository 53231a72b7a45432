"""What-if specs: validation, each edit kind on tiny hand-made scenarios, the compare run."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from pydantic import ValidationError

from planner.cli import main
from planner.district.files import scenario_yaml
from planner.generate import generate_district
from planner.io import load_scenario
from planner.model import Demand, Post, Role, Scenario
from planner.whatif.edits import apply_variant, replace
from planner.whatif.spec import Variant, WhatIfSpec, load_spec

D0 = dt.date(2022, 4, 25)


def _variant(*edits: dict) -> Variant:
    return Variant.model_validate({"name": "v", "edits": list(edits)})


def _district() -> Scenario:
    return generate_district(
        communities=2,
        grids_per_community=2,
        days=3,
        seed=5,
        people={"volunteer": 12, "seconded_cadre": 4, "community_worker": 2, "medical": 2},
        posts={"checkpoint": 2, "sampling_station": 3, "grid_duty": 2},
    )


# ------------------------------------------------------------------ the spec
@pytest.mark.parametrize(
    ("data", "message"),
    [
        # an unknown field in an edit is an error, not ignored
        ({"variants": [{"name": "a", "edits": [{"kind": "rules", "colour": 1}]}]}, "colour"),
        # an unknown edit kind
        ({"variants": [{"name": "a", "edits": [{"kind": "teleport"}]}]}, "teleport"),
        # two variants with one name
        ({"variants": [{"name": "a"}, {"name": "a"}]}, "duplicate variant name 'a'"),
        # "base" is taken by the unchanged scenario
        ({"variants": [{"name": "base"}]}, "duplicate variant name 'base'"),
        # both a share and a count of people
        (
            {
                "variants": [
                    {
                        "name": "a",
                        "edits": [{"kind": "remove_people", "who": {"share": 0.5, "count": 2}}],
                    }
                ]
            },
            "share or count",
        ),
        # a name that cannot be a file name
        ({"variants": [{"name": "a/b"}]}, "pattern"),
    ],
)
def test_invalid_specs_are_rejected(data, message):
    """Each malformed spec is refused with a message naming the problem."""
    with pytest.raises(ValidationError, match=message):
        WhatIfSpec.model_validate({"name": "t", "base": "x.yaml", **data})


def test_spec_file_errors_name_the_file(tmp_path):
    """A broken spec file is an input error naming the field path."""
    path = tmp_path / "spec.yaml"
    path.write_text("name: t\nbase: x.yaml\nvariants: [{name: a, colour: red}]\n", "utf-8")
    with pytest.raises(ValueError, match=r"variants\[0\]\.colour"):
        load_spec(path)


# ------------------------------------------------------------------ people edits
def test_add_people_is_deterministic_and_respects_the_edit():
    """Ten volunteers in c2 only, aged 22-29, same people on every run; the base is untouched."""
    base = _district()
    before = base.model_copy(deep=True)
    edit = {
        "kind": "add_people",
        "category": "volunteer",
        "count": 10,
        "communities": ["c2"],
        "ages": [{"low": 22, "high": 29, "share": 1}],
    }
    first = apply_variant(base, _variant(edit), seed=1)
    again = apply_variant(base, _variant(edit), seed=1)
    assert first == again
    new = first.people[len(base.people) :]
    assert len(new) == 10
    assert all(p.category == "volunteer" and p.community == "c2" for p in new)
    # volunteers serve in their grid, so each gets one of c2's grids
    assert all(p.grid in ("c2-g01", "c2-g02") for p in new)
    assert all(22 <= (p.age or 0) <= 29 for p in new)
    assert base == before


def test_remove_people_by_age_drops_them_and_their_pins():
    """Volunteers aged 60+ leave; a pin naming one of them goes too, others stay."""
    base = _district()
    old = [p for p in base.people if p.category == "volunteer" and (p.age or 0) >= 60]
    assert old, "the seed gives some volunteers aged 60 or over"
    out = apply_variant(
        base,
        _variant({"kind": "remove_people", "who": {"categories": ["volunteer"], "min_age": 60}}),
    )
    assert len(out.people) == len(base.people) - len(old)
    assert not {p.id for p in old} & {p.id for p in out.people}


def test_availability_narrows_and_never_extends():
    """``available_until`` means "no later than": an earlier leaving date is kept.

    In the district half the seconded cadres leave after day 0 (last day d0 = 2022-04-25),
    the others stay. Cutting all at 2022-04-26 keeps the d0 leavers at d0.
    """
    base = _district()
    cadres = [p for p in base.people if p.category == "seconded_cadre"]
    assert sorted(str(p.available_until) for p in cadres) == [
        "2022-04-25",
        "2022-04-25",
        "None",
        "None",
    ]
    out = apply_variant(
        base,
        _variant(
            {
                "kind": "availability",
                "who": {"categories": ["seconded_cadre"]},
                "available_until": "2022-04-26",
            }
        ),
    )
    after = [p for p in out.people if p.category == "seconded_cadre"]
    assert sorted(str(p.available_until) for p in after) == [
        "2022-04-25",
        "2022-04-25",
        "2022-04-26",
        "2022-04-26",
    ]


# ------------------------------------------------------------------ rules edit
def test_rules_edit_changes_only_what_it_gives():
    """Exposure's max changes, its age stays; volunteers' 7-day minutes change, nights stay."""
    base = _district()
    out = apply_variant(
        base,
        _variant(
            {
                "kind": "rules",
                "exposure": {"vulnerable_max_exposure": "low"},
                "categories": {"volunteer": {"max_minutes_per_7_days": 1200}},
            }
        ),
    )
    assert out.rules.exposure.vulnerable_max_exposure == "low"
    assert out.rules.exposure.vulnerable_age == base.rules.exposure.vulnerable_age
    vol, old = out.rules.categories["volunteer"], base.rules.categories["volunteer"]
    assert vol.max_minutes_per_7_days is not None
    assert vol.max_minutes_per_7_days.value == 1200
    assert vol.max_nights_per_7_days == old.max_nights_per_7_days


# ------------------------------------------------------------------ post edits
def _stations() -> Scenario:
    """Three sampling stations in c1 and one in c2, one shift, swab 2 + guide 1 each."""
    base = generate_district(communities=2, grids_per_community=1, days=2, seed=1, posts={})
    roles = [
        Role(role="swab", headcount=2, categories=["medical"]),
        Role(role="guide", headcount=1),
    ]
    posts = [
        Post(
            id=f"s{i}",
            type="sampling_station",
            community=community,
            shifts=[base.shifts[0].id],
            demand=[Demand(shift=base.shifts[0].id, roles=roles)],
        )
        for i, community in enumerate(["c1", "c1", "c1", "c2"], start=1)
    ]
    return replace(base, posts=posts)


def test_remove_posts_moves_the_residents_roles():
    """Keeping 2 of 4 stations closes two in c1 (it has the most), last listed first: s3, s2.

    Their swab desks (2 + 2) move to s1, the only c1 station left: 2 + 4 = 6; the guides go.
    """
    out = apply_variant(
        _stations(),
        _variant(
            {
                "kind": "remove_posts",
                "where": {"types": ["sampling_station"]},
                "keep": 2,
                "move_roles": ["swab"],
            }
        ),
    )
    heads = {p.id: {r.role: r.headcount for r in p.demand[0].roles} for p in out.posts}
    assert heads == {"s1": {"swab": 6, "guide": 1}, "s4": {"swab": 2, "guide": 1}}


def test_shift_pattern_keeps_round_the_clock_strength():
    """4 x 6 h (night 1, morning 2, afternoon 2, evening 1 guard) become 2 x 12 h.

    08-20 overlaps morning, afternoon and evening: max 2; 20-08 overlaps evening, night
    and morning: max 2.
    """
    base = generate_district(
        communities=1, grids_per_community=1, days=2, seed=1, posts={"checkpoint": 1}
    )
    post = base.posts[0]
    heads = {"cp_night": 1, "cp_morning": 2, "cp_afternoon": 2, "cp_evening": 1}
    demand = [
        Demand(shift=e.shift, roles=[e.roles[0].model_copy(update={"headcount": heads[e.shift]})])
        for e in post.demand
    ]
    base = replace(base, posts=[post.model_copy(update={"demand": demand})])
    out = apply_variant(
        base,
        _variant(
            {
                "kind": "shift_pattern",
                "where": {"types": ["checkpoint"]},
                "shifts": [
                    {"id": "d12", "start": "08:00", "duration_min": 720},
                    {"id": "n12", "start": "20:00", "duration_min": 720, "night": True},
                ],
            }
        ),
    )
    (new,) = out.posts
    assert new.shifts == ["d12", "n12"]
    assert {e.shift: e.roles[0].headcount for e in new.demand} == {"d12": 2, "n12": 2}
    assert {"d12", "n12"} <= set(out.shift_by_id)


def test_edit_errors_name_the_variant_and_edit():
    """An unknown community is reported with the variant, the edit index and its kind."""
    with pytest.raises(ValueError, match=r"variants\.v\.edits\[0\] \(add_people\).*'c9'"):
        apply_variant(
            _district(),
            _variant(
                {"kind": "add_people", "category": "volunteer", "count": 1, "communities": ["c9"]}
            ),
        )


# ------------------------------------------------------------------ compare
SPEC = """\
name: 测试街道 test
base: base.yaml
variants:
  - name: more
    label: 志愿者+6
    edits:
      - {kind: add_people, category: volunteer, count: 6}
  - name: fewer_stations
    label: 采样点减一
    edits:
      - {kind: remove_posts, where: {types: [sampling_station]}, count: 1,
         move_roles: [swab, registration, order]}
"""


def test_compare_writes_table_and_chart_and_every_plan_passes(tmp_path):
    """``planner compare`` on a tiny spec: CSV with BOM, markdown, Excel, PNG, plans; exit 0.

    Adding people never lowers coverage here: the base roster is still possible.
    """
    (tmp_path / "base.yaml").write_text(scenario_yaml(_district()), encoding="utf-8")
    (tmp_path / "spec.yaml").write_text(SPEC, encoding="utf-8")
    out = tmp_path / "out"
    spec = str(tmp_path / "spec.yaml")
    code = main(["compare", spec, "--time-limit", "2", "--out", str(out), "--plans"])
    assert code == 0
    raw = (out / "comparison.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with (out / "comparison.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][1:] == ["现状 base(base)", "志愿者+6(more)", "采样点减一(fewer_stations)"]
    by_name = {row[0]: row[1:] for row in rows[1:]}
    assert by_name["检查 check"] == ["通过 passed"] * 3
    assert by_name["人数 people"] == ["20", "26", "20"]
    assert (out / "comparison.xlsx").stat().st_size > 0
    assert (out / "coverage_by_day.png").read_bytes()[:4] == b"\x89PNG"
    assert sorted(p.name for p in (out / "plans").iterdir()) == [
        "base.json",
        "fewer_stations.json",
        "more.json",
    ]
    assert "| 覆盖率 % coverage % |" in (out / "comparison.md").read_text(encoding="utf-8")


def test_chart_labels_have_glyphs():
    """Every character of the chart's fixed labels is in the shipped font (no boxes)."""
    from planner.whatif.fonts import missing_glyphs
    from planner.whatif.output import WEEKDAY_ZH

    text = "覆盖率 coverage (%) 日期 date 方案（全期覆盖率）：每日覆盖率" + "".join(WEEKDAY_ZH)
    assert (
        missing_glyphs(text + "现状储备志愿者下沉干部返岗卡口两班倒采样点岁以上低暴露岗位不上")
        == set()
    )


def test_base_scenario_file_is_loaded_relative_to_the_spec(tmp_path):
    """``base`` is resolved against the spec file's folder, whatever the working folder."""
    from planner.whatif.spec import base_path

    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "base.yaml").write_text(scenario_yaml(_district()), encoding="utf-8")
    spec_path = tmp_path / "sub" / "spec.yaml"
    spec_path.write_text("name: t\nbase: base.yaml\n", encoding="utf-8")
    spec = load_spec(spec_path)
    assert load_scenario(base_path(spec, spec_path)) == _district()


def test_measures_of_a_hand_made_plan():
    """Coverage per day, people at their limit and workload on a roster derived by hand.

    One gate wants 2 guards on an 8 h day shift for 3 days (demand 6). v1 (volunteer,
    at most 960 minutes in the 7-day window, i.e. 2 shifts) works days 0 and 1; v2 works
    day 0 only. Covered: day 0 2/2, day 1 1/2, day 2 0/2: 100 %, 50 %, 0 %; 3 of 6 = 50 %.
    v1 cannot take one more 480-minute shift (960 + 480 > 960): at the limit; v2 can.
    """
    import datetime as dt

    from planner.model import (
        Assignment,
        Horizon,
        Limit,
        Person,
        Rules,
        ShiftTemplate,
        Stats,
        Status,
        WorkRules,
    )
    from planner.report.build import build_plan
    from planner.whatif.compare import measure

    day = ShiftTemplate(id="day", start=dt.time(8), duration_min=480)
    scenario = Scenario(
        name="gate",
        horizon=Horizon(start=D0, days=3),
        shifts=[day],
        posts=[
            Post(
                id="gate",
                type="checkpoint",
                shifts=["day"],
                demand=[Demand(shift="day", roles=[Role(role="guard", headcount=2)])],
            )
        ],
        people=[Person(id="v1", category="volunteer"), Person(id="v2", category="volunteer")],
        rules=Rules(categories={"volunteer": WorkRules(max_minutes_per_7_days=Limit(value=960))}),
    )

    def work(person: str, d: int) -> Assignment:
        return Assignment(
            person=person, post="gate", role="guard", date=D0 + dt.timedelta(days=d), shift="day"
        )

    roster = [work("v1", 0), work("v1", 1), work("v2", 0)]
    plan = build_plan(scenario, roster, Stats(status=Status.FEASIBLE))
    got = measure("base", "现状", scenario, plan)
    assert got.coverage_by_day == {"2022-04-25": 100.0, "2022-04-26": 50.0, "2022-04-27": 0.0}
    assert (got.demand, got.covered, got.coverage_pct) == (6, 3, 50.0)
    assert got.at_limit == 1
    assert (got.minutes_mean, got.minutes_max) == (720.0, 960)
    assert (got.demand_hours, got.shortage_hours, got.hours_coverage_pct) == (48.0, 24.0, 50.0)
    assert got.shortage_by_day == {"2022-04-26": 1, "2022-04-27": 2}
    assert got.check_passed


def test_compare_refuses_a_broken_spec(tmp_path, capsys):
    """A spec naming an unknown edit kind is an input error: exit code 2, message on stderr."""
    path = tmp_path / "spec.yaml"
    path.write_text("name: t\nbase: b.yaml\nvariants: [{name: a, edits: [{kind: x}]}]\n", "utf-8")
    assert main(["compare", str(path)]) == 2
    assert "variants[0].edits[0]" in capsys.readouterr().err
