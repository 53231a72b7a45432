"""Reports on a plan: building it from a roster, KPIs and the terminal summary."""

from planner.report.build import build_plan
from planner.report.summary import summary_text

__all__ = ["build_plan", "summary_text"]
