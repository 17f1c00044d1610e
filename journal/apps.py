import importlib

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class NewsroomAdminConfig(admin_apps.AdminConfig):
    """Django's admin on our own site class: two-factor logins (journal/admin/site.py)."""

    default = False  # journal's own config is JournalConfig
    default_site = "journal.admin.site.NewsroomAdminSite"

    def ready(self):
        # The site class lives in the package that registers the newsroom's
        # admins. Left to autodiscover, the first touch of the lazy default
        # site would import that package, whose registrations would build the
        # site a second time and be lost when the first build finished.
        importlib.import_module("journal.admin")
        super().ready()


class JournalConfig(AppConfig):
    name = "journal"
    verbose_name = "Journal"

    def ready(self):
        from journal import signals  # noqa: F401  (connects the image rendition handlers)
