"""Run every benchmark, or those named: `python -m bench [pages] [make_run] …`."""

from __future__ import annotations

import importlib
import sys

SUITES = ["pages", "make_run", "screening", "feeds", "alerts"]


def main(argv: list[str]) -> int:
    chosen = argv or SUITES
    unknown = [name for name in chosen if name not in SUITES]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(SUITES)}", file=sys.stderr)
        return 2
    for name in chosen:
        importlib.import_module(f"bench.{name}").run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
