"""What-if comparisons and staffing needs.

- :mod:`planner.whatif.spec`: the spec file, a base scenario and named variants of edits;
- :mod:`planner.whatif.edits`: applying a variant's edits (copy and re-validate);
- :mod:`planner.whatif.compare`: solving every variant and comparing them;
- :mod:`planner.whatif.need`: the fewest additional people that reach a target coverage.
"""

from planner.whatif.edits import apply_variant
from planner.whatif.spec import Variant, WhatIfSpec, load_spec

__all__ = ["Variant", "WhatIfSpec", "apply_variant", "load_spec"]
