"""Benchmarks of the journal served as in production, and the archive they measure: bench/README.md.

The site never imports `bench`; `bench.settings` adds it as an app for `bench/run`
and for `manage.py generate_demo_data`.
"""
