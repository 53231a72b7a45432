"""The synthetic district generator: parameters respected, deterministic for a seed, solvable."""

from __future__ import annotations

from collections import Counter

import pytest

from planner.district.files import scenario_yaml
from planner.generate import generate_district
from planner.io import load_scenario


def test_same_seed_same_scenario():
    """Two calls with the same parameters and seed give equal scenarios."""
    assert generate_district(seed=7) == generate_district(seed=7)


def test_different_seed_different_scenario():
    """Another seed changes the people and the posts."""
    first, second = generate_district(seed=7), generate_district(seed=8)
    assert first != second
    assert first.people != second.people
    assert first.posts != second.posts


def test_parameters_are_respected():
    """Communities, grids, people by category, posts by type and horizon are as asked."""
    people = {"volunteer": 25, "street_cadre": 3, "medical": 2, "shop_owner": 4}
    posts = {"checkpoint": 3, "sampling_station": 2, "delivery": 1, "transfer": 1}
    scenario = generate_district(
        communities=3, grids_per_community=2, people=people, posts=posts, days=5, seed=1
    )
    assert len(scenario.communities) == 3
    assert all(len(c.grids) == 2 for c in scenario.communities)
    assert Counter(p.category for p in scenario.people) == people
    assert Counter(p.type.value for p in scenario.posts) == posts
    assert scenario.horizon.days == 5
    assert "shop_owner" in scenario.custom_categories
    # volunteers live in a grid; checkpoints sit in one, sampling stations in a community
    assert all(p.grid is not None for p in scenario.people if p.category == "volunteer")
    assert all(p.grid is not None for p in scenario.posts if p.type == "checkpoint")
    assert all(
        p.grid is None and p.community for p in scenario.posts if p.type == "sampling_station"
    )


def test_round_trips_through_compact_yaml(tmp_path):
    """The compact YAML writer gives back an equal scenario."""
    scenario = generate_district(seed=3)
    path = tmp_path / "district.yaml"
    path.write_text(scenario_yaml(scenario), encoding="utf-8")
    assert load_scenario(path) == scenario


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"posts": {"spaceship": 1}}, "posts.spaceship"),  # unknown post type
        ({"people": {"volunteer": -1}}, "people.volunteer"),  # negative count
        ({"communities": 0}, "communities"),  # no locality at all
    ],
)
def test_invalid_parameters(kwargs, message):
    """Bad parameters raise ValueError naming the parameter."""
    with pytest.raises(ValueError, match=message):
        generate_district(**kwargs)


def test_tiny_generated_district_solves_and_checks():
    """A tiny generated district solves within 5 s and the checker accepts the plan."""
    from planner.check import check
    from planner.solvers import SolveParams, solve

    scenario = generate_district(
        communities=1,
        grids_per_community=2,
        people={"volunteer": 8, "community_worker": 2, "street_cadre": 1, "medical": 1},
        posts={"checkpoint": 1, "grid_duty": 1, "sampling_station": 1},
        days=3,
        seed=5,
    )
    plan = solve(scenario, SolveParams(time_limit_s=5, workers=2, seed=0))
    assert plan.assignments
    result = check(scenario, plan)
    assert result.feasible
    assert result.objective == plan.stats.objective
