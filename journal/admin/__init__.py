"""The newsroom admin, one module per desk page; importing the package registers them all."""

from journal.admin import (  # noqa: F401  (each module registers its admins)
    articles,
    assignments,
    audit,
    bylines,
    contributors,
    corrections,
    library,
    newsletters,
    outbox,
    site,
    users,
)
