"""The CP-SAT backend: variables, one module per constraint family, objective, solve."""
