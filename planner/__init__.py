"""planner: workforce planning for street offices staffing an epidemic lockdown."""

__version__ = "0.1.0"
