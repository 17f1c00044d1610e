"""gunicorn for `bench/run`: the project's gunicorn.conf.py, less what would blur a measurement.

`bench/run` adds the bind address and the number of workers on the command line.
"""

import runpy
from pathlib import Path

globals().update(
    (name, value)
    for name, value in runpy.run_path(
        str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py")
    ).items()
    if not name.startswith("_")
)

# A log line per request would be measured along with the page.
accesslog = None
# A recycled worker imports the app again and starts with an empty in-memory
# cache: the run would measure start-ups, at moments that differ run to run.
max_requests = 0
loglevel = "warning"
