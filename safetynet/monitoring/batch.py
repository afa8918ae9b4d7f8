"""Process settings for a batch screening (`safetynet screen`, the benchmark), applied before polars loads.

A screening assesses chunk after chunk, each allocating and freeing several hundred MB. Polars' allocator
(jemalloc) hands freed pages back to the system within seconds, so every chunk takes them again, one page
fault per 4 KiB: on a 1M-household roster about a third of a million faults, a tenth of the screening's
CPU. A batch process keeps its freed pages for the next chunk instead: the pages are reused, so its peak
memory grows only a little (about 80 MB at 1M households). Not for the web server, whose memory should
go back to the system after a request.

The cyclic garbage collector also runs less often: importing polars, numpy and the rules allocates
hundreds of thousands of long-lived objects, and the default thresholds walk them again and again (about
0.1 s of a 1M screening's CPU). The frames themselves are freed by reference counting, not by it.
"""

from __future__ import annotations

import gc
import os
import sys

JEMALLOC_SETTING = "_RJEM_MALLOC_CONF"  # read once, when polars' runtime library is loaded
KEEP_FREED_PAGES = "dirty_decay_ms:-1"
GC_THRESHOLDS = (20_000, 50, 100)  # Python's defaults: (700, 10, 10)


def prepare_batch_process() -> bool:
    """Keep freed pages for reuse in this process and collect cycles less often; True if the page
    setting came in time (before polars was loaded). A setting already in the environment is kept."""
    gc.set_threshold(*GC_THRESHOLDS)
    if "polars" in sys.modules:
        return False
    os.environ.setdefault(JEMALLOC_SETTING, KEEP_FREED_PAGES)
    return True
