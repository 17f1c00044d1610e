import pytest


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path):
    """Uploads go to a throwaway folder; static URLs need no collectstatic run."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
