"""The journal's URLs plus the two reference views the benchmark compares pages with."""

from django.urls import path

from journal.urls import handler500
from journal.urls import urlpatterns as journal_urlpatterns

from . import views

urlpatterns = [
    path("bench/hello/", views.hello, name="bench_hello"),
    path("bench/template/", views.template, name="bench_template"),
    *journal_urlpatterns,
]

__all__ = ["handler500", "urlpatterns"]
