from django.conf import settings


def site(request):
    """The journal's name and tagline, for the header and meta tags."""
    return {"SITE_NAME": settings.SITE_NAME, "SITE_TAGLINE": settings.SITE_TAGLINE}
