"""Process settings for a batch screening (`safetynet screen`, the benchmark), applied before polars loads.

A screening assesses chunk after chunk, each allocating and freeing several hundred MB. Polars' allocator
(jemalloc) hands freed pages back to the system within seconds, so every chunk takes them again, one page
fault per 4 KiB: on a 1M-household roster about a third of a million faults, a tenth of the screening's
CPU. A batch process keeps its freed pages for the next chunk instead: the pages are reused, so its peak
memory grows only a little (about 80 MB at 1M households). Not for the web server, whose memory should
go back to the system after a request.
"""

from __future__ import annotations

import os
import sys

JEMALLOC_SETTING = "_RJEM_MALLOC_CONF"  # read once, when polars' runtime library is loaded
KEEP_FREED_PAGES = "dirty_decay_ms:-1"


def prepare_batch_process() -> bool:
    """Keep freed pages for reuse in this process; True if set in time (before polars was loaded).
    A setting already in the environment is left as it is."""
    if "polars" in sys.modules:
        return False
    os.environ.setdefault(JEMALLOC_SETTING, KEEP_FREED_PAGES)
    return True
