"""Applying a variant's edits to a scenario: copy, change, re-validate; never mutate.

Each edit builds a new :class:`~planner.model.Scenario` from the previous one's fields
with some replaced; the scenario's root validator then checks every cross-reference
again, so an edit that names an unknown community or leaves a dangling reference fails
with the scenario's own message, prefixed by the variant and the edit at fault.
"""

from __future__ import annotations

import zlib
from typing import Any

import numpy as np
from pydantic import BaseModel, ValidationError

from planner.io.errors import validation_messages
from planner.model import Scenario, WorkRules
from planner.whatif.people_edits import add_people, change_availability, remove_people
from planner.whatif.post_edits import change_posts, remove_posts, shift_pattern
from planner.whatif.spec import (
    AddPeople,
    Availability,
    ChangePosts,
    ChangeRules,
    Edit,
    RemovePeople,
    RemovePosts,
    ShiftPattern,
    Variant,
)


def replace(scenario: Scenario, **changes: Any) -> Scenario:
    """A new scenario with ``changes`` replacing fields, validated again as a whole."""
    fields = {name: getattr(scenario, name) for name in Scenario.model_fields}
    fields.update(changes)
    return Scenario(**fields)


def edit_rng(seed: int, variant: str, edit_idx: int) -> np.random.Generator:
    """The generator of one edit: depends on the spec seed, the variant's name and the edit."""
    return np.random.default_rng([seed, zlib.crc32(variant.encode("utf-8")), edit_idx])


def _set_fields(current: BaseModel, given: BaseModel) -> dict[str, Any]:
    """``current``'s fields with those explicitly given in ``given`` replacing them."""
    data = {name: getattr(current, name) for name in type(current).model_fields}
    for name in given.model_fields_set:
        data[name] = getattr(given, name)
    return data


def change_rules(scenario: Scenario, edit: ChangeRules) -> Scenario:
    """Apply a :class:`ChangeRules` edit (see its docstring for the merge rules)."""
    rules = scenario.rules
    defaults = rules.defaults.merged(edit.defaults)
    categories: dict[str, WorkRules] = dict(rules.categories)
    for category, override in edit.categories.items():
        categories[category] = categories.get(category, WorkRules()).merged(override)
    exposure = rules.exposure
    if edit.exposure is not None:
        exposure = type(exposure)(**_set_fields(exposure, edit.exposure))
    successions = rules.forbidden_successions
    if edit.forbidden_successions is not None:
        successions = list(edit.forbidden_successions)
    new_rules = type(rules)(
        defaults=defaults,
        categories=categories,
        locality={**rules.locality, **edit.locality},
        exposure=exposure,
        forbidden_successions=successions,
    )
    objective = scenario.objective
    if edit.objective is not None:
        objective = type(objective)(**_set_fields(objective, edit.objective))
    return replace(scenario, rules=new_rules, objective=objective)


def apply_edit(scenario: Scenario, edit: Edit, rng: np.random.Generator, tag: str) -> Scenario:
    """One edit applied to ``scenario``; ``tag`` names it in generated ids."""
    if isinstance(edit, AddPeople):
        return replace(scenario, people=add_people(scenario, edit, rng, tag))
    if isinstance(edit, RemovePeople):
        people, fixed, forbidden = remove_people(scenario, edit.who, rng)
        return replace(scenario, people=people, fixed=fixed, forbidden=forbidden)
    if isinstance(edit, Availability):
        return replace(scenario, people=change_availability(scenario, edit, rng))
    if isinstance(edit, ChangeRules):
        return change_rules(scenario, edit)
    if isinstance(edit, ChangePosts):
        return replace(scenario, posts=change_posts(scenario, edit))
    if isinstance(edit, RemovePosts):
        posts, fixed, forbidden = remove_posts(scenario, edit)
        return replace(scenario, posts=posts, fixed=fixed, forbidden=forbidden)
    if isinstance(edit, ShiftPattern):
        shifts, posts = shift_pattern(scenario, edit)
        return replace(scenario, shifts=shifts, posts=posts)
    raise ValueError(f"unknown edit kind {type(edit).__name__}")  # pragma: no cover


def apply_variant(base: Scenario, variant: Variant, seed: int = 0) -> Scenario:
    """The scenario of ``variant``: ``base`` with its edits applied in order.

    The result is named ``<base name> · <variant label>``; ``base`` is left unchanged.

    Raises
    ------
    ValueError
        With one line per problem, each starting ``variants.<name>.edits[<i>] (<kind>):``.
    """
    scenario = base
    for idx, edit in enumerate(variant.edits):
        where = f"variants.{variant.name}.edits[{idx}] ({edit.kind})"
        try:
            scenario = apply_edit(
                scenario, edit, edit_rng(seed, variant.name, idx), f"{variant.name}-{idx}"
            )
        except ValidationError as exc:
            lines = validation_messages(exc)
            raise ValueError("\n".join(f"{where}: {line}" for line in lines)) from None
        except ValueError as exc:
            raise ValueError(f"{where}: {exc}") from None
    if variant.name == "base" and not variant.edits:
        return scenario
    return replace(scenario, name=f"{base.name} · {variant.title}")
