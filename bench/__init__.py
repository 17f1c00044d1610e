"""Benchmarks of the journal served as in production: see bench/README.md.

Nothing here is imported by the site; `bench.settings` exists only for `bench/run`.
"""
