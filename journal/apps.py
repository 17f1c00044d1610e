from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class NewsroomAdminConfig(admin_apps.AdminConfig):
    """Django's admin on our own site class: two-factor logins (journal/admin_site.py)."""

    default = False  # journal's own config is JournalConfig
    default_site = "journal.admin_site.NewsroomAdminSite"


class JournalConfig(AppConfig):
    name = "journal"
    verbose_name = "Journal"

    def ready(self):
        from . import signals  # noqa: F401  (connects the image rendition handlers)
