"""Reports on a plan: building it from a roster, KPIs and the terminal summary."""

from planner.report.build import build_plan

__all__ = ["build_plan"]
