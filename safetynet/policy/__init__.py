"""The rules engine (issue 3): dated, sourced parameters and one vectorised rule set.

Pure: imports nothing from the other safetynet apps (only safetynet.core's pure modules), no ORM.
"""

import os

# The engine uses numpy for element-wise work only, never BLAS. OpenBLAS otherwise starts a thread per
# core that spins after start-up, taking a core from polars during the first Parquet reads (set before
# numpy is imported; an explicit setting is kept).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
