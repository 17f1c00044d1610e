"""How the desk reads and types dates, in every language.

A moment is "2026-12-06 19:03", a day "2026-12-06", in the journal's time
zone, which the admin names once, in its header. Django's admin writes
moments with DATETIME_FORMAT and fills its date and time inputs (and its
calendar and clock) with the first input format, so all of them are these.
Readers keep their language's words for a day (DATE_FORMAT, "6 December
2026"), from each language's module or Django's.
"""

__all__ = [
    "DATETIME_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "TIME_FORMAT",
    "TIME_INPUT_FORMATS",
    "DATE_INPUT_FORMATS",
    "DATETIME_INPUT_FORMATS",
]

DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
SHORT_DATE_FORMAT = "Y-m-d"
TIME_FORMAT = "H:i"
# What the inputs show and the calendar and clock write comes first; a
# language adds the day-first spellings its editors are used to typing (never
# month first). A time input holds the seconds a stored time has, so saving a
# form unchanged changes nothing ("19:03" is taken, and shown, as 19:03:00).
DATE_INPUT_FORMATS = ["%Y-%m-%d"]
TIME_INPUT_FORMATS = ["%H:%M:%S", "%H:%M", "%H:%M:%S.%f"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S.%f"]


def with_days(*days: str) -> tuple[list[str], list[str]]:
    """The desk's date and date-time input formats, followed by these spellings of a day."""
    dates = [*DATE_INPUT_FORMATS, *days]
    moments = [*DATETIME_INPUT_FORMATS]
    for day in days:
        moments += [f"{day} %H:%M:%S", f"{day} %H:%M", f"{day} %H:%M:%S.%f"]
    return dates, moments
