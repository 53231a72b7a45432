"""District profiles, staffing norms, the estimate, roster generation and the shipped districts.

The published figures pinned here come from the Chongwen Road report
(``../shared/seeds/004_cff0a1914f459acc.txt``) and the Huangsiwan report
(``../shared/seeds/000_a16d097d61e89873.txt``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from planner.cli import EXIT_INPUT, EXIT_OK, main
from planner.district import (
    CompoundKind,
    DistrictProfile,
    SiteKind,
    build_scenario,
    estimate,
    generate_roster,
    load_norms,
    load_profile,
    load_roster,
)
from planner.district.profile import INSTITUTION_KINDS
from planner.district.scenario import model_communities
from planner.district.table import format_breakdown
from planner.io import load_scenario
from planner.model import Exposure

ROOT = Path(__file__).resolve().parents[1] / "scenarios"
CHONGWEN = ROOT / "chongwen"
HUANGSIWAN = ROOT / "huangsiwan"


@pytest.fixture(scope="module")
def chongwen():
    """The Chongwen profile, the default norms and their estimate."""
    profile = load_profile(CHONGWEN / "profile.yaml")
    norms = load_norms()
    return profile, norms, estimate(profile, norms)


@pytest.fixture(scope="module")
def chongwen_scenario():
    """The shipped 7-day Chongwen scenario (loaded once: it has over 4,000 people)."""
    return load_scenario(CHONGWEN / "scenario.yaml")


@pytest.fixture(scope="module")
def huangsiwan():
    """The Huangsiwan profile, its own norms (extending the default) and their estimate."""
    profile = load_profile(HUANGSIWAN / "profile.yaml")
    norms = load_norms(HUANGSIWAN / "norms.yaml")
    return profile, norms, estimate(profile, norms)


# ---------------------------------------------------------------- Chongwen: published figures
def test_chongwen_estimate_reproduces_the_published_totals(chongwen):
    """The estimate totals 5,895 people a day = 1,725 at sampling stations + 4,170 front-line."""
    _, _, est = chongwen
    assert est.block_total("sampling") == 1725
    assert est.block_total("frontline") == 4170
    assert est.total == 5895 == sum(line.people_per_day for line in est.lines)


def test_chongwen_profile_holds_the_reported_facts(chongwen):
    """Every number the report gives about the district is in the profile."""
    profile, _, _ = chongwen
    assert len(profile.communities) == 7
    assert profile.grid_count == 64
    assert profile.area_km2 == 12
    assert (profile.households, profile.residents) == (15270, 56717)
    kinds = Counter(c.kind for c in profile.compounds)
    assert kinds == {
        CompoundKind.PROPERTY: 18,
        CompoundKind.GATEHOUSE: 19,
        CompoundKind.THREE_NO: 8,
    }
    assert len(profile.bungalow_areas) == 24
    assert len(profile.sampling_stations) == 38
    counts = {k: profile.site_count(k) for k in SiteKind}
    assert counts[SiteKind.MARKET] == 2
    assert counts[SiteKind.HOTEL] == 62
    assert counts[SiteKind.SUPERMARKET] == 2
    assert counts[SiteKind.PHARMACY] == 27
    assert counts[SiteKind.SHOP] == 1180
    assert profile.site_count(*INSTITUTION_KINDS) == 21
    # 1 university, 1 senior high, 1 junior high, 1 vocational, 3 primary, 1 hospital,
    # 1 health centre; the other 12 institutions are not itemised by the report.
    listed = [SiteKind.UNIVERSITY, SiteKind.SENIOR_HIGH, SiteKind.JUNIOR_HIGH]
    listed += [SiteKind.VOCATIONAL_SCHOOL, SiteKind.HOSPITAL, SiteKind.HEALTH_CENTRE]
    assert [counts[k] for k in listed] == [1] * 6
    assert counts[SiteKind.PRIMARY_SCHOOL] == 3
    assert sum(profile.delivery_workers.values()) == 245
    assert len(profile.working_groups) == 14
    assert profile.ambulances == 2


def test_chongwen_sampling_stations_serve_every_resident(chongwen):
    """The 38 stations serve all 56,717 residents; each has a desk per 700 it serves, rounded up."""
    profile, _, est = chongwen
    assert sum(s.residents_served for s in profile.sampling_stations) == 56717
    desks = next(line for line in est.lines if line.norm.measure == "sampling_desks")
    expected = sum(-(-s.residents_served // 700) for s in profile.sampling_stations)
    assert desks.staffing_units == expected


def test_chongwen_roster_counts_by_kind():
    """Staff by kind and volunteers are the report's: 328 staff and 3,414 volunteers."""
    profile = load_profile(CHONGWEN / "profile.yaml")
    spec = load_roster(CHONGWEN / "roster.yaml")
    people = generate_roster(spec, model_communities(profile), profile.horizon.start, 7)
    counts = Counter(p.category for p in people)
    staff = {"street_cadre": 72, "community_worker": 24, "assistant": 129}
    staff |= {"committee_member": 45, "group_leader": 58}
    assert {k: counts[k] for k in staff} == staff
    assert sum(staff.values()) == 328
    assert counts["volunteer"] == 3414
    # the stated assumptions: medical samplers and seconded cadres exist, some seconded
    # cadres leave inside the week
    assert counts["medical"] > 0
    leaving = [p for p in people if p.category == "seconded_cadre" and p.available_until]
    assert leaving and all(profile.horizon.start <= p.available_until for p in leaving)


def test_chongwen_roster_generation_is_deterministic():
    """The same roster file gives the same people; another seed gives other people."""
    profile = load_profile(CHONGWEN / "profile.yaml")
    spec = load_roster(CHONGWEN / "roster.yaml")
    where = (model_communities(profile), profile.horizon.start, 7)
    first = generate_roster(spec, *where)
    assert generate_roster(spec, *where) == first
    other = spec.model_copy(update={"seed": spec.seed + 1})
    assert generate_roster(other, *where) != first


def test_shipped_chongwen_scenario_matches_its_inputs(chongwen, chongwen_scenario):
    """scenario.yaml is exactly what `planner estimate` builds from profile and roster."""
    profile, norms, est = chongwen
    built = build_scenario(profile, norms, est, load_roster(CHONGWEN / "roster.yaml"))
    assert chongwen_scenario == built


def test_shipped_chongwen_scenario_demands_the_estimate_every_day(chongwen_scenario):
    """Each day the posts of scenario.yaml ask for 5,895 people, in a few hundred posts."""
    scenario = chongwen_scenario
    assert scenario.horizon.days == 7
    assert 100 <= len(scenario.posts) <= 400  # aggregated, see README
    for date in scenario.horizon.dates():
        demand = sum(
            role.headcount
            for post in scenario.posts
            for shift in post.shifts
            if (entry := post.demand_on(date, shift)) is not None
            for role in entry.roles
        )
        assert demand == 5895


def test_shipped_chongwen_14_day_variant(chongwen):
    """scenario_14d.yaml is the same district over 14 days; every seconded cadre leaves in it."""
    profile, norms, est = chongwen
    built = build_scenario(profile, norms, est, load_roster(CHONGWEN / "roster.yaml"), days=14)
    variant = load_scenario(CHONGWEN / "scenario_14d.yaml")
    assert variant == built
    assert variant.horizon.days == 14
    seconded = [p for p in variant.people if p.category == "seconded_cadre"]
    assert all(p.available_until is not None for p in seconded)


def test_chongwen_breakdown_table_sums_to_the_total(chongwen):
    """The printed table lists every line and ends with the total and the published check."""
    _, _, est = chongwen
    text = format_breakdown(est)
    last = text.splitlines()[-1]
    assert last.startswith("合计 total") and last.endswith("5,895")
    assert "1,725" in text and "4,170" in text
    # one Chinese row (two-space indent) per line of the estimate, then the subtotals
    items = [ln for ln in text.splitlines() if ln.startswith("  ") and ln[2] != " "]
    assert len(items) == len(est.lines) + len(est.blocks)


# ---------------------------------------------------------------- Huangsiwan
def test_huangsiwan_profile_holds_the_reported_facts(huangsiwan):
    """5 communities, 55,970 residents, 31.2% of them aged 60 or over."""
    profile, _, est = huangsiwan
    assert len(profile.communities) == 5
    assert profile.residents == 55970
    over_60 = sum(
        g.residents * (g.over_60_share or 0) for c in profile.communities for g in c.grids
    )
    assert over_60 / profile.residents == pytest.approx(0.312, abs=0.0005)
    assert est.total > 0


def test_huangsiwan_roster_and_rules():
    """44 cadres (9 men, 35 women; 6/14/24 by age), elderly volunteers barred, one leaving day."""
    scenario = load_scenario(HUANGSIWAN / "scenario.yaml")
    cadres = [p for p in scenario.people if p.category == "committee_member"]
    assert len(cadres) == 44
    assert Counter(p.sex for p in cadres) == {"male": 9, "female": 35}
    ages = [p.age or 0 for p in cadres]
    assert [sum(lo <= a < hi for a in ages) for lo, hi in ((20, 30), (30, 40), (40, 200))] == [
        6,
        14,
        24,
    ]
    per_community = Counter(p.community for p in cadres)
    assert sorted(per_community.values()) == [8, 9, 9, 9, 9]  # "about 8 per community"
    volunteers = [p for p in scenario.people if p.category == "volunteer"]
    assert sum(scenario.is_vulnerable(p) for p in volunteers) > len(volunteers) / 2
    assert scenario.rules.exposure.vulnerable_max_exposure == Exposure.LOW
    leaving = {p.available_until for p in scenario.people if p.category == "seconded_cadre"}
    assert len(leaving) == 1
    (day,) = leaving
    assert (
        day is not None and scenario.horizon.contains(day) and day != scenario.horizon.dates()[-1]
    )
    assert any(post.exposure == Exposure.LOW for post in scenario.posts)


def test_shipped_huangsiwan_scenario_matches_its_inputs(huangsiwan):
    """huangsiwan/scenario.yaml is exactly what `planner estimate` builds from its inputs."""
    profile, norms, est = huangsiwan
    built = build_scenario(profile, norms, est, load_roster(HUANGSIWAN / "roster.yaml"))
    assert load_scenario(HUANGSIWAN / "scenario.yaml") == built


def test_huangsiwan_norms_extend_the_default(huangsiwan):
    """The extension drops the floor/lane/courtyard/shop leader norms and adds phone care."""
    _, norms, _ = huangsiwan
    ids = {n.id for n in norms.norms}
    assert "floor_leader" not in ids and "elderly_calls" in ids
    assert "gate_three_no" in ids  # kept from the default
    assert norms.rules.exposure.vulnerable_max_exposure == Exposure.LOW
    assert norms.rules.defaults == load_norms().rules.defaults  # merged, not replaced


# ---------------------------------------------------------------- estimate on a tiny district
TINY_PROFILE = {
    "name": "小街道",
    "horizon": {"start": "2022-04-25", "days": 2},
    "communities": [
        {"id": "c1", "grids": [{"id": "g1", "households": 20, "residents": 750}]},
        {"id": "c2", "grids": [{"id": "g2", "households": 10, "residents": 30}]},
    ],
    "compounds": [
        {"id": "m1", "kind": "gatehouse", "community": "c1", "grid": "g1", "households": 13,
         "buildings": 2, "gates": 2, "open_gates": 1},
        {"id": "m2", "kind": "gatehouse", "community": "c1", "grid": "g1", "households": 7,
         "buildings": 1, "gates": 1},
    ],
    "sampling_stations": [{"id": "s1", "community": "c1", "residents_served": 701}],
    "sites": [{"kind": "pharmacy", "community": "c2", "count": 3}],
}  # fmt: skip


def test_tiny_estimate_by_hand():
    """Hand-derived people per day for a two-community district under the default norms."""
    profile = DistrictProfile.model_validate(TINY_PROFILE)
    est = estimate(profile, load_norms())
    got = {line.norm.id: line.people_per_day for line in est.lines if line.people_per_day}
    # gatehouse gates: 2 open gates x 2 people x 4 shifts = 16
    assert got["gate_gatehouse"] == 16
    # floor leaders: 13 + 7 = 20 households on one grid post, ceil(20 / 6) = 4
    assert got["floor_leader"] == 4
    assert got["building_leader"] == 3
    # one grid leader per grid, one disinfection sprayer per grid
    assert got["grid_leader"] == 2 and got["disinfection"] == 2
    # 701 residents -> ceil(701 / 700) = 2 desks; 2 swabbers per desk and shift, 2 shifts
    assert got["swab"] == 8 and got["registration"] == 8
    # order keeping: ceil(701 / 350) = 3 marshals, 2 in the morning and 1 in the afternoon each
    assert got["order_desk"] == 9
    # pharmacies: 3 x 1 person x 2 shifts
    assert got["pharmacy"] == 6
    assert est.total == sum(got.values())
    posts = {p.id: p for p in est.posts}
    assert posts["gate_gatehouse-m1"].people_per_day == 8
    assert posts["grid_leaders-g1"].community == "c1"


def test_tiny_cli_writes_a_valid_scenario(tmp_path, capsys):
    """`planner estimate` prints the table and writes a scenario that loads, with its roster."""
    import yaml

    profile_path = tmp_path / "profile.yaml"
    profile_path.write_text(yaml.safe_dump(TINY_PROFILE, allow_unicode=True), encoding="utf-8")
    roster = {
        "seed": 1,
        "groups": [
            {"category": "volunteer", "count": 5, "id_prefix": "v", "home": "grid",
             "ages": [{"low": 20, "high": 70, "share": 1.0}]},
        ],
        "people": [{"id": "m1", "category": "medical", "skills": ["swab"]}],
    }  # fmt: skip
    roster_path = tmp_path / "roster.yaml"
    roster_path.write_text(yaml.safe_dump(roster), encoding="utf-8")
    out = tmp_path / "scenario.yaml"
    argv = ["estimate", str(profile_path), "--roster", str(roster_path), "--out", str(out)]
    assert main([*argv, "--days", "3"]) == EXIT_OK
    printed = capsys.readouterr().out
    assert "合计 total" in printed
    scenario = load_scenario(out)
    assert scenario.horizon.days == 3
    assert len(scenario.people) == 6
    assert {p.grid for p in scenario.people if p.category == "volunteer"} <= {"g1", "g2"}


# ---------------------------------------------------------------- invalid input
BAD_PROFILES = [
    # a compound in an unknown community
    ({"compounds": [{"id": "x", "kind": "property", "community": "c9", "households": 1,
                     "buildings": 1, "gates": 1}]}, "compounds[0].community", "c9"),
    # a grid that belongs to another community
    ({"sampling_stations": [{"id": "s9", "community": "c2", "grid": "g1",
                             "residents_served": 1}]}, "sampling_stations[0].grid", "g1"),
    # more gates open than the compound has
    ({"compounds": [{"id": "m9", "kind": "gatehouse", "community": "c1", "households": 1,
                     "buildings": 1, "gates": 1, "open_gates": 2}]}, "open_gates", "m9"),
    # stations serving more residents than the community has
    ({"sampling_stations": [{"id": "s9", "community": "c2", "residents_served": 31}]},
     "sampling_stations", "c2"),
    # delivery workers for an unknown community
    ({"delivery_workers": {"c7": 3}}, "delivery_workers.c7", "c7"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "field", "ident"), BAD_PROFILES)
def test_invalid_profiles_name_field_and_id(tmp_path, capsys, change, field, ident):
    """Each invalid profile exits with an input error naming the field and the id."""
    import yaml

    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump({**TINY_PROFILE, **change}), encoding="utf-8")
    assert main(["estimate", str(path)]) == EXIT_INPUT
    err = capsys.readouterr().err
    assert field in err and f"'{ident}'" in err


BAD_NORMS = [
    # a norm on an unknown post kind
    ({"norms": [{"id": "n", "block": "frontline", "post": "nowhere", "role": "r",
                 "name_zh": "x", "name_en": "x", "measure": "grids", "rationale": "r"}]},
     "nowhere"),
    # a headcount for a shift its post kind does not run
    ({"norms": [{"id": "n", "block": "frontline", "post": "delivery", "role": "r",
                 "name_zh": "x", "name_en": "x", "measure": "grids", "rationale": "r",
                 "headcount": {"n8": 1}}]}, "n8"),
    # an unknown category
    ({"norms": [{"id": "n", "block": "frontline", "post": "delivery", "role": "r2",
                 "name_zh": "x", "name_en": "x", "measure": "grids", "rationale": "r",
                 "categories": ["wizard"]}]}, "wizard"),
    # removing a norm that does not exist
    ({"remove_norms": ["no_such_norm"]}, "no_such_norm"),
    # a norm without a rationale
    ({"norms": [{"id": "n", "block": "frontline", "post": "delivery", "role": "r3",
                 "name_zh": "x", "name_en": "x", "measure": "grids", "rationale": ""}]}, "norms"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "needle"), BAD_NORMS)
def test_invalid_norms_are_named(tmp_path, change, needle):
    """An extension with a bad norm is refused with a message naming what is wrong."""
    import yaml

    from planner.io import InputError

    path = tmp_path / "norms.yaml"
    path.write_text(yaml.safe_dump({"extends": "default", **change}), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_norms(path)
    assert needle in str(info.value)


def test_default_norms_each_have_a_rationale():
    """Every default norm states why (the model refuses an empty rationale)."""
    norms = load_norms()
    assert all(n.rationale.strip() for n in norms.norms)
    assert {b.id for b in norms.blocks} == {"sampling", "frontline"}


def test_roster_leave_inside_horizon_only():
    """A seconded cadre who leaves after the horizon ends has no end date in the scenario."""
    from planner.district.roster import RosterSpec

    profile = DistrictProfile.model_validate(TINY_PROFILE)
    spec = RosterSpec.model_validate(
        {
            "seed": 3,
            "groups": [
                {"category": "seconded_cadre", "count": 4, "id_prefix": "s", "home": "community",
                 "ages": [{"low": 30, "high": 40, "share": 1}],
                 "leave": [{"last_day": 0, "share": 0.5}, {"last_day": 5, "share": 0.5}]},
            ],
        }
    )  # fmt: skip
    start = dt.date(2022, 4, 25)
    people = generate_roster(spec, model_communities(profile), start, 3)
    assert sorted(str(p.available_until) for p in people) == ["2022-04-25"] * 2 + ["None"] * 2
