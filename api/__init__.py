"""HTTP service for planner (FastAPI)."""
