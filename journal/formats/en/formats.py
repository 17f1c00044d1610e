# English: the desk's formats, full month names for readers, and the
# day-first dates the desk typed before (the site's English was en-GB).
from journal.formats.desk import *  # noqa: F403
from journal.formats.desk import with_days

DATE_FORMAT = "j F Y"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS, DATETIME_INPUT_FORMATS = with_days("%d/%m/%Y", "%d/%m/%y")
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
