"""Answers for when things go wrong: a broken page, or a database that is away."""

import sys

from django.db import DatabaseError, connection
from django.http import HttpResponseServerError, JsonResponse
from django.template import loader
from django.views.decorators.cache import never_cache

from journal.ops.cache import answers as cache_answers

RETRY_AFTER_SECONDS = 30


def _database_unavailable(error: BaseException | None) -> bool:
    # OperationalError and InterfaceError are DatabaseErrors; an IntegrityError
    # or a bad query is a bug, and stays a 500.
    from django.db import IntegrityError, ProgrammingError

    return isinstance(error, DatabaseError) and not isinstance(
        error, IntegrityError | ProgrammingError
    )


def server_error(request, template_name: str = "500.html"):
    """The 500 page, or the 503 page while the database cannot be reached.

    Django calls this while handling the exception, so it can tell which one;
    neither page needs the database. The site recovers by itself: the next
    request opens a new connection.
    """
    if _database_unavailable(sys.exc_info()[1]):
        response = HttpResponseServerError(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    return HttpResponseServerError(loader.get_template(template_name).render())


@never_cache
def health(request):
    """For load balancers: 200 when the app can query its database, else 503.

    The shared cache has a field of its own: without it pages are still
    served, rendered every time, so the app is "degraded", not down.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        database = "unreachable"
    else:
        database = "ok"
    cache = "ok" if cache_answers() else "unavailable"
    if database != "ok":
        response = JsonResponse(
            {"status": "unavailable", "database": database, "cache": cache}, status=503
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    status = "ok" if cache == "ok" else "degraded"
    return JsonResponse({"status": status, "database": "ok", "cache": cache})
