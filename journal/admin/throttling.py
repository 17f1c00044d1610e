"""Login throttling: which address a login comes from, and the page for a pause."""

from django.conf import settings
from django.contrib import admin
from django.shortcuts import render


def client_ip(request) -> str:
    """The address a request came from, as the proxies in front saw it.

    Without proxies (DJANGO_TRUSTED_PROXY_COUNT=0) it is the connection's own
    address. Behind N proxies it is the N-th address from the right of
    X-Forwarded-For: the ones further left were written by the client and
    prove nothing.
    """
    count = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR", "")
    if count <= 0:
        return remote
    forwarded = [
        address.strip()
        for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if address.strip()
    ]
    return forwarded[-count] if len(forwarded) >= count else remote


def locked_out(request, original_response, credentials):
    """The page for a login refused after too many failures: 429, and how long to wait."""
    minutes = max(1, round(settings.AXES_COOLOFF_TIME * 60))
    context = {
        **admin.site.each_context(request),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": minutes,
    }
    return render(request, "registration/locked_out.html", context, status=429)
