"""Edits of posts and demand: change posts, close posts, run posts on other shifts."""

from __future__ import annotations

import math
from collections import defaultdict

from planner.model import (
    MINUTES_PER_DAY,
    AtLeast,
    Demand,
    FixedAssignment,
    ForbiddenAssignment,
    Post,
    Role,
    Scenario,
    ShiftTemplate,
)
from planner.report.build import post_community
from planner.whatif.spec import ChangePosts, PostFilter, RemovePosts, ShiftPattern


def select_posts(scenario: Scenario, where: PostFilter) -> list[int]:
    """Indices (ascending) of the posts ``where`` matches.

    Raises
    ------
    ValueError
        If it names an unknown community or post, or matches no post.
    """
    communities = {c.id for c in scenario.communities}
    for cid in where.communities:
        if cid not in communities:
            raise ValueError(f"where.communities: unknown community '{cid}'")
    for pid in where.ids:
        if pid not in scenario.post_by_id:
            raise ValueError(f"where.ids: unknown post '{pid}'")
    out = [
        idx
        for idx, post in enumerate(scenario.posts)
        if (not where.types or post.type in where.types)
        and (not where.communities or post_community(scenario, post) in where.communities)
        and (not where.ids or post.id in where.ids)
    ]
    if not out:
        raise ValueError("where: no post matches")
    return out


def _post(post: Post, **changes: object) -> Post:
    fields = {name: getattr(post, name) for name in Post.model_fields}
    fields.update(changes)
    return Post(**fields)


def _with_roles(entry: Demand, roles: list[Role]) -> Demand:
    return Demand(shift=entry.shift, days=entry.days, roles=roles, at_least=entry.at_least)


def _role(role: Role, headcount: int) -> Role:
    fields = {name: getattr(role, name) for name in Role.model_fields}
    return Role(**{**fields, "headcount": headcount})


def change_posts(scenario: Scenario, edit: ChangePosts) -> list[Post]:
    """The posts with the selected ones changed (see :class:`ChangePosts`)."""
    picked = set(select_posts(scenario, edit.where))
    out = []
    for idx, post in enumerate(scenario.posts):
        if idx not in picked:
            out.append(post)
            continue
        demand = []
        for entry in post.demand:
            roles = []
            for role in entry.roles:
                count = role.headcount
                if edit.scale is not None and (not edit.roles or role.role in edit.roles):
                    count = math.floor(count * edit.scale + 0.5)
                count = edit.headcount.get(role.role, count)
                roles.append(_role(role, count))
            demand.append(_with_roles(entry, roles))
        changes: dict[str, object] = {"demand": demand}
        if edit.priority is not None:
            changes["priority"] = edit.priority
        if edit.exposure is not None:
            changes["exposure"] = edit.exposure
        out.append(_post(post, **changes))
    return out


def _closing_order(scenario: Scenario, candidates: list[int], number: int) -> list[int]:
    """Which ``number`` posts close: from the community with the most open, last listed first."""
    open_by_community: dict[str, list[int]] = defaultdict(list)
    for idx in candidates:
        open_by_community[post_community(scenario, scenario.posts[idx])].append(idx)
    order = list(open_by_community)
    closing = []
    for _ in range(number):
        community = max(order, key=lambda c: (len(open_by_community[c]), -order.index(c)))
        closing.append(open_by_community[community].pop())
    return closing


def remove_posts(
    scenario: Scenario, edit: RemovePosts
) -> tuple[list[Post], list[FixedAssignment], list[ForbiddenAssignment]]:
    """The posts with the selected ones closed, their moved headcount spread; pins cleaned."""
    candidates = select_posts(scenario, edit.where)
    number = len(candidates)
    if edit.count is not None:
        number = edit.count
    elif edit.keep is not None:
        number = len(candidates) - edit.keep
    if number < 0 or number > len(candidates):
        raise ValueError(f"{len(candidates)} posts match; cannot close {number}")
    closing = set(_closing_order(scenario, candidates, number))
    moved: dict[str, dict[tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))
    for idx in closing:
        post = scenario.posts[idx]
        for entry in post.demand:
            if entry.days is not None and edit.move_roles:
                raise ValueError(f"post '{post.id}': moving roles needs demand on every day")
            for role in entry.roles:
                if role.role in edit.move_roles:
                    moved[post_community(scenario, post)][(entry.shift, role.role)] += (
                        role.headcount
                    )
    receivers: dict[str, list[int]] = defaultdict(list)
    for idx in candidates:
        if idx not in closing:
            receivers[post_community(scenario, scenario.posts[idx])].append(idx)
    extra: dict[int, dict[tuple[str, str], int]] = defaultdict(dict)
    for community, amounts in moved.items():
        takers = receivers.get(community, [])
        if not takers:
            raise ValueError(f"community '{community}': no post left to take the moved roles")
        for key, amount in amounts.items():
            share, rest = divmod(amount, len(takers))
            for rank, idx in enumerate(takers):
                extra[idx][key] = share + (1 if rank < rest else 0)
    posts = []
    for idx, post in enumerate(scenario.posts):
        if idx in closing:
            continue
        if idx in extra:
            post = _post(post, demand=[_grown(post, entry, extra[idx]) for entry in post.demand])
        posts.append(post)
    gone = {scenario.posts[i].id for i in closing}
    fixed = [f for f in scenario.fixed if f.post not in gone]
    forbidden = [f for f in scenario.forbidden if f.post not in gone]
    return posts, fixed, forbidden


def _grown(post: Post, entry: Demand, extra: dict[tuple[str, str], int]) -> Demand:
    roles = [_role(r, r.headcount + extra.get((entry.shift, r.role), 0)) for r in entry.roles]
    have = {r.role for r in entry.roles}
    for shift, role in extra:
        if shift == entry.shift and role not in have:
            raise ValueError(f"post '{post.id}': no role '{role}' on shift '{shift}' to take")
    return _with_roles(entry, roles)


def _overlap(a: ShiftTemplate, b: ShiftTemplate) -> bool:
    """True if the two templates overlap in time of day (on some pair of days)."""
    for shift in (-MINUTES_PER_DAY, 0, MINUTES_PER_DAY):
        start = b.start_minute + shift
        if a.start_minute < start + b.duration_min and start < a.start_minute + a.duration_min:
            return True
    return False


def shift_pattern(scenario: Scenario, edit: ShiftPattern) -> tuple[list[ShiftTemplate], list[Post]]:
    """The shift templates (new ones appended) and posts moved to the new pattern."""
    by_id = dict(scenario.shift_by_id)
    new_ids = []
    shifts = list(scenario.shifts)
    for item in edit.shifts:
        if isinstance(item, str):
            if item not in by_id:
                raise ValueError(f"shifts: unknown shift '{item}'")
            new_ids.append(item)
            continue
        if item.id in by_id:
            if by_id[item.id] != item:
                raise ValueError(f"shifts: shift '{item.id}' exists with other times")
        else:
            by_id[item.id] = item
            shifts.append(item)
        new_ids.append(item.id)
    picked = set(select_posts(scenario, edit.where))
    posts = []
    for idx, post in enumerate(scenario.posts):
        if idx in picked:
            post = _repattern(post, new_ids, by_id)
        posts.append(post)
    return shifts, posts


def _repattern(post: Post, new_ids: list[str], by_id: dict[str, ShiftTemplate]) -> Post:
    if any(entry.days is not None for entry in post.demand):
        raise ValueError(f"post '{post.id}': a new shift pattern needs demand on every day")
    demand = []
    for tid in new_ids:
        new = by_id[tid]
        old = [e for e in post.demand if _overlap(new, by_id[e.shift])] or list(post.demand)
        heads: dict[str, Role] = {}
        at_least: list[AtLeast] = []
        for entry in old:
            for role in entry.roles:
                if role.role not in heads or role.headcount > heads[role.role].headcount:
                    heads[role.role] = role
            at_least += [rule for rule in entry.at_least if rule not in at_least]
        if heads:
            demand.append(Demand(shift=tid, roles=list(heads.values()), at_least=at_least))
    return _post(post, shifts=list(new_ids), demand=demand)
