"""The open-data API at /api/v1/: read-only JSON of what readers may see (Django REST framework)."""
