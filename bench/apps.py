"""The benchmark as a Django app, so `bench.settings` brings `manage.py generate_demo_data`."""

from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "bench"
    verbose_name = "Benchmarks"
