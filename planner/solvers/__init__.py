"""Solvers: ``solve(scenario, params) -> Plan`` behind one small interface."""

from planner.solvers.base import Progress, ProgressCallback, SolveParams
from planner.solvers.facade import solve

__all__ = ["Progress", "ProgressCallback", "SolveParams", "solve"]
