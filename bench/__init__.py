"""Benchmarks: `make bench` prints one line per figure, `BENCH <name> <value> <unit>`."""
