"""The Segments benchmark: `segments build` against the same RFM rules written by hand.

`python -m bench.run` (`make bench`, `make bench-backfill`); see docs/benchmarks.md.
"""
