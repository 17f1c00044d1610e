from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class NewsroomAdminConfig(admin_apps.AdminConfig):
    """Django's admin on our own site class: two-factor logins (journal/two_factor.py)."""

    default = False  # journal's own config is JournalConfig
    default_site = "journal.two_factor.NewsroomAdminSite"


class JournalConfig(AppConfig):
    name = "journal"
    verbose_name = "Journal"

    def ready(self):
        from . import signals  # noqa: F401  (connects the image rendition handlers)
