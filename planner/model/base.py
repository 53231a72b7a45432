"""Shared base class and small value types of the domain model."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Frozen(BaseModel):
    """Immutable, strict base: unknown fields are errors, instances never change."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Exposure(StrEnum):
    """Infection exposure of a post, ordered low < medium < high."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        """0 for low, 1 for medium, 2 for high."""
        return ("low", "medium", "high").index(self.value)


class PostType(StrEnum):
    """What kind of work a post is."""

    CHECKPOINT = "checkpoint"
    SAMPLING_STATION = "sampling_station"
    GRID_DUTY = "grid_duty"
    DELIVERY = "delivery"
    DISINFECTION = "disinfection"
    TRANSFER = "transfer"
    TRAFFIC = "traffic"
    MARKET = "market"
    COMMAND = "command"
    OTHER = "other"


#: The built-in person categories; a scenario may add its own in ``custom_categories``.
BUILTIN_CATEGORIES: tuple[str, ...] = (
    "street_cadre",
    "community_worker",
    "assistant",
    "committee_member",
    "group_leader",
    "seconded_cadre",
    "volunteer",
    "medical",
    "police",
)

#: Chinese labels of the built-in categories, for outputs planners read.
CATEGORY_ZH: dict[str, str] = {
    "street_cadre": "街道干部",
    "community_worker": "社区专职工作者",
    "assistant": "协管员",
    "committee_member": "两委成员",
    "group_leader": "居民组长",
    "seconded_cadre": "下沉干部",
    "volunteer": "志愿者",
    "medical": "医务人员",
    "police": "民警",
}

POST_TYPE_ZH: dict[str, str] = {
    "checkpoint": "卡口",
    "sampling_station": "核酸采样点",
    "grid_duty": "网格值守",
    "delivery": "物资配送",
    "disinfection": "消杀",
    "transfer": "转运",
    "traffic": "交通管制",
    "market": "市场管控",
    "command": "指挥调度",
    "other": "其他",
}


class Locality(StrEnum):
    """How far from home a category may serve."""

    GRID = "grid"
    COMMUNITY = "community"
    DISTRICT = "district"
